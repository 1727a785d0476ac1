#!/usr/bin/env bash
# check_options.sh — ctest docs.options: every long option that a program's --help lists, and
# each of its subcommands' (the "Commands:" of the program's --help), is documented in its man
# page source: a subcommand's option in the page's "## PROGRAM COMMAND" section or in its
# "# OPTIONS" section (the options every command shares), a program's own in "# OPTIONS".
# A subcommand without its section fails too.
#
#   check_options.sh PROGRAM PAGE.scd [PROGRAM PAGE.scd...]
#
# Exits 0 when all is documented, 1 naming each missing option, 2 when a --help fails.
set -uo pipefail

status=0

# The long names (without --) of the option table lines of a --help text on stdin: the
# lines cli_print_options() writes, "  -x, --name ARG   help" or "      --name   help".
help_options() {
  sed -nE 's/^  (-[[:alnum:]], |    )--([[:alnum:]][[:alnum:]-]*).*/\2/p' | sort -u
}

# The subcommand names listed under "Commands:" in a program's --help on stdin.
help_commands() {
  awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1; next } on { exit }'
}

# The lines of PAGE's section whose heading is exactly HEADING (up to its next heading).
page_section() {
  awk -v heading="$2" '
    /^#/ { on = ($0 == heading || index($0, heading " ") == 1); next }
    on' "$1"
}

# check PROGRAM PAGE LABEL COMMAND...: the options of `PROGRAM COMMAND... --help` must be in
# PAGE's section LABEL or its OPTIONS.
check() {
  local program=$1 page=$2 label=$3 help text name
  shift 3
  if ! help=$("$program" "$@" --help 2>&1); then
    echo "docs.options: '$(basename "$program") $* --help' failed: $help" >&2
    exit 2
  fi
  text=$(page_section "$page" "# OPTIONS"; [[ -n $label ]] && page_section "$page" "$label")
  while read -r name; do
    [[ -n $name ]] || continue
    if ! grep -qE -- "--$name([^[:alnum:]-]|\$)" <<<"$text"; then
      echo "docs.options: $(basename "$page"): --$name (from '$(basename "$program")${*:+ $*} --help') is not documented in ${label:-# OPTIONS}" >&2
      status=1
    fi
  done < <(help_options <<<"$help")
}

while (($# >= 2)); do
  program=$1 page=$2
  shift 2
  name=$(basename "$program")
  check "$program" "$page" ""
  mapfile -t commands < <("$program" --help | help_commands)
  if ((${#commands[@]} == 0)); then
    echo "docs.options: '$name --help' lists no commands" >&2
    status=1
  fi
  for command in "${commands[@]}"; do
    heading="## $name $command"
    if [[ -z $(grep -E "^$heading( |\$)" "$page") ]]; then
      echo "docs.options: $(basename "$page") has no section '$heading'" >&2
      status=1
      continue
    fi
    check "$program" "$page" "$heading" "$command"
  done
done
exit $status
