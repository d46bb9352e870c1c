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
	{ NULL, 0, NULL, 0 }
};

static const struct cli_tool tool = {
	"plc-model",
	"usage: plc-model -q tfvars\n"
	"       plc-model -L tfvars\n"
	"       plc-model tfvars workloads.ndjson\n",
	"Predicts the highest publish rate the plan's cluster sustains for\n"
	"each distinct workload, per resource (journal and ledger devices,\n"
	"the instance's EBS cap, bookie, broker and client NICs), and the\n"
	"resource that bounds it.",
	"  -q, --request         print the DescribeInstanceTypes request\n"
	"  -L, --limits          print every role's limits (plc-limits/1 of\n"
	"                        plc-prom -l) instead of the model\n",
	"Without -q, reads the answers of\n"
	"  plc-model -q tfvars | plc-aws-sign --send --paginate\n"
	"(or those plc-preflight's requests got) on standard input, and\n"
	"workloads.ndjson: run lines (plc-tfvars --runs) or OMB workloads.\n",
	"0 ok, 1 an AWS answer missing or output error,\n"
	"2 usage, 3 bad input.",
	"qL", longopts
};

/* What model_build's outcome means to the caller of plc-model. */
static int
exit_status(enum model_status st)
{
	return st == MODEL_OK ? EXIT_OK : st == MODEL_ERR_AWS ? EXIT_RUNTIME :
	    EXIT_INPUT;
}

/* Every value of an NDJSON file, at most max of them. */
static json_t *
read_lines(const char *path, const char *name, size_t max, json_t **where)
{
	struct ndjson r;
	json_t *all = json_array(), *v;
	char errbuf[1024];
	int rc;

	if (ndjson_open(&r, path) != 0)
		err(EXIT_RUNTIME, "\"%s\"", name);
	r.path = name;
	if (where != NULL)
		*where = json_array();
	while ((rc = ndjson_next(&r, &v, errbuf, sizeof(errbuf))) ==
	    NDJSON_VALUE) {
		if (json_array_size(all) == max)
			errx(EXIT_INPUT, "\"%s\":%zu: more than %zu lines", name,
			    r.lineno, max);
		json_array_append_new(all, v);
		if (where != NULL)
			json_array_append_new(*where,
			    json_integer((json_int_t)r.lineno));
	}
	if (rc == NDJSON_BAD)
		errx(EXIT_INPUT, "%s", errbuf);
	if (rc == NDJSON_IOERR)
		errx(EXIT_RUNTIME, "%s", errbuf);
	ndjson_close(&r);
	return all;
}

int
main(int argc, char *argv[])
{
	struct model_plan plan;
	json_t *tf, *out, *answers, *lines, *linenos, *wls, *v;
	json_error_t jerr;
	char errbuf[2048];
	int request = 0, limits = 0, c;
	enum model_status rc;
	size_t i;

	while ((c = cli_getopt(&tool, argc, argv)) != -1)
		*(c == 'q' ? &request : &limits) = 1;
	argc -= optind;
	argv += optind;
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
