// toml++'s implementation, compiled once here instead of linked from
// Debian's libtomlplusplus.so: one shared library fewer for every kiln
// process to map and relocate at start (cmake/KilnLibraries.cmake says why
// that counts). Every other file includes <toml++/toml.h> with
// TOML_HEADER_ONLY=0 (set by CMake) and sees the declarations only.
#define TOML_IMPLEMENTATION
#include <toml++/toml.h>
