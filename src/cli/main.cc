#include "cli/commands.h"

int main(int argc, char** argv) { return tendon::cli::Main(argc, argv); }
