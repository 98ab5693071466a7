#include "prometheus_text.h"

#include <cstdlib>
#include <regex>
#include <sstream>
#include <vector>

namespace kiln::test {
namespace {

const std::regex kName("[a-zA-Z_:][a-zA-Z0-9_:]*");
const std::regex kType("# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)");
const std::regex kHelp("# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .*");

// Reads `name="value",…` from `labels`; false on bad syntax.
bool ParseLabels(const std::string& labels, std::map<std::string, std::string>* out) {
  size_t i = 0;
  while (i < labels.size()) {
    size_t eq = labels.find('=', i);
    if (eq == std::string::npos) return false;
    std::string name = labels.substr(i, eq - i);
    if (!std::regex_match(name, kName) || name.find(':') != std::string::npos) return false;
    if (eq + 1 >= labels.size() || labels[eq + 1] != '"') return false;
    std::string value;
    size_t j = eq + 2;
    for (; j < labels.size() && labels[j] != '"'; ++j) {
      if (labels[j] == '\n') return false;
      if (labels[j] == '\\') {
        if (++j >= labels.size()) return false;
        if (labels[j] == 'n') value += '\n';
        else if (labels[j] == '\\' || labels[j] == '"') value += labels[j];
        else return false;
      } else {
        value += labels[j];
      }
    }
    if (j >= labels.size()) return false;  // no closing quote
    (*out)[name] = value;
    i = j + 1;
    if (i < labels.size()) {
      if (labels[i] != ',') return false;
      ++i;
    }
  }
  return true;
}

bool ParseValue(const std::string& text, double* value) {
  if (text == "+Inf" || text == "-Inf" || text == "NaN") {
    *value = text == "-Inf" ? -1e308 : 1e308;
    return true;
  }
  char* end = nullptr;
  *value = std::strtod(text.c_str(), &end);
  return !text.empty() && end == text.c_str() + text.size();
}

std::string FamilyOf(const std::string& name, const std::map<std::string, std::string>& types) {
  if (types.count(name)) return name;
  for (const char* suffix : {"_bucket", "_sum", "_count"}) {
    std::string s = suffix;
    if (name.size() > s.size() && name.ends_with(s)) {
      std::string base = name.substr(0, name.size() - s.size());
      auto it = types.find(base);
      if (it != types.end() && it->second == "histogram") return base;
    }
  }
  return "";
}

}  // namespace

std::string UnescapeLabelValue(const std::string& escaped) {
  std::map<std::string, std::string> labels;
  ParseLabels("x=\"" + escaped + "\"", &labels);
  return labels["x"];
}

PrometheusText ParsePrometheusText(const std::string& text) {
  PrometheusText out;
  if (!text.empty() && text.back() != '\n') out.error = "the text does not end in a newline";
  std::map<std::string, bool> seen_samples;                       // family -> has samples
  std::map<std::string, std::vector<double>> buckets;             // histogram -> cumulative values
  std::istringstream in(text);
  std::string line;
  int number = 0;
  auto fail = [&](const std::string& why) {
    if (out.error.empty()) out.error = "line " + std::to_string(number) + ": " + why + ": " + line;
  };
  while (std::getline(in, line)) {
    ++number;
    std::smatch m;
    if (line.empty()) continue;
    if (line[0] == '#') {
      if (std::regex_match(line, m, kType)) {
        if (out.types.count(m[1])) fail("typed twice");
        if (seen_samples[m[1]]) fail("typed after its samples");
        out.types[m[1]] = m[2];
      } else if (!std::regex_match(line, kHelp)) {
        fail("a comment that is neither HELP nor TYPE");
      }
      continue;
    }
    size_t brace = line.find('{');
    size_t space = brace == std::string::npos ? line.find(' ') : line.rfind("} ");
    if (space == std::string::npos) {
      fail("no value");
      continue;
    }
    std::string name = line.substr(0, brace == std::string::npos ? space : brace);
    std::string labels = brace == std::string::npos ? "" : line.substr(brace + 1, space - brace - 1);
    std::string value_text = line.substr(brace == std::string::npos ? space + 1 : space + 2);
    std::map<std::string, std::string> parsed;
    double value = 0;
    if (!std::regex_match(name, kName)) fail("bad metric name");
    if (!ParseLabels(labels, &parsed)) fail("bad labels");
    if (!ParseValue(value_text, &value)) fail("bad value");
    std::string family = FamilyOf(name, out.types);
    if (family.empty()) fail("a sample of no typed family");
    seen_samples[family] = true;
    if (name.ends_with("_bucket") && family != name) {
      if (!parsed.count("le")) fail("a bucket without le");
      auto& b = buckets[family];
      if (!b.empty() && value < b.back()) fail("buckets not cumulative");
      b.push_back(value);
      if (parsed["le"] == "+Inf") buckets[family + "+Inf"] = {value};
    }
    if (name.ends_with("_count") && family != name) {
      auto inf = buckets.find(family + "+Inf");
      if (inf == buckets.end()) fail("_count before the +Inf bucket");
      else if (inf->second[0] != value) fail("_count differs from the +Inf bucket");
    }
    out.samples[brace == std::string::npos ? name : name + "{" + labels + "}"] = value;
  }
  return out;
}

}  // namespace kiln::test
