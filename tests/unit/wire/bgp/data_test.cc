// Real BGP data from /work/shared/data/bgp (see its README): ExaBGP's
// encoding test messages, GoBGP's fuzz crashers and RIPE RIS MRT dumps.
// Every message must decode without crashing; the well-formed ones must
// re-encode to their exact bytes.
#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "engine/wire/bgp/error_codes.h"
#include "engine/wire/bgp/message.h"
#include "fuzz/bgp_checks.h"
#include "prod/common/mrt/mrt_reader.h"
#include "tests/unit/wire/bgp/bgp_test_util.h"

namespace vipcast::wire::bgp {
namespace {

namespace fs = std::filesystem;
using namespace testing;

// Tests run with the repository root as working directory.
const fs::path kDataDir = "../shared/data/bgp";

fs::path DataPath(const std::string& relative) {
  fs::path p = kDataDir / relative;
  EXPECT_TRUE(fs::exists(p)) << "BGP test data missing: " << fs::absolute(p)
                             << " (expected the shared data set at ../shared/data/bgp "
                                "relative to the repository root)";
  return p;
}

std::string ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Bytes ReadGzip(const fs::path& path) {
  Bytes out;
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) return out;
  uint8_t buf[1 << 16];
  int n;
  while ((n = gzread(f, buf, sizeof buf)) > 0) out.insert(out.end(), buf, buf + n);
  gzclose(f);
  return out;
}

// (comment, bytes) pairs from a "# comment" / hex-line file.
std::vector<std::pair<std::string, Bytes>> ReadHexFile(const fs::path& path) {
  std::vector<std::pair<std::string, Bytes>> out;
  std::istringstream in(ReadText(path));
  std::string line, comment;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    if (line[0] == '#') {
      comment = line;
      continue;
    }
    auto bytes = core::FromHex(line);
    EXPECT_TRUE(bytes.has_value()) << comment;
    if (bytes) out.emplace_back(comment, *bytes);
  }
  return out;
}

TEST(BgpData, DataDirectoryIsPresent) {
  ASSERT_TRUE(fs::is_directory(kDataDir))
      << "BGP test data missing: " << fs::absolute(kDataDir)
      << " must hold the shared data set (README.md, hex/, crashers/, mrt/)";
}

TEST(BgpData, ExabgpMessagesDecodeAndWellFormedOnesReencodeExactly) {
  auto messages = ReadHexFile(DataPath("hex/exabgp-messages.txt"));
  ASSERT_EQ(messages.size(), 184u);
  int well_formed = 0;
  int normalised = 0;
  std::map<std::string, int> errors;
  for (const auto& [comment, bytes] : messages) {
    // ExaBGP sessions are 4-octet unless the test says otherwise; try both.
    std::optional<SessionOptions> used;
    DecodeError first_error;
    for (bool four : {true, false}) {
      SessionOptions o = Opts(four, true);
      EXPECT_EQ(fuzz::CheckBgpRoundTrip(bytes, o), "") << comment;
      auto decoded = DecodeMessage(bytes, o);
      if (decoded) {
        used = o;
        auto encoded = EncodeMessage(*decoded, o);
        ASSERT_TRUE(encoded.ok()) << comment;
        if (*encoded != bytes) {
          // Only ADD-PATH UPDATEs, whose path identifiers read as prefixes
          // with host bits set (RFC 4271 4.3: trailing bits are irrelevant),
          // may re-encode differently; they still round-trip as values.
          EXPECT_NE(comment.find("addpath"), std::string::npos) << comment << "\n"
                                                                << core::ToHex(*encoded) << "\n"
                                                                << core::ToHex(bytes);
          EXPECT_EQ(*DecodeMessage(*encoded, o), *decoded) << comment;
          ++normalised;
        }
        break;
      }
      if (four) first_error = decoded.error();
    }
    if (used) {
      ++well_formed;
    } else {
      // Only UPDATEs may fail (add-path NLRI, which this codec rejects).
      EXPECT_EQ(first_error.code, 3) << comment << ": " << first_error.reason;
      ++errors[std::to_string(first_error.code) + "/" + std::to_string(first_error.subcode) + " " +
               std::string(ToString(first_error.handling)) + " " + comment + ": " +
               first_error.reason];
    }
  }
  std::cout << "exabgp: " << well_formed << " well-formed of " << messages.size() << " ("
            << normalised << " ADD-PATH UPDATEs normalised)\n";
  for (const auto& [k, v] : errors) std::cout << "  error " << k << ": " << v << "\n";
  EXPECT_GE(well_formed, 170);
}

TEST(BgpData, ExabgpDecodingBodiesNeverCrash) {
  auto bodies = ReadHexFile(DataPath("hex/exabgp-decoding-bodies.txt"));
  ASSERT_EQ(bodies.size(), 6u);
  for (const auto& [comment, body] : bodies) {
    Bytes message = Msg(2, body);
    for (bool four : {true, false}) {
      EXPECT_EQ(fuzz::CheckBgpRoundTrip(message, Opts(four, true)), "") << comment;
    }
  }
}

