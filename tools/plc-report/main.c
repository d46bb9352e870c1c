/*
 * plc-report: an experiment directory in, its report out (index.html,
 * metrics.csv, metrics.json, costs.json, raw_data/, config/); or, with
 * --compare, the changes between two experiments; or, with --summary, its
 * runs' summary for the terminal.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "buf.h"
#include "cli.h"
#include "expdir.h"
#include "html.h"
#include "jsonout.h"
#include "report.h"

static const struct option longopts[] = {
	{ "compare", no_argument, NULL, 'c' },
	{ "frontier", no_argument, NULL, 'F' },
	{ "mixed-durability", no_argument, NULL, 'm' },
	{ "output", required_argument, NULL, 'o' },
	{ "summary", no_argument, NULL, 's' },
	{ "threshold", required_argument, NULL, 't' },
	{ NULL, 0, NULL, 0 }
};

static const struct cli_tool tool = {
	"plc-report",
	"usage: plc-report [-o outdir] experiment-dir\n"
	"       plc-report -c [-m] [-t percent] [-o outdir] "
	"experiment-dir-a experiment-dir-b\n"
	"       plc-report -F -o outdir experiment-dir ...\n"
	"       plc-report -s experiment-dir\n",
	"Writes an experiment's report (index.html, metrics.csv,\n"
	"metrics.json, costs.json, raw_data/, config/) into\n"
	"experiment-dir/report; with -c, the changes from experiment A to B;\n"
	"with -F, the frontier of a plan's variants; with -s, a summary of\n"
	"its runs on stdout.",
	"  -c, --compare             compare two experiments\n"
	"  -F, --frontier            the frontier of the experiments given\n"
	"  -m, --mixed-durability    with -c, compare experiments whose\n"
	"                            durability settings differ\n"
	"  -o, --output DIR          write into DIR\n"
	"  -s, --summary             print a line per run and the total\n"
	"                            cost instead of writing the report\n"
	"  -t, --threshold PERCENT   with -c, the regression threshold\n"
	"                            (default 5)\n",
	NULL,
	"0 ok (regressions do not change it), 1 a file could not be\n"
	"read or written, 2 usage, 3 bad input (with -c, also experiments\n"
	"of different durability settings without -m).",
	"cFmo:st:", longopts
};

static void
write_report(const struct expdir *x, const char *out)
{
	struct buf page = { 0 };
	json_t *doc;
	FILE *fp;

	out_mkdir(out);
	/* An older page beside newer files would not be the report. */
	buf_addf(&page, "%s/index.html", out);
	if (unlink(page.data) == -1 && errno != ENOENT && errno != ENOTDIR)
		err(EXIT_RUNTIME, "%s", page.data);
	buf_free(&page);
	fp = out_open(out, "metrics.json");
	doc = metrics_doc(x);
	if (jsonout_write_line(fp, doc) == -1)
		errx(EXIT_RUNTIME, "metrics.json: cannot encode");
	json_decref(doc);
	out_close(fp, out, "metrics.json");

	fp = out_open(out, "metrics.csv");
	csv_write(fp, x);
	out_close(fp, out, "metrics.csv");

	if (x->costs != NULL) {
		fp = out_open(out, "costs.json");
		if (jsonout_write_line(fp, x->costs) == -1)
			errx(EXIT_RUNTIME, "costs.json: cannot encode");
		out_close(fp, out, "costs.json");
	}
	files_copy(x, out);

	/* Last, so that a page on disk means a complete report. */
	fp = out_open(out, "index.html");
	page_write(fp, x);
	out_close(fp, out, "index.html");
}

int
main(int argc, char *argv[])
{
	struct expdir a, b;
	struct buf out = { 0 };
	const char *outdir = NULL;
	double thr = 5;
	char *end;
	json_t *doc;
	int ch, compare = 0, frontier = 0, mixed = 0, summary = 0, rc;

	while ((ch = cli_getopt(&tool, argc, argv)) != -1) {
		switch (ch) {
		case 'c':
			compare = 1;
			break;
		case 'F':
			frontier = 1;
			break;
		case 'm':
			mixed = 1;
			break;
		case 'o':
			outdir = optarg;
			break;
		case 's':
			summary = 1;
			break;
		default:	/* -t */
			errno = 0;
			thr = strtod(optarg, &end);
			if (*optarg == '\0' || *end != '\0' || errno != 0 ||
			    !isfinite(thr) || thr < 0)
				cli_bad_value("--threshold", optarg,
				    "a percentage of 0 or more");
		}
	}
	argc -= optind;
	argv += optind;
	if (frontier) {
		if (compare || outdir == NULL || argc < 1)
			cli_usage_error(&tool, "--frontier takes -o outdir and "
			    "one or more experiment directories, and no "
			    "--compare");
		if ((rc = frontier_write(argv, (size_t)argc, outdir)) != 0)
			return rc;
		cli_stdout_flush();
		return 0;
	}
	if (summary && (compare || outdir != NULL))
		cli_usage_error(&tool, "--summary takes one experiment directory, "
		    "and no --compare or --output");
	if (argc != (compare ? 2 : 1))
		cli_usage_error(&tool, compare ? "expected two experiment "
		    "directories" : "expected one experiment directory");

	if ((rc = expdir_load(&a, argv[0])) != 0)
		return rc;
	if (summary)
		summary_write(stdout, &a);
	else if (!compare) {
		if (outdir == NULL)
			buf_addf(&out, "%s/report", argv[0]);
		else
			buf_adds(&out, outdir);
		write_report(&a, out.data);
	} else {
		if ((rc = expdir_load(&b, argv[1])) != 0) {
			expdir_free(&a);
			return rc;
		}
		if (!mixed && (rc = durability_check(&a, &b)) != 0) {
			expdir_free(&a);
			expdir_free(&b);
			return rc;
		}
		if (outdir == NULL)
			buf_addf(&out, "%s/report", argv[1]);
		else
			buf_adds(&out, outdir);
		out_mkdir(out.data);
		doc = compare_write(&a, &b, thr, mixed, out.data);
		if (jsonout_write_line(stdout, doc) == -1)
			errx(EXIT_RUNTIME, "cannot encode the comparison");
		json_decref(doc);
		expdir_free(&b);
	}
	expdir_free(&a);
	buf_free(&out);
	cli_stdout_flush();
	return 0;
}
