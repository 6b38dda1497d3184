/* host/cli_run.h: the `run` and `compile` subcommands of build/coral
 * (host/cli_run.c). Each takes the arguments from the subcommand on. */
#ifndef HOST_CLI_RUN_H
#define HOST_CLI_RUN_H

int coral_cmd_run(int argc, char **argv);
int coral_cmd_compile(int argc, char **argv);

#endif
