// vipcast-speaker's command line: required flags, seeds, ports, log levels;
// errors are values, never exits.
#include "prod/speaker/speaker_flags.h"

#include <gtest/gtest.h>

namespace vipcast::speaker_main {
namespace {

TEST(SpeakerFlagsTest, ParsesEveryFlag) {
  auto f = ParseSpeakerFlags({"--node", "n1", "--manifests", "/m", "--secret-file=/s", "--status",
                              "/st", "--interface", "eth0,eth1", "--membership-port", "7000",
                              "--members", "10.0.0.1:7946,10.0.0.2,[2001:db8::1]:9", "--profile",
                              "metallb", "--log-level", "debug", "--address", "10.0.0.9"});
  ASSERT_TRUE(f.ok()) << f.error();
  EXPECT_EQ(f->node, "n1");
  EXPECT_EQ(f->manifests, std::vector<std::string>{"/m"});
  EXPECT_EQ(f->secret_file, "/s");
  EXPECT_EQ(f->status, "/st");
  EXPECT_EQ(f->interfaces, (std::vector<std::string>{"eth0", "eth1"}));
  EXPECT_EQ(f->membership_port, 7000);
  ASSERT_EQ(f->members.size(), 3u);
  EXPECT_EQ(f->members[0].ToString(), "10.0.0.1:7946");
  EXPECT_EQ(f->members[1].ToString(), "10.0.0.2:7000");  // bare address: membership port
  EXPECT_EQ(f->members[2].ToString(), "[2001:db8::1]:9");
  EXPECT_EQ(f->profile, "metallb");
  EXPECT_EQ(f->log_level, core::LogLevel::kDebug);
  EXPECT_EQ(f->address->ToString(), "10.0.0.9");
}

TEST(SpeakerFlagsTest, RefusesMissingAndBadValues) {
  EXPECT_FALSE(ParseSpeakerFlags({"--manifests", "/m", "--secret-file", "/s"}).ok());
  EXPECT_FALSE(ParseSpeakerFlags({"--node", "n1", "--secret-file", "/s"}).ok());
  EXPECT_FALSE(ParseSpeakerFlags({"--node", "n1", "--manifests", "/m"}).ok());
  const std::vector<std::string> base{"--node", "n1", "--manifests", "/m", "--secret-file", "/s"};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = base;
    args.insert(args.end(), extra.begin(), extra.end());
    return ParseSpeakerFlags(args);
  };
  EXPECT_TRUE(with({}).ok());
  EXPECT_FALSE(with({"--membership-port", "0"}).ok());
  EXPECT_FALSE(with({"--membership-port", "65536"}).ok());
  EXPECT_FALSE(with({"--members", "10.0.0.1:x"}).ok());
  EXPECT_FALSE(with({"--members", "host:1"}).ok());
  EXPECT_FALSE(with({"--log-level", "loud"}).ok());
  EXPECT_FALSE(with({"--bogus", "1"}).ok());
  EXPECT_FALSE(with({"--node"}).ok());  // value missing
  EXPECT_TRUE(ParseSpeakerFlags({"--help"})->help);
}

TEST(SpeakerFlagsTest, ParsesEndpoints) {
  EXPECT_EQ(ParseEndpoint("10.1.2.3", 7946)->ToString(), "10.1.2.3:7946");
  EXPECT_EQ(ParseEndpoint("[::1]", 5)->ToString(), "[::1]:5");
  EXPECT_EQ(ParseEndpoint("::1", 5)->ToString(), "[::1]:5");  // bare IPv6, no port
  EXPECT_FALSE(ParseEndpoint("[::1", 5).ok());
  EXPECT_FALSE(ParseEndpoint("10.1.2.3:", 5).ok());
  EXPECT_FALSE(ParseEndpoint("[::1]:", 5).ok());
  EXPECT_FALSE(ParseEndpoint("10.1.2.3:0", 5).ok());
  EXPECT_EQ(ParseEndpoint("10.1.2.3:0", 5, /*allow_port_zero=*/true)->ToString(), "10.1.2.3:0");
}

TEST(SpeakerFlagsTest, MetricsAddressDefaultsToMetalLBPortAndCanBeDisabled) {
  const std::vector<std::string> base{"--node", "n1", "--manifests", "/m", "--secret-file", "/s"};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = base;
    args.insert(args.end(), extra.begin(), extra.end());
    return ParseSpeakerFlags(args);
  };
  ASSERT_TRUE(with({})->metrics_address);
  EXPECT_EQ(with({})->metrics_address->ToString(), "0.0.0.0:7472");
  EXPECT_EQ(with({"--metrics-address", "127.0.0.1:0"})->metrics_address->ToString(), "127.0.0.1:0");
  EXPECT_EQ(with({"--metrics-address=[::1]:9100"})->metrics_address->ToString(), "[::1]:9100");
  EXPECT_EQ(with({"--metrics-address", "10.0.0.1"})->metrics_address->ToString(), "10.0.0.1:7472");
  EXPECT_FALSE(with({"--metrics-address", "none"})->metrics_address);
  EXPECT_FALSE(with({"--metrics-address", "localhost:7472"}).ok());
  EXPECT_FALSE(with({"--metrics-address", "10.0.0.1:99999"}).ok());
}

}  // namespace
}  // namespace vipcast::speaker_main
