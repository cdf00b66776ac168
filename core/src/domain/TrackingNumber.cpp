#include "opflow/domain/TrackingNumber.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>

namespace opflow::domain {

namespace {

constexpr std::array<std::string_view, 5> kCarriers{"DHL", "UPS", "FEDEX", "USPS", "DPD"};

std::string upperWithoutSpaces(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (!std::isspace(static_cast<unsigned char>(c))) {
      out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

bool allDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool allLetters(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

int digit(char c) { return c - '0'; }

// GS1 mod 10: from the right of the digits before the check digit, weights 3, 1, 3, ...
int gs1CheckDigit(std::string_view digits) {
  int sum = 0;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    sum += digit(digits[digits.size() - 1 - i]) * (i % 2 == 0 ? 3 : 1);
  }
  return (10 - sum % 10) % 10;
}

int upsCheckDigit(std::string_view body) {
  int sum = 0;
  for (std::size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    int value = c >= '0' && c <= '9' ? digit(c) : (c - 'A' + 2) % 10;
    sum += value * (i % 2 == 1 ? 2 : 1);
  }
  return (10 - sum % 10) % 10;
}

int fedexExpressCheckDigit(std::string_view digits) {
  static constexpr std::array kWeights{3, 1, 7};
  int sum = 0;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    sum += digit(digits[i]) * kWeights[i % 3];
  }
  return sum % 11 % 10;
}

int dhlCheckDigit(std::string_view digits) {
  std::int64_t remainder = 0;
  for (char c : digits) {
    remainder = (remainder * 10 + digit(c)) % 7;
  }
  return static_cast<int>(remainder);
}

// UPU S10: weights 8 6 4 2 3 5 9 7; 11 - sum mod 11, where 10 gives 0 and 11 gives 5.
int s10CheckDigit(std::string_view digits) {
  static constexpr std::array kWeights{8, 6, 4, 2, 3, 5, 9, 7};
  int sum = 0;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    sum += digit(digits[i]) * kWeights[i];
  }
  int check = 11 - sum % 11;
  return check == 10 ? 0 : check == 11 ? 5 : check;
}

// ISO 7064 mod 37,36 (alphanumeric): the check character of `text`.
char mod3736CheckCharacter(std::string_view text) {
  static constexpr std::string_view kAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  constexpr int kModulus = 36;
  int product = kModulus;
  for (char c : text) {
    int sum = (product + static_cast<int>(kAlphabet.find(c))) % kModulus;
    product = ((sum == 0 ? kModulus : sum) * 2) % (kModulus + 1);
  }
  return kAlphabet[static_cast<std::size_t>((kModulus + 1 - product) % kModulus)];
}

TrackingCheck accept(TrackingCheck check, std::string format) {
  check.valid = true;
  check.format = std::move(format);
  return check;
}

TrackingCheck refuse(TrackingCheck check, std::string reason) {
  check.valid = false;
  check.reason = std::move(reason);
  return check;
}

// Accepts `check` when its check character (the last one, or the one at `position`) is `expected`.
TrackingCheck checkDigitOf(TrackingCheck check, std::string format, char expected,
                           std::size_t position = std::string::npos) {
  char given = position == std::string::npos ? check.normalized.back() : check.normalized[position];
  if (given != expected) {
    std::string reason = fmt::format("{} number {} fails its check digit (has {}, expected {}): is a digit "
                                     "mistyped?",
                                     format, check.normalized, given, expected);
    return refuse(std::move(check), std::move(reason));
  }
  return accept(std::move(check), std::move(format));
}

char asDigit(int value) { return static_cast<char>('0' + value); }

TrackingCheck checkUps(TrackingCheck check) {
  const std::string& n = check.normalized;
  if (n.size() != 18 || !n.starts_with("1Z") ||
      !std::all_of(n.begin() + 2, n.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)); }) ||
      !std::isdigit(static_cast<unsigned char>(n.back()))) {
    return refuse(std::move(check), "a UPS tracking number is 18 characters: 1Z, 15 letters or digits, a check digit");
  }
  return checkDigitOf(std::move(check), "UPS 1Z", asDigit(upsCheckDigit(std::string_view(n).substr(2, 15))));
}

