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


def words(text):
    """The tokens as written (folded), numbers and initials joined as the tokenizer joins them:
    3.15 and 11.1bn keep their point, 10,000 is 10000, U.S. is us."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    out = []  # [word, end, may take ",ddd", may take ".x"]
    for m in re.finditer(r"[^\W_]+", text):
        w, start = m.group(), m.start()
        if out and start == out[-1][1] + 1:
            last, sep = out[-1], text[start - 1]
            if sep == "," and last[2] and len(w) == 3 and w.isdigit():
                last[0] += w
            elif sep == "." and last[0][0].isdigit() and last[0][-1].isdigit() and w[0].isdigit():
                last[0] += "." + w
                last[2] = False
            elif sep == "." and last[3] and len(w) == 1 and not w.isdigit():
                last[0] += w
            else:
                last = None
            if last:
                last[1] = m.end()
                continue
        out.append([w, m.end(), len(w) <= 3 and w.isdigit(), len(w) == 1 and not w.isdigit()])
    return [w[0] for w in out]


def stems(text):
    return STEMMER.stemWords(words(text))
