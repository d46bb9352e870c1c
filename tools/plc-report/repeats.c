/*
 * Runs repeated for statistics (the same run name more than once): the
 * mean of their achieved rate and publish tail, its 95 % confidence
 * interval (Student's t, stats.h), and the spread.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "expdir.h"
#include "html.h"
#include "report.h"
#include "stats.h"

/* The metrics the statistics cover, in the run table's order. */
#define foreach_repeated(k, m)						\
	for ((k) = 0; (k) < report_nmetrics; (k)++)			\
		if (((m) = &report_metrics[k])->uses & METRIC_REPEATED)

static void
cell(FILE *fp, const char *key, const char *stat, double v)
{
	char k[128];

	snprintf(k, sizeof(k), "%s.%s", key, stat);
	html_num_cell(fp, v, NULL, k);
}

/* The values of key over the records of a group that did not fail. */
static size_t
group_values(const struct expdir *x, const json_t *group, const char *key,
    double *v)
{
	json_t *rec, *ix;
	size_t i, n = 0;

	json_array_foreach(group, i, ix) {
		rec = json_array_get(x->records, json_integer_value(ix));
		if (!json_is_true(json_object_get(rec, "failed")) &&
		    !isnan(v[n] = jnum(rec, key)))
			n++;
	}
	return n;
}

struct row {
	struct stats_sample	s;
	double			lo, hi, pop_sd;	/* NAN without values */
};

static void
row_compute(const struct expdir *x, const json_t *group, const char *key,
    struct row *r)
{
	double *v = xcalloc(json_array_size(group) + 1, sizeof(double)), sq = 0;
	size_t i, n = group_values(x, group, key, v);

	stats_sample(v, n, &r->s);
	r->lo = n ? INFINITY : NAN;
	r->hi = n ? -INFINITY : NAN;
	for (i = 0; i < n; i++) {
		r->lo = fmin(r->lo, v[i]);
		r->hi = fmax(r->hi, v[i]);
		sq += (v[i] - r->s.mean) * (v[i] - r->s.mean);
	}
	r->pop_sd = n ? sqrt(sq / n) : NAN;
	free(v);
}

static void
row_stats(FILE *fp, const struct expdir *x, const json_t *group,
    const char *key)
{
	struct row r;

	row_compute(x, group, key, &r);
	cell(fp, key, "mean", r.s.mean);
	cell(fp, key, "ci95_low", r.s.ci_low);
	cell(fp, key, "ci95_high", r.s.ci_high);
	cell(fp, key, "min", r.lo);
	cell(fp, key, "max", r.hi);
	cell(fp, key, "stddev", r.pop_sd);
}

static json_t *
num(double d)
{
	return isnan(d) || isinf(d) ? json_null() : json_real(d);
}

/* Each repeated run's name with its first record's index, in record order. */
static int
first_of_group(const struct expdir *x, size_t i, const char **name,
    const json_t **group)
{
	const json_t *rec = json_array_get(x->records, i);

	if ((*name = jstr(rec, "run_name")) == NULL)
		return 0;
	*group = json_object_get(x->recs_by_run, *name);
	return json_array_size(*group) >= 2 && (size_t)json_integer_value(
	    json_array_get(*group, 0)) == i;
}

json_t *
repeats_doc(const struct expdir *x)
{
	json_t *out = json_array(), *o, *ms, *m;
	const json_t *group;
	const char *name;
	const struct metric *st;
	struct row r;
	size_t i, k;

	for (i = 0; i < json_array_size(x->records); i++) {
		if (!first_of_group(x, i, &name, &group))
			continue;
		o = json_object();
		json_object_set_new(o, "run_name", json_string(name));
		json_object_set_new(o, "repetitions",
		    json_integer((json_int_t)json_array_size(group)));
		ms = json_array();
		foreach_repeated(k, st) {
			row_compute(x, group, st->key, &r);
			m = json_object();
			json_object_set_new(m, "metric",
			    json_string(st->key));
			json_object_set_new(m, "unit", json_string(st->unit));
			json_object_set_new(m, "n", json_integer((json_int_t)r.s.n));
			json_object_set_new(m, "mean", num(r.s.mean));
			json_object_set_new(m, "sample_stddev", num(r.s.sd));
			json_object_set_new(m, "ci95_low", num(r.s.ci_low));
			json_object_set_new(m, "ci95_high", num(r.s.ci_high));
			json_object_set_new(m, "min", num(r.lo));
			json_object_set_new(m, "max", num(r.hi));
			json_array_append_new(ms, m);
		}
		json_object_set_new(o, "metrics", ms);
		json_array_append_new(out, o);
	}
	return out;
}

void
repeats_section(FILE *fp, const struct expdir *x)
{
	const json_t *group;
	const char *name;
	const struct metric *st;
	size_t i, k, count, shown = 0;

	for (i = 0; i < json_array_size(x->records); i++) {
		if (!first_of_group(x, i, &name, &group))
			continue;
		count = json_array_size(group);
		if (shown++ == 0) {
			fputs("<section id=\"repeats\">\n<h2>Repeated runs"
			    "</h2>\n<p>The mean of the repetitions that did not "
			    "fail, with its 95% confidence interval (Student's t, "
			    "n &#8722; 1 degrees of freedom), and their spread."
			    "</p>\n<table class=\"sortable\" id=\"repeat-table\">"
			    "<thead><tr>"
			    "<th>run</th><th>repetitions</th>", fp);
			foreach_repeated(k, st)
				fprintf(fp, "<th>%s mean (%s)</th><th>95%% CI "
				    "low</th><th>95%% CI high</th><th>min</th>"
				    "<th>max</th><th>std. dev.</th>",
				    st->head, st->unit);
			fputs("</tr></thead><tbody>\n", fp);
		}
		fputs("<tr data-run=\"", fp);
		html_esc(fp, name);
		fputs("\"><td class=\"name\">", fp);
		html_esc(fp, name);
		fprintf(fp, "</td><td class=\"num\" data-k=\"repetitions\" "
		    "data-v=\"%zu\">%zu</td>", count, count);
		foreach_repeated(k, st)
			row_stats(fp, x, group, st->key);
		fputs("</tr>\n", fp);
	}
	if (shown > 0)
		fputs("</tbody></table>\n</section>\n", fp);
}
