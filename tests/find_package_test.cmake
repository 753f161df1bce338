# Installs the already-built project into a scratch prefix, then configures, builds and runs
# examples/cmake-project against it with find_package(rnndyn).
set(prefix ${BINARY_DIR}/find_package_test/prefix)
set(consumer ${BINARY_DIR}/find_package_test/consumer)
file(REMOVE_RECURSE ${BINARY_DIR}/find_package_test)
foreach(step
    "${CMAKE_COMMAND};--install;${BINARY_DIR};--prefix;${prefix};--component;Development"
    "${CMAKE_COMMAND};-S;${SOURCE_DIR}/examples/cmake-project;-B;${consumer};-DCMAKE_PREFIX_PATH=${prefix}"
    "${CMAKE_COMMAND};--build;${consumer}"
    "${consumer}/consumer")
  execute_process(COMMAND ${step} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "step failed (${rc}): ${step}")
  endif()
endforeach()
