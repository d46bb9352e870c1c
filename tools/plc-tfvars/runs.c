#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "config.h"
#include "runs.h"
#include "schema.h"

enum {
	FIXED = 1 << 0,
	MAX = 1 << 1,
	LATENCY = 1 << 2,
	RAMP = 1 << 3,
	SCALE = 1 << 4,
	SLO = 1 << 5,
	ALL = 0x3f
};

const char *const run_types[] = {
	"fixed_rate", "max_rate", "latency_test", "ramp_up", "scale_to_failure",
	"slo_search", NULL
};

/* Which run types take which keys. */
static const struct {
	const char	*key;
	int		 types;
} run_keys[] = {
	{ "producer_rate", FIXED | LATENCY },
	{ "ramp_up_steps", RAMP | SCALE },
	{ "plateau_detection", RAMP },
	{ "failure_criteria", SCALE },
	{ "start_rate", SCALE },
	{ "rate_multiplier", SCALE },
	{ "max_steps", SCALE },
	{ "step_duration_minutes", SCALE },
	{ "slo", SLO },
	{ "search", SLO },
};

#define LATENCY_TEST_RATE	1000
#define PLATEAU_DEVIATION	10.0
#define PLATEAU_STEPS		2
#define SCALE_START_RATE	10000
#define SCALE_MULTIPLIER	1.5
#define SCALE_MAX_STEPS		10
#define SEARCH_PRECISION	5.0
#define SEARCH_MAX_STEPS	12
#define SEARCH_GROWTH		2.0
/* Randomized payload pool: at most this many bytes, at most 1000 payloads. */
#define PAYLOAD_POOL_BYTES	(256LL * 1024 * 1024)
#define PAYLOAD_POOL_MAX	1000

