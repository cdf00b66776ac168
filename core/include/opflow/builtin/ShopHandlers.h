// The shop-floor checks that need no database: a customer's model file and a shipment's
// tracking number.
//
//   file.inspect            {"path"}: reads the file (ModelFile.h) and writes "file" =
//                           {path, name, extension, size_bytes, sha256, volume_cm3,
//                           volume_exact, volume_method, triangles}. Exit "unreadable" with
//                           "file_error" = why (missing, not a file, malformed STL/OBJ).
//                           Whether the extension and size are acceptable is for the
//                           flowchart's decisions, not this handler.
//   shipping.check_tracking {"carrier", "tracking_number"}: writes "tracking" = {carrier,
//                           number (normalized), format}. Exit "invalid" with
//                           "tracking_error" = the reason (TrackingNumber.h).
// Thread-safety: the handlers are stateless.
#pragma once

#include "opflow/engine/HandlerRegistry.h"

namespace opflow::builtin {

[[nodiscard]] Status registerShopHandlers(engine::HandlerRegistry& registry);

} // namespace opflow::builtin
