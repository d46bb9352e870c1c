/*
 * Loading an experiment directory. metrics.ndjson is required; every other
 * file may be missing (the report says so), but a file that is present and
 * malformed is bad input.
 */
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "buf.h"
#include "expdir.h"
#include "ndjson.h"
#include "rfc3339.h"

json_t *
jpath(const json_t *v, const char *path)
{
	const char *dot;
	char key[128];
	size_t n;

	while (v != NULL && *path != '\0') {
		if (!json_is_object(v))
			return NULL;
		dot = strchr(path, '.');
		n = dot ? (size_t)(dot - path) : strlen(path);
		if (n >= sizeof(key))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		v = json_object_get(v, key);
		path += n + (dot != NULL);
	}
	return (json_t *)v;
}

double
jnum(const json_t *v, const char *path)
{
	json_t *n = jpath(v, path);

	return json_is_number(n) ? json_number_value(n) : NAN;
}

const char *
jstr(const json_t *v, const char *path)
{
	return json_string_value(jpath(v, path));
}

const char *
rec_name(const json_t *rec, size_t i, char *buf, size_t len)
{
	const char *s;

	if ((s = jstr(rec, "run_name")) != NULL ||
	    (s = jstr(rec, "workload")) != NULL)
		return s;
	snprintf(buf, len, "run %zu", i + 1);
	return buf;
}

json_t *
run_line(const struct expdir *x, const char *name)
{
	return name != NULL ? json_object_get(x->run_by_name, name) : NULL;
}

json_t *
rec_find(const struct expdir *x, const char *name)
{
	json_t *i = json_object_get(x->rec_by_name, name);

	return i != NULL ? json_array_get(x->records,
	    (size_t)json_integer_value(i)) : NULL;
}

int
rec_replayed(const struct expdir *x, const json_t *rec)
{
	json_t *flags;
	size_t i;
	json_t *f;

	if (json_is_true(json_object_get(rec, "replayed")))
		return 1;
	flags = json_object_get(rec, "flags");
	json_array_foreach(flags, i, f)
		if (json_is_string(f) &&
		    strcmp(json_string_value(f), "replayed") == 0)
			return 1;
	return json_is_true(json_object_get(run_line(x,
	    jstr(rec, "run_name")), "replayed"));
}

/* A cost figure: a number, or an object holding one. */
static double
cost_value(const json_t *v)
{
	static const char *const keys[] = { "total_usd", "cost_usd", "usd",
	    "total", NULL };
	const char *const *k;

	if (json_is_number(v))
		return json_number_value(v);
	for (k = keys; json_is_object(v) && *k != NULL; k++)
		if (json_is_number(json_object_get(v, *k)))
			return json_number_value(json_object_get(v, *k));
	return NAN;
}

double
cost_total_usd(const json_t *costs)
{
	return cost_value(json_object_get(costs, "total_usd"));
}

double
cost_per_million_usd(const json_t *costs)
{
	return cost_value(json_object_get(costs,
	    "cost_per_million_messages_usd"));
}

/*
 * The experiment's total cost per million of its runs' messages; unknown
 * when a run is a stand-in, whose messages (a recording's, a model's) were
 * not published during the time the total paid for.
 */
double
experiment_cost_per_million(const struct expdir *x)
{
	return x->any_replayed ? NAN : cost_per_million_usd(x->costs);
}

/* A field of the run's entry in plc-cost's "runs" (plc-cost(1)). */
double
cost_run(const struct expdir *x, const char *run, const char *field)
{
	return run != NULL ? jnum(json_object_get(x->cost_by_name, run),
	    field) : NAN;
}

