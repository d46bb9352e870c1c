/*
 * Runs repeated for statistics (the same run name more than once): the
 * mean and spread of their achieved rate and publish p99.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "expdir.h"
#include "html.h"
#include "report.h"

static const struct metric stats[] = {
	{ "publish_rate_msgs_per_s.mean", "achieved", "msg/s", 0 },
	{ "publish_latency_ms.p99", "publish p99", "ms", 1 },
	{ "publish_latency_ms.p99_9", "publish p99.9", "ms", 1 },
};

static void
cell(FILE *fp, const char *key, const char *stat, double v)
{
	char h[64], e[64];

	fmt_human(h, sizeof(h), v);
	fmt_exact(e, sizeof(e), v);
	fprintf(fp, "<td class=\"num\" data-k=\"%s.%s\" data-v=\"%s\">%s</td>",
	    key, stat, e, h);
}

/* Population statistics of key over the records of a group that did not fail. */
static void
row_stats(FILE *fp, const struct expdir *x, const json_t *group,
    const char *key)
{
	double sum = 0, sq = 0, lo = INFINITY, hi = -INFINITY, v, mean;
	json_t *rec, *ix;
	size_t i, n = 0;

	json_array_foreach(group, i, ix) {
		rec = json_array_get(x->records, json_integer_value(ix));
		if (json_is_true(json_object_get(rec, "failed")) ||
		    isnan(v = jnum(rec, key)))
			continue;
		sum += v;
		lo = fmin(lo, v);
		hi = fmax(hi, v);
		n++;
	}
	mean = n ? sum / n : NAN;
	json_array_foreach(group, i, ix) {
		rec = json_array_get(x->records, json_integer_value(ix));
		if (!json_is_true(json_object_get(rec, "failed")) &&
		    !isnan(v = jnum(rec, key)))
			sq += (v - mean) * (v - mean);
	}
	cell(fp, key, "mean", mean);
	cell(fp, key, "min", n ? lo : NAN);
	cell(fp, key, "max", n ? hi : NAN);
	cell(fp, key, "stddev", n ? sqrt(sq / n) : NAN);
}

void
repeats_section(FILE *fp, const struct expdir *x)
{
	json_t *rec, *group;
	const char *name;
	size_t i, k, count, shown = 0;

	json_array_foreach(x->records, i, rec) {
		if ((name = jstr(rec, "run_name")) == NULL)
			continue;
		group = json_object_get(x->recs_by_run, name);
		count = json_array_size(group);
		/* Once per name, at its first record. */
		if (count < 2 || (size_t)json_integer_value(
		    json_array_get(group, 0)) != i)
			continue;
		if (shown++ == 0) {
			fputs("<section id=\"repeats\">\n<h2>Repeated runs"
			    "</h2>\n<table class=\"sortable\" id=\"repeat-table\">"
			    "<thead><tr>"
			    "<th>run</th><th>repetitions</th>", fp);
			for (k = 0; k < sizeof(stats) / sizeof(stats[0]); k++)
				fprintf(fp, "<th>%s mean (%s)</th><th>min</th>"
				    "<th>max</th><th>std. dev.</th>",
				    stats[k].head, stats[k].unit);
			fputs("</tr></thead><tbody>\n", fp);
		}
		fputs("<tr data-run=\"", fp);
		html_esc(fp, name);
		fputs("\"><td class=\"name\">", fp);
		html_esc(fp, name);
		fprintf(fp, "</td><td class=\"num\" data-k=\"repetitions\" "
		    "data-v=\"%zu\">%zu</td>", count, count);
		for (k = 0; k < sizeof(stats) / sizeof(stats[0]); k++)
			row_stats(fp, x, group, stats[k].key);
		fputs("</tr>\n", fp);
	}
	if (shown > 0)
		fputs("</tbody></table>\n</section>\n", fp);
}
