// One row per RFC 7606 (and related) error class: the input, the session
// options, and the handling, NOTIFICATION code/subcode the codec must give.
#include <gtest/gtest.h>

#include "engine/wire/bgp/error_codes.h"
#include "engine/wire/bgp/message.h"
#include "tests/unit/wire/bgp/bgp_test_util.h"

namespace vipcast::wire::bgp {
namespace {

using namespace testing;

constexpr auto kReset = ErrorHandling::kSessionReset;
constexpr auto kDisable = ErrorHandling::kAfiSafiDisable;
constexpr auto kTaw = ErrorHandling::kTreatAsWithdraw;
constexpr auto kDiscard = ErrorHandling::kAttributeDiscard;

struct Row {
  const char* name;
  const char* source;  // the section that prescribes the outcome
  SessionOptions options;
  Bytes message;
  bool ok;  // decodes without error
  ErrorHandling handling = kReset;
  uint8_t code = 3;
  uint8_t subcode = 0;
};

Row Ok(const char* name, const char* source, SessionOptions o, Bytes m) {
  return Row{name, source, o, std::move(m), true};
}
Row Bad(const char* name, const char* source, SessionOptions o, Bytes m, ErrorHandling h,
        uint8_t code, uint8_t subcode) {
  return Row{name, source, o, std::move(m), false, h, code, subcode};
}

const SessionOptions k4 = Opts(true);
const SessionOptions k2 = Opts(false);

// The mandatory attributes for an IPv4 NLRI UPDATE on a 4-octet session.
Bytes Base4() { return Cat({OriginAttr(), AsPath4(), NextHop()}); }
Bytes Base2() { return Cat({OriginAttr(), AsPath2(), NextHop()}); }

// An IPv6 unicast MP_REACH_NLRI value with a 16-octet next hop and 2001:db8::/32.
Bytes MpReachV6Value() {
  return Cat(
      {{0, 2, 1, 16}, Hex("20010db8000000000000000000000001"), {0}, {32, 0x20, 0x01, 0x0d, 0xb8}});
}
Bytes MpReachV6() { return Attr(0x80, 14, MpReachV6Value()); }
Bytes MpUnreachV6() { return Attr(0x80, 15, {0, 2, 1, 32, 0x20, 0x01, 0x0d, 0xb8}); }

std::vector<Row> Rows() {
  return {
      // --- well-formed baselines -------------------------------------------
      Ok("valid_ipv4", "RFC 4271 4.3", k4, UpdateMsg({}, Base4(), Nlri24())),
      Ok("valid_2_octet", "RFC 4271 4.3", k2, UpdateMsg({}, Base2(), Nlri24())),
      Ok("withdraw_only", "RFC 4271 4.3", k4, UpdateMsg({8, 10}, {}, {})),
      Ok("end_of_rib_ipv4", "RFC 4724 2", k4, UpdateMsg({}, {}, {})),
      Ok("end_of_rib_mp", "RFC 4724 2", k4, UpdateMsg({}, Attr(0x80, 15, {0, 2, 1}), {})),
      Ok("mp_reach_without_next_hop", "RFC 4760 3", k4,
         UpdateMsg({}, Cat({MpReachV6(), OriginAttr(), AsPath4()}), {})),
      Ok("mp_reach_32_octet_next_hop", "RFC 2545 3", k4,
         UpdateMsg({},
                   Cat({Attr(0x80, 14, Cat({{0, 2, 1, 32}, Bytes(32, 0xfe), {0}, {0}})),
                        OriginAttr(), AsPath4()}),
                   {})),
      Ok("mp_reach_ipv4_with_ipv6_next_hop", "RFC 8950 3", k4,
         UpdateMsg({},
                   Cat({Attr(0x80, 14, Cat({{0, 1, 1, 16}, Bytes(16, 0x20), {0}, Nlri24()})),
                        OriginAttr(), AsPath4()}),
                   {})),
      Ok("mp_other_family_kept_raw", "RFC 4760 3", k4,
         UpdateMsg({},
                   Cat({Attr(0x80, 14, {0, 1,  128, 12, 0, 0, 0,    0, 0, 0, 0,
                                        0, 10, 0,   0,  1, 0, 0x70, 1, 2, 3}),
                        OriginAttr(), AsPath4()}),
                   {})),
      // RFC 4271 4.3: the low four flag bits are unused and MUST be ignored.
      Ok("reserved_flag_bits_set", "RFC 4271 4.3", k4,
         UpdateMsg({}, Cat({Attr(0x4f, 1, {0}), AsPath4(), Attr(0x45, 3, {192, 0, 2, 1})}),
                   Nlri24())),
      Ok("extended_length_on_short_attribute", "RFC 4271 4.3", k4,
         UpdateMsg({}, Cat({Attr(0x50, 1, {0}), AsPath4(), NextHop()}), Nlri24())),
      Ok("partial_bit_on_optional_transitive", "RFC 4271 4.3", k4,
         UpdateMsg({}, Cat({Base4(), Attr(0xe0, 8, {0, 1, 0, 2})}), Nlri24())),
      Ok("unknown_optional_transitive_kept", "RFC 4271 5", k4,
         UpdateMsg({}, Cat({Base4(), Attr(0xc0, 99, {1, 2, 3})}), Nlri24())),
      // RFC 4271 5: receivers accept attributes in any order.
      Ok("as4_path_before_as_path", "RFC 4271 5, RFC 6793 4.2.3", k2,
         UpdateMsg({},
                   Cat({Attr(0xc0, 17, {2, 1, 0, 1, 0x11, 0x70}), OriginAttr(),
                        Attr(0x40, 2, {2, 1, 0x5b, 0xa0}), NextHop()}),
                   Nlri24())),
      Ok("large_communities", "RFC 8092 3", k4,
         UpdateMsg({}, Cat({Base4(), Attr(0xc0, 32, Bytes(24, 7))}), Nlri24())),
      Ok("as_set_and_confed_segments", "RFC 5065 3", k4,
         UpdateMsg({},
                   Cat({OriginAttr(),
                        Attr(0x40, 2, {3, 1, 0, 0, 0xfd, 0xe9, 2, 1, 0, 0, 0xfd, 0xe8, 1,    2,
                                       0, 0, 0, 1, 0,    0,    0, 2, 4, 1, 0,    0,    0xfd, 0xea}),
                        NextHop()}),
                   Nlri24())),

      // --- RFC 7606 3.b / 3.i / 3.j: lengths and NLRI fields ----------------
      Bad("withdrawn_length_overrun", "RFC 7606 3.b", k4, Msg(2, {0, 50, 8, 10, 0, 0}), kReset, 3,
          update_error::kMalformedAttributeList),
      Bad("total_attribute_length_overrun", "RFC 7606 3.b", k4,
          Msg(2, {0, 0, 0, 40, 0x40, 1, 1, 0}), kReset, 3, update_error::kMalformedAttributeList),
      Bad("nlri_prefix_too_long", "RFC 7606 3.j, 5.3", k4,
          UpdateMsg({}, Base4(), {33, 1, 2, 3, 4, 5}), kReset, 3,
          update_error::kInvalidNetworkField),
      Bad("nlri_truncated", "RFC 7606 3.j, 5.3", k4, UpdateMsg({}, Base4(), {24, 10, 0}), kReset, 3,
          update_error::kInvalidNetworkField),
      Bad("withdrawn_unparseable", "RFC 7606 3.i", k4, UpdateMsg({40, 10}, {}, {}), kReset, 3,
          update_error::kInvalidNetworkField),

      // --- RFC 7606 4: attribute length overruns ---------------------------
      Bad("attribute_length_overruns_list", "RFC 7606 4", k4,
          UpdateMsg({}, Cat({OriginAttr(), AsPath4(), Bytes{0x40, 3, 9, 192, 0, 2, 1}}), Nlri24()),
          kTaw, 3, update_error::kAttributeLengthError),
      Bad("attribute_header_truncated", "RFC 7606 4", k4,
          UpdateMsg({}, Cat({Base4(), Bytes{0x40}}), Nlri24()), kTaw, 3,
          update_error::kAttributeLengthError),
      Bad("extended_length_header_truncated", "RFC 7606 4", k4,
          UpdateMsg({}, Cat({Base4(), Bytes{0x50, 8, 0}}), Nlri24()), kTaw, 3,
          update_error::kAttributeLengthError),

      // --- RFC 7606 3.c: flags --------------------------------------------
      Bad("origin_marked_optional", "RFC 7606 3.c", k4,
          UpdateMsg({}, Cat({Attr(0xc0, 1, {0}), AsPath4(), NextHop()}), Nlri24()), kTaw, 3,
          update_error::kAttributeFlagsError),
      Bad("as_path_not_transitive", "RFC 7606 3.c", k4,
          UpdateMsg({}, Cat({OriginAttr(), Attr(0x00, 2, {2, 1, 0, 0, 0xfd, 0xe8}), NextHop()}),
                    Nlri24()),
          kTaw, 3, update_error::kAttributeFlagsError),
      Bad("med_marked_transitive", "RFC 7606 3.c", k4,
          UpdateMsg({}, Cat({Base4(), Attr(0xc0, 4, {0, 0, 0, 1})}), Nlri24()), kTaw, 3,
          update_error::kAttributeFlagsError),
      Bad("communities_not_optional", "RFC 7606 3.c", k4,
          UpdateMsg({}, Cat({Base4(), Attr(0x40, 8, {0, 1, 0, 2})}), Nlri24()), kTaw, 3,
          update_error::kAttributeFlagsError),
      Bad("aggregator_flags_discarded", "RFC 7606 3.c, 7.7", k4,
          UpdateMsg({}, Cat({Base4(), Attr(0x40, 7, {0, 0, 0xfd, 0xe8, 10, 0, 0, 1})}), Nlri24()),
          kDiscard, 3, update_error::kAttributeFlagsError),
      Bad("atomic_aggregate_flags_discarded", "RFC 7606 3.c, 7.6", k4,
          UpdateMsg({}, Cat({Base4(), Attr(0xc0, 6, {})}), Nlri24()), kDiscard, 3,
          update_error::kAttributeFlagsError),
      Bad("mp_reach_marked_transitive", "RFC 7606 3.c", k4,
          UpdateMsg({}, Cat({Attr(0xc0, 14, MpReachV6Value()), OriginAttr(), AsPath4()}), {}), kTaw,
          3, update_error::kAttributeFlagsError),

      // --- RFC 7606 3.d: missing well-known attributes ---------------------
      Bad("missing_origin", "RFC 7606 3.d", k4,
          UpdateMsg({}, Cat({AsPath4(), NextHop()}), Nlri24()), kTaw, 3,
          update_error::kMissingWellKnownAttribute),
      Bad("missing_as_path", "RFC 7606 3.d", k4,
          UpdateMsg({}, Cat({OriginAttr(), NextHop()}), Nlri24()), kTaw, 3,
          update_error::kMissingWellKnownAttribute),
      Bad("missing_next_hop", "RFC 7606 3.d", k4,
          UpdateMsg({}, Cat({OriginAttr(), AsPath4()}), Nlri24()), kTaw, 3,
          update_error::kMissingWellKnownAttribute),
      Bad("mp_reach_missing_as_path", "RFC 7606 3.d, RFC 4760 3", k4,
          UpdateMsg({}, Cat({MpReachV6(), OriginAttr()}), {}), kTaw, 3,
          update_error::kMissingWellKnownAttribute),

      // --- RFC 7606 7.x: per-attribute --------------------------------------
      Bad("origin_length_2", "RFC 7606 7.1", k4,
          UpdateMsg({}, Cat({Attr(0x40, 1, {0, 0}), AsPath4(), NextHop()}), Nlri24()), kTaw, 3,
          update_error::kAttributeLengthError),
      Bad("origin_value_3", "RFC 7606 7.1", k4,
          UpdateMsg({}, Cat({Attr(0x40, 1, {3}), AsPath4(), NextHop()}), Nlri24()), kTaw, 3,
          update_error::kInvalidOriginAttribute),
      Bad("as_path_unknown_segment_type", "RFC 7606 7.2", k4,
          UpdateMsg({}, Cat({OriginAttr(), Attr(0x40, 2, {5, 1, 0, 0, 0xfd, 0xe8}), NextHop()}),
                    Nlri24()),
          kTaw, 3, update_error::kMalformedAsPath),
      Bad("as_path_segment_overrun", "RFC 7606 7.2", k4,
          UpdateMsg({}, Cat({OriginAttr(), Attr(0x40, 2, {2, 2, 0, 0, 0xfd, 0xe8}), NextHop()}),
                    Nlri24()),
          kTaw, 3, update_error::kMalformedAsPath),
      Bad("as_path_segment_underrun", "RFC 7606 7.2", k4,
          UpdateMsg({}, Cat({OriginAttr(), Attr(0x40, 2, {2, 1, 0, 0, 0xfd, 0xe8, 0}), NextHop()}),
                    Nlri24()),
          kTaw, 3, update_error::kMalformedAsPath),
      Bad("as_path_zero_length_segment", "RFC 7606 7.2", k4,
          UpdateMsg({}, Cat({OriginAttr(), Attr(0x40, 2, {2, 0}), NextHop()}), Nlri24()), kTaw, 3,
          update_error::kMalformedAsPath),
      Bad("as_path_2_octet_read_as_4", "RFC 7606 7.2", k4,
          UpdateMsg({}, Cat({OriginAttr(), AsPath2(), NextHop()}), Nlri24()), kTaw, 3,
          update_error::kMalformedAsPath),
      Bad("as_path_with_as_0", "RFC 7607 2", k4,
          UpdateMsg(
              {},
              Cat({OriginAttr(), Attr(0x40, 2, {2, 2, 0, 0, 0xfd, 0xe8, 0, 0, 0, 0}), NextHop()}),
              Nlri24()),
          kTaw, 3, update_error::kMalformedAsPath),
      Bad("next_hop_length_5", "RFC 7606 7.3", k4,
          UpdateMsg({}, Cat({OriginAttr(), AsPath4(), Attr(0x40, 3, {1, 2, 3, 4, 5})}), Nlri24()),
          kTaw, 3, update_error::kAttributeLengthError),
      Bad("next_hop_length_0", "RFC 7606 7.3", k4,
          UpdateMsg({}, Cat({OriginAttr(), AsPath4(), Attr(0x40, 3, {})}), Nlri24()), kTaw, 3,
          update_error::kAttributeLengthError),
      Bad("med_length_3", "RFC 7606 7.4", k4,
          UpdateMsg({}, Cat({Base4(), Attr(0x80, 4, {0, 0, 1})}), Nlri24()), kTaw, 3,
          update_error::kAttributeLengthError),
      Bad("local_pref_length_2", "RFC 7606 7.5", k4,
          UpdateMsg({}, Cat({Base4(), Attr(0x40, 5, {0, 1})}), Nlri24()), kTaw, 3,
          update_error::kAttributeLengthError),
      Bad("atomic_aggregate_length_1", "RFC 7606 7.6", k4,
          UpdateMsg({}, Cat({Base4(), Attr(0x40, 6, {0})}), Nlri24()), kDiscard, 3,
          update_error::kAttributeLengthError),
      Bad("aggregator_8_on_2_octet_session", "RFC 7606 7.7", k2,
          UpdateMsg({}, Cat({Base2(), Attr(0xc0, 7, {0, 0, 0xfd, 0xe8, 10, 0, 0, 1})}), Nlri24()),
          kDiscard, 3, update_error::kAttributeLengthError),
      Bad("aggregator_6_on_4_octet_session", "RFC 7606 7.7", k4,
          UpdateMsg({}, Cat({Base4(), Attr(0xc0, 7, {0xfd, 0xe8, 10, 0, 0, 1})}), Nlri24()),
          kDiscard, 3, update_error::kAttributeLengthError),
      Bad("aggregator_as_0", "RFC 7607 2", k4,
          UpdateMsg({}, Cat({Base4(), Attr(0xc0, 7, {0, 0, 0, 0, 10, 0, 0, 1})}), Nlri24()),
          kDiscard, 3, update_error::kOptionalAttributeError),
      Bad("communities_length_0", "RFC 7606 7.8", k4,
          UpdateMsg({}, Cat({Base4(), Attr(0xc0, 8, {})}), Nlri24()), kTaw, 3,
          update_error::kAttributeLengthError),
      Bad("communities_length_6", "RFC 7606 7.8", k4,
          UpdateMsg({}, Cat({Base4(), Attr(0xc0, 8, {0, 1, 0, 2, 0, 3})}), Nlri24()), kTaw, 3,
          update_error::kAttributeLengthError),
      Bad("communities_length_3", "RFC 7606 7.8", k4,
          UpdateMsg({}, Cat({Base4(), Attr(0xc0, 8, {0, 1, 0})}), Nlri24()), kTaw, 3,
          update_error::kAttributeLengthError),
      Bad("originator_id_length_3", "RFC 7606 7.9", k4,
          UpdateMsg({}, Cat({Base4(), Attr(0x80, 9, {1, 2, 3})}), Nlri24()), kTaw, 3,
          update_error::kAttributeLengthError),
      Bad("cluster_list_length_5", "RFC 7606 7.10", k4,
          UpdateMsg({}, Cat({Base4(), Attr(0x80, 10, {1, 2, 3, 4, 5})}), Nlri24()), kTaw, 3,
          update_error::kAttributeLengthError),
      Bad("extended_communities_length_7", "RFC 7606 7.14", k4,
          UpdateMsg({}, Cat({Base4(), Attr(0xc0, 16, Bytes(7, 0))}), Nlri24()), kTaw, 3,
          update_error::kAttributeLengthError),
      Bad("ipv6_extended_communities_length_19", "RFC 7606 7.15", k4,
          UpdateMsg({}, Cat({Base4(), Attr(0xc0, 25, Bytes(19, 0))}), Nlri24()), kTaw, 3,
          update_error::kAttributeLengthError),
      Bad("large_communities_length_13", "RFC 8092 6", k4,
          UpdateMsg({}, Cat({Base4(), Attr(0xc0, 32, Bytes(13, 0))}), Nlri24()), kTaw, 3,
          update_error::kAttributeLengthError),
      Bad("large_communities_length_0", "RFC 8092 6", k4,
          UpdateMsg({}, Cat({Base4(), Attr(0xc0, 32, {})}), Nlri24()), kTaw, 3,
          update_error::kAttributeLengthError),
      Bad("unrecognized_well_known", "RFC 4271 6.3, RFC 7606 3.b", k4,
          UpdateMsg({}, Cat({Base4(), Attr(0x40, 99, {1})}), Nlri24()), kTaw, 3,
          update_error::kUnrecognizedWellKnownAttribute),

      // --- MP_REACH_NLRI / MP_UNREACH_NLRI (RFC 7606 7.11, 3.j, 5.3) --------
      Bad("mp_reach_too_short_for_afi_safi", "RFC 7606 3.j", k4,
          UpdateMsg({}, Cat({Attr(0x80, 14, {0, 2}), OriginAttr(), AsPath4()}), {}), kReset, 3,
          update_error::kOptionalAttributeError),
      Bad("mp_reach_ipv6_next_hop_length_5", "RFC 7606 7.11", k4,
          UpdateMsg({},
                    Cat({Attr(0x80, 14, {0, 2, 1, 5, 1, 2, 3, 4, 5, 0}), OriginAttr(), AsPath4()}),
                    {}),
          kDisable, 3, update_error::kOptionalAttributeError),
      Bad("mp_reach_ipv4_next_hop_length_8", "RFC 7606 7.11", k4,
          UpdateMsg({},
                    Cat({Attr(0x80, 14, Cat({{0, 1, 1, 8}, Bytes(8, 1), {0}, Nlri24()})),
                         OriginAttr(), AsPath4()}),
                    {}),
          kDisable, 3, update_error::kOptionalAttributeError),
      Bad("mp_reach_next_hop_overruns", "RFC 7606 7.11", k4,
          UpdateMsg({}, Cat({Attr(0x80, 14, {0, 2, 1, 16, 1, 2, 3}), OriginAttr(), AsPath4()}), {}),
          kDisable, 3, update_error::kOptionalAttributeError),
      Bad("mp_reach_missing_reserved", "RFC 7606 7.11", k4,
          UpdateMsg(
              {},
              Cat({Attr(0x80, 14, Cat({{0, 2, 1, 16}, Bytes(16, 1)})), OriginAttr(), AsPath4()}),
              {}),
          kDisable, 3, update_error::kOptionalAttributeError),
      Bad("mp_reach_nlri_prefix_129", "RFC 7606 3.j, 5.3", k4,
          UpdateMsg({},
                    Cat({Attr(0x80, 14, Cat({{0, 2, 1, 16}, Bytes(16, 1), {0}, {129}})),
                         OriginAttr(), AsPath4()}),
                    {}),
          kDisable, 3, update_error::kOptionalAttributeError),
      Bad("mp_unreach_nlri_truncated", "RFC 7606 3.j, 5.3", k4,
          UpdateMsg({}, Attr(0x80, 15, {0, 2, 1, 64, 0x20, 0x01}), {}), kDisable, 3,
          update_error::kOptionalAttributeError),
      Bad("mp_unreach_too_short", "RFC 7606 3.j", k4, UpdateMsg({}, Attr(0x80, 15, {0}), {}),
          kReset, 3, update_error::kOptionalAttributeError),

      // --- RFC 7606 3.g: duplicates ------------------------------------------
      Bad("duplicate_mp_reach", "RFC 7606 3.g", k4,
          UpdateMsg({}, Cat({MpReachV6(), OriginAttr(), AsPath4(), MpReachV6()}), {}), kReset, 3,
          update_error::kMalformedAttributeList),
      Bad("duplicate_mp_unreach", "RFC 7606 3.g", k4,
          UpdateMsg({}, Cat({MpUnreachV6(), MpUnreachV6()}), {}), kReset, 3,
          update_error::kMalformedAttributeList),
      Bad("duplicate_communities_discarded", "RFC 7606 3.g", k4,
          UpdateMsg({}, Cat({Base4(), Attr(0xc0, 8, {0, 1, 0, 2}), Attr(0xc0, 8, {0, 3, 0, 4})}),
                    Nlri24()),
          kDiscard, 3, update_error::kMalformedAttributeList),
      Bad("duplicate_origin_discarded", "RFC 7606 3.g", k4,
          UpdateMsg({}, Cat({Base4(), Attr(0x40, 1, {2})}), Nlri24()), kDiscard, 3,
          update_error::kMalformedAttributeList),

      // --- RFC 6793: AS4_PATH / AS4_AGGREGATOR -------------------------------
      Bad("as4_path_on_4_octet_session", "RFC 6793 4.1", k4,
          UpdateMsg({}, Cat({Base4(), Attr(0xc0, 17, {2, 1, 0, 1, 0x11, 0x70})}), Nlri24()),
          kDiscard, 3, update_error::kOptionalAttributeError),
      Bad("as4_path_malformed", "RFC 6793 6", k2,
          UpdateMsg({}, Cat({Base2(), Attr(0xc0, 17, {2, 2, 0, 1, 0x11, 0x70})}), Nlri24()),
          kDiscard, 3, update_error::kOptionalAttributeError),
      Bad("as4_path_malformed_before_as_path", "RFC 6793 6", k2,
          UpdateMsg({}, Cat({Attr(0xc0, 17, {9, 1, 0, 1, 0x11, 0x70}), Base2()}), Nlri24()),
          kDiscard, 3, update_error::kOptionalAttributeError),
      Bad("as4_path_with_as_0", "RFC 7607 2", k2,
          UpdateMsg({}, Cat({Base2(), Attr(0xc0, 17, {2, 1, 0, 0, 0, 0})}), Nlri24()), kDiscard, 3,
          update_error::kOptionalAttributeError),
      Bad("as4_aggregator_length_6", "RFC 6793 6", k2,
          UpdateMsg({}, Cat({Base2(), Attr(0xc0, 18, {0, 1, 10, 0, 0, 1})}), Nlri24()), kDiscard, 3,
          update_error::kAttributeLengthError),

      // --- RFC 7606 3.h: the strongest approach wins --------------------------
      Bad("discard_plus_withdraw_is_withdraw", "RFC 7606 3.h", k4,
          UpdateMsg({}, Cat({Base4(), Attr(0x40, 6, {0}), Attr(0xc0, 8, {0})}), Nlri24()), kTaw, 3,
          update_error::kAttributeLengthError),
      Bad("withdraw_plus_duplicate_mp_is_reset", "RFC 7606 3.h, 3.g", k4,
          UpdateMsg({}, Cat({Attr(0x40, 1, {7}), AsPath4(), MpUnreachV6(), MpUnreachV6()}),
                    Nlri24()),
          kReset, 3, update_error::kMalformedAttributeList),

      // --- RFC 7606 5.2: attributes but no reachable NLRI ---------------------
      Bad("no_nlri_with_malformed_attribute_resets", "RFC 7606 5.2", k4,
          UpdateMsg({8, 10}, Cat({Attr(0x40, 1, {0, 0})}), {}), kReset, 3,
          update_error::kAttributeLengthError),
      Bad("no_nlri_with_discardable_attribute_stays_discard", "RFC 7606 5.2", k4,
          UpdateMsg({8, 10}, Attr(0x40, 6, {0}), {}), kDiscard, 3,
          update_error::kAttributeLengthError),

      // ADD-PATH is not supported: the session never negotiates it.
      Bad("add_path_rejected", "codec limitation", SessionOptions{true, false, true},
          UpdateMsg({}, Base4(), Nlri24()), kReset, 3, update_error::kUnspecific),
  };
}

class Rfc7606Table : public ::testing::TestWithParam<Row> {};

TEST_P(Rfc7606Table, Handling) {
  const Row& row = GetParam();
  auto decoded = DecodeMessage(row.message, row.options);
  if (row.ok) {
    ASSERT_TRUE(decoded.ok()) << row.source << ": " << decoded.error().reason;
    // A well-formed message re-encodes to its own bytes.
    auto encoded = EncodeMessage(*decoded, row.options);
    ASSERT_TRUE(encoded.ok());
    EXPECT_EQ(core::ToHex(*encoded), core::ToHex(row.message));
    return;
  }
  ASSERT_FALSE(decoded.ok()) << row.source;
  const DecodeError& e = decoded.error();
  EXPECT_EQ(e.handling, row.handling) << row.source << ": " << e.reason;
  EXPECT_EQ(e.code, row.code) << e.reason;
  EXPECT_EQ(e.subcode, row.subcode) << e.reason;
  EXPECT_FALSE(e.reason.empty());
  if (e.handling == kReset) {
    EXPECT_EQ(e.update, nullptr);
  } else {
    ASSERT_NE(e.update, nullptr) << "non-reset UPDATE errors carry the usable message";
  }
  if (e.handling == kDisable) {
    EXPECT_TRUE(e.afi_safi.has_value());
  }
}

INSTANTIATE_TEST_SUITE_P(Rows, Rfc7606Table, ::testing::ValuesIn(Rows()),
                         [](const ::testing::TestParamInfo<Row>& info) { return info.param.name; });

// --- details the table does not show ------------------------------------------

TEST(Rfc7606, TreatAsWithdrawListsEveryPrefixOfTheUpdate) {
  Bytes m = UpdateMsg(
      {8, 10}, Cat({MpReachV6(), MpUnreachV6(), OriginAttr(), AsPath4(), Attr(0x40, 3, {1, 2, 3})}),
      Nlri24());
  auto decoded = DecodeMessage(m, k4);
  ASSERT_FALSE(decoded.ok());
  const auto& e = decoded.error();
  EXPECT_EQ(e.handling, kTaw);
  std::vector<core::Prefix> expected = {P("10.0.0.0/8"), P("198.51.100.0/24"), P("2001:db8::/32"),
                                        P("2001:db8::/32")};
  EXPECT_EQ(e.withdraw, expected);
  // The usable message lacks the malformed NEXT_HOP.
  ASSERT_NE(e.update, nullptr);
  EXPECT_EQ(e.update->Find<NextHopAttribute>(), nullptr);
  EXPECT_NE(e.update->Find<OriginAttribute>(), nullptr);
}

TEST(Rfc7606, MpReachWithBadFlagsStillYieldsItsPrefixes) {
  Bytes m = UpdateMsg({}, Cat({Attr(0xc0, 14, MpReachV6Value()), OriginAttr(), AsPath4()}), {});
  auto decoded = DecodeMessage(m, k4);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().withdraw, std::vector<core::Prefix>{P("2001:db8::/32")});
}

TEST(Rfc7606, AttributeDiscardDropsOnlyTheAttribute) {
  Bytes m =
      UpdateMsg({}, Cat({Base4(), Attr(0x40, 6, {0}), Attr(0xc0, 8, {0, 1, 0, 2})}), Nlri24());
  auto decoded = DecodeMessage(m, k4);
  ASSERT_FALSE(decoded.ok());
  const auto& e = decoded.error();
  EXPECT_EQ(e.handling, kDiscard);
  ASSERT_NE(e.update, nullptr);
  EXPECT_EQ(e.update->Find<AtomicAggregateAttribute>(), nullptr);
  ASSERT_NE(e.update->Find<CommunitiesAttribute>(), nullptr);
  EXPECT_EQ(e.update->nlri, std::vector<core::Prefix>{P("198.51.100.0/24")});
  EXPECT_EQ(e.update->attributes.size(), 4u);
}

TEST(Rfc7606, DuplicateKeepsTheFirstOccurrence) {
  Bytes m = UpdateMsg({}, Cat({Base4(), Attr(0xc0, 8, {0, 1, 0, 2}), Attr(0xc0, 8, {0, 3, 0, 4})}),
                      Nlri24());
  auto decoded = DecodeMessage(m, k4);
  ASSERT_FALSE(decoded.ok());
  const auto* c = decoded.error().update->Find<CommunitiesAttribute>();
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->communities, std::vector<uint32_t>{0x00010002});
}

TEST(Rfc7606, MissingAttributeDataIsTheTypeCode) {
  auto decoded = DecodeMessage(UpdateMsg({}, Cat({OriginAttr(), AsPath4()}), Nlri24()), k4);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().data, Bytes{3});
}

TEST(Rfc7606, MalformedAttributeDataIsTheAttribute) {
  Bytes bad = Attr(0x40, 3, {1, 2, 3, 4, 5});
  auto decoded = DecodeMessage(UpdateMsg({}, Cat({OriginAttr(), AsPath4(), bad}), Nlri24()), k4);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().data, bad);
}

TEST(Rfc7606, AfiSafiDisableNamesTheFamily) {
  auto decoded = DecodeMessage(
      UpdateMsg({}, Cat({Attr(0x80, 14, {0, 2, 1, 5, 1, 2, 3, 4, 5, 0}), OriginAttr(), AsPath4()}),
                {}),
      k4);
  ASSERT_FALSE(decoded.ok());
  ASSERT_TRUE(decoded.error().afi_safi.has_value());
  EXPECT_EQ(*decoded.error().afi_safi, (AfiSafi{2, 1}));
}

}  // namespace
}  // namespace vipcast::wire::bgp
