/*
 * --compare: the runs of two experiments matched by name, each judged
 * metric's change in percent, and a regression wherever it got worse by
 * more than the threshold.
 */
#include <err.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "expdir.h"
#include "html.h"
#include "jsonout.h"
#include "report.h"
#include "stats.h"


static json_t *
num(double d)
{
	return isnan(d) || isinf(d) ? json_null() : json_real(d);
}

/*
 * The run's repetitions: every record of its name (one when it has no
 * run_name), those that did not fail, or all of them when every one failed.
 */
static json_t *
repetitions(const struct expdir *x, const json_t *rec)
{
	json_t *all = json_array(), *ok = json_array(), *g, *ix, *r;
	const char *name;
	size_t i;

	if (rec == NULL) {
		json_decref(ok);
		return all;
	}
	if ((name = jstr(rec, "run_name")) == NULL ||
	    (g = json_object_get(x->recs_by_run, name)) == NULL)
		json_array_append(all, (json_t *)rec);
	else
		json_array_foreach(g, i, ix)
			json_array_append(all, json_array_get(x->records,
			    json_integer_value(ix)));
	json_array_foreach(all, i, r)
		if (!json_is_true(json_object_get(r, "failed")))
			json_array_append(ok, r);
	if (json_array_size(ok) == 0) {
		json_decref(ok);
		return all;
	}
	json_decref(all);
	return ok;
}

/* The sample of key over the repetitions (values that are numbers). */
static void
sample(const struct expdir *x, const json_t *reps, const char *key,
    struct stats_sample *s)
{
	double *v = xcalloc(json_array_size(reps) + 1, sizeof(double)), d;
	const json_t *r;
	size_t i, n = 0;

	json_array_foreach(reps, i, r)
		if (!isnan(d = metric_value(x, r, key)) && !isinf(d))
			v[n++] = d;
	stats_sample(v, n, s);
	free(v);
}

static void
side_stats(json_t *m, const char *k, const struct stats_sample *s)
{
	char key[32];

	json_object_set_new(m, k, num(s->mean));
	snprintf(key, sizeof(key), "n_%s", k);
	json_object_set_new(m, key, json_integer((json_int_t)s->n));
	snprintf(key, sizeof(key), "%s_ci95_low", k);
	json_object_set_new(m, key, num(s->ci_low));
	snprintf(key, sizeof(key), "%s_ci95_high", k);
	json_object_set_new(m, key, num(s->ci_high));
}

struct tally {
	size_t	 regressions;
	size_t	 untested;	/* regressions called without a test */
	size_t	 not_significant;	/* beyond the threshold, not significant */
};

static json_t *
run_delta(const struct expdir *a, const json_t *ra, const struct expdir *b,
    const json_t *rb, const char *name, double thr, struct tally *tl)
{
	json_t *r = json_object(), *ms = json_array(), *m;
	json_t *reps_a = repetitions(a, ra), *reps_b = repetitions(b, rb);
	struct stats_sample sa, sb;
	struct stats_welch w;
	double va, vb, pct;
	size_t k;
	int reg, imp, tested, beyond;

	json_object_set_new(r, "run_name", json_string(name));
	json_object_set_new(r, "in_a", json_boolean(ra != NULL));
	json_object_set_new(r, "in_b", json_boolean(rb != NULL));
	json_object_set_new(r, "repetitions_a",
	    json_integer((json_int_t)json_array_size(reps_a)));
	json_object_set_new(r, "repetitions_b",
	    json_integer((json_int_t)json_array_size(reps_b)));
	for (k = 0; k < report_nmetrics; k++) {
		const struct metric *jm = &report_metrics[k];

		if (!(jm->uses & METRIC_JUDGED))
			continue;
		sample(a, reps_a, jm->key, &sa);
		sample(b, reps_b, jm->key, &sb);
		va = sa.mean;
		vb = sb.mean;
		pct = !isnan(va) && !isnan(vb) && va != 0 ?
		    (vb - va) / fabs(va) * 100 : NAN;
		tested = stats_welch(&sa, &sb, &w) == 0;
		beyond = !isnan(pct) && (jm->lower_is_better ? pct > thr :
		    pct < -thr);
		imp = !isnan(pct) && (jm->lower_is_better ? pct < -thr :
		    pct > thr);
		/* Beyond the threshold, and not explained by the spread. */
		reg = beyond && (!tested || w.p < STATS_ALPHA);
		imp = imp && (!tested || w.p < STATS_ALPHA);
		tl->regressions += reg;
		tl->untested += reg && !tested;
		tl->not_significant += beyond && !reg;
		m = json_object();
		json_object_set_new(m, "metric", json_string(jm->key));
		json_object_set_new(m, "unit", json_string(jm->unit));
		json_object_set_new(m, "lower_is_better",
		    json_boolean(jm->lower_is_better));
		side_stats(m, "a", &sa);
		side_stats(m, "b", &sb);
		json_object_set_new(m, "delta", num(vb - va));
		json_object_set_new(m, "delta_pct", num(pct));
		json_object_set_new(m, "test", tested ? json_string("welch") :
		    json_null());
		json_object_set_new(m, "t", tested ? num(w.t) : json_null());
		json_object_set_new(m, "df", tested ? num(w.df) : json_null());
		json_object_set_new(m, "p_value", tested ? num(w.p) :
		    json_null());
		json_object_set_new(m, "significant", tested ?
		    json_boolean(w.p < STATS_ALPHA) : json_null());
		json_object_set_new(m, "single_sample",
		    json_boolean(sa.n == 1 && sb.n == 1));
		json_object_set_new(m, "regression", json_boolean(reg));
		json_object_set_new(m, "improvement", json_boolean(imp));
		json_array_append_new(ms, m);
	}
	json_object_set_new(r, "metrics", ms);
	json_decref(reps_a);
	json_decref(reps_b);
	return r;
}

