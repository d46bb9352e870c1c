/*
 * The capacity model. Every figure and rule here is explained, with its
 * source, in docs/capacity-model.md; the section is named beside it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "model.h"

static const char *const role_names[MODEL_ROLES] = {
	"bookkeeper", "broker", "client"
};

/* MiB/s to MB/s: EBS volume limits are in MiB/s, AWS instance ones in MB/s. */
#define MIB	1.048576

/* --- the plan ----------------------------------------------------------- */

static double
num_or(json_t *o, const char *key, double dflt)
{
	json_t *v = json_object_get(o, key);

	return json_is_number(v) ? json_number_value(v) : dflt;
}

static int
volume_load(struct model_volume *v, json_t *o, const char *name,
    double size_dflt, char *err, size_t errlen)
{
	json_t *t = json_object_get(o, "type");

	if (o != NULL && !json_is_object(o)) {
		snprintf(err, errlen, "\"bookkeeper_storage.%s\": expected an "
		    "object", name);
		return MODEL_ERR_INPUT;
	}
	v->type = t != NULL ? json_string_value(t) : "gp3";
	v->size_gb = num_or(o, "size_gb", size_dflt);
	v->iops = num_or(o, "iops", -1);
	v->throughput_mib_per_s = num_or(o, "throughput", -1);
	if (v->type == NULL || (strcmp(v->type, "gp3") != 0 &&
	    strcmp(v->type, "gp2") != 0 && strcmp(v->type, "io1") != 0 &&
	    strcmp(v->type, "io2") != 0 && strcmp(v->type, "st1") != 0)) {
		snprintf(err, errlen, "\"bookkeeper_storage.%s.type\": expected "
		    "gp3, gp2, io1, io2 or st1", name);
		return MODEL_ERR_INPUT;
	}
	if (v->size_gb <= 0 || ((strcmp(v->type, "io1") == 0 ||
	    strcmp(v->type, "io2") == 0) && v->iops <= 0)) {
		snprintf(err, errlen, "\"bookkeeper_storage.%s\": expected a "
		    "positive size_gb (and iops for %s)", name, v->type);
		return MODEL_ERR_INPUT;
	}
	return MODEL_OK;
}

int
model_plan_load(struct model_plan *plan, json_t *tf, char *err, size_t errlen)
{
	json_t *st, *bk, *br;
	int rc;

	memset(plan, 0, sizeof(*plan));
	plan->tfvars = tf;
	if (!json_is_object(tf) || (plan->experiment_id = json_string_value(
	    json_object_get(tf, "experiment_id"))) == NULL ||
	    (plan->region = json_string_value(json_object_get(tf,
	    "region"))) == NULL) {
		snprintf(err, errlen, "\"%s\": expected a string",
		    plan->experiment_id == NULL ? "experiment_id" : "region");
		return MODEL_ERR_INPUT;
	}
	for (int i = 0; i < MODEL_ROLES; i++) {
		json_t *r = json_object_get(tf, role_names[i]);
		json_t *c = json_object_get(r, "count");

		plan->role[i].role = role_names[i];
		plan->role[i].type = json_string_value(json_object_get(r,
		    "instance_type"));
		if (plan->role[i].type == NULL || !json_is_integer(c) ||
		    json_integer_value(c) < 1) {
			snprintf(err, errlen, "\"%s\": expected {count (1 or "
			    "more), instance_type}", role_names[i]);
			return MODEL_ERR_INPUT;
		}
		plan->role[i].count = (long)json_integer_value(c);
	}
	st = json_object_get(tf, "bookkeeper_storage");
	plan->instance_store = json_is_true(json_object_get(st,
	    "instance_store"));
	/* The defaults of terraform/variables.tf, bookkeeper_storage. */
	if ((rc = volume_load(&plan->journal, json_object_get(st, "journal"),
	    "journal", 20, err, errlen)) != 0 ||
	    (rc = volume_load(&plan->ledger, json_object_get(st, "ledger"),
	    "ledger", 50, err, errlen)) != 0)
		return rc;
	/* And of cluster.broker and cluster.bookkeeper. */
	br = json_object_get(json_object_get(tf, "cluster"), "broker");
	bk = json_object_get(json_object_get(tf, "cluster"), "bookkeeper");
	plan->ensemble = (long)num_or(br, "ensemble_size", 3);
	plan->write_quorum = (long)num_or(br, "write_quorum", 3);
	plan->ack_quorum = (long)num_or(br, "ack_quorum", 2);
	plan->journal_sync_data = !json_is_false(json_object_get(bk,
	    "journal_sync_data"));
	if (plan->ack_quorum < 1 || plan->write_quorum < plan->ack_quorum ||
	    plan->ensemble < plan->write_quorum) {
		snprintf(err, errlen, "\"cluster.broker\": expected ensemble_size "
		    ">= write_quorum >= ack_quorum >= 1, found %ld/%ld/%ld",
		    plan->ensemble, plan->write_quorum, plan->ack_quorum);
		return MODEL_ERR_INPUT;
	}
	if (plan->ensemble > plan->role[ROLE_BOOKIE].count) {
		snprintf(err, errlen, "\"cluster.broker.ensemble_size\": %ld "
		    "needs as many bookies, the plan has %ld", plan->ensemble,
		    plan->role[ROLE_BOOKIE].count);
		return MODEL_ERR_INPUT;
	}
	return MODEL_OK;
}

