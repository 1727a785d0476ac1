/*
** commands.h — the subcommands of newsidx, one file each (internal to indexer/).
** Each takes argv with argv[0] naming the command and returns the process exit code.
*/
#ifndef NEWSIDX_COMMANDS_H
#define NEWSIDX_COMMANDS_H

#include <stdio.h>

int cmd_index(int argc, char **argv);

/* Lists the commands, for --help. */
void newsidx_print_commands(FILE *out);

#endif
