// Template fields made only when a template reads them.
//
// A post's comment lists are by far the largest data a page hands to its
// template: two lists of the same comments (`comments` and
// `comment_threads`, render/comment_data.h), some two kilobytes of
// Mustache objects a comment each, while a theme shows one of them (the
// default theme shows only the threads). For a post with 40,000 comments
// that was 77 MB of objects, half of them never read (massif), and every
// comment posted to `kiln serve` built and freed both lists of its post.
//
// The page's data holds an empty list where such a field belongs, with the
// field's dependency keys as any field has them (render/page_data.h); the
// field is bound to a maker here, and TemplateSet's context replaces the
// placeholder with the made value the first time a template resolves the
// name. A field never read is never made; a field read twice is made once.
// A placeholder rendered without its LazyFields renders as an empty list.
#pragma once

#include <functional>
#include <kainjow/mustache.hpp>
#include <memory>
#include <vector>

namespace kiln {

class LazyFields {
 public:
  using Data = kainjow::mustache::data;
  using Maker = std::function<Data()>;

  // What to put in the page's data where a lazy field belongs.
  static Data Placeholder() { return Data(Data::type::list); }

  // `placeholder` is where Placeholder() ended up in the page's data, which
  // must not move or change until the render is done (kainjow keeps an
  // object's fields in nodes that stay where they are). A null placeholder
  // (a field the data does not have) binds nothing.
  void Bind(const Data* placeholder, Maker make);

  // `value` itself, unless it is a bound placeholder: then the value made
  // for it, made now on its first read.
  const Data* Resolve(const Data* value) const {
    for (size_t i = 0; i < fields_.size(); ++i) {
      if (fields_[i].placeholder == value) return MakeOnce(i);
    }
    return value;
  }

 private:
  struct Field {
    const Data* placeholder;
    Maker make;
    std::unique_ptr<Data> made;
  };
  const Data* MakeOnce(size_t i) const;

  // Made on first read, by a const render: the cache is not part of the
  // fields' meaning.
  mutable std::vector<Field> fields_;
};

}  // namespace kiln
