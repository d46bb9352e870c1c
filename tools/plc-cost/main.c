/*
 * plc-cost: what an experiment cost (an estimate from a dated price table,
 * and Cost Explorer's actuals when asked), per role, resource and run, and
 * per million messages; or what a plan will cost before it runs.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>

#include <curl/curl.h>
#include <jansson.h>

#include "awsclient.h"
#include "buf.h"
#include "cli.h"
#include "cost.h"
#include "rfc3339.h"

enum { OPT_REFRESH = 256, OPT_OVERHEAD, OPT_PREVIOUS, OPT_GONE_BY };

static const struct option longopts[] = {
	{ "actuals", no_argument, NULL, 'a' },
	{ "experiment-id", required_argument, NULL, 'e' },
	{ "metrics", required_argument, NULL, 'm' },
	{ "prices", required_argument, NULL, 'p' },
	{ "estimate-plan", required_argument, NULL, 'P' },
	{ "runs", required_argument, NULL, 'r' },
	{ "strict", no_argument, NULL, 's' },
	{ "time", required_argument, NULL, 't' },
	{ "overhead-s", required_argument, NULL, OPT_OVERHEAD },
	{ "previous", required_argument, NULL, OPT_PREVIOUS },
	{ "gone-by", required_argument, NULL, OPT_GONE_BY },
	{ "refresh-prices", no_argument, NULL, OPT_REFRESH },
	{ NULL, 0, NULL, 0 }
};

static const struct cli_tool tool = {
	"plc-cost",
	"usage: plc-cost [-as] [-m metrics] [-p prices] [-r runs] [-t time]\n"
	"                [--overhead-s seconds] [--previous costs "
	"[--gone-by time]]\n"
	"                [-e experiment-id | -P tfvars | file]\n"
	"       plc-cost --refresh-prices [-p prices] [-t time]\n",
	"Prices an experiment's instances and volumes, read as JSON from\n"
	"file or standard input, and prints costs.json.",
	"  -a, --actuals             also ask Cost Explorer (USD 0.01 a page)\n"
	"  -e, --experiment-id ID    find the resources tagged ExperimentID=ID\n"
	"  -m, --metrics FILE        plc-omb-parse -r records: messages per run\n"
	"  -p, --prices FILE         price table (default: the built-in one)\n"
	"  -P, --estimate-plan FILE  price terraform.tfvars.json before it runs\n"
	"  -r, --runs FILE           run windows; with -P, plc-tfvars --runs\n"
	"  -s, --strict              exit 1 when a resource cannot be priced\n"
	"  -t, --time ISO8601        price as of then (default now)\n"
	"      --overhead-s SECONDS  with -P, time outside runs (default 900)\n"
	"      --previous FILE       an earlier costs.json: keep what AWS no\n"
	"                            longer lists\n"
	"      --gone-by ISO8601     with --previous, when those were gone\n"
	"      --refresh-prices      print a new table from the Pricing API\n",
	NULL,
	"0 ok, 1 AWS failure or (-s) unpriced resources,\n"
	"2 usage, 3 bad input.",
	"ae:m:p:P:r:st:", longopts
};

/* What the command line asks for. */
struct args {
	const char	*id, *metrics, *pricefile, *plan, *runs, *file;
	const char	*previous;
	int		 want_actuals, strict, refresh;
	long		 overhead_s;	/* -1: not given */
	time_t		 as_of;		/* 0: now */
	time_t		 gone_by;	/* 0: not given */
};

static void
print_json(json_t *v)
{
	if (json_dumpf(v, stdout, JSON_INDENT(2)) != 0 || putchar('\n') == EOF)
		err(EXIT_RUNTIME, "stdout");
}

/* Cost Explorer dates are days: the whole experiment, end exclusive. */
static json_t *
run_actuals(struct experiment *e)
{
	struct aws_client_options opt = { 0 };
	struct aws_client *c;
	char errbuf[2048];
	json_t *a;

	if ((c = aws_client_new(&opt, errbuf, sizeof(errbuf))) == NULL)
		errx(EXIT_RUNTIME, "%s", errbuf);
	if ((a = actuals(c, e, errbuf, sizeof(errbuf))) == NULL)
		errx(EXIT_RUNTIME, "%s", errbuf);
	aws_client_free(c);
	return a;
}

