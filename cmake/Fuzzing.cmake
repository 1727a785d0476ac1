# With NEWSIDX_FUZZ=ON: checks that the compiler is clang and can link a libFuzzer target, and
# fails with what to do otherwise. On Debian 12 libFuzzer comes with libclang-rt-14-dev
# (pulled in by libclang-rt-dev), which scripts/deps.sh installs with clang.
if(NOT CMAKE_C_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "NEWSIDX_FUZZ=ON needs clang for libFuzzer, not ${CMAKE_C_COMPILER_ID}: "
                      "configure a separate build folder with CC=clang (scripts/fuzz.sh does).")
endif()
include(CheckCSourceCompiles)
set(CMAKE_REQUIRED_FLAGS "-fsanitize=fuzzer,address,undefined")
check_c_source_compiles([[
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { return 0; }
]] NEWSIDX_CLANG_HAS_LIBFUZZER)
unset(CMAKE_REQUIRED_FLAGS)
if(NOT NEWSIDX_CLANG_HAS_LIBFUZZER)
  message(FATAL_ERROR "clang cannot link with -fsanitize=fuzzer: install the Debian package "
                      "libclang-rt-dev (libFuzzer is in libclang-rt-14-dev).")
endif()
