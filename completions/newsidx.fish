# fish completion for newsidx and newsq — installed as newsidx.fish and newsq.fish (the same file).
#
# Like completions/newsidx.bash, it asks the programs: `PROGRAM --complete-commands` (and
# `newsq rule|terms --complete-commands`), `PROGRAM [COMMAND] --complete-options` (--long TAB -s
# TAB ARG TAB help), and `newsq rule list --names` with the line's --db, else $NEWSIDX_DB.

# Prints "--long TAB help" for each line of --complete-options on standard input.
function __newsidx_options
    while read -l line
        set -l f (string split \t -- $line)
        printf '%s\t%s\n' $f[1] $f[4]
    end
end

# The ARG column of option $argv[2] (--long or -s) in the --complete-options lines $argv[3..].
function __newsidx_arg
    for line in $argv[2..-1]
        set -l f (string split \t -- $line)
        if test "$argv[1]" = "$f[1]"; or begin
                test -n "$f[2]"; and test "$argv[1]" = "$f[2]"
            end
            echo $f[3]
            return
        end
    end
end

function __newsidx_complete
    set -l tokens (commandline -opc)
    set -l cur (commandline -ct)
    set -l exe $tokens[1]
    set -l program (string replace -r '.*/' '' -- $exe)
    set -l db
    set -l n (count $tokens)
    set -l i 2
    # The index may be named before the command (newsq --db news.db alerts).
    while test $i -le $n
        switch $tokens[$i]
            case --db -d
                test $i -lt $n; or break # its value is what is being completed
                set db --db $tokens[(math $i + 1)]
                set i (math $i + 2)
            case '--db=*'
                set db $tokens[$i]
                set i (math $i + 1)
            case '*'
                break
        end
    end
    set -l cmds ($exe --complete-commands 2>/dev/null)
    if test $i -gt $n # where the command goes
        if string match -q -- '-*' $cur
            $exe --complete-options 2>/dev/null | __newsidx_options
        else
            printf '%s\n' $cmds
            test $program = newsidx; and __fish_complete_path $cur # indexing by default: a path
        end
        return
    end
    set -l command
    set -l sub
    if contains -- $tokens[$i] (string replace -r '\t.*' '' -- $cmds)
        set command $tokens[$i]
        set i (math $i + 1)
        if test $program = newsq; and contains -- $command rule terms
            if test $i -gt $n # they have commands of their own
                $exe $command --complete-commands 2>/dev/null
                return
            end
            set sub $tokens[$i]
            set i (math $i + 1)
        end
    end

    set -l opts ($exe $command $sub --complete-options 2>/dev/null)
    set -l after_dashes 0
    set -l j $i
    while test $j -le $n
        switch $tokens[$j]
            case --
                set after_dashes 1
            case --db -d
                test $after_dashes = 0; and set db --db $tokens[(math $j + 1)]
            case '--db=*'
                test $after_dashes = 0; and set db $tokens[$j]
        end
        set j (math $j + 1)
    end

    # The value of an option: files for FILE, PATH, DIR; nothing to offer for the others.
    if test $after_dashes = 0; and test $n -ge $i; and string match -q -- '-*' $tokens[$n]
        set -l arg (__newsidx_arg $tokens[$n] $opts)
        if test -n "$arg"
            contains -- $arg FILE PATH DIR; and __fish_complete_path $cur
            return
        end
    end
    if test $after_dashes = 0; and string match -q -- '-*' $cur
        printf '%s\n' $opts | __newsidx_options
        return
    end

    # Operands.
    switch "$program:$command:$sub"
        case newsq:alerts: newsq:rule:show newsq:rule:rm newsq:rule:test
            $exe rule list --names $db 2>/dev/null
        case 'newsidx::*' 'newsidx:index:*' 'newsidx:watch:*' 'newsidx:rm:*'
            __fish_complete_path $cur
    end
end

complete -c newsidx -f -a '(__newsidx_complete)'
complete -c newsq -f -a '(__newsidx_complete)'
