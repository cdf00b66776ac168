// MetricFamily: metrics as Prometheus models them (a named family of counters, gauges or
// histograms, one series per label set), and their two renderings: the Prometheus text
// exposition format (version 0.0.4: HELP and TYPE lines, histograms as cumulative
// `_bucket{le=...}` series with `_sum` and `_count`, label values escaped) and JSON.
// Whoever measures fills families; these functions only render.
// Thread-safety: value types and free functions.
#pragma once

#include "opflow/Json.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace opflow::observe {

enum class MetricType { Counter, Gauge, Histogram };

using Labels = std::vector<std::pair<std::string, std::string>>;

// Upper bounds (seconds) of the duration histograms; +Inf is implied.
[[nodiscard]] const std::vector<double>& durationBucketsS();

// One series of a histogram: counts per bucket (not cumulative; one more than the bounds,
// the last for +Inf), their sum and count.
struct HistogramValue {
  std::vector<std::uint64_t> counts;
  double sum = 0.0;
  std::uint64_t count = 0;

  explicit HistogramValue(std::size_t bounds = durationBucketsS().size()) : counts(bounds + 1, 0) {}
  void observe(double value, const std::vector<double>& bounds = durationBucketsS());
};

struct MetricSeries {
  Labels labels;
  double value = 0.0;        // counter or gauge
  HistogramValue histogram;  // histogram
};

struct MetricFamily {
  std::string name; // counters end in _total; units in the name (_seconds)
  std::string help;
  MetricType type = MetricType::Counter;
  std::vector<double> bounds = durationBucketsS(); // histograms
  std::vector<MetricSeries> series;

  // The series with these labels, added (zero) when missing.
  MetricSeries& at(const Labels& labels);
};

[[nodiscard]] std::string toPrometheusText(const std::vector<MetricFamily>& families);
// {"metrics": [{"name", "help", "type", "series": [{"labels": {...}, "value"} or
//  {"labels", "buckets": [{"le", "count" (cumulative)}], "sum", "count"}]}]}
[[nodiscard]] Json toJson(const std::vector<MetricFamily>& families);

} // namespace opflow::observe