/*
 * Appends s to the array of strings a, unless it is there: an instance
 * type once, an assumption once however many workloads make it.
 */
static void
add_unique(json_t *a, const char *s)
{
	size_t j;
	json_t *t;

	json_array_foreach(a, j, t)
		if (strcmp(json_string_value(t), s) == 0)
			return;
	json_array_append_new(a, json_string(s));
}

json_t *
model_request(const struct model_plan *plan)
{
	json_t *types = json_array(), *r;
	const char *key, *t;

	for (int i = 0; i < MODEL_ROLES; i++)
		add_unique(types, plan->role[i].type);
	/* And the other roles' (ZooKeeper...), for the limits (-L). */
	json_object_foreach(plan->tfvars, key, r)
		if ((t = json_string_value(json_object_get(r,
		    "instance_type"))) != NULL)
			add_unique(types, t);
	return json_pack("{s:s, s:s, s:s, s:{s:o}}", "service", "ec2",
	    "region", plan->region, "action", "DescribeInstanceTypes", "params", "InstanceType", types);
}

/* --- the workload ------------------------------------------------------- */

json_t *
model_workload(json_t *line, char *err, size_t errlen)
{
	static const char *const keys[] = {
		"messageSize", "topics", "partitionsPerTopic",
		"subscriptionsPerTopic", "producersPerTopic",
		"consumerPerSubscription"
	};
	json_t *w = json_object_get(line, "workload"), *out;

	if (!json_is_object(w))
		w = line;
	if (!json_is_object(w) || !json_is_integer(json_object_get(w,
	    "messageSize"))) {
		snprintf(err, errlen, "expected a run line (plc-tfvars --runs) "
		    "or an OMB workload, with a messageSize");
		return NULL;
	}
	out = json_object();
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		json_t *v = json_object_get(w, keys[i]);
		/* OMB's own defaults: one of each; no subscription is 0. */
		json_int_t n = v == NULL ? 1 : json_integer_value(v);

		if ((v != NULL && !json_is_integer(v)) || n < (i == 3 ? 0 : 1)) {
			json_decref(out);
			snprintf(err, errlen, "\"%s\": expected an integer of %d "
			    "or more", keys[i], i == 3 ? 0 : 1);
			return NULL;
		}
		json_object_set_new(out, keys[i], json_integer(n));
	}
	return out;
}

/* --- the facts of the instance types ------------------------------------ */


/* A number AWS gives as a string ("8.4") or a number; -1 when absent. */
static double
aws_num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	const char *s;
	char *end;
	double d;

	if (json_is_number(v))
		return json_number_value(v);
	if ((s = json_string_value(v)) == NULL || *s == '\0')
		return -1;
	d = strtod(s, &end);
	return *end == '\0' && d >= 0 && isfinite(d) ? d : -1;
}

