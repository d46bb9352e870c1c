/*
 * What limited a run: every judged resource of every node as a share of its
 * limit (the mean over the measured periods against the node's limit), the
 * highest one named when it is at PROM_NEAR_LIMIT or above. And the
 * cross-check of the broker-side publish rate against OMB's.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "prom.h"
#include "buf.h"

#define NRES	5
static const char *const res_name[NRES] = {
	"cpu", "nic", "disk_bandwidth", "disk_latency", "gc"
};
/* What each resource's limit is called in the limits document. */
static const char *const res_limit[NRES] = {
	"vcpus", "network_baseline_gbps", "disk_bytes_per_s",
	"disk_latency_ms", "gc_time_ratio"
};

struct best {
	json_t	*cand;		/* the resource's highest candidate, or NULL */
	int	 data;		/* some series of it had values */
	int	 limit;		/* ... and a limit to compare them with */
};

/* The limit called name for a node: nodes.<node> over roles.<role>. */
static const json_t *
limit_of(const json_t *limits, const char *node, const char *role,
    const char *name)
{
	const json_t *v;

	v = json_object_get(json_object_get(json_object_get(limits, "nodes"),
	    node), name);
	if (v == NULL)
		v = json_object_get(json_object_get(json_object_get(limits,
		    "roles"), role), name);
	return v;
}

/* A number limit, the one for device when the limit is an object. */
static double
limit_num(const json_t *l, const char *device)
{
	if (json_is_object(l) && device != NULL)
		l = json_object_get(l, device);
	return json_is_number(l) && json_number_value(l) > 0 ?
	    json_number_value(l) : NAN;
}

static void
consider(struct best *b, const json_t *rec, const char *metric,
    const char *device, double value, const char *unit, double limit,
    const char *limit_unit, double ratio)
{
	json_t *c;

	b->data = 1;
	if (isnan(ratio))
		return;
	b->limit = 1;
	if (b->cand != NULL && json_number_value(json_object_get(b->cand,
	    "ratio_to_limit")) >= ratio)
		return;
	c = json_pack("{s:O, s:O, s:s, s:s?, s:f, s:s, s:f, s:s, s:f}",
	    "node", json_object_get(rec, "node"),
	    "role", json_object_get(rec, "role"),
	    "metric", metric, "device", device, "value", value, "unit", unit,
	    "limit", limit, "limit_unit", limit_unit, "ratio_to_limit", ratio);
	json_decref(b->cand);
	b->cand = c;
}

/* The mean of summary.<field> (or summary.<field>.<device>), or NAN. */
static double
mean_of(const json_t *s)
{
	const json_t *m = json_object_get(s, "mean");

	return json_is_number(m) ? json_number_value(m) : NAN;
}

