/*
 * Preflight: what a plan asks of its region, asked before anything is made.
 * preflight_requests builds the AWS requests (for plc-aws-sign --send
 * --paginate); preflight_judge reads their answers, in the same order, and
 * decides: the zone, the image's architecture against the instance types,
 * whether the image exists, the vCPUs against the on-demand (or spot) quota.
 */
#ifndef PLC_PREFLIGHT_H
#define PLC_PREFLIGHT_H

#include <stddef.h>

#include <jansson.h>

/* The roles of terraform.tfvars.json that launch instances, in its order. */
#define PREFLIGHT_ROLES	5	/* the four Pulsar roles and the monitor */
/* At most this many answer lines (pages) are read. */
#define PREFLIGHT_MAX_ANSWERS	1000

enum preflight_status {
	PREFLIGHT_OK,
	PREFLIGHT_ERR_AWS,		/* an answer that says nothing of the plan */
	PREFLIGHT_ERR_INPUT,		/* tfvars or answers not readable */
	PREFLIGHT_FAILED		/* the plan fails a check */
};

struct preflight_plan {
	const char	*experiment_id;
	const char	*region;
	const char	*zone;		/* the plan's availability_zone, or NULL */
	const char	*architecture;	/* the plan's (from its instance types) */
	const char	*image_id;	/* -i, or NULL (stock Amazon Linux) */
	int		 spot;
	struct {
		const char	*role;
		const char	*type;
		long		 count;
	} role[PREFLIGHT_ROLES];
	size_t		 nroles;	/* 4, or 5 with the monitor node */
	const char	*types[PREFLIGHT_ROLES];	/* distinct, sorted */
	size_t		 ntypes;
};

/*
 * Reads the plan from a terraform.tfvars.json document (kept by reference:
 * tfvars must outlive plan). PREFLIGHT_ERR_INPUT with err naming the field.
 */
int	preflight_plan_load(struct preflight_plan *plan, json_t *tfvars,
	    const char *image_id, char *err, size_t errlen);

/* The requests, in the order preflight_judge expects their answers. */
json_t	*preflight_requests(const struct preflight_plan *plan);

/*
 * answers: every line plc-aws-sign --send --paginate printed, in order.
 * Sets *verdict (the JSON document, also when a check failed) and returns
 * PREFLIGHT_OK or PREFLIGHT_FAILED; or returns PREFLIGHT_ERR_AWS or
 * PREFLIGHT_ERR_INPUT with err set and no verdict.
 */
int	preflight_judge(const struct preflight_plan *plan, json_t *answers,
	    json_t **verdict, char *err, size_t errlen);

/* A node's status file larger than this is "unreadable". */
#define PREFLIGHT_MAX_STATUS_BYTES	(1 << 20)

/*
 * The nodes' readiness from dir/<node>.json, each written by the node
 * ({"state":"ready"|"failed"|...}): {"nodes","ready","failed":[node],
 * "by_role":[{"role","ready","nodes"}] (by role name),
 * "waiting":[{"node","state"}]}; a missing or empty file is "no status
 * yet", one without a string state "unreadable".
 */
json_t	*preflight_ready(const char *dir, char *const nodes[], size_t n);

#endif
