/*
 * The decisions of stepped runs: given a run (one line of plc-tfvars --runs)
 * and the metrics records of the steps it has run so far, which step comes
 * next, or why the run stops, and for slo_search the answer.
 */
#ifndef PLC_SEARCH_H
#define PLC_SEARCH_H

#include <stddef.h>

#include <jansson.h>

enum search_err {
	SEARCH_OK = 0,
	SEARCH_BAD_RUN,		/* the run line is not a stepped run plc knows */
	SEARCH_BAD_STEP		/* a step record does not fit the run */
};

/*
 * The decision for run after the records steps[0..nsteps-1] (step 1 first).
 * On SEARCH_OK, *out is a new plc-search/1 document; otherwise err holds
 * the reason. run and steps are only read.
 */
enum search_err	search_decide(const json_t *run, json_t *const *steps,
		    size_t nsteps, json_t **out, char *err, size_t errlen);

/*
 * capacity.json (plc-capacity/1) from the final decisions of slo_search
 * runs; other decisions are skipped.
 */
json_t		*search_capacity(const char *experiment_id,
		    json_t *const *decisions, size_t n);

#endif
