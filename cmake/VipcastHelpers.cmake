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

# vipcast_property_test(NAME SOURCES... [DEPS ...] [LABELS ...])
# A rapidcheck property suite run through GoogleTest.
function(vipcast_property_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  vipcast_test(${name} SOURCES ${ARG_SOURCES} DEPS ${ARG_DEPS} rapidcheck LABELS property ${ARG_LABELS})
endfunction()

# vipcast_benchmark(NAME SOURCES... [DEPS ...])
function(vipcast_benchmark name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} benchmark::benchmark)
endfunction()
