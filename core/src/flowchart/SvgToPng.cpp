// svgToPng(): librsvg reads the SVG from memory (no base URI, so no external file or
// network reference can be followed), renders it scaled onto a cairo ARGB32 image
// surface, and cairo writes the PNG into a string. The image is refused when a side would
// pass cairo's limit or the pixels would take more than kMaxPixels, so a huge drawing is
// an error naming its size, not an allocation of gigabytes.
#include "opflow/flowchart/FlowchartSvg.h"

#include <cairo.h>
#include <librsvg/rsvg.h>

#include <fmt/format.h>

#include <cmath>
#include <memory>

namespace opflow::flowchart {

namespace {

constexpr double kMaxSide = 32767;        // cairo's image surface limit, in pixels
constexpr double kMaxPixels = 100'000'000; // 400 MB of ARGB32

struct GObjectUnref {
  void operator()(void* object) const { g_object_unref(object); }
};
struct SurfaceDestroy {
  void operator()(cairo_surface_t* surface) const { cairo_surface_destroy(surface); }
};
struct ContextDestroy {
  void operator()(cairo_t* context) const { cairo_destroy(context); }
};

std::string takeMessage(GError* error) {
  std::string message = error != nullptr && error->message != nullptr ? error->message : "unknown error";
  if (error != nullptr) {
    g_error_free(error);
  }
  return message;
}

cairo_status_t appendPng(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

} // namespace

Result<std::string> svgToPng(const std::string& svg, double scale) {
  if (!(scale > 0) || !std::isfinite(scale)) {
    return makeError(ErrorCode::InvalidArgument, fmt::format("a PNG scale must be a positive number, not {}", scale));
  }
  GError* error = nullptr;
  std::unique_ptr<RsvgHandle, GObjectUnref> handle(
      rsvg_handle_new_from_data(reinterpret_cast<const guint8*>(svg.data()), svg.size(), &error));
  if (!handle) {
    return makeError(ErrorCode::InvalidArgument, fmt::format("librsvg cannot read the SVG: {}", takeMessage(error)));
  }
  gdouble width = 0;
  gdouble height = 0;
  if (!rsvg_handle_get_intrinsic_size_in_pixels(handle.get(), &width, &height) || width <= 0 || height <= 0) {
    return makeError(ErrorCode::InvalidArgument, "the SVG has no width and height in pixels to render at");
  }
  const double pixelsWide = std::ceil(width * scale);
  const double pixelsHigh = std::ceil(height * scale);
  if (pixelsWide > kMaxSide || pixelsHigh > kMaxSide || pixelsWide * pixelsHigh > kMaxPixels) {
    return makeError(ErrorCode::InvalidArgument,
                     fmt::format("a PNG of {:.0f} x {:.0f} pixels (scale {}) is too large: at most {:.0f} a side and "
                                 "{:.0f} pixels",
                                 pixelsWide, pixelsHigh, scale, kMaxSide, kMaxPixels));
  }

  std::unique_ptr<cairo_surface_t, SurfaceDestroy> surface(cairo_image_surface_create(
      CAIRO_FORMAT_ARGB32, static_cast<int>(pixelsWide), static_cast<int>(pixelsHigh)));
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return makeError(ErrorCode::Internal, fmt::format("cairo cannot make a {:.0f} x {:.0f} image: {}", pixelsWide,
                                                      pixelsHigh, cairo_status_to_string(cairo_surface_status(surface.get()))));
  }
  std::unique_ptr<cairo_t, ContextDestroy> context(cairo_create(surface.get()));
  const RsvgRectangle viewport{0, 0, pixelsWide, pixelsHigh};
  if (!rsvg_handle_render_document(handle.get(), context.get(), &viewport, &error)) {
    return makeError(ErrorCode::InvalidArgument, fmt::format("librsvg cannot render the SVG: {}", takeMessage(error)));
  }
  cairo_surface_flush(surface.get());

  std::string png;
  const cairo_status_t written = cairo_surface_write_to_png_stream(surface.get(), appendPng, &png);
  if (written != CAIRO_STATUS_SUCCESS) {
    return makeError(ErrorCode::Internal, fmt::format("cairo cannot write the PNG: {}", cairo_status_to_string(written)));
  }
  return png;
}

} // namespace opflow::flowchart
