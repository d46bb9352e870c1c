/*
 * The capacity model's predicted ceiling (plc-model's model.json) against
 * the highest rate each stepped run (ramp_up, scale_to_failure,
 * slo_search) measured: a result far below the model is a question worth
 * asking, one far above it a model to correct.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "expdir.h"
#include "html.h"
#include "report.h"

struct ceiling {
	char		*run;		/* the run's id: its steps' name base */
	const char	*type;
	double		 predicted;	/* msg/s, NAN without a prediction */
	const char	*bounded_by;	/* the model's limiting resource */
	double		 measured;	/* msg/s, the highest step's mean rate */
	const char	*step;		/* that step's name */
	double		 ratio;		/* measured / predicted, or NAN */
};

static int
stepped_type(const char *t)
{
	return t != NULL && (strcmp(t, "ramp_up") == 0 ||
	    strcmp(t, "scale_to_failure") == 0 || strcmp(t, "slo_search") == 0);
}

/* The model's workload that lists run among its runs, or NULL. */
static const json_t *
model_workload(const json_t *model, const char *run)
{
	const json_t *w, *r;
	size_t i, j;

	json_array_foreach(json_object_get(model, "workloads"), i, w)
		json_array_foreach(json_object_get(w, "runs"), j, r)
			if (json_is_string(r) &&
			    strcmp(json_string_value(r), run) == 0)
				return w;
	return NULL;
}

/* Every stepped run, in the order of its first step; *n of them. */
static struct ceiling *
ceilings_load(const struct expdir *x, const json_t *model, size_t *n)
{
	size_t nrec = json_array_size(x->records), i, j;
	struct ceiling *c = xcalloc(nrec + 1, sizeof(*c));
	const json_t *rec, *w;
	const char *name;
	double rate;

	*n = 0;
	json_array_foreach(x->records, i, rec) {
		if (!stepped_type(jstr(rec, "run_type")) ||
		    (name = jstr(rec, "run_name")) == NULL)
			continue;
		for (j = 0; j < *n; j++)
			if (strlen(c[j].run) == step_base(name) &&
			    strncmp(c[j].run, name, step_base(name)) == 0 &&
			    strcmp(c[j].type, jstr(rec, "run_type")) == 0)
				break;
		if (j == *n) {
			c[j].run = xmalloc(step_base(name) + 1);
			memcpy(c[j].run, name, step_base(name));
			c[j].run[step_base(name)] = '\0';
			c[j].type = jstr(rec, "run_type");
			c[j].measured = NAN;
			c[j].predicted = NAN;
			if ((w = model_workload(model, c[j].run)) != NULL) {
				c[j].predicted = jnum(w, "ceiling_msgs_per_s");
				c[j].bounded_by = jstr(w, "bounded_by");
			}
			(*n)++;
		}
		rate = jnum(rec, "publish_rate_msgs_per_s.mean");
		if (json_is_true(json_object_get(rec, "failed")) || isnan(rate))
			continue;
		if (isnan(c[j].measured) || rate > c[j].measured) {
			c[j].measured = rate;
			c[j].step = name;
		}
	}
	for (j = 0; j < *n; j++)
		c[j].ratio = c[j].predicted > 0 ? c[j].measured /
		    c[j].predicted : NAN;
	return c;
}

static void
ceilings_free(struct ceiling *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(c[i].run);
	free(c);
}

static json_t *
model_load(const struct expdir *x)
{
	int rc;

	/* Unreadable: said on stderr by the loader; the page goes without. */
	return expdir_load_json(x->path, "model.json", &rc);
}

