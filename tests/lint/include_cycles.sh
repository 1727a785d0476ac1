#!/usr/bin/env bash
# include_cycles.sh — scripts/include_cycles.py, the check of checksrc.sh that fails on an
# include cycle: over small trees made here, it finds the cycles of .c files that include each
# other's headers, of headers alone, and through a NAME_internal.h, and passes a tree without.
set -euo pipefail
check=$(cd "$(dirname "$0")/../.." && pwd)/scripts/include_cycles.py
[[ -x /usr/bin/python3 ]] || exit 77
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
mkdir -p lib/sub
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
# run EXPECTED_STATUS FILES...: the check's status, its messages in $tmp/out
run() {
  local want=$1 got=0
  shift
  /usr/bin/python3 "$check" --public lib.h "$@" 2>out || got=$?
  [[ $got == "$want" ]] || fail "status $got, not $want, for $*: $(cat out)"
}

# A chain: a -> b -> c, no cycle.
printf '#include "b.h"\n' >lib/a.c
printf '#include "c.h"\n' >lib/b.c
: >lib/b.h
: >lib/c.h
: >lib/c.c
run 0 lib/a.c lib/b.c lib/b.h lib/c.c lib/c.h
[[ ! -s out ]] || fail "messages for a tree without cycles: $(cat out)"

# c.c includes a.h back: a -> b -> c -> a, named with the includes that make it.
: >lib/a.h
printf '#include "a.h"\n' >lib/c.c
run 1 lib/a.c lib/a.h lib/b.c lib/b.h lib/c.c lib/c.h
grep -q 'include cycle among lib/a, lib/b, lib/c' out || fail "cycle not named: $(cat out)"
grep -q 'lib/c.c includes "a.h"' out || fail "include not named: $(cat out)"
# ... unless it is known.
run 0 --known lib/a,lib/b,lib/c lib/a.c lib/a.h lib/b.c lib/b.h lib/c.c lib/c.h
grep -q 'known include cycle' out || fail "known cycle not reported: $(cat out)"

# Two headers that include each other, one in a subfolder found by its path.
printf '#include "sub/y.h"\n' >lib/x.h
printf '#include "x.h"\n' >lib/sub/y.h
run 1 lib/x.h lib/sub/y.h
grep -q 'lib/sub/y, lib/x' out || fail "header cycle not named: $(cat out)"

# NAME_internal.h belongs to NAME.c: search.c and search_internal.h make no cycle together,
# but a helper that includes it while search.c includes the helper's header does.
printf '#include "search.h"\n' >lib/search_internal.h
printf '#include "search_internal.h"\n' >lib/search.c
: >lib/search.h
run 0 lib/search.c lib/search.h lib/search_internal.h
printf '#include "search_internal.h"\n' >lib/helper.c
: >lib/helper.h
printf '#include "search_internal.h"\n#include "helper.h"\n' >lib/search.c
run 1 lib/search.c lib/search.h lib/search_internal.h lib/helper.c lib/helper.h
grep -q 'lib/helper, lib/search' out || fail "cycle through an _internal.h not named: $(cat out)"

# The public header is the library's contract, no module's: lib.c and a reader of lib.h that
# lib.c includes make no cycle.
printf '#include "reader.h"\n' >lib/lib.c
printf '#include "lib.h"\n' >lib/reader.h
: >lib/lib.h
: >lib/reader.c
run 0 lib/lib.c lib/lib.h lib/reader.c lib/reader.h
echo "include_cycles: ok"
