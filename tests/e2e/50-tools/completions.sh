# completions.sh — the shell completions of completions/ complete commands, subcommands,
# options (from the programs' own tables: the same as --help lists), rule names from the index
# of the line's --db or $NEWSIDX_DB, and file names. bash always; zsh and fish when installed.
source "$(dirname "$0")/lib.sh"
C=$NEWSIDX_SOURCE/completions

# An index with two rules, and a folder with a file, a JSON Lines file and a sub-folder.
DB=$WORK/news.db
expect_exit 0 newsidx --db "$DB" --quiet "$NEWSIDX_SOURCE/corpus"
expect_exit 0 newsq --db "$DB" rule add cocoa-watch cocoa
expect_exit 0 newsq --db "$DB" rule add strikes strike --source Reuters
mkdir -p "$WORK/files/sub"
touch "$WORK/files/a.txt" "$WORK/files/b.jsonl"
cd "$WORK/files"

# bash_complete WORD... : what the bash completion offers for the last WORD, one a line, sorted.
bash_complete() {
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
           "_${COMP_WORDS[0]}"; printf "%s\n" "${COMPREPLY[@]}"' _ "$C/newsidx.bash" "$@" |
    sed '/^$/d' | sort
}
# check SHELL WANT WORD... : fails unless SHELL offers exactly WANT (lines) for the words.
check() {
  local shell=$1 want=$2
  shift 2
  local got
  got=$("${shell}_complete" "$@")
  [[ $got == "$(sort <<<"$want" | sed '/^$/d')" ]] ||
    fail "$shell completion of '$*': got
$got
wanted
$want"
}

# The cases, for every shell: what each completes, from words on a line.
cases() {
  local s=$1
  # commands and subcommands
  check "$s" "rule" newsq ru
  check "$s" "stats" newsidx st
  check "$s" "$(newsq --complete-commands | cut -f1)" newsq ""
  check "$s" "show" newsq rule sh
  check "$s" "new
trending
top" newsq terms ""
  check "$s" "alerts" newsq --db "$DB" al
  # options, the command's own
  check "$s" "--new-terms" newsq rule add --new
  check "$s" "--names" newsq rule list --na
  check "$s" "--by" newsq timeline --b
  check "$s" "--then
--then-always" newsidx watch --the
  check "$s" "--json" newsidx stats --j
  check "$s" "--limit" newsq --li
  check "$s" "" newsq -- --li # after "--" words are the query
  # rule names, from the index of --db (before or after the command) or $NEWSIDX_DB
  check "$s" "cocoa-watch
strikes" newsq --db "$DB" rule show ""
  check "$s" "strikes" newsq rule rm --db "$DB" s
  NEWSIDX_DB=$DB check "$s" "cocoa-watch" newsq alerts c
  check "$s" "" newsq alerts c # no index here: nothing, and no error
  # files: the operands of newsidx, the values of FILE options; none for other values
  check "$s" "a.txt" newsidx a
  check "$s" "sub" newsidx index su
  check "$s" "b.jsonl" newsq --db b
  check "$s" "b.jsonl" newsq rule test --db b
  check "$s" "" newsq search --color a
}

cases bash

# Every option that --help lists, and no other, is offered (both come from the option tables).
help_options() {
  "$@" --help | sed -nE 's/^ +(-[[:alnum:]], )? *(--[a-z][a-z-]*).*/\2/p' | sort -u
}
for command in "newsq" "newsq timeline" "newsq alerts" "newsq terms new" "newsidx" "newsidx watch" "newsidx rm"; do
  # shellcheck disable=SC2086
  check bash "$(help_options $command)" $command --
done

# zsh: the completion function run with zsh's completion builtins replaced by stubs that print
# what they are given, filtered by the prefix as zsh would.
if command -v zsh >/dev/null; then
  zsh_complete() {
    zsh -f -c 'compadd() { while [[ $1 == -* ]]; do
                             if [[ $1 == -a ]]; then print -rl -- ${(P)2}; shift 2
                             else shift; fi; done; print -rl -- "$@"; }
               _describe() { print -rl -- ${${(P)4}%%:*}; }
               _files() { print -rl -- ${PREFIX}*(N); }
               words=("${@:2}"); CURRENT=$#words; service=$words[1]; PREFIX=$words[CURRENT]
               source "$1"' _ "$C/_newsidx" "$@" |
      awk -v prefix="${!#}" 'index($0, prefix) == 1 && $0 != ""' | sort -u
  }
  cases zsh
else
  echo "note: no zsh, its completion was not tried"
fi

# fish: its own completion machinery, `complete -C LINE`.
if command -v fish >/dev/null; then
  fish_complete() {
    local line
    line=$(printf '%q ' "$@")
    line=${line% }
    [[ ${!#} == "" ]] && line="${line% \'\'} "
    fish --no-config -c 'source $argv[1]; complete -C $argv[2]' "$C/newsidx.fish" "$line" |
      cut -f1 | sed 's|/$||; /^$/d' | sort
  }
  cases fish
else
  echo "note: no fish, its completion was not tried"
fi
echo "ok"
