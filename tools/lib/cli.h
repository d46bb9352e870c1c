/*
 * What every plc tool says about a bad option. getopt_long's own messages
 * name the program by argv[0], a full path when it is run as one; these name
 * it as err(3) does, by its short name, like every other message of the tool.
 */
#ifndef PLC_CLI_H
#define PLC_CLI_H

/*
 * getopt_long's complaint about the option it just refused, on stderr. For
 * getopt_long with opterr = 0 and an optstring that starts with ':'; ch is
 * what it returned: ':' for a missing argument, '?' for an unknown option.
 */
void	cli_option_error(char *const argv[], int ch);

/*
 * For --help and --version: flushes and closes stdout. 0, or 1 with
 * "stdout: reason" on stderr when the text could not be written (a closed
 * or full stdout must not look like success).
 */
int	cli_stdout_done(void);

#endif
