/*
 * plc-omb-parse: OpenMessaging Benchmark result files in, one normalized
 * metrics record per run out (NDJSON).
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "buf.h"
#include "cli.h"
#include "jsonout.h"
#include "omb_record.h"
#include "omb_result.h"
#include "omb_runs.h"

static int status;	/* the first failure's exit status */

static const struct option longopts[] = {
	{ "experiment-id", required_argument, NULL, 'e' },
	{ "runs", required_argument, NULL, 'r' },
	{ "series", no_argument, NULL, 's' },
	{ "quantiles", no_argument, NULL, 'q' },
	{ "failed", required_argument, NULL, 'f' },
	{ "executed", required_argument, NULL, 'x' },
	{ NULL, 0, NULL, 0 }
};

static const struct cli_tool tool = {
	"plc-omb-parse",
	"usage: plc-omb-parse [-qs] [-e experiment-id] [-r runs.ndjson] "
	"[file ...]\n"
	"       plc-omb-parse [-qs] [-e experiment-id] -r runs.ndjson "
	"-f reason\n"
	"       plc-omb-parse [-qs] [-e experiment-id] -x executed.ndjson\n",
	"Reads OpenMessaging Benchmark result files (standard input when\n"
	"none or -) and prints one normalized metrics record per file\n"
	"(NDJSON), every unit in the field's name.",
	"  -e, --experiment-id ID    add experiment_id to every record\n"
	"  -f, --failed REASON       with -r and no file: each run's failed\n"
	"                            record, failure_reason REASON\n"
	"  -q, --quantiles           add the aggregated quantile curves\n"
	"  -r, --runs FILE           one record per run of FILE (plc-tfvars\n"
	"                            --runs), failed where no result matches\n"
	"  -s, --series              add the per-period arrays\n"
	"  -x, --executed FILE       one record per workload of FILE\n"
	"                            (executed.ndjson), joined to its result\n"
	"                            file, with its state and SLO verdict\n",
	NULL,
	"0 ok, 1 a file cannot be read or output error, 2 usage,\n"
	"3 bad input (the other files are still read).",
	"e:f:qr:sx:", longopts
};

static void
fail(int code)
{
	if (status == 0)
		status = code;
}

static void
print(const json_t *rec)
{
	if (jsonout_write_line(stdout, rec) == -1)
		errx(EXIT_RUNTIME, "cannot encode a record");
}

