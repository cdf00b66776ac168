#include "Output.h"

#include "CliContext.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>

namespace opflow::cli {

void printJson(std::ostream& out, const Json& value) {
  out << value.dump(-1, ' ', false, Json::error_handler_t::replace) << "\n";
}

int finishOutput(int exitCode) {
  errno = 0;
  std::cout.flush();
  int reason = errno;
  if (std::fflush(stdout) != 0 && reason == 0) {
    reason = errno;
  }
  if (!std::ferror(stdout) && std::cout.good()) {
    return exitCode;
  }
  std::cerr << "opflow-cli: the output could not be written to standard output"
            << (reason != 0 ? std::string(": ") + std::strerror(reason) : std::string()) << "\n";
  return exitCode == kExitOk ? kExitFailed : exitCode;
}

int failed(const Error& error) {
  std::cerr << "opflow-cli: " << terminalSafe(error.describe()) << "\n";
  return error.code == ErrorCode::Io ? kExitFailed : kExitUsage;
}

} // namespace opflow::cli
