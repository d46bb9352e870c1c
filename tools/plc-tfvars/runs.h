/*
 * A plan's test runs expanded into what the lifecycle executes: one record
 * per run and repetition, each with its complete OMB workload.
 */
#ifndef PLC_TFVARS_RUNS_H
#define PLC_TFVARS_RUNS_H

#include <stdio.h>

#include <jansson.h>

#include "ydoc.h"

#define RUN_SCHEMA	"plc-run/1"

extern const char *const run_types[];

/* Type-specific rules of the plan's runs; errors through diag(). */
void	 runs_validate(const struct ynode *plan);
/* Calls emit once per record, in order; stops on its first non-zero. */
int	 runs_expand(const struct ynode *plan, const char *experiment_id,
	    int (*emit)(json_t *, void *), void *arg);

#endif
