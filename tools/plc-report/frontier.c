/*
 * The frontier: several experiments of one plan, one per variant, each with
 * an slo_search answer; which cluster is the cheapest that sustains the
 * plan's target rate within the SLO (plc-report --frontier).
 */
#include <err.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "expdir.h"
#include "html.h"
#include "jsonout.h"
#include "report.h"
#include "svg.h"

#define FRONTIER_SCHEMA	"plc-frontier/1"

struct variant {
	const char	*dir;
	char		*experiment;	/* its id */
	char		*name;		/* the variant, else the id */
	char		*state;
	double		 usd_per_hour;	/* the plan's estimate: every resource */
	double		 max_rate;	/* msg/s within the SLO; NAN: none */
	double		 first_failing;
	double		 ceiling;	/* plc-model's prediction, or NAN */
	double		 usd_per_million;
	const char	*bounded_by;
	int		 finished, stand_in, pareto, meets;
	json_t		*capacity, *model, *estimate, *experiment_doc, *plan;
};

static char *
dup_or(const char *s, const char *dflt)
{
	return xstrdup(s != NULL ? s : dflt);
}

/* Sum of usd_per_hour of every resource of the plan's estimate. */
static double
hourly(const json_t *costs)
{
	const json_t *r;
	double sum = 0;
	size_t i;
	int any = 0;

	json_array_foreach(json_object_get(costs, "by_resource"), i, r) {
		double v = jnum(r, "usd_per_hour");

		if (!isnan(v)) {
			sum += v;
			any = 1;
		}
	}
	return any ? sum : NAN;
}

static char *
read_state(const char *dir)
{
	struct buf p = { 0 };
	char line[128] = "";
	FILE *fp;

	buf_addf(&p, "%s/state", dir);
	if ((fp = fopen(p.data, "r")) != NULL) {
		if (fgets(line, sizeof(line), fp) != NULL)
			line[strcspn(line, "\n")] = '\0';
		fclose(fp);
	}
	buf_free(&p);
	return xstrdup(line[0] ? line : "unknown");
}

/* The model's ceiling for the slo_search run, when model.json has it. */
static double
model_ceiling(const json_t *model, const char *run)
{
	const json_t *w, *r;
	size_t i, j;

	json_array_foreach(json_object_get(model, "workloads"), i, w) {
		json_array_foreach(json_object_get(w, "runs"), j, r) {
			if (json_is_string(r) && run != NULL &&
			    strcmp(json_string_value(r), run) == 0)
				return jnum(w, "ceiling_msgs_per_s");
		}
	}
	return NAN;
}

static int
variant_load(struct variant *v, const char *dir)
{
	const json_t *run;
	int rc = 0;

	memset(v, 0, sizeof(*v));
	v->dir = dir;
	if ((v->experiment_doc = expdir_load_json(dir, "experiment.json",
	    &rc)) == NULL) {
		if (rc == 0)
			warnx("\"%s\": not an experiment (no experiment.json)",
			    dir);
		return rc ? rc : EXIT_INPUT;
	}
	if ((v->capacity = expdir_load_json(dir, "capacity.json", &rc)) ==
	    NULL && rc)
		return rc;
	if ((v->estimate = expdir_load_json(dir, "estimate.json", &rc)) ==
	    NULL && rc)
		return rc;
	if ((v->model = expdir_load_json(dir, "model.json", &rc)) == NULL &&
	    rc)
		return rc;
	if ((v->plan = expdir_load_json(dir, "plan.json", &rc)) == NULL && rc)
		return rc;
	v->experiment = dup_or(jstr(v->experiment_doc, "id"), dir);
	v->name = dup_or(jstr(v->experiment_doc, "variant"), v->experiment);
	v->state = read_state(dir);
	v->usd_per_hour = hourly(v->estimate);
	/* The first slo_search run is the variant's answer. */
	run = json_array_get(json_object_get(v->capacity, "runs"), 0);
	v->max_rate = jnum(run, "max_sustainable_rate_msgs_per_s");
	v->first_failing = jnum(run, "first_failing_rate_msgs_per_s");
	v->bounded_by = jstr(run, "bounded_by");
	v->finished = json_is_true(json_object_get(run, "finished"));
	v->ceiling = model_ceiling(v->model, jstr(run, "run_name"));
	v->usd_per_million = v->max_rate > 0 && !isnan(v->usd_per_hour) ?
	    v->usd_per_hour / (v->max_rate * 3600) * 1e6 : NAN;
	return 0;
}

static void
variant_free(struct variant *v)
{
	free(v->experiment);
	free(v->name);
	free(v->state);
	json_decref(v->capacity);
	json_decref(v->model);
	json_decref(v->estimate);
	json_decref(v->experiment_doc);
	json_decref(v->plan);
}

/* Results that are not measurements: a replayed, fake or modeled OMB. */
static int
stand_in(const char *dir)
{
	struct expdir x;
	const json_t *r;
	size_t i;
	int any = 0;

	if (expdir_load(&x, dir) != 0)
		return 0;
	json_array_foreach(x.records, i, r)
		any |= rec_replayed(&x, r);
	expdir_free(&x);
	return any;
}

