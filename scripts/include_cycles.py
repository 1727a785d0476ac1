#!/usr/bin/python3
"""include_cycles.py [--public NAME,...] [--known MODULE,...]... FILE... — fails (exit 1) when the given C files include each other in a
cycle; checksrc.sh runs it over the tree.

The rule: a header is owned by the .c file of the same name beside it (ledger.h by ledger.c;
NAME_internal.h, the internals NAME.c shares with its helpers, by NAME.c), and they make one
module, named by the .c file's path without the extension (core/ledger). A library's public
header (--public: newsidx.h...) is the library's contract, owned by no .c file: a module of its
own, named by its path. A module
depends on another when its .c or .h file includes the other's header. A cycle of dependencies
(core/ledger -> core/termdocs -> core/ledger) means neither can be understood, tested or
changed without the other: it is reported with the includes that make it. A header that no .c
file owns is a module of its own. A cycle named with --known (its modules, sorted, joined by
commas) is reported as known and does not fail: for a cycle whose owners are yet to break it.

An include is resolved beside the including file first, then by name among the given files of
the same top folder (query/ includes its subfolders' headers by name)."""
import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


PUBLIC = set()


def module(path):
    path = os.path.normpath(path)
    if os.path.basename(path) in PUBLIC:
        return path
    stem = os.path.splitext(path)[0]
    if stem.endswith("_internal") and os.path.exists(stem[: -len("_internal")] + ".c"):
        return stem[: -len("_internal")]
    return stem


def resolve(path, header, by_name):
    beside = os.path.normpath(os.path.join(os.path.dirname(path), header))
    if os.path.exists(beside):
        return beside
    top = path.split("/", 1)[0]
    for candidate in by_name.get(os.path.basename(header), []):
        if candidate.split("/", 1)[0] == top:
            return candidate
    return None


def edges_of(files):
    """{module: {module it depends on: [(file, header), ...]}}"""
    by_name = {}
    for f in files:
        by_name.setdefault(os.path.basename(f), []).append(os.path.normpath(f))
    graph = {}
    for f in files:
        with open(f, encoding="utf-8", errors="replace") as text:
            headers = INCLUDE.findall(text.read())
        src = module(f)
        graph.setdefault(src, {})
        for header in headers:
            target = resolve(f, header, by_name)
            if target and module(target) != src:
                graph[src].setdefault(module(target), []).append((f, header))
    return graph


def cycles(graph):
    """The strongly connected components of more than one module (Tarjan), iteratively."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, {}))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, {})))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    component.append(top)
                    if top == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def main(args):
    known, files = set(), []
    while args:
        arg = args.pop(0)
        if arg == "--public" and args:
            PUBLIC.update(args.pop(0).split(","))
        elif arg == "--known" and args:
            known.add(args.pop(0))
        else:
            files.append(arg)
    graph = edges_of([f for f in files if f.endswith((".c", ".h"))])
    status = 0
    for component in cycles(graph):
        members = set(component)
        why = [
            f"{f} includes \"{h}\""
            for m in component
            for target, includes in sorted(graph[m].items())
            if target in members
            for f, h in includes
        ]
        name = ",".join(component)
        if name in known:
            print(f"checksrc: known include cycle, to be broken: {name}", file=sys.stderr)
            continue
        print(f"checksrc: include cycle among {', '.join(component)}: {'; '.join(why)}",
              file=sys.stderr)
        status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
