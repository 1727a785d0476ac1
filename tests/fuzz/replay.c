/*
** replay.c — runs a fuzz target without libFuzzer: every file named on the command line, and
** every file in every folder named (not recursively; names starting with '.' are skipped),
** goes once through LLVMFuzzerTestOneInput. ctest uses it to replay the seed corpora and the
** regressions of tests/fuzz in the normal (gcc, sanitizer) build.
**
** Exit status: 0 when at least one input ran; 2 when none was found or a file could not be
** read. A failing invariant or a sanitizer report aborts the process before that.
*/
#include "fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* libFuzzer calls LLVMFuzzerInitialize only when a target defines it. */
__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Reads the file at `path` and runs it. Returns 0, or -1 when it cannot be read. */
static int replay_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
    return -1;
  }
  char *data = NULL;
  size_t size = 0, cap = 0;
  for (;;) {
    if (size == cap) {
      cap = cap ? cap * 2 : 65536;
      char *grown = realloc(data, cap);
      if (!grown) break;
      data = grown;
    }
    size_t got = fread(data + size, 1, cap - size, f);
    size += got;
    if (got == 0) break;
  }
  int failed = ferror(f) || size == cap;
  fclose(f);
  if (failed) {
    fprintf(stderr, "replay: %s: could not read it\n", path);
    free(data);
    return -1;
  }
  LLVMFuzzerTestOneInput((const uint8_t *)data, size);
  free(data);
  return 0;
}

/* Runs every file of folder `dir`; adds to *n_run. Returns 0, or -1 on a read error. */
static int replay_dir(const char *dir, int *n_run) {
  struct dirent **entries;
  int n = scandir(dir, &entries, NULL, alphasort);
  if (n < 0) {
    fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
    return -1;
  }
  int rc = 0;
  for (int i = 0; i < n; i++) {
    char path[4096];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, entries[i]->d_name);
    if (entries[i]->d_name[0] != '.' && stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
      if (replay_file(path) == 0)
        (*n_run)++;
      else
        rc = -1;
    }
    free(entries[i]);
  }
  free(entries);
  return rc;
}

int main(int argc, char **argv) {
  if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
  int n_run = 0, failed = 0;
  for (int i = 1; i < argc; i++) {
    struct stat st;
    if (stat(argv[i], &st) != 0) {
      fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
      failed = 1;
    } else if (S_ISDIR(st.st_mode)) {
      failed |= replay_dir(argv[i], &n_run) != 0;
    } else {
      if (replay_file(argv[i]) == 0)
        n_run++;
      else
        failed = 1;
    }
  }
  printf("replayed %d inputs\n", n_run);
  if (n_run == 0) fprintf(stderr, "replay: no inputs found\n");
  return failed || n_run == 0 ? 2 : 0;
}
