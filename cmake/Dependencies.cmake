# Finds the Debian 12 packages newsidx builds against and fails early, with the package name,
# when one is missing. scripts/deps.sh installs them.
find_package(PkgConfig REQUIRED)
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3>=3.40)
pkg_check_modules(JANSSON REQUIRED IMPORTED_TARGET jansson>=2.13)
pkg_check_modules(YAJL REQUIRED IMPORTED_TARGET yajl>=2.1)
pkg_check_modules(XXHASH REQUIRED IMPORTED_TARGET libxxhash>=0.8)
# RSS and Atom feeds, and the HTML inside them: libxml2's XML reader and HTML parser.
pkg_check_modules(LIBXML2 REQUIRED IMPORTED_TARGET libxml-2.0>=2.9)
# newsq serve: HTTP by libmicrohttpd (Debian 12: 0.9.75).
pkg_check_modules(MICROHTTPD REQUIRED IMPORTED_TARGET libmicrohttpd>=0.9.71)
# Fetching URLs (newsidx URL..., --feeds): libcurl, OpenSSL flavour (libcurl4-openssl-dev);
# 7.85 for CURLOPT_PROTOCOLS_STR, 7.84 for curl_easy_header().
pkg_check_modules(LIBCURL REQUIRED IMPORTED_TARGET libcurl>=7.85)

# libstemmer-dev ships no pkg-config file.
find_path(STEMMER_INCLUDE_DIR libstemmer.h)
find_library(STEMMER_LIBRARY stemmer)
if(NOT STEMMER_INCLUDE_DIR OR NOT STEMMER_LIBRARY)
  message(FATAL_ERROR "libstemmer not found: install the Debian package libstemmer-dev")
endif()
add_library(stemmer::stemmer UNKNOWN IMPORTED)
set_target_properties(stemmer::stemmer PROPERTIES IMPORTED_LOCATION "${STEMMER_LIBRARY}"
                      INTERFACE_INCLUDE_DIRECTORIES "${STEMMER_INCLUDE_DIR}")

# SQLite must have FTS5 compiled in: check at configure time, not at the first query.
include(CheckCSourceRuns)
set(CMAKE_REQUIRED_INCLUDES ${SQLITE3_INCLUDE_DIRS})
set(CMAKE_REQUIRED_LIBRARIES ${SQLITE3_LINK_LIBRARIES})
check_c_source_runs([[
#include <sqlite3.h>
int main(void) {
  sqlite3 *db;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) return 1;
  int rc = sqlite3_exec(db, "CREATE VIRTUAL TABLE t USING fts5(x)", 0, 0, 0);
  sqlite3_close(db);
  return rc == SQLITE_OK ? 0 : 1;
}]] NEWSIDX_SQLITE_HAS_FTS5)
unset(CMAKE_REQUIRED_INCLUDES)
unset(CMAKE_REQUIRED_LIBRARIES)
if(NOT NEWSIDX_SQLITE_HAS_FTS5)
  message(FATAL_ERROR "The SQLite library found (${SQLITE3_LINK_LIBRARIES}) lacks FTS5; "
                      "newsidx needs Debian 12's libsqlite3-dev, which has it.")
endif()

find_package(Threads REQUIRED)
