// Tracking numbers by each carrier's format and check digit. The valid numbers are the
// carriers' published examples and real-format numbers whose check digits were computed
// independently; each invalid one differs from a valid one in one character.
#include "opflow/domain/TrackingNumber.h"

#include <gmock/gmock.h>

namespace opflow::domain {
namespace {

using ::testing::HasSubstr;

void expectValid(const char* carrier, const char* number, const char* format) {
  TrackingCheck check = checkTrackingNumber(carrier, number);
  EXPECT_TRUE(check.valid) << carrier << " " << number << ": " << check.reason;
  EXPECT_EQ(check.format, format) << number;
}

void expectInvalid(const char* carrier, const char* number, const char* why) {
  TrackingCheck check = checkTrackingNumber(carrier, number);
  EXPECT_FALSE(check.valid) << carrier << " " << number;
  EXPECT_THAT(check.reason, HasSubstr(why)) << number;
}

TEST(TrackingNumberTest, UpsNumbersCarryACheckDigit) {
  expectValid("UPS", "1Z999AA10123456784", "UPS 1Z");
  expectValid("ups", "1z 879e 9303 4683 4440", "UPS 1Z");
  expectValid("UPS", "1ZXX3150YW44070023", "UPS 1Z");
  expectInvalid("UPS", "1Z999AA10123456785", "fails its check digit (has 5, expected 4)");
  expectInvalid("UPS", "1Z999AA1012345678", "18 characters");
  expectInvalid("UPS", "2Z999AA10123456784", "18 characters");
}

TEST(TrackingNumberTest, FedexExpressGroundAndGround96) {
  expectValid("FEDEX", "986578788855", "FedEx Express");
  expectValid("FEDEX", "7905 3531 2317", "FedEx Express");
  expectInvalid("FEDEX", "996578788855", "check digit");
  expectValid("FEDEX", "041441760228964", "FedEx Ground");
  expectInvalid("FEDEX", "568283610012732", "check digit");
  expectValid("FEDEX", "9611020987654312345672", "FedEx Ground 96");
  expectInvalid("FEDEX", "9600000000000000000001", "check digit");
  expectInvalid("FEDEX", "12345", "12 digits (Express)");
}

TEST(TrackingNumberTest, UspsDomesticAndInternational) {
  expectValid("USPS", "0307 1790 0005 2348 3741", "USPS IMpb (20)");
  expectValid("USPS", "9400 1112 0108 0805 4830 16", "USPS IMpb (22)");
  expectInvalid("USPS", "03071790000523483742", "check digit");
  expectValid("USPS", "EE123456785US", "UPU S10");
  expectInvalid("USPS", "EE123456784US", "check digit");
  expectInvalid("USPS", "8400111201080805483016", "22 digits starting with 91 to 95");
}

TEST(TrackingNumberTest, DhlWaybillsUseModSeven) {
  expectValid("DHL", "3318810025", "DHL Express");
  expectValid("DHL", "73891051146", "DHL Express");
  expectInvalid("DHL", "3318810010", "check digit");
  expectValid("DHL", "JJD0099999999", "DHL piece id");
  expectInvalid("DHL", "XJD0099999998", "piece id");
}

TEST(TrackingNumberTest, DpdParcelNumbersAndLabelBarcodes) {
  expectValid("DPD", "0998 0000 0200 33", "DPD parcel number");
  expectValid("DPD", "00 81827 0998 0000 0200 33 350 276 C", "DPD label barcode");
  expectInvalid("DPD", "008182709980000020033350276A", "expected C");
  expectInvalid("DPD", "0998", "14-digit parcel number");
}

TEST(TrackingNumberTest, UnknownCarriersAndEmptyNumbersAreRefused) {
  expectInvalid("Pony Express", "123", "unknown carrier \"Pony Express\" (known: DHL, UPS, FEDEX, USPS, DPD)");
  expectInvalid("UPS", "   ", "no tracking number");
  TrackingCheck check = checkTrackingNumber("ups", "1z999aa1 0123456784");
  EXPECT_EQ(check.carrier, "UPS");
  EXPECT_EQ(check.normalized, "1Z999AA10123456784");
  EXPECT_EQ(knownCarriers().size(), 5u);
}

} // namespace
} // namespace opflow::domain
