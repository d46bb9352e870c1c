/*
 * --estimate-plan: the experiment a plan will create, as resources, from
 * plc-tfvars' terraform.tfvars.json and its --runs lines, so the estimate
 * prices it before anything exists.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "cost.h"
#include "ndjson.h"

#define PLAN_ROOT_GB_DEFAULT	8	/* Amazon Linux 2023 AMIs' root */


static char *
fmt(const char *f, const char *a, int n, const char *b)
{
	struct buf s = { 0 };

	buf_addf(&s, f, a, n, b);
	return buf_detach(&s);
}

static int
read_runs(struct experiment *e, const char *path, time_t t0, time_t *end,
    char *err, size_t errlen)
{
	struct ndjson r;
	json_t *v;
	int rc = 0;

	if (ndjson_open(&r, path) != 0)
		return errmsg(err, errlen, "\"%s\": cannot open", path);
	*end = t0;
	while (rc == 0 && (rc = ndjson_next(&r, &v, err, errlen)) ==
	    NDJSON_VALUE) {
		json_t *d, *name;
		struct run_window *w;

		rc = 0;
		if ((name = json_object_get(v, "id")) == NULL)
			name = json_object_get(v, "name");
		d = json_object_get(v, "expected_duration_s");
		if (!json_is_string(name))
			rc = errmsg(err, errlen, "%s:%zu: id: expected a string",
			    path, r.lineno);
		else if (!json_is_integer(d) || json_integer_value(d) < 1 ||
		    json_integer_value(d) > 30 * 86400)
			rc = errmsg(err, errlen, "%s:%zu: expected_duration_s: "
			    "expected whole seconds from 1 to 2592000", path,
			    r.lineno);
		else {
			w = experiment_add_run(e);
			w->name = xstrdup(json_string_value(name));
			w->start = *end;
			w->end = *end + (time_t)json_integer_value(d);
			*end = w->end;
		}
		json_decref(v);
	}
	ndjson_close(&r);
	if (rc == 0 && e->nruns == 0)
		rc = errmsg(err, errlen, "%s: no runs", path);
	return rc < 0 ? -1 : 0;
}

static void
add_volume(struct experiment *e, const char *role, int n, const char *what,
    const char *type, double gb, double iops, double tp, time_t a, time_t b)
{
	struct resource *v = experiment_add(e, RES_VOLUME);

	v->id = fmt("plan-%s-%d-%s", role, n, what);
	v->instance_id = fmt("plan-%s-%d%s", role, n, "");
	v->role = xstrdup(role);
	v->type = xstrdup(type);
	v->az = xstrdup("");
	v->size_gb = gb;
	v->iops = iops;
	v->throughput_mb_per_s = tp;
	v->start = a;
	v->end = b;
}

static int
read_storage(json_t *st, const char *which, const char **type, double *gb,
    double *iops, double *tp)
{
	json_t *v = json_object_get(st, which);

	*type = json_string_value(json_object_get(v, "type"));
	*gb = json_number_value(json_object_get(v, "size_gb"));
	*iops = json_number_value(json_object_get(v, "iops"));
	*tp = json_number_value(json_object_get(v, "throughput"));
	return *type == NULL || *gb <= 0 ? -1 : 0;
}

/*
 * The monitor node (terraform/variables.tf monitoring): an instance with
 * its root volume, unless the plan turns it off. Absent, Terraform's
 * defaults hold: on, t3.small (t4g.small on arm64).
 */
static int
plan_monitor(struct experiment *e, json_t *m, int arm64, time_t t0,
    time_t end, int *defaulted_root, char *err, size_t errlen,
    const char *tfvars)
{
	json_t *type = json_object_get(m, "instance_type");
	json_t *root = json_object_get(m, "root_volume_gb");
	struct resource *in;

	if (json_is_false(json_object_get(m, "enabled")))
		return 0;
	if (type != NULL && !json_is_string(type) && !json_is_null(type))
		return errmsg(err, errlen, "%s: monitoring.instance_type: "
		    "expected a string", tfvars);
	in = experiment_add(e, RES_INSTANCE);
	in->id = fmt("plan-%s-%d%s", "monitor", 1, "");
	in->role = xstrdup("monitor");
	in->type = xstrdup(json_is_string(type) ? json_string_value(type) :
	    arm64 ? "t4g.small" : "t3.small");
	in->az = xstrdup("");
	in->spot = 0;
	in->start = t0;
	in->end = end;
	if (!json_is_number(root) || json_number_value(root) <= 0)
		*defaulted_root = 1;
	add_volume(e, "monitor", 1, "root", "gp3", json_is_number(root) &&
	    json_number_value(root) > 0 ? json_number_value(root) :
	    PLAN_ROOT_GB_DEFAULT, 3000, 125, t0, end);
	return 0;
}

