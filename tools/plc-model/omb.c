/*
 * The modeled OMB result of local mode (scripts/omb-model), where no Pulsar
 * cluster exists: the result a benchmark of a workload would write if the
 * plan's cluster behaved as the model says, labeled "modeled". The ceiling
 * is the model's; the latency law below is made up (nothing measured it),
 * chosen so that a local SLO search finds a boundary that depends on the
 * plan rather than a constant.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "model.h"

/* OMB's latency histograms stop at 60 s (OMB's clamp). */
#define OMB_MAX_LATENCY_MS	60000.0

/* The percentiles OMB reports, each as a multiple of p99. */
static const struct {
	const char	*suffix;	/* of publishLatency..., endToEnd... */
	const char	*quantile;	/* of ...Quantiles, NULL: not one */
	double		 of_p99;
} percentiles[] = {
	{ "Avg", NULL, 0.4 },
	{ "50pct", "50.0", 0.35 },
	{ "75pct", "75.0", 0.5 },
	{ "95pct", "95.0", 0.8 },
	{ "99pct", "99.0", 1 },
	{ "999pct", "99.9", 1.5 },
	{ "9999pct", "99.99", 2 },
	{ "Max", "100.0", 3 },
};
#define NPERCENTILES	(sizeof(percentiles) / sizeof(percentiles[0]))

double
model_omb_p99_ms(double u)
{
	double v = u < 0.98 ? u : 0.98;

	/* A queue's wait: 20 ms at u = 0.89, about 100 ms near the ceiling,
	 * then growing with the excess load. */
	return 4 + 2 * v / (1 - v) + (u > 1 ? 4000 * (u - 1) : 0);
}

/* Rounded to the microsecond, as OMB's histograms print. */
static double
ms3(double ms)
{
	return round(ms * 1000) / 1000;
}

static double
publish_ms(double p99, double of_p99)
{
	double ms = p99 * of_p99;

	return ms3(ms > OMB_MAX_LATENCY_MS ? OMB_MAX_LATENCY_MS : ms);
}

/* End to end: the publish latency and 3 ms of dispatch to the consumer. */
static double
end_to_end_ms(double p99, double of_p99)
{
	return ms3(publish_ms(p99, of_p99) + 3);
}

static json_t *
series(long n, double value)
{
	json_t *a = json_array();

	for (long i = 0; i < n; i++)
		json_array_append_new(a, json_real(value));
	return a;
}

/* Every latency field of one kind (publish or end to end), in OMB's order. */
static void
latencies(json_t *out, const char *kind, const char *aggregated, long n,
    double p99, double (*ms)(double, double))
{
	char key[64];
	json_t *quantiles = json_object();
	size_t i;

	for (i = 0; i < NPERCENTILES; i++) {
		snprintf(key, sizeof(key), "%s%s", kind, percentiles[i].suffix);
		json_object_set_new(out, key, series(n,
		    ms(p99, percentiles[i].of_p99)));
	}
	for (i = 0; i < NPERCENTILES; i++) {
		snprintf(key, sizeof(key), "%s%s", aggregated,
		    percentiles[i].suffix);
		json_object_set_new(out, key,
		    json_real(ms(p99, percentiles[i].of_p99)));
	}
	for (i = 0; i < NPERCENTILES; i++)
		if (percentiles[i].quantile != NULL)
			json_object_set_new(quantiles, percentiles[i].quantile,
			    json_real(ms(p99, percentiles[i].of_p99)));
	snprintf(key, sizeof(key), "%sQuantiles", aggregated);
	json_object_set_new(out, key, quantiles);
}

/* A number field of the workload, dflt when absent or null; -1 when bad. */
static int
workload_number(json_t *w, const char *key, double dflt, double *d)
{
	json_t *v = json_object_get(w, key);

	if (v == NULL || json_is_null(v)) {
		*d = dflt;
		return 0;
	}
	if (!json_is_number(v) || !isfinite(json_number_value(v)) ||
	    json_number_value(v) < 0)
		return -1;
	*d = json_number_value(v);
	return 0;
}