static int
facts_read(struct facts *f, json_t *it, char *err, size_t errlen)
{
	json_t *net = json_object_get(it, "networkInfo");
	const char *hv = json_string_value(json_object_get(it, "hypervisor"));
	json_t *ebs = json_object_get(json_object_get(it, "ebsInfo"),
	    "ebsOptimizedInfo");
	json_t *disks = json_object_get(json_object_get(it,
	    "instanceStorageInfo"), "disks");
	json_t *c;
	size_t i;

	f->vcpus = (long)aws_num(json_object_get(it, "vCpuInfo"),
	    "defaultVCpus");
	f->xen = hv != NULL && strcmp(hv, "xen") == 0;
	f->net_baseline_gbps = 0;
	f->net_baseline_mb_per_s = f->net_peak_mb_per_s = 0;
	json_array_foreach(json_object_get(net, "networkCards"), i, c) {
		double b = aws_num(c, "baselineBandwidthInGbps");
		double p = aws_num(c, "peakBandwidthInGbps");

		if (b <= 0 || p <= 0)
			break;
		f->net_baseline_gbps += b;
		f->net_baseline_mb_per_s += b * 1000 / 8;
		f->net_peak_mb_per_s += p * 1000 / 8;
	}
	if (f->net_baseline_mb_per_s <= 0 || f->vcpus < 1) {
		snprintf(err, errlen, "\"%s\": no vCpuInfo.defaultVCpus or "
		    "networkInfo.networkCards[].baselineBandwidthInGbps and "
		    "peakBandwidthInGbps", f->type);
		return MODEL_ERR_INPUT;
	}
	f->ebs_baseline_mb_per_s = aws_num(ebs, "baselineThroughputInMBps");
	f->ebs_maximum_mb_per_s = aws_num(ebs, "maximumThroughputInMBps");
	f->disks = 0;
	f->disk_gb = 0;
	json_array_foreach(disks, i, c) {
		f->disks += (long)aws_num(c, "count");
		f->disk_gb = aws_num(c, "sizeInGB");
	}
	f->described = 1;
	return MODEL_OK;
}

int
model_facts(struct facts *f, const char *type, json_t *answers, char *err,
    size_t errlen)
{
	size_t i, k;
	json_t *a, *it;

	memset(f, 0, sizeof(*f));
	f->type = type;
	json_array_foreach(answers, i, a) {
		json_t *set = json_object_get(json_object_get(json_object_get(a,
		    "body"), "DescribeInstanceTypesResponse"),
		    "instanceTypeSet");

		json_array_foreach(set, k, it) {
			const char *t = json_string_value(json_object_get(it,
			    "instanceType"));

			if (t != NULL && strcmp(type, t) == 0)
				return facts_read(f, it, err, errlen);
		}
	}
	snprintf(err, errlen, "no DescribeInstanceTypes answer describes "
	    "\"%s\"", type);
	return MODEL_ERR_AWS;
}

static int
facts_load(struct facts *f, const struct model_plan *plan, json_t *answers,
    char *err, size_t errlen)
{
	int rc;

	for (int r = 0; r < MODEL_ROLES; r++)
		if ((rc = model_facts(&f[r], plan->role[r].type, answers, err,
		    errlen)) == MODEL_ERR_AWS) {
			snprintf(err, errlen, "no DescribeInstanceTypes answer "
			    "describes \"%s\" (%s): ask plc-model -q's request "
			    "with plc-aws-sign --send --paginate", f[r].type,
			    role_names[r]);
			return rc;
		} else if (rc != 0)
			return rc;
	return MODEL_OK;
}

static json_t *
facts_json(const struct facts *f, const struct model_plan *plan)
{
	json_t *a = json_array();

	for (int r = 0; r < MODEL_ROLES; r++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:I, s:I, s:f, "
		    "s:f, s:o, s:o, s:I, s:f}", "role", role_names[r],
		    "instance_type", f[r].type, "count",
		    (json_int_t)plan->role[r].count, "vcpus_each",
		    (json_int_t)f[r].vcpus, "network_baseline_mb_per_s",
		    f[r].net_baseline_mb_per_s, "network_peak_mb_per_s",
		    f[r].net_peak_mb_per_s, "ebs_baseline_mb_per_s",
		    f[r].ebs_baseline_mb_per_s < 0 ? json_null() :
		    json_real(f[r].ebs_baseline_mb_per_s),
		    "ebs_maximum_mb_per_s", f[r].ebs_maximum_mb_per_s < 0 ?
		    json_null() : json_real(f[r].ebs_maximum_mb_per_s),
		    "instance_store_disks", (json_int_t)f[r].disks,
		    "instance_store_disk_gb", f[r].disk_gb));
	return a;
}

