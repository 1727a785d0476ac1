# Man pages (included by cmake/Install.cmake; tests/e2e/install.sh includes it alone, with a
# placeholder page, to check the rule while no page is built).
#
# NEWSIDX_MAN_PAGES lists generated pages by full path (such as
# ${CMAKE_BINARY_DIR}/docs/man/newsq.1); each goes to man<section>/ after its file name's
# suffix. The pages need only exist when installing. Their own component, so that
# `cmake --install BUILD --component man` installs them without the programs being built.
foreach(page IN LISTS NEWSIDX_MAN_PAGES)
  get_filename_component(_name "${page}" NAME)
  if(NOT _name MATCHES "\\.([1-9])[a-z]*$")
    message(FATAL_ERROR "NEWSIDX_MAN_PAGES: ${page} has no section suffix such as .1")
  endif()
  install(FILES "${page}" DESTINATION ${CMAKE_INSTALL_MANDIR}/man${CMAKE_MATCH_1} COMPONENT man)
endforeach()