int
plan_read(struct experiment *e, const char *tfvars, const char *runs,
    long overhead_s, char *err, size_t errlen)
{
	static const char *roles[] = { "zookeeper", "bookkeeper", "broker",
	    "client", NULL };
	json_error_t jerr;
	json_t *tv, *st;
	time_t t0, end = 0;
	int rc = -1, defaulted_root = 0;
	struct buf s = { 0 };

	if ((tv = json_load_file(tfvars, 0, &jerr)) == NULL) {
		if (jerr.line < 0) {	/* not read at all: no place in it */
			errmsg(err, errlen, "\"%s\": %s", tfvars, jerr.text);
			return -2;
		}
		return errmsg(err, errlen, "%s:%d:%d: %s", tfvars, jerr.line,
		    jerr.column, jerr.text);
	}
	if (!json_is_string(json_object_get(tv, "region"))) {
		errmsg(err, errlen, "%s: region: expected a string", tfvars);
		goto out;
	}
	e->region = xstrdup(json_string_value(json_object_get(tv, "region")));
	if (json_is_string(json_object_get(tv, "experiment_id")))
		e->experiment_id = xstrdup(json_string_value(
		    json_object_get(tv, "experiment_id")));
	if (e->as_of == 0)
		e->as_of = time(NULL);
	t0 = e->as_of;
	if (read_runs(e, runs, t0 + overhead_s, &end, err, errlen) != 0)
		goto out;
	e->as_of = end;
	st = json_object_get(tv, "bookkeeper_storage");

	for (int i = 0; roles[i] != NULL; i++) {
		json_t *r = json_object_get(tv, roles[i]);
		json_t *count = json_object_get(r, "count");
		json_t *type = json_object_get(r, "instance_type");
		json_t *root = json_object_get(r, "root_volume_gb");
		double root_gb = PLAN_ROOT_GB_DEFAULT;

		if (!json_is_integer(count) || json_integer_value(count) < 0 ||
		    json_integer_value(count) > 1000) {
			errmsg(err, errlen, "%s: %s.count: expected a count",
			    tfvars, roles[i]);
			goto out;
		}
		if (!json_is_string(type)) {
			errmsg(err, errlen, "%s: %s.instance_type: expected a "
			    "string", tfvars, roles[i]);
			goto out;
		}
		if (json_is_number(root) && json_number_value(root) > 0)
			root_gb = json_number_value(root);
		else
			defaulted_root = 1;
		for (int n = 1; n <= json_integer_value(count); n++) {
			struct resource *in = experiment_add(e, RES_INSTANCE);
			const char *vt;
			double gb, iops, tp;

			in->id = fmt("plan-%s-%d%s", roles[i], n, "");
			in->role = xstrdup(roles[i]);
			in->type = xstrdup(json_string_value(type));
			in->az = xstrdup("");
			in->spot = 0;
			in->start = t0;
			in->end = end;
			add_volume(e, roles[i], n, "root", "gp3", root_gb, 3000,
			    125, t0, end);
			if (strcmp(roles[i], "bookkeeper") != 0 ||
			    json_is_true(json_object_get(st,
			    "instance_store")))
				continue;
			if (read_storage(st, "journal", &vt, &gb, &iops,
			    &tp) == 0)
				add_volume(e, roles[i], n, "journal", vt, gb,
				    iops, tp, t0, end);
			if (read_storage(st, "ledger", &vt, &gb, &iops,
			    &tp) == 0)
				add_volume(e, roles[i], n, "ledger", vt, gb,
				    iops, tp, t0, end);
		}
	}
	if (plan_monitor(e, json_object_get(tv, "monitoring"),
	    json_is_string(json_object_get(tv, "architecture")) &&
	    strcmp(json_string_value(json_object_get(tv, "architecture")),
	    "arm64") == 0, t0, end, &defaulted_root, err, errlen,
	    tfvars) != 0)
		goto out;
	buf_addf(&s, "plan: every instance and volume lives %ld s before the "
	    "first run (boot, readiness, collection, destroy) plus the runs' "
	    "expected durations back to back", overhead_s);
	json_array_append_new(e->assumptions, json_string(s.data));
	if (defaulted_root) {
		buf_reset(&s);
		buf_addf(&s, "plan: root volumes without root_volume_gb are %d GB "
		    "gp3, as Amazon Linux 2023 AMIs", PLAN_ROOT_GB_DEFAULT);
		json_array_append_new(e->assumptions, json_string(s.data));
	}
	json_array_append_new(e->assumptions, json_string("plan: public IPv4 "
	    "addresses are not included (the variables do not say which "
	    "instances get one)"));
	if (json_is_true(json_object_get(tv, "spot_enabled")))
		json_array_append_new(e->assumptions, json_string("plan: spot "
		    "requested, priced at on-demand prices (an upper bound)"));
	rc = 0;
out:
	buf_free(&s);
	json_decref(tv);
	return rc;
}
