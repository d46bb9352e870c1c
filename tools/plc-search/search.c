/*
 * The stop and search rules of stepped runs, as plc-search(1) states them.
 * A decision depends only on the run and its steps' records, so a search
 * interrupted after any step resumes by deciding again from what ran.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "jsonout.h"
#include "search.h"
#include "slo.h"

#define SEARCH_SCHEMA		"plc-search/1"
#define CAPACITY_SCHEMA		"plc-capacity/1"
#define GROWTH_DEFAULT		2.0

/* The SLO bounds (slo.h), in the order a verdict names them. */
static const struct bound {
	const char	*key;		/* in the plan's slo: */
	const char	*figure;	/* the step's figure it bounds */
	int		 is_min;	/* a floor rather than a ceiling */
	const char	*unit;
} bounds[] = {
#define BOUND(key, figure, is_min, unit, lo, hi) { key, figure, is_min, unit },
	SLO_BOUNDS(BOUND)
#undef BOUND
};

#define NBOUNDS	(sizeof(bounds) / sizeof(bounds[0]))

/* What a step measured, from its plc-omb-parse record. */
struct step {
	long long	 target;
	double		 achieved;
	double		 p99, e2e_p99, err_pct, achieved_pct;
	int		 has_p99, has_e2e;
	int		 failed;
	const char	*failure_reason;
};

static void
fmt(char buf[JSONOUT_DOUBLE_MAX], double d)
{
	jsonout_fmt_double(buf, d);
}

static int
num_at(const json_t *o, const char *k1, const char *k2, double *v)
{
	const json_t *n = json_object_get(o, k1);

	if (k2 != NULL)
		n = json_object_get(n, k2);
	if (!json_is_number(n))
		return 0;
	*v = json_number_value(n);
	return 1;
}

static void
set_num(json_t *o, const char *k, double v)
{
	json_object_set_new(o, k, v == floor(v) && fabs(v) < 1e15 ?
	    json_integer((json_int_t)v) : json_real(v));
}

static enum search_err
step_read(const json_t *rec, size_t k, long long target, struct step *s,
    char *err, size_t errlen)
{
	double v;

	memset(s, 0, sizeof(*s));
	s->target = target;
	if (!json_is_object(rec)) {
		snprintf(err, errlen, "step %zu: expected a metrics record "
		    "(an object)", k);
		return SEARCH_BAD_STEP;
	}
	/*
	 * A replayed step ran its recording's rate; the rate the plan asked
	 * is its planned_target_rate_msgs_per_s (plc-omb-parse(1)).
	 */
	if ((num_at(rec, "planned_target_rate_msgs_per_s", NULL, &v) ||
	    num_at(rec, "target_rate_msgs_per_s", NULL, &v)) &&
	    llround(v) != target) {
		char a[JSONOUT_DOUBLE_MAX];

		fmt(a, v);
		snprintf(err, errlen, "step %zu: the record's target is %s "
		    "msg/s, the run's step %zu is %lld msg/s", k, a, k, target);
		return SEARCH_BAD_STEP;
	}
	s->failed = json_is_true(json_object_get(rec, "failed"));
	s->failure_reason = json_string_value(json_object_get(rec,
	    "failure_reason"));
	if (!num_at(rec, "publish_rate_msgs_per_s", "mean", &s->achieved))
		s->achieved = 0;
	s->has_p99 = num_at(rec, "publish_latency_ms", "p99", &s->p99);
	s->has_e2e = num_at(rec, "end_to_end_latency_ms", "p99", &s->e2e_p99);
	if (s->achieved > 0 && num_at(rec, "publish_error_rate_errs_per_s",
	    "mean", &v))
		s->err_pct = v * 100 / s->achieved;
	s->achieved_pct = target > 0 ? s->achieved * 100 / (double)target : 0;
	return SEARCH_OK;
}

