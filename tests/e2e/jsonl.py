"""jsonl.py — the JSON checks that several end-to-end scripts share (tests/e2e/lib.sh wraps
them as json_fields and jsonl_whole), so that no script carries its own copy.

  jsonl.py fields NAME...   read JSON values from stdin, one a line; print each one's fields
                            NAME..., space-separated (null when missing, nested values as JSON)
  jsonl.py whole FILE       print how many records FILE holds; exit 1, saying why on stderr,
                            unless every line is a JSON value and the file ends with a line end
"""
import json
import sys


def show(value):
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def fields(names):
    for line in sys.stdin.read().splitlines():
        if line.strip():
            record = json.loads(line)
            print(" ".join(show(record.get(name)) for name in names))
    return 0


def whole(path):
    data = open(path, "rb").read()
    if data and not data.endswith(b"\n"):
        print("%s: the last line has no line end" % path, file=sys.stderr)
        return 1
    n = 0
    for number, line in enumerate(data.decode("utf-8").splitlines(), 1):
        try:
            json.loads(line)
        except ValueError as e:
            print("%s:%d: not JSON (%s): %.200r" % (path, number, e, line), file=sys.stderr)
            return 1
        n += 1
    print(n)
    return 0


def main(argv):
    if len(argv) >= 2 and argv[0] == "fields":
        return fields(argv[1:])
    if len(argv) == 2 and argv[0] == "whole":
        return whole(argv[1])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
