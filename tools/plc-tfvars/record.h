/*
 * The records a lab keeps beside what it made from a plan:
 * experiment.json (one experiment) and frontier.json (a frontier's
 * experiments, one per variant). Both name the plan as the scripts do: the
 * file's name without ".yaml".
 */
#ifndef PLC_TFVARS_RECORD_H
#define PLC_TFVARS_RECORD_H

#include <stdio.h>

#include <jansson.h>

#include "config.h"

#define EXPERIMENT_SCHEMA	"plc-experiment/1"
#define FRONTIER_RUN_SCHEMA	"plc-frontier-run/1"

/* 1 when mode is one an experiment runs in ("aws", "local"). */
int	 record_mode_valid(const char *mode);

/* experiment.json of c's experiment, created now, run in mode. */
json_t	*record_experiment_new(const struct config *c, const char *plan_file,
	    const char *mode);

/*
 * frontier.json of frontier id: one line of in per experiment, "VARIANT
 * EXPERIMENT-ID [EXIT-STATUS]". Returns NULL after an error on stderr
 * ("<stdin>:LINE: ...") when a line is not one of those.
 */
json_t	*record_frontier_new(const struct config *c, const char *plan_file,
	    const char *id, FILE *in);

#endif
