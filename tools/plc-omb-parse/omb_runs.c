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

int
omb_runs_load(const char *path, struct omb_runs *runs, char *err,
    size_t errlen)
{
	struct ndjson rd;
	struct omb_run *r;
	const char *miss;
	size_t alloc = 0;
	json_t *o;
	int rc;

	memset(runs, 0, sizeof(*runs));
	if (ndjson_open(&rd, path) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return OMB_RUNS_UNREADABLE;
	}
	while ((rc = ndjson_next(&rd, &o, err, errlen)) == NDJSON_VALUE) {
		if (!json_is_object(o) || (miss = missing_key(o)) != NULL) {
			snprintf(err, errlen, "%s:%zu: not a run: missing %s",
			    path, rd.lineno, json_is_object(o) ? miss :
			    "an object");
			json_decref(o);
			rc = NDJSON_BAD;
			break;
		}
		if (runs->n == alloc) {
			alloc = alloc ? 2 * alloc : 16;
			runs->run = xrealloc(runs->run,
			    alloc * sizeof(*runs->run));
		}
		r = &runs->run[runs->n++];
		r->line = o;
		r->workload = json_string_value(json_object_get(
		    json_object_get(o, "workload"), "name"));
		r->matched = 0;
	}
	ndjson_close(&rd);
	if (rc == NDJSON_END)
		return OMB_RUNS_OK;
	omb_runs_free(runs);
	return rc == NDJSON_BAD ? OMB_RUNS_BAD : OMB_RUNS_UNREADABLE;
}

void
omb_runs_free(struct omb_runs *runs)
{
	size_t i;

	for (i = 0; i < runs->n; i++)
		json_decref(runs->run[i].line);
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
