// vipcastctl subcommands. Each *_command.cc registers itself with
// VIPCAST_CTL_COMMAND, so adding a command touches no shared file.
#pragma once

#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

namespace vipcast::ctl {

struct CommandContext {
  std::vector<std::string> args;  // after the subcommand name
  std::ostream& out;
  std::ostream& err;
};

// Exit codes follow the usual convention: 0 success, 1 a negative answer
// (e.g. invalid configuration), 2 bad usage or unreadable input.
using CommandFn = std::function<int(CommandContext&)>;

struct Command {
  std::string name;
  std::string usage;    // "validate FILE|DIR..."
  std::string summary;  // one line for `vipcastctl help`
  CommandFn run;
};

std::vector<Command>& CommandRegistry();

struct CommandRegistrar {
  explicit CommandRegistrar(Command command) { CommandRegistry().push_back(std::move(command)); }
};

#define VIPCAST_CTL_COMMAND(ident, ...) \
  static const ::vipcast::ctl::CommandRegistrar kRegistrar_##ident{::vipcast::ctl::Command{__VA_ARGS__}}

// Splits args into flags (starting with "--") and positional arguments.
// Returns false and writes a message to ctx.err for a flag not in `known`.
bool ParseFlags(CommandContext& ctx, const std::vector<std::string>& known,
                std::vector<std::string>* flags, std::vector<std::string>* positional);

}  // namespace vipcast::ctl
