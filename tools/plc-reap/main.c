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

static const struct option longopts[] = {
	{ "region", required_argument, NULL, 'r' },
	{ "experiment-id", required_argument, NULL, 'e' },
	{ "older-than", required_argument, NULL, 'o' },
	{ "execute", no_argument, NULL, 'x' },
	{ "time-limit", required_argument, NULL, 't' },
	{ "verbose", no_argument, NULL, 'v' },
	{ NULL, 0, NULL, 0 }
};

static const struct cli_tool tool = {
	"plc-reap",
	"usage: plc-reap [-xv] [-t seconds] -r region "
	"(-e experiment-id | -o duration)\n",
	"Finds every resource tagged Project=" PLC_PROJECT " and with the\n"
	"experiment's ExperimentID in a region, and prints the plan of\n"
	"deletions, one JSON line per resource; with --execute deletes them\n"
	"in dependency order and prints one line per action.",
	"  -r, --region REGION        the region (required)\n"
	"  -e, --experiment-id ID     the experiment whose resources go\n"
	"  -o, --older-than DURATION  instead, every experiment whose newest\n"
	"                             resource is older than DURATION (30m, 12h, 7d)\n"
	"  -x, --execute              delete (default: dry run)\n"
	"  -t, --time-limit SECONDS   give up deleting after that long (default 1800)\n"
	"  -v, --verbose              one line per HTTP attempt on standard error\n",
	NULL,
	"0 nothing is left, 1 AWS or system failure, 2 usage,\n"
	"4 something remains (listed).",
	"r:e:o:xt:v", longopts
};

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
	struct aws_client_options opt = { 0 };
	struct reap r = { 0 };
	struct reap_list l = { 0 };
	json_t *req;
	char *end;
	int ch, status;

	r.time_limit_s = 1800;
	r.bucket_by_name = 1;
	while ((ch = cli_getopt(&tool, argc, argv)) != -1) {
		switch (ch) {
		case 'r':
			if (!valid_region(optarg))
				cli_bad_value("--region", optarg,
				    "a region such as us-west-2");
			r.region = optarg;
			break;
		case 'e':
			r.experiment_id = cli_experiment_id("--experiment-id",
			    optarg);
			break;
		case 'o':
			if ((r.older_than_s = parse_duration(optarg)) < 0)
				cli_bad_value("--older-than", optarg,
				    "a duration such as 90m, 12h or 7d");
			break;
		case 'x':
			r.execute = 1;
			break;
		case 't':
			errno = 0;
			r.time_limit_s = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg ||
			    r.time_limit_s < 1 || r.time_limit_s > 86400)
				cli_bad_value("--time-limit", optarg,
				    "seconds from 1 to 86400");
			break;
		default:	/* -v */
			opt.verbose = 1;
		}
	}
	if (optind < argc)
		cli_usage_error(&tool, "unexpected argument \"%s\"",
		    argv[optind]);
	if (r.region == NULL)
		cli_usage_error(&tool, "a region is required (-r)");
	if ((r.experiment_id == NULL) == (r.older_than_s == 0))
		cli_usage_error(&tool, r.experiment_id == NULL ? "an "
		    "experiment ID (-e) or an age (-o) is required" :
		    "-e and -o exclude each other");

	curl_global_init(CURL_GLOBAL_DEFAULT);
	if ((r.client = aws_client_new(&opt, r.err, sizeof(r.err))) == NULL)
		errx(EXIT_RUNTIME, "%s", r.err);
	r.now = time(NULL);
	r.deadline = r.now + r.time_limit_s;
	snprintf(r.account, sizeof(r.account), "unknown");
	req = json_pack("{s:s,s:s}", "service", "sts", "action",
	    "GetCallerIdentity");
	if (reap_call(&r, req, 0, sts_account, NULL, NULL) != 0 ||
	    reap_discover(&r, &l) != 0) {
		warnx("%s", r.err);
		status = EXIT_RUNTIME;
	} else if (!r.execute) {
		reap_print_plan(&r, &l);
		reap_print_summary(&r, &l, 0, 0, 0);
		status = EXIT_OK;
	} else
		status = reap_execute(&r, &l);
	reap_list_free(&l);
	aws_client_free(r.client);
	curl_global_cleanup();
	cli_stdout_flush();
	return status;
}