static double
step_figure(const struct step *s, const char *figure, int *known)
{
	*known = 1;
	if (strcmp(figure, "publish_p99_ms") == 0) {
		*known = s->has_p99;
		return s->p99;
	}
	if (strcmp(figure, "end_to_end_p99_ms") == 0) {
		*known = s->has_e2e;
		return s->e2e_p99;
	}
	if (strcmp(figure, "error_rate_percent") == 0)
		return s->err_pct;
	if (strcmp(figure, "achieved_percent") == 0)
		return s->achieved_pct;
	/* A bound of slo.h whose figure this does not know holds nothing. */
	*known = 0;
	return NAN;
}

/* The step's line in the decision, with what it measured. */
static json_t *
step_json(size_t k, const struct step *s)
{
	json_t *o = json_object();

	json_object_set_new(o, "step", json_integer((json_int_t)k));
	json_object_set_new(o, "target_rate_msgs_per_s",
	    json_integer(s->target));
	json_object_set_new(o, "failed", json_boolean(s->failed));
	set_num(o, "achieved_rate_msgs_per_s", s->achieved);
	json_object_set_new(o, "publish_p99_ms", s->has_p99 ?
	    json_real(s->p99) : json_null());
	json_object_set_new(o, "end_to_end_p99_ms", s->has_e2e ?
	    json_real(s->e2e_p99) : json_null());
	set_num(o, "error_rate_percent", s->err_pct);
	set_num(o, "achieved_percent", s->achieved_pct);
	return o;
}

/*
 * The SLO verdict of one step: the bounds it broke (in bounds[] order) go
 * to violations; returns the first one's key, or NULL when it passed.
 */
static const char *
slo_judge(const json_t *slo, const struct step *s, json_t *violations,
    struct buf *verdict)
{
	const char *first = NULL;
	char a[JSONOUT_DOUBLE_MAX], b[JSONOUT_DOUBLE_MAX];
	size_t i;

	if (s->failed) {
		json_t *v = json_object();

		json_object_set_new(v, "bound", json_string("step_failed"));
		json_object_set_new(v, "reason", json_string(
		    s->failure_reason ? s->failure_reason : "no result"));
		json_array_append_new(violations, v);
		buf_addf(verdict, "the step failed (%s)",
		    s->failure_reason ? s->failure_reason : "no result");
		return "step_failed";
	}
	for (i = 0; i < NBOUNDS; i++) {
		const json_t *lim = json_object_get(slo, bounds[i].key);
		double limit, value;
		int known, broken;
		json_t *v;

		if (!json_is_number(lim))
			continue;
		limit = json_number_value(lim);
		value = step_figure(s, bounds[i].figure, &known);
		/* A latency OMB did not report cannot prove the bound held. */
		broken = !known || (bounds[i].is_min ? value < limit :
		    value > limit);
		if (!broken)
			continue;
		v = json_object();
		json_object_set_new(v, "bound", json_string(bounds[i].key));
		set_num(v, "limit", limit);
		json_object_set_new(v, "value", known ? json_real(value) :
		    json_null());
		json_array_append_new(violations, v);
		fmt(b, limit);
		if (verdict->len > 0)
			buf_adds(verdict, ", ");
		if (known) {
			/* The message reads to the µs or 0.001 %; the JSON keeps all. */
			fmt(a, round(value * 1000) / 1000);
			buf_addf(verdict, "%s %s%s %s %s%s", bounds[i].key, a,
			    bounds[i].unit, bounds[i].is_min ? "<" : ">", b,
			    bounds[i].unit);
		} else
			buf_addf(verdict, "%s not measured", bounds[i].key);
		if (first == NULL)
			first = bounds[i].key;
	}
	return first;
}

/*
 * Step k's line with its SLO verdict (pass, violations, verdict), appended
 * to steps; returns the first bound it broke, or NULL.
 */
static const char *
judged_step(json_t *steps, const json_t *slo, size_t k, const struct step *s)
{
	json_t *sj = step_json(k, s), *viol = json_array();
	struct buf verdict = { 0 };
	const char *broke = slo_judge(slo, s, viol, &verdict);

	json_object_set_new(sj, "pass", json_boolean(broke == NULL));
	json_object_set_new(sj, "violations", viol);
	json_object_set_new(sj, "verdict", json_string(broke == NULL ?
	    "within the SLO" : verdict.data));
	json_array_append_new(steps, sj);
	buf_free(&verdict);
	return broke;
}

