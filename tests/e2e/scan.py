"""scan.py — what the end-to-end checks in Python share: an independent reading of text as the
index reads it, and a list of failures that does not stop at the first.

stems(text) tokenizes as FTS5's unicode61 does (NFKD, drop combining marks, lower case, split on
what is not a letter or digit) and stems with PyStemmer, Debian's wrapper of the Snowball
stemmers, so that it finds what newsidx's `snowball english` tokenizer finds.
"""
import re
import sys
import unicodedata

import Stemmer

STEMMER = Stemmer.Stemmer("english")
STEM = STEMMER.stemWord
FAILURES = []


def check(condition, what):
    """Records a failure (and says it on stderr) unless condition holds; goes on either way."""
    if not condition:
        FAILURES.append(what)
        print("FAIL:", what, file=sys.stderr)


def stems(text):
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return STEMMER.stemWords(re.findall(r"[^\W_]+", text))
