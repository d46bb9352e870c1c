/*
 * plc-prom: Prometheus query_range answers of a run in, one series record per
 * node (plc-cluster/1) out; with -j, one verdict per run (plc-prom-verdict/1):
 * what limited it and whether the broker counted what OMB measured.
 */
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "cli.h"
#include "jsonout.h"
#include "ndjson.h"
#include "prom.h"

/* An answers document of 15 queries over 11,000 points is ~20 MB. */
#define MAX_DOC_BYTES	(256L * 1024 * 1024)
#define MAX_RECORDS	100000

static const struct option longopts[] = {
	{ "experiment-id", required_argument, NULL, 'e' },
	{ "period", required_argument, NULL, 'p' },
	{ "judge", no_argument, NULL, 'j' },
	{ "limits", required_argument, NULL, 'l' },
	{ "metrics", required_argument, NULL, 'm' },
	{ "merged", required_argument, NULL, 'M' },
	{ "summary", required_argument, NULL, 'S' },
	{ "tolerance", required_argument, NULL, 't' },
	{ NULL, 0, NULL, 0 }
};

static const struct cli_tool tool = {
	"plc-prom",
	"usage: plc-prom [-e experiment-id] [-p period-s] answers.json ...\n"
	"       plc-prom -j [-e experiment-id] [-l limits.json] "
	"[-m metrics.ndjson [-M merged.ndjson]]\n"
	"                   [-S summary.txt] [-t tolerance] cluster.ndjson\n",
	"Turns the answers of metrics/queries.json over a run's measured\n"
	"window (plc-prom-answers/1, written by scripts/prom-export) into\n"
	"one record per run and node (plc-cluster/1): every query's series\n"
	"averaged over OMB's periods, units in the field names. With -j,\n"
	"judges each run of such records (plc-prom-verdict/1): the resource\n"
	"closest to its limit (CPU, NIC, disk bandwidth, disk latency, GC)\n"
	"with its figure, or why it cannot decide, and the cross-check of\n"
	"the broker-side publish rate against OMB's.",
	"  -e, --experiment-id ID    the experiment the records belong to\n"
	"  -p, --period SECONDS      OMB's sampling period (default 10)\n"
	"  -j, --judge               verdicts from cluster records\n"
	"  -l, --limits FILE         with -j, the nodes' limits (plc-limits/1)\n"
	"  -m, --metrics FILE        with -j, plc-omb-parse's records\n"
	"  -M, --merged FILE         with -m, write them to FILE, each with\n"
	"                            its run's verdict as cluster_verdict\n"
	"  -S, --summary FILE        with -j, write a line per verdict to\n"
	"                            FILE: what limited the run, and a\n"
	"                            failed cross-check's rates\n"
	"  -t, --tolerance RATIO     with -j, the cross-check's tolerance\n"
	"                            (default 0.05)\n",
	NULL,
	"0 ok, 1 output error, 2 usage, 3 bad input.",
	"e:p:jl:m:M:S:t:", longopts
};

static json_t *
load_doc(const char *path)
{
	json_error_t e;
	struct stat st;
	json_t *v;

	if (stat(path, &st) == -1)
		err(EXIT_INPUT, "\"%s\"", path);
	if (st.st_size > MAX_DOC_BYTES)
		errx(EXIT_INPUT, "\"%s\": larger than %ld bytes", path,
		    MAX_DOC_BYTES);
	if ((v = json_load_file(path, JSON_REJECT_DUPLICATES, &e)) == NULL)
		errx(EXIT_INPUT, "%s:%d:%d: %s", path, e.line, e.column,
		    e.text);
	if (!json_is_object(v))
		errx(EXIT_INPUT, "\"%s\": expected an object", path);
	return v;
}

static void
read_values(const char *path, json_t ***v, size_t *n)
{
	json_t *all = json_array(), *val;
	char msg[512];
	size_t i;

	if (ndjson_read_all(path, NULL, MAX_RECORDS - *n, all, NULL, msg,
	    sizeof(msg)) != NDJSON_END)
		errx(EXIT_INPUT, "%s", msg);
	*v = xrealloc(*v, (*n + json_array_size(all)) * sizeof(**v));
	json_array_foreach(all, i, val)
		(*v)[(*n)++] = json_incref(val);
	json_decref(all);
}

static void
print_all(json_t *arr)
{
	json_t *v;
	size_t i;

	json_array_foreach(arr, i, v)
		if (jsonout_write_line(stdout, v) == -1)
			errx(EXIT_RUNTIME, "cannot encode the output");
	cli_stdout_flush();
}