// GoBGP's rule: each crasher parses and re-serialises, or fails with a
// header error or an OPEN/UPDATE message error; it never crashes.
TEST(BgpData, GobgpCrashersYieldHeaderOpenOrUpdateErrors) {
  fs::path dir = DataPath("crashers/gobgp-bad-len");
  int files = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::string text = ReadText(entry.path());
    Bytes bytes(text.begin(), text.end());
    Bytes fixed_marker = bytes;
    for (size_t i = 0; i < 16 && i < fixed_marker.size(); ++i) fixed_marker[i] = 0xff;
    for (const Bytes& input : {bytes, fixed_marker}) {
      for (bool four : {false, true}) {
        SessionOptions o = Opts(four);
        EXPECT_EQ(fuzz::CheckBgpRoundTrip(input, o), "") << entry.path();
        EXPECT_EQ(fuzz::CheckBgpStream(input, o, 7), "") << entry.path();
        auto decoded = DecodeMessage(input, o);
        if (!decoded) {
          uint8_t code = decoded.error().code;
          EXPECT_TRUE(code == 1 || code == 2 || code == 3)
              << entry.path() << ": " << decoded.error().reason;
        }
        // The framed form (the header's length decides) as well.
        MessageFramer framer(o);
        framer.Feed(input);
        auto framed = framer.Next();
        if (framed && framed->has_value()) {
          auto d = DecodeMessage(**framed, o);
          if (!d) {
            uint8_t code = d.error().code;
            EXPECT_TRUE(code == 1 || code == 2 || code == 3) << d.error().reason;
          }
        }
      }
    }
    ++files;
  }
  EXPECT_EQ(files, 11);
}

struct MrtTally {
  int records = 0;
  int messages = 0;
  int well_formed = 0;
  int exact = 0;
  int normalised = 0;  // re-encoded with NLRI host bits cleared
  int reencode_mismatch = 0;
  std::map<std::string, int> errors;
};

MrtTally WalkMrt(const std::string& name) {
  MrtTally t;
  Bytes data = ReadGzip(DataPath("mrt/" + name));
  EXPECT_FALSE(data.empty()) << name;
  mrt::MrtReader reader(data);
  while (true) {
    auto next = reader.Next();
    EXPECT_TRUE(next.ok()) << name << ": " << (next.ok() ? "" : next.error());
    if (!next.ok() || !next->has_value()) break;
    ++t.records;
    auto parsed = mrt::ParseBgp4mpMessage(**next);
    if (!parsed) continue;
    EXPECT_TRUE(parsed->ok()) << name;
    if (!parsed->ok()) continue;
    const auto& bgp4mp = parsed->value();
    ++t.messages;
    SessionOptions o;
    o.four_octet_as = bgp4mp.four_octet_as;
    // MRT does not record RFC 8654 negotiation; collectors accept up to 65535.
    o.extended_message = true;
    o.add_path = bgp4mp.add_path;
    EXPECT_EQ(fuzz::CheckBgpRoundTrip(bgp4mp.message, o), "") << name;
    auto decoded = DecodeMessage(bgp4mp.message, o);
    if (!decoded) {
      const auto& e = decoded.error();
      ++t.errors[std::to_string(e.code) + "/" + std::to_string(e.subcode) + " " +
                 std::string(ToString(e.handling)) + ": " + e.reason];
      continue;
    }
    ++t.well_formed;
    auto encoded = EncodeMessage(*decoded, o);
    EXPECT_TRUE(encoded.ok());
    if (!encoded.ok()) continue;
    Bytes original(bgp4mp.message.begin(), bgp4mp.message.end());
    if (*encoded == original) {
      ++t.exact;
    } else if (DecodeMessage(*encoded, o).value_or(Message{}) == *decoded) {
      ++t.normalised;
    } else {
      ++t.reencode_mismatch;
    }
  }
  std::cout << name << ": records " << t.records << ", messages " << t.messages << ", well-formed "
            << t.well_formed << " (exact " << t.exact << ", normalised " << t.normalised
            << "), malformed " << (t.messages - t.well_formed) << "\n";
  for (const auto& [k, v] : t.errors) std::cout << "  " << v << " x " << k << "\n";
  return t;
}

TEST(BgpData, Mrt2002TwoOctetDump) {
  auto t = WalkMrt("updates.20020722.2238.gz");
  EXPECT_EQ(t.records, 1121);
  EXPECT_EQ(t.messages, 1028);
  EXPECT_EQ(t.reencode_mismatch, 0);
  EXPECT_EQ(t.normalised, 0);
  EXPECT_EQ(t.exact, t.well_formed);
}

TEST(BgpData, Mrt2016FourOctetDump) {
  auto t = WalkMrt("updates.20160811.1600.gz");
  EXPECT_EQ(t.records, 17406);
  EXPECT_EQ(t.messages, 17384);
  EXPECT_EQ(t.reencode_mismatch, 0);
  EXPECT_EQ(t.normalised, 0);
  EXPECT_EQ(t.exact, t.well_formed);
}

TEST(BgpData, MrtLongWithdrawal) {
  auto t = WalkMrt("updates.long_withdrawal.gz");
  EXPECT_EQ(t.messages, 1);
  EXPECT_EQ(t.exact, 1);
}

TEST(BgpData, MrtTruncatedTrailingNlriIsMalformed) {
  // The NLRI field is 0d 0b 0d 0b: 11.8.0.0/13 (host bits set, masked) and
  // then a /11 with no octets left. bgpdump prints the first prefix; RFC 7606
  // 3.j makes the unparseable NLRI field a session reset.
  auto t = WalkMrt("updates.nlri_mask_trailing_bits.gz");
  EXPECT_EQ(t.messages, 1);
  EXPECT_EQ(t.well_formed, 0);
  ASSERT_EQ(t.errors.size(), 1u);
  EXPECT_EQ(t.errors.begin()->first.rfind("3/10 session-reset", 0), 0u);
}

}  // namespace
}  // namespace vipcast::wire::bgp
