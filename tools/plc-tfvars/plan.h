/* What a plan says about itself: its reporting wishes and its size. */
#ifndef PLC_TFVARS_PLAN_H
#define PLC_TFVARS_PLAN_H

#include <jansson.h>

#include "config.h"

#define PLAN_SCHEMA	"plc-plan/1"

/* Expected seconds of all runs and steps; the number of records in *nruns. */
long long	 plan_duration_s(const struct ynode *plan, long long *nruns);
/* Runs must end before the nodes' TTL; errors through diag(). */
void		 plan_validate_ttl(const struct config *);
json_t		*plan_summary_new(const struct config *);

#endif
