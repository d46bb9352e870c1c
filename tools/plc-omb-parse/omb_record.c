#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "omb_record.h"
#include "omb_result.h"

/* OMB clamps publish latency and delay at 60 s (docs/omb-results.md §1.2). */
#define CLAMP_MS	60000.0
/* Upstream samples every 10 s; the Redpanda fork every sampleRateMillis. */
#define PERIOD_S	10.0
/* v1-early aggregated E2E scalars are µs where the quantile map is ms. */
#define UNIT_RATIO_LO	500.0
#define UNIT_RATIO_HI	2000.0

static const char *const stat_key[OMB_NSTAT] = {
	"avg", "p50", "p75", "p95", "p99", "p99_9", "p99_99", "max"
};
static const char *const lat_key[OMB_NLAT] = {
	"publish_latency_ms", "publish_delay_ms", "end_to_end_latency_ms"
};
/*
 * Publish delay is in µs in the file, everything else already in ms.
 * Dividing (not multiplying by 1e-3) keeps 43 µs at 0.043 ms exactly.
 */
static const double lat_div[OMB_NLAT] = { 1, 1000, 1 };

/* JSON has no infinity: a sum or ratio that overflowed is unknown. */
static json_t *
real(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *
real_or_null(int present, double v)
{
	return present ? real(v) : json_null();
}

static json_t *
int_or_null(int present, double v)
{
	if (!present || !isfinite(v) || v != floor(v) || fabs(v) > 9e15)
		return real_or_null(present, v);
	return json_integer((json_int_t)v);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double
series_mean(const struct omb_series *s)
{
	double sum = 0;
	size_t i;

	/* Summed in file order, as jq's add does. */
	for (i = 0; i < s->n; i++)
		sum += s->v[i];
	return sum / (double)s->n;
}

/*
 * Mean, median, min and max of the periods, each times mul divided by
 * div; null if there are none.
 */
static json_t *
period_stats(const struct omb_series *s, double mul, double div)
{
	double *v, median;
	size_t n = s->n;
	json_t *o;

	if (!s->present || n == 0 || !isfinite(mul))
		return json_null();
	v = xmalloc(n * sizeof(*v));
	memcpy(v, s->v, n * sizeof(*v));
	qsort(v, n, sizeof(*v), cmp_double);
	median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	o = json_pack("{s:o, s:o, s:o, s:o}",
	    "mean", real(series_mean(s) * mul / div),
	    "median", real(median * mul / div),
	    "min", real(v[0] * mul / div),
	    "max", real(v[n - 1] * mul / div));
	free(v);
	return o;
}

/* Coefficient of variation (population) of the series; null if undefined. */
static json_t *
series_cv(const struct omb_series *s)
{
	double mean, d, sq = 0;
	size_t i;

	if (!s->present || s->n < 2)
		return json_null();
	mean = series_mean(s);
	if (mean <= 0)
		return json_null();
	for (i = 0; i < s->n; i++) {
		d = s->v[i] - mean;
		sq += d * d;
	}
	return real(sqrt(sq / (double)s->n) / mean);
}

static json_t *
latency_obj(const struct omb_result *r, int lat, double div)
{
	json_t *o;
	int i, any = 0;

	for (i = 0; i < OMB_NSTAT; i++)
		any |= r->agg_present[lat][i];
	if (!any)
		return json_null();
	o = json_object();
	for (i = 0; i < OMB_NSTAT; i++)
		json_object_set_new(o, stat_key[i],
		    real_or_null(r->agg_present[lat][i],
		    r->agg[lat][i] / div));
	return o;
}

static json_t *
array_of(const struct omb_series *s, double div)
{
	json_t *a;
	size_t i;

	if (!s->present)
		return json_null();
	a = json_array();
	for (i = 0; i < s->n; i++)
		json_array_append_new(a, real(s->v[i] / div));
	return a;
}

static json_t *
series_obj(const struct omb_result *r)
{
	json_t *o, *lat;
	int i, j, any;

	o = json_pack("{s:o, s:o, s:o, s:o}",
	    "publish_rate_msgs_per_s", array_of(&r->rate[OMB_PUBLISH_RATE], 1),
	    "publish_error_rate_errs_per_s",
	    array_of(&r->rate[OMB_PUBLISH_ERROR_RATE], 1),
	    "consume_rate_msgs_per_s", array_of(&r->rate[OMB_CONSUME_RATE], 1),
	    "backlog_msgs", array_of(&r->rate[OMB_BACKLOG], 1));
	for (i = 0; i < OMB_NLAT; i++) {
		for (j = 0, any = 0; j < OMB_NSTAT; j++)
			any |= r->lat_series[i][j].present;
		if (!any) {
			json_object_set_new(o, lat_key[i], json_null());
			continue;
		}
		lat = json_object();
		for (j = 0; j < OMB_NSTAT; j++)
			json_object_set_new(lat, stat_key[j],
			    array_of(&r->lat_series[i][j], lat_div[i]));
		json_object_set_new(o, lat_key[i], lat);
	}
	return o;
}

static int
cmp_qpoint(const void *a, const void *b)
{
	const struct omb_qpoint *x = a, *y = b;

	return (x->pct > y->pct) - (x->pct < y->pct);
}

/* [[percentile, value], ...] sorted by percentile as a number. */
static json_t *
quantile_curve(const struct omb_qmap *q, double div)
{
	struct omb_qpoint *pt;
	json_t *a;
	size_t i;

	if (!q->present)
		return json_null();
	pt = xmalloc((q->count ? q->count : 1) * sizeof(*pt));
	if (q->count > 0)
		memcpy(pt, q->pt, q->count * sizeof(*pt));
	qsort(pt, q->count, sizeof(*pt), cmp_qpoint);
	a = json_array();
	for (i = 0; i < q->count; i++)
		json_array_append_new(a, json_pack("[o, o]", real(pt[i].pct),
		    real(pt[i].value / div)));
	free(pt);
	return a;
}

/* obj[key], or null when obj or the key is missing. */
static json_t *
field(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	return v ? json_incref(v) : json_null();
}

/* A workload field from the run's OMB workload, as a number. */
static int
workload_num(const json_t *run, const char *key, double *v)
{
	json_t *x = json_object_get(json_object_get(run, "workload"), key);

	if (!json_is_number(x))
		return 0;
	*v = json_number_value(x);
	return 1;
}

/* v1-early: aggregated E2E scalars about 1000 times the map's maximum. */
static int
e2e_in_us(const struct omb_result *r)
{
	const struct omb_qmap *q = &r->qmap[OMB_E2E];
	double ratio;

	/* Only v1 files: the unit was fixed in 2019, before v2 existed. */
	if (strcmp(omb_result_shape(r), "v1") != 0 ||
	    !r->agg_present[OMB_E2E][OMB_MAX] || !q->present ||
	    q->count == 0 || q->last <= 0)
		return 0;
	ratio = r->agg[OMB_E2E][OMB_MAX] / q->last;
	return ratio > UNIT_RATIO_LO && ratio < UNIT_RATIO_HI;
}

static const char *
failure(const struct omb_result *r)
{
	const struct omb_series *pub = &r->rate[OMB_PUBLISH_RATE];
	size_t i;

	if (pub->n == 0)
		return "no measurement periods";
	for (i = 0; i < pub->n && pub->v[i] == 0; i++)
		continue;
	if (i == pub->n)
		return "no message published in any period";
	if (r->qmap[OMB_PUBLISH].present && r->qmap[OMB_PUBLISH].count == 0)
		return "empty publish latency quantile map";
	return NULL;
}

/* Periods after the last one that published anything. */
static size_t
stalled_periods(const struct omb_series *pub)
{
	size_t n = pub->n;

	while (n > 0 && pub->v[n - 1] == 0)
		n--;
	return n == 0 ? 0 : pub->n - n;
}

/*
 * The workload OMB ran: as the file records it, else as the joined run's
 * workload asked. A replay ran another workload (the recording's), so what
 * its file does not record is unknown, never the plan's.
 */
static void
add_identity(json_t *o, const struct omb_result *r, const json_t *run,
    int replay, double *msgsize, int *has_msgsize)
{
	/* File key (omb_ident), workload key, record key. */
	static const struct {
		int		 ident;
		const char	*wl, *out;
	} id[] = {
		{ OMB_TOPICS, "topics", "topics" },
		{ OMB_PARTITIONS, "partitionsPerTopic",
		    "partitions_per_topic" },
		{ OMB_MESSAGE_SIZE, "messageSize", "message_size_bytes" },
		{ OMB_PRODUCERS, "producersPerTopic", "producers_per_topic" },
		{ OMB_CONSUMERS, "consumerPerSubscription",
		    "consumers_per_subscription" },
	};
	double v = 0;
	size_t i;
	int have;

	for (i = 0; i < sizeof(id) / sizeof(id[0]); i++) {
		have = r != NULL && r->ident_present[id[i].ident];
		if (have)
			v = r->ident[id[i].ident];
		else if (!replay)
			have = workload_num(run, id[i].wl, &v);
		json_object_set_new(o, id[i].out, int_or_null(have, v));
		if (id[i].ident == OMB_MESSAGE_SIZE) {
			*has_msgsize = have && v > 0;
			*msgsize = v;
		}
	}
	have = !replay && workload_num(run, "subscriptionsPerTopic", &v);
	json_object_set_new(o, "subscriptions_per_topic", int_or_null(have, v));
}

static void
add_rates(json_t *o, const struct omb_result *r, double msgsize,
    int has_msgsize, int has_target, double target)
{
	static const struct omb_series none;
	const struct omb_series *pub = r ? &r->rate[OMB_PUBLISH_RATE] : &none;
	const struct omb_series *con = r ? &r->rate[OMB_CONSUME_RATE] : &none;
	const struct omb_series *err = r ?
	    &r->rate[OMB_PUBLISH_ERROR_RATE] : &none;
	double size = has_msgsize ? msgsize : NAN;
	json_t *e;

	json_object_set_new(o, "publish_rate_msgs_per_s",
	    period_stats(pub, 1, 1));
	json_object_set_new(o, "publish_rate_mb_per_s",
	    period_stats(pub, size, 1e6));
	json_object_set_new(o, "consume_rate_msgs_per_s",
	    period_stats(con, 1, 1));
	json_object_set_new(o, "consume_rate_mb_per_s",
	    period_stats(con, size, 1e6));
	e = period_stats(err, 1, 1);
	json_object_del(e, "median");
	json_object_del(e, "min");
	json_object_set_new(o, "publish_error_rate_errs_per_s", e);
	json_object_set_new(o, "publish_rate_cv", series_cv(pub));
	json_object_set_new(o, "achieved_to_target_ratio",
	    has_target && pub->n > 0 ?
	    real(series_mean(pub) / target) : json_null());
}

/*
 * Where a result came from when it is not a measurement: the stand-in that
 * wrote it and, for a replay, the recording (plc-omb-parse(1), PROVENANCE).
 * Returns whether the result is a replay of a recording.
 */
static int
add_provenance(json_t *o, const struct omb_result *r)
{
	static const char *const stand_in[OMB_NFLAG] = { "replay", "fake",
	    "modeled" };
	int i, any = 0;

	for (i = 0; r != NULL && i < OMB_NFLAG; i++)
		if (r->flag[i] && !any++) {
			json_object_set_new(o, "replayed", json_true());
			json_object_set_new(o, "stand_in",
			    json_string(stand_in[i]));
		}
	if (r == NULL || !any)
		return 0;
	if (r->prov[OMB_REPLAYED_FROM] != NULL)
		json_object_set_new(o, "replayed_from",
		    json_string(r->prov[OMB_REPLAYED_FROM]));
	if (r->prov[OMB_REPLAYED_WORKLOAD] != NULL)
		json_object_set_new(o, "recorded_workload",
		    json_string(r->prov[OMB_REPLAYED_WORKLOAD]));
	return r->flag[OMB_REPLAYED];
}

json_t *
omb_record_build(const struct omb_result *r, const char *source,
    const json_t *run, const struct omb_record_opts *o)
{
	static const struct omb_series none;
	const struct omb_series *pub, *backlog;
	const char *why;
	double msgsize = 0, target = 0, planned = 0, period_s = PERIOD_S, v;
	int has_msgsize = 0, has_target, has_planned, unit_fixed, replay, i;
	json_t *rec;

	pub = r ? &r->rate[OMB_PUBLISH_RATE] : &none;
	backlog = r ? &r->rate[OMB_BACKLOG] : &none;
	unit_fixed = r != NULL && e2e_in_us(r);
	if (r != NULL && r->ident_present[OMB_SAMPLE_RATE_MS] &&
	    r->ident[OMB_SAMPLE_RATE_MS] > 0)
		period_s = r->ident[OMB_SAMPLE_RATE_MS] / 1000;
	has_planned = workload_num(run, "producerRate", &planned);
	has_target = has_planned && planned > 0;
	target = planned;

	rec = json_pack("{s:i}", "schema", OMB_RECORD_SCHEMA);
	if (o->experiment_id != NULL)
		json_object_set_new(rec, "experiment_id",
		    json_string(o->experiment_id));
	if (o->with_runs) {
		json_object_set_new(rec, "run_name", field(run, "name"));
		json_object_set_new(rec, "run_index", field(run, "index"));
		json_object_set_new(rec, "run_type", field(run, "type"));
	}
	json_object_set_new(rec, "source_file",
	    r ? json_string(source) : json_null());
	json_object_set_new(rec, "shape", r ? json_string(unit_fixed ?
	    "v1-early" : omb_result_shape(r)) : json_null());
	if (r != NULL)
		json_object_set_new(rec, "workload", r->workload ?
		    json_string(r->workload) : json_null());
	else
		json_object_set_new(rec, "workload",
		    field(json_object_get(run, "workload"), "name"));
	json_object_set_new(rec, "driver", r && r->driver ?
	    json_string(r->driver) : json_null());
	/* A recording ran at its own rate, not at the plan's. */
	if ((replay = add_provenance(rec, r)) != 0) {
		has_target = r->recorded_rate_present && r->recorded_rate > 0;
		target = r->recorded_rate;
		json_object_set_new(rec, "planned_target_rate_msgs_per_s",
		    has_planned ? real(planned) : json_null());
	}
	add_identity(rec, r, run, replay, &msgsize, &has_msgsize);

	json_object_set_new(rec, "periods", r ? json_integer((json_int_t)
	    pub->n) : json_null());
	json_object_set_new(rec, "period_s", r ? real(period_s) :
	    json_null());
	json_object_set_new(rec, "duration_s", r ?
	    real((double)pub->n * period_s) : json_null());
	if (o->with_runs)
		json_object_set_new(rec, "expected_duration_s",
		    field(run, "expected_duration_s"));
	json_object_set_new(rec, "target_rate_msgs_per_s",
	    has_target ? real(target) : json_null());
	add_rates(rec, r, msgsize, has_msgsize, has_target, target);

	for (i = 0; i < OMB_NLAT; i++) {
		v = lat_div[i];
		if (i == OMB_E2E && unit_fixed)
			v = 1000;
		json_object_set_new(rec, lat_key[i],
		    r ? latency_obj(r, i, v) : json_null());
	}
	if (backlog->present && backlog->n > 0) {
		double min = backlog->v[0], max = backlog->v[0];
		size_t k;

		for (k = 1; k < backlog->n; k++) {
			min = fmin(min, backlog->v[k]);
			max = fmax(max, backlog->v[k]);
		}
		json_object_set_new(rec, "backlog_msgs", json_pack(
		    "{s:o, s:o, s:o}", "max", int_or_null(1, max),
		    "final", int_or_null(1, backlog->v[backlog->n - 1]),
		    "min", int_or_null(1, min)));
	} else
		json_object_set_new(rec, "backlog_msgs", json_null());

	why = r ? failure(r) : o->failure_reason ? o->failure_reason :
	    "no result file for this run";
	json_object_set_new(rec, "failed", json_boolean(why != NULL));
	json_object_set_new(rec, "failure_reason",
	    why ? json_string(why) : json_null());
	json_object_set_new(rec, "stalled",
	    json_boolean(why == NULL && stalled_periods(pub) > 0));
	json_object_set_new(rec, "stalled_periods",
	    json_integer((json_int_t)stalled_periods(pub)));
	json_object_set_new(rec, "overloaded", json_boolean(r != NULL &&
	    ((r->agg_present[OMB_DELAY][OMB_MAX] &&
	    r->agg[OMB_DELAY][OMB_MAX] / 1000 >= CLAMP_MS) ||
	    (r->agg_present[OMB_PUBLISH][OMB_MAX] &&
	    r->agg[OMB_PUBLISH][OMB_MAX] >= CLAMP_MS))));
	json_object_set_new(rec, "unit_fixed", json_boolean(unit_fixed));

	if (o->series)
		json_object_set_new(rec, "series", r ? series_obj(r) :
		    json_null());
	if (o->quantiles) {
		json_t *q = json_object();

		for (i = 0; i < OMB_NLAT; i++)
			json_object_set_new(q, lat_key[i], r ?
			    quantile_curve(&r->qmap[i], lat_div[i]) :
			    json_null());
		json_object_set_new(rec, "quantiles", r ? q : json_null());
		if (r == NULL)
			json_decref(q);
	}
	return rec;
}

void
omb_record_executed(json_t *rec, const json_t *exec)
{
	const char *state = json_string_value(json_object_get(exec, "state"));
	json_t *reason = json_object_get(exec, "reason");
	json_t *pass = json_object_get(exec, "slo_pass");

	if (state != NULL && strcmp(state, "succeeded") != 0) {
		json_object_set_new(rec, "failed", json_true());
		if (json_is_string(reason))
			json_object_set(rec, "failure_reason", reason);
	}
	if (pass != NULL && !json_is_null(pass)) {
		json_object_set(rec, "slo_pass", pass);
		json_object_set_new(rec, "slo_verdict", field(exec,
		    "slo_verdict"));
	}
}
