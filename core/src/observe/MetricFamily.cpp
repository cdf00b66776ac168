#include "opflow/observe/MetricFamily.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace opflow::observe {

namespace {

const char* typeName(MetricType type) {
  switch (type) {
  case MetricType::Counter:
    return "counter";
  case MetricType::Gauge:
    return "gauge";
  case MetricType::Histogram:
    return "histogram";
  }
  return "untyped";
}

// HELP text escapes backslash and newline; label values also the double quote.
std::string escaped(const std::string& text, bool quotes) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (quotes && c == '"') {
      out += "\\\"";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string number(double value) {
  if (std::isinf(value)) {
    return value > 0 ? "+Inf" : "-Inf";
  }
  if (std::isnan(value)) {
    return "NaN";
  }
  return fmt::format("{}", value);
}

std::string labelText(const Labels& labels, const std::string& extraKey = "", const std::string& extraValue = "") {
  if (labels.empty() && extraKey.empty()) {
    return "";
  }
  std::string text = "{";
  bool first = true;
  auto add = [&](const std::string& key, const std::string& value) {
    text += fmt::format("{}{}=\"{}\"", first ? "" : ",", key, escaped(value, true));
    first = false;
  };
  for (const auto& [key, value] : labels) {
    add(key, value);
  }
  if (!extraKey.empty()) {
    add(extraKey, extraValue);
  }
  return text + "}";
}

Json labelJson(const Labels& labels) {
  Json object = Json::object();
  for (const auto& [key, value] : labels) {
    object[key] = value;
  }
  return object;
}

} // namespace

const std::vector<double>& durationBucketsS() {
  static const std::vector<double> kBuckets{0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
                                            1,     2.5,   5,    10,    30,   60,  300, 3600};
  return kBuckets;
}

void HistogramValue::observe(double value, const std::vector<double>& bounds) {
  auto bucket = std::lower_bound(bounds.begin(), bounds.end(), value) - bounds.begin();
  ++counts[static_cast<std::size_t>(bucket)];
  sum += value;
  ++count;
}

MetricSeries& MetricFamily::at(const Labels& labels) {
  auto found = std::find_if(series.begin(), series.end(), [&](const MetricSeries& s) { return s.labels == labels; });
  if (found != series.end()) {
    return *found;
  }
  series.push_back(MetricSeries{labels, 0.0, HistogramValue(bounds.size())});
  return series.back();
}

std::string toPrometheusText(const std::vector<MetricFamily>& families) {
  std::string text;
  for (const MetricFamily& family : families) {
    text += fmt::format("# HELP {} {}\n# TYPE {} {}\n", family.name, escaped(family.help, false), family.name,
                        typeName(family.type));
    for (const MetricSeries& series : family.series) {
      if (family.type != MetricType::Histogram) {
        text += fmt::format("{}{} {}\n", family.name, labelText(series.labels), number(series.value));
        continue;
      }
      std::uint64_t cumulative = 0;
      for (std::size_t i = 0; i <= family.bounds.size(); ++i) {
        cumulative += series.histogram.counts[i];
        std::string le = i < family.bounds.size() ? number(family.bounds[i]) : "+Inf";
        text += fmt::format("{}_bucket{} {}\n", family.name, labelText(series.labels, "le", le), cumulative);
      }
      text += fmt::format("{}_sum{} {}\n", family.name, labelText(series.labels), number(series.histogram.sum));
      text += fmt::format("{}_count{} {}\n", family.name, labelText(series.labels), series.histogram.count);
    }
  }
  return text;
}

Json toJson(const std::vector<MetricFamily>& families) {
  Json metrics = Json::array();
  for (const MetricFamily& family : families) {
    Json series = Json::array();
    for (const MetricSeries& one : family.series) {
      if (family.type != MetricType::Histogram) {
        series.push_back({{"labels", labelJson(one.labels)}, {"value", one.value}});
        continue;
      }
      Json buckets = Json::array();
      std::uint64_t cumulative = 0;
      for (std::size_t i = 0; i <= family.bounds.size(); ++i) {
        cumulative += one.histogram.counts[i];
        buckets.push_back({{"le", i < family.bounds.size() ? number(family.bounds[i]) : "+Inf"}, {"count", cumulative}});
      }
      series.push_back({{"labels", labelJson(one.labels)},
                        {"buckets", std::move(buckets)},
                        {"sum", one.histogram.sum},
                        {"count", one.histogram.count}});
    }
    metrics.push_back({{"name", family.name},
                       {"help", family.help},
                       {"type", typeName(family.type)},
                       {"series", std::move(series)}});
  }
  return Json{{"metrics", std::move(metrics)}};
}

} // namespace opflow::observe
