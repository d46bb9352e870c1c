/*
 * plc-search: the next step of a stepped run (ramp_up, scale_to_failure,
 * slo_search) from the steps it has run, or why it stops; with -c, the
 * capacity document of finished slo_search runs.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "cli.h"
#include "jsonout.h"
#include "ndjson.h"
#include "search.h"

/* More steps than any search or listed ramp can have (plc-tfvars: 100). */
#define MAX_RECORDS	1000

static const struct option longopts[] = {
	{ "capacity", no_argument, NULL, 'c' },
	{ "experiment-id", required_argument, NULL, 'e' },
	{ NULL, 0, NULL, 0 }
};

static const struct cli_tool tool = {
	"plc-search",
	"usage: plc-search run.json [steps.ndjson]\n"
	"       plc-search -c [-e experiment-id] decision.json ...\n",
	"Decides the next step of a stepped run from the metrics records\n"
	"(plc-omb-parse) of the steps it has run, in step order, and\n"
	"prints the decision (plc-search/1): every step with its figures\n"
	"and verdict, next (the step to run, with its run line) or\n"
	"stop_reason, and for slo_search the answer so far.",
	"  -c, --capacity            capacity.json (plc-capacity/1) from the\n"
	"                            decisions of slo_search runs\n"
	"  -e, --experiment-id ID    with -c, the experiment it belongs to\n",
	NULL,
	"0 ok, 1 output error, 2 usage, 3 bad input.",
	"ce:", longopts
};

/* Every value of an NDJSON file ("-": stdin) appended to *v. */
static void
read_values(const char *path, json_t ***v, size_t *n, size_t max)
{
	json_t *all = json_array(), *val;
	char msg[512];
	size_t i;

	if (ndjson_read_all(path, NULL, max - *n, all, NULL, msg,
	    sizeof(msg)) != NDJSON_END)
		errx(EXIT_INPUT, "%s", msg);
	*v = xrealloc(*v, (*n + json_array_size(all)) * sizeof(**v));
	json_array_foreach(all, i, val)
		(*v)[(*n)++] = json_incref(val);
	json_decref(all);
}

static void
print_and_free(json_t *doc)
{
	if (jsonout_write_line(stdout, doc) == -1)
		errx(EXIT_RUNTIME, "cannot encode the output");
	json_decref(doc);
	cli_stdout_flush();
}

static int
decide(const char *run_path, const char *steps_path)
{
	json_t **runv = NULL, **steps = NULL, *out;
	size_t nrun = 0, nsteps = 0, i;
	char msg[512];
	enum search_err e;

	read_values(run_path, &runv, &nrun, 2);
	if (nrun != 1)
		errx(EXIT_INPUT, "\"%s\": expected one run line, found %zu",
		    run_path, nrun);
	if (steps_path != NULL)
		read_values(steps_path, &steps, &nsteps, MAX_RECORDS);
	if ((e = search_decide(runv[0], steps, nsteps, &out, msg,
	    sizeof(msg))) != SEARCH_OK)
		errx(EXIT_INPUT, "\"%s\": %s", e == SEARCH_BAD_STEP &&
		    steps_path != NULL ?
		    steps_path : run_path, msg);
	print_and_free(out);
	for (i = 0; i < nsteps; i++)
		json_decref(steps[i]);
	json_decref(runv[0]);
	free(steps);
	free(runv);
	return 0;
}

static int
capacity(const char *experiment_id, char **files, int nfiles)
{
	json_t **d = NULL;
	size_t n = 0, i;
	int f;

	for (f = 0; f < nfiles; f++)
		read_values(files[f], &d, &n, MAX_RECORDS);
	print_and_free(search_capacity(experiment_id, d, n));
	for (i = 0; i < n; i++)
		json_decref(d[i]);
	free(d);
	return 0;
}

int
main(int argc, char *argv[])
{
	const char *experiment_id = NULL;
	int ch, cap = 0;

	while ((ch = cli_getopt(&tool, argc, argv)) != -1) {
		if (ch == 'c')
			cap = 1;
		else
			experiment_id = cli_experiment_id("--experiment-id",
			    optarg);
	}
	argc -= optind;
	argv += optind;
	if (cap) {
		if (argc < 1)
			cli_usage_error(&tool, NULL);
		return capacity(experiment_id, argv, argc);
	}
	if (experiment_id != NULL || argc < 1 || argc > 2)
		cli_usage_error(&tool, NULL);
	return decide(argv[0], argc == 2 ? argv[1] : NULL);
}
