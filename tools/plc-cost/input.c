/*
 * The experiment as JSON (see JSON INPUT in plc-cost(1)), run windows, and
 * the message counts from plc-omb-parse's metrics.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "ndjson.h"
#include "cost.h"
#include "rfc3339.h"

void
experiment_init(struct experiment *e)
{
	memset(e, 0, sizeof(*e));
	e->assumptions = json_array();
}

void
experiment_free(struct experiment *e)
{
	for (size_t i = 0; i < e->nres; i++) {
		struct resource *r = &e->res[i];

		free(r->id);
		free(r->role);
		free(r->type);
		free(r->az);
		free(r->instance_id);
		free(r->spot_prices);
		free(r->unpriced_reason);
	}
	free(e->res);
	for (size_t i = 0; i < e->nruns; i++)
		free(e->runs[i].name);
	free(e->runs);
	free(e->experiment_id);
	free(e->region);
	json_decref(e->assumptions);
}

struct resource *
experiment_add(struct experiment *e, enum res_kind kind)
{
	struct resource *r;

	e->res = xrealloc(e->res, (e->nres + 1) * sizeof(*e->res));
	r = &e->res[e->nres++];
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	return r;
}

/* The public IPv4 address of instance i, priced apart as AWS bills it. */
void
experiment_add_ipv4(struct experiment *e, size_t i)
{
	struct resource *ip = experiment_add(e, RES_IPV4), *in = &e->res[i];
	struct buf s = { 0 };

	buf_addf(&s, "%s/public-ipv4", in->id);
	ip->id = buf_detach(&s);
	ip->role = xstrdup(in->role);
	ip->type = xstrdup("public-ipv4");
	ip->az = xstrdup(in->az);
	ip->instance_id = xstrdup(in->id);
	ip->start = in->start;
	ip->end = in->end;
	ip->running = in->running;
}

struct run_window *
experiment_add_run(struct experiment *e)
{
	struct run_window *w;

	e->runs = xrealloc(e->runs, (e->nruns + 1) * sizeof(*e->runs));
	w = &e->runs[e->nruns++];
	memset(w, 0, sizeof(*w));
	w->messages = -1;
	return w;
}

/* A JSON value as short text for messages. */
static const char *
shown(json_t *v, char *s, size_t len)
{
	char *d;

	if (v == NULL)
		return "nothing";
	d = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
	snprintf(s, len, "%s", d ? d : "?");
	if (d != NULL && strlen(d) >= len && len > 4)
		strcpy(s + len - 4, "...");
	free(d);
	return s;
}

static int
get_string(json_t *o, const char *where, const char *key, int required,
    char **out, char *err, size_t errlen)
{
	json_t *v = json_object_get(o, key);
	char s[64];

	if ((v == NULL || json_is_null(v)) && !required) {
		*out = xstrdup("");
		return 0;
	}
	if (!json_is_string(v) || json_string_length(v) == 0)
		return errmsg(err, errlen, "%s.%s: expected a string, found %s",
		    where, key, shown(v, s, sizeof(s)));
	*out = xstrdup(json_string_value(v));
	return 0;
}

/* A time; null or absent when allowed gives *null_seen. */
static int
get_time(json_t *o, const char *where, const char *key, int *null_seen,
    time_t *out, char *err, size_t errlen)
{
	json_t *v = json_object_get(o, key);
	char s[64];

	if ((v == NULL || json_is_null(v)) && null_seen != NULL) {
		*null_seen = 1;
		return 0;
	}
	if (!json_is_string(v) || rfc3339_parse(json_string_value(v),
	    out) != 0)
		return errmsg(err, errlen, "%s.%s: expected an ISO 8601 UTC time "
		    "such as 2026-11-24T12:00:00Z, found %s", where, key,
		    shown(v, s, sizeof(s)));
	if (null_seen != NULL)
		*null_seen = 0;
	return 0;
}