double
run_cost_usd_per_hour(const struct expdir *x, const json_t *rec)
{
	json_t *e = json_object_get(x->cost_by_name, jstr(rec, "run_name") ?
	    jstr(rec, "run_name") : "");
	double usd = jnum(e, "cost_usd"), s = jnum(e, "duration_s");
	double usd_h = jnum(e, "usd_per_hour");

	/* plc-cost's rate holds for a 0 s window; older files lack it. */
	if (usd_h >= 0)
		return usd_h;
	return s > 0 && usd >= 0 ? usd / s * 3600 : NAN;
}

double
run_cost_per_million(const struct expdir *x, const json_t *rec)
{
	double rate = jnum(rec, "publish_rate_msgs_per_s.mean");
	double usd_h = run_cost_usd_per_hour(x, rec);

	if (json_is_true(json_object_get(rec, "failed")) || !(rate > 0))
		return NAN;
	return usd_h / 3600 / rate * 1e6;
}

double
rec_off_target_pct(const json_t *rec)
{
	double t = jnum(rec, "target_rate_msgs_per_s");
	double a = jnum(rec, "publish_rate_msgs_per_s.mean"), pct;

	if (json_is_true(json_object_get(rec, "failed")) || !(t > 0) ||
	    isnan(a))
		return NAN;
	pct = (a / t - 1) * 100;
	return fabs(pct) > OFF_TARGET_PCT ? pct : NAN;
}

void
format_time(time_t t, char *buf, size_t len)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M:%S UTC", &tm);
}

static char *
join(const char *dir, const char *name)
{
	struct buf b = { 0 };

	buf_addf(&b, "%s/%s", dir, name);
	return buf_detach(&b);
}