json_t *
model_omb_result(json_t *model, json_t *w, const char *driver,
    const char **culprit, char *err, size_t errlen)
{
	json_t *want, *entry = NULL, *e, *out;
	const char *name, *bound;
	double c, rate, minutes, target, published, p99;
	long n;
	size_t i;

	*culprit = "model";
	if (!json_is_object(model) || strcmp("plc-model/1", json_string_value(
	    json_object_get(model, "schema")) ? json_string_value(
	    json_object_get(model, "schema")) : "") != 0 ||
	    !json_is_array(json_object_get(model, "workloads"))) {
		snprintf(err, errlen, "not a capacity model (plc-model/1)");
		return NULL;
	}
	*culprit = "workload";
	if ((name = json_string_value(json_object_get(w, "name"))) == NULL) {
		snprintf(err, errlen, "a workload needs a name and a "
		    "messageSize");
		return NULL;
	}
	if ((want = model_workload(w, err, errlen)) == NULL)
		return NULL;
	if (workload_number(w, "producerRate", 0, &rate) != 0 ||
	    workload_number(w, "testDurationMinutes", 1, &minutes) != 0 ||
	    minutes > MODEL_OMB_MAX_MINUTES) {
		json_decref(want);
		snprintf(err, errlen, "producerRate and testDurationMinutes: "
		    "expected numbers of 0 or more (at most %d minutes)",
		    MODEL_OMB_MAX_MINUTES);
		return NULL;
	}
	json_array_foreach(json_object_get(model, "workloads"), i, e)
		if (json_equal(json_object_get(e, "workload"), want)) {
			entry = e;
			break;
		}
	*culprit = "model";
	if (entry == NULL) {
		json_decref(want);
		snprintf(err, errlen, "no modeled workload like \"%s\" (its "
		    "message size, topics, partitions, subscriptions, producers "
		    "and consumers)", name);
		return NULL;
	}
	c = json_number_value(json_object_get(entry, "ceiling_msgs_per_s"));
	if (!(c > 0) || !isfinite(c) || (bound = json_string_value(
	    json_object_get(entry, "bounded_by"))) == NULL) {
		json_decref(want);
		snprintf(err, errlen, "not a capacity model (plc-model/1)");
		return NULL;
	}

	/* producerRate 0 is OMB's "as fast as it goes": the ceiling. */
	target = rate > 0 ? rate : c;
	published = target < c ? target : c;
	/* One sample per 10 s period, as OMB's. */
	n = (long)floor(minutes * 6);
	if (n < 1)
		n = 1;
	p99 = model_omb_p99_ms(target / c);

	out = json_pack("{s:s, s:s, s:O, s:O, s:O, s:O, s:O}",
	    "workload", name, "driver", driver,
	    "messageSize", json_object_get(want, "messageSize"),
	    "topics", json_object_get(want, "topics"),
	    "partitions", json_object_get(want, "partitionsPerTopic"),
	    "producersPerTopic", json_object_get(want, "producersPerTopic"),
	    "consumersPerTopic", json_object_get(want,
	    "consumerPerSubscription"));
	if (out == NULL) {
		json_decref(want);
		snprintf(err, errlen, "the driver's name is not UTF-8");
		return NULL;
	}
	json_object_set_new(out, "publishRate", series(n, published));
	json_object_set_new(out, "publishErrorRate", series(n, 0));
	json_object_set_new(out, "consumeRate", series(n, published *
	    (double)json_integer_value(json_object_get(want,
	    "subscriptionsPerTopic"))));
	json_object_set_new(out, "backlog", series(n, 0));
	latencies(out, "publishLatency", "aggregatedPublishLatency", n, p99,
	    publish_ms);
	latencies(out, "endToEndLatency", "aggregatedEndToEndLatency", n, p99,
	    end_to_end_ms);
	json_object_set_new(out, "modeled", json_true());
	json_object_set_new(out, "modeledCeilingMsgsPerS", json_real(c));
	json_object_set_new(out, "modeledBoundedBy", json_string(bound));
	json_decref(want);
	return out;
}