/* --- the storage of a bookie -------------------------------------------- */

/*
 * Sustained throughput of an EBS volume, MB/s: the volume type's throughput
 * limit, and no more than IOPS x 256 KiB, the largest I/O EBS counts as one
 * (docs/capacity-model.md, "EBS volumes").
 */
double
model_volume_mb_per_s(const struct model_volume *v, struct buf *how)
{
	double tp, iops = v->iops;

	if (strcmp(v->type, "gp3") == 0) {
		if (iops < 0)
			iops = 3000;
		tp = v->throughput_mib_per_s < 0 ? 125 : v->throughput_mib_per_s;
		buf_addf(how, "gp3 %.0f GiB, %.0f MiB/s, %.0f IOPS", v->size_gb,
		    tp, iops);
	} else if (strcmp(v->type, "gp2") == 0) {
		iops = fmin(fmax(3 * v->size_gb, 100), 16000);
		tp = v->size_gb >= 334 ? 250 : 128;
		buf_addf(how, "gp2 %.0f GiB: %.0f IOPS, %.0f MiB/s without "
		    "burst credits", v->size_gb, iops, tp);
	} else if (strcmp(v->type, "io1") == 0) {
		tp = iops <= 32000 ? fmin(iops * 0.25, 500) :
		    fmin(500 + (iops - 32000) * 16 / 1024, 1000);
		buf_addf(how, "io1 %.0f GiB, %.0f IOPS", v->size_gb, iops);
	} else if (strcmp(v->type, "io2") == 0) {
		tp = fmin(iops * 0.256, 4000);
		buf_addf(how, "io2 %.0f GiB, %.0f IOPS", v->size_gb, iops);
	} else {		/* st1: its baseline, 40 MiB/s per TiB */
		iops = 500 * 4;	/* 1 MiB I/Os: never the limit below */
		tp = fmin(v->size_gb / 1024 * 40, 500);
		buf_addf(how, "st1 %.0f GiB: baseline %.1f MiB/s", v->size_gb,
		    tp);
	}
	return fmin(tp, iops * 0.25) * MIB;
}

/* --- the resources ------------------------------------------------------ */

struct ctx {
	const struct model_plan *plan;
	const struct facts *f;
	json_t		*resources;
	double		 msg_bytes;
};

/*
 * A resource of each node of a role: capacity_mb_per_s per node, load the
 * bytes it carries per byte published (on the busiest node).
 */
static void
add(struct ctx *c, const char *resource, int role, double capacity,
    double load, const char *provenance, const char *figure)
{
	double ceiling = capacity / load;

	json_array_append_new(c->resources, json_pack("{s:s, s:s, s:s, s:f, "
	    "s:f, s:f, s:f, s:f, s:s, s:s}", "resource", resource, "role",
	    role_names[role], "instance_type", c->f[role].type,
	    "capacity_mb_per_s", capacity, "load_per_published_byte", load,
	    "ceiling_mb_per_s", ceiling, "ceiling_msgs_per_s", ceiling * 1e6 /
	    c->msg_bytes, "ceiling_mib_per_s", ceiling * 1e6 / 1048576,
	    "provenance", provenance, "figure", figure));
}

/*
 * Disks: every entry goes to the journal and to the entry log of each of
 * W bookies ("Pulsar's write path"); the busiest bookie takes W / (bookies
 * the ledgers' ensembles cover) of the bytes published.
 */
