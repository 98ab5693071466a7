#include "serve/metrics_format.h"

#include <nlohmann/json.hpp>

#include <cstdio>

#include "util/time_format.h"

namespace kiln {
namespace {

std::string Number(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", value);
  return buf;
}

void Family(std::string* out, const char* name, const char* type, const char* help) {
  *out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
}

void Sample(std::string* out, std::string_view name, std::string_view labels, std::string_view value) {
  out->append(name);
  if (!labels.empty()) out->append("{").append(labels).append("}");
  out->append(" ").append(value).append("\n");
}

void Counter(std::string* out, const char* name, const char* help, uint64_t value) {
  Family(out, name, "counter", help);
  Sample(out, name, "", std::to_string(value));
}

void Histogram(std::string* out, const char* name, const char* help, const HistogramSnapshot& h) {
  Family(out, name, "histogram", help);
  const std::string base = name;
  uint64_t cumulative = 0;
  for (size_t i = 0; i < h.buckets.size(); ++i) {
    cumulative += h.buckets[i];
    std::string le = i < h.bounds.size() ? Number(h.bounds[i]) : "+Inf";
    Sample(out, base + "_bucket", "le=\"" + le + "\"", std::to_string(cumulative));
  }
  Sample(out, base + "_sum", "", Number(h.sum_seconds));
  Sample(out, base + "_count", "", std::to_string(h.count));
}

nlohmann::ordered_json HistogramJson(const HistogramSnapshot& h) {
  nlohmann::ordered_json buckets = nlohmann::ordered_json::array();
  for (size_t i = 0; i < h.buckets.size(); ++i) {
    nlohmann::ordered_json le = i < h.bounds.size() ? nlohmann::ordered_json(h.bounds[i])
                                                    : nlohmann::ordered_json("+Inf");
    buckets.push_back({{"le", le}, {"count", h.buckets[i]}});
  }
  return {{"count", h.count}, {"sum", h.sum_seconds}, {"buckets", buckets}};
}

}  // namespace

std::string EscapeLabelValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string FormatPrometheus(const StatsSnapshot& s) {
  std::string out;
  Family(&out, "kiln_http_requests_total", "counter", "Answers sent, by HTTP status code.");
  for (const auto& [status, n] : s.by_status) {
    Sample(&out, "kiln_http_requests_total", "code=\"" + std::to_string(status) + "\"", std::to_string(n));
  }
  Histogram(&out, "kiln_http_request_duration_seconds",
            "Time from a request read to its answer handed to the connection.", s.latency);
  Counter(&out, "kiln_builds_total", "Builds run by this server.", s.builds);
  Counter(&out, "kiln_build_failures_total", "Builds run by this server that failed.", s.builds_failed);
  Counter(&out, "kiln_pages_rendered_total", "Pages rendered by this server's builds.", s.pages_rendered);
  Counter(&out, "kiln_pages_reused_total", "Pages this server's builds found unchanged.", s.pages_reused);
  Counter(&out, "kiln_purges_sent_total", "PURGE requests made to the caches of [edge] purge.",
          s.purges_sent);
  Counter(&out, "kiln_purges_failed_total", "PURGE requests that failed after every retry.",
          s.purges_failed);
  Counter(&out, "kiln_notifications_sent_total", "Comment notifications delivered to [notify] url.",
          s.notifications_sent);
  Counter(&out, "kiln_notifications_failed_total",
          "Comment notification attempts that failed (each retry counts).", s.notifications_failed);
  Counter(&out, "kiln_notifications_dropped_total",
          "Comment notifications given up: every attempt failed, or the queue was full.",
          s.notifications_dropped);
  Family(&out, "kiln_comments_total", "counter", "POST /api/comments answers, by result.");
  Sample(&out, "kiln_comments_total", "result=\"accepted\"", std::to_string(s.comments_accepted));
  Sample(&out, "kiln_comments_total", "result=\"rejected\"", std::to_string(s.comments_rejected));
  Histogram(&out, "kiln_comment_duration_seconds",
            "Time to answer POST /api/comments, the rebuild it waits for included.", s.comment_latency);
  Family(&out, "kiln_page_hits_total", "counter",
         "GET and HEAD answered from a file of site/ (200, 206, 304), by page.");
  for (const PageFigures& p : s.pages) {
    if (p.hits() == 0) continue;
    Sample(&out, "kiln_page_hits_total", "path=\"" + EscapeLabelValue(p.url) + "\"", std::to_string(p.hits()));
  }
  Family(&out, "kiln_page_regenerations_total", "counter", "Times this server's builds rendered a page.");
  for (const PageFigures& p : s.pages) {
    if (p.regenerations == 0) continue;
    Sample(&out, "kiln_page_regenerations_total", "path=\"" + EscapeLabelValue(p.url) + "\"",
           std::to_string(p.regenerations));
  }
  return out;
}

std::string FormatStatsJson(const StatsSnapshot& s, const std::vector<ServeSample>& samples) {
  nlohmann::ordered_json j;
  j["started_at"] = FormatRfc3339(s.started_at);
  j["uptime_seconds"] = s.taken_at - s.started_at;
  nlohmann::ordered_json by_status = nlohmann::ordered_json::object();
  for (const auto& [status, n] : s.by_status) by_status[std::to_string(status)] = n;
  j["requests"] = {{"total", s.requests}, {"by_status", by_status}};
  j["latency_seconds"] = HistogramJson(s.latency);
  j["builds"] = {{"total", s.builds}, {"failed", s.builds_failed}};
  j["pages_rendered"] = s.pages_rendered;
  j["pages_reused"] = s.pages_reused;
  j["purges"] = {{"sent", s.purges_sent}, {"failed", s.purges_failed}};
  j["notifications"] = {{"sent", s.notifications_sent},
                        {"failed", s.notifications_failed},
                        {"dropped", s.notifications_dropped}};
  j["comments"] = {{"accepted", s.comments_accepted}, {"rejected", s.comments_rejected}};
  j["comment_latency_seconds"] = HistogramJson(s.comment_latency);
  j["page_hits"] = s.page_hits;
  j["regenerations"] = s.regenerations;
  nlohmann::ordered_json pages = nlohmann::ordered_json::array();
  for (const PageFigures& p : s.pages) {
    nlohmann::ordered_json page = {{"url", p.url},         {"hits", p.hits()},
                                   {"ok", p.ok},           {"not_modified", p.not_modified},
                                   {"partial", p.partial}, {"regenerations", p.regenerations}};
    // null when never regenerated here: "once per N hits" has no N.
    page["hits_per_regeneration"] =
        p.regenerations ? nlohmann::ordered_json(static_cast<double>(p.hits()) / p.regenerations) : nullptr;
    pages.push_back(std::move(page));
  }
  j["pages"] = std::move(pages);
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (const ServeSample& x : samples) {
    rows.push_back({{"at", x.at},
                    {"seconds", x.seconds},
                    {"requests", x.requests},
                    {"hits", x.hits},
                    {"regenerations", x.regenerations},
                    {"builds", x.builds},
                    {"comments", x.comments},
                    {"comment_ms_sum", x.comment_ms_sum},
                    {"comment_ms_max", x.comment_ms_max}});
  }
  j["samples"] = std::move(rows);
  return j.dump() + "\n";
}

}  // namespace kiln
