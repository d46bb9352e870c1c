/*
 * Answers to records: each query's matrix is split by the node label, every
 * sample goes to the OMB period its time falls in, and a period's value is
 * the mean of its samples (null when it has none).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prom.h"
#include "buf.h"

/* A field name as plc-prom writes it: [a-z0-9_]+, ending in its unit. */
static int
field_ok(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '_'))
			return 0;
	return 1;
}

/* Sums and counts per period of one series, then means. */
struct acc {
	double	*sum;
	int	*n;
	size_t	 periods;
};

static json_t *
acc_series(const struct acc *a)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < a->periods; i++)
		json_array_append_new(arr, a->n[i] > 0 ?
		    json_real(a->sum[i] / a->n[i]) : json_null());
	return arr;
}

/* {"mean", "max"} over the periods that have a value; nulls when none. */
static json_t *
acc_summary(const struct acc *a)
{
	double s = 0, mx = -INFINITY, v;
	size_t i, n = 0;

	for (i = 0; i < a->periods; i++) {
		if (a->n[i] == 0)
			continue;
		v = a->sum[i] / a->n[i];
		s += v;
		if (v > mx)
			mx = v;
		n++;
	}
	if (n == 0)
		return json_pack("{s:n, s:n}", "mean", "max");
	return json_pack("{s:f, s:f}", "mean", s / n, "max", mx);
}

/* The record of node in recs (an object keyed by node), made if new. */
static json_t *
node_record(json_t *recs, const json_t *doc, const char *experiment_id,
    const char *node, const char *role, double period_s, size_t periods)
{
	json_t *r, *src;
	int local;

	if ((r = json_object_get(recs, node)) != NULL)
		return r;
	src = json_object_get(doc, "source");
	local = strcmp(json_string_value(src), "local-machine") == 0;
	r = json_pack("{s:s}", "schema", "plc-cluster/1");
	if (experiment_id != NULL)
		json_object_set_new(r, "experiment_id",
		    json_string(experiment_id));
	json_object_set(r, "key", json_object_get(doc, "key"));
	json_object_set(r, "run_name", json_object_get(doc, "run_name"));
	json_object_set_new(r, "node", json_string(node));
	json_object_set_new(r, "role", json_string(role));
	json_object_set(r, "source", src);
	json_object_set_new(r, "about", local ? json_string("this machine, "
	    "measured in local mode: not a cluster node") : json_null());
	json_object_set(r, "start_unix_s",
	    json_object_get(doc, "start_unix_s"));
	json_object_set(r, "end_unix_s", json_object_get(doc, "end_unix_s"));
	json_object_set_new(r, "period_s", json_real(period_s));
	json_object_set_new(r, "periods", json_integer((json_int_t)periods));
	json_object_set_new(r, "series", json_object());
	json_object_set_new(r, "summary", json_object());
	json_object_set_new(recs, node, r);
	return r;
}

/* One series of a query's matrix into its node's record. */
static int
add_series(json_t *recs, const json_t *doc, const char *experiment_id,
    const json_t *q, const json_t *s, size_t si, double start, double end,
    double period_s, size_t periods, char *msg, size_t len)
{
	const char *id, *field, *by, *node, *role, *byval = NULL;
	json_t *metric, *values, *sample, *r, *ser, *sum;
	struct acc a;
	size_t i, p;
	double t, v;
	char *endp;

	id = json_string_value(json_object_get(q, "id"));
	field = json_string_value(json_object_get(q, "field"));
	by = json_string_value(json_object_get(q, "by"));
	metric = json_object_get(s, "metric");
	values = json_object_get(s, "values");
	if (!json_is_object(metric) || !json_is_array(values))
		return errmsg(msg, len, "query \"%s\": series %zu: expected "
		    "\"metric\" and \"values\" (a matrix)", id, si);
	node = json_string_value(json_object_get(metric, "node"));
	role = json_string_value(json_object_get(metric, "role"));
	if (node == NULL || role == NULL || *node == '\0')
		return errmsg(msg, len, "query \"%s\": series %zu has no "
		    "\"node\" and \"role\" labels (every scrape target needs "
		    "them)", id, si);
	if (by != NULL &&
	    (byval = json_string_value(json_object_get(metric, by))) == NULL)
		return errmsg(msg, len, "query \"%s\": series %zu has no \"%s\" "
		    "label", id, si, by);
	if (json_array_size(values) > PROM_MAX_SAMPLES)
		return errmsg(msg, len, "query \"%s\": series %zu: more than %d "
		    "samples", id, si, PROM_MAX_SAMPLES);
	a.periods = periods;
	a.sum = calloc(periods, sizeof(*a.sum));
	a.n = calloc(periods, sizeof(*a.n));
	if (a.sum == NULL || a.n == NULL)
		abort();
	json_array_foreach(values, i, sample) {
		const char *vs = json_string_value(json_array_get(sample, 1));

		if (json_array_size(sample) != 2 ||
		    !json_is_number(json_array_get(sample, 0)) || vs == NULL) {
			free(a.sum);
			free(a.n);
			return errmsg(msg, len, "query \"%s\": series %zu, sample "
			    "%zu: expected [time, \"value\"]", id, si, i);
		}
		t = json_number_value(json_array_get(sample, 0));
		v = strtod(vs, &endp);
		if (*endp != '\0' || endp == vs) {
			free(a.sum);
			free(a.n);
			return errmsg(msg, len, "query \"%s\": series %zu, sample "
			    "%zu: \"%s\" is not a number", id, si, i, vs);
		}
		/* NaN and infinities (an idle disk's 0/0) are no sample. */
		if (!isfinite(v) || t < start || t > end)
			continue;
		p = (size_t)((t - start) / period_s);
		if (p >= periods)
			p = periods - 1;
		a.sum[p] += v;
		a.n[p]++;
	}
	r = node_record(recs, doc, experiment_id, node, role, period_s,
	    periods);
	ser = json_object_get(r, "series");
	sum = json_object_get(r, "summary");
	if (by == NULL) {
		json_object_set_new(ser, field, acc_series(&a));
		json_object_set_new(sum, field, acc_summary(&a));
	} else {
		if (json_object_get(ser, field) == NULL) {
			json_object_set_new(ser, field, json_object());
			json_object_set_new(sum, field, json_object());
		}
		json_object_set_new(json_object_get(ser, field), byval,
		    acc_series(&a));
		json_object_set_new(json_object_get(sum, field), byval,
		    acc_summary(&a));
	}
	free(a.sum);
	free(a.n);
	return 0;
}

