// Length-prefixed binary records for kiln's own caches (the manifest in
// kiln.db, the site snapshot in .kiln/): integers in host byte order, a
// string as u32 length + bytes. A reader never reads past its input and
// reports any shortfall as false, so a cut or damaged record is rejected
// rather than misread (each format also ends in a checksum).
#pragma once

#include <cassert>
#include <cstdint>
#include <cstring>
#include <exception>
#include <functional>
#include <string>
#include <string_view>

namespace kiln {

class ByteWriter {
 public:
  using Sink = std::function<void(std::string_view)>;

  // Holds every byte written, in bytes().
  ByteWriter() = default;
  // Hands what it holds to `sink` whenever that reaches `chunk` bytes, and
  // the rest at Flush(): a large record goes out as it is made instead of
  // whole at the end (the site snapshot of 100,000 posts is 69 MB, and a
  // string grown to that size held up to three times it at once).
  ByteWriter(Sink sink, size_t chunk) : sink_(std::move(sink)), chunk_(chunk) {
    out_.reserve(chunk + 64);
  }
  // With a sink, everything must have been handed over (Flush()), unless an
  // exception is leaving the writer half-way.
  ~ByteWriter() { assert(!sink_ || out_.empty() || std::uncaught_exceptions() > 0); }
  ByteWriter(const ByteWriter&) = delete;
  ByteWriter& operator=(const ByteWriter&) = delete;

  void U8(uint8_t v) {
    out_.push_back(static_cast<char>(v));
    MaybeFlush();
  }
  void U32(uint32_t v) { Raw(&v, 4); }
  void I64(int64_t v) { Raw(&v, 8); }
  void U64(uint64_t v) { Raw(&v, 8); }
  void Str(std::string_view s) {
    U32(static_cast<uint32_t>(s.size()));
    Raw(s.data(), s.size());
  }
  void Raw(const void* p, size_t n) {
    if (sink_ && n >= chunk_) {  // a large field goes straight through
      Flush();
      sink_(std::string_view(static_cast<const char*>(p), n));
      return;
    }
    out_.append(static_cast<const char*>(p), n);
    MaybeFlush();
  }
  // Everything written. Without a sink only: with one, what it holds is a
  // fragment, which Flush() hands over.
  std::string& bytes() { return out_; }
  // With a sink: hands over what is left. Without one: does nothing.
  void Flush() {
    if (!sink_) return;
    if (!out_.empty()) sink_(out_);
    out_.clear();
  }

 private:
  void MaybeFlush() {
    if (sink_ && out_.size() >= chunk_) Flush();
  }

  std::string out_;
  Sink sink_;
  size_t chunk_ = 0;
};

class ByteReader {
 public:
  explicit ByteReader(std::string_view in) : in_(in) {}
  bool U8(uint8_t* v) { return Raw(v, 1); }
  bool U32(uint32_t* v) { return Raw(v, 4); }
  bool I64(int64_t* v) { return Raw(v, 8); }
  bool U64(uint64_t* v) { return Raw(v, 8); }
  bool Str(std::string* s) {
    uint32_t n;
    if (!U32(&n) || n > in_.size() - pos_) return false;
    s->assign(in_.substr(pos_, n));
    pos_ += n;
    return true;
  }
  bool Raw(void* p, size_t n) {
    if (n > in_.size() - pos_) return false;
    std::memcpy(p, in_.data() + pos_, n);
    pos_ += n;
    return true;
  }
  // A count of records each at least `min_size` bytes: bounded by what is left.
  bool Count(uint32_t* n, size_t min_size) { return U32(n) && *n <= (in_.size() - pos_) / min_size; }
  bool AtEnd() const { return pos_ == in_.size(); }

 private:
  std::string_view in_;
  size_t pos_ = 0;
};

}  // namespace kiln