/* "39,673 msg/s predicted (ebs_instance_cap); measured 35,125 msg/s, 89%" */
static void
ceiling_words(struct buf *b, const struct ceiling *c, int have_model)
{
	char p[64], m[64];

	fmt_human(m, sizeof(m), c->measured);
	if (isnan(c->predicted)) {
		buf_addf(b, "no predicted ceiling (%s); measured maximum %s "
		    "msg/s", have_model ? "model.json has no workload of this "
		    "run" : "model.json is missing", m);
		return;
	}
	fmt_human(p, sizeof(p), c->predicted);
	buf_addf(b, "predicted ceiling %s msg/s (plc-model, bounded by %s); "
	    "measured maximum %s msg/s", p, c->bounded_by ? c->bounded_by :
	    "unknown", m);
	if (!isnan(c->ratio))
		buf_addf(b, ", %.0f%% of the prediction", c->ratio * 100);
}

static json_t *
num(double d)
{
	return isnan(d) || isinf(d) ? json_null() : json_real(d);
}

json_t *
ceilings_doc(const struct expdir *x)
{
	json_t *model = model_load(x), *out = json_array(), *o;
	struct ceiling *c;
	size_t n, i;

	c = ceilings_load(x, model, &n);
	for (i = 0; i < n; i++) {
		o = json_object();
		json_object_set_new(o, "run", json_string(c[i].run));
		json_object_set_new(o, "run_type", json_string(c[i].type));
		json_object_set_new(o, "predicted_ceiling_msgs_per_s",
		    num(c[i].predicted));
		json_object_set_new(o, "bounded_by", c[i].bounded_by ?
		    json_string(c[i].bounded_by) : json_null());
		json_object_set_new(o, "measured_max_msgs_per_s",
		    num(c[i].measured));
		json_object_set_new(o, "measured_max_step", c[i].step ?
		    json_string(c[i].step) : json_null());
		json_object_set_new(o, "measured_to_predicted",
		    num(c[i].ratio));
		json_array_append_new(out, o);
	}
	ceilings_free(c, n);
	json_decref(model);
	return out;
}

void
ceiling_line(FILE *fp, const struct expdir *x, const char *run)
{
	json_t *model = model_load(x);
	struct buf b = { 0 };
	struct ceiling *c;
	size_t n, i;

	c = ceilings_load(x, model, &n);
	for (i = 0; i < n; i++) {
		if (strcmp(c[i].run, run) != 0)
			continue;
		ceiling_words(&b, &c[i], model != NULL);
		fputs("<p class=\"ceiling\" data-run=\"", fp);
		html_esc(fp, run);
		fputs("\">Capacity model: ", fp);
		html_esc(fp, b.data);
		fputs(".</p>\n", fp);
		break;
	}
	buf_free(&b);
	ceilings_free(c, n);
	json_decref(model);
}

void
ceiling_cards(FILE *fp, const struct expdir *x)
{
	json_t *model = model_load(x);
	struct buf k = { 0 }, v = { 0 }, note = { 0 };
	char p[64], m[64];
	struct ceiling *c;
	size_t n, i;

	c = ceilings_load(x, model, &n);
	for (i = 0; i < n; i++) {
		if (isnan(c[i].predicted))
			continue;
		buf_reset(&k);
		buf_reset(&v);
		buf_reset(&note);
		fmt_human(p, sizeof(p), c[i].predicted);
		fmt_human(m, sizeof(m), c[i].measured);
		buf_addf(&k, "ceiling:%s", c[i].run);
		if (isnan(c[i].ratio))
			buf_addf(&v, "%s / %s msg/s", m, p);
		else
			buf_addf(&v, "%s / %s msg/s (%.0f%%)", m, p,
			    c[i].ratio * 100);
		buf_addf(&note, "%s (%s): highest step measured / ceiling the "
		    "model predicts (bounded by %s)", c[i].run, c[i].type,
		    c[i].bounded_by ? c[i].bounded_by : "unknown");
		card(fp, k.data, "Measured against predicted ceiling", v.data,
		    note.data);
	}
	buf_free(&k);
	buf_free(&v);
	buf_free(&note);
	ceilings_free(c, n);
	json_decref(model);
}
