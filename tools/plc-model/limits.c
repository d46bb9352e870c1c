/*
 * plc-model -L: the limits of every node of the plan, plc-limits/1 of
 * plc-prom(1), from the same DescribeInstanceTypes answers as the model:
 * what plc-prom -j compares a run's metrics with. The device names and
 * their sources: plc-model(1), "LIMITS".
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "model.h"

/* The lab's budgets, not instance properties (plc-model(1)). */
#define DISK_LATENCY_MS	10	/* EBS: "single-digit millisecond" */
#define GC_TIME_RATIO	0.1

/* MB/s (AWS's and the model's unit) to whole bytes per second. */
static json_t *
bytes_per_s(double mb_per_s)
{
	return json_integer((json_int_t)llround(mb_per_s * 1e6));
}

/*
 * One device: its limit under name, and where the figure comes from under
 * devices (use, source); mb_per_s < 0: no figure, only the source.
 */
static void
device(json_t *limit, json_t *devices, const char *name, const char *use,
    double mb_per_s, const char *source)
{
	if (mb_per_s >= 0)
		json_object_set_new(limit, name, bytes_per_s(mb_per_s));
	json_object_set_new(devices, name, json_pack("{s:s, s:s}", "use", use,
	    "source", source));
}

/*
 * An EBS volume attached as the node's device name: its own throughput,
 * no more than the instance's EBS-optimized baseline, which every volume
 * of the node shares.
 */
static void
ebs_device(json_t *limit, json_t *devices, const struct facts *f,
    const char *name, const char *use, const struct model_volume *v)
{
	struct buf how = { 0 };
	double mb = model_volume_mb_per_s(v, &how);

	buf_addf(&how, ": %.2f MB/s", mb);
	if (f->ebs_baseline_mb_per_s > 0 && f->ebs_baseline_mb_per_s < mb) {
		mb = f->ebs_baseline_mb_per_s;
		buf_addf(&how, ", capped by %s's EbsOptimizedInfo."
		    "BaselineThroughputInMBps %.2f", f->type, mb);
	}
	device(limit, devices, name, use, mb, how.data);
	buf_free(&how);
}

/* The disks of one role's nodes, as Linux names them. */
static void
disks(json_t *limit, json_t *devices, const struct model_plan *p,
    const char *role, json_t *r, const struct facts *f)
{
	struct model_volume root = { "gp3", 30, -1, -1 };
	struct instore_disk d;
	struct buf how = { 0 };
	json_t *gb = json_object_get(r, "root_volume_gb");
	int bookie = strcmp(role, "bookkeeper") == 0;
	char name[32];

	/*
	 * Nitro: every disk is an NVMe namespace, the root volume first
	 * (nvme0n1), then the others in attachment order; Xen: EBS as
	 * /dev/xvdX of the name asked (sdf: xvdf), instance store NVMe.
	 */
	if (json_is_number(gb))
		root.size_gb = json_number_value(gb);
	ebs_device(limit, devices, f, f->xen ? "xvda" : "nvme0n1", "root", &root);
	if (!bookie)
		return;
	if (!p->instance_store) {
		ebs_device(limit, devices, f, f->xen ? "xvdf" : "nvme1n1",
		    "journal", &p->journal);
		ebs_device(limit, devices, f, f->xen ? "xvdg" : "nvme2n1",
		    "ledger", &p->ledger);
		return;
	}
	for (long i = 0; i < f->disks; i++) {
		int known = instore_disk(f->type, &d) == 0;

		snprintf(name, sizeof(name), "nvme%ldn1", f->xen ? i : i + 1);
		buf_reset(&how);
		if (known)
			buf_addf(&how, "instance store, %.0f MB/s sequential "
			    "write (%s: %s)", d.write_mb_per_s, d.provenance,
			    d.source);
		else
			buf_addf(&how, "instance store: DescribeInstanceTypes "
			    "gives no bandwidth and plc-model's table has "
			    "none for %s: no limit", f->type);
		device(limit, devices, name, f->disks == 1 ? "journal, ledger" :
		    i == 0 ? "journal" : "ledger", known ? d.write_mb_per_s : -1,
		    how.data);
	}
	buf_free(&how);
}

json_t *
model_limits(const struct model_plan *p, json_t *answers,
    enum model_status *status, char *err, size_t errlen)
{
	json_t *roles = json_object(), *r;
	const char *role, *type;
	struct facts f;

	json_object_foreach(p->tfvars, role, r) {
		json_t *limit, *devices;

		/*
		 * The monitor node measures; it is not what limits a run
		 * (and, turned off, its type is not asked about).
		 */
		if (strcmp(role, "monitoring") == 0 ||
		    (type = json_string_value(json_object_get(r,
		    "instance_type"))) == NULL)
			continue;
		if ((*status = model_facts(&f, type, answers, err,
		    errlen)) != MODEL_OK) {
			json_decref(roles);
			return NULL;
		}
		limit = json_object();
		devices = json_object();
		disks(limit, devices, p, role, r, &f);
		json_object_set_new(roles, role, json_pack("{s:s, s:I, s:f, "
		    "s:o, s:o, s:i, s:f}", "instance_type", type, "vcpus",
		    (json_int_t)f.vcpus, "network_baseline_gbps",
		    f.net_baseline_gbps, "disk_bytes_per_s", limit, "devices",
		    devices, "disk_latency_ms", DISK_LATENCY_MS,
		    "gc_time_ratio", GC_TIME_RATIO));
	}
	*status = MODEL_OK;
	return json_pack("{s:s, s:s, s:s, s:s, s:o}", "schema", "plc-limits/1",
	    "experiment_id", p->experiment_id, "region", p->region, "about",
	    "vcpus, network_baseline_gbps and the EBS cap from EC2 "
	    "DescribeInstanceTypes (VCpuInfo.DefaultVCpus, NetworkCards[]."
	    "BaselineBandwidthInGbps, EbsOptimizedInfo."
	    "BaselineThroughputInMBps); each device's figure and source "
	    "under devices (DescribeInstanceTypes gives no instance-store "
	    "bandwidth); disk_latency_ms and gc_time_ratio are budgets of "
	    "the lab", "roles", roles);
}
