# Install rules: `cmake --install BUILD --prefix /usr/local` (or DESTDIR=... for staging) puts
#   bin/newsidx, bin/newsq                                 the programs
#   lib/newsidx/libnewsidxfts.so                           the tokenizer extension, for sqlite3's
#                                                          .load (LIBDIR as GNUInstallDirs sets it)
#   share/bash-completion/completions/{newsidx,newsq}     bash completions (one file, twice)
#   share/zsh/vendor-completions/{_newsidx,_newsq}        zsh
#   share/fish/vendor_completions.d/{newsidx,newsq}.fish  fish
#   share/man/manN/*                                       the pages in NEWSIDX_MAN_PAGES, if any
# Included last from the top CMakeLists.txt, once every target and NEWSIDX_MAN_PAGES are known.
include(GNUInstallDirs)

install(TARGETS newsidx newsq RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# A folder of its own: the extension is not a library to link against, and sqlite3 users load it
# by path (README, "Installing").
set(NEWSIDX_EXTENSION_INSTALL_DIR ${CMAKE_INSTALL_LIBDIR}/newsidx)
install(TARGETS newsidxfts LIBRARY DESTINATION ${NEWSIDX_EXTENSION_INSTALL_DIR})

# Each completion file serves both programs; the shells look them up by the command's name.
set(_completions ${PROJECT_SOURCE_DIR}/completions)
foreach(program newsidx newsq)
  install(FILES ${_completions}/newsidx.bash RENAME ${program}
          DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
  install(FILES ${_completions}/_newsidx RENAME _${program}
          DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
  install(FILES ${_completions}/newsidx.fish RENAME ${program}.fish
          DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)
endforeach()

include(${CMAKE_CURRENT_LIST_DIR}/InstallMan.cmake)
