/*
** newsq_main.c — the newsq command: dispatches to a subcommand; searching is the default.
**
**   newsq [search] [options] QUERY...     the best matches (cmd_search.c)
**   newsq timeline [options] [QUERY...]   matches per day, week, month or year
**   newsq facets [options] [QUERY...]     matches by source, tag and year
**
** A query that starts with a command's name is searched with `newsq search …` or
** `newsq -- …`.
*/
#include "newsq.h"

#include <stdio.h>

static const cli_command commands[] = {
    {"search", cmd_search, "search and print the best matches (the default command)"},
    {"timeline", cmd_timeline, "count matches per day, week, month or year, as a bar chart"},
    {"facets", cmd_facets, "count matches by source, tag and year"},
    {NULL, NULL, NULL},
};

void newsq_print_commands(FILE *out) {
  fprintf(out, "Commands:\n");
  for (const cli_command *c = commands; c->name; c++)
    fprintf(out, "  %-10s %s\n", c->name, c->summary);
}

int main(int argc, char **argv) {
  newsq_signals();
  if (argc > 1) {
    const cli_command *command = cli_find_command(commands, argv[1]);
    if (command) return command->run(argc - 1, argv + 1);
  }
  return cmd_search(argc, argv);
}
