"""querylang.py — reads bench/queries.txt and parses newsq's query syntax into a small tree, so
that each baseline can translate the same query into its own language (baseline_fts5.py,
baseline_xapian.py). newsidx itself gets the query text unchanged.

The syntax (newsq's, README "Searching"): words (all must match), `OR`, `AND`, `NOT word` and
`-word`, parentheses, "exact phrases", `prefix*`, `NEAR(a b, 10)` and `a NEAR/10 b`,
`title:word` or `title:"a phrase"`, `tag:word`, `source:word`, and
`date:YYYY[-MM[-DD]]..YYYY[-MM[-DD]]` (either end may be left open). OR binds looser than AND;
the query set uses parentheses wherever that matters, so it means the same under either rule.

The tree is made of tuples:
    ("word", text)  ("prefix", text)  ("phrase", [text, ...])
    ("near", [leaf, ...], distance)            leaves are word or phrase nodes
    ("and", [node, ...])  ("or", [node, ...])  ("not", node)
    ("field", name, leaf)                      name: title, tag or source
    ("date", first, after)                     ISO days: first <= date < after (None: open)
"""

import datetime
import re

FIELDS = ("title", "tag", "source")


class QueryError(ValueError):
    pass


def load_queries(path):
    """Returns [(id, type, text)] from a queries file: `[type]` starts a group, `#` starts a
    comment line, every other non-blank line is one query; ids are type-N, N counting from 1
    within the group."""
    queries, kind, n_in_kind = [], None, 0
    with open(path, encoding="utf-8") as f:
        for line_no, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            group = re.fullmatch(r"\[([a-z_]+)\]", line)
            if group:
                kind, n_in_kind = group.group(1), 0
                continue
            if kind is None:
                raise QueryError(f"{path}:{line_no}: query before the first [type] line")
            n_in_kind += 1
            queries.append((f"{kind}-{n_in_kind}", kind, line))
    return queries


TOKEN = re.compile(r'\s*(?:(?P<lparen>\()|(?P<rparen>\))|(?P<comma>,)'
                   r'|(?P<phrase>"[^"]*")|(?P<nearop>NEAR/\d+)|(?P<near>NEAR\()'
                   r'|(?P<word>[^\s()",]+))')


def tokenize(text):
    tokens, pos = [], 0
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m or m.end() == pos:
            if text[pos:].strip() == "":
                break
            raise QueryError(f"column {pos + 1}: cannot read '{text[pos:]}'")
        kind = m.lastgroup
        tokens.append((kind, m.group(kind)))
        pos = m.end()
    return tokens


def split_words(text):
    """The searchable words of a piece of text, lower-cased (letters and digits)."""
    return [w for w in re.split(r"[^\w]+", text.lower()) if w]


def parse_day(text, end):
    """'1987', '1987-03' or '1987-03-05' as the first day it covers, or (end=True) the day
    after the last one it covers."""
    parts = [int(p) for p in text.split("-")]
    if not 1 <= len(parts) <= 3:
        raise QueryError(f"not a date: {text}")
    year, month, day = (parts + [1, 1])[:3]
    first = datetime.date(year, month, day)
    if not end:
        return first.isoformat()
    if len(parts) == 1:
        return datetime.date(year + 1, 1, 1).isoformat()
    if len(parts) == 2:
        return (datetime.date(year + month // 12, month % 12 + 1, 1)).isoformat()
    return (first + datetime.timedelta(days=1)).isoformat()


class Parser:
    def __init__(self, text):
        self.tokens = tokenize(text)
        self.i = 0

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else (None, None)

    def take(self, kind=None):
        token = self.peek()
        if kind and token[0] != kind:
            raise QueryError(f"expected {kind}, found {token[1]!r}")
        self.i += 1
        return token

    def parse(self):
        node = self.or_expr()
        if self.peek()[0] is not None:
            raise QueryError(f"unexpected {self.peek()[1]!r}")
        return node

    def or_expr(self):
        children = [self.and_expr()]
        while self.peek() == ("word", "OR"):
            self.take()
            children.append(self.and_expr())
        return children[0] if len(children) == 1 else ("or", children)

    def and_expr(self):
        children = []
        while True:
            kind, text = self.peek()
            if kind is None or kind == "rparen" or (kind, text) == ("word", "OR"):
                break
            if (kind, text) == ("word", "AND"):
                self.take()
                continue
            node = self.unary()
            while self.peek()[0] == "nearop":
                distance = int(self.take()[1].split("/")[1])
                node = ("near", [node, self.leaf()], distance)
            children.append(node)
        if not children:
            raise QueryError("nothing to search for")
        return children[0] if len(children) == 1 else ("and", children)

    def unary(self):
        kind, text = self.peek()
        if (kind, text) == ("word", "NOT"):
            self.take()
            return ("not", self.unary())
        if kind == "word" and text.startswith("-") and len(text) > 1:
            self.tokens[self.i] = ("word", text[1:])
            return ("not", self.atom())
        return self.atom()

    def atom(self):
        kind, text = self.peek()
        if kind == "lparen":
            self.take()
            node = self.or_expr()
            self.take("rparen")
            return node
        if kind == "near":
            self.take()
            leaves = []
            while self.peek()[0] in ("word", "phrase"):
                leaves.append(self.leaf())
            distance = 10
            if self.peek()[0] == "comma":
                self.take()
                distance = int(self.take("word")[1])
            self.take("rparen")
            return ("near", leaves, distance)
        if kind == "word" and ":" in text and text.split(":", 1)[0] in FIELDS + ("date",):
            name, value = text.split(":", 1)
            if name == "date":
                self.take()
                first, _, last = value.partition("..") if ".." in value else (value, "", value)
                return ("date", parse_day(first, False) if first else None,
                        parse_day(last, True) if last else None)
            self.take()
            if not value:  # title:"a phrase"
                return ("field", name, self.leaf())
            self.tokens.insert(self.i, ("word", value))
            return ("field", name, self.leaf())
        return self.leaf()

    def leaf(self):
        kind, text = self.take()
        if kind == "phrase":
            return ("phrase", split_words(text[1:-1]))
        if kind != "word":
            raise QueryError(f"unexpected {text!r}")
        if text.endswith("*"):
            return ("prefix", text[:-1].lower())
        words = split_words(text)
        if len(words) == 1:
            return ("word", words[0])
        if not words:
            raise QueryError(f"no searchable word in {text!r}")
        return ("phrase", words)


def parse(text):
    """The tree of a query; raises QueryError."""
    return Parser(text).parse()


def split_filters(node):
    """Splits a top-level AND into (text part, date node or None): a date filter is a
    restriction of the whole query, which both baselines express outside their text syntax.
    Raises QueryError for a date anywhere else."""
    date = None
    if node[0] == "date":
        raise QueryError("a date alone")
    if node[0] == "and":
        rest = []
        for child in node[1]:
            if child[0] == "date":
                date = child
            else:
                rest.append(child)
        node = rest[0] if len(rest) == 1 else ("and", rest)
    return node, date