/* The whole of fd in b; -1 with errno on a read error. */
static int
read_all(int fd, struct buf *b)
{
	ssize_t n;

	for (;;) {
		if (b->cap - b->len < 65536) {
			b->cap = b->cap ? 2 * b->cap : 262144;
			b->data = xrealloc(b->data, b->cap);
		}
		if ((n = read(fd, b->data + b->len, b->cap - b->len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			return 0;
		b->len += n;
	}
}

/*
 * Loads one result file ("-" is stdin) into r. Returns 0, or the exit
 * status of the failure it has reported.
 */
static int
load(const char *path, int flags, struct buf *b, struct omb_result *r)
{
	struct omb_error e;
	int fd, rc;

	b->len = 0;
	if (strcmp(path, "-") == 0)
		fd = STDIN_FILENO;
	else if ((fd = open(path, O_RDONLY)) == -1) {
		warn("%s", path);
		return EXIT_RUNTIME;
	}
	rc = read_all(fd, b);
	if (fd != STDIN_FILENO)
		close(fd);
	if (rc == -1) {
		warn("%s", path);
		return EXIT_RUNTIME;
	}
	if (omb_result_load(b->data, b->len, flags, r, &e) == -1) {
		if (e.line > 0)
			warnx("%s:%d:%d: %s", path, e.line, e.col, e.msg);
		else
			warnx("%s: %s", path, e.msg);
		omb_result_free(r);
		return EXIT_INPUT;
	}
	return 0;
}

static void
load_runs(const char *path, int executed, struct omb_runs *runs)
{
	char msg[512];
	int rc;

	rc = executed ? omb_runs_load_executed(path, runs, msg, sizeof(msg)) :
	    omb_runs_load(path, runs, msg, sizeof(msg));
	if (rc != OMB_RUNS_OK)
		errx(rc == OMB_RUNS_BAD ? EXIT_INPUT : EXIT_RUNTIME, "%s", msg);
}

/*
 * Result files joined to runs_path's runs (NULL: none): with runs, one
 * record per run in plan order, then the results that match no run.
 */
static void
parse_files(char **files, const char *runs_path, int flags,
    const struct omb_record_opts *opts)
{
	struct omb_runs runs = { 0 };
	struct omb_result r;
	struct omb_run *run;
	struct buf b = { 0 };
	json_t **joined = NULL, *unmatched, *rec;
	size_t i;
	int rc;

	if (runs_path != NULL) {
		load_runs(runs_path, 0, &runs);
		joined = xcalloc(runs.n ? runs.n : 1, sizeof(*joined));
	}
	unmatched = json_array();

	for (; *files != NULL; files++) {
		if ((rc = load(*files, flags, &b, &r)) != 0) {
			fail(rc);
			continue;
		}
		run = runs_path ? omb_runs_match(&runs, r.workload) : NULL;
		rec = omb_record_build(&r, *files, run ? run->line : NULL,
		    opts);
		if (run != NULL)
			joined[run - runs.run] = rec;
		else if (runs_path != NULL) {
			warnx("%s: workload \"%s\" matches no run", *files,
			    r.workload ? r.workload : "null");
			json_array_append_new(unmatched, rec);
		} else {
			print(rec);
			json_decref(rec);
		}
		omb_result_free(&r);
	}

	/* Plan order; OMB exits 0 even when a workload threw (docs/omb-results.md §1.1). */
	for (i = 0; i < runs.n; i++) {
		if (joined[i] == NULL)
			joined[i] = omb_record_build(NULL, NULL,
			    runs.run[i].line, opts);
		print(joined[i]);
		json_decref(joined[i]);
	}
	json_array_foreach(unmatched, i, rec)
		print(rec);
	json_decref(unmatched);
	free(joined);
	omb_runs_free(&runs);
	buf_free(&b);
}

/* -f: the failed record of every run of runs_path; no result is read. */
static void
parse_failed(const char *runs_path, const struct omb_record_opts *opts)
{
	struct omb_runs runs;
	json_t *rec;
	size_t i;

	load_runs(runs_path, 0, &runs);
	for (i = 0; i < runs.n; i++) {
		rec = omb_record_build(NULL, NULL, runs.run[i].line, opts);
		print(rec);
		json_decref(rec);
	}
	omb_runs_free(&runs);
}

/*
 * -x: one record per workload of path (executed.ndjson), in the order they
 * ran: its result file's, found beside path, else its failed record; then
 * what the lifecycle knows of it (omb_record_executed).
 */
static void
parse_executed(const char *path, int flags,
    const struct omb_record_opts *opts)
{
	const char *f, *slash = strrchr(path, '/');
	struct omb_runs runs;
	struct omb_result r;
	struct buf b = { 0 }, p = { 0 };
	json_t *rec;
	size_t i;
	int rc;

	load_runs(path, 1, &runs);
	for (i = 0; i < runs.n; i++) {
		rec = NULL;
		if ((f = runs.run[i].result_file) != NULL) {
			buf_reset(&p);
			/* Never the standard input: "-" is a file here. */
			if (f[0] != '/' && slash != NULL)
				buf_addf(&p, "%.*s/", (int)(slash - path),
				    path);
			else if (strcmp(f, "-") == 0)
				buf_adds(&p, "./");
			buf_adds(&p, f);
			if ((rc = load(p.data, flags, &b, &r)) != 0)
				fail(rc);
			else {
				rec = omb_record_build(&r, f,
				    runs.run[i].line, opts);
				omb_result_free(&r);
			}
		}
		if (rec == NULL)
			rec = omb_record_build(NULL, NULL, runs.run[i].line,
			    opts);
		omb_record_executed(rec, runs.run[i].executed);
		print(rec);
		json_decref(rec);
	}
	omb_runs_free(&runs);
	buf_free(&b);
	buf_free(&p);
}

int
main(int argc, char *argv[])
{
	static char *stdin_only[] = { "-", NULL };
	struct omb_record_opts opts = { 0 };
	const char *runs_path = NULL, *executed = NULL;
	int ch, flags = 0;

	while ((ch = cli_getopt(&tool, argc, argv)) != -1) {
		switch (ch) {
		case 'e':
			opts.experiment_id = cli_experiment_id(
			    "--experiment-id", optarg);
			break;
		case 'f':
			if (*optarg == '\0')
				cli_bad_value("--failed", optarg, "a reason");
			opts.failure_reason = optarg;
			break;
		case 'q':
			opts.quantiles = 1;
			flags |= OMB_LOAD_QUANTILES;
			break;
		case 'r':
			runs_path = optarg;
			break;
		case 'x':
			executed = optarg;
			break;
		default:	/* -s */
			opts.series = 1;
			flags |= OMB_LOAD_SERIES;
		}
	}
	opts.with_runs = runs_path != NULL || executed != NULL;
	if (opts.failure_reason != NULL &&
	    (runs_path == NULL || optind < argc))
		cli_usage_error(&tool, "--failed needs --runs and no file");
	if (executed != NULL && (runs_path != NULL || optind < argc))
		cli_usage_error(&tool, "--executed takes no --runs and no file");

	if (executed != NULL)
		parse_executed(executed, flags, &opts);
	else if (opts.failure_reason != NULL)
		parse_failed(runs_path, &opts);
	else
		parse_files(optind < argc ? argv + optind : stdin_only,
		    runs_path, flags, &opts);
	cli_stdout_flush();
	return status;
}
