/*
 * The capacity model: from a plan (terraform.tfvars.json), the instance
 * types' DescribeInstanceTypes answers and a workload, the highest publish
 * rate each resource of the cluster allows, and the lowest of them, the
 * predicted ceiling. The formula and its sources: docs/capacity-model.md.
 */
#ifndef PLC_MODEL_H
#define PLC_MODEL_H

#include <stddef.h>

#include <jansson.h>

enum model_status {
	MODEL_OK,
	MODEL_ERR_AWS,		/* an answer that does not describe the plan */
	MODEL_ERR_INPUT		/* tfvars, answers or a workload not readable */
};

/* The roles that carry messages, in this order. */
enum { ROLE_BOOKIE, ROLE_BROKER, ROLE_CLIENT, MODEL_ROLES };

/* At most this many answer lines (pages) and workloads are read. */
#define MODEL_MAX_ANSWERS	1000
#define MODEL_MAX_WORKLOADS	1000

struct model_volume {
	const char	*type;		/* gp3, gp2, io1, io2, st1 */
	double		 size_gb;
	double		 iops;		/* < 0: not set */
	double		 throughput_mib_per_s;	/* < 0: not set */
};

struct model_plan {
	json_t		*tfvars;
	const char	*experiment_id;
	const char	*region;
	struct {
		const char	*role;
		const char	*type;
		long		 count;
	} role[MODEL_ROLES];
	int		 instance_store;
	struct model_volume journal, ledger;
	long		 ensemble, write_quorum, ack_quorum;
	int		 journal_sync_data;
};

/* What DescribeInstanceTypes says of an instance type (model.c). */
struct facts {
	const char	*type;
	int		 described;
	int		 xen;		/* hypervisor xen: EBS as xvdX */
	long		 vcpus;
	double		 net_baseline_gbps;	/* all network cards */
	double		 net_baseline_mb_per_s;
	double		 net_peak_mb_per_s;
	double		 ebs_baseline_mb_per_s;	/* -1: not EBS-optimized */
	double		 ebs_maximum_mb_per_s;
	long		 disks;
	double		 disk_gb;
};

struct buf;

/*
 * The facts of type from the answers' DescribeInstanceTypesResponse pages:
 * MODEL_OK, MODEL_ERR_AWS (no answer describes it) or MODEL_ERR_INPUT
 * (one does, without vCPUs or network baseline), err set.
 */
int	model_facts(struct facts *f, const char *type, json_t *answers,
	    char *err, size_t errlen);

/*
 * Sustained throughput of an EBS volume, MB/s; how it was found is
 * appended to how.
 */
double	model_volume_mb_per_s(const struct model_volume *v, struct buf *how);

/*
 * The plc-limits/1 document of plc-prom(1) for every role of the plan
 * (each object of tfvars with an instance_type), or NULL with err set
 * and *status the reason (limits.c).
 */
json_t	*model_limits(const struct model_plan *plan, json_t *answers,
	    enum model_status *status, char *err, size_t errlen);

/* One NVMe instance-store disk of a type (instore.c). */
struct instore_disk {
	long		 disks;		/* the table's count, for the estimate */
	double		 write_mb_per_s;
	const char	*provenance;	/* "measured" or "estimate" */
	const char	*source;
};

/* 0 and *d set, or -1: the type is not in the table. */
int	instore_disk(const char *type, struct instore_disk *d);

/* Reads the plan (kept by reference: tfvars must outlive it). */
int	model_plan_load(struct model_plan *plan, json_t *tfvars, char *err,
	    size_t errlen);

/* The DescribeInstanceTypes request, for plc-aws-sign --send --paginate. */
json_t	*model_request(const struct model_plan *plan);

/*
 * The workload of a run line (plc-tfvars --runs: its "workload") or of a
 * bare OMB workload: a new object of the fields the model reads, or NULL
 * with err set.
 */
json_t	*model_workload(json_t *line, char *err, size_t errlen);

/*
 * answers: the lines plc-aws-sign --send printed; the pages whose body is
 * a DescribeInstanceTypesResponse are read, the others ignored (so the
 * answers preflight kept serve). workloads: an array of {workload, run}.
 * Sets *out (plc-model/1) or returns an error with err set.
 */
int	model_build(const struct model_plan *plan, json_t *answers,
	    json_t *workloads, json_t **out, char *err, size_t errlen);

/* A modeled OMB result covers at most this long a test (one week). */
#define MODEL_OMB_MAX_MINUTES	10080

/*
 * The latency law of a modeled OMB result (omb.c): p99 in ms at u, the
 * offered rate over the ceiling. With v = min(u, 0.98), 4 + 2 v / (1 - v),
 * plus 4000 (u - 1) above the ceiling; unclamped.
 */
double	model_omb_p99_ms(double u);

/*
 * The OMB result (TestResult's fields) that a benchmark of the OMB
 * workload w would write if the cluster of model (plc-model/1) behaved as
 * modeled, labeled "modeled": true; driver is the driver's name. NULL with
 * err set when model is none, it has no workload like w, or w is bad;
 * *culprit is then "model" or "workload", the input to blame.
 */
json_t	*model_omb_result(json_t *model, json_t *w, const char *driver,
	    const char **culprit, char *err, size_t errlen);

#endif