/* The line lab-run runs as step k: the run as a run of its own. */
static json_t *
next_json(const json_t *run, size_t k, long long rate, json_int_t duration_s,
    json_t *workload)
{
	const char *name = json_string_value(json_object_get(run, "name"));
	json_t *line = json_deep_copy(run), *n = json_object();
	struct buf b = { 0 };

	buf_addf(&b, "%s-step-%zu", name ? name : "run", k);
	json_object_set_new(line, "name", json_string(b.data));
	json_object_set_new(line, "workload", workload);
	json_object_set_new(line, "expected_duration_s",
	    json_integer(duration_s));
	json_object_set_new(line, "target_rate_msgs_per_s",
	    json_integer(rate));
	json_object_set_new(line, "step", json_integer((json_int_t)k));
	json_object_del(line, "steps");
	json_object_del(line, "stop");
	json_object_del(line, "search");
	json_object_set_new(n, "step", json_integer((json_int_t)k));
	json_object_set_new(n, "target_rate_msgs_per_s", json_integer(rate));
	json_object_set_new(n, "run_line", line);
	buf_free(&b);
	return n;
}

static json_t *
decision_new(const json_t *run)
{
	json_t *d = json_object();

	json_object_set_new(d, "schema", json_string(SEARCH_SCHEMA));
	json_object_set(d, "experiment_id", json_object_get(run,
	    "experiment_id"));
	json_object_set(d, "run", json_object_get(run, "id"));
	json_object_set(d, "run_name", json_object_get(run, "name"));
	json_object_set(d, "type", json_object_get(run, "type"));
	return d;
}

static void
decision_end(json_t *d, json_t *steps, json_t *next, const char *stop)
{
	json_object_set_new(d, "steps", steps);
	json_object_set_new(d, "next", next != NULL ? next : json_null());
	json_object_set_new(d, "stop_reason", stop != NULL ?
	    json_string(stop) : json_null());
}

/* ramp_up (plateau) and scale_to_failure (failure): listed steps. */
static enum search_err
decide_listed(const json_t *run, json_t *const *recs, size_t n, json_t **out,
    char *err, size_t errlen)
{
	const json_t *listed = json_object_get(run, "steps");
	const json_t *rule = json_object_get(run, "stop");
	const char *kind = json_string_value(json_object_get(rule, "rule"));
	double dev = 10, max_p99 = 0, max_err = 0;
	long long consecutive = 2, below = 0;
	int has_p99 = 0, has_err = 0;
	char a[JSONOUT_DOUBLE_MAX], b[JSONOUT_DOUBLE_MAX];
	struct buf why = { 0 };
	json_t *d, *steps = json_array(), *next = NULL;
	size_t k;

	if (!json_is_array(listed) || json_array_size(listed) == 0 ||
	    kind == NULL || (strcmp(kind, "plateau") != 0 &&
	    strcmp(kind, "failure") != 0)) {
		json_decref(steps);
		snprintf(err, errlen, "expected a stepped run with steps and "
		    "a stop rule (plateau or failure)");
		return SEARCH_BAD_RUN;
	}
	if (n > json_array_size(listed)) {
		json_decref(steps);
		snprintf(err, errlen, "%zu step records for a run of %zu "
		    "steps", n, json_array_size(listed));
		return SEARCH_BAD_STEP;
	}
	num_at(rule, "allowed_deviation_percent", NULL, &dev);
	if (json_is_integer(json_object_get(rule, "consecutive_steps")))
		consecutive = json_integer_value(json_object_get(rule,
		    "consecutive_steps"));
	has_p99 = num_at(rule, "max_p99_publish_latency_ms", NULL, &max_p99);
	has_err = num_at(rule, "max_error_rate_percent", NULL, &max_err);

	for (k = 1; k <= n && why.len == 0; k++) {
		const json_t *st = json_array_get(listed, k - 1);
		double t;
		struct step s;
		enum search_err e;

		if (!num_at(st, "producer_rate_msgs_per_s", NULL, &t)) {
			json_decref(steps);
			snprintf(err, errlen, "step %zu of the run has no "
			    "producer_rate_msgs_per_s", k);
			return SEARCH_BAD_RUN;
		}
		if ((e = step_read(recs[k - 1], k, llround(t), &s, err,
		    errlen)) != SEARCH_OK) {
			json_decref(steps);
			return e;
		}
		json_array_append_new(steps, step_json(k, &s));
		if (s.failed) {
			buf_addf(&why, "step %zu failed", k);
			break;
		}
		if (strcmp(kind, "plateau") == 0) {
			below = s.achieved < t * (1 - dev / 100) ? below + 1 :
			    0;
			if (below >= consecutive) {
				fmt(a, dev);
				buf_addf(&why, "plateau: achieved below target "
				    "by more than %s%% for %lld steps in a row",
				    a, consecutive);
			}
		} else if (has_p99 && s.has_p99 && s.p99 > max_p99) {
			fmt(a, s.p99);
			fmt(b, max_p99);
			buf_addf(&why, "failure: p99 publish latency %s ms "
			    "above %s ms", a, b);
		} else if (has_err && s.err_pct > max_err) {
			fmt(a, s.err_pct);
			fmt(b, max_err);
			buf_addf(&why, "failure: error rate %s%% above %s%%", a,
			    b);
		}
	}
	if (why.len == 0 && n == json_array_size(listed))
		buf_adds(&why, "last step");
	if (why.len == 0) {
		const json_t *st = json_array_get(listed, n);
		double t = 0;

		num_at(st, "producer_rate_msgs_per_s", NULL, &t);
		next = next_json(run, n + 1, llround(t),
		    json_integer_value(json_object_get(st,
		    "expected_duration_s")),
		    json_deep_copy(json_object_get(st, "workload")));
	}
	d = decision_new(run);
	decision_end(d, steps, next, why.len ? why.data : NULL);
	buf_free(&why);
	*out = d;
	return SEARCH_OK;
}

