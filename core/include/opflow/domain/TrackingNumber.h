// TrackingNumber: whether a carrier's tracking number is well formed, by the carrier's own
// formats and check digits, so a typo is caught before the parcel leaves (seed 004: SHIPPED).
//
//   DHL    Express waybill: 10 or 11 digits, the last = the others mod 7;
//          piece id: J + 2-3 letters + 9-10 digits (no check digit)
//   UPS    1Z + 6 shipper characters + 2 service digits + 7 package digits + check digit
//          (letters count as (letter - 'A' + 2) mod 10; odd positions once, even twice)
//   FEDEX  Express: 12 digits, weights 3,1,7 mod 11 mod 10; Ground: 15 digits, GS1 mod 10;
//          Ground 96: 22 digits starting 96, GS1 mod 10 over the last 15
//   USPS   IMpb: 20 or 22 digits (22 start with 91-95), GS1 mod 10;
//          international (UPU S10): 2 letters, 8 digits, check digit, 2-letter country
//   DPD    parcel number: 14 digits; label barcode: 27 digits + ISO 7064 mod 37,36 check
// Spaces are ignored and letters compared in upper case.
// Thread-safety: pure functions.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace opflow::domain {

struct TrackingCheck {
  bool valid = false;
  std::string carrier;    // upper case ("UPS")
  std::string normalized; // without spaces, upper case
  std::string format;     // the format it matched ("UPS 1Z", "FedEx Express", ...)
  std::string reason;     // why it is invalid, for the operator
};

// "DHL", "UPS", "FEDEX", "USPS", "DPD".
[[nodiscard]] std::span<const std::string_view> knownCarriers();

[[nodiscard]] TrackingCheck checkTrackingNumber(std::string_view carrier, std::string_view number);

} // namespace opflow::domain
