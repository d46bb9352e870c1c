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
};

/*
 * The record for result r read from source, joined to run (one line of
 * runs.ndjson) when run is not NULL. With r NULL, the failed record of a
 * run that left no result file.
 */
json_t	*omb_record_build(const struct omb_result *r, const char *source,
	    const json_t *run, const struct omb_record_opts *o);

#endif