/* The search's settings, from the run's search: object. */
struct search {
	long long	 min_rate, max_rate, max_steps;
	double		 precision, growth;
};

static enum search_err
search_read(const json_t *run, struct search *p, char *err, size_t errlen)
{
	const json_t *o = json_object_get(run, "search");
	const json_t *slo = json_object_get(run, "slo");
	double v;
	size_t i, nb = 0;

	for (i = 0; i < NBOUNDS; i++)
		nb += json_is_number(json_object_get(slo, bounds[i].key));
	if (!json_is_object(o) || nb == 0) {
		snprintf(err, errlen, "expected an slo_search run with search "
		    "and at least one slo bound");
		return SEARCH_BAD_RUN;
	}
	p->min_rate = num_at(o, "min_rate", NULL, &v) ? llround(v) : 0;
	p->max_rate = num_at(o, "max_rate", NULL, &v) ? llround(v) : 0;
	p->max_steps = num_at(o, "max_steps", NULL, &v) ? llround(v) : 0;
	p->precision = num_at(o, "precision_percent", NULL, &v) ? v : 0;
	p->growth = num_at(o, "growth_factor", NULL, &v) ? v : GROWTH_DEFAULT;
	if (p->min_rate < 1 || p->max_rate < p->min_rate ||
	    p->max_steps < 1 || p->precision <= 0 || p->growth <= 1) {
		snprintf(err, errlen, "expected search with 1 <= min_rate <= "
		    "max_rate, max_steps >= 1, precision_percent > 0 and "
		    "growth_factor > 1");
		return SEARCH_BAD_RUN;
	}
	return SEARCH_OK;
}

/*
 * slo_search: the first step runs min_rate; while every step passed, the
 * rate grows by growth_factor up to max_rate; once a step failed, the
 * bracket [highest pass, lowest failure] is cut at its geometric middle
 * until its width is at most precision_percent of the highest pass.
 * max_steps caps it all.
 */
