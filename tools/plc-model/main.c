/*
 * plc-model: the predicted ceiling of a plan's cluster for each workload,
 * from the instance types' documented limits and Pulsar's write path, and
 * the resource that bounds it. Like plc-preflight it sends nothing: -q
 * prints the request, plc-aws-sign answers, plc-model reads the answers.
 */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "jsonout.h"
#include "model.h"
#include "ndjson.h"

static const struct option longopts[] = {
	{ "request", no_argument, NULL, 'q' },
	{ "limits", no_argument, NULL, 'L' },
	{ "omb-result", no_argument, NULL, 'O' },
	{ "driver", required_argument, NULL, 'd' },
	{ NULL, 0, NULL, 0 }
};

static const struct cli_tool tool = {
	"plc-model",
	"usage: plc-model -q tfvars\n"
	"       plc-model -L tfvars\n"
	"       plc-model tfvars workloads.ndjson\n"
	"       plc-model -O [-d driver] workload.json model.json\n",
	"Predicts the highest publish rate the plan's cluster sustains for\n"
	"each distinct workload, per resource (journal and ledger devices,\n"
	"the instance's EBS cap, bookie, broker and client NICs), and the\n"
	"resource that bounds it.",
	"  -q, --request         print the DescribeInstanceTypes request\n"
	"  -L, --limits          print every role's limits (plc-limits/1 of\n"
	"                        plc-prom -l) instead of the model\n"
	"  -O, --omb-result      print the OMB result a benchmark of\n"
	"                        workload.json (an OMB workload as JSON; -:\n"
	"                        stdin) would write if the cluster of\n"
	"                        model.json behaved as modeled, labeled\n"
	"                        \"modeled\" (local mode's stand-in for OMB)\n"
	"  -d, --driver name     the result's driver (default: Pulsar)\n",
	"Without -q or -O, reads the answers of\n"
	"  plc-model -q tfvars | plc-aws-sign --send --paginate\n"
	"(or those plc-preflight's requests got) on standard input, and\n"
	"workloads.ndjson: run lines (plc-tfvars --runs) or OMB workloads.\n",
	"0 ok, 1 an AWS answer missing or output error,\n"
	"2 usage, 3 bad input.",
	"qLOd:", longopts
};

/* What model_build's outcome means to the caller of plc-model. */
static int
exit_status(enum model_status st)
{
	return st == MODEL_OK ? EXIT_OK : st == MODEL_ERR_AWS ? EXIT_RUNTIME :
	    EXIT_INPUT;
}

/* One JSON document of a file ("-": stdin), or exit 1 or 3. */
static json_t *
read_json(const char *path)
{
	json_error_t jerr;
	json_t *v;

	v = strcmp(path, "-") == 0 ?
	    json_loadf(stdin, JSON_REJECT_DUPLICATES, &jerr) :
	    json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (v == NULL)
		errx(jerr.line < 0 ? EXIT_RUNTIME : EXIT_INPUT,
		    "\"%s\":%d:%d: %s", strcmp(path, "-") == 0 ? "<stdin>" :
		    path, jerr.line, jerr.column, jerr.text);
	return v;
}

/* plc-model -O: the modeled OMB result of workload against model. */
static int
omb_result(const char *workload, const char *model, const char *driver)
{
	json_t *w = read_json(workload), *m = read_json(model), *out;
	const char *culprit;
	char errbuf[1024];

	out = model_omb_result(m, w, driver, &culprit, errbuf, sizeof(errbuf));
	json_decref(m);
	json_decref(w);
	if (out == NULL)
		errx(EXIT_INPUT, "\"%s\": %s", strcmp(culprit, "model") == 0 ?
		    model : strcmp(workload, "-") == 0 ? "<stdin>" : workload,
		    errbuf);
	if (jsonout_write_line(stdout, out) != 0)
		errx(EXIT_RUNTIME, "stdout: cannot encode the OMB result");
	json_decref(out);
	cli_stdout_flush();
	return EXIT_OK;
}

