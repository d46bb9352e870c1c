#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

void
cli_option_error(char *const argv[], int ch)
{
	/* After a missing argument getopt has moved past its option. */
	const char *arg = optind > 0 ? argv[optind - 1] : "";

	if (ch == ':') {
		if (strncmp(arg, "--", 2) == 0)
			warnx("option '%s' requires an argument", arg);
		else
			warnx("option requires an argument -- '%c'", optopt);
	} else if (optopt != 0) {
		warnx("invalid option -- '%c'", optopt);
	} else {
		/* An unknown or ambiguous long option; optind is past it. */
		warnx("unrecognized option '%s'", arg);
	}
}

int
cli_stdout_done(void)
{
	if (fflush(stdout) == EOF || ferror(stdout) || fclose(stdout) == EOF) {
		warn("stdout");
		return 1;
	}
	return 0;
}