static enum search_err
decide_slo(const json_t *run, json_t *const *recs, size_t n, json_t **out,
    char *err, size_t errlen)
{
	const json_t *slo = json_object_get(run, "slo");
	const json_t *base = json_object_get(run, "workload");
	long long lo = -1, hi = -1, rate, next_rate = -1;
	const char *bounded_by = NULL, *stop = NULL;
	struct search p;
	json_t *d, *steps = json_array(), *next = NULL;
	json_int_t warmup, test;
	double reached = -1;
	enum search_err e;
	size_t k;

	if ((e = search_read(run, &p, err, errlen)) != SEARCH_OK) {
		json_decref(steps);
		return e;
	}
	if (!json_is_object(base)) {
		json_decref(steps);
		snprintf(err, errlen, "expected the run's base workload");
		return SEARCH_BAD_RUN;
	}
	if ((long long)n > p.max_steps) {
		json_decref(steps);
		snprintf(err, errlen, "%zu step records for a search of at "
		    "most %lld steps", n, p.max_steps);
		return SEARCH_BAD_STEP;
	}
	rate = p.min_rate;
	for (k = 1; k <= n + 1; k++) {
		struct step s;
		const char *broke;

		/* The rate of step k follows from steps 1 .. k-1. */
		if (k > 1) {
			if (hi < 0) {
				if (lo >= p.max_rate) {
					stop = "max_rate sustained within the "
					    "SLO";
					break;
				}
				rate = (long long)fmin((double)p.max_rate,
				    ceil((double)lo * p.growth));
			} else if (lo < 0) {
				stop = "min_rate violates the SLO";
				break;
			} else {
				reached = (double)(hi - lo) * 100 / (double)lo;
				if (reached <= p.precision) {
					stop = "the bracket is within "
					    "precision_percent";
					break;
				}
				/*
				 * The geometric middle: the bracket's ratio
				 * hi/lo, not its width, is what precision
				 * bounds, and this halves it in log space
				 * (a 2x bracket reaches 5% in 4 steps, the
				 * arithmetic middle needs 5).
				 */
				rate = llround(sqrt((double)lo * (double)hi));
				if (rate <= lo || rate >= hi) {
					stop = "the bracket cannot narrow "
					    "further (1 msg/s)";
					break;
				}
			}
			if ((long long)k > p.max_steps) {
				stop = "max_steps reached";
				break;
			}
		}
		if (k == n + 1) {
			next_rate = rate;
			break;
		}
		if ((e = step_read(recs[k - 1], k, rate, &s, err,
		    errlen)) != SEARCH_OK) {
			json_decref(steps);
			return e;
		}
		broke = judged_step(steps, slo, k, &s);
		if (broke == NULL) {
			if (rate > lo)
				lo = rate;
		} else if (hi < 0 || rate < hi) {
			hi = rate;
			bounded_by = broke;
		}
	}
	if (next_rate >= 0) {
		json_t *w = json_deep_copy(base);
		struct buf name = { 0 };

		warmup = json_integer_value(json_object_get(w,
		    "warmupDurationMinutes"));
		test = json_integer_value(json_object_get(w,
		    "testDurationMinutes"));
		buf_addf(&name, "%s-step%zu", json_string_value(
		    json_object_get(run, "id")), k);
		json_object_set_new(w, "name", json_string(name.data));
		json_object_set_new(w, "producerRate",
		    json_integer(next_rate));
		next = next_json(run, k, next_rate, (warmup + test) * 60, w);
		buf_free(&name);
	}
	if (hi >= 0 && lo >= 0)
		reached = (double)(hi - lo) * 100 / (double)lo;
	d = decision_new(run);
	decision_end(d, steps, next, stop);
	json_object_set_new(d, "max_sustainable_rate_msgs_per_s", lo >= 0 ?
	    json_integer(lo) : json_null());
	json_object_set_new(d, "first_failing_rate_msgs_per_s", hi >= 0 ?
	    json_integer(hi) : json_null());
	json_object_set_new(d, "bounded_by", bounded_by != NULL ?
	    json_string(bounded_by) : json_null());
	json_object_set_new(d, "precision_percent_reached", reached >= 0 ?
	    json_real(reached) : json_null());
	json_object_set(d, "slo", (json_t *)slo);
	json_object_set(d, "search", json_object_get(run, "search"));
	*out = d;
	return SEARCH_OK;
}

