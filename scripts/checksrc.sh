#!/usr/bin/env bash
# checksrc.sh — source checks run by ctest: bans C functions that invite overflows or hide
# errors (as curl's checksrc does), keeps each folder to the headers it may include (the
# layering of the README's "Design"), and checks clang-format style when clang-format is there.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
mapfile -t files < <(git ls-files --cached --others --exclude-standard '*.c' '*.h' 2>/dev/null)
((${#files[@]})) || mapfile -t files < <(find . -name '*.[ch]' -not -path './build*')
status=0
banned='\b(strcpy|strcat|sprintf|vsprintf|gets|atoi|atol|atof|strtok|tmpnam)[[:space:]]*\('
if grep -nE "$banned" "${files[@]}"; then
  echo "checksrc: banned function above; use snprintf, memcpy with a length, strtol, strtok_r" >&2
  status=1
fi

# Layering: a library's own headers stay inside it. The programs (src/) and bench/ include
# only the libraries' public headers, their own folder's headers and src/cli/; ingest/ and
# query/ include core's public header, and of core's others only its header-only utility
# util/alloc.h (array growth, zeroed tables), but never each other's; core includes neither.
public='newsidx.h|ingest.h|newsidx_query.h'
for file in "${files[@]}"; do
  case $file in
  src/* | bench/*) own=$(dirname "$file") ;;
  ingest/* | query/* | core/*) own=${file%%/*} ;;
  *) continue ;;
  esac
  while IFS= read -r line; do
    header=${line#*'"'}
    header=${header%%'"'*}
    name=${header##*/}
    case $file in
    src/* | bench/*)
      [[ $name =~ ^($public)$ || -e $own/$header || -e src/cli/$header ]] && continue
      why="a program includes only public headers ($public), its own and src/cli/'s" ;;
    core/*)
      [[ -e core/$header ]] && continue
      why="core includes only its own headers" ;;
    *)
      [[ $header == newsidx.h || $header == util/alloc.h || -e $own/$header ]] && continue
      [[ $own == query && -n $(find query -name "$name" -print -quit) ]] && continue
      [[ $own == ingest && -n $(find ingest -name "$name" -print -quit) ]] && continue
      why="$own/ includes core's public header, util/alloc.h and its own headers only" ;;
    esac
    echo "$file: #include \"$header\": $why" >&2
    status=1
  done < <(grep -h '^#include "' "$file" || true)
done

# Include cycles: a module (a .c file and its header) may not depend on itself through others'
# headers (scripts/include_cycles.py says the rule).
if [[ -x /usr/bin/python3 ]]; then
  /usr/bin/python3 scripts/include_cycles.py --public "${public//|/,}" "${files[@]}" || status=1
else
  echo "checksrc: no /usr/bin/python3: include cycles not checked" >&2
fi

if command -v clang-format >/dev/null; then
  if ! clang-format --dry-run -Werror "${files[@]}" 2>/tmp/checksrc-format.$$; then
    head -40 /tmp/checksrc-format.$$ >&2
    echo "checksrc: not in the project's style; run: clang-format -i \$(git ls-files '*.[ch]')" >&2
    status=1
  fi
  rm -f /tmp/checksrc-format.$$
fi
exit $status
