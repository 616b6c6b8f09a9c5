#include "engine/core/result.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <type_traits>

namespace vipcast::core {
namespace {

Result<int> Half(int x) {
  if (x % 2 != 0) return MakeErr("odd: " + std::to_string(x));
  return x / 2;
}

TEST(ResultTest, HoldsAValue) {
  Result<int> r = Half(8);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(static_cast<bool>(r));
  EXPECT_EQ(r.value(), 4);
  EXPECT_EQ(*r, 4);
  EXPECT_EQ(r.value_or(-1), 4);
}

TEST(ResultTest, HoldsAnError) {
  Result<int> r = Half(3);
  ASSERT_FALSE(r.ok());
  EXPECT_FALSE(static_cast<bool>(r));
  EXPECT_EQ(r.error(), "odd: 3");
  EXPECT_EQ(r.value_or(-1), -1);
}

TEST(ResultTest, SameTypeForValueAndErrorIsUnambiguous) {
  Result<std::string, std::string> value = std::string("fine");
  Result<std::string, std::string> error = MakeErr(std::string("broken"));
  EXPECT_TRUE(value.ok());
  EXPECT_EQ(*value, "fine");
  EXPECT_FALSE(error.ok());
  EXPECT_EQ(error.error(), "broken");
  EXPECT_NE(value, error);
}

TEST(ResultTest, ErrorConvertsFromCompatibleTypes) {
  Result<int> from_literal = MakeErr("literal");
  EXPECT_EQ(from_literal.error(), "literal");
  Result<int> from_err = Err<std::string>{"braced"};
  EXPECT_EQ(from_err.error(), "braced");
}

TEST(ResultTest, CustomErrorType) {
  enum class Code { kShort, kBad };
  Result<int, Code> r = MakeErr(Code::kBad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), Code::kBad);
}

TEST(ResultTest, MovesOutMoveOnlyValuesAndErrors) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(5);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r.value(), 5);
  std::unique_ptr<int> taken = std::move(r).value();
  EXPECT_EQ(*taken, 5);

  Result<int, std::unique_ptr<int>> e = MakeErr(std::make_unique<int>(6));
  std::unique_ptr<int> err = std::move(e).error();
  EXPECT_EQ(*err, 6);
}

TEST(ResultTest, ArrowAndMutableAccess) {
  Result<std::string> r = std::string("abc");
  EXPECT_EQ(r->size(), 3u);
  r->push_back('d');
  *r += "e";
  r.value() += "f";
  EXPECT_EQ(*r, "abcdef");
}

TEST(ResultTest, ComparesValuesAndErrors) {
  EXPECT_EQ(Half(4), Half(4));
  EXPECT_NE(Half(4), Half(6));
  EXPECT_EQ(Half(3), Half(3));
  EXPECT_NE(Half(3), Half(5));
  EXPECT_NE(Half(4), Half(3));
}

TEST(ResultTest, IsNotImplicitlyABool) {
  static_assert(!std::is_convertible_v<Result<int>, bool>);
  static_assert(std::is_constructible_v<bool, Result<int>>);
  static_assert(std::is_same_v<Result<int>::value_type, int>);
  static_assert(std::is_same_v<Result<int>::error_type, std::string>);
}

TEST(StatusTest, OkAndError) {
  Status<> ok = Ok();
  EXPECT_TRUE(ok.ok());
  EXPECT_EQ(*ok, Unit{});
  Status<> bad = MakeErr("nope");
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.error(), "nope");
  EXPECT_EQ(Ok(), Ok());
}

}  // namespace
}  // namespace vipcast::core
