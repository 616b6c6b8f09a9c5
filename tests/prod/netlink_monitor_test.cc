// NetlinkMonitor: the message walker on hand-built, truncated and garbage
// buffers (no socket), and the monitor itself in a network namespace the
// test creates in a child process (root only; skipped otherwise), where
// bringing that namespace's loopback up must produce a notification.
#include "prod/common/netlink_monitor.h"

#include <gtest/gtest.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>
#include <vector>

namespace vipcast::prod {
namespace {

using Bytes = std::vector<uint8_t>;

// Appends one message of `type` whose payload is `payload` bytes of 0xab,
// padded to NLMSG_ALIGN unless `pad` is false.
void Append(Bytes& out, uint16_t type, size_t payload, bool pad = true) {
  nlmsghdr header{};
  header.nlmsg_len = static_cast<uint32_t>(NLMSG_LENGTH(payload));
  header.nlmsg_type = type;
  const size_t start = out.size();
  out.resize(start + sizeof(header));
  std::memcpy(out.data() + start, &header, sizeof(header));
  out.insert(out.end(), payload, 0xab);
  if (pad) out.resize(start + NLMSG_ALIGN(header.nlmsg_len), 0);
}

void AppendError(Bytes& out, int error) {
  const size_t start = out.size();
  Append(out, NLMSG_ERROR, sizeof(nlmsgerr));
  std::memcpy(out.data() + start + sizeof(nlmsghdr), &error, sizeof(error));
}

NetlinkSummary Walk(const Bytes& bytes) { return WalkNetlinkMessages(bytes); }

TEST(NetlinkWalkTest, EmptyBufferIsNothing) {
  const NetlinkSummary s = Walk({});
  EXPECT_EQ(s.messages, 0u);
  EXPECT_FALSE(s.changed());
  EXPECT_FALSE(s.truncated);
}

TEST(NetlinkWalkTest, CountsLinkAndAddressChanges) {
  Bytes b;
  Append(b, RTM_NEWLINK, sizeof(ifinfomsg) + 21);  // odd length: padded
  Append(b, RTM_NEWADDR, sizeof(ifaddrmsg) + 8);
  Append(b, RTM_DELADDR, sizeof(ifaddrmsg) + 8);
  Append(b, RTM_DELLINK, sizeof(ifinfomsg), /*pad=*/false);
  const NetlinkSummary s = Walk(b);
  EXPECT_EQ(s.messages, 4u);
  EXPECT_EQ(s.link_changes, 2u);
  EXPECT_EQ(s.address_changes, 2u);
  EXPECT_TRUE(s.changed());
  EXPECT_FALSE(s.truncated);
}

TEST(NetlinkWalkTest, LastMessageWithoutPaddingIsWhole) {
  Bytes b;
  Append(b, RTM_NEWLINK, 3, /*pad=*/false);  // 19 bytes, not a multiple of 4
  const NetlinkSummary s = Walk(b);
  EXPECT_EQ(s.messages, 1u);
  EXPECT_FALSE(s.truncated);
}

TEST(NetlinkWalkTest, OtherTypesAreNotChanges) {
  Bytes b;
  Append(b, RTM_NEWROUTE, sizeof(rtmsg));
  Append(b, NLMSG_NOOP, 0);
  const NetlinkSummary s = Walk(b);
  EXPECT_EQ(s.messages, 2u);
  EXPECT_FALSE(s.changed());
}

TEST(NetlinkWalkTest, LengthShorterThanHeaderStopsTheWalk) {
  Bytes b;
  Append(b, RTM_NEWADDR, 8);
  Append(b, RTM_NEWLINK, 8);
  nlmsghdr second;
  std::memcpy(&second, b.data() + NLMSG_ALIGN(NLMSG_LENGTH(8)), sizeof(second));
  second.nlmsg_len = 4;  // NLMSG_OK fails: walking on would loop or misread
  std::memcpy(b.data() + NLMSG_ALIGN(NLMSG_LENGTH(8)), &second, sizeof(second));
  const NetlinkSummary s = Walk(b);
  EXPECT_EQ(s.messages, 1u);
  EXPECT_EQ(s.address_changes, 1u);
  EXPECT_EQ(s.link_changes, 0u);
  EXPECT_TRUE(s.truncated);
}

TEST(NetlinkWalkTest, LengthBeyondTheBufferIsTruncated) {
  Bytes b;
  Append(b, RTM_NEWLINK, 64);
  b.resize(b.size() - 10);  // a datagram cut short
  const NetlinkSummary s = Walk(b);
  EXPECT_EQ(s.messages, 0u);
  EXPECT_FALSE(s.changed());
  EXPECT_TRUE(s.truncated);
}

TEST(NetlinkWalkTest, TrailingBytesShorterThanAHeaderAreTruncated) {
  Bytes b;
  Append(b, RTM_NEWLINK, 16);
  b.insert(b.end(), {1, 2, 3, 4, 5});
  const NetlinkSummary s = Walk(b);
  EXPECT_EQ(s.messages, 1u);
  EXPECT_EQ(s.link_changes, 1u);
  EXPECT_TRUE(s.truncated);
}

TEST(NetlinkWalkTest, ErrorsAcksOverrunAndDone) {
  Bytes ack;
  AppendError(ack, 0);
  EXPECT_FALSE(Walk(ack).kernel_error);

  Bytes error;
  AppendError(error, -ENOBUFS);
  EXPECT_TRUE(Walk(error).kernel_error);

  Bytes short_error;
  Append(short_error, NLMSG_ERROR, 2);  // too short for the errno
  EXPECT_TRUE(Walk(short_error).truncated);

  Bytes overrun;
  Append(overrun, NLMSG_OVERRUN, 0);
  EXPECT_TRUE(Walk(overrun).overrun);

  Bytes done;  // nothing after NLMSG_DONE is read
  Append(done, NLMSG_DONE, 4);
  Append(done, RTM_NEWLINK, 16);
  const NetlinkSummary s = Walk(done);
  EXPECT_EQ(s.messages, 1u);
  EXPECT_FALSE(s.changed());
}

TEST(NetlinkWalkTest, MisalignedBufferIsWalkedTheSame) {
  Bytes b;
  Append(b, RTM_NEWLINK, 20);
  Append(b, RTM_NEWADDR, 12);
  Bytes shifted(b.size() + 1);
  std::memcpy(shifted.data() + 1, b.data(), b.size());
  const NetlinkSummary s =
      WalkNetlinkMessages(std::span<const uint8_t>(shifted.data() + 1, b.size()));
  EXPECT_EQ(s.link_changes, 1u);
  EXPECT_EQ(s.address_changes, 1u);
}

TEST(NetlinkWalkTest, GarbageNeverCountsMoreMessagesThanFit) {
  // Deterministic pseudo-random buffers of every length up to 300 bytes
  // (xorshift32), half of them starting with a plausible header.
  uint32_t state = 0x9e3779b9u;
  auto next = [&state] {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    return state;
  };
  for (size_t size = 0; size <= 300; ++size) {
    for (int round = 0; round < 20; ++round) {
      Bytes b(size);
      for (uint8_t& byte : b) byte = static_cast<uint8_t>(next());
      if (round % 2 == 0 && size >= sizeof(nlmsghdr)) {
        const uint32_t length = next() % (size + 8);
        std::memcpy(b.data(), &length, sizeof(length));
      }
      const NetlinkSummary s = Walk(b);
      ASSERT_LE(s.messages * sizeof(nlmsghdr), size);
      ASSERT_LE(s.link_changes + s.address_changes, s.messages);
    }
  }
}

// In a child process with a network namespace of its own (removed when it
// exits): open the monitor, bring that namespace's `lo` up, and see the
// notification. Exit codes: 0 seen, 1 not seen, 2 monitor failed, 77 no
// namespace (not root).
int ChildSeesLoopbackUp() {
  if (::unshare(CLONE_NEWNET) != 0) return 77;
  boost::asio::io_context io;
  std::optional<NetlinkTrigger> seen;
  NetlinkMonitor monitor(io, [&seen](NetlinkTrigger t) { seen = t; });
  if (!monitor.Open().empty()) return 2;
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 2;
  ifreq request{};
  std::strncpy(request.ifr_name, "lo", IFNAMSIZ - 1);
  if (::ioctl(fd, SIOCGIFFLAGS, &request) != 0) return 2;
  request.ifr_flags = static_cast<short>(request.ifr_flags | IFF_UP);
  if (::ioctl(fd, SIOCSIFFLAGS, &request) != 0) return 2;
  ::close(fd);
  for (int i = 0; i < 500 && !seen; ++i) io.run_for(std::chrono::milliseconds(10));
  return seen == NetlinkTrigger::kChanged ? 0 : 1;
}

TEST(NetlinkMonitorTest, LinkChangeInOwnNamespaceIsReported) {
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) ::_exit(ChildSeesLoopbackUp());
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  if (WEXITSTATUS(status) == 77) GTEST_SKIP() << "needs root (a network namespace of its own)";
  EXPECT_EQ(WEXITSTATUS(status), 0) << "1: no notification; 2: monitor or ioctl failed";
}

TEST(NetlinkMonitorTest, OpensAndClosesWithoutCallbacks) {
  boost::asio::io_context io;
  int calls = 0;
  NetlinkMonitor monitor(io, [&calls](NetlinkTrigger) { ++calls; });
  const std::string error = monitor.Open();
  if (!error.empty()) GTEST_SKIP() << error;
  EXPECT_TRUE(monitor.is_open());
  monitor.Close();
  EXPECT_FALSE(monitor.is_open());
  io.run_for(std::chrono::milliseconds(20));
  EXPECT_EQ(calls, 0);
}

}  // namespace
}  // namespace vipcast::prod