static void
judge_node(struct best *b, const json_t *limits, const json_t *rec)
{
	const char *node, *role, *dev;
	const json_t *sum, *w, *r, *l;
	double v, lim, rx, tx;
	json_t *x;

	node = json_string_value(json_object_get(rec, "node"));
	role = json_string_value(json_object_get(rec, "role"));
	sum = json_object_get(rec, "summary");

	/* CPU: the node's share of all vCPUs; the JVM's cores of vCPUs. */
	if (!isnan(v = mean_of(json_object_get(sum, "cpu_utilisation_ratio"))))
		consider(&b[0], rec, "cpu_utilisation_ratio", NULL, v, "ratio",
		    1, "ratio", v);
	if (!isnan(v = mean_of(json_object_get(sum, "jvm_cpu_cores")))) {
		lim = limit_num(limit_of(limits, node, role, res_limit[0]),
		    NULL);
		consider(&b[0], rec, "jvm_cpu_cores", NULL, v, "cores", lim,
		    "vcpus", v / lim);
	}

	/* NIC: the busier direction against the baseline bandwidth. */
	rx = mean_of(json_object_get(sum, "nic_receive_bytes_per_s"));
	tx = mean_of(json_object_get(sum, "nic_transmit_bytes_per_s"));
	if (!isnan(rx) || !isnan(tx)) {
		int use_tx = isnan(rx) || (!isnan(tx) && tx > rx);

		v = use_tx ? tx : rx;
		lim = limit_num(limit_of(limits, node, role, res_limit[1]),
		    NULL);
		consider(&b[1], rec, use_tx ? "nic_transmit_bytes_per_s" :
		    "nic_receive_bytes_per_s", NULL, v, "bytes_per_s", lim,
		    "gbps", v * 8 / (lim * 1e9));
	}

	/* Disk bandwidth: reads and writes of a device against its limit. */
	w = json_object_get(sum, "disk_write_bytes_per_s");
	r = json_object_get(sum, "disk_read_bytes_per_s");
	l = limit_of(limits, node, role, res_limit[2]);
	json_object_foreach((json_t *)w, dev, x) {
		double rd = mean_of(json_object_get(r, dev));

		if (isnan(v = mean_of(x)))
			continue;
		if (!isnan(rd))
			v += rd;
		lim = limit_num(l, dev);
		consider(&b[2], rec, "disk_read_write_bytes_per_s", dev, v,
		    "bytes_per_s", lim, "bytes_per_s", v / lim);
	}

	/* Disk latency: write await per device, the journal's fsync p99. */
	l = limit_of(limits, node, role, res_limit[3]);
	json_object_foreach(json_object_get(sum, "disk_write_await_ms"), dev,
	    x) {
		if (isnan(v = mean_of(x)))
			continue;
		lim = limit_num(l, dev);
		consider(&b[3], rec, "disk_write_await_ms", dev, v, "ms", lim,
		    "ms", v / lim);
	}
	if (!isnan(v = mean_of(json_object_get(sum, "journal_sync_p99_ms")))) {
		lim = limit_num(l, NULL);
		consider(&b[3], rec, "journal_sync_p99_ms", NULL, v, "ms", lim,
		    "ms", v / lim);
	}

	/* GC: seconds of collection per second against a budget. */
	if (!isnan(v = mean_of(json_object_get(sum, "gc_time_ratio")))) {
		lim = limit_num(limit_of(limits, node, role, res_limit[4]),
		    NULL);
		consider(&b[4], rec, "gc_time_ratio", NULL, v, "ratio", lim,
		    "ratio", v / lim);
	}
}

/* The OMB record of a run: its source_file is results/<key>.json, or it
 * has the run's name. */
static const json_t *
omb_of(json_t *const *omb, size_t nomb, const char *key, const char *name)
{
	const char *f, *base;
	size_t i, kl = strlen(key);

	for (i = 0; i < nomb; i++) {
		f = json_string_value(json_object_get(omb[i], "source_file"));
		if (f == NULL)
			continue;
		base = strrchr(f, '/') != NULL ? strrchr(f, '/') + 1 : f;
		if (strncmp(base, key, kl) == 0 && strcmp(base + kl, ".json")
		    == 0)
			return omb[i];
	}
	for (i = 0; i < nomb && name != NULL; i++)
		if (json_is_string(json_object_get(omb[i], "run_name")) &&
		    strcmp(json_string_value(json_object_get(omb[i],
		    "run_name")), name) == 0)
			return omb[i];
	return NULL;
}

