// The tendon subcommands. Each takes the arguments after its name, writes its results to `out` and
// returns the process exit status: 0 on success, 1 when the command ran and found a problem
// (check's violations) or failed, 2 for a usage error. Errors are printed to stderr.
#ifndef TENDON_CLI_COMMANDS_H_
#define TENDON_CLI_COMMANDS_H_

#include <ostream>
#include <string>
#include <vector>

#include "core/status.h"
#include "demo/accounts.h"

namespace tendon::cli {

using Args = std::vector<std::string>;

int RunAllocate(const Args& args, std::ostream& out);
int RunDeliver(const Args& args, std::ostream& out);
int RunDemo(const Args& args, std::ostream& out);
int RunMigrate(const Args& args, std::ostream& out);
int RunCheck(const Args& args, std::ostream& out);
int RunVersion(const Args& args, std::ostream& out);
int RunServe(const Args& args, std::ostream& out);
int RunUser(const Args& args, std::ostream& out);
int RunSlots(const Args& args, std::ostream& out);
int RunSimulate(const Args& args, std::ostream& out);
int RunSweep(const Args& args, std::ostream& out);

// Prints `status` to stderr and returns the exit status for it: 2 for InvalidArgument (a usage
// error), 1 otherwise.
int ReportFailure(const Status& status);

// Prints "demo accounts (username / password):" and a line per account.
void PrintDemoAccounts(const std::vector<demo::DemoAccount>& accounts, std::ostream& out);

// The whole program: dispatches argv[1] to a subcommand, or prints help.
int Main(int argc, char** argv);

}  // namespace tendon::cli

#endif  // TENDON_CLI_COMMANDS_H_
