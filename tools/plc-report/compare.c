/*
 * --compare: the runs of two experiments matched by name, each judged
 * metric's change in percent, and a regression wherever it got worse by
 * more than the threshold.
 */
#include <err.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "expdir.h"
#include "html.h"
#include "jsonout.h"
#include "report.h"

#define COST_KEY	"cost_per_million_messages_usd"

static const struct metric judged[] = {
	{ "publish_rate_msgs_per_s.mean", "achieved", "msg/s", 0 },
	{ "publish_rate_mb_per_s.mean", "achieved", "MB/s", 0 },
	{ "publish_latency_ms.p50", "publish p50", "ms", 1 },
	{ "publish_latency_ms.p95", "publish p95", "ms", 1 },
	{ "publish_latency_ms.p99", "publish p99", "ms", 1 },
	{ "publish_latency_ms.p99_9", "publish p99.9", "ms", 1 },
	{ "publish_latency_ms.max", "publish max", "ms", 1 },
	{ "end_to_end_latency_ms.p50", "end-to-end p50", "ms", 1 },
	{ "end_to_end_latency_ms.p99", "end-to-end p99", "ms", 1 },
	{ "publish_error_rate_errs_per_s.mean", "errors", "err/s", 1 },
	{ COST_KEY, "cost per million", "USD", 1 },
};
#define NJUDGED	(sizeof(judged) / sizeof(judged[0]))

static double
value(const struct expdir *x, const json_t *rec, const char *key)
{
	if (rec == NULL)
		return NAN;
	if (strcmp(key, COST_KEY) == 0)
		return run_cost_per_million(x, rec);
	return jnum(rec, key);
}

static json_t *
num(double d)
{
	return isnan(d) || isinf(d) ? json_null() : json_real(d);
}

static json_t *
run_delta(const struct expdir *a, const json_t *ra, const struct expdir *b,
    const json_t *rb, const char *name, double thr, size_t *nreg)
{
	json_t *r = json_object(), *ms = json_array(), *m;
	double va, vb, pct;
	size_t k;
	int reg, imp;

	json_object_set_new(r, "run_name", json_string(name));
	json_object_set_new(r, "in_a", json_boolean(ra != NULL));
	json_object_set_new(r, "in_b", json_boolean(rb != NULL));
	for (k = 0; k < NJUDGED; k++) {
		va = value(a, ra, judged[k].key);
		vb = value(b, rb, judged[k].key);
		pct = !isnan(va) && !isnan(vb) && va != 0 ?
		    (vb - va) / fabs(va) * 100 : NAN;
		reg = !isnan(pct) && (judged[k].lower_is_better ? pct > thr :
		    pct < -thr);
		imp = !isnan(pct) && (judged[k].lower_is_better ? pct < -thr :
		    pct > thr);
		*nreg += reg;
		m = json_object();
		json_object_set_new(m, "metric", json_string(judged[k].key));
		json_object_set_new(m, "unit", json_string(judged[k].unit));
		json_object_set_new(m, "lower_is_better",
		    json_boolean(judged[k].lower_is_better));
		json_object_set_new(m, "a", num(va));
		json_object_set_new(m, "b", num(vb));
		json_object_set_new(m, "delta", num(vb - va));
		json_object_set_new(m, "delta_pct", num(pct));
		json_object_set_new(m, "regression", json_boolean(reg));
		json_object_set_new(m, "improvement", json_boolean(imp));
		json_array_append_new(ms, m);
	}
	json_object_set_new(r, "metrics", ms);
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
	char h[64], e[64];
	double d = jnum(m, k);

	fmt_human(h, sizeof(h), d);
	fmt_exact(e, sizeof(e), d);
	fprintf(fp, "<td class=\"num\" data-k=\"%s\" data-v=\"%s\">%s%s</td>",
	    k, e, h, strcmp(k, "delta_pct") == 0 && !isnan(d) ? "%" : "");
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
	    "(highlighted); <span id=\"nregressions\">%lld</span> found.</p>\n",
	    thr, (long long)json_integer_value(json_object_get(doc,
	    "regressions")));
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
		fputs("</h2>\n", fp);
		if (!json_is_true(json_object_get(r, "in_a")) ||
		    !json_is_true(json_object_get(r, "in_b")))
			fprintf(fp, "<p class=\"missing\">Only in %s.</p>\n",
			    json_is_true(json_object_get(r, "in_a")) ?
			    "A" : "B");
		fputs("<table class=\"sortable\"><thead><tr><th>metric</th>"
		    "<th>A</th><th>B</th><th>change</th></tr></thead>"
		    "<tbody>\n", fp);
		json_array_foreach(json_object_get(r, "metrics"), k, m) {
			fprintf(fp, "<tr data-metric=\"%s\" class=\"%s\">"
			    "<td>%s (%s)</td>", jstr(m, "metric"),
			    json_is_true(json_object_get(m, "regression")) ?
			    "regress" : json_is_true(json_object_get(m,
			    "improvement")) ? "improve" : "same",
			    judged[k].head, judged[k].unit);
			cell(fp, m, "a");
			cell(fp, m, "b");
			cell(fp, m, "delta_pct");
			fputs("</tr>\n", fp);
		}
		fputs("</tbody></table>\n</section>\n", fp);
	}
	page_foot(fp);
}

json_t *
compare_write(const struct expdir *a, const struct expdir *b, double thr,
    const char *outdir)
{
	json_t *doc = json_object(), *runs = json_array(), *rec;
	char nb[32];
	const char *name;
	size_t i, nreg = 0;
	FILE *fp;

	json_array_foreach(a->records, i, rec) {
		name = rec_name(rec, i, nb, sizeof(nb));
		json_array_append_new(runs, run_delta(a, rec, b, rec_find(b, name),
		    name, thr, &nreg));
	}
	json_array_foreach(b->records, i, rec) {
		name = rec_name(rec, i, nb, sizeof(nb));
		if (rec_find(a, name) == NULL)
			json_array_append_new(runs, run_delta(a, NULL, b, rec,
			    name, thr, &nreg));
	}
	json_object_set_new(doc, "schema", json_integer(1));
	json_object_set_new(doc, "a", side(a));
	json_object_set_new(doc, "b", side(b));
	json_object_set_new(doc, "threshold_pct", json_real(thr));
	json_object_set_new(doc, "regressions", json_integer(nreg));
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
