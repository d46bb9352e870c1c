#include <err.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "expid.h"

void
cli_usage(const struct cli_tool *t, FILE *fp)
{
	fputs(t->usage, fp);
}

/* The column where t's option descriptions start, so -h and -V line up. */
static int
description_column(const char *options)
{
	const char *gap = strstr(options + 2, "  ");

	if (gap == NULL || memchr(options, '\n', (size_t)(gap - options)))
		return 26;
	return (int)(gap + strspn(gap, " ") - options);
}

static int
help(const struct cli_tool *t)
{
	int col = description_column(t->options);

	cli_usage(t, stdout);
	printf("\n%s\n\n%s", t->about, t->options);
	printf("%-*s%s\n", col, "  -h, --help", "this text");
	printf("%-*s%s\n", col, "  -V, --version", "the version");
	if (t->more != NULL)
		printf("\n%s", t->more);
	printf("\nExit status: %s\nSee %s(1).\n", t->exits, t->name);
	return cli_stdout_done();
}

int
cli_getopt(const struct cli_tool *t, int argc, char *argv[])
{
	static const struct cli_tool *for_tool;
	static struct option *longopts;
	static char *optstring;
	size_t n;
	int ch;

	if (for_tool != t) {
		for (n = 0; t->longopts[n].name != NULL; n++)
			;
		free(longopts);
		longopts = xcalloc(n + 3, sizeof(*longopts));
		memcpy(longopts, t->longopts, n * sizeof(*longopts));
		longopts[n] = (struct option){ "help", no_argument, NULL, 'h' };
		longopts[n + 1] = (struct option){ "version", no_argument,
		    NULL, 'V' };
		free(optstring);
		optstring = xmalloc(strlen(t->optstring) + 4);
		sprintf(optstring, ":%shV", t->optstring);
		for_tool = t;
		opterr = 0;	/* cli_option_error names the program */
	}
	switch (ch = getopt_long(argc, argv, optstring, longopts, NULL)) {
	case 'h':
		exit(help(t));
	case 'V':
		printf("%s %s\n", t->name, PLC_VERSION);
		exit(cli_stdout_done());
	case ':':
	case '?':
		cli_option_error(argv, ch);
		cli_usage_error(t, NULL);
	default:
		return ch;
	}
}

void
cli_usage_error(const struct cli_tool *t, const char *fmt, ...)
{
	va_list ap;

	if (fmt != NULL) {
		va_start(ap, fmt);
		vwarnx(fmt, ap);
		va_end(ap);
	}
	cli_usage(t, stderr);
	exit(EXIT_USAGE);
}

void
cli_bad_value(const char *opt, const char *arg, const char *what)
{
	errx(EXIT_USAGE, "%s: expected %s, found \"%s\"", opt, what, arg);
}

const char *
cli_experiment_id(const char *opt, const char *arg)
{
	if (!expid_valid(arg))
		cli_bad_value(opt, arg, EXPID_RULE);
	return arg;
}

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
		return EXIT_RUNTIME;
	}
	return EXIT_OK;
}

void
cli_stdout_flush(void)
{
	if (fflush(stdout) == EOF || ferror(stdout))
		err(EXIT_RUNTIME, "stdout");
}
