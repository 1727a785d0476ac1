/*
** newsq_main.c — the newsq command: dispatches to a subcommand; searching is the default.
**
**   newsq [search] [options] QUERY...     the best matches (cmd_search.c)
**   newsq timeline [options] [QUERY...]   matches per day, week, month or year
**   newsq facets [options] [QUERY...]     matches by source, tag and year
**   newsq alerts [options] [NAME...]      what alert rules found since they last ran
**   newsq rule add|list|show|rm|test …    the alert rules
**   newsq terms new|trending [options]    new and surging terms
**   newsq show [options] ID|KEY...        whole articles
**
** A query that starts with a command's name is searched with `newsq search …` or
** `newsq -- …`. The index may be named before the command (`newsq --db news.db alerts`).
*/
#include "newsq.h"

#include <stdio.h>
#include <string.h>

static const cli_command commands[] = {
    {"search", cmd_search, "search and print the best matches (the default command)"},
    {"timeline", cmd_timeline, "count matches per day, week, month or year, as a bar chart"},
    {"facets", cmd_facets, "count matches by source, tag and year"},
    {"alerts", cmd_alerts, "what the alert rules found since they last ran (then mark it read)"},
    {"rule", cmd_rule, "add, list, show, remove or test alert rules"},
    {"terms", cmd_terms, "new terms, and terms whose use surged (trending)"},
    {"show", cmd_show, "print whole articles, named by key or id"},
    {NULL, NULL, NULL},
};

void newsq_print_commands(FILE *out) {
  fprintf(out, "Commands:\n");
  for (const cli_command *c = commands; c->name; c++)
    fprintf(out, "  %-10s %s\n", c->name, c->summary);
}

/* How many arguments from argv[1] on choose the index (--db FILE, -d FILE, --db=FILE, at most
** the first three), so that `newsq --db news.db alerts` finds its command as
** `newsq alerts --db news.db` does. */
static int n_db_arguments(int argc, char **argv) {
  int i = 1;
  while (i < argc && i < 4) {
    if (strncmp(argv[i], "--db=", 5) == 0)
      i++;
    else if ((strcmp(argv[i], "--db") == 0 || strcmp(argv[i], "-d") == 0) && i + 1 < argc)
      i += 2;
    else
      break;
  }
  return i - 1;
}

int main(int argc, char **argv) {
  cli_setup_sqlite();
  newsq_signals();
  int skip = n_db_arguments(argc, argv);
  if (argc > 1 + skip) {
    const cli_command *command = cli_find_command(commands, argv[1 + skip]);
    if (command) {
      /* the command's name (and its subcommand's) first: the database options go after the
      ** others, before a "--" that ends them */
      char *db_args[4];
      memcpy(db_args, argv + 1, (size_t)skip * sizeof *argv);
      int end = 1 + skip;
      while (end < argc && strcmp(argv[end], "--") != 0)
        end++;
      memmove(argv + 1, argv + 1 + skip, (size_t)(end - 1 - skip) * sizeof *argv);
      memcpy(argv + end - skip, db_args, (size_t)skip * sizeof *argv);
      return command->run(argc - 1, argv + 1);
    }
  }
  return cmd_search(argc, argv);
}
