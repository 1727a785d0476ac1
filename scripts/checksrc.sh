#!/usr/bin/env bash
# checksrc.sh — source checks run by ctest: bans C functions that invite overflows or hide
# errors (as curl's checksrc does), and checks clang-format style when clang-format is there.
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
if command -v clang-format >/dev/null; then
  if ! clang-format --dry-run -Werror "${files[@]}" 2>/tmp/checksrc-format.$$; then
    head -40 /tmp/checksrc-format.$$ >&2
    echo "checksrc: not in the project's style; run: clang-format -i \$(git ls-files '*.[ch]')" >&2
    status=1
  fi
  rm -f /tmp/checksrc-format.$$
fi
exit $status