static json_t *
cross_check(json_t *const *recs, size_t n, const char *key,
    const json_t *omb_rec, double tol)
{
	double broker = 0, omb = NAN, d, v;
	int have = 0;
	size_t i;
	const char *why = NULL;
	json_t *agrees;

	for (i = 0; i < n; i++) {
		if (strcmp(json_string_value(json_object_get(recs[i], "key")),
		    key) != 0)
			continue;
		v = mean_of(json_object_get(json_object_get(recs[i],
		    "summary"), "broker_publish_rate_msgs_per_s"));
		if (!isnan(v)) {
			broker += v;
			have = 1;
		}
	}
	if (omb_rec != NULL)
		omb = mean_of(json_object_get(omb_rec,
		    "publish_rate_msgs_per_s"));
	if (!have)
		why = "no broker-side publish rate for this run";
	else if (omb_rec == NULL)
		why = "no OMB record of this run";
	else if (isnan(omb) || omb <= 0)
		why = "OMB's record has no publish rate";
	if (why != NULL)
		return json_pack("{s:o, s:o, s:n, s:f, s:n, s:s}",
		    "broker_publish_rate_msgs_per_s",
		    have ? json_real(broker) : json_null(),
		    "omb_publish_rate_msgs_per_s",
		    isnan(omb) ? json_null() : json_real(omb),
		    "difference_ratio", "tolerance_ratio", tol, "agrees",
		    "reason", why);
	d = (broker - omb) / omb;
	agrees = json_boolean(fabs(d) <= tol);
	return json_pack("{s:f, s:f, s:f, s:f, s:o, s:n}",
	    "broker_publish_rate_msgs_per_s", broker,
	    "omb_publish_rate_msgs_per_s", omb, "difference_ratio", d,
	    "tolerance_ratio", tol, "agrees", agrees, "reason");
}

static const char *
res_words(const char *r)
{
	if (strcmp(r, "disk_bandwidth") == 0)
		return "disk bandwidth";
	if (strcmp(r, "disk_latency") == 0)
		return "disk latency";
	if (strcmp(r, "nic") == 0)
		return "NIC";
	if (strcmp(r, "cpu") == 0)
		return "CPU";
	return "GC";
}

/* "CPU: cpu_utilisation_ratio 0.93 on broker-0, 93% of its limit" */
static void
figure_words(char *buf, size_t len, const char *resource, const json_t *c)
{
	const char *dev = json_string_value(json_object_get(c, "device"));

	snprintf(buf, len, "%s: %s %.3g%s%s on %s, %.0f%% of its limit "
	    "(%.3g %s)", res_words(resource),
	    json_string_value(json_object_get(c, "metric")),
	    json_number_value(json_object_get(c, "value")),
	    dev != NULL ? " of " : "", dev != NULL ? dev : "",
	    json_string_value(json_object_get(c, "node")),
	    100 * json_number_value(json_object_get(c, "ratio_to_limit")),
	    json_number_value(json_object_get(c, "limit")),
	    json_string_value(json_object_get(c, "limit_unit")));
}

static const char *
jstr_of(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s != NULL ? s : "";
}

/* A candidate at the near-limit share or above. */
static int
r_near(const json_t *top)
{
	return top != NULL && json_number_value(json_object_get(top,
	    "ratio_to_limit")) >= PROM_NEAR_LIMIT;
}

