#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "ndjson.h"
#include "omb_runs.h"

static const char *
missing_key(const json_t *o)
{
	const json_t *wl = json_object_get(o, "workload");

	if (!json_is_string(json_object_get(o, "name")))
		return "\"name\" (a string)";
	if (!json_is_integer(json_object_get(o, "index")))
		return "\"index\" (an integer)";
	if (!json_is_object(wl))
		return "\"workload\" (an object)";
	if (!json_is_string(json_object_get(wl, "name")))
		return "\"workload\".\"name\" (a string)";
	return NULL;
}

/*
 * What an executed.ndjson line lacks (plc-executed/1 with a run_line, a
 * state and a result_file), or NULL.
 */
static const char *
missing_executed_key(const json_t *o)
{
	const json_t *v = json_object_get(o, "schema");
	const json_t *f = json_object_get(o, "result_file");

	if (!json_is_string(v) || strcmp(json_string_value(v),
	    "plc-executed/1") != 0)
		return "\"schema\" (\"plc-executed/1\")";
	if (!json_is_object(json_object_get(o, "run_line")))
		return "\"run_line\" (an object)";
	if (!json_is_string(json_object_get(o, "state")))
		return "\"state\" (a string)";
	if (!json_is_string(f) && !json_is_null(f))
		return "\"result_file\" (a string or null)";
	v = json_object_get(o, "reason");
	if (v != NULL && !json_is_string(v) && !json_is_null(v))
		return "\"reason\" (a string or null)";
	return NULL;
}

/* One line of path as a run; -1 with err set when it is not one. */
static int
add_run(struct omb_runs *runs, size_t *alloc, json_t *o, int executed,
    const char *path, size_t lineno, char *err, size_t errlen)
{
	const char *miss = NULL, *what = executed ? "an executed workload" : "a run";
	json_t *line = o;
	struct omb_run *r;

	if (!json_is_object(o))
		miss = "an object";
	else if (executed && (miss = missing_executed_key(o)) != NULL)
		;
	else {
		if (executed)
			line = json_object_get(o, "run_line");
		if ((miss = missing_key(line)) != NULL && executed)
			what = "an executed workload: \"run_line\"";
	}
	if (miss != NULL) {
		snprintf(err, errlen, "%s:%zu: not %s: missing %s", path,
		    lineno, what, miss);
		return -1;
	}
	if (runs->n == *alloc) {
		*alloc = *alloc ? 2 * *alloc : 16;
		runs->run = xrealloc(runs->run, *alloc * sizeof(*runs->run));
	}
	r = &runs->run[runs->n++];
	r->line = json_incref(line);
	r->workload = json_string_value(json_object_get(
	    json_object_get(line, "workload"), "name"));
	r->matched = 0;
	r->executed = executed ? json_incref(o) : NULL;
	r->result_file = executed ? json_string_value(json_object_get(o,
	    "result_file")) : NULL;
	return 0;
}

static int
load(const char *path, int executed, struct omb_runs *runs, char *err,
    size_t errlen)
{
	struct ndjson rd;
	size_t alloc = 0;
	json_t *o;
	int rc;

	memset(runs, 0, sizeof(*runs));
	if (ndjson_open(&rd, path) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return OMB_RUNS_UNREADABLE;
	}
	while ((rc = ndjson_next(&rd, &o, err, errlen)) == NDJSON_VALUE) {
		if (add_run(runs, &alloc, o, executed, path, rd.lineno, err,
		    errlen) == -1)
			rc = NDJSON_BAD;
		json_decref(o);
		if (rc == NDJSON_BAD)
			break;
	}
	ndjson_close(&rd);
	if (rc == NDJSON_END)
		return OMB_RUNS_OK;
	omb_runs_free(runs);
	return rc == NDJSON_BAD ? OMB_RUNS_BAD : OMB_RUNS_UNREADABLE;
}

int
omb_runs_load(const char *path, struct omb_runs *runs, char *err,
    size_t errlen)
{
	return load(path, 0, runs, err, errlen);
}

int
omb_runs_load_executed(const char *path, struct omb_runs *runs, char *err,
    size_t errlen)
{
	return load(path, 1, runs, err, errlen);
}

void
omb_runs_free(struct omb_runs *runs)
{
	size_t i;

	for (i = 0; i < runs->n; i++) {
		json_decref(runs->run[i].line);
		json_decref(runs->run[i].executed);
	}
	free(runs->run);
	memset(runs, 0, sizeof(*runs));
}

struct omb_run *
omb_runs_match(struct omb_runs *runs, const char *workload)
{
	size_t i;

	if (workload == NULL)
		return NULL;
	for (i = 0; i < runs->n; i++)
		if (!runs->run[i].matched &&
		    strcmp(runs->run[i].workload, workload) == 0) {
			runs->run[i].matched = 1;
			return &runs->run[i];
		}
	return NULL;
}
