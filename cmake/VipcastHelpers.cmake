# vipcast_library(NAME SOURCES... [DEPS targets...])
# A static library for one engine or runtime module; include paths are rooted
# at the repository so that includes read "engine/core/ip.h".
function(vipcast_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
endfunction()

# vipcast_test(NAME SOURCES... [DEPS targets...] [LABELS labels...])
# One GoogleTest executable registered as one ctest test. Tests run with the
# repository root as working directory so data paths are stable.
function(vipcast_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main)
  add_test(NAME ${name} COMMAND ${name} WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  if(ARG_LABELS)
    set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABELS}")
  endif()
endfunction()

# Seed of every rapidcheck suite under ctest. A fixed seed makes `make check`
# give the same verdict on every run of one commit (a red CI must mean the
# change broke something); `tools/explore-properties.sh` runs the suites with
# fresh random seeds to look for new counterexamples.
set(VIPCAST_PROPERTY_SEED "20261126" CACHE STRING "rapidcheck seed for the property tests under ctest")

# vipcast_property_test(NAME CASES N SOURCES... [DEPS ...] [LABELS ...])
# A rapidcheck property suite run through GoogleTest, N cases per property.
# The defaults are prepended to the caller's RC_PARAMS, so that
# `RC_PARAMS="seed=7" ctest -R NAME` overrides them (rapidcheck keeps the
# last value of a key).
function(vipcast_property_test name)
  cmake_parse_arguments(ARG "" "CASES" "SOURCES;DEPS;LABELS" ${ARGN})
  if(NOT ARG_CASES)
    message(FATAL_ERROR "vipcast_property_test(${name}): CASES is required")
  endif()
  vipcast_test(${name} SOURCES ${ARG_SOURCES} DEPS ${ARG_DEPS} rapidcheck LABELS property ${ARG_LABELS})
  set_tests_properties(${name} PROPERTIES ENVIRONMENT_MODIFICATION
    "RC_PARAMS=string_prepend:max_success=${ARG_CASES} seed=${VIPCAST_PROPERTY_SEED} ")
endfunction()

# vipcast_benchmark(NAME SOURCES... [DEPS ...])
function(vipcast_benchmark name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} benchmark::benchmark)
endfunction()
