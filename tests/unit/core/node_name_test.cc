#include "engine/core/node_name.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace vipcast::core {
namespace {

TEST(NodeNameTest, AcceptsDns1123Subdomains) {
  for (std::string text :
       {std::string("a"), std::string("0"), std::string("node-1"),
        std::string("worker.example.com"), std::string("k8s-w1.rack-2.dc"), std::string(253, 'a'),
        std::string(63, 'a') + "." + std::string(63, 'b')}) {
    auto name = NodeName::Parse(text);
    ASSERT_TRUE(name.ok()) << text << ": " << name.error();
    EXPECT_EQ(name->str(), text);
    EXPECT_EQ(name->ToString(), text);
  }
}

TEST(NodeNameTest, RejectsWithExactError) {
  struct Case {
    std::string text;
    std::string error;
  };
  const std::string long_name(254, 'a');
  for (const Case& c : std::vector<Case>{
           {"", "invalid node name: must not be empty"},
           {long_name,
            "invalid node name: \"" + long_name + "\" must be no more than 253 characters"},
           {"Node1",
            "invalid node name: \"Node1\" must consist of lower case alphanumeric "
            "characters, '-' or '.'"},
           {"a_b",
            "invalid node name: \"a_b\" must consist of lower case alphanumeric characters, "
            "'-' or '.'"},
           {"a b",
            "invalid node name: \"a b\" must consist of lower case alphanumeric characters, "
            "'-' or '.'"},
           {"-a", "invalid node name: \"-a\" must start and end with an alphanumeric character"},
           {"a-", "invalid node name: \"a-\" must start and end with an alphanumeric character"},
           {".a", "invalid node name: \".a\" must start and end with an alphanumeric character"},
           {"a.", "invalid node name: \"a.\" must start and end with an alphanumeric character"},
           {"a..b",
            "invalid node name: \"a..b\" must start and end each '.'-separated label with "
            "an alphanumeric character"},
           {"a.-b",
            "invalid node name: \"a.-b\" must start and end each '.'-separated label with "
            "an alphanumeric character"},
           {"a-.b",
            "invalid node name: \"a-.b\" must start and end each '.'-separated label with "
            "an alphanumeric character"},
       }) {
    auto name = NodeName::Parse(c.text);
    ASSERT_FALSE(name.ok()) << c.text;
    EXPECT_EQ(name.error(), c.error);
  }
}

TEST(NodeNameTest, OrdersLexicographically) {
  EXPECT_LT(NodeName::Parse("a").value(), NodeName::Parse("b").value());
  EXPECT_LT(NodeName::Parse("node-10").value(), NodeName::Parse("node-9").value());
  EXPECT_EQ(NodeName::Parse("a").value(), NodeName::Parse("a").value());
  EXPECT_EQ(NodeName().str(), "");
}

TEST(Dns1123Test, LabelRuleForbidsDotsAndLimitsTo63) {
  EXPECT_TRUE(CheckDns1123Label("kube-system").ok());
  EXPECT_TRUE(CheckDns1123Label(std::string(63, 'a')).ok());
  EXPECT_EQ(CheckDns1123Label(std::string(64, 'a')).error(),
            "\"" + std::string(64, 'a') + "\" must be no more than 63 characters");
  EXPECT_EQ(CheckDns1123Label("a.b").error(),
            "\"a.b\" must consist of lower case alphanumeric characters, '-'");
  EXPECT_EQ(CheckDns1123Label("").error(), "must not be empty");
  EXPECT_EQ(CheckDns1123Label("-a").error(),
            "\"-a\" must start and end with an alphanumeric character");
}

TEST(Dns1123Test, SubdomainRule) {
  EXPECT_TRUE(CheckDns1123Subdomain("metallb-system.svc").ok());
  EXPECT_FALSE(CheckDns1123Subdomain("UPPER").ok());
  EXPECT_FALSE(CheckDns1123Subdomain("x..y").ok());
}

}  // namespace
}  // namespace vipcast::core