static int
add_query(json_t *recs, const json_t *doc, const char *experiment_id,
    const json_t *q, size_t qi, double start, double end, double period_s,
    size_t periods, char *msg, size_t len)
{
	const char *id, *field, *status;
	json_t *ans, *data, *result, *s, *by;
	size_t i;

	id = json_string_value(json_object_get(q, "id"));
	field = json_string_value(json_object_get(q, "field"));
	by = json_object_get(q, "by");
	if (id == NULL || field == NULL || !field_ok(field) ||
	    !(json_is_null(by) || json_is_string(by)))
		return errmsg(msg, len, "query %zu: expected \"id\", \"field\" "
		    "([a-z0-9_]+) and \"by\" (a label or null)", qi);
	ans = json_object_get(q, "answer");
	status = json_string_value(json_object_get(ans, "status"));
	if (status == NULL)
		return errmsg(msg, len, "query \"%s\": no Prometheus answer", id);
	if (strcmp(status, "success") != 0) {
		const char *e = json_string_value(json_object_get(ans,
		    "error"));

		return errmsg(msg, len, "query \"%s\": Prometheus answered "
		    "\"%s\": %s", id, status, e != NULL ? e : "no reason");
	}
	data = json_object_get(ans, "data");
	result = json_object_get(data, "result");
	if (!json_is_string(json_object_get(data, "resultType")) ||
	    strcmp(json_string_value(json_object_get(data, "resultType")),
	    "matrix") != 0 || !json_is_array(result))
		return errmsg(msg, len, "query \"%s\": expected a matrix (a "
		    "query_range answer)", id);
	if (json_array_size(result) > PROM_MAX_SERIES)
		return errmsg(msg, len, "query \"%s\": more than %d series", id,
		    PROM_MAX_SERIES);
	json_array_foreach(result, i, s)
		if (add_series(recs, doc, experiment_id, q, s, i, start, end,
		    period_s, periods, msg, len) == -1)
			return -1;
	return 0;
}

static int
cmp_node(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int
prom_records(const json_t *doc, const char *experiment_id, double period_s,
    json_t *out, char *msg, size_t len)
{
	const char *schema, *src, *k, **names;
	json_t *queries, *q, *recs, *v;
	double start, end, np;
	size_t i, periods, n;

	schema = json_string_value(json_object_get(doc, "schema"));
	if (schema == NULL || strcmp(schema, "plc-prom-answers/1") != 0)
		return errmsg(msg, len, "expected \"schema\": "
		    "\"plc-prom-answers/1\"");
	src = json_string_value(json_object_get(doc, "source"));
	if (!json_is_string(json_object_get(doc, "key")) ||
	    !(json_is_string(json_object_get(doc, "run_name")) ||
	    json_is_null(json_object_get(doc, "run_name"))) || src == NULL ||
	    (strcmp(src, "cluster") != 0 && strcmp(src, "local-machine") != 0))
		return errmsg(msg, len, "expected \"key\", \"run_name\" and "
		    "\"source\" (cluster or local-machine)");
	if (!json_is_number(json_object_get(doc, "start_unix_s")) ||
	    !json_is_number(json_object_get(doc, "end_unix_s")))
		return errmsg(msg, len, "expected \"start_unix_s\" and "
		    "\"end_unix_s\" (numbers)");
	start = json_number_value(json_object_get(doc, "start_unix_s"));
	end = json_number_value(json_object_get(doc, "end_unix_s"));
	if (!(end > start))
		return errmsg(msg, len, "the window ends (%.17g) before it "
		    "starts (%.17g)", end, start);
	np = ceil((end - start) / period_s);
	if (np > PROM_MAX_PERIODS)
		return errmsg(msg, len, "the window is more than %d periods of "
		    "%g s", PROM_MAX_PERIODS, period_s);
	periods = (size_t)np;
	queries = json_object_get(doc, "queries");
	if (!json_is_array(queries))
		return errmsg(msg, len, "expected \"queries\" (an array)");
	if (json_array_size(queries) > PROM_MAX_QUERIES)
		return errmsg(msg, len, "more than %d queries",
		    PROM_MAX_QUERIES);
	recs = json_object();
	json_array_foreach(queries, i, q)
		if (add_query(recs, doc, experiment_id, q, i, start, end,
		    period_s, periods, msg, len) == -1) {
			json_decref(recs);
			return -1;
		}
	n = json_object_size(recs);
	names = calloc(n + 1, sizeof(*names));
	if (names == NULL)
		abort();
	i = 0;
	json_object_foreach(recs, k, v)
		names[i++] = k;
	qsort(names, n, sizeof(*names), cmp_node);
	for (i = 0; i < n; i++)
		json_array_append(out, json_object_get(recs, names[i]));
	free(names);
	json_decref(recs);
	return 0;
}
