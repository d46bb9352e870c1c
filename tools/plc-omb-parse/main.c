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
	{ NULL, 0, NULL, 0 }
};

static const struct cli_tool tool = {
	"plc-omb-parse",
	"usage: plc-omb-parse [-qs] [-e experiment-id] [-r runs.ndjson] "
	"[file ...]\n",
	"Reads OpenMessaging Benchmark result files (standard input when\n"
	"none or -) and prints one normalized metrics record per file\n"
	"(NDJSON), every unit in the field's name.",
	"  -e, --experiment-id ID    add experiment_id to every record\n"
	"  -q, --quantiles           add the aggregated quantile curves\n"
	"  -r, --runs FILE           one record per run of FILE (plc-tfvars\n"
	"                            --runs), failed where no result matches\n"
	"  -s, --series              add the per-period arrays\n",
	NULL,
	"0 ok, 1 a file cannot be read or output error, 2 usage,\n"
	"3 bad input (the other files are still read).",
	"e:qr:s", longopts
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

int
main(int argc, char *argv[])
{
	static char *stdin_only[] = { "-", NULL };
	struct omb_record_opts opts = { 0 };
	struct omb_runs runs = { 0 };
	struct omb_result r;
	struct omb_run *run;
	struct buf b = { 0 };
	const char *runs_path = NULL;
	json_t **joined = NULL, *unmatched, *rec;
	char msg[512];
	char **files;
	size_t i;
	int ch, flags = 0, rc;

	while ((ch = cli_getopt(&tool, argc, argv)) != -1) {
		switch (ch) {
		case 'e':
			opts.experiment_id = cli_experiment_id(
			    "--experiment-id", optarg);
			break;
		case 'q':
			opts.quantiles = 1;
			flags |= OMB_LOAD_QUANTILES;
			break;
		case 'r':
			runs_path = optarg;
			break;
		default:	/* -s */
			opts.series = 1;
			flags |= OMB_LOAD_SERIES;
		}
	}
	files = optind < argc ? argv + optind : stdin_only;

	if (runs_path != NULL) {
		if ((rc = omb_runs_load(runs_path, &runs, msg,
		    sizeof(msg))) != OMB_RUNS_OK)
			errx(rc == OMB_RUNS_BAD ? EXIT_INPUT : EXIT_RUNTIME,
			    "%s", msg);
		opts.with_runs = 1;
		joined = xcalloc(runs.n, sizeof(*joined));
	}
	unmatched = json_array();

	for (; *files != NULL; files++) {
		if ((rc = load(*files, flags, &b, &r)) != 0) {
			fail(rc);
			continue;
		}
		run = runs_path ? omb_runs_match(&runs, r.workload) : NULL;
		rec = omb_record_build(&r, *files, run ? run->line : NULL,
		    &opts);
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
			    runs.run[i].line, &opts);
		print(joined[i]);
		json_decref(joined[i]);
	}
	json_array_foreach(unmatched, i, rec)
		print(rec);
	json_decref(unmatched);
	free(joined);
	omb_runs_free(&runs);
	buf_free(&b);

	cli_stdout_flush();
	return status;
}
