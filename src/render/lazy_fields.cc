#include "render/lazy_fields.h"

namespace kiln {

void LazyFields::Bind(const Data* placeholder, Maker make) {
  if (placeholder) fields_.push_back({placeholder, std::move(make), nullptr});
}

const LazyFields::Data* LazyFields::MakeOnce(size_t i) const {
  Field& field = fields_[i];
  if (!field.made) field.made = std::make_unique<Data>(field.make());
  return field.made.get();
}

}  // namespace kiln
