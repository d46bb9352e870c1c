/*
 * The charts of index.html, from the metrics records: latency by
 * percentile, rates and p99 over time, target against achieved (and the
 * knee of stepped runs), and the cost by role.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "expdir.h"
#include "html.h"
#include "report.h"
#include "svg.h"

/* Arrays owned by a chart's series, freed together. */
struct pts {
	double	*x, *y;
};

/* A latency curve on the nines: p <= 99.999, as OMB's charts. */
static size_t
quantile_series(const json_t *curve, struct pts *p)
{
	json_t *pair;
	size_t i, n = 0;
	double pc;

	p->x = xcalloc(json_array_size(curve) + 1, sizeof(double));
	p->y = xcalloc(json_array_size(curve) + 1, sizeof(double));
	json_array_foreach(curve, i, pair) {
		pc = json_number_value(json_array_get(pair, 0));
		if (!json_is_number(json_array_get(pair, 0)) || pc > 99.999 ||
		    pc < 0)
			continue;
		p->x[n] = log10(100 / (100 - pc));
		p->y[n] = json_is_number(json_array_get(pair, 1)) ?
		    json_number_value(json_array_get(pair, 1)) : NAN;
		n++;
	}
	return n;
}

/* A per-period array against time in seconds. */
static size_t
time_series(const json_t *rec, const char *key, struct pts *p)
{
	json_t *a = jpath(json_object_get(rec, "series"), key), *v;
	double period = jnum(rec, "period_s");
	size_t i;

	if (isnan(period))
		period = 10;
	p->x = xcalloc(json_array_size(a) + 1, sizeof(double));
	p->y = xcalloc(json_array_size(a) + 1, sizeof(double));
	json_array_foreach(a, i, v) {
		p->x[i] = (i + 1) * period;
		p->y[i] = json_is_number(v) ? json_number_value(v) : NAN;
	}
	return json_array_size(a);
}

/* Log scale when the values span more than two decades. */
static enum axis_kind
y_scale(const struct series *s, size_t ns)
{
	double lo = INFINITY, hi = 0;
	size_t i, j;

	for (i = 0; i < ns; i++)
		for (j = 0; j < s[i].n; j++)
			if (s[i].y[j] > 0) {
				lo = fmin(lo, s[i].y[j]);
				hi = fmax(hi, s[i].y[j]);
			}
	return hi > 0 && hi / lo > 100 ? AXIS_LOG : AXIS_LINEAR;
}

void
line_chart(FILE *fp, const struct expdir *x, struct chart *c,
    enum source src, const char *key, int autolog, const char *note)
{
	size_t n = json_array_size(x->records), i, ns = 0;
	struct series *s = xcalloc(n + 1, sizeof(*s));
	struct pts *p = xcalloc(n + 1, sizeof(*p));
	char (*names)[32] = xcalloc(n + 1, sizeof(*names));
	json_t *rec;

	json_array_foreach(x->records, i, rec) {
		if (src == QUANTILES)
			s[ns].n = quantile_series(jpath(json_object_get(rec,
			    "quantiles"), key), &p[ns]);
		else
			s[ns].n = time_series(rec, key, &p[ns]);
		s[ns].x = p[ns].x;
		s[ns].y = p[ns].y;
		s[ns].label = rec_name(rec, i, names[ns], sizeof(names[ns]));
		ns++;
	}
	if (autolog)
		c->yaxis = y_scale(s, ns);
	svg_lines(fp, c, s, ns, note);
	for (i = 0; i < ns; i++) {
		free(p[i].x);
		free(p[i].y);
	}
	free(names);
	free(p);
	free(s);
}

static int
is_stepped(const json_t *rec)
{
	const char *t = jstr(rec, "run_type");

	return t != NULL && (strcmp(t, "ramp_up") == 0 ||
	    strcmp(t, "scale_to_failure") == 0);
}

/* A step's run: its name without "-step-K". */
size_t
step_base(const char *name)
{
	const char *p = strstr(name, "-step-"), *q;

	while (p != NULL) {
		for (q = p + 6; *q >= '0' && *q <= '9'; q++)
			continue;
		if (q > p + 6 && *q == '\0')
			return (size_t)(p - name);
		p = strstr(p + 1, "-step-");
	}
	return strlen(name);
}

/*
 * Target against achieved for the records of one group (all runs, or the
 * steps of one stepped run) with, for steps, the knee: the last step that
 * kept within 10% of its target before one that did not.
 */
static void
target_chart(FILE *fp, const struct expdir *x, const size_t *idx, size_t nc,
    struct chart *c, int stepped, const char *note)
{
	static const char *const groups[] = { "target (msg/s)",
	    "achieved (msg/s)" };
	const char **cats = xcalloc(nc + 1, sizeof(*cats));
	char (*names)[32] = xcalloc(nc + 1, sizeof(*names));
	double *v = xcalloc(2 * nc + 2, sizeof(*v));
	int *knee = xcalloc(nc + 1, sizeof(*knee)), kneed = 0;
	json_t *rec;
	size_t i;

	for (i = 0; i < nc; i++) {
		rec = json_array_get(x->records, idx[i]);
		cats[i] = rec_name(rec, idx[i], names[i], sizeof(names[i]));
		v[i] = jnum(rec, "target_rate_msgs_per_s");
		v[nc + i] = jnum(rec, "publish_rate_msgs_per_s.mean");
	}
	if (stepped)
		for (i = 0; i + 1 < nc && !kneed; i++)
			if (v[i] > 0 && v[nc + i] >= 0.9 * v[i] &&
			    v[i + 1] > 0 && v[nc + i + 1] < 0.9 * v[i + 1])
				knee[i] = kneed = 1;
	svg_bars(fp, c, cats, nc, groups, 2, v, knee, note);
	free(knee);
	free(v);
	free(names);
	free(cats);
}

