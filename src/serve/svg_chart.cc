// Implementation details: x is time, not the sample's index, so a server
// that was down (samples read back from kiln.db) shows the gap. The y axis
// ends at the next 1-2-5 step above the largest value, so its labels are
// round numbers.
#include "serve/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "util/strings.h"
#include "util/time_format.h"

namespace kiln {
namespace {

constexpr double kWidth = 720, kHeight = 220;
constexpr double kLeft = 60, kRight = 16, kTop = 30, kBottom = 30;

double NiceCeiling(double value) {
  if (value <= 0) return 1;
  const double step = std::pow(10.0, std::floor(std::log10(value)));
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (value <= m * step) return m * step;
  }
  return 10 * step;
}

std::string Fixed(double value, int decimals = 1) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  return buf;
}

std::string Label(double value) {
  if (value == std::floor(value) && std::fabs(value) < 1e15) return Fixed(value, 0);
  return Fixed(value, value < 1 ? 3 : 1);
}

std::string IdOf(const std::string& name) {
  std::string id;
  for (char c : ToLower(name)) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      id += c;
    } else if (!id.empty() && id.back() != '-') {
      id += '-';
    }
  }
  return id;
}

std::string TimeOfDay(int64_t seconds) {
  std::string iso = FormatRfc3339(seconds);  // 2026-11-26T10:00:00Z
  return iso.size() >= 19 ? iso.substr(11, 8) : iso;
}

// The points of one series, as "x,y x,y …" runs split at gaps.
std::vector<std::string> Runs(const ChartData& c, const ChartSeries& s, double y_max) {
  const double t0 = static_cast<double>(c.at.front());
  const double span = std::max<double>(static_cast<double>(c.at.back()) - t0, 1);
  const double w = kWidth - kLeft - kRight, h = kHeight - kTop - kBottom;
  std::vector<std::string> runs(1);
  for (size_t i = 0; i < c.at.size() && i < s.values.size(); ++i) {
    if (!s.values[i]) {
      if (!runs.back().empty()) runs.emplace_back();
      continue;
    }
    double x = c.at.size() == 1 ? kLeft + w / 2 : kLeft + (static_cast<double>(c.at[i]) - t0) / span * w;
    double y = kTop + h - std::clamp(*s.values[i] / y_max, 0.0, 1.0) * h;
    if (!runs.back().empty()) runs.back() += ' ';
    runs.back() += Fixed(x) + "," + Fixed(y);
  }
  if (runs.back().empty()) runs.pop_back();
  return runs;
}

void Axes(const ChartData& c, double y_max, std::string* out) {
  const double h = kHeight - kTop - kBottom;
  for (double f : {0.0, 0.5, 1.0}) {
    const std::string y = Fixed(kTop + h - f * h);
    *out += "<line x1=\"" + Fixed(kLeft) + "\" y1=\"" + y + "\" x2=\"" + Fixed(kWidth - kRight) + "\" y2=\"" +
            y + "\" stroke=\"#ddd\"/>";
    *out += "<text x=\"" + Fixed(kLeft - 6) + "\" y=\"" + y + "\" text-anchor=\"end\" dy=\"4\">" +
            Label(f * y_max) + "</text>";
  }
  *out += "<text x=\"" + Fixed(kLeft) + "\" y=\"" + Fixed(kTop - 12) + "\">" + EscapeHtml(c.unit) + "</text>";
  if (c.at.empty()) return;
  const std::string y = Fixed(kHeight - 10);
  *out += "<text x=\"" + Fixed(kLeft) + "\" y=\"" + y + "\">" + TimeOfDay(c.at.front()) + "</text>";
  *out += "<text x=\"" + Fixed(kWidth - kRight) + "\" y=\"" + y + "\" text-anchor=\"end\">" +
          TimeOfDay(c.at.back()) + " UTC</text>";
}

void Legend(const ChartData& c, std::string* out) {
  double x = kWidth - kRight;
  for (auto it = c.series.rbegin(); it != c.series.rend(); ++it) {
    *out += "<text x=\"" + Fixed(x) + "\" y=\"" + Fixed(kTop - 12) + "\" text-anchor=\"end\" fill=\"" +
            EscapeHtml(it->color) + "\">" + EscapeHtml(it->name) + "</text>";
    x -= 12 + 8 * static_cast<double>(it->name.size());
  }
}

}  // namespace

std::string RenderSvgChart(const ChartData& c) {
  double max = 0;
  for (const ChartSeries& s : c.series) {
    for (const auto& v : s.values) {
      if (v) max = std::max(max, *v);
    }
  }
  const double y_max = NiceCeiling(max);
  std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + Fixed(kWidth, 0) + " " +
                    Fixed(kHeight, 0) + "\" width=\"" + Fixed(kWidth, 0) + "\" height=\"" +
                    Fixed(kHeight, 0) + "\" role=\"img\" font-family=\"sans-serif\" font-size=\"11\">";
  out += "<title>" + EscapeHtml(c.title) + "</title>";
  Axes(c, y_max, &out);
  Legend(c, &out);
  if (c.at.empty()) {
    out += "<text x=\"" + Fixed(kWidth / 2) + "\" y=\"" + Fixed(kHeight / 2) +
           "\" text-anchor=\"middle\">no samples yet</text>";
  }
  for (const ChartSeries& s : c.series) {
    out += "<g id=\"series-" + IdOf(s.name) + "\" fill=\"none\" stroke=\"" + EscapeHtml(s.color) +
           "\" stroke-width=\"1.5\">";
    if (!c.at.empty()) {
      for (const std::string& run : Runs(c, s, y_max)) {
        // A lone point (one interval between gaps) would draw nothing as a line.
        if (run.find(' ') == std::string::npos) {
          size_t comma = run.find(',');
          out += "<circle cx=\"" + run.substr(0, comma) + "\" cy=\"" + run.substr(comma + 1) +
                 "\" r=\"2\" fill=\"" + EscapeHtml(s.color) + "\"/>";
        } else {
          out += "<polyline points=\"" + run + "\"/>";
        }
      }
    }
    out += "</g>";
  }
  out += "</svg>";
  return out;
}

}  // namespace kiln
