/*
 * --previous: the resources an earlier pricing of the experiment had that
 * AWS lists no more (a deleted volume, an address gone with its instance,
 * an instance EC2 forgot), kept, ended when they were gone as far as is
 * known (see --previous in plc-cost(1)).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "cost.h"
#include "rfc3339.h"

static const char *
str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

static const struct resource *
find(const struct experiment *e, const char *id)
{
	for (size_t i = 0; i < e->nres; i++)
		if (strcmp(e->res[i].id, id) == 0)
			return &e->res[i];
	return NULL;
}

/* The instance i ended (listed or kept), or NULL. */
static const struct resource *
ended_instance(const struct experiment *e, const char *id)
{
	const struct resource *r = id ? find(e, id) : NULL;

	return r && r->kind == RES_INSTANCE && !r->running ? r : NULL;
}

/* End sources a previous pricing may have given a kept resource. */
static const char *
known_source(const char *s)
{
	static const char *known[] = { "instance", "gone_by",
	    "previous_as_of", "previous" };

	for (size_t i = 0; i < sizeof(known) / sizeof(*known); i++)
		if (strcmp(s, known[i]) == 0)
			return known[i];
	return NULL;
}

/* One of the previous pricing's by_resource, no longer listed: kept. */
static int
keep(struct experiment *e, json_t *o, const char *where, time_t prev_as_of,
    time_t gone_by, char *err, size_t errlen)
{
	static const char *kinds[] = { "instance", "volume", "public_ipv4" };
	const char *kind = str(o, "kind"), *inst = str(o, "instance_id");
	const struct resource *of;
	struct resource *r;
	json_t *rate = json_object_get(o, "usd_per_hour");
	size_t k;

	for (k = 0; k < 3 && strcmp(kind, kinds[k]) != 0; k++)
		;
	if (k == 3) {
		snprintf(err, errlen, "%s.kind: expected \"instance\", "
		    "\"volume\" or \"public_ipv4\", found \"%s\"", where, kind);
		return -1;
	}
	r = experiment_add(e, (enum res_kind)k);
	r->id = xstrdup(str(o, "id"));
	r->role = xstrdup(str(o, "role"));
	r->type = xstrdup(str(o, "type"));
	r->az = xstrdup(str(o, "availability_zone"));
	if (*inst != '\0')
		r->instance_id = xstrdup(inst);
	r->spot = strcmp(str(o, "lifecycle"), "spot") == 0;
	r->size_gb = json_number_value(json_object_get(o, "size_gb"));
	r->iops = json_number_value(json_object_get(o, "iops"));
	r->throughput_mb_per_s = json_number_value(json_object_get(o,
	    "throughput_mb_per_s"));
	r->unlisted = 1;
	if (*r->id == '\0' || *r->type == '\0' ||
	    rfc3339_parse(str(o, "start_time"), &r->start) != 0 ||
	    rfc3339_parse(str(o, "end_time"), &r->end) != 0 ||
	    !json_is_boolean(json_object_get(o, "running"))) {
		snprintf(err, errlen, "%s: expected id, type, start_time, "
		    "end_time and running as plc-cost prints them", where);
		return -1;
	}
	if (!json_is_true(json_object_get(o, "running"))) {
		/* Ended already then: that end stands, and says whence. */
		r->end_source = known_source(str(o, "end_source"));
		if (r->end_source == NULL)
			r->end_source = "previous";
	} else if ((of = ended_instance(e, r->instance_id)) != NULL) {
		r->end = of->end;
		r->end_source = "instance";
	} else if (gone_by) {
		r->end = gone_by;
		r->end_source = "gone_by";
	} else {
		r->end = prev_as_of;
		r->end_source = "previous_as_of";
	}
	if (r->end > e->as_of)
		r->end = e->as_of;
	if (r->end < r->start)
		r->end = r->start;
	/* A spot instance's history is gone with it: its average stands. */
	if (r->spot && json_is_number(rate)) {
		r->spot_prices = xcalloc(1, sizeof(*r->spot_prices));
		r->spot_prices[0].when = r->start;
		r->spot_prices[0].usd_per_hour = json_number_value(rate);
		r->nspot_prices = 1;
	}
	return 0;
}

/* -1: bad input, -2: the file cannot be opened. */
int
previous_read(struct experiment *e, const char *path, time_t gone_by,
    char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *doc, *res, *o;
	time_t prev_as_of;
	size_t i, nkept = 0, nlisted = e->nres;
	int rc = -1;
	FILE *in;

	if ((in = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "\"%s\": %s", path, strerror(errno));
		return -2;
	}
	doc = json_loadf(in, 0, &jerr);
	fclose(in);
	if (doc == NULL) {
		snprintf(err, errlen, "%s:%d:%d: %s", path, jerr.line,
		    jerr.column, jerr.text);
		return -1;
	}
	res = json_object_get(doc, "by_resource");
	if (strcmp(str(doc, "schema"), "plc-costs/1") != 0 ||
	    strcmp(str(doc, "kind"), "estimate") != 0 ||
	    !json_is_array(res) ||
	    rfc3339_parse(str(doc, "as_of"), &prev_as_of) != 0) {
		snprintf(err, errlen, "%s: expected plc-cost's estimate of an "
		    "experiment (schema plc-costs/1, kind estimate, as_of, "
		    "by_resource)", path);
		goto out;
	}
	if (e->experiment_id != NULL && json_is_string(json_object_get(doc,
	    "experiment_id")) && strcmp(str(doc, "experiment_id"),
	    e->experiment_id) != 0) {
		snprintf(err, errlen, "%s: experiment_id: expected \"%s\", found "
		    "\"%s\"", path, e->experiment_id, str(doc,
		    "experiment_id"));
		goto out;
	}
	if (strcmp(str(doc, "region"), e->region ? e->region : "") != 0) {
		snprintf(err, errlen, "%s: region: expected \"%s\", found \"%s\"",
		    path, e->region ? e->region : "", str(doc, "region"));
		goto out;
	}
	json_array_foreach(res, i, o) {
		char where[512];

		snprintf(where, sizeof(where), "%s: by_resource[%zu]", path, i);
		const struct resource *now = find(e, str(o, "id"));

		/* Listed now: AWS's answer is the newer. */
		if (now != NULL && (size_t)(now - e->res) < nlisted)
			continue;
		if (keep(e, o, where, prev_as_of, gone_by, err, errlen) != 0)
			goto out;
		nkept++;
	}
	if (nkept) {
		struct buf s = { 0 };

		buf_addf(&s, "%zu resource(s) priced before (--previous) but "
		    "no longer listed by AWS kept, each ended as its "
		    "end_source says", nkept);
		json_array_append_new(e->assumptions, json_string(s.data));
		buf_free(&s);
	}
	rc = 0;
out:
	json_decref(doc);
	return rc;
}
