/*
 * plc-reap: delete what an experiment left in a region, or, with
 * --older-than, every experiment of the project older than a limit.
 * Dry run unless --execute.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "buf.h"
#include "cli.h"
#include "reap.h"

#define USAGE	"usage: plc-reap [-xv] [-t seconds] -r region " \
		"(-e experiment-id | -o duration)\n"

static void
help(void)
{
	fputs(USAGE, stdout);
	printf("\n"
	    "Finds every resource tagged Project=" REAP_PROJECT " and with the\n"
	    "experiment's ExperimentID in a region, and prints the plan of\n"
	    "deletions, one JSON line per resource; with --execute deletes them\n"
	    "in dependency order and prints one line per action.\n\n"
	    "  -r, --region REGION        the region (required)\n"
	    "  -e, --experiment-id ID     the experiment: 3 to 48 of a-z, 0-9 and '-',\n"
	    "                             starting and ending with a letter or digit\n"
	    "  -o, --older-than DURATION  instead, every experiment whose newest\n"
	    "                             resource is older than DURATION (30m, 12h, 7d)\n"
	    "  -x, --execute              delete (default: dry run)\n"
	    "  -t, --time-limit SECONDS   give up deleting after that long (default 1800)\n"
	    "  -v, --verbose              one line per HTTP attempt on standard error\n"
	    "  -h, --help                 this text\n"
	    "      --version              the version\n\n"
	    "Exit status: 0 nothing is left, 1 AWS or system failure, 2 usage,\n"
	    "4 something remains (listed). See plc-reap(1).\n");
}

/* The experiment ID pattern: ^[a-z0-9][a-z0-9-]{1,46}[a-z0-9]$ */
static int
valid_experiment_id(const char *s)
{
	size_t n = strlen(s);

	if (n < 3 || n > 48 || s[0] == '-' || s[n - 1] == '-')
		return 0;
	return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") == n;
}

/* A region name: letters, digits and '-', as us-west-2. */
static int
valid_region(const char *s)
{
	size_t n = strlen(s);

	return n >= 3 && n <= 32 && strspn(s,
	    "abcdefghijklmnopqrstuvwxyz0123456789-") == n;
}

static long
parse_duration(const char *s)
{
	char *end;
	long v, mul;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || v < 1 || strlen(end) != 1)
		return -1;
	switch (*end) {
	case 's': mul = 1; break;
	case 'm': mul = 60; break;
	case 'h': mul = 3600; break;
	case 'd': mul = 86400; break;
	default: return -1;
	}
	if (v > 3650L * 86400 / mul)
		return -1;
	return v * mul;
}

static int
sts_account(struct reap *r, json_t *body, void *arg)
{
	const char *k;
	json_t *v;
	const char *acct = NULL;

	(void)arg;
	json_object_foreach(body, k, v)
		acct = reap_str(json_object_get(v, "GetCallerIdentityResult"),
		    "Account");
	if (acct != NULL)
		snprintf(r->account, sizeof(r->account), "%s", acct);
	return 0;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "region", required_argument, NULL, 'r' },
		{ "experiment-id", required_argument, NULL, 'e' },
		{ "older-than", required_argument, NULL, 'o' },
		{ "execute", no_argument, NULL, 'x' },
		{ "time-limit", required_argument, NULL, 't' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct aws_client_options opt = { 0 };
	struct reap r = { 0 };
	struct reap_list l = { 0 };
	json_t *req;
	char *end;
	int ch, status;

	r.time_limit_s = 1800;
	opterr = 0;	/* cli_option_error names the program */
	while ((ch = getopt_long(argc, argv, ":r:e:o:xt:vh", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'r':
			if (!valid_region(optarg))
				errx(2, "--region: expected a region such as "
				    "us-west-2, found \"%s\"", optarg);
			r.region = optarg;
			break;
		case 'e':
			if (!valid_experiment_id(optarg))
				errx(2, "--experiment-id: expected 3 to 48 of "
				    "a-z, 0-9 and '-', not starting or ending "
				    "with '-', found \"%s\"", optarg);
			r.experiment_id = optarg;
			break;
		case 'o':
			if ((r.older_than_s = parse_duration(optarg)) < 0)
				errx(2, "--older-than: expected a duration "
				    "such as 90m, 12h or 7d, found \"%s\"",
				    optarg);
			break;
		case 'x':
			r.execute = 1;
			break;
		case 't':
			errno = 0;
			r.time_limit_s = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg ||
			    r.time_limit_s < 1 || r.time_limit_s > 86400)
				errx(2, "--time-limit: expected seconds from 1 "
				    "to 86400, found \"%s\"", optarg);
			break;
		case 'v':
			opt.verbose = 1;
			break;
		case 'h':
			help();
			return cli_stdout_done();
		case 'V':
			printf("plc-reap %s\n", PLC_VERSION);
			return cli_stdout_done();
		default:
			cli_option_error(argv, ch);
			fputs(USAGE, stderr);
			return 2;
		}
	}
	if (optind < argc || r.region == NULL ||
	    (r.experiment_id == NULL) == (r.older_than_s == 0)) {
		if (optind < argc)
			warnx("unexpected argument \"%s\"", argv[optind]);
		else if (r.region == NULL)
			warnx("a region is required (-r)");
		else if (r.experiment_id == NULL)
			warnx("an experiment ID (-e) or an age (-o) is "
			    "required");
		else
			warnx("-e and -o exclude each other");
		fputs(USAGE, stderr);
		return 2;
	}

	curl_global_init(CURL_GLOBAL_DEFAULT);
	if ((r.client = aws_client_new(&opt, r.err, sizeof(r.err))) == NULL)
		errx(1, "%s", r.err);
	r.now = time(NULL);
	r.deadline = r.now + r.time_limit_s;
	snprintf(r.account, sizeof(r.account), "unknown");
	req = json_pack("{s:s,s:s}", "service", "sts", "action",
	    "GetCallerIdentity");
	if (reap_call(&r, req, 0, sts_account, NULL, NULL) != 0 ||
	    reap_discover(&r, &l) != 0) {
		warnx("%s", r.err);
		status = 1;
	} else if (!r.execute) {
		reap_print_plan(&r, &l);
		reap_print_summary(&r, &l, 0, 0, 0);
		status = 0;
	} else
		status = reap_execute(&r, &l);
	reap_list_free(&l);
	aws_client_free(r.client);
	curl_global_cleanup();
	if (fflush(stdout) == EOF || ferror(stdout))
		err(1, "stdout");
	return status;
}