TrackingCheck checkFedex(TrackingCheck check) {
  std::string_view n = check.normalized;
  if (allDigits(n) && n.size() == 12) {
    return checkDigitOf(std::move(check), "FedEx Express", asDigit(fedexExpressCheckDigit(n.substr(0, 11))));
  }
  if (allDigits(n) && n.size() == 15) {
    return checkDigitOf(std::move(check), "FedEx Ground", asDigit(gs1CheckDigit(n.substr(0, 14))));
  }
  if (allDigits(n) && n.size() == 22 && n.starts_with("96")) {
    return checkDigitOf(std::move(check), "FedEx Ground 96", asDigit(gs1CheckDigit(n.substr(7, 14))));
  }
  return refuse(std::move(check), "a FedEx tracking number is 12 digits (Express), 15 digits (Ground) or "
                                  "22 digits starting with 96 (Ground 96)");
}

TrackingCheck checkUsps(TrackingCheck check) {
  std::string_view n = check.normalized;
  if (allDigits(n) && n.size() == 20) {
    return checkDigitOf(std::move(check), "USPS IMpb (20)", asDigit(gs1CheckDigit(n.substr(0, 19))));
  }
  if (allDigits(n) && n.size() == 22 && n[0] == '9' && n[1] >= '1' && n[1] <= '5') {
    return checkDigitOf(std::move(check), "USPS IMpb (22)", asDigit(gs1CheckDigit(n.substr(0, 21))));
  }
  if (n.size() == 13 && allLetters(n.substr(0, 2)) && allDigits(n.substr(2, 9)) && allLetters(n.substr(11))) {
    return checkDigitOf(std::move(check), "UPU S10", asDigit(s10CheckDigit(n.substr(2, 8))), 10);
  }
  return refuse(std::move(check), "a USPS tracking number is 20 digits, 22 digits starting with 91 to 95, or "
                                  "international: 2 letters, 9 digits, 2 letters (EE123456785US)");
}

TrackingCheck checkDhl(TrackingCheck check) {
  std::string_view n = check.normalized;
  if (allDigits(n) && (n.size() == 10 || n.size() == 11)) {
    return checkDigitOf(std::move(check), "DHL Express", asDigit(dhlCheckDigit(n.substr(0, n.size() - 1))));
  }
  for (std::size_t letters : {std::size_t{2}, std::size_t{3}}) {
    std::string_view digits = n.size() > 1 + letters ? n.substr(1 + letters) : std::string_view();
    if (n.starts_with('J') && n.size() > 1 + letters && allLetters(n.substr(1, letters)) && allDigits(digits) &&
        (digits.size() == 9 || digits.size() == 10)) {
      return accept(std::move(check), "DHL piece id");
    }
  }
  return refuse(std::move(check), "a DHL tracking number is a 10- or 11-digit Express waybill, or a piece id "
                                  "(J, 2-3 letters, 9-10 digits: JJD0099999999)");
}

TrackingCheck checkDpd(TrackingCheck check) {
  std::string_view n = check.normalized;
  if (allDigits(n) && n.size() == 14) {
    return accept(std::move(check), "DPD parcel number");
  }
  if (n.size() == 28 && allDigits(n.substr(0, 27)) && std::isalnum(static_cast<unsigned char>(n.back()))) {
    return checkDigitOf(std::move(check), "DPD label barcode", mod3736CheckCharacter(n.substr(0, 27)));
  }
  return refuse(std::move(check), "a DPD tracking number is the 14-digit parcel number or the 28-character "
                                  "label barcode");
}

} // namespace

std::span<const std::string_view> knownCarriers() { return kCarriers; }

TrackingCheck checkTrackingNumber(std::string_view carrier, std::string_view number) {
  TrackingCheck check;
  check.carrier = upperWithoutSpaces(carrier);
  check.normalized = upperWithoutSpaces(number);
  if (check.normalized.empty()) {
    return refuse(std::move(check), "no tracking number was given");
  }
  if (check.carrier == "UPS") {
    return checkUps(std::move(check));
  }
  if (check.carrier == "FEDEX") {
    return checkFedex(std::move(check));
  }
  if (check.carrier == "USPS") {
    return checkUsps(std::move(check));
  }
  if (check.carrier == "DHL") {
    return checkDhl(std::move(check));
  }
  if (check.carrier == "DPD") {
    return checkDpd(std::move(check));
  }
  std::string known;
  for (std::string_view name : kCarriers) {
    known += fmt::format("{}{}", known.empty() ? "" : ", ", name);
  }
  return refuse(std::move(check), fmt::format("unknown carrier \"{}\" (known: {})", carrier, known));
}

} // namespace opflow::domain