/*
 * Target and achieved for all runs; with stepped, one chart per ramp_up or
 * scale_to_failure run, each with its own knee.
 */
void
target_charts(FILE *fp, const struct expdir *x, int stepped)
{
	size_t n = json_array_size(x->records), i, j, nc, ng = 0;
	size_t *idx = xcalloc(n + 1, sizeof(*idx));
	size_t *first = xcalloc(n + 1, sizeof(*first));
	struct chart c = { 0 };
	struct buf id = { 0 }, title = { 0 };
	const char *a, *b;
	json_t *rec;

	c.ylabel = "rate (msg/s)";
	if (!stepped) {
		for (i = 0; i < n; i++)
			idx[i] = i;
		c.id = "chart-target-achieved";
		c.title = "Target and achieved publish rate";
		c.xlabel = "run";
		target_chart(fp, x, idx, n, &c, 0, "No run has a rate");
		goto out;
	}
	/* The stepped runs, by their first step, in order. */
	json_array_foreach(x->records, i, rec) {
		if (!is_stepped(rec) || (a = jstr(rec, "run_name")) == NULL)
			continue;
		for (j = 0; j < ng; j++) {
			b = jstr(json_array_get(x->records, first[j]),
			    "run_name");
			if (step_base(a) == step_base(b) &&
			    strncmp(a, b, step_base(a)) == 0 &&
			    strcmp(jstr(rec, "run_type"), jstr(json_array_get(
			    x->records, first[j]), "run_type")) == 0)
				break;
		}
		if (j == ng)
			first[ng++] = i;
	}
	c.xlabel = "step";
	c.note_is_info = 1;
	if (ng == 0) {
		c.id = "chart-ramp";
		c.title = "Stepped runs: achieved against target, knee marked";
		target_chart(fp, x, idx, 0, &c, 1,
		    "No ramp_up or scale_to_failure runs in this experiment");
	}
	for (j = 0; j < ng; j++) {
		b = jstr(json_array_get(x->records, first[j]), "run_name");
		for (nc = 0, i = first[j]; i < n; i++) {
			rec = json_array_get(x->records, i);
			a = jstr(rec, "run_name");
			if (is_stepped(rec) && a != NULL &&
			    step_base(a) == step_base(b) &&
			    strncmp(a, b, step_base(b)) == 0 &&
			    strcmp(jstr(rec, "run_type"), jstr(json_array_get(
			    x->records, first[j]), "run_type")) == 0)
				idx[nc++] = i;
		}
		buf_reset(&id);
		buf_reset(&title);
		if (j == 0)
			buf_adds(&id, "chart-ramp");
		else
			buf_addf(&id, "chart-ramp-%zu", j + 1);
		buf_addf(&title, "%.*s (%s): achieved against target by step, "
		    "knee marked", (int)step_base(b), b,
		    jstr(json_array_get(x->records, first[j]), "run_type"));
		c.id = id.data;
		c.title = title.data;
		target_chart(fp, x, idx, nc, &c, 1, "");
		buf_reset(&title);
		buf_addf(&title, "%.*s", (int)step_base(b), b);
		ceiling_line(fp, x, title.data);
	}
out:
	buf_free(&id);
	buf_free(&title);
	free(first);
	free(idx);
}

static int
is_role(const char *k, const char *const *roles)
{
	for (; *roles != NULL; roles++)
		if (strcmp(*roles, k) == 0)
			return 1;
	return 0;
}

void
cost_section(FILE *fp, const struct expdir *x)
{
	static const char *const groups[] = { "USD" };
	json_t *by = json_object_get(x->costs, "by_role_usd"), *v, *a;
	const char **cats = xcalloc(json_object_size(by) + 1, sizeof(*cats));
	double *val = xcalloc(json_object_size(by) + 1, sizeof(*val));
	static const char *const roles[] = { "zookeeper", "bookkeeper",
	    "broker", "client", NULL };
	struct chart c = { "chart-cost", "Cost by role", "role", "cost (USD)",
	    AXIS_LINEAR, AXIS_LINEAR, 0 };
	const char *const *r;
	const char *k;
	size_t n = 0, i, j;

	/* The cluster's roles in a fixed order, then any other by name. */
	for (r = roles; *r != NULL; r++)
		if ((v = json_object_get(by, *r)) != NULL) {
			cats[n] = *r;
			val[n++] = json_is_number(v) ? json_number_value(v) :
			    NAN;
		}
	json_object_foreach(by, k, v) {
		for (r = roles; *r != NULL && strcmp(*r, k) != 0; r++)
			continue;
		if (*r != NULL)
			continue;
		for (j = n; j > 0 && strcmp(cats[j - 1], k) > 0 &&
		    !is_role(cats[j - 1], roles); j--) {
			cats[j] = cats[j - 1];
			val[j] = val[j - 1];
		}
		cats[j] = k;
		val[j] = json_is_number(v) ? json_number_value(v) : NAN;
		n++;
	}
	fputs("<section id=\"costs\">\n<h2>Cost</h2>\n", fp);
	svg_bars(fp, &c, cats, n, groups, 1, val, NULL, x->costs == NULL ?
	    "No costs yet: costs.json is missing" :
	    "costs.json has no cost by role");
	a = json_object_get(x->costs, "assumptions");
	if (json_array_size(a) > 0) {
		fputs("<p>Assumptions:</p><ul id=\"assumptions\">", fp);
		json_array_foreach(a, i, v) {
			fputs("<li>", fp);
			html_esc(fp, json_string_value(v));
			fputs("</li>", fp);
		}
		fputs("</ul>\n", fp);
	}
	fputs("</section>\n", fp);
	free(val);
	free(cats);
}