static json_t *
num_or_null(double v)
{
	return isnan(v) ? json_null() : json_real(v);
}

/*
 * Pareto: no other variant is at most as expensive and sustains at least
 * as much, and better in one. The recommendation: the cheapest variant
 * that reaches the target (ties: the higher rate).
 */
static json_t *
decide(struct variant *v, size_t n, double target, struct buf *text)
{
	json_t *rec = json_object();
	size_t i, j, best = n, top = n;

	for (i = 0; i < n; i++) {
		v[i].meets = !isnan(target) && !isnan(v[i].max_rate) &&
		    v[i].max_rate >= target;
		v[i].pareto = !isnan(v[i].max_rate) &&
		    !isnan(v[i].usd_per_hour);
		for (j = 0; j < n && v[i].pareto; j++) {
			if (j == i || isnan(v[j].max_rate) ||
			    isnan(v[j].usd_per_hour))
				continue;
			if (v[j].usd_per_hour <= v[i].usd_per_hour &&
			    v[j].max_rate >= v[i].max_rate &&
			    (v[j].usd_per_hour < v[i].usd_per_hour ||
			    v[j].max_rate > v[i].max_rate))
				v[i].pareto = 0;
		}
		if (v[i].meets && !isnan(v[i].usd_per_hour) && (best == n ||
		    v[i].usd_per_hour < v[best].usd_per_hour ||
		    (v[i].usd_per_hour == v[best].usd_per_hour &&
		    v[i].max_rate > v[best].max_rate)))
			best = i;
		if (!isnan(v[i].max_rate) && (top == n ||
		    v[i].max_rate > v[top].max_rate))
			top = i;
	}
	json_object_set_new(rec, "target_rate_msgs_per_s",
	    num_or_null(target));
	if (isnan(target)) {
		buf_adds(text, "the plan has no target_rate_msgs_per_s: no "
		    "recommendation");
		json_object_set_new(rec, "variant", json_null());
	} else if (best < n) {
		buf_addf(text, "cheapest variant reaching %.0f msg/s within the "
		    "SLO: %s (%.0f msg/s, $%.4f per hour, $%.4f per million "
		    "messages)", target, v[best].name, v[best].max_rate,
		    v[best].usd_per_hour, v[best].usd_per_million);
		json_object_set_new(rec, "variant", json_string(v[best].name));
		json_object_set_new(rec, "experiment",
		    json_string(v[best].experiment));
	} else if (top < n) {
		buf_addf(text, "no variant reaches %.0f msg/s within the SLO; "
		    "the best, %s, falls short by %.0f msg/s (%.1f%%)", target,
		    v[top].name, target - v[top].max_rate,
		    (target - v[top].max_rate) * 100 / target);
		json_object_set_new(rec, "variant", json_null());
		json_object_set_new(rec, "shortfall_msgs_per_s",
		    json_real(target - v[top].max_rate));
	} else {
		buf_addf(text, "no variant has an answer within the SLO (no "
		    "finished slo_search)");
		json_object_set_new(rec, "variant", json_null());
	}
	json_object_set_new(rec, "text", json_string(text->data));
	return rec;
}

static json_t *
variant_json(const struct variant *v)
{
	json_t *o = json_object();

	json_object_set_new(o, "variant", json_string(v->name));
	json_object_set_new(o, "experiment", json_string(v->experiment));
	json_object_set_new(o, "state", json_string(v->state));
	json_object_set_new(o, "usd_per_hour", num_or_null(v->usd_per_hour));
	json_object_set_new(o, "max_sustainable_rate_msgs_per_s",
	    num_or_null(v->max_rate));
	json_object_set_new(o, "first_failing_rate_msgs_per_s",
	    num_or_null(v->first_failing));
	json_object_set_new(o, "bounded_by", v->bounded_by ?
	    json_string(v->bounded_by) : json_null());
	json_object_set_new(o, "search_finished", json_boolean(v->finished));
	json_object_set_new(o, "usd_per_million_msgs_at_max_rate",
	    num_or_null(v->usd_per_million));
	json_object_set_new(o, "predicted_ceiling_msgs_per_s",
	    num_or_null(v->ceiling));
	json_object_set_new(o, "pareto", json_boolean(v->pareto));
	json_object_set_new(o, "meets_target", json_boolean(v->meets));
	json_object_set_new(o, "stand_in", json_boolean(v->stand_in));
	return o;
}

