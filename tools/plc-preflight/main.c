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

static void
usage(FILE *f)
{
	fprintf(f, "usage: plc-preflight [-q] [-i image-id] tfvars\n");
}

static void
help(void)
{
	usage(stdout);
	printf("\n"
	    "Checks a plan (terraform.tfvars.json) against its region before\n"
	    "anything is made: picks the availability zone offering every\n"
	    "instance type, checks that the image exists and runs on them, and\n"
	    "that the vCPU quota covers the plan.\n\n"
	    "  -q, --requests        print the AWS requests to send, one per line\n"
	    "  -i, --image ID        the image the nodes will boot (none: stock)\n"
	    "  -h, --help            this text\n"
	    "      --version         the version\n\n"
	    "Without -q, reads the answers of\n"
	    "  plc-preflight -q tfvars | plc-aws-sign --send --paginate\n"
	    "on standard input and prints the verdict as JSON; each failed check\n"
	    "is one line on standard error saying what to change.\n\n"
	    "Exit status: 0 the plan passes, 1 an AWS error, 2 usage, 3 bad\n"
	    "input, 4 the plan fails a check. See plc-preflight(1).\n");
}

static json_t *
read_answers(void)
{
	struct ndjson r;
	json_t *all = json_array(), *v;
	char errbuf[1024];
	int rc;

	if (ndjson_open(&r, "/dev/stdin") != 0)
		err(1, "<stdin>");
	r.path = "<stdin>";
	while ((rc = ndjson_next(&r, &v, errbuf, sizeof(errbuf))) ==
	    NDJSON_VALUE) {
		if (json_array_size(all) == PREFLIGHT_MAX_ANSWERS)
			errx(3, "<stdin>:%zu: more than %d answers", r.lineno,
			    PREFLIGHT_MAX_ANSWERS);
		json_array_append_new(all, v);
	}
	if (rc == NDJSON_BAD)
		errx(3, "%s", errbuf);
	if (rc == NDJSON_IOERR)
		errx(1, "%s", errbuf);
	ndjson_close(&r);
	return all;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "requests", no_argument, NULL, 'q' },
		{ "image", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct preflight_plan plan;
	const char *image = NULL;
	json_t *tf, *out = NULL, *answers, *line;
	json_error_t jerr;
	char errbuf[2048];
	int ch, requests = 0, rc;
	size_t i;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":qi:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'q':
			requests = 1;
			break;
		case 'i':
			if (strncmp(optarg, "ami-", 4) != 0 || optarg[4] == '\0')
				errx(2, "--image: expected an image ID such as "
				    "ami-0123456789abcdef0, found \"%s\"", optarg);
			image = optarg;
			break;
		case 'h':
			help();
			return cli_stdout_done();
		case 'V':
			printf("plc-preflight %s\n", PLC_VERSION);
			return cli_stdout_done();
		default:
			cli_option_error(argv, ch);
			usage(stderr);
			return 2;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1) {
		usage(stderr);
		return 2;
	}
	if ((tf = json_load_file(argv[0], JSON_REJECT_DUPLICATES, &jerr)) ==
	    NULL)
		errx(jerr.line < 0 ? 1 : 3, "\"%s\":%d:%d: %s", argv[0],
		    jerr.line, jerr.column, jerr.text);
	if (preflight_plan_load(&plan, tf, image, errbuf, sizeof(errbuf)) != 0)
		errx(3, "\"%s\": %s", argv[0], errbuf);

	if (requests) {
		out = preflight_requests(&plan);
		json_array_foreach(out, i, line)
			if (jsonout_write_line(stdout, line) != 0)
				errx(1, "stdout: cannot encode a request");
		rc = 0;
	} else {
		answers = read_answers();
		rc = preflight_judge(&plan, answers, &out, errbuf,
		    sizeof(errbuf));
		json_decref(answers);
		if (out == NULL)
			errx(rc, "%s", errbuf);
		json_array_foreach(json_object_get(out, "warnings"), i, line)
			warnx("warning: %s", json_string_value(line));
		json_array_foreach(json_object_get(out, "failures"), i, line)
			warnx("%s", json_string_value(line));
		if (jsonout_write_line(stdout, out) != 0)
			errx(1, "stdout: cannot encode the verdict");
	}
	json_decref(out);
	json_decref(tf);
	if (fflush(stdout) == EOF || ferror(stdout))
		err(1, "stdout");
	return rc;
}
