// A strict reader of the Prometheus text exposition format 0.0.4, for the
// tests of /metrics: it checks the syntax a scraper relies on and returns
// the samples.
#pragma once

#include <map>
#include <string>

namespace kiln::test {

struct PrometheusText {
  std::string error;  // "" when the text is valid; else the first problem, with its line
  std::map<std::string, std::string> types;  // family -> counter, histogram, …
  // "name{labels as sent}" (or "name") -> value
  std::map<std::string, double> samples;
};

// Checks: every line ends in "\n"; "# HELP" and "# TYPE" lines are well
// formed, each family typed once and before its samples; sample names and
// label names are valid identifiers, label values are quoted with only \\,
// \" and \n escapes; values are numbers (or +Inf, -Inf, NaN); every sample
// belongs to a typed family (a histogram's _bucket, _sum and _count); a
// histogram's buckets are cumulative and end with le="+Inf" equal to _count.
PrometheusText ParsePrometheusText(const std::string& text);

// A label value as the format escapes it.
std::string UnescapeLabelValue(const std::string& escaped);

}  // namespace kiln::test