static void
add_storage(struct ctx *c, double bookie_load, json_t *assumptions)
{
	const struct model_plan *p = c->plan;
	const struct facts *bk = &c->f[ROLE_BOOKIE];
	struct instore_disk d;
	struct buf how = { 0 };
	double j, l;

	if (p->instance_store) {
		if (bk->disks < 1 || instore_disk(bk->type, &d) != 0) {
			buf_addf(&how, "%s: no write bandwidth known for its "
			    "instance store (see docs/capacity-model.md): its "
			    "disks are not modeled", bk->type);
			add_unique(assumptions, how.data);
			buf_free(&how);
			return;
		}
		buf_addf(&how, "one of %ld NVMe disks of %.0f GB, %.0f MB/s "
		    "sequential write (%s: %s)", bk->disks, bk->disk_gb,
		    d.write_mb_per_s, d.provenance, d.source);
		/* user-data: journal on the first disk, ledgers on the last. */
		if (bk->disks == 1)
			add(c, "journal_ledger_device", ROLE_BOOKIE,
			    d.write_mb_per_s, 2 * bookie_load, d.provenance,
			    how.data);
		else {
			add(c, "journal_device", ROLE_BOOKIE, d.write_mb_per_s,
			    bookie_load, d.provenance, how.data);
			add(c, "ledger_device", ROLE_BOOKIE, d.write_mb_per_s,
			    bookie_load, d.provenance, how.data);
		}
		buf_free(&how);
		return;
	}
	j = model_volume_mb_per_s(&p->journal, &how);
	add(c, "journal_device", ROLE_BOOKIE, j, bookie_load, "documented",
	    how.data);
	buf_reset(&how);
	l = model_volume_mb_per_s(&p->ledger, &how);
	add(c, "ledger_device", ROLE_BOOKIE, l, bookie_load, "documented",
	    how.data);
	buf_reset(&how);
	if (bk->ebs_baseline_mb_per_s > 0) {
		buf_addf(&how, "EbsOptimizedInfo.BaselineThroughputInMBps "
		    "(maximum %.2f for 30 minutes a day)",
		    bk->ebs_maximum_mb_per_s);
		add(c, "ebs_instance_cap", ROLE_BOOKIE,
		    bk->ebs_baseline_mb_per_s, 2 * bookie_load, "documented",
		    how.data);
	}
	buf_free(&how);
}

static json_t *
model_one(const struct model_plan *p, const struct facts *f, json_t *w,
    json_t *runs, json_t *assumptions)
{
	struct ctx c = { p, f, json_array(), 0 };
	long topics, parts, subs, producers, consumers, nbk, nbr, ncl;
	double bookie_load, broker_share, out_load, in_load, best;
	const char *bound = NULL;
	json_t *r;
	size_t i;

	c.msg_bytes = (double)json_integer_value(json_object_get(w,
	    "messageSize"));
	topics = (long)json_integer_value(json_object_get(w, "topics"));
	parts = topics * (long)json_integer_value(json_object_get(w,
	    "partitionsPerTopic"));
	subs = (long)json_integer_value(json_object_get(w,
	    "subscriptionsPerTopic"));
	producers = (long)json_integer_value(json_object_get(w,
	    "producersPerTopic"));
	consumers = (long)json_integer_value(json_object_get(w,
	    "consumerPerSubscription"));
	nbk = p->role[ROLE_BOOKIE].count;
	nbr = p->role[ROLE_BROKER].count;
	ncl = p->role[ROLE_CLIENT].count;

	/* Each partition's ledger has an ensemble of E bookies. */
	bookie_load = (double)p->write_quorum /
	    (double)(parts * p->ensemble < nbk ? parts * p->ensemble : nbk);
	/* Whole partitions per broker: the busiest has ceil(P / N). */
	broker_share = (double)((parts + nbr - 1) / nbr) / (double)parts;

	add_storage(&c, bookie_load, assumptions);
	add(&c, "bookie_nic_in", ROLE_BOOKIE, f[ROLE_BOOKIE].net_baseline_mb_per_s,
	    bookie_load, "documented", "NetworkCards[].BaselineBandwidthInGbps");
	add(&c, "broker_nic_in", ROLE_BROKER, f[ROLE_BROKER].net_baseline_mb_per_s,
	    broker_share, "documented", "NetworkCards[].BaselineBandwidthInGbps");
	add(&c, "broker_nic_out", ROLE_BROKER,
	    f[ROLE_BROKER].net_baseline_mb_per_s, broker_share *
	    (double)(p->write_quorum + subs), "documented",
	    "NetworkCards[].BaselineBandwidthInGbps; W copies to bookies and "
	    "one per subscription");
	/*
	 * OMB: one client runs producers and consumers; with two or more
	 * (workers), half of them (rounded down) produce, the rest consume,
	 * topics dealt out to them (DistributedWorkersEnsemble).
	 */
	if (ncl < 2) {
		out_load = 1;
		in_load = (double)subs;
	} else {
		long pw = ncl / 2, cw = ncl - ncl / 2;
		long units = topics * subs * consumers;

		if (pw > topics * producers)
			pw = topics * producers;
		if (cw > units)
			cw = units;
		out_load = 1.0 / (double)pw;
		in_load = units == 0 ? 0 : (double)((units + cw - 1) / cw) /
		    (double)(topics * consumers);
	}
	add(&c, "client_nic_out", ROLE_CLIENT,
	    f[ROLE_CLIENT].net_baseline_mb_per_s, out_load, "documented",
	    "NetworkCards[].BaselineBandwidthInGbps; producers");
	if (in_load > 0)
		add(&c, "client_nic_in", ROLE_CLIENT,
		    f[ROLE_CLIENT].net_baseline_mb_per_s, in_load,
		    "documented",
		    "NetworkCards[].BaselineBandwidthInGbps; consumers");

	best = INFINITY;
	json_array_foreach(c.resources, i, r) {
		double x = json_number_value(json_object_get(r,
		    "ceiling_mb_per_s"));

		if (x < best) {
			best = x;
			bound = json_string_value(json_object_get(r, "resource"));
		}
	}
	return json_pack("{s:O, s:O, s:f, s:f, s:f, s:s, s:o}",
	    "workload", w, "runs", runs,
	    "ceiling_msgs_per_s", best * 1e6 / c.msg_bytes,
	    "ceiling_mib_per_s", best * 1e6 / 1048576,
	    "ceiling_mb_per_s", best, "bounded_by", bound,
	    "resources", c.resources);
}