static void
page(FILE *fp, const char *plan, struct variant *v, size_t n,
    const char *text, int any_stand_in)
{
	const char *groups[] = { "highest rate within the SLO (msg/s)",
	    "predicted ceiling (msg/s)" };
	const char **cats = xcalloc(n, sizeof(*cats));
	double *vals = xcalloc(2 * n, sizeof(*vals));
	struct chart c = { "frontier-rates", "Highest rate within the SLO, "
	    "per variant", "variant", "msg/s", AXIS_LINEAR, AXIS_LINEAR, 0 };
	size_t i;

	page_head(fp, "plc frontier");
	fputs("<header><h1>Frontier: ", fp);
	html_esc(fp, plan);
	fputs("</h1></header>\n<main>\n", fp);
	if (any_stand_in)
		fputs("<p class=\"warn\" id=\"stand-in\"><strong>Not measured"
		    "</strong>: some results come from a replayed, fake or "
		    "modeled benchmark in local mode; no cluster was "
		    "benchmarked, and the recommendation only shows how plc "
		    "decides.</p>\n", fp);
	fputs("<section><h2>Recommendation</h2><p id=\"recommendation\">", fp);
	html_esc(fp, text);
	fputs("</p></section>\n<section id=\"variants\"><h2>Variants</h2>\n<table>"
	    "<thead><tr><th>variant</th><th>state</th><th>cost per hour "
	    "(estimate)</th><th>highest rate within the SLO (msg/s)</th>"
	    "<th>first failing (msg/s)</th><th>bounded by</th>"
	    "<th>cost per million messages at that rate</th>"
	    "<th>predicted ceiling (msg/s)</th><th>flags</th></tr></thead>"
	    "<tbody>\n", fp);
	for (i = 0; i < n; i++) {
		fputs("<tr><td>", fp);
		html_esc(fp, v[i].name);
		fputs("</td><td>", fp);
		html_esc(fp, v[i].state);
		fputs("</td>", fp);
		html_num_cell(fp, v[i].usd_per_hour, "$", NULL);
		html_num_cell(fp, v[i].max_rate, NULL, NULL);
		html_num_cell(fp, v[i].first_failing, NULL, NULL);
		fputs("<td>", fp);
		html_esc(fp, v[i].bounded_by != NULL ? v[i].bounded_by : "–");
		fputs("</td>", fp);
		html_num_cell(fp, v[i].usd_per_million, "$", NULL);
		html_num_cell(fp, v[i].ceiling, NULL, NULL);
		fprintf(fp, "<td>%s%s%s%s</td></tr>\n",
		    v[i].meets ? "meets target " : "",
		    v[i].pareto ? "pareto " : "",
		    v[i].finished ? "" : "search unfinished ",
		    v[i].stand_in ? "not measured" : "");
		cats[i] = v[i].name;
		vals[i] = v[i].max_rate;
		vals[n + i] = v[i].ceiling;
	}
	fputs("</tbody></table>\n<p class=\"note\">Cost per hour is the "
	    "plan's estimate of every instance and volume (plc-cost); cost "
	    "per million messages is that rate over the highest rate within "
	    "the SLO. <em>pareto</em>: no other variant is both cheaper and "
	    "faster. <em>meets target</em>: its highest rate within the SLO "
	    "reaches the plan's target rate."
	    "</p></section>\n<section>\n", fp);
	svg_bars(fp, &c, cats, n, groups, 2, vals, NULL,
	    "no variant has an answer yet");
	fputs("</section>\n</main>\n", fp);
	page_foot(fp);
	free(cats);
	free(vals);
}

int
frontier_write(char *const dirs[], size_t n, const char *outdir)
{
	struct variant *v = xcalloc(n, sizeof(*v));
	struct buf text = { 0 };
	json_t *doc, *vs, *rec;
	const char *plan = NULL;
	double target = NAN;
	size_t i;
	int rc = 0, any_stand_in = 0;
	FILE *fp;

	for (i = 0; i < n && rc == 0; i++) {
		rc = variant_load(&v[i], dirs[i]);
		if (rc != 0)
			break;
		v[i].stand_in = stand_in(dirs[i]);
		any_stand_in |= v[i].stand_in;
		if (plan == NULL)
			plan = jstr(v[i].experiment_doc, "plan");
		if (isnan(target))
			target = jnum(v[i].plan, "target_rate_msgs_per_s");
	}
	if (rc != 0) {
		for (i = 0; i < n; i++)
			variant_free(&v[i]);
		free(v);
		return rc;
	}
	rec = decide(v, n, target, &text);
	doc = json_object();
	json_object_set_new(doc, "schema", json_string(FRONTIER_SCHEMA));
	json_object_set_new(doc, "plan", plan ? json_string(plan) :
	    json_null());
	json_object_set_new(doc, "stand_in", json_boolean(any_stand_in));
	vs = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(vs, variant_json(&v[i]));
	json_object_set_new(doc, "variants", vs);
	json_object_set_new(doc, "recommendation", rec);

	out_mkdir(outdir);
	fp = out_open(outdir, "frontier.json");
	if (jsonout_write_line(fp, doc) == -1)
		errx(EXIT_RUNTIME, "frontier.json: cannot encode");
	out_close(fp, outdir, "frontier.json");
	fp = out_open(outdir, "index.html");
	page(fp, plan ? plan : "?", v, n, text.data, any_stand_in);
	out_close(fp, outdir, "index.html");
	if (jsonout_write_line(stdout, doc) == -1)
		errx(EXIT_RUNTIME, "cannot encode the frontier");

	json_decref(doc);
	buf_free(&text);
	for (i = 0; i < n; i++)
		variant_free(&v[i]);
	free(v);
	return 0;
}