/* Every value of an NDJSON file, at most max of them. */
static json_t *
read_lines(const char *path, const char *name, size_t max, json_t **where)
{
	json_t *all = json_array();
	char errbuf[1024];

	if (where != NULL)
		*where = json_array();
	switch (ndjson_read_all(path, name, max, all,
	    where != NULL ? *where : NULL, errbuf, sizeof(errbuf))) {
	case NDJSON_END:
		return all;
	case NDJSON_BAD:
		errx(EXIT_INPUT, "%s", errbuf);
	default:
		errx(EXIT_RUNTIME, "%s", errbuf);
	}
}

int
main(int argc, char *argv[])
{
	struct model_plan plan;
	json_t *tf, *out, *answers, *lines, *linenos, *wls, *v;
	json_error_t jerr;
	char errbuf[2048];
	const char *driver = NULL;
	int request = 0, limits = 0, omb = 0, c;
	enum model_status rc;
	size_t i;

	while ((c = cli_getopt(&tool, argc, argv)) != -1)
		switch (c) {
		case 'q':
			request = 1;
			break;
		case 'L':
			limits = 1;
			break;
		case 'O':
			omb = 1;
			break;
		default:
			driver = optarg;
		}
	argc -= optind;
	argv += optind;
	if (omb || driver != NULL) {
		if (!omb || request || limits || argc != 2)
			cli_usage_error(&tool, NULL);
		return omb_result(argv[0], argv[1], driver ? driver : "Pulsar");
	}
	if ((request && limits) || argc != (request || limits ? 1 : 2))
		cli_usage_error(&tool, NULL);
	if ((tf = json_load_file(argv[0], JSON_REJECT_DUPLICATES, &jerr)) ==
	    NULL)
		errx(jerr.line < 0 ? EXIT_RUNTIME : EXIT_INPUT, "\"%s\":%d:%d: %s", argv[0],
		    jerr.line, jerr.column, jerr.text);
	if (model_plan_load(&plan, tf, errbuf, sizeof(errbuf)) != 0)
		errx(EXIT_INPUT, "\"%s\": %s", argv[0], errbuf);

	if (request) {
		out = model_request(&plan);
	} else if (limits) {
		answers = read_lines("/dev/stdin", "<stdin>",
		    MODEL_MAX_ANSWERS, NULL);
		out = model_limits(&plan, answers, &rc, errbuf,
		    sizeof(errbuf));
		json_decref(answers);
		if (out == NULL) {
			json_decref(tf);
			errx(exit_status(rc), "%s", errbuf);
		}
	} else {
		lines = read_lines(argv[1], argv[1], MODEL_MAX_WORKLOADS,
		    &linenos);
		if (json_array_size(lines) == 0)
			errx(EXIT_INPUT, "\"%s\": no workload", argv[1]);
		wls = json_array();
		json_array_foreach(lines, i, v) {
			json_t *w = model_workload(v, errbuf, sizeof(errbuf));

			if (w == NULL)
				errx(EXIT_INPUT, "\"%s\":%lld: %s", argv[1],
				    (long long)json_integer_value(
				    json_array_get(linenos, i)), errbuf);
			json_array_append_new(wls, json_pack("{s:o, s:O}",
			    "workload", w, "run", json_object_get(v, "id") ?
			    json_object_get(v, "id") : json_null()));
		}
		answers = read_lines("/dev/stdin", "<stdin>",
		    MODEL_MAX_ANSWERS, NULL);
		rc = model_build(&plan, answers, wls, &out, errbuf,
		    sizeof(errbuf));
		/* Freed before errx too: a leak checker's exit status must
		 * not replace the documented one. */
		json_decref(answers);
		json_decref(wls);
		json_decref(lines);
		json_decref(linenos);
		if (rc != 0) {
			json_decref(tf);
			errx(exit_status(rc), "%s", errbuf);
		}
	}
	if (jsonout_write_line(stdout, out) != 0)
		errx(EXIT_RUNTIME, "stdout: cannot encode the %s", request ? "request" :
		    limits ? "limits" : "model");
	json_decref(out);
	json_decref(tf);
	cli_stdout_flush();
	return 0;
}
