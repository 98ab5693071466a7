# The libraries kiln_core links, as one INTERFACE target: kiln_libraries.
#
# KILN_STATIC_LIBS (on by default) links them from the static archives that
# Debian's -dev packages ship beside the shared objects. Every kiln command
# is a short process, and mapping and relocating 18 shared libraries cost
# 4.6 ms of a 4,000-post no-op build's 23 ms: an empty main() linked
# against the same libraries takes 4.7 ms to run, against 0.6 ms alone
# (perf stat; docs/benchmarks.md, "start-up"). Two stay shared: date-tz,
# of which Debian ships no archive, and therefore libstdc++ (a process must
# have one C++ runtime, and date-tz links the shared one).
#
# toml++ is compiled into kiln (src/load/toml_library.cc) instead of linked
# from libtomlplusplus.so, for the same reason, in every configuration.
#
# Sanitizer builds keep the shared libraries, as they keep glibc's malloc.
option(KILN_STATIC_LIBS "Link kiln's libraries from their static archives" ON)

add_library(kiln_libraries INTERFACE)
target_compile_definitions(kiln_libraries INTERFACE TOML_HEADER_ONLY=0)

set(KILN_SANITIZER_BUILD OFF)
if(CMAKE_BUILD_TYPE MATCHES "Asan|Ubsan|Tsan|AsanUbsan")
  set(KILN_SANITIZER_BUILD ON)
endif()

set(KILN_STATIC_LIBS_LINKED OFF)  # tests/util/lazy_libraries_test.cc checks which
if(KILN_STATIC_LIBS AND NOT KILN_SANITIZER_BUILD)
  set(KILN_STATIC_LIBS_LINKED ON)
  # In link order: each archive before the ones it calls.
  foreach(name SQLiteCpp sqlite3 yaml-cpp source-highlight boost_regex
               cmark-gfm-extensions cmark-gfm xxhash)
    find_library(KILN_ARCHIVE_${name} NAMES lib${name}.a)
    if(NOT KILN_ARCHIVE_${name})
      message(FATAL_ERROR "lib${name}.a not found: scripts/install-deps.sh installs "
                          "it, or configure with -DKILN_STATIC_LIBS=OFF")
    endif()
    target_link_libraries(kiln_libraries INTERFACE ${KILN_ARCHIVE_${name}})
  endforeach()
  get_target_property(KILN_SQLITECPP_INCLUDES SQLiteCpp INTERFACE_INCLUDE_DIRECTORIES)
  target_include_directories(kiln_libraries INTERFACE ${KILN_SQLITECPP_INCLUDES}
    ${CMARK_INCLUDE_DIRS} ${XXHASH_INCLUDE_DIRS} ${SRCHILITE_INCLUDE_DIRS})
  target_link_libraries(kiln_libraries INTERFACE date::date-tz Threads::Threads ${CMAKE_DL_LIBS} m)
  # jemalloc for the binary only (CMakeLists.txt says why); its archive
  # built as position-independent code, as a PIE executable needs. (Cache
  # variables of their own: find_library keeps the first answer.)
  find_library(KILN_JEMALLOC_ARCHIVE NAMES libjemalloc_pic.a)
  set(KILN_JEMALLOC ${KILN_JEMALLOC_ARCHIVE})
else()
  target_link_libraries(kiln_libraries INTERFACE SQLiteCpp SQLite::SQLite3 yaml-cpp
    PkgConfig::CMARK PkgConfig::XXHASH PkgConfig::SRCHILITE cmark-gfm-extensions
    date::date-tz Threads::Threads ${CMAKE_DL_LIBS})
  find_library(KILN_JEMALLOC_SHARED NAMES jemalloc)
  set(KILN_JEMALLOC ${KILN_JEMALLOC_SHARED})
endif()
