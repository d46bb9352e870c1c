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

static const char *const csv_keys[] = {
	"run_index", "run_name", "run_type", "workload", "driver", "shape",
	"message_size_bytes", "topics", "partitions_per_topic", "duration_s",
	"target_rate_msgs_per_s", "publish_rate_msgs_per_s.mean",
	"publish_rate_msgs_per_s.min", "publish_rate_msgs_per_s.max",
	"publish_rate_mb_per_s.mean", "consume_rate_msgs_per_s.mean",
	"publish_error_rate_errs_per_s.mean", "publish_rate_cv",
	"achieved_to_target_ratio", "publish_latency_ms.avg",
	"publish_latency_ms.p50", "publish_latency_ms.p95",
	"publish_latency_ms.p99", "publish_latency_ms.p99_9",
	"publish_latency_ms.p99_99", "publish_latency_ms.max",
	"end_to_end_latency_ms.avg", "end_to_end_latency_ms.p50",
	"end_to_end_latency_ms.p95", "end_to_end_latency_ms.p99",
	"end_to_end_latency_ms.p99_9", "end_to_end_latency_ms.max",
	"backlog_msgs.max", "backlog_msgs.final", "failed", "stalled",
	"overloaded", "failure_reason", "stand_in", "replayed_from",
	"recorded_workload", "planned_target_rate_msgs_per_s",
};
#define NKEYS	(sizeof(csv_keys) / sizeof(csv_keys[0]))

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

void
csv_write(FILE *fp, const struct expdir *x)
{
	const char *name;
	json_t *rec;
	size_t i, k;

	for (k = 0; k < NKEYS; k++) {
		for (name = csv_keys[k]; *name != '\0'; name++)
			fputc(*name == '.' ? '_' : *name, fp);
		fputc(',', fp);
	}
	fputs("replayed,off_target_pct,cost_usd,cost_usd_per_hour,"
	    "cost_per_million_messages_usd\r\n", fp);
	json_array_foreach(x->records, i, rec) {
		for (k = 0; k < NKEYS; k++) {
			value(fp, jpath(rec, csv_keys[k]));
			fputc(',', fp);
		}
		name = jstr(rec, "run_name");
		fputs(rec_replayed(x, rec) ? "true," : "false,", fp);
		number(fp, rec_off_target_pct(rec));
		fputc(',', fp);
		number(fp, cost_run(x, name, "cost_usd"));
		fputc(',', fp);
		number(fp, run_cost_usd_per_hour(x, rec));
		fputc(',', fp);
		number(fp, run_cost_per_million(x, rec));
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
