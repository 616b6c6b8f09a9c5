// JSON log lines: valid escaping, threshold, facts rendered with their fields.
#include "prod/common/json_log.h"

#include <gtest/gtest.h>

#include <sstream>

#include "prod/common/json_escape.h"

namespace vipcast::prod {
namespace {

TEST(JsonLogTest, EscapesStrings) {
  std::string out;
  AppendJsonString(out, "a\"b\\c\nd\x01");
  EXPECT_EQ(out, R"("a\"b\\c\nd\u0001")");
}

TEST(JsonLogTest, WritesOneObjectPerLineAboveThreshold) {
  std::ostringstream s;
  JsonLogger log(s, core::LogLevel::kInfo, "n1");
  log.Write(core::LogLevel::kDebug, "hidden");
  log.Write(core::LogLevel::kWarning, "shown", {{"k", "v"}});
  const std::string text = s.str();
  EXPECT_EQ(text.find("hidden"), std::string::npos);
  EXPECT_NE(text.find(R"("level":"warning","node":"n1","msg":"shown","k":"v"})"), std::string::npos)
      << text;
  EXPECT_EQ(text.rfind("{\"ts\":\"", 0), 0u);
  EXPECT_EQ(text.back(), '\n');
}

TEST(JsonLogTest, RendersFacts) {
  std::ostringstream s;
  JsonLogger log(s, core::LogLevel::kInfo, "n2");
  log.WriteFact(core::VipAnnounced{core::Ipv4Addr::FromOctets(10, 0, 0, 1), "default/web",
                                   core::AnnounceMode::kLayer2, "eth0"});
  log.WriteFact(core::MetricChanged{"m", {}, 1});  // debug: not shown at info
  log.WriteFact(core::SendFrame{"eth0", {}});      // not a fact: ignored
  EXPECT_EQ(s.str().substr(s.str().find("\"msg\"")),
            R"("msg":"vip announced","vip":"10.0.0.1","service":"default/web",)"
            R"("mode":"layer2","interface":"eth0"})"
            "\n");
  EXPECT_TRUE(ParseLogLevel("warn").ok());
  EXPECT_FALSE(ParseLogLevel("verbose").ok());
}

}  // namespace
}  // namespace vipcast::prod