/*
 * An SLO gate: a fixed-rate run held to the plan's SLO, judged like one
 * step of a search at its own target.
 */
static enum search_err
decide_gate(const json_t *run, json_t *const *recs, size_t n, json_t **out,
    char *err, size_t errlen)
{
	const json_t *slo = json_object_get(run, "slo");
	json_t *d, *steps = json_array();
	const char *broke;
	struct step s;
	double t;
	enum search_err e;

	if (!json_is_object(slo) || json_object_size(slo) == 0 ||
	    !num_at(json_object_get(run, "workload"), "producerRate", NULL,
	    &t) || t <= 0) {
		json_decref(steps);
		snprintf(err, errlen, "expected a fixed-rate run with an slo "
		    "(the plan's slo: gates fixed_rate and latency_test runs)");
		return SEARCH_BAD_RUN;
	}
	if (n != 1) {
		json_decref(steps);
		snprintf(err, errlen, "expected the run's one record, found "
		    "%zu", n);
		return SEARCH_BAD_STEP;
	}
	if ((e = step_read(recs[0], 1, llround(t), &s, err, errlen)) !=
	    SEARCH_OK) {
		json_decref(steps);
		return e;
	}
	broke = judged_step(steps, slo, 1, &s);
	d = decision_new(run);
	decision_end(d, steps, NULL, NULL);
	json_object_set_new(d, "slo_pass", json_boolean(broke == NULL));
	json_object_set(d, "slo", (json_t *)slo);
	*out = d;
	return SEARCH_OK;
}

enum search_err
search_decide(const json_t *run, json_t *const *steps, size_t nsteps,
    json_t **out, char *err, size_t errlen)
{
	const char *type = json_string_value(json_object_get(run, "type"));

	if (type == NULL) {
		snprintf(err, errlen, "expected a run line with a type");
		return SEARCH_BAD_RUN;
	}
	if (strcmp(type, "slo_search") == 0)
		return decide_slo(run, steps, nsteps, out, err, errlen);
	if (strcmp(type, "ramp_up") == 0 || strcmp(type, "scale_to_failure")
	    == 0)
		return decide_listed(run, steps, nsteps, out, err, errlen);
	if ((strcmp(type, "fixed_rate") == 0 || strcmp(type, "latency_test")
	    == 0) && json_object_get(run, "slo") != NULL)
		return decide_gate(run, steps, nsteps, out, err, errlen);
	snprintf(err, errlen, "type \"%s\" is neither a stepped run "
	    "(ramp_up, scale_to_failure, slo_search) nor a run with an slo",
	    type);
	return SEARCH_BAD_RUN;
}

json_t *
search_capacity(const char *experiment_id, json_t *const *decisions,
    size_t n)
{
	static const char *const keep[] = {
		"run", "run_name", "max_sustainable_rate_msgs_per_s",
		"first_failing_rate_msgs_per_s", "bounded_by",
		"precision_percent_reached", "stop_reason", "slo", "search",
		"steps", NULL
	};
	json_t *doc = json_object(), *runs = json_array();
	size_t i, j;

	json_object_set_new(doc, "schema", json_string(CAPACITY_SCHEMA));
	json_object_set_new(doc, "experiment_id", experiment_id != NULL ?
	    json_string(experiment_id) : json_null());
	for (i = 0; i < n; i++) {
		const char *type = json_string_value(json_object_get(
		    decisions[i], "type"));
		json_t *r;

		if (type == NULL || strcmp(type, "slo_search") != 0)
			continue;
		r = json_object();
		for (j = 0; keep[j] != NULL; j++)
			json_object_set(r, keep[j], json_object_get(
			    decisions[i], keep[j]) ? json_object_get(
			    decisions[i], keep[j]) : json_null());
		json_object_set_new(r, "finished", json_boolean(
		    json_is_null(json_object_get(decisions[i], "next"))));
		json_array_append_new(runs, r);
	}
	json_object_set_new(doc, "runs", runs);
	return doc;
}
