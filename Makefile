# Thin wrapper: CMake presets do the building, ctest the testing.
# `make demo` and `make check` work on a fresh Debian 12 machine as root.
SHELL := /bin/bash
JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 30
FUZZ_LONG_SECONDS ?= 1200
# ccache hits across clones in different folders (CI builds a fresh clone).
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1

.PHONY: all deps build build-asan check test bench bench-prod fuzz fuzz-smoke demo failover-report format tidy clean

all: build

deps:
	@tools/install-deps.sh

build: deps
	@cmake --preset default >/dev/null
	@cmake --build --preset default -j $(JOBS)

build-asan: deps
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS)

# Every test: the normal build, then the ASan+UBSan build (which also holds
# the fuzz targets), then each fuzz target for $(FUZZ_SECONDS) seconds.
check: build build-asan
	ctest --preset default -j $(JOBS)
	ctest --preset asan -j $(JOBS)
	@tools/run-fuzzers.sh smoke $(FUZZ_SECONDS)

test: build
	ctest --preset default -j $(JOBS)

bench: deps
	@cmake --preset bench >/dev/null
	@cmake --build --preset bench -j $(JOBS)
	@tools/run-benchmarks.sh build/bench

# The production speaker's benchmarks in network namespaces (root): ARP
# latency and 50,000 requests/s, 10,000 VIPs into gobgpd against BIRD.
bench-prod: build
	@tools/bench-prod-arp.sh build/default/prod/speaker/vipcast-speaker
	@tools/bench-prod-bgp.sh build/default/prod/speaker/vipcast-speaker

fuzz: deps
	@tools/run-fuzzers.sh long $(FUZZ_LONG_SECONDS)

demo: build
	@tools/demo.sh build/default

# reports/failover.md: simulated outage over 100 seeds per crash scenario.
failover-report: build
	@tools/failover-report.sh build/default

format:
	@git ls-files '*.h' '*.cc' | xargs clang-format -i

tidy: build
	@git ls-files 'engine/*.cc' | xargs clang-tidy -p build/default --quiet

clean:
	rm -rf build