static json_t *
judge_run(json_t *const *recs, size_t n, const char *key, const json_t
    *limits, json_t *const *omb, size_t nomb, const char *experiment_id,
    double tol)
{
	struct best b[NRES];
	json_t *v, *cands, *unjudged, *name = NULL, *top = NULL;
	const char *topres = NULL;
	const char *src;
	char words[640], fig[384];
	size_t i;
	int r, any = 0, local = 0, nrec = 0;

	memset(b, 0, sizeof(b));
	for (i = 0; i < n; i++)
		if (strcmp(json_string_value(json_object_get(recs[i], "key")),
		    key) == 0) {
			if (name == NULL)
				name = json_object_get(recs[i], "run_name");
			src = json_string_value(json_object_get(recs[i],
			    "source"));
			local |= src != NULL && strcmp(src, "local-machine") == 0;
			nrec++;
			judge_node(b, limits, recs[i]);
		}
	cands = json_array();
	unjudged = json_array();
	for (r = 0; r < NRES; r++) {
		if (b[r].cand != NULL) {
			json_object_set_new(b[r].cand, "resource",
			    json_string(res_name[r]));
			json_array_append(cands, b[r].cand);
			if (top == NULL || json_number_value(json_object_get(
			    b[r].cand, "ratio_to_limit")) > json_number_value(
			    json_object_get(top, "ratio_to_limit"))) {
				top = b[r].cand;
				topres = res_name[r];
			}
		} else
			json_array_append_new(unjudged, json_pack("{s:s, s:s}",
			    "resource", res_name[r], "reason", b[r].data ?
			    "no limit for it in the limits" : "no data"));
		any |= b[r].data;
	}
	if (top != NULL)
		figure_words(fig, sizeof(fig), topres, top);
	if (top != NULL && json_number_value(json_object_get(top,
	    "ratio_to_limit")) >= PROM_NEAR_LIMIT)
		snprintf(words, sizeof(words), "limited by %s", fig);
	else if (!any)
		snprintf(words, sizeof(words), "cannot decide: no cluster "
		    "metrics for this run");
	else if (top == NULL)
		snprintf(words, sizeof(words), "cannot decide: no limit to "
		    "compare the metrics with");
	else
		snprintf(words, sizeof(words), "cannot decide: nothing "
		    "measured is near its limit (closest: %s)", fig);
	/* What could not be judged, and why, when that left it open. */
	if (!r_near(top) && any)
		for (i = 0; i < json_array_size(unjudged); i++) {
			json_t *u = json_array_get(unjudged, i);

			snprintf(words + strlen(words), sizeof(words) -
			    strlen(words), "%s%s (%s)", i == 0 ?
			    "; not judged: " : ", ", res_words(jstr_of(u,
			    "resource")), strcmp(jstr_of(u, "reason"),
			    "no data") == 0 ? "no data" : "no limit");
		}
	/* This machine in local mode is no cluster node: said in the
	 * sentence itself, which the table and the terminal show alone. */
	if (local)
		snprintf(words + strlen(words), sizeof(words) - strlen(words),
		    " (%s)", PROM_LOCAL_WORDS);
	r = top != NULL && json_number_value(json_object_get(top,
	    "ratio_to_limit")) >= PROM_NEAR_LIMIT;
	v = json_pack("{s:s}", "schema", "plc-prom-verdict/1");
	if (experiment_id != NULL)
		json_object_set_new(v, "experiment_id",
		    json_string(experiment_id));
	json_object_set_new(v, "key", json_string(key));
	json_object_set(v, "run_name", name != NULL ? name : json_null());
	json_object_set_new(v, "source", nrec == 0 ? json_null() :
	    json_string(local ? "local-machine" : "cluster"));
	json_object_set_new(v, "decided", json_boolean(r));
	json_object_set_new(v, "limited_by", r ? json_string(topres) :
	    json_null());
	json_object_set_new(v, "verdict", json_string(words));
	json_object_set(v, "figure", r ? top : json_null());
	json_object_set_new(v, "near_limit_ratio", json_real(PROM_NEAR_LIMIT));
	json_object_set_new(v, "candidates", cands);
	json_object_set_new(v, "not_judged", unjudged);
	json_object_set_new(v, "cross_check", cross_check(recs, n, key,
	    omb_of(omb, nomb, key, json_string_value(name)), tol));
	for (r = 0; r < NRES; r++)
		json_decref(b[r].cand);
	return v;
}

