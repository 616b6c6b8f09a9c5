// vipcastctl: offline tools over the same engine the speaker and controller
// run: validate manifests, compute allocations, elections, decode BGP.
#include <algorithm>
#include <iostream>

#include "prod/ctl/command.h"

namespace vipcast::ctl {

std::vector<Command>& CommandRegistry() {
  static std::vector<Command> registry;
  return registry;
}

bool ParseFlags(CommandContext& ctx, const std::vector<std::string>& known,
                std::vector<std::string>* flags, std::vector<std::string>* positional) {
  bool only_positional = false;
  for (const auto& arg : ctx.args) {
    if (!only_positional && arg == "--") {
      only_positional = true;
    } else if (!only_positional && arg.rfind("--", 0) == 0) {
      const std::string name = arg.substr(0, arg.find('='));
      if (std::find(known.begin(), known.end(), name) == known.end()) {
        ctx.err << "vipcastctl: unknown flag " << arg << "\n";
        return false;
      }
      flags->push_back(arg);
    } else {
      positional->push_back(arg);
    }
  }
  return true;
}

namespace {

void PrintHelp(std::ostream& os) {
  os << "usage: vipcastctl COMMAND [ARGS...]\n\ncommands:\n";
  auto commands = CommandRegistry();
  std::sort(commands.begin(), commands.end(),
            [](const Command& a, const Command& b) { return a.name < b.name; });
  for (const auto& c : commands) os << "  " << c.usage << "\n      " << c.summary << "\n";
}

}  // namespace
}  // namespace vipcast::ctl

int main(int argc, char** argv) {
  using vipcast::ctl::CommandRegistry;
  if (argc < 2) {
    vipcast::ctl::PrintHelp(std::cerr);
    return 2;
  }
  const std::string name = argv[1];
  if (name == "help" || name == "--help" || name == "-h") {
    vipcast::ctl::PrintHelp(std::cout);
    return 0;
  }
  for (const auto& command : CommandRegistry()) {
    if (command.name == name) {
      vipcast::ctl::CommandContext ctx{{argv + 2, argv + argc}, std::cout, std::cerr};
      return command.run(ctx);
    }
  }
  std::cerr << "vipcastctl: unknown command \"" << name << "\"\n";
  vipcast::ctl::PrintHelp(std::cerr);
  return 2;
}