static json_t *
side(const struct expdir *x)
{
	json_t *s = json_object();

	json_object_set_new(s, "experiment_id", json_string(x->id));
	json_object_set_new(s, "path", json_string(x->path));
	return s;
}

static void
cell(FILE *fp, const json_t *m, const char *k)
{
	char h[64], e[64], lo[64], hi[64];
	double d = jnum(m, k);
	struct buf ci = { 0 };

	fmt_human(h, sizeof(h), d);
	fmt_exact(e, sizeof(e), d);
	/* A mean of repetitions: its 95 % interval beside it. */
	buf_addf(&ci, "%s_ci95_low", k);
	if (!isnan(jnum(m, ci.data))) {
		fmt_human(lo, sizeof(lo), jnum(m, ci.data));
		buf_reset(&ci);
		buf_addf(&ci, "%s_ci95_high", k);
		fmt_human(hi, sizeof(hi), jnum(m, ci.data));
		buf_reset(&ci);
		buf_addf(&ci, " <small class=\"ci\">[%s, %s]</small>", lo, hi);
	} else
		buf_reset(&ci);
	fprintf(fp, "<td class=\"num\" data-k=\"%s\" data-v=\"%s\">%s%s%s</td>",
	    k, e, h, strcmp(k, "delta_pct") == 0 && !isnan(d) ? "%" : "",
	    ci.data ? ci.data : "");
	buf_free(&ci);
}

/* Welch's p, or why there is none. */
static void
significance(FILE *fp, const json_t *m)
{
	char e[64];
	double p = jnum(m, "p_value");

	if (isnan(p)) {
		fprintf(fp, "<td data-k=\"p_value\" data-v=\"\">%s</td>",
		    json_is_true(json_object_get(m, "single_sample")) ?
		    "one sample each: untested" : "untested");
		return;
	}
	fmt_exact(e, sizeof(e), p);
	fprintf(fp, "<td class=\"num\" data-k=\"p_value\" data-v=\"%s\">"
	    "p = %.3g%s</td>", e, p, p < STATS_ALPHA ? "" :
	    " (not significant)");
}

