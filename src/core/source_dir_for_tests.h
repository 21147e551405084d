// For tests only: the repository root, where tests find the real data files, templates and rules.
// ctest sets TENDON_SOURCE_DIR (see tendon_test() in CMakeLists.txt); run by hand, a test binary
// falls back to the working directory.
#ifndef TENDON_CORE_SOURCE_DIR_FOR_TESTS_H_
#define TENDON_CORE_SOURCE_DIR_FOR_TESTS_H_

#include <cstdlib>
#include <filesystem>

namespace tendon {

inline std::filesystem::path SourceDirForTests() {
  const char* dir = std::getenv("TENDON_SOURCE_DIR");
  return dir != nullptr ? std::filesystem::path(dir) : std::filesystem::current_path();
}

}  // namespace tendon

#endif  // TENDON_CORE_SOURCE_DIR_FOR_TESTS_H_
