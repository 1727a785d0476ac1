# bash completion for newsidx and newsq — installed as completions/newsidx and completions/newsq
# (the same file: bash-completion loads it by the command's name, and it serves both).
#
# Nothing here repeats the programs' tables: commands come from `PROGRAM --complete-commands`
# (and `newsq rule|terms --complete-commands`), options from `PROGRAM [COMMAND] --complete-options`
# (tab-separated: --long, -s, ARG, help), rule names from `newsq rule list --names`, with the
# --db of the line being completed, else $NEWSIDX_DB as newsq itself falls back to it.
# Needs no bash-completion helpers.

# _newsidx_lines COMMAND...: prints the command's first column (its output is TAB-separated),
# nothing when it fails.
_newsidx_lines() {
  "$@" 2>/dev/null | cut -f1
}

# _newsidx_reply WORDS: COMPREPLY gets the WORDS (one a line) that start with $cur.
_newsidx_reply() {
  local IFS=$'\n'
  COMPREPLY=($(compgen -W "$1" -- "$cur"))
}

# _newsidx_files: file and folder names starting with $cur, folders marked as such.
_newsidx_files() {
  compopt -o filenames 2>/dev/null || true # only inside a real completion
  local IFS=$'\n'
  COMPREPLY=($(compgen -f -- "$cur"))
}

# _newsidx_arg OPTIONS OPTION: the ARG column of OPTION (--long or -s) in the table OPTIONS
# from --complete-options; empty when OPTION takes no value or is unknown.
_newsidx_arg() {
  local long short arg rest
  while IFS=$'\t' read -r long short arg rest; do
    if [[ $2 == "$long" || ( -n $short && $2 == "$short" ) ]]; then
      printf '%s\n' "$arg"
      return
    fi
  done <<<"$1"
}

# _newsidx_complete_for PROGRAM: the completion proper, for both programs. Reads COMP_WORDS
# and COMP_CWORD, sets COMPREPLY.
_newsidx_complete_for() {
  local program=$1 cur=${COMP_WORDS[COMP_CWORD]-}
  local exe=${COMP_WORDS[0]/#\~/$HOME}
  local -a db=()
  local i=1 command="" sub=""
  COMPREPLY=()

  # The index may be named before the command (newsq --db news.db alerts).
  while ((i < COMP_CWORD)); do
    case ${COMP_WORDS[i]} in
    --db | -d)
      ((i + 1 < COMP_CWORD)) || break # its value is what is being completed
      db=(--db "${COMP_WORDS[i + 1]}")
      ((i += 2)) ;;
    --db=*) db=("${COMP_WORDS[i]}"); ((i++)) ;;
    *) break ;;
    esac
  done
  local commands
  commands=$(_newsidx_lines "$exe" --complete-commands)
  if ((i == COMP_CWORD)); then # where the command goes
    if [[ $cur == -* ]]; then
      _newsidx_reply "$(_newsidx_lines "$exe" --complete-options)"
    elif [[ $program == newsidx ]]; then # or, indexing by default, a path
      _newsidx_reply "$commands"
      local -a named=("${COMPREPLY[@]}")
      _newsidx_files
      COMPREPLY=("${named[@]}" "${COMPREPLY[@]}")
    else # or the words of a search: nothing to offer
      _newsidx_reply "$commands"
    fi
    return 0
  fi
  if grep -qxF -- "${COMP_WORDS[i]}" <<<"$commands"; then
    command=${COMP_WORDS[i]}
    ((i++))
    if [[ $program == newsq && ($command == rule || $command == terms) ]]; then
      if ((i == COMP_CWORD)); then # they have commands of their own
        _newsidx_reply "$(_newsidx_lines "$exe" "$command" --complete-commands)"
        return 0
      fi
      sub=${COMP_WORDS[i]}
      ((i++))
    fi
  fi

  local options
  options=$("$exe" $command $sub --complete-options 2>/dev/null)
  # A --db after the command counts too; "--" ends the options.
  local j after_dashes=0
  for ((j = i; j < COMP_CWORD; j++)); do
    case ${COMP_WORDS[j]} in
    --) after_dashes=1 ;;
    --db | -d) ((after_dashes)) || db=(--db "${COMP_WORDS[j + 1]-}") ;;
    --db=*) ((after_dashes)) || db=("${COMP_WORDS[j]}") ;;
    esac
  done

  # The value of an option: files for FILE, PATH, DIR; nothing to offer for the others.
  local prev=""
  ((COMP_CWORD > i)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
  [[ $prev == = && COMP_CWORD -ge 2 ]] && prev=${COMP_WORDS[COMP_CWORD - 2]} # bash splits --db=x
  if [[ $after_dashes == 0 && $prev == -* ]]; then
    local arg
    arg=$(_newsidx_arg "$options" "$prev")
    if [[ -n $arg ]]; then
      case $arg in
      FILE | PATH | DIR) _newsidx_files ;;
      esac
      return 0
    fi
  fi
  if [[ $after_dashes == 0 && $cur == -* ]]; then
    _newsidx_reply "$(cut -f1 <<<"$options")"
    return 0
  fi

  # Operands.
  case $program:$command:$sub in
  newsq:alerts: | newsq:rule:show | newsq:rule:rm | newsq:rule:test)
    _newsidx_reply "$("$exe" rule list --names "${db[@]}" 2>/dev/null)" ;;
  newsidx::* | newsidx:index:* | newsidx:watch:* | newsidx:rm:*) _newsidx_files ;;
  esac
  return 0
}

_newsidx() { _newsidx_complete_for newsidx; }
_newsq() { _newsidx_complete_for newsq; }

complete -F _newsidx newsidx
complete -F _newsq newsq