static int
get_number(json_t *o, const char *where, const char *key, int required,
    double *out, char *err, size_t errlen)
{
	json_t *v = json_object_get(o, key);
	char s[64];

	if ((v == NULL || json_is_null(v)) && !required) {
		*out = 0;
		return 0;
	}
	if (!json_is_number(v) || json_number_value(v) < 0 ||
	    !isfinite(json_number_value(v)))
		return errmsg(err, errlen, "%s.%s: expected a number of 0 or "
		    "more, found %s", where, key, shown(v, s, sizeof(s)));
	*out = json_number_value(v);
	return 0;
}

/* Start, end (null: running until as_of). */
static int
get_window(struct experiment *e, json_t *o, const char *where,
    const char *startkey, struct resource *r, char *err, size_t errlen)
{
	int running;

	if (get_time(o, where, startkey, NULL, &r->start, err, errlen) != 0 ||
	    get_time(o, where, "end_time", &running, &r->end, err,
	    errlen) != 0)
		return -1;
	r->running = running;
	if (running)
		r->end = e->as_of;
	if (r->end < r->start)
		return errmsg(err, errlen, "%s: %s before %s", where,
		    running ? "the as-of time" : "end_time", startkey);
	return 0;
}

static int
read_instance(struct experiment *e, json_t *o, const char *where,
    char *err, size_t errlen)
{
	struct resource *r = experiment_add(e, RES_INSTANCE);
	size_t self = e->nres - 1;
	json_t *hist, *h, *ip;
	char *lc = NULL, s[64];
	size_t i;

	if (!json_is_object(o))
		return errmsg(err, errlen, "%s: expected an object, found %s",
		    where, shown(o, s, sizeof(s)));
	if (get_string(o, where, "id", 1, &r->id, err, errlen) != 0 ||
	    get_string(o, where, "role", 0, &r->role, err, errlen) != 0 ||
	    get_string(o, where, "instance_type", 1, &r->type, err,
	    errlen) != 0 ||
	    get_string(o, where, "availability_zone", 0, &r->az, err,
	    errlen) != 0 ||
	    get_string(o, where, "lifecycle", 0, &lc, err, errlen) != 0 ||
	    get_window(e, o, where, "launch_time", r, err, errlen) != 0) {
		free(lc);
		return -1;
	}
	if (*lc != '\0' && strcmp(lc, "on-demand") != 0 &&
	    strcmp(lc, "spot") != 0) {
		errmsg(err, errlen, "%s.lifecycle: expected \"on-demand\" or "
		    "\"spot\", found \"%s\"", where, lc);
		free(lc);
		return -1;
	}
	r->spot = strcmp(lc, "spot") == 0;
	free(lc);
	ip = json_object_get(o, "public_ipv4");
	if (ip != NULL && !json_is_null(ip) && !json_is_boolean(ip))
		return errmsg(err, errlen, "%s.public_ipv4: expected true or "
		    "false, found %s", where, shown(ip, s, sizeof(s)));
	hist = json_object_get(o, "spot_price_history");
	if (hist == NULL || json_is_null(hist))
		goto done;
	if (!json_is_array(hist))
		return errmsg(err, errlen, "%s.spot_price_history: expected an "
		    "array, found %s", where, shown(hist, s, sizeof(s)));
	r->spot_prices = xcalloc(json_array_size(hist) + 1,
	    sizeof(*r->spot_prices));
	json_array_foreach(hist, i, h) {
		char w[128];
		struct spot_price *p = &r->spot_prices[i];

		snprintf(w, sizeof(w), "%s.spot_price_history[%zu]", where, i);
		if (!json_is_object(h))
			return errmsg(err, errlen, "%s: expected an object, "
			    "found %s", w, shown(h, s, sizeof(s)));
		if (get_time(h, w, "timestamp", NULL, &p->when, err,
		    errlen) != 0 || get_number(h, w, "usd_per_hour", 1,
		    &p->usd_per_hour, err, errlen) != 0)
			return -1;
		if (i > 0 && p->when < p[-1].when)
			return errmsg(err, errlen, "%s.timestamp: expected "
			    "timestamps in ascending order", w);
		r->nspot_prices++;
	}
done:
	if (json_is_true(ip))
		experiment_add_ipv4(e, self);	/* moves e->res: r is stale */
	return 0;
}

