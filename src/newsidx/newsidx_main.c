/*
** newsidx_main.c — the newsidx command: dispatches to a subcommand; indexing is the default.
**
**   newsidx [--db FILE] [options] PATH...      index files, folders, JSON Lines, "-" (stdin)
**   newsidx watch [options] DIR...             index what appears under folders, as it appears
**   newsidx COMMAND [options]                  see the table below
*/
#include "cli.h"
#include "commands.h"

#include <stdio.h>
#include <string.h>

static const cli_command commands[] = {
    {"index", cmd_index, "index files, folders and JSON Lines (the default command)"},
    {"watch", cmd_watch, "index files under folders as they appear or change (inotify)"},
    {"stats", cmd_stats, "what the index holds: articles, dates, sources, terms, size"},
    {"check", cmd_check, "check the index: SQLite, full-text index, duplicates"},
    {"optimize", cmd_optimize, "merge the full-text index after large runs"},
    {"rm", cmd_rm, "remove articles by id, key, file or folder"},
    {NULL, NULL, NULL},
};

void newsidx_print_commands(FILE *out) {
  fprintf(out, "Commands:\n");
  for (const cli_command *c = commands; c->name; c++)
    fprintf(out, "  %-10s %s\n", c->name, c->summary);
  fprintf(out, "'newsidx COMMAND --help' describes each. To index a folder named like a command,\n"
               "write 'newsidx index stats' or 'newsidx ./stats'.\n");
}

int main(int argc, char **argv) {
  cli_setup_sqlite();
  if (cli_complete_commands(argc, argv, commands)) return CLI_EXIT_OK;
  if (argc > 1) {
    const cli_command *command = cli_find_command(commands, argv[1]);
    if (command) return command->run(argc - 1, argv + 1);
  }
  return cmd_index(argc, argv);
}