/* The payload files OMB ships, with their sizes. */
static const struct {
	const char	*file;
	long long	 size;
} omb_payloads[] = {
	{ "payload/payload-100b.data", 100 },
	{ "payload/payload-200b.data", 200 },
	{ "payload/payload-400b.data", 400 },
	{ "payload/payload-1Kb.data", 1024 },
	{ "payload/payload-2Kb.data", 2048 },
	{ "payload/payload-4Kb.data", 4096 },
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static int
type_bit(const char *type)
{
	int i;

	for (i = 0; run_types[i] != NULL; i++)
		if (strcmp(type, run_types[i]) == 0)
			return 1 << i;
	return 0;
}

/* A workload key from the run's overrides, else the base, else NULL. */
static const struct ynode *
wl_node(const struct ynode *run, const struct ynode *base, const char *key)
{
	const struct ynode *n;

	n = ymap_get(ymap_get(run, "workload_overrides"), key);
	if (n != NULL)
		return yscalar_is_null(n) ? NULL : n;
	return ymap_get(base, key);
}

static long long
wl_int(const struct ynode *run, const struct ynode *base, const char *key,
    long long dflt)
{
	long long v;

	return yint(wl_node(run, base, key), &v) ? v : dflt;
}

static double
wl_num(const struct ynode *run, const struct ynode *base, const char *key,
    double dflt)
{
	double v;

	return ynum(wl_node(run, base, key), &v) ? v : dflt;
}

static int
name_valid(const char *s)
{
	size_t n = strlen(s);

	return n >= 1 && n <= 64 && strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n && s[0] != '.' &&
	    s[0] != '-';
}

static void
validate_payload(const struct ynode *run, const struct ynode *base,
    const char *path)
{
	const struct ynode *file = wl_node(run, base, "payload_file");
	const struct ynode *other;
	long long size = wl_int(run, base, "message_size", 0);
	size_t i;

	if (file == NULL)
		return;
	if ((other = wl_node(run, base, "random_bytes_ratio")) != NULL ||
	    (other = wl_node(run, base, "randomized_payload_pool_size")))
		diag(other, path, "expected either payload_file or "
		    "randomized payload settings, found both");
	for (i = 0; i < NELEM(omb_payloads); i++)
		if (strcmp(file->str, omb_payloads[i].file) == 0 &&
		    omb_payloads[i].size != size)
			diag(file, path, "expected a payload file of "
			    "message_size %lld bytes, found \"%s\" (%lld "
			    "bytes)", size, file->str, omb_payloads[i].size);
}

/* The SLO a run is held to: its own, else the plan's. */
static const struct ynode *
run_slo(const struct ynode *plan, const struct ynode *run)
{
	const struct ynode *slo = ymap_get(run, "slo");

	return slo != NULL ? slo : ymap_get(plan, "slo");
}

static void
validate_search(const struct ynode *plan, const struct ynode *run,
    const char *path)
{
	const struct ynode *search = ymap_get(run, "search");
	const struct ynode *slo = run_slo(plan, run);
	long long lo, hi, max_steps, worst;
	double precision, growth;

	if (slo == NULL || slo->npairs == 0) {
		struct buf keys = { 0 };

		for (const struct field *f = config_slo_fields; f->key != NULL;
		    f++)
			buf_addf(&keys, "%s%s", f == config_slo_fields ? "" :
			    ", ", f->key);
		diag(slo != NULL ? slo : run, path, "missing slo (at least one "
		    "of %s), required by type slo_search, here or at the "
		    "plan's top level", keys.data);
		buf_free(&keys);
	}
	if (search == NULL) {
		diag(run, path, "missing search (min_rate, max_rate), "
		    "required by type slo_search");
		return;
	}
	if (!yint(ymap_get(search, "min_rate"), &lo) ||
	    !yint(ymap_get(search, "max_rate"), &hi))
		return;
	if (hi < lo)
		diag(ymap_get(search, "max_rate"), path, "expected max_rate "
		    "at least min_rate (%lld), found %lld", lo, hi);
	if (!yint(ymap_get(search, "max_steps"), &max_steps))
		max_steps = SEARCH_MAX_STEPS;
	if (!ynum(ymap_get(search, "precision_percent"), &precision))
		precision = SEARCH_PRECISION;
	if (!ynum(ymap_get(search, "growth_factor"), &growth))
		growth = SEARCH_GROWTH;
	/* plc-search(1): growth to max_rate, then halving in log space. */
	worst = 1 + (hi > lo ? (long long)ceil(log((double)hi / lo) /
	    log(growth) - 1e-9) : 0) + (long long)ceil(log2(log(growth) /
	    log(1 + precision / 100)) - 1e-9);
	if (max_steps < worst) {
		struct buf sp = { 0 };

		buf_addf(&sp, "%s.search", path);
		diag_warn(search, sp.data, "max_steps %lld may end before "
		    "precision_percent %g is reached (the worst case needs "
		    "%lld steps)", max_steps, precision, worst);
		buf_free(&sp);
	}
}

void
runs_validate(const struct ynode *plan)
{
	const struct ynode *runs = ymap_get(plan, "test_runs");
	const struct ynode *base = ymap_get(plan, "base_workload");
	struct buf path = { 0 }, kpath = { 0 };
	size_t i, j, k;

	if (!name_valid(cfg_str(plan, "name")))
		diag(ymap_get(plan, "name"), "name", "expected 1 to 64 letters, "
		    "digits, '.', '_' and '-', found \"%s\"",
		    cfg_str(plan, "name"));
	for (i = 0; i < runs->nitems; i++) {
		const struct ynode *run = runs->items[i];
		const char *name = cfg_str(run, "name");
		const char *type = cfg_str(run, "type");
		int bit = type_bit(type);

		buf_reset(&path);
		buf_addf(&path, "test_runs[%zu]", i);
		if (!name_valid(name))
			diag(ymap_get(run, "name"), path.data, "expected a name "
			    "of 1 to 64 letters, digits, '.', '_' and '-', "
			    "found \"%s\"", name);
		for (j = 0; j < i; j++)
			if (strcmp(cfg_str(runs->items[j], "name"), name) == 0)
				diag(ymap_get(run, "name"), path.data,
				    "expected a unique name, found \"%s\" "
				    "again (first at test_runs[%zu])", name, j);
		for (k = 0; k < NELEM(run_keys); k++) {
			const struct ynode *n = ymap_get(run, run_keys[k].key);

			if (n == NULL || (run_keys[k].types & bit))
				continue;
			buf_reset(&kpath);
			buf_addf(&kpath, "%s.%s", path.data, run_keys[k].key);
			diag(n, kpath.data, "not used by type %s", type);
		}
		if (bit == FIXED && ymap_get(run, "producer_rate") == NULL)
			diag(run, path.data, "missing producer_rate, required "
			    "by type fixed_rate");
		if (bit == RAMP && ymap_get(run, "ramp_up_steps") == NULL)
			diag(run, path.data, "missing ramp_up_steps, required "
			    "by type ramp_up");
		if (bit == SCALE) {
			const struct ynode *fc = ymap_get(run,
			    "failure_criteria");
			const struct ynode *g = ymap_get(run, "start_rate");

			if (g == NULL)
				g = ymap_get(run, "rate_multiplier");
			if (g == NULL)
				g = ymap_get(run, "max_steps");
			if (g == NULL)
				g = ymap_get(run, "step_duration_minutes");
			if (fc == NULL || fc->npairs == 0)
				diag(fc != NULL ? fc : run, path.data,
				    "missing failure_criteria (max_latency_ms "
				    "or max_error_rate_percent), required by "
				    "type scale_to_failure");
			if (g != NULL && ymap_get(run, "ramp_up_steps"))
				diag(g, path.data, "expected either "
				    "ramp_up_steps or a geometric schedule "
				    "(start_rate, rate_multiplier, max_steps, "
				    "step_duration_minutes), found both");
		}
		if (bit == SLO)
			validate_search(plan, run, path.data);
		if (bit == MAX &&
		    wl_int(run, base, "consumer_backlog_size_gb", 0) > 0)
			diag(wl_node(run, base, "consumer_backlog_size_gb"),
			    path.data, "expected consumer_backlog_size_gb 0 "
			    "with type max_rate (OMB refuses a backlog "
			    "without a producer rate)");
		validate_payload(run, base, path.data);
	}
	buf_free(&path);
	buf_free(&kpath);
}

static json_t *
workload_new(const struct ynode *run, const struct ynode *base,
    const char *name, long long rate, long long duration_min)
{
	const struct ynode *file = wl_node(run, base, "payload_file");
	const struct ynode *kd = wl_node(run, base, "key_distributor");
	long long size = wl_int(run, base, "message_size", 1);
	long long backlog = wl_int(run, base, "consumer_backlog_size_gb", 0);
	long long pool;
	json_t *w = json_object();

	json_object_set_new(w, "name", json_string(name));
	json_object_set_new(w, "topics",
	    json_integer(wl_int(run, base, "topics", 1)));
	json_object_set_new(w, "partitionsPerTopic",
	    json_integer(wl_int(run, base, "partitions_per_topic", 1)));
	json_object_set_new(w, "keyDistributor",
	    json_string(kd != NULL ? kd->str : "NO_KEY"));
	json_object_set_new(w, "messageSize", json_integer(size));
	if (file != NULL) {
		json_object_set_new(w, "useRandomizedPayloads", json_false());
		json_object_set_new(w, "payloadFile", json_string(file->str));
	} else {
		pool = PAYLOAD_POOL_BYTES / size;
		if (pool > PAYLOAD_POOL_MAX)
			pool = PAYLOAD_POOL_MAX;
		if (pool < 1)
			pool = 1;
		json_object_set_new(w, "useRandomizedPayloads", json_true());
		json_object_set_new(w, "randomBytesRatio", json_real(wl_num(run,
		    base, "random_bytes_ratio", 1.0)));
		json_object_set_new(w, "randomizedPayloadPoolSize",
		    json_integer(wl_int(run, base,
		    "randomized_payload_pool_size", pool)));
	}
	json_object_set_new(w, "subscriptionsPerTopic",
	    json_integer(wl_int(run, base, "subscriptions_per_topic", 1)));
	json_object_set_new(w, "consumerPerSubscription",
	    json_integer(wl_int(run, base, "consumers_per_topic", 1)));
	json_object_set_new(w, "producersPerTopic",
	    json_integer(wl_int(run, base, "producers_per_topic", 1)));
	json_object_set_new(w, "producerRate", json_integer(rate));
	json_object_set_new(w, "consumerBacklogSizeGB", json_integer(backlog));
	if (backlog > 0)
		json_object_set_new(w, "backlogDrainRatio", json_real(wl_num(run,
		    base, "backlog_drain_ratio", 1.0)));
	json_object_set_new(w, "testDurationMinutes",
	    json_integer(duration_min));
	json_object_set_new(w, "warmupDurationMinutes",
	    json_integer(wl_int(run, base, "warmup_duration_minutes", 1)));
	return w;
}

/* The step schedule of ramp_up and scale_to_failure runs. */
static json_t *
steps_new(const struct ynode *run, const struct ynode *base,
    const char *id, long long *total_s)
{
	const struct ynode *listed = ymap_get(run, "ramp_up_steps");
	long long warmup = wl_int(run, base, "warmup_duration_minutes", 1);
	long long test = wl_int(run, base, "test_duration_minutes", 5);
	long long rate, dur, nsteps, start;
	double mult, r;
	json_t *steps = json_array(), *s;
	struct buf name = { 0 };
	size_t i;

	nsteps = listed ? (long long)listed->nitems :
	    (yint(ymap_get(run, "max_steps"), &nsteps) ? nsteps :
	    SCALE_MAX_STEPS);
	if (!yint(ymap_get(run, "start_rate"), &start))
		start = SCALE_START_RATE;
	if (!ynum(ymap_get(run, "rate_multiplier"), &mult))
		mult = SCALE_MULTIPLIER;
	if (!yint(ymap_get(run, "step_duration_minutes"), &dur))
		dur = test;
	*total_s = 0;
	for (i = 0, r = (double)start; i < (size_t)nsteps; i++, r *= mult) {
		if (listed != NULL) {
			rate = cfg_int(listed->items[i], "rate");
			dur = cfg_int(listed->items[i], "duration_minutes");
		} else {
			rate = r > 1e8 ? 100000000 : llround(r);
		}
		buf_reset(&name);
		buf_addf(&name, "%s-step%zu", id, i + 1);
		s = json_object();
		json_object_set_new(s, "step", json_integer((json_int_t)i + 1));
		json_object_set_new(s, "producer_rate_msgs_per_s",
		    json_integer(rate));
		json_object_set_new(s, "expected_duration_s",
		    json_integer((warmup + dur) * 60));
		json_object_set_new(s, "workload",
		    workload_new(run, base, name.data, rate, dur));
		json_array_append_new(steps, s);
		*total_s += (warmup + dur) * 60;
	}
	buf_free(&name);
	return steps;
}

static json_t *
stop_new(const struct ynode *run, int bit)
{
	const struct ynode *pd = ymap_get(run, "plateau_detection");
	const struct ynode *fc = ymap_get(run, "failure_criteria");
	json_t *stop = json_object();
	double v;

	if (bit == RAMP) {
		json_object_set_new(stop, "rule", json_string("plateau"));
		json_object_set_new(stop, "allowed_deviation_percent",
		    json_real(pd ? cfg_num(pd, "allowed_deviation") :
		    PLATEAU_DEVIATION));
		json_object_set_new(stop, "consecutive_steps",
		    json_integer(pd ? cfg_int(pd, "consecutive_fails_allowed") :
		    PLATEAU_STEPS));
		return stop;
	}
	json_object_set_new(stop, "rule", json_string("failure"));
	if (ynum(ymap_get(fc, "max_latency_ms"), &v))
		json_object_set_new(stop, "max_p99_publish_latency_ms",
		    json_real(v));
	if (ynum(ymap_get(fc, "max_error_rate_percent"), &v))
		json_object_set_new(stop, "max_error_rate_percent",
		    json_real(v));
	return stop;
}

static void
set_number(json_t *o, const char *key, double v)
{
	json_object_set_new(o, key, v == floor(v) && fabs(v) < 1e15 ?
	    json_integer((json_int_t)v) : json_real(v));
}

/* The run's SLO (its own, else the plan's) as the run line carries it. */
static json_t *
slo_new(const struct ynode *plan, const struct ynode *run)
{
	const struct field *f;
	const struct ynode *slo = run_slo(plan, run);
	json_t *o = json_object();
	double v;

	for (f = config_slo_fields; f->key != NULL; f++)
		if (ynum(ymap_get(slo, f->key), &v))
			set_number(o, f->key, v);
	return o;
}

/* The search settings with their defaults, as plc-search(1) reads them. */
static json_t *
search_new(const struct ynode *run, long long test, long long *max_steps,
    long long *dur)
{
	const struct ynode *sr = ymap_get(run, "search");
	json_t *o = json_object();
	long long v;
	double d;

	set_number(o, "min_rate", (double)cfg_int(sr, "min_rate"));
	set_number(o, "max_rate", (double)cfg_int(sr, "max_rate"));
	set_number(o, "precision_percent", ynum(ymap_get(sr,
	    "precision_percent"), &d) ? d : SEARCH_PRECISION);
	*max_steps = yint(ymap_get(sr, "max_steps"), &v) ? v :
	    SEARCH_MAX_STEPS;
	set_number(o, "max_steps", (double)*max_steps);
	*dur = yint(ymap_get(sr, "step_duration_minutes"), &v) ? v : test;
	set_number(o, "step_duration_minutes", (double)*dur);
	set_number(o, "growth_factor", ynum(ymap_get(sr, "growth_factor"),
	    &d) ? d : SEARCH_GROWTH);
	return o;
}

int
runs_expand(const struct ynode *plan, const char *experiment_id,
    int (*emit)(json_t *, void *), void *arg)
{
	const struct ynode *runs = ymap_get(plan, "test_runs");
	const struct ynode *base = ymap_get(plan, "base_workload");
	long long plan_repeat, reps, k, rate, total_s, warmup, test;
	struct buf id = { 0 };
	size_t i;
	int rc = 0;

	if (!yint(ymap_get(plan, "repeat"), &plan_repeat))
		plan_repeat = 1;
	for (i = 0; i < runs->nitems && rc == 0; i++) {
		const struct ynode *run = runs->items[i];
		const char *name = cfg_str(run, "name");
		const char *type = cfg_str(run, "type");
		int bit = type_bit(type);

		if (!yint(ymap_get(run, "repeat"), &reps))
			reps = plan_repeat;
		warmup = wl_int(run, base, "warmup_duration_minutes", 1);
		test = wl_int(run, base, "test_duration_minutes", 5);
		for (k = 1; k <= reps && rc == 0; k++) {
			json_t *r = json_object(), *steps;

			buf_reset(&id);
			if (reps > 1)
				buf_addf(&id, "%s-r%lld", name, k);
			else
				buf_adds(&id, name);
			json_object_set_new(r, "schema", json_string(RUN_SCHEMA));
			json_object_set_new(r, "experiment_id",
			    json_string(experiment_id));
			json_object_set_new(r, "plan",
			    json_string(cfg_str(plan, "name")));
			json_object_set_new(r, "id", json_string(id.data));
			json_object_set_new(r, "name", json_string(name));
			json_object_set_new(r, "type", json_string(type));
			if (cfg_str(run, "description") != NULL)
				json_object_set_new(r, "description",
				    json_string(cfg_str(run, "description")));
			if (cfg_str(base, "name") != NULL)
				json_object_set_new(r, "base_workload",
				    json_string(cfg_str(base, "name")));
			json_object_set_new(r, "index",
			    json_integer((json_int_t)i + 1));
			json_object_set_new(r, "repetition", json_integer(k));
			json_object_set_new(r, "repetitions",
			    json_integer(reps));
			if (bit == RAMP || bit == SCALE) {
				steps = steps_new(run, base, id.data, &total_s);
				json_object_set(r, "workload", json_object_get(
				    json_array_get(steps, 0), "workload"));
				json_object_set_new(r, "expected_duration_s",
				    json_integer(total_s));
				json_object_set_new(r, "steps", steps);
				json_object_set_new(r, "stop",
				    stop_new(run, bit));
			} else if (bit == SLO) {
				long long max_steps, dur;
				json_t *search = search_new(run, test,
				    &max_steps, &dur);

				json_object_set_new(r, "workload",
				    workload_new(run, base, id.data,
				    cfg_int(ymap_get(run, "search"),
				    "min_rate"), dur));
				/* At most max_steps steps: an upper bound. */
				json_object_set_new(r, "expected_duration_s",
				    json_integer(max_steps * (warmup + dur) *
				    60));
				json_object_set_new(r, "slo",
				    slo_new(plan, run));
				json_object_set_new(r, "search", search);
			} else {
				if (bit == MAX)
					rate = 0;
				else if (!yint(ymap_get(run, "producer_rate"),
				    &rate))
					rate = LATENCY_TEST_RATE;
				json_object_set_new(r, "workload",
				    workload_new(run, base, id.data, rate,
				    test));
				json_object_set_new(r, "expected_duration_s",
				    json_integer((warmup + test) * 60));
				/* The plan's SLO gates every fixed-rate run. */
				if ((bit == FIXED || bit == LATENCY) &&
				    ymap_get(plan, "slo") != NULL)
					json_object_set_new(r, "slo",
					    slo_new(plan, run));
			}
			rc = emit(r, arg);
			json_decref(r);
		}
	}
	buf_free(&id);
	return rc;
}
