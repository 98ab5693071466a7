#include "import/xml_library.h"

#include "util/shared_library.h"

namespace kiln {
namespace {

using LoadedXml = LoadedLibrary<XmlLibrary>;

LoadedXml LoadXml() {
  LoadedXml loaded;
  void* handle = OpenSharedLibrary("libxml2.so.2", "libxml2", &loaded.error);
  if (!handle) return loaded;
#define KILN_XML_LOOKUP(member, symbol) \
  FindFunction(handle, "libxml2.so.2", #symbol, &loaded.library.member, &loaded.error);
  KILN_XML_FUNCTIONS(KILN_XML_LOOKUP)
#undef KILN_XML_LOOKUP
  FindFunction(handle, "libxml2.so.2", "xmlFree", &loaded.library.free_function, &loaded.error);
  if (loaded.error.empty()) loaded.library.init_parser();
  return loaded;
}

}  // namespace

const XmlLibrary* Xml(std::string* error) { return LoadOnce(&LoadXml, error); }

}  // namespace kiln