/* A file beyond EXPDIR_MAX_FILE_BYTES is refused before it is read. */
static int
too_big(FILE *fp, const char *p, int *rc)
{
	struct stat st;

	if (fstat(fileno(fp), &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_size > EXPDIR_MAX_FILE_BYTES) {
		warnx("%s: %lld bytes, more than plc-report reads (%ld)", p,
		    (long long)st.st_size, EXPDIR_MAX_FILE_BYTES);
		*rc = EXIT_INPUT;
		return 1;
	}
	return 0;
}

/* NULL and 0 when absent; NULL and an exit status when bad. */
json_t *
expdir_load_json(const char *dir, const char *name, int *rc)
{
	json_error_t e;
	json_t *v;
	char *p = join(dir, name);
	FILE *fp;

	*rc = 0;
	if ((fp = fopen(p, "r")) == NULL) {
		if (errno != ENOENT) {
			warn("%s", p);
			*rc = EXIT_RUNTIME;
		}
		free(p);
		return NULL;
	}
	if (too_big(fp, p, rc))
		v = NULL;
	else if ((v = json_loadf(fp, 0, &e)) == NULL) {
		warnx("%s:%d:%d: %s", p, e.line, e.column, e.text);
		*rc = EXIT_INPUT;
	} else if (!json_is_object(v)) {
		warnx("%s: expected an object", p);
		json_decref(v);
		v = NULL;
		*rc = EXIT_INPUT;
	}
	fclose(fp);
	free(p);
	return v;
}

/* NDJSON of objects into an array; missing is an error when required. */
static json_t *
load_ndjson(const char *dir, const char *name, int required, int *rc)
{
	struct ndjson r;
	json_t *a, *v;
	char *p = join(dir, name), err[PATH_MAX + 128];
	int got;

	*rc = 0;
	if (ndjson_open(&r, p) != 0) {
		if (required || errno != ENOENT) {
			warn("%s", p);
			*rc = errno == ENOENT ? EXIT_INPUT : EXIT_RUNTIME;
		}
		free(p);
		return NULL;
	}
	if (too_big(r.fp, p, rc)) {
		ndjson_close(&r);
		free(p);
		return NULL;
	}
	a = json_array();
	while ((got = ndjson_next(&r, &v, err, sizeof(err))) == NDJSON_VALUE) {
		if (json_array_size(a) == EXPDIR_MAX_RECORDS) {
			snprintf(err, sizeof(err), "%s:%zu: more than %d "
			    "records, more than plc-report reads", p, r.lineno,
			    EXPDIR_MAX_RECORDS);
			json_decref(v);
			got = NDJSON_BAD;
			break;
		}
		if (!json_is_object(v)) {
			snprintf(err, sizeof(err), "%s:%zu: expected an object",
			    p, r.lineno);
			json_decref(v);
			got = NDJSON_BAD;
			break;
		}
		json_array_append_new(a, v);
	}
	ndjson_close(&r);
	free(p);
	if (got != NDJSON_END) {
		warnx("%s", err);
		*rc = got == NDJSON_BAD ? EXIT_INPUT : EXIT_RUNTIME;
		json_decref(a);
		return NULL;
	}
	return a;
}

static int
phase_cmp(const void *a, const void *b)
{
	const struct phase *p = a, *q = b;

	return (p->start > q->start) - (p->start < q->start);
}

/*
 * timeline.json: {"phases": [...]} or a bare array; each phase has a name,
 * start and end (RFC 3339 UTC; end null while the phase is under way) and
 * optionally the run it measured.
 */
static int
load_timeline(struct expdir *x)
{
	json_error_t e;
	json_t *doc = NULL, *a, *ph;
	char *p = join(x->path, "timeline.json");
	size_t i;
	int rc = 0;
	FILE *fp;

	if ((fp = fopen(p, "r")) == NULL) {
		if (errno != ENOENT) {
			warn("%s", p);
			rc = EXIT_RUNTIME;
		}
		goto out;
	}
	if (too_big(fp, p, &rc)) {
		fclose(fp);
		goto out;
	}
	doc = json_loadf(fp, 0, &e);
	fclose(fp);
	if (doc == NULL) {
		warnx("%s:%d:%d: %s", p, e.line, e.column, e.text);
		rc = EXIT_INPUT;
		goto out;
	}
	a = json_is_array(doc) ? doc : json_object_get(doc, "phases");
	if (!json_is_array(a)) {
		warnx("%s: expected an array of phases", p);
		rc = EXIT_INPUT;
		goto out;
	}
	if (json_array_size(a) > EXPDIR_MAX_PHASES) {
		warnx("%s: %zu phases, more than plc-report reads (%d)", p,
		    json_array_size(a), EXPDIR_MAX_PHASES);
		rc = EXIT_INPUT;
		goto out;
	}
	x->has_timeline = 1;
	x->phases = xcalloc(json_array_size(a) + 1, sizeof(*x->phases));
	json_array_foreach(a, i, ph) {
		struct phase *f = &x->phases[x->nphases];
		json_t *end = json_object_get(ph, "end");

		if (jstr(ph, "name") == NULL ||
		    rfc3339_parse(jstr(ph, "start"), &f->start) == -1 ||
		    (!json_is_null(end) && end != NULL &&
		    rfc3339_parse(jstr(ph, "end"), &f->end) == -1)) {
			warnx("%s: phase %zu: expected \"name\", \"start\" and "
			    "\"end\" as RFC 3339 UTC times", p, i);
			rc = EXIT_INPUT;
			goto out;
		}
		if (end == NULL || json_is_null(end))
			f->end = (time_t)-1;
		f->name = xstrdup(jstr(ph, "name"));
		f->run = jstr(ph, "run") ? xstrdup(jstr(ph, "run")) : NULL;
		x->nphases++;
	}
	qsort(x->phases, x->nphases, sizeof(*x->phases), phase_cmp);
out:
	json_decref(doc);
	free(p);
	return rc;
}

/* Sets key in map to v unless an earlier entry holds it: the first wins. */
static void
index_first(json_t *map, const char *key, json_t *v)
{
	if (key != NULL && json_object_get(map, key) == NULL)
		json_object_set(map, key, v);
	json_decref(v);
}

static void
build_indexes(struct expdir *x)
{
	json_t *r, *group;
	const char *n;
	char nb[32];
	size_t i;

	x->run_by_name = json_object();
	x->cost_by_name = json_object();
	x->rec_by_name = json_object();
	x->recs_by_run = json_object();
	/* As a scan in file order would: a name before a later id. */
	json_array_foreach(x->runs, i, r) {
		index_first(x->run_by_name, jstr(r, "name"), json_incref(r));
		index_first(x->run_by_name, jstr(r, "id"), json_incref(r));
	}
	json_array_foreach(json_object_get(x->costs, "runs"), i, r)
		index_first(x->cost_by_name, jstr(r, "name"), json_incref(r));
	json_array_foreach(x->records, i, r) {
		index_first(x->rec_by_name, rec_name(r, i, nb, sizeof(nb)),
		    json_integer((json_int_t)i));
		if ((n = jstr(r, "run_name")) == NULL)
			continue;
		if ((group = json_object_get(x->recs_by_run, n)) == NULL) {
			group = json_array();
			json_object_set_new(x->recs_by_run, n, group);
		}
		json_array_append_new(group, json_integer((json_int_t)i));
	}
}

static int
load(struct expdir *x, const char *dir)
{
	json_t *rec;
	const char *id;
	char *tmp;
	size_t i;
	int rc;

	if ((x->records = load_ndjson(dir, "metrics.ndjson", 1, &rc)) == NULL)
		return rc;
	if ((x->tfvars = expdir_load_json(dir, "tfvars.json", &rc)) == NULL && rc)
		return rc;
	if ((x->plan = expdir_load_json(dir, "plan.json", &rc)) == NULL && rc)
		return rc;
	if ((x->costs = expdir_load_json(dir, "costs.json", &rc)) == NULL && rc)
		return rc;
	if ((x->experiment = expdir_load_json(dir, "experiment.json", &rc)) == NULL &&
	    rc)
		return rc;
	if ((x->runs = load_ndjson(dir, "runs.ndjson", 0, &rc)) == NULL && rc)
		return rc;
	if ((x->cluster = load_ndjson(dir, "cluster.ndjson", 0, &rc)) == NULL &&
	    rc)
		return rc;
	if ((rc = load_timeline(x)) != 0)
		return rc;

	if ((id = jstr(x->tfvars, "experiment_id")) == NULL &&
	    (id = jstr(x->plan, "experiment_id")) == NULL &&
	    (id = jstr(json_array_get(x->records, 0), "experiment_id")) == NULL)
		id = NULL;
	if (id != NULL)
		x->id = xstrdup(id);
	else {
		tmp = xstrdup(dir);
		x->id = xstrdup(basename(tmp));
		free(tmp);
	}
	build_indexes(x);
	json_array_foreach(x->records, i, rec) {
		if (rec_replayed(x, rec))
			x->any_replayed = 1;
		if (jstr(rec, "stand_in") != NULL &&
		    strcmp(jstr(rec, "stand_in"), "replay") == 0)
			x->any_recording = 1;
	}
	return 0;
}

int
expdir_load(struct expdir *x, const char *dir)
{
	int rc;

	memset(x, 0, sizeof(*x));
	x->path = xstrdup(dir);
	if ((rc = load(x, dir)) != 0)
		expdir_free(x);
	return rc;
}

void
expdir_free(struct expdir *x)
{
	size_t i;

	for (i = 0; i < x->nphases; i++) {
		free(x->phases[i].name);
		free(x->phases[i].run);
	}
	free(x->phases);
	json_decref(x->records);
	json_decref(x->tfvars);
	json_decref(x->plan);
	json_decref(x->runs);
	json_decref(x->cluster);
	json_decref(x->costs);
	json_decref(x->experiment);
	json_decref(x->run_by_name);
	json_decref(x->cost_by_name);
	json_decref(x->rec_by_name);
	json_decref(x->recs_by_run);
	free(x->id);
	free(x->path);
}
