/*
** reader_text.c — seed-format and plain text articles.
**
** The seed format is a text file that starts with " date YYYY-MM-DD " and continues, on the
** same line, with the article; paragraphs are separated by blank lines. A plain text file is
** the same without the header. Many corpora put the headline alone on the first line, so a
** first paragraph that is a single short line is the title when it has no closing punctuation
** or is written as a headline (see written_as_headline()).
*/
#include "reader.h"

#include <ctype.h>
#include <string.h>

static char *skip_space(char *s) {
  while (*s && isspace((unsigned char)*s))
    s++;
  return s;
}

/* Non-zero when s starts with the shape NNNN-NN-NN followed by white space or the end. */
static int looks_like_date(const char *s) {
  static const char shape[] = "NNNN-NN-NN";
  for (int i = 0; i < 10; i++) {
    if (shape[i] == 'N' ? !isdigit((unsigned char)s[i]) : s[i] != '-') return 0;
  }
  return s[10] == '\0' || isspace((unsigned char)s[10]);
}

/* Does the line [s, end) end a sentence? Trailing quotes and brackets are looked through:
** `He said "no."` ends one, `Ecuador Votes` does not. */
static int ends_with_closing_punctuation(const char *s, const char *end) {
  while (end > s) {
    unsigned char c = (unsigned char)end[-1];
    if (c == '"' || c == '\'' || c == ')' || c == ']' || c == ' ') {
      end--;
      continue;
    }
    /* ” ’ » are 3 or 2 bytes ending in these */
    if (end - s >= 3 && (unsigned char)end[-3] == 0xE2 && (unsigned char)end[-2] == 0x80 &&
        (c == 0x9D || c == 0x99)) {
      end -= 3;
      continue;
    }
    break;
  }
  if (end == s) return 0;
  unsigned char c = (unsigned char)end[-1];
  if (strchr(".!?:;,", c)) return 1;
  return end - s >= 3 && (unsigned char)end[-3] == 0xE2 && (unsigned char)end[-2] == 0x80 &&
         c == 0xA6; /* … */
}

/* Is the line [s, end) written as a headline, in Title Case or capitals? Headlines that end
** in an abbreviation ("Trade Deal With U.S."), a date ("Year To Jan 3.") or a question
** ("Will Recession Follow?") have closing punctuation, but a sentence of running text has
** lower-case words where a headline has none: every word of four letters or more starts with
** a capital (AP style capitalizes those; function words such as "of" may stay lower case),
** and at least two words start with one. Only ASCII case is judged; other letters count as
** neither. */
static int written_as_headline(const char *s, const char *end) {
  int n_capitalized = 0;
  const char *p = s;
  while (p < end) {
    while (p < end && *p == ' ')
      p++;
    while (p < end && *p != ' ' && !isalnum((unsigned char)*p) && (unsigned char)*p < 0x80)
      p++; /* opening quotes, brackets: "<Range Rover>" */
    const char *word = p;
    int n_letters = 0;
    for (; p < end && *p != ' '; p++)
      n_letters += isalpha((unsigned char)*p) || (unsigned char)*p >= 0x80;
    if (word == p) continue;
    if (islower((unsigned char)*word) && n_letters >= 4) return 0;
    n_capitalized += isupper((unsigned char)*word) != 0;
  }
  return n_capitalized >= 2;
}

/* Finds the end of the first paragraph of s: the start of the first blank line, or the end
** of the text. */
static char *paragraph_end(char *s) {
  for (char *p = s; *p; p++) {
    if (*p != '\n') continue;
    char *q = p + 1;
    while (*q == ' ' || *q == '\t')
      q++;
    if (*q == '\n' || *q == '\0') return p;
  }
  return s + strlen(s);
}

newsidx_status_t text_parse(char *text, text_article *out, const char **warning,
                            newsidx_error *err) {
  memset(out, 0, sizeof *out);
  if (warning) *warning = NULL;
  char *s = skip_space(text);

  if (strncmp(s, "date", 4) == 0 && isspace((unsigned char)s[4])) {
    char *value = skip_space(s + 4);
    if (looks_like_date(value)) {
      char saved = value[10];
      value[10] = '\0';
      if (newsidx_date_normalize(value, out->date, NULL) == NEWSIDX_OK)
        out->article.date = out->date;
      else if (warning)
        *warning = "impossible date in the header; indexed without a date";
      value[10] = saved;
      s = skip_space(value + 10);
    }
  }
  if (*s == '\0') { /* an empty article: the caller skips it */
    out->article.body = s;
    return NEWSIDX_OK;
  }

  char *first_end = paragraph_end(s);
  int one_line = memchr(s, '\n', (size_t)(first_end - s)) == NULL;
  char *rest = skip_space(first_end);
  if (one_line && first_end - s <= TEXT_TITLE_MAX && *rest &&
      (!ends_with_closing_punctuation(s, first_end) || written_as_headline(s, first_end))) {
    *first_end = '\0';
    out->article.title = s;
    s = rest;
  }
  out->article.body = s;
  return NEWSIDX_OK;
}
