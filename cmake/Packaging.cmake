# CPack: `cpack -G DEB` in a build folder makes newsidx_VERSION_ARCH.deb for Debian 12 from the
# install rules (cmake/Install.cmake), under /usr. Build it from a Release build: the package
# holds whatever the build made (a sanitizer build's programs would need libasan8).
set(CPACK_PACKAGE_NAME newsidx)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "full-text search indexer and query tool for news corpora")
string(CONCAT CPACK_PACKAGE_DESCRIPTION # one string: a list would put ';' into the control file
    "newsidx indexes news articles (folders of text files, JSON Lines) into one SQLite file,\n"
    "stemmed with Snowball and indexed with FTS5; newsq searches them with BM25 ranking and\n"
    "snippets, as text, JSON Lines or CSV, and runs alert rules. Includes the tokenizer as a\n"
    "loadable SQLite extension (/usr/lib/newsidx/libnewsidxfts.so) and shell completions.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(NEWSIDX_MAINTAINER "newsidx maintainers <newsidx@example.invalid>"
    CACHE STRING "Maintainer field of the Debian package")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${NEWSIDX_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SUGGESTS sqlite3)

# Dependencies: dpkg-shlibdeps reads them off the linked libraries, with versions; without it,
# the Debian 12 runtime packages of the libraries in cmake/Dependencies.cmake.
find_program(NEWSIDX_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(NEWSIDX_DPKG_SHLIBDEPS)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
else()
  set(CPACK_DEBIAN_PACKAGE_DEPENDS
      "libc6, libsqlite3-0, libstemmer0d, libjansson4, libyajl2, libxxhash0, libxml2, libcurl4, libmicrohttpd12")
endif()

include(CPack)