int
prom_judge(json_t *const *recs, size_t n, const json_t *limits,
    json_t *const *omb, size_t nomb, const char *experiment_id, double tol,
    json_t *out, char *msg, size_t len)
{
	const char *key, *schema;
	json_t *seen = json_object();
	size_t i;

	if (limits != NULL && ((schema = json_string_value(json_object_get(
	    limits, "schema"))) == NULL || strcmp(schema, "plc-limits/1") != 0)) {
		json_decref(seen);
		return errmsg(msg, len, "limits: expected \"schema\": "
		    "\"plc-limits/1\"");
	}
	for (i = 0; i < n; i++) {
		schema = json_string_value(json_object_get(recs[i], "schema"));
		key = json_string_value(json_object_get(recs[i], "key"));
		if (schema == NULL || strcmp(schema, "plc-cluster/1") != 0 ||
		    key == NULL || !json_is_string(json_object_get(recs[i],
		    "node")) || !json_is_string(json_object_get(recs[i],
		    "role")) || !json_is_object(json_object_get(recs[i],
		    "summary"))) {
			json_decref(seen);
			return errmsg(msg, len, "record %zu: expected a "
			    "plc-cluster/1 record (key, node, summary)", i + 1);
		}
		if (json_object_get(seen, key) != NULL)
			continue;
		json_object_set_new(seen, key, json_true());
		json_array_append_new(out, judge_run(recs, n, key, limits, omb,
		    nomb, experiment_id, tol));
	}
	/* A run OMB measured that has no cluster record at all. */
	for (i = 0; i < nomb; i++) {
		const char *f, *base, *name;
		char k[256];
		json_t *v;

		f = json_string_value(json_object_get(omb[i], "source_file"));
		name = json_string_value(json_object_get(omb[i], "run_name"));
		if (f == NULL)
			continue;
		base = strrchr(f, '/') != NULL ? strrchr(f, '/') + 1 : f;
		if (strlen(base) < 6 || strlen(base) >= sizeof(k) ||
		    strcmp(base + strlen(base) - 5, ".json") != 0)
			continue;
		snprintf(k, sizeof(k), "%.*s", (int)(strlen(base) - 5), base);
		if (json_object_get(seen, k) != NULL)
			continue;
		json_object_set_new(seen, k, json_true());
		v = judge_run(recs, 0, k, limits, omb, nomb, experiment_id,
		    tol);
		json_object_set_new(v, "run_name", name != NULL ?
		    json_string(name) : json_null());
		json_array_append_new(out, v);
	}
	json_decref(seen);
	return 0;
}

/* The verdict of verdicts that is rec's run, or NULL. */
static const json_t *
verdict_of(const json_t *rec, const json_t *verdicts)
{
	const char *f = json_string_value(json_object_get(rec, "source_file"));
	const char *name = json_string_value(json_object_get(rec, "run_name"));
	const char *key, *vname;
	const json_t *v;
	size_t i;

	json_array_foreach(verdicts, i, v) {
		key = json_string_value(json_object_get(v, "key"));
		vname = json_string_value(json_object_get(v, "run_name"));
		if (f != NULL && key != NULL && strncmp(f, "results/", 8) == 0
		    && strncmp(f + 8, key, strlen(key)) == 0 &&
		    strcmp(f + 8 + strlen(key), ".json") == 0)
			return v;
		if (json_is_null(json_object_get(rec, "source_file")) &&
		    name != NULL && vname != NULL && strcmp(name, vname) == 0)
			return v;
	}
	return NULL;
}

json_t *
prom_merge(const json_t *rec, const json_t *verdicts)
{
	static const char *const keep[] = { "source", "decided",
	    "limited_by", "verdict", "figure", "cross_check" };
	const json_t *v = verdict_of(rec, verdicts);
	json_t *out, *cv, *x;
	size_t i;

	if (v == NULL || !json_is_object(rec))
		return json_incref((json_t *)rec);
	out = json_copy((json_t *)rec);
	cv = json_object();
	for (i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
		x = json_object_get(v, keep[i]);
		json_object_set_new(cv, keep[i], x != NULL ? json_incref(x) :
		    json_null());
	}
	json_object_set_new(out, "cluster_verdict", cv);
	return out;
}

void
prom_summary(const json_t *v, char *buf, size_t len)
{
	const json_t *c = json_object_get(v, "cross_check");
	const char *name = json_string_value(json_object_get(v, "run_name"));
	size_t n;

	snprintf(buf, len, "what limited %s: %s", name != NULL ? name :
	    jstr_of(v, "key"), jstr_of(v, "verdict"));
	if (!json_is_false(json_object_get(c, "agrees")))
		return;
	n = strlen(buf);
	snprintf(buf + n, len - n, "; CROSS-CHECK FAILED: the brokers counted "
	    "%lld msg/s, OMB %lld msg/s (%lld%%, tolerance %lld%%)",
	    llround(json_number_value(json_object_get(c,
	    "broker_publish_rate_msgs_per_s"))),
	    llround(json_number_value(json_object_get(c,
	    "omb_publish_rate_msgs_per_s"))),
	    llround(100 * json_number_value(json_object_get(c,
	    "difference_ratio"))),
	    llround(100 * json_number_value(json_object_get(c,
	    "tolerance_ratio"))));
}