static FILE *
create(const char *path)
{
	FILE *fp;

	if ((fp = fopen(path, "w")) == NULL)
		err(EXIT_RUNTIME, "\"%s\"", path);
	return fp;
}

static void
done(FILE *fp, const char *path)
{
	if (ferror(fp) | fclose(fp))
		errx(EXIT_RUNTIME, "\"%s\": cannot write", path);
}

/* -M: the metrics records, each with its run's verdict. */
static void
write_merged(const char *path, json_t *const *omb, size_t nomb,
    const json_t *verdicts)
{
	FILE *fp = create(path);
	json_t *m;
	size_t i;

	for (i = 0; i < nomb; i++) {
		m = prom_merge(omb[i], verdicts);
		if (jsonout_write_line(fp, m) == -1)
			errx(EXIT_RUNTIME, "cannot encode the output");
		json_decref(m);
	}
	done(fp, path);
}

/* -S: a line per verdict. */
static void
write_summary(const char *path, const json_t *verdicts)
{
	FILE *fp = create(path);
	const json_t *v;
	char line[2048];
	size_t i;

	json_array_foreach(verdicts, i, v) {
		prom_summary(v, line, sizeof(line));
		fprintf(fp, "%s\n", line);
	}
	done(fp, path);
}

static double
positive(const char *opt, const char *s)
{
	char *end;
	double d;

	errno = 0;
	d = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !isfinite(d) ||
	    d <= 0)
		cli_bad_value(opt, s, "a positive number");
	return d;
}

int
main(int argc, char *argv[])
{
	const char *experiment_id = NULL, *limits_path = NULL, *omb_path = NULL;
	const char *merged_path = NULL, *summary_path = NULL;
	double period_s = 10, tol = PROM_TOLERANCE;
	int ch, judge = 0, i, only_judge = 0, only_series = 0;
	json_t *out, *doc, *limits = NULL, **recs = NULL, **omb = NULL;
	size_t nrecs = 0, nomb = 0, k;
	char msg[512];

	while ((ch = cli_getopt(&tool, argc, argv)) != -1) {
		switch (ch) {
		case 'e':
			experiment_id = cli_experiment_id("--experiment-id",
			    optarg);
			break;
		case 'p':
			period_s = positive("--period", optarg);
			only_series = 1;
			break;
		case 'j':
			judge = 1;
			break;
		case 'l':
			limits_path = optarg;
			only_judge = 1;
			break;
		case 'm':
			omb_path = optarg;
			only_judge = 1;
			break;
		case 'M':
			merged_path = optarg;
			only_judge = 1;
			break;
		case 'S':
			summary_path = optarg;
			only_judge = 1;
			break;
		default:	/* -t */
			tol = positive("--tolerance", optarg);
			only_judge = 1;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1 || (judge && (argc != 1 || only_series)) ||
	    (!judge && only_judge))
		cli_usage_error(&tool, NULL);
	if (merged_path != NULL && omb_path == NULL)
		cli_usage_error(&tool, "--merged needs --metrics");
	out = json_array();
	if (!judge) {
		for (i = 0; i < argc; i++) {
			doc = load_doc(argv[i]);
			if (prom_records(doc, experiment_id, period_s, out, msg,
			    sizeof(msg)) == -1) {
				/* Freed first: the sanitizer build's leak check
				 * would otherwise turn exit 3 into 1. */
				json_decref(doc);
				json_decref(out);
				errx(EXIT_INPUT, "\"%s\": %s", argv[i], msg);
			}
			json_decref(doc);
		}
		print_all(out);
		json_decref(out);
		return 0;
	}
	if (limits_path != NULL)
		limits = load_doc(limits_path);
	if (omb_path != NULL)
		read_values(omb_path, &omb, &nomb);
	read_values(argv[0], &recs, &nrecs);
	if (prom_judge(recs, nrecs, limits, omb, nomb, experiment_id, tol, out,
	    msg, sizeof(msg)) == -1)
		errx(EXIT_INPUT, "\"%s\": %s", strncmp(msg, "limits:", 7) == 0
		    ? limits_path : argv[0], strncmp(msg, "limits:", 7) == 0 ?
		    msg + 8 : msg);
	if (merged_path != NULL)
		write_merged(merged_path, omb, nomb, out);
	if (summary_path != NULL)
		write_summary(summary_path, out);
	print_all(out);
	for (k = 0; k < nrecs; k++)
		json_decref(recs[k]);
	for (k = 0; k < nomb; k++)
		json_decref(omb[k]);
	free(recs);
	free(omb);
	json_decref(limits);
	json_decref(out);
	return 0;
}
