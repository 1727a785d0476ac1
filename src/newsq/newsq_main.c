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
**   newsq serve [options]                 web pages and a JSON API (cmd_serve.c, web/)
**
** A query that starts with a command's name is searched with `newsq search …` or
** `newsq -- …`. The global options (--db, --timeout, --format-version) may come before the
** command (`newsq --db news.db alerts`).
*/
#include "newsq.h"

#include <stdio.h>

const cli_command newsq_commands[] = {
    {"search", cmd_search, "search and print the best matches (the default command)"},
    {"timeline", cmd_timeline, "count matches per day, week, month or year, as a bar chart"},
    {"facets", cmd_facets, "count matches by source, tag and year"},
    {"alerts", cmd_alerts, "what the alert rules found since they last ran (then mark it read)"},
    {"rule", cmd_rule, "add, list, show, remove or test alert rules"},
    {"terms", cmd_terms, "new terms, and terms whose use surged (trending)"},
    {"show", cmd_show, "print whole articles, named by key or id"},
    {"serve", cmd_serve, "serve the index as local web pages and a JSON API (read-only)"},
    {NULL, NULL, NULL},
};

void newsq_print_commands(FILE *out) {
  fprintf(out, "Commands:\n");
  for (const cli_command *c = newsq_commands; c->name; c++)
    fprintf(out, "  %-10s %s\n", c->name, c->summary);
  fprintf(out, "--db, --timeout and --format-version may also come before COMMAND.\n");
}

/* The options every command takes, which may also come before its name (README, "Searching"). */
static const cli_option globals[] = {
    NEWSQ_DB_OPTION,
    NEWSQ_TIMEOUT_OPTION,
    CLI_FORMAT_VERSION_OPTION(0),
    {NULL, 0, 0, NULL, NULL},
};

int main(int argc, char **argv) {
  cli_setup_sqlite();
  if (cli_complete_commands(argc, argv, newsq_commands)) return CLI_EXIT_OK;
  newsq_signals();
  return cli_main(CLI_NEWSQ, argc, argv, newsq_commands, globals, cmd_search);
}