static void
page(FILE *fp, const struct expdir *a, const struct expdir *b,
    const json_t *doc)
{
	struct buf t = { 0 };
	json_t *r, *m;
	size_t i, k;
	char thr[64];

	buf_addf(&t, "plc comparison: %s and %s", a->id, b->id);
	page_head(fp, t.data);
	fputs("<header>\n<h1>", fp);
	html_esc(fp, t.data);
	buf_free(&t);
	fmt_human(thr, sizeof(thr), jnum(doc, "threshold_pct"));
	fputs("</h1>\n<p>A is <b>", fp);
	html_esc(fp, a->id);
	fputs("</b>, B is <b>", fp);
	html_esc(fp, b->id);
	fprintf(fp, "</b>. A change worse than %s%% is a regression "
	    "(highlighted) when Welch's t-test over the repetitions finds it "
	    "significant (p &lt; %g); <span id=\"nregressions\">%lld</span> "
	    "found. Means of repetitions show their 95%% confidence interval "
	    "in brackets.</p>\n", thr, STATS_ALPHA,
	    (long long)json_integer_value(json_object_get(doc, "regressions")));
	if (json_integer_value(json_object_get(doc, "untested_regressions")))
		fprintf(fp, "<p class=\"banner\" id=\"untested\">%lld of the "
		    "regressions rest on runs without repetitions on both sides: "
		    "no test of significance was possible (repeat: N in the plan)."
		    "</p>\n", (long long)json_integer_value(json_object_get(doc,
		    "untested_regressions")));
	if (json_is_true(json_object_get(doc, "durability_differs")))
		fputs("<p class=\"banner\" id=\"durability\">The experiments "
		    "ran with different durability settings (compared as asked, "
		    "--mixed-durability).</p>\n", fp);
	if (a->any_replayed || b->any_replayed)
		fputs("<p class=\"banner\" id=\"replayed\">Replayed results "
		    "in the comparison: no cluster was benchmarked for "
		    "them.</p>\n", fp);
	fputs("</header>\n", fp);
	json_array_foreach(json_object_get(doc, "runs"), i, r) {
		fputs("<section class=\"run\" data-run=\"", fp);
		html_esc(fp, jstr(r, "run_name"));
		fputs("\">\n<h2>", fp);
		html_esc(fp, jstr(r, "run_name"));
		fprintf(fp, "</h2>\n<p>Repetitions: %lld in A, %lld in B.</p>\n",
		    (long long)json_integer_value(json_object_get(r,
		    "repetitions_a")), (long long)json_integer_value(
		    json_object_get(r, "repetitions_b")));
		if (!json_is_true(json_object_get(r, "in_a")) ||
		    !json_is_true(json_object_get(r, "in_b")))
			fprintf(fp, "<p class=\"missing\">Only in %s.</p>\n",
			    json_is_true(json_object_get(r, "in_a")) ?
			    "A" : "B");
		fputs("<table class=\"sortable\"><thead><tr><th>metric</th>"
		    "<th>A</th><th>B</th><th>change</th><th>significance</th>"
		    "</tr></thead><tbody>\n", fp);
		json_array_foreach(json_object_get(r, "metrics"), k, m) {
			fprintf(fp, "<tr data-metric=\"%s\" class=\"%s\">"
			    "<td>%s (%s)</td>", jstr(m, "metric"),
			    json_is_true(json_object_get(m, "regression")) ?
			    "regress" : json_is_true(json_object_get(m,
			    "improvement")) ? "improve" : "same",
			    metric_find(jstr(m, "metric"))->head,
			    jstr(m, "unit"));
			cell(fp, m, "a");
			cell(fp, m, "b");
			cell(fp, m, "delta_pct");
			significance(fp, m);
			fputs("</tr>\n", fp);
		}
		fputs("</tbody></table>\n</section>\n", fp);
	}
	page_foot(fp);
}

json_t *
compare_write(const struct expdir *a, const struct expdir *b, double thr,
    int mixed, const char *outdir)
{
	json_t *doc = json_object(), *runs = json_array(), *rec, *first, *dur;
	struct tally tl = { 0, 0, 0 };
	char nb[32], *diff;
	const char *name;
	size_t i;
	FILE *fp;

	/* Once per name, at its first record (repetitions are one run). */
	json_array_foreach(a->records, i, rec) {
		name = rec_name(rec, i, nb, sizeof(nb));
		first = json_object_get(a->rec_by_name, name);
		if (first != NULL && (size_t)json_integer_value(first) != i)
			continue;
		json_array_append_new(runs, run_delta(a, rec, b, rec_find(b, name),
		    name, thr, &tl));
	}
	json_array_foreach(b->records, i, rec) {
		name = rec_name(rec, i, nb, sizeof(nb));
		first = json_object_get(b->rec_by_name, name);
		if (rec_find(a, name) != NULL || (first != NULL &&
		    (size_t)json_integer_value(first) != i))
			continue;
		json_array_append_new(runs, run_delta(a, NULL, b, rec,
		    name, thr, &tl));
	}
	json_object_set_new(doc, "schema", json_integer(1));
	json_object_set_new(doc, "a", side(a));
	json_object_set_new(doc, "b", side(b));
	json_object_set_new(doc, "threshold_pct", json_real(thr));
	json_object_set_new(doc, "confidence_level", json_real(STATS_CONFIDENCE));
	json_object_set_new(doc, "alpha", json_real(STATS_ALPHA));
	dur = json_object();
	json_object_set_new(dur, "a", durability_doc(a));
	json_object_set_new(dur, "b", durability_doc(b));
	json_object_set_new(doc, "durability", dur);
	diff = durability_differences(json_object_get(dur, "a"),
	    json_object_get(dur, "b"));
	json_object_set_new(doc, "durability_differs", json_boolean(diff != NULL));
	json_object_set_new(doc, "mixed_durability", json_boolean(mixed));
	free(diff);
	json_object_set_new(doc, "regressions", json_integer(tl.regressions));
	json_object_set_new(doc, "untested_regressions",
	    json_integer(tl.untested));
	json_object_set_new(doc, "not_significant_changes",
	    json_integer(tl.not_significant));
	json_object_set_new(doc, "runs", runs);

	fp = out_open(outdir, "compare.json");
	if (jsonout_write_line(fp, doc) == -1)
		errx(EXIT_RUNTIME, "compare.json: cannot encode");
	out_close(fp, outdir, "compare.json");
	fp = out_open(outdir, "compare.html");
	page(fp, a, b, doc);
	out_close(fp, outdir, "compare.html");
	return doc;
}