static int
read_volume(struct experiment *e, json_t *o, const char *where,
    char *err, size_t errlen)
{
	struct resource *r = experiment_add(e, RES_VOLUME);
	char *inst = NULL, s[64];

	if (!json_is_object(o))
		return errmsg(err, errlen, "%s: expected an object, found %s",
		    where, shown(o, s, sizeof(s)));
	if (get_string(o, where, "id", 1, &r->id, err, errlen) != 0 ||
	    get_string(o, where, "role", 0, &r->role, err, errlen) != 0 ||
	    get_string(o, where, "volume_type", 1, &r->type, err,
	    errlen) != 0 ||
	    get_string(o, where, "availability_zone", 0, &r->az, err,
	    errlen) != 0 ||
	    get_string(o, where, "instance_id", 0, &inst, err, errlen) != 0 ||
	    get_number(o, where, "size_gb", 1, &r->size_gb, err,
	    errlen) != 0 ||
	    get_number(o, where, "iops", 0, &r->iops, err, errlen) != 0 ||
	    get_number(o, where, "throughput_mb_per_s", 0,
	    &r->throughput_mb_per_s, err, errlen) != 0 ||
	    get_window(e, o, where, "create_time", r, err, errlen) != 0) {
		free(inst);
		return -1;
	}
	if (*inst != '\0')
		r->instance_id = inst;
	else
		free(inst);
	return 0;
}

static int
read_run(struct experiment *e, json_t *o, const char *where, char *err,
    size_t errlen)
{
	struct run_window *w = experiment_add_run(e);
	struct resource tmp = { 0 };
	char s[64];

	if (!json_is_object(o))
		return errmsg(err, errlen, "%s: expected an object, found %s",
		    where, shown(o, s, sizeof(s)));
	if (get_string(o, where, "name", 1, &w->name, err, errlen) != 0 ||
	    get_window(e, o, where, "start_time", &tmp, err, errlen) != 0)
		return -1;
	w->start = tmp.start;
	w->end = tmp.end;
	return 0;
}

typedef int read_fn(struct experiment *, json_t *, const char *, char *,
    size_t);

static int
read_array(struct experiment *e, json_t *doc, const char *key, read_fn *fn,
    char *err, size_t errlen)
{
	json_t *a = json_object_get(doc, key), *v;
	char where[64], s[64];
	size_t i;

	if (a == NULL)
		return 0;
	if (!json_is_array(a))
		return errmsg(err, errlen, "%s: expected an array, found %s",
		    key, shown(a, s, sizeof(s)));
	json_array_foreach(a, i, v) {
		snprintf(where, sizeof(where), "%s[%zu]", key, i);
		if (fn(e, v, where, err, errlen) != 0)
			return -1;
	}
	return 0;
}

/* e->as_of must be set, or 0 to take the document's (else the caller's). */
int
input_read(struct experiment *e, json_t *doc, char *err, size_t errlen)
{
	static const char *known[] = { "schema", "experiment_id", "region",
	    "as_of", "instances", "volumes", "runs", NULL };
	const char *key;
	json_t *v;
	char s[64];

	if (!json_is_object(doc))
		return errmsg(err, errlen, "expected an object, found %s",
		    shown(doc, s, sizeof(s)));
	json_object_foreach(doc, key, v) {
		size_t i;

		for (i = 0; known[i] != NULL && strcmp(known[i], key) != 0; i++)
			;
		if (known[i] == NULL)
			return errmsg(err, errlen, "%s: unknown key", key);
	}
	if (get_string(doc, "", "region", 1, &e->region, err, errlen) != 0)
		return errmsg(err, errlen, "region: expected a region such as "
		    "us-west-2");
	v = json_object_get(doc, "experiment_id");
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_string(v))
			return errmsg(err, errlen, "experiment_id: expected a "
			    "string, found %s", shown(v, s, sizeof(s)));
		e->experiment_id = xstrdup(json_string_value(v));
	}
	if (e->as_of == 0) {
		int none;

		if (get_time(doc, "", "as_of", &none, &e->as_of, err,
		    errlen) != 0)
			return errmsg(err, errlen, "as_of: expected an ISO 8601 "
			    "UTC time");
		if (none)
			e->as_of = time(NULL);
	}
	if (read_array(e, doc, "instances", read_instance, err, errlen) != 0 ||
	    read_array(e, doc, "volumes", read_volume, err, errlen) != 0 ||
	    read_array(e, doc, "runs", read_run, err, errlen) != 0)
		return -1;
	return 0;
}

