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

static const cli_command commands[] = {
    {"index", cmd_index, "index files, folders and JSON Lines (the default command)"},
    {"watch", cmd_watch, "index files under folders as they appear or change (inotify)"},
    {"stats", cmd_stats, "what the index holds: articles, dates, sources, terms, size"},
    {"check", cmd_check, "check the index: SQLite, full-text index, duplicates"},
    {"optimize", cmd_optimize, "merge the full-text index after large runs"},
    {"rebuild", cmd_rebuild, "make the full-text index again with this newsidx's tokenizer"},
    {"rm", cmd_rm, "remove articles by id, key, file or folder"},
    {"feeds", cmd_feeds, "the fetched URLs: last fetch, HTTP status, ETag, items, error"},
    {NULL, NULL, NULL},
};

void newsidx_print_commands(FILE *out) {
  fprintf(out, "Commands:\n");
  for (const cli_command *c = commands; c->name; c++)
    fprintf(out, "  %-10s %s\n", c->name, c->summary);
  fprintf(out, "'newsidx COMMAND --help' describes each. --db, --busy-timeout, --format-version,\n"
               "--quiet and --verbose may also come before COMMAND. To index a folder named like\n"
               "a command, write 'newsidx index stats' or 'newsidx ./stats'.\n");
}

/* The options every command takes, which may also come before its name (README,
** "Maintenance"); --quiet and --verbose only index and watch take, but before another command
** they are refused by it rather than making its name a path to index. */
static const cli_option globals[] = {
    {"db", 'd', 0, "FILE", ""},  {"busy-timeout", 0, 0, "MS", ""}, CLI_FORMAT_VERSION_OPTION(0),
    {"quiet", 'q', 0, NULL, ""}, {"verbose", 'v', 0, NULL, ""},    {NULL, 0, 0, NULL, NULL},
};

int main(int argc, char **argv) {
  cli_setup_sqlite();
  if (cli_complete_commands(argc, argv, commands)) return CLI_EXIT_OK;
  return cli_main(CLI_NEWSIDX, argc, argv, commands, globals, cmd_index);
}
