#!/usr/bin/env bash
# Fails when anything under engine/ reaches for I/O, threads, clocks or a
# runtime library. The engine is a pure state machine (see ARCHITECTURE.md):
# the runtimes do all of that on its behalf.
set -euo pipefail
root="${1:-$(dirname "$0")/../engine}"

# Each rule: an extended regex and why it is forbidden.
rules=(
  '#include *[<"](boost/|ns3/|tins/|asio|pcap)|forbidden runtime library (Boost, ns-3, libtins, Asio, pcap)'
  '#include *[<"](sys/socket\.h|netinet/|arpa/|sys/ioctl\.h|linux/|net/if\.h|unistd\.h|fcntl\.h|poll\.h|sys/epoll\.h)|sockets and system I/O'
  '#include *<(thread|mutex|shared_mutex|condition_variable|future|atomic|stop_token|semaphore|latch|barrier)>|threads'
  '#include *<(filesystem|fstream|iostream|chrono|ctime|random)>|files, streams to stdio, clocks or std::random'
  '#include *<time\.h>|clocks'
  '(steady_clock|system_clock|high_resolution_clock|file_clock|utc_clock)|clocks'
  '\b(clock_gettime|gettimeofday|time\(nullptr\)|time\(NULL\)|random_device|getenv|fopen|std::cout|std::cerr|printf *\()|clocks, environment, files or stdio'
  'YAML::LoadFile|file access through yaml-cpp (load from text only)'
)

status=0
for rule in "${rules[@]}"; do
  pattern="${rule%%|*}"
  # The pattern itself contains '|', so split on the last one.
  pattern="${rule%|*}"
  reason="${rule##*|}"
  if hits=$(grep -rnE --include='*.h' --include='*.cc' "$pattern" "$root" | grep -v 'snprintf'); then
    echo "engine purity: $reason:" >&2
    echo "$hits" >&2
    status=1
  fi
done
exit $status