static void
refuse_directory(const char *path)
{
	struct stat st;

	if (path != NULL && strcmp(path, "-") != 0 && stat(path, &st) == 0 &&
	    S_ISDIR(st.st_mode))
		errx(EXIT_RUNTIME, "\"%s\": %s", path, strerror(EISDIR));
}

static void
parse_args(struct args *a, int argc, char *argv[])
{
	char *end;
	int ch;

	a->overhead_s = -1;
	while ((ch = cli_getopt(&tool, argc, argv)) != -1) {
		switch (ch) {
		case 'a':
			a->want_actuals = 1;
			break;
		case 'e':
			a->id = cli_experiment_id("--experiment-id", optarg);
			break;
		case 'm':
			a->metrics = optarg;
			break;
		case 'p':
			a->pricefile = optarg;
			break;
		case 'P':
			a->plan = optarg;
			break;
		case 'r':
			a->runs = optarg;
			break;
		case 's':
			a->strict = 1;
			break;
		case 't':
			if (rfc3339_parse(optarg, &a->as_of) != 0)
				cli_bad_value("--time", optarg, "an ISO 8601 "
				    "UTC time such as 2026-11-24T12:00:00Z");
			break;
		case OPT_OVERHEAD:
			errno = 0;
			a->overhead_s = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg ||
			    a->overhead_s < 0 || a->overhead_s > 7 * 86400)
				cli_bad_value("--overhead-s", optarg,
				    "seconds from 0 to 604800");
			break;
		case OPT_PREVIOUS:
			a->previous = optarg;
			break;
		case OPT_GONE_BY:
			if (rfc3339_parse(optarg, &a->gone_by) != 0)
				cli_bad_value("--gone-by", optarg, "an ISO 8601 "
				    "UTC time such as 2026-11-24T12:00:00Z");
			break;
		default:	/* --refresh-prices */
			a->refresh = 1;
		}
	}
	argc -= optind;
	argv += optind;
	if (a->id && a->plan)
		cli_usage_error(&tool, "--experiment-id and --estimate-plan "
		    "exclude each other");
	if (a->plan && a->want_actuals)
		cli_usage_error(&tool, "--actuals needs an experiment that "
		    "ran, not a plan");
	if (a->plan && !a->runs)
		cli_usage_error(&tool, "--estimate-plan needs --runs");
	if (a->previous && a->plan)
		cli_usage_error(&tool, "--previous needs an experiment that "
		    "ran, not a plan");
	if (a->gone_by && !a->previous)
		cli_usage_error(&tool, "--gone-by needs --previous");
	if (a->overhead_s >= 0 && !a->plan)
		cli_usage_error(&tool, "--overhead-s needs --estimate-plan");
	if (a->refresh && (a->id || a->plan || argc || a->want_actuals ||
	    a->metrics || a->runs || a->strict || a->previous))
		cli_usage_error(&tool, "--refresh-prices takes only --prices "
		    "and --time");
	if (argc > 1 || (argc == 1 && (a->id || a->plan)))
		cli_usage_error(&tool, NULL);
	if (argc == 1 && strcmp(argv[0], "-") != 0)
		a->file = argv[0];
}

/* --refresh-prices: a new price table. */
static int
refresh_mode(const struct args *a, json_t *prices)
{
	char day[32], errbuf[2048];
	json_t *out;

	if (prices_refresh(prices, &out, errbuf, sizeof(errbuf)) != 0)
		errx(EXIT_RUNTIME, "%s", errbuf);
	cost_format_time(a->as_of ? a->as_of : time(NULL), day, sizeof(day));
	day[10] = '\0';
	json_object_set_new(out, "as_of", json_string(day));
	print_json(out);
	json_decref(out);
	return EXIT_OK;
}

/* -e: the resources tagged with the experiment, as AWS lists them. */
static void
experiment_from_aws(struct experiment *e, const char *id)
{
	struct aws_client_options opt = { 0 };
	struct aws_client *c;
	char errbuf[2048];

	if (e->as_of == 0)
		e->as_of = time(NULL);
	e->experiment_id = xstrdup(id);
	if ((c = aws_client_new(&opt, errbuf, sizeof(errbuf))) == NULL)
		errx(EXIT_RUNTIME, "%s", errbuf);
	if (discover(c, e, errbuf, sizeof(errbuf)) != 0)
		errx(EXIT_RUNTIME, "%s", errbuf);
	aws_client_free(c);
}

