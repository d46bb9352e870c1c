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

static void
usage(FILE *f)
{
	fprintf(f, "usage: plc-cost [-as] [-m metrics] [-p prices] [-r runs] "
	    "[-t time]\n"
	    "                [--overhead-s seconds] [-e experiment-id | "
	    "-P tfvars | file]\n"
	    "       plc-cost --refresh-prices [-p prices] [-t time]\n");
}

static void
help(void)
{
	usage(stdout);
	printf("\n"
	    "Prices an experiment's instances and volumes, read as JSON from\n"
	    "file or standard input, and prints costs.json.\n\n"
	    "  -a, --actuals             also ask Cost Explorer (USD 0.01 a page)\n"
	    "  -e, --experiment-id ID    find the resources tagged ExperimentID=ID\n"
	    "  -m, --metrics FILE        plc-omb-parse -r records: messages per run\n"
	    "  -p, --prices FILE         price table (default: the built-in one)\n"
	    "  -P, --estimate-plan FILE  price terraform.tfvars.json before it runs\n"
	    "  -r, --runs FILE           run windows; with -P, plc-tfvars --runs\n"
	    "  -s, --strict              exit 1 when a resource cannot be priced\n"
	    "  -t, --time ISO8601        price as of then (default now)\n"
	    "      --overhead-s SECONDS  with -P, time outside runs (default 900)\n"
	    "      --refresh-prices      print a new table from the Pricing API\n"
	    "  -h, --help                this text\n"
	    "      --version             the version\n\n"
	    "Exit status: 0 ok, 1 AWS failure or (-s) unpriced resources,\n"
	    "2 usage, 3 bad input. See plc-cost(1).\n");
}

static void
print_json(json_t *v)
{
	if (json_dumpf(v, stdout, JSON_INDENT(2)) != 0 || putchar('\n') == EOF)
		err(1, "stdout");
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
		errx(1, "%s", errbuf);
	if ((a = actuals(c, e, errbuf, sizeof(errbuf))) == NULL)
		errx(1, "%s", errbuf);
	aws_client_free(c);
	return a;
}

static void
refuse_directory(const char *path)
{
	struct stat st;

	if (path != NULL && strcmp(path, "-") != 0 && stat(path, &st) == 0 &&
	    S_ISDIR(st.st_mode))
		errx(1, "\"%s\": %s", path, strerror(EISDIR));
}