int
model_build(const struct model_plan *p, json_t *answers, json_t *workloads,
    json_t **out, char *err, size_t errlen)
{
	struct facts f[MODEL_ROLES];
	json_t *list = json_array(), *assumptions = json_array(), *wl;
	size_t i;
	int rc;

	*out = NULL;
	if ((rc = facts_load(f, p, answers, err, errlen)) != 0) {
		json_decref(list);
		json_decref(assumptions);
		return rc;
	}
	add_unique(assumptions, "sustained figures: network baseline, not peak; "
	    "EBS-optimized baseline, not the 30-minute maximum");
	add_unique(assumptions, "message bytes only: protocol, entry and index "
	    "overhead, compaction and CPU are not modeled");
	add_unique(assumptions, "tailing reads only: consumers read from the "
	    "broker cache, no backlog is read from the bookies");
	add_unique(assumptions, "partitions spread over brokers as evenly as whole "
	    "partitions allow, ledgers over bookies evenly");
	add_unique(assumptions, p->journal_sync_data ? "journal_sync_data true: "
	    "every byte is written to the journal and fsynced; the fsync rate "
	    "is not modeled" : "journal_sync_data false: the journal still "
	    "writes every byte, only later; the byte ceiling is the same");
	/* Merge workloads of the same shape: one prediction, its runs. */
	json_array_foreach(workloads, i, wl) {
		json_t *w = json_object_get(wl, "workload");
		json_t *run = json_object_get(wl, "run");
		size_t k;
		json_t *e = NULL;

		json_array_foreach(list, k, e)
			if (json_equal(json_object_get(e, "workload"), w))
				break;
		if (k == json_array_size(list)) {
			e = json_pack("{s:O, s:[]}", "workload", w, "runs");
			json_array_append_new(list, e);
		}
		if (json_is_string(run))
			json_array_append(json_object_get(e, "runs"), run);
	}
	*out = json_pack("{s:s, s:s, s:o, s:{s:b, s:I, s:I, s:I, s:b}, "
	    "s:[], s:o}", "schema", "plc-model/1", "experiment_id",
	    p->experiment_id, "instance_types", facts_json(f, p), "cluster",
	    "instance_store", p->instance_store, "ensemble_size",
	    (json_int_t)p->ensemble, "write_quorum",
	    (json_int_t)p->write_quorum, "ack_quorum",
	    (json_int_t)p->ack_quorum, "journal_sync_data",
	    p->journal_sync_data, "workloads", "assumptions", assumptions);
	json_array_foreach(list, i, wl)
		json_array_append_new(json_object_get(*out, "workloads"),
		    model_one(p, f, json_object_get(wl, "workload"),
		    json_object_get(wl, "runs"), assumptions));
	json_decref(list);
	return MODEL_OK;
}
