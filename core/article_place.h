/*
** article_place.h — where an article's row is (schema.c, version 13), and finding it by key.
**
** A file of its own (a text file, whose path is its key) is named by its folder, a row of
** `files` whose path ends with '/', and its name in that folder (articles.folder_id, key). A
** record of a file that holds several (JSON Lines) is stored under its key, with its file in
** `files` (file_id); an article without a file under its key alone. The writer keeps one key
** from naming both a file of its own and another article: a record whose id is a file's path
** takes the file's article over (and a file, back), as when both were stored under the key.
*/
#ifndef NEWSIDX_ARTICLE_PLACE_H
#define NEWSIDX_ARTICLE_PLACE_H

#include "db_internal.h"

typedef struct article_place {
  int own_file;               /* a file of its own, named by folder_id and key */
  int64_t folder_id, file_id; /* rows of `files`; 0: none */
  const char *key;            /* articles.key: the name in the folder, or the whole key */
} article_place;

/* What the row of an article holds. id 0: there is none. */
typedef struct found_article {
  int64_t id, content_hash, file_size, file_mtime;
  int is_duplicate;
} found_article;

/* The bytes of `path` up to and including its last '/': its folder (0: none). */
size_t article_folder_length(const char *path);

/* Works out a's place, naming its folder or its file in `files` when new (inside the caller's
** transaction). place->key points into a->key. */
newsidx_status_t article_place_of(newsidx_db *db, const newsidx_article *a, article_place *place,
                                  newsidx_error *err);

/* Notes that an article was written at `place` (after the write: a look-up in between may have
** read that no article is keyed by a path). */
void article_placed(newsidx_db *db, const article_place *place);

/* Forgets the files and folders looked up so far (their rows may be gone: inputs.c). */
void article_place_forget_files(newsidx_db *db);

/* Finds the article whose key is `key`, however its row says it: a file of its own whose path
** is `key`, or another article stored under it. `own_file_first` says which to look for first
** (the one the key most likely is); the other is looked for only when that is not found. */
newsidx_status_t article_find(newsidx_db *db, const char *key, int own_file_first,
                              found_article *found, newsidx_error *err);

#endif
