/*
 * The normalized metrics record plc-omb-parse writes for one run: units in
 * the names, derived figures and flags (see plc-omb-parse.1, JSON OUTPUT).
 */
#ifndef OMB_RECORD_H
#define OMB_RECORD_H

#include <jansson.h>

#include "omb_result.h"

#define OMB_RECORD_SCHEMA	1

struct omb_record_opts {
	const char	*experiment_id;	/* NULL: no experiment_id field */
	int		 with_runs;	/* add the run_* fields */
	int		 series;	/* add "series" */
	int		 quantiles;	/* add "quantiles" */
	const char	*failure_reason; /* of a run without result; NULL:
					  * "no result file for this run" */
};

/*
 * The record for result r read from source, joined to run (one line of
 * runs.ndjson) when run is not NULL. With r NULL, the failed record of a
 * run that left no result file.
 */
json_t	*omb_record_build(const struct omb_result *r, const char *source,
	    const json_t *run, const struct omb_record_opts *o);

/*
 * What the lifecycle knows of the run beyond its result (exec, its
 * executed.ndjson line): a workload that did not succeed is failed, with
 * the runner's reason when it gave one; an SLO gate's slo_pass and
 * slo_verdict are added (plc-omb-parse(1), EXECUTED WORKLOADS).
 */
void	omb_record_executed(json_t *rec, const json_t *exec);

#endif
