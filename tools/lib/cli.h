/*
 * The one command-line convention of every plc tool: its exit statuses, its
 * -h/--help and -V/--version, and the words it uses for a bad option. A
 * tool describes itself in a struct cli_tool and reads its options with
 * cli_getopt; help, version and option errors are answered here, the same
 * way in every tool.
 */
#ifndef PLC_CLI_H
#define PLC_CLI_H

#include <getopt.h>
#include <stdio.h>

/*
 * Exit statuses. Only a tool's main (and the functions of cli.c acting for
 * it) turns an outcome into one of these; library functions return their
 * own typed results.
 */
enum cli_exit {
	EXIT_OK = 0,
	EXIT_RUNTIME = 1,	/* AWS, system or output failure */
	EXIT_USAGE = 2,		/* the command line is wrong */
	EXIT_INPUT = 3,		/* an input file or answer is malformed */
	EXIT_VERDICT = 4	/* the tool's own "no" (see its man page):
				 * plc-preflight's failed check, plc-reap's
				 * resources left */
};

struct cli_tool {
	const char	*name;		/* "plc-reap" */
	const char	*usage;		/* "usage: plc-reap ...\n", every line */
	const char	*about;		/* what it does, one paragraph */
	const char	*options;	/* one line per option, -h and -V left
					 * out (cli adds them, same column) */
	const char	*more;		/* NULL, or a paragraph after options */
	const char	*exits;		/* after "Exit status: " */
	const char	*optstring;	/* getopt's, without ':', h and V */
	const struct option *longopts;	/* without help and version */
};

/*
 * getopt_long over t's options plus -h/--help and -V/--version. Returns
 * the next option (as getopt_long does, optarg set) or -1. Help and
 * version are printed here and end the program (exit 0, or 1 when stdout
 * cannot take them); an unknown option or a missing argument ends it with
 * the one error format and the usage, exit 2.
 */
int	cli_getopt(const struct cli_tool *t, int argc, char *argv[]);

/* t's usage lines on fp. */
void	cli_usage(const struct cli_tool *t, FILE *fp);

/*
 * The command line is wrong as a whole: "plc-x: message" (when fmt is not
 * NULL), the usage, exit 2.
 */
_Noreturn void	cli_usage_error(const struct cli_tool *t, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/*
 * One option's value is wrong: "plc-x: --opt: expected what, found
 * \"arg\"", exit 2.
 */
_Noreturn void	cli_bad_value(const char *opt, const char *arg,
		    const char *what);

/*
 * An experiment ID from the command line (-e): arg when it follows the
 * one rule (expid.h), else cli_bad_value's error for opt.
 */
const char	*cli_experiment_id(const char *opt, const char *arg);

/*
 * getopt_long's complaint about the option it just refused, on stderr,
 * naming the program by its short name as err(3) does (getopt's own
 * messages name it by argv[0], a full path when run as one). ch is what
 * getopt_long returned: ':' for a missing argument, '?' for an unknown one.
 */
void	cli_option_error(char *const argv[], int ch);

/*
 * For --help and --version: flushes and closes stdout. 0, or 1 with
 * "stdout: reason" on stderr when the text could not be written (a closed
 * or full stdout must not look like success).
 */
int	cli_stdout_done(void);

/*
 * At the end of a tool's output: stdout flushed, or "plc-x: stdout:
 * reason" and exit 1 (a JSON filter writing into a closed pipe fails).
 */
void	cli_stdout_flush(void);

#endif
