// UdpPort on loopback: one dual-stack socket carries IPv4 and IPv6
// datagrams, IPv4 peers appear as IPv4 (not v4-mapped) addresses, and the
// received TTL / hop limit and local address come with each datagram.
#include "prod/common/udp_port.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <vector>

namespace vipcast::prod {
namespace {

core::IpAddr Ip(const char* text) { return core::IpAddr::Parse(text).value(); }

// Runs `io` until `n` datagrams arrived or 2 s passed.
void RunUntil(boost::asio::io_context& io, const std::vector<core::DatagramReceived>& got,
              size_t n) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (got.size() < n && std::chrono::steady_clock::now() < deadline) {
    io.run_for(std::chrono::milliseconds(10));
    io.restart();
  }
}

TEST(UdpPort, CarriesIpv4AndIpv6OnOnePort) {
  boost::asio::io_context io;
  std::vector<core::DatagramReceived> got;
  UdpPort receiver(io, 47461, [&](core::DatagramReceived d) { got.push_back(std::move(d)); });
  ASSERT_EQ(receiver.Open(), "");
  UdpPort sender(io, 47462, [](core::DatagramReceived) {});
  ASSERT_EQ(sender.Open(), "");

  ASSERT_TRUE(sender.Send({{Ip("127.0.0.1"), 47462}, {Ip("127.0.0.1"), 47461}, 255, {1, 2, 3}, ""}));
  ASSERT_TRUE(sender.Send({{Ip("::1"), 47462}, {Ip("::1"), 47461}, 254, {4, 5}, ""}));
  RunUntil(io, got, 2);
  ASSERT_EQ(got.size(), 2u);

  EXPECT_EQ(got[0].remote.address, Ip("127.0.0.1"));
  EXPECT_EQ(got[0].remote.port, 47462);
  EXPECT_EQ(got[0].local.address, Ip("127.0.0.1"));
  EXPECT_EQ(got[0].ttl, 255);
  EXPECT_EQ(got[0].interface, "lo");
  EXPECT_EQ(got[0].payload, (core::Bytes{1, 2, 3}));

  EXPECT_EQ(got[1].remote.address, Ip("::1"));
  EXPECT_EQ(got[1].local.address, Ip("::1"));
  EXPECT_EQ(got[1].ttl, 254);  // the hop limit
  EXPECT_EQ(got[1].interface, "lo");
  EXPECT_EQ(got[1].payload, (core::Bytes{4, 5}));
}

}  // namespace
}  // namespace vipcast::prod