/* A file (or standard input) listing the resources. */
static void
experiment_from_file(struct experiment *e, const char *file)
{
	const char *path = file ? file : "<stdin>";
	char errbuf[2048];
	json_error_t jerr;
	json_t *doc;
	FILE *in = stdin;

	if (file != NULL && (in = fopen(path, "r")) == NULL)
		err(EXIT_RUNTIME, "\"%s\"", path);
	if ((doc = json_loadf(in, 0, &jerr)) == NULL)
		errx(EXIT_INPUT, "%s:%d:%d: %s", path, jerr.line, jerr.column,
		    jerr.text);
	if (in != stdin)
		fclose(in);
	if (input_read(e, doc, errbuf, sizeof(errbuf)) != 0)
		errx(EXIT_INPUT, "%s: %s", path, errbuf);
	json_decref(doc);
}

/* An experiment (or a plan) priced: costs.json. */
static int
estimate_mode(const struct args *a, json_t *prices)
{
	struct experiment e;
	char errbuf[2048];
	json_t *out;
	int nunpriced, rc;

	experiment_init(&e);
	e.as_of = a->as_of;
	if (a->plan != NULL) {
		if ((rc = plan_read(&e, a->plan, a->runs, a->overhead_s < 0 ?
		    900 : a->overhead_s, errbuf, sizeof(errbuf))) != 0)
			errx(rc == -2 ? EXIT_RUNTIME : EXIT_INPUT, "%s", errbuf);
	} else if (a->id != NULL)
		experiment_from_aws(&e, a->id);
	else
		experiment_from_file(&e, a->file);
	if (a->plan == NULL && a->runs != NULL &&
	    (rc = runs_read_windows(&e, a->runs, errbuf, sizeof(errbuf))) != 0)
		errx(rc == -2 ? EXIT_RUNTIME : EXIT_INPUT, "%s", errbuf);
	if (a->previous != NULL && (rc = previous_read(&e, a->previous,
	    a->gone_by, errbuf, sizeof(errbuf))) != 0)
		errx(rc == -2 ? EXIT_RUNTIME : EXIT_INPUT, "%s", errbuf);
	if (a->metrics != NULL &&
	    metrics_read(&e, a->metrics, errbuf, sizeof(errbuf)) != 0)
		errx(EXIT_INPUT, "%s", errbuf);

	out = estimate(&e, prices, &nunpriced);
	if (a->plan != NULL)
		json_object_set_new(out, "kind", json_string("plan"));
	for (size_t i = 0; i < e.nres; i++)
		if (!e.res[i].priced)
			warnx("%s: %s; left out of the total", e.res[i].id,
			    e.res[i].unpriced_reason);
	if (a->strict && nunpriced)
		errx(EXIT_RUNTIME, "--strict: %d resource(s) could not be "
		    "priced", nunpriced);
	if (a->want_actuals)
		json_object_set_new(out, "actuals", run_actuals(&e));
	print_json(out);
	json_decref(out);
	experiment_free(&e);
	return EXIT_OK;
}

int
main(int argc, char *argv[])
{
	struct args a = { 0 };
	char errbuf[2048];
	json_t *prices;
	int status;

	parse_args(&a, argc, argv);
	/* A directory cannot be opened as a file: exit 1, not bad input. */
	refuse_directory(a.pricefile);
	refuse_directory(a.plan);
	refuse_directory(a.runs);
	refuse_directory(a.metrics);
	refuse_directory(a.file);
	refuse_directory(a.previous);
	if ((prices = prices_load(a.pricefile, errbuf, sizeof(errbuf))) ==
	    NULL)
		errx(EXIT_INPUT, "%s", errbuf);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	status = a.refresh ? refresh_mode(&a, prices) :
	    estimate_mode(&a, prices);
	json_decref(prices);
	curl_global_cleanup();
	cli_stdout_flush();
	return status;
}