int
main(int argc, char *argv[])
{
	enum { OPT_REFRESH = 256, OPT_OVERHEAD, OPT_VERSION };
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
		{ "refresh-prices", no_argument, NULL, OPT_REFRESH },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 }
	};
	const char *id = NULL, *metrics = NULL, *pricefile = NULL;
	const char *plan = NULL, *runs = NULL, *path = "<stdin>";
	int want_actuals = 0, strict = 0, refresh = 0, ch, nunpriced;
	long overhead_s = -1;
	time_t as_of = 0;
	struct experiment e;
	json_t *prices, *out;
	char errbuf[2048], *end;

	opterr = 0;	/* cli_option_error names the program */
	while ((ch = getopt_long(argc, argv, ":ae:m:p:P:r:st:h", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'a':
			want_actuals = 1;
			break;
		case 'e':
			id = optarg;
			break;
		case 'm':
			metrics = optarg;
			break;
		case 'p':
			pricefile = optarg;
			break;
		case 'P':
			plan = optarg;
			break;
		case 'r':
			runs = optarg;
			break;
		case 's':
			strict = 1;
			break;
		case 't':
			if (rfc3339_parse(optarg, &as_of) != 0)
				errx(2, "--time: expected an ISO 8601 UTC time "
				    "such as 2026-11-24T12:00:00Z, found \"%s\"",
				    optarg);
			break;
		case OPT_OVERHEAD:
			errno = 0;
			overhead_s = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || overhead_s < 0 ||
			    overhead_s > 7 * 86400)
				errx(2, "--overhead-s: expected seconds from 0 "
				    "to 604800, found \"%s\"", optarg);
			break;
		case OPT_REFRESH:
			refresh = 1;
			break;
		case 'h':
			help();
			return cli_stdout_done();
		case OPT_VERSION:
			printf("plc-cost %s\n", PLC_VERSION);
			return cli_stdout_done();
		default:
			cli_option_error(argv, ch);
			usage(stderr);
			return 2;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1 || (id && plan) || (argc == 1 && (id || plan)) ||
	    (plan && want_actuals) || (plan && !runs) ||
	    (overhead_s >= 0 && !plan) ||
	    (refresh && (id || plan || argc || want_actuals || metrics ||
	    runs || strict))) {
		if (id && plan)
			warnx("--experiment-id and --estimate-plan exclude "
			    "each other");
		else if (plan && want_actuals)
			warnx("--actuals needs an experiment that ran, not a "
			    "plan");
		else if (plan && !runs)
			warnx("--estimate-plan needs --runs");
		else if (overhead_s >= 0 && !plan)
			warnx("--overhead-s needs --estimate-plan");
		else if (refresh)
			warnx("--refresh-prices takes only --prices and --time");
		usage(stderr);
		return 2;
	}

	/* A directory cannot be opened as a file: exit 1, not bad input. */
	refuse_directory(pricefile);
	refuse_directory(plan);
	refuse_directory(runs);
	refuse_directory(metrics);
	refuse_directory(argc == 1 ? argv[0] : NULL);
	if ((prices = prices_load(pricefile, errbuf, sizeof(errbuf))) == NULL)
		errx(3, "%s", errbuf);
	curl_global_init(CURL_GLOBAL_DEFAULT);

	if (refresh) {
		char day[32];
		int rc;

		rc = prices_refresh(prices, &out, errbuf, sizeof(errbuf));
		if (rc != 0)
			errx(1, "%s", errbuf);
		cost_format_time(as_of ? as_of : time(NULL), day, sizeof(day));
		day[10] = '\0';
		json_object_set_new(out, "as_of", json_string(day));
		print_json(out);
		goto done;
	}

	experiment_init(&e);
	e.as_of = as_of;
	if (plan != NULL) {
		if (plan_read(&e, plan, runs, overhead_s < 0 ? 900 : overhead_s,
		    errbuf, sizeof(errbuf)) != 0)
			errx(3, "%s", errbuf);
	} else if (id != NULL) {
		struct aws_client_options opt = { 0 };
		struct aws_client *c;

		if (e.as_of == 0)
			e.as_of = time(NULL);
		e.experiment_id = xstrdup(id);
		if ((c = aws_client_new(&opt, errbuf, sizeof(errbuf))) == NULL)
			errx(1, "%s", errbuf);
		if (discover(c, &e, errbuf, sizeof(errbuf)) != 0)
			errx(1, "%s", errbuf);
		aws_client_free(c);
	} else {
		json_error_t jerr;
		json_t *doc;
		FILE *in = stdin;

		if (argc == 1 && strcmp(argv[0], "-") != 0) {
			path = argv[0];
			if ((in = fopen(path, "r")) == NULL)
				err(1, "\"%s\"", path);
		}
		if ((doc = json_loadf(in, 0, &jerr)) == NULL)
			errx(3, "%s:%d:%d: %s", path, jerr.line, jerr.column,
			    jerr.text);
		if (in != stdin)
			fclose(in);
		if (input_read(&e, doc, errbuf, sizeof(errbuf)) != 0)
			errx(3, "%s: %s", path, errbuf);
		json_decref(doc);
	}
	if (plan == NULL && runs != NULL &&
	    runs_read_windows(&e, runs, errbuf, sizeof(errbuf)) != 0)
		errx(3, "%s", errbuf);
	if (metrics != NULL &&
	    metrics_read(&e, metrics, errbuf, sizeof(errbuf)) != 0)
		errx(3, "%s", errbuf);

	out = estimate(&e, prices, &nunpriced);
	if (plan != NULL)
		json_object_set_new(out, "kind", json_string("plan"));
	for (size_t i = 0; i < e.nres; i++)
		if (!e.res[i].priced)
			warnx("%s: %s; left out of the total", e.res[i].id,
			    e.res[i].unpriced_reason);
	if (strict && nunpriced)
		errx(1, "--strict: %d resource(s) could not be priced",
		    nunpriced);
	if (want_actuals)
		json_object_set_new(out, "actuals", run_actuals(&e));
	print_json(out);
	experiment_free(&e);
done:
	json_decref(out);
	json_decref(prices);
	curl_global_cleanup();
	if (fflush(stdout) == EOF || ferror(stdout))
		err(1, "stdout");
	return 0;
}