/* NDJSON or one array of run windows {"name","start_time","end_time"}. */
int
runs_read_windows(struct experiment *e, const char *path, char *err,
    size_t errlen)
{
	json_error_t jerr;
	json_t *doc, *v;
	char where[128];
	size_t i;
	int rc = 0;

	if ((doc = json_load_file(path, JSON_DISABLE_EOF_CHECK, &jerr)) == NULL) {
		if (jerr.line < 0) {	/* not read at all: no place in it */
			errmsg(err, errlen, "\"%s\": %s", path, jerr.text);
			return -2;
		}
		return errmsg(err, errlen, "%s:%d:%d: %s", path, jerr.line,
		    jerr.column, jerr.text);
	}
	if (json_is_array(doc)) {
		json_array_foreach(doc, i, v) {
			snprintf(where, sizeof(where), "%s: [%zu]", path, i);
			if ((rc = read_run(e, v, where, err, errlen)) != 0)
				break;
		}
		json_decref(doc);
		return rc;
	}
	json_decref(doc);
	/* NDJSON: one window per line. */
	struct ndjson r;

	if (ndjson_open(&r, path) != 0)
		return errmsg(err, errlen, "\"%s\": cannot open", path);
	while (rc == 0 && (rc = ndjson_next(&r, &v, err, errlen)) ==
	    NDJSON_VALUE) {
		snprintf(where, sizeof(where), "%s:%zu", path, r.lineno);
		rc = read_run(e, v, where, err, errlen);
		json_decref(v);
	}
	ndjson_close(&r);
	return rc < 0 ? -1 : 0;
}

/*
 * Messages per run from plc-omb-parse records (joined with -r, so they
 * carry run_name): mean publish rate times the measured duration.
 * Repetitions of one run add up.
 */
int
metrics_read(struct experiment *e, const char *path, char *err,
    size_t errlen)
{
	struct ndjson r;
	json_t *v;
	int rc = 0;

	if (ndjson_open(&r, path) != 0)
		return errmsg(err, errlen, "\"%s\": cannot open", path);
	while (rc == 0 && (rc = ndjson_next(&r, &v, err, errlen)) ==
	    NDJSON_VALUE) {
		json_t *rate, *dur;
		const char *name;
		size_t i;

		rc = 0;
		name = json_string_value(json_object_get(v, "run_name"));
		rate = json_object_get(json_object_get(v,
		    "publish_rate_msgs_per_s"), "mean");
		dur = json_object_get(v, "duration_s");
		if (name == NULL)
			rc = errmsg(err, errlen, "%s:%zu: run_name: expected a "
			    "string (plc-omb-parse -r joins runs)", path,
			    r.lineno);
		for (i = 0; rc == 0 && i < e->nruns; i++) {
			struct run_window *w = &e->runs[i];

			if (strcmp(w->name, name) != 0)
				continue;
			/* A failed run published nothing that counts. */
			if (!json_is_number(rate) || !json_is_number(dur))
				break;
			if (w->messages < 0)
				w->messages = 0;
			w->messages += json_number_value(rate) *
			    json_number_value(dur);
			w->measured_s += json_number_value(dur);
			break;
		}
		json_decref(v);
	}
	ndjson_close(&r);
	return rc < 0 ? -1 : 0;
}
