/*
 * metrics.csv (RFC 4180: CRLF, a header row, quotes where needed) and
 * metrics.json: one row or record per run, units in the column names.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "expdir.h"
#include "html.h"
#include "report.h"


static void
field(FILE *fp, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, fp);
		return;
	}
	fputc('"', fp);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', fp);
		fputc(*s, fp);
	}
	fputc('"', fp);
}

static void
value(FILE *fp, const json_t *v)
{
	char num[64];

	if (json_is_string(v))
		field(fp, json_string_value(v));
	else if (json_is_integer(v))
		fprintf(fp, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v)) {
		fmt_exact(num, sizeof(num), json_real_value(v));
		fputs(num, fp);
	} else if (json_is_boolean(v))
		fputs(json_is_true(v) ? "true" : "false", fp);
}

static void
number(FILE *fp, double d)
{
	char num[64];

	fmt_exact(num, sizeof(num), d);
	fputs(num, fp);
}

static void
replayed(FILE *fp, const struct expdir *x, const json_t *rec)
{
	fputs(rec_replayed(x, rec) ? "true" : "false", fp);
}

static void
off_target_pct(FILE *fp, const struct expdir *x, const json_t *rec)
{
	(void)x;
	number(fp, rec_off_target_pct(rec));
}

static void
cost_usd(FILE *fp, const struct expdir *x, const json_t *rec)
{
	number(fp, cost_run(x, jstr(rec, "run_name"), "cost_usd"));
}

static void
cost_usd_per_hour(FILE *fp, const struct expdir *x, const json_t *rec)
{
	number(fp, run_cost_usd_per_hour(x, rec));
}

/*
 * The columns in order: a record's field by its dotted path (F), one of
 * the report's metrics (M, report_metrics: its key, its value as the page
 * shows it), or a figure computed here (C). A column's name is its key
 * with '.' made '_'.
 */
static const struct column {
	const char	*key;		/* NULL: report_metrics[metric]'s */
	int		 metric;
	void		(*put)(FILE *, const struct expdir *, const json_t *);
} columns[] = {
#define F(key)		{ key, -1, NULL }
#define M(id)		{ NULL, id, NULL }
#define C(key, put)	{ key, -1, put }
	F("run_index"), F("run_name"), F("run_type"), F("workload"),
	F("driver"), F("shape"), F("message_size_bytes"), F("topics"),
	F("partitions_per_topic"), F("duration_s"), M(METRIC_TARGET),
	M(METRIC_PUBLISH_RATE), F("publish_rate_msgs_per_s.min"),
	F("publish_rate_msgs_per_s.max"), M(METRIC_PUBLISH_MB),
	F("consume_rate_msgs_per_s.mean"), M(METRIC_ERRORS), M(METRIC_CV),
	F("achieved_to_target_ratio"), F("publish_latency_ms.avg"),
	M(METRIC_PUBLISH_P50), M(METRIC_PUBLISH_P95), M(METRIC_PUBLISH_P99),
	M(METRIC_PUBLISH_P99_9), F("publish_latency_ms.p99_99"),
	M(METRIC_PUBLISH_MAX), F("end_to_end_latency_ms.avg"),
	M(METRIC_E2E_P50), F("end_to_end_latency_ms.p95"), M(METRIC_E2E_P99),
	F("end_to_end_latency_ms.p99_9"), F("end_to_end_latency_ms.max"),
	M(METRIC_BACKLOG_MAX), F("backlog_msgs.final"), F("failed"),
	F("stalled"), F("overloaded"), F("failure_reason"), F("stand_in"),
	F("replayed_from"), F("recorded_workload"),
	F("planned_target_rate_msgs_per_s"), C("replayed", replayed),
	C("off_target_pct", off_target_pct), C("cost_usd", cost_usd),
	C("cost_usd_per_hour", cost_usd_per_hour), M(METRIC_COST),
#undef F
#undef M
#undef C
};
#define NCOLUMNS	(sizeof(columns) / sizeof(columns[0]))

static const char *
column_key(const struct column *c)
{
	return c->key != NULL ? c->key : report_metrics[c->metric].key;
}

void
csv_write(FILE *fp, const struct expdir *x)
{
	const struct column *c;
	const char *name;
	json_t *rec;
	size_t i, k;

	for (k = 0; k < NCOLUMNS; k++) {
		if (k > 0)
			fputc(',', fp);
		for (name = column_key(&columns[k]); *name != '\0'; name++)
			fputc(*name == '.' ? '_' : *name, fp);
	}
	fputs("\r\n", fp);
	json_array_foreach(x->records, i, rec) {
		for (k = 0; k < NCOLUMNS; k++) {
			c = &columns[k];
			if (k > 0)
				fputc(',', fp);
			if (c->put != NULL)
				c->put(fp, x, rec);
			else if (c->metric == METRIC_COST)
				/* computed: the metric's value as the page's */
				number(fp, metric_value(x, rec, column_key(c)));
			else
				value(fp, jpath(rec, column_key(c)));
		}
		fputs("\r\n", fp);
	}
}

static json_t *
num_or_null(double d)
{
	return isnan(d) || isinf(d) ? json_null() : json_real(d);
}

json_t *
metrics_doc(const struct expdir *x)
{
	json_t *doc = json_object(), *runs = json_deep_copy(x->records), *rec;
	size_t i;

	json_array_foreach(runs, i, rec) {
		json_t *orig = json_array_get(x->records, i);

		json_object_set_new(rec, "replayed",
		    json_boolean(rec_replayed(x, orig)));
		json_object_set_new(rec, "off_target_pct",
		    num_or_null(rec_off_target_pct(orig)));
		json_object_set_new(rec, "cost_usd", num_or_null(cost_run(x,
		    jstr(orig, "run_name"), "cost_usd")));
		json_object_set_new(rec, "cost_usd_per_hour",
		    num_or_null(run_cost_usd_per_hour(x, orig)));
		json_object_set_new(rec, "cost_per_million_messages_usd",
		    num_or_null(run_cost_per_million(x, orig)));
	}
	json_object_set_new(doc, "schema", json_integer(1));
	json_object_set_new(doc, "experiment_id", json_string(x->id));
	json_object_set_new(doc, "generator",
	    json_string("plc-report " PLC_VERSION));
	json_object_set_new(doc, "cost_kind", x->costs && jstr(x->costs,
	    "kind") ? json_string(jstr(x->costs, "kind")) : json_null());
	json_object_set_new(doc, "experiment_cost_usd",
	    num_or_null(cost_total_usd(x->costs)));
	json_object_set_new(doc, "experiment_cost_per_million_messages_usd",
	    num_or_null(experiment_cost_per_million(x)));
	json_object_set_new(doc, "off_target_tolerance_pct",
	    json_integer(OFF_TARGET_PCT));
	json_object_set_new(doc, "runs", runs);
	json_object_set_new(doc, "repeats", repeats_doc(x));
	json_object_set_new(doc, "ceilings", ceilings_doc(x));
	return doc;
}
