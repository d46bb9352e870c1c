/*
 * plc-preflight: before anything is made, what the plan asks of its region:
 * the zone that offers every instance type, the image (that it exists, and
 * runs on those types), the vCPUs against the account's quota. It prints
 * the requests to ask (for plc-aws-sign) and judges their answers; it sends
 * nothing itself, so every decision is testable from recorded answers.
 */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "jsonout.h"
#include "ndjson.h"
#include "preflight.h"

static const struct option longopts[] = {
	{ "requests", no_argument, NULL, 'q' },
	{ "image", required_argument, NULL, 'i' },
	{ "ready", required_argument, NULL, 'R' },
	{ NULL, 0, NULL, 0 }
};

static const struct cli_tool tool = {
	"plc-preflight",
	"usage: plc-preflight [-q] [-i image-id] tfvars\n"
	"       plc-preflight -R status-dir node ...\n",
	"Checks a plan (terraform.tfvars.json) against its region before\n"
	"anything is made: picks the availability zone offering every\n"
	"instance type, checks that the image exists and runs on them, and\n"
	"that the vCPU quota covers the plan; with -R, after apply, how far\n"
	"the nodes are.",
	"  -q, --requests        print the AWS requests to send, one per line\n"
	"  -i, --image ID        the image the nodes will boot (none: stock)\n"
	"  -R, --ready DIR       the nodes' readiness from DIR/<node>.json\n",
	"Without -q, reads the answers of\n"
	"  plc-preflight -q tfvars | plc-aws-sign --send --paginate\n"
	"on standard input and prints the verdict as JSON; each failed check\n"
	"is one line on standard error saying what to change.\n",
	"0 the plan passes, 1 an AWS error, 2 usage, 3 bad\n"
	"input, 4 the plan fails a check.",
	"qi:R:", longopts
};

/* What preflight_judge's outcome means to the caller of plc-preflight. */
static int
exit_status(enum preflight_status st)
{
	switch (st) {
	case PREFLIGHT_OK:
		return EXIT_OK;
	case PREFLIGHT_ERR_AWS:
		return EXIT_RUNTIME;
	case PREFLIGHT_FAILED:
		return EXIT_VERDICT;
	default:
		return EXIT_INPUT;
	}
}

/* -R: the nodes' readiness, one JSON line. */
static int
ready_main(const char *dir, char *nodes[], size_t n)
{
	json_t *out;

	if (n == 0)
		cli_usage_error(&tool, "no node named");
	out = preflight_ready(dir, nodes, n);
	if (jsonout_write_line(stdout, out) != 0)
		errx(EXIT_RUNTIME, "stdout: cannot encode the readiness");
	json_decref(out);
	cli_stdout_flush();
	return EXIT_OK;
}

static json_t *
read_answers(void)
{
	json_t *all = json_array();
	char errbuf[1024];

	switch (ndjson_read_all("/dev/stdin", "<stdin>", PREFLIGHT_MAX_ANSWERS,
	    all, NULL, errbuf, sizeof(errbuf))) {
	case NDJSON_END:
		return all;
	case NDJSON_BAD:
		errx(EXIT_INPUT, "%s", errbuf);
	default:
		errx(EXIT_RUNTIME, "%s", errbuf);
	}
}

int
main(int argc, char *argv[])
{
	struct preflight_plan plan;
	const char *image = NULL, *ready = NULL;
	json_t *tf, *out = NULL, *answers, *line;
	json_error_t jerr;
	char errbuf[2048];
	int ch, requests = 0, rc;
	size_t i;

	while ((ch = cli_getopt(&tool, argc, argv)) != -1) {
		if (ch == 'q')
			requests = 1;
		else if (ch == 'R')
			ready = optarg;
		else if (strncmp(optarg, "ami-", 4) != 0 || optarg[4] == '\0')
			cli_bad_value("--image", optarg,
			    "an image ID such as ami-0123456789abcdef0");
		else
			image = optarg;
	}
	argc -= optind;
	argv += optind;
	if (ready != NULL)
		return ready_main(ready, argv, (size_t)argc);
	if (argc != 1)
		cli_usage_error(&tool, NULL);
	if ((tf = json_load_file(argv[0], JSON_REJECT_DUPLICATES, &jerr)) ==
	    NULL)
		errx(jerr.line < 0 ? EXIT_RUNTIME : EXIT_INPUT, "\"%s\":%d:%d: %s", argv[0],
		    jerr.line, jerr.column, jerr.text);
	if (preflight_plan_load(&plan, tf, image, errbuf, sizeof(errbuf)) != 0)
		errx(EXIT_INPUT, "\"%s\": %s", argv[0], errbuf);

	if (requests) {
		out = preflight_requests(&plan);
		json_array_foreach(out, i, line)
			if (jsonout_write_line(stdout, line) != 0)
				errx(EXIT_RUNTIME, "stdout: cannot encode a request");
		rc = EXIT_OK;
	} else {
		answers = read_answers();
		rc = exit_status(preflight_judge(&plan, answers, &out,
		    errbuf, sizeof(errbuf)));
		json_decref(answers);
		if (out == NULL)
			errx(rc, "%s", errbuf);
		json_array_foreach(json_object_get(out, "warnings"), i, line)
			warnx("warning: %s", json_string_value(line));
		json_array_foreach(json_object_get(out, "failures"), i, line)
			warnx("%s", json_string_value(line));
		if (jsonout_write_line(stdout, out) != 0)
			errx(EXIT_RUNTIME, "stdout: cannot encode the verdict");
	}
	json_decref(out);
	json_decref(tf);
	cli_stdout_flush();
	return rc;
}
