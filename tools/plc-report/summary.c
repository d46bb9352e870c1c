/*
 * The runs' summary for the terminal (plc-report -s): one line per record
 * and the total, with the page's figures and labels (expdir.c decides the
 * cost per million, the off-target tolerance and what is replayed).
 */
#include <math.h>
#include <stdio.h>

#include <jansson.h>

#include "expdir.h"
#include "report.h"

/* A latency: whole milliseconds from 100 up, 3 significant digits below. */
static void
ms(FILE *fp, double v)
{
	if (isnan(v))
		fputs("-", fp);
	else
		fprintf(fp, v >= 100 ? "%.0f" : "%.3g", v);
}

/* Cents from a dollar up, a hundredth of a cent below, then a bound. */
static void
usd(FILE *fp, double v)
{
	if (v >= 1)
		fprintf(fp, "$%.2f", v);
	else if (v >= 0.0001)
		fprintf(fp, "$%.4f", v);
	else
		fputs("<$0.0001", fp);
}

static void
run_line_write(FILE *fp, const struct expdir *x, const json_t *rec, size_t i)
{
	char nb[32];
	const char *reason = jstr(rec, "failure_reason");
	double rate = jnum(rec, "publish_rate_msgs_per_s.mean");
	double cost = run_cost_per_million(x, rec);

	fprintf(fp, "  %s: ", rec_name(rec, i, nb, sizeof(nb)));
	if (json_is_true(json_object_get(rec, "failed")))
		fprintf(fp, "FAILED (%s)", reason != NULL ? reason : "?");
	else {
		if (isnan(rate))
			fputs("-", fp);
		else
			fprintf(fp, "%.0f", rate);
		fputs(" msg/s, p50 ", fp);
		ms(fp, jnum(rec, "publish_latency_ms.p50"));
		fputs(" ms, p99 ", fp);
		ms(fp, jnum(rec, "publish_latency_ms.p99"));
		fputs(" ms", fp);
	}
	if (!isnan(cost)) {
		fputs(", ", fp);
		usd(fp, cost);
		fputs(" per million messages", fp);
	}
	if (!isnan(rec_off_target_pct(rec)))
		fprintf(fp, " [OFF TARGET: %.0f%% of its %.0f msg/s target]",
		    rate / jnum(rec, "target_rate_msgs_per_s") * 100,
		    jnum(rec, "target_rate_msgs_per_s"));
	if (rec_replayed(x, rec))
		fputs(" [NOT MEASURED: replayed or fake]", fp);
	fputs("\n", fp);
}

void
summary_write(FILE *fp, const struct expdir *x)
{
	const char *kind = jstr(x->costs, "kind");
	double total = cost_total_usd(x->costs);
	json_t *rec;
	size_t i;

	json_array_foreach(x->records, i, rec)
		run_line_write(fp, x, rec, i);
	if (x->costs == NULL)
		fputs("  total: no costs yet\n", fp);
	else if (isnan(total))
		fprintf(fp, "  total: not known (%s)\n", kind ? kind : "estimate");
	else
		fprintf(fp, "  total: $%.2f (%s)\n", total,
		    kind ? kind : "estimate");
}
