/* Checks that span several keys or need more than a type and a range. */
#ifndef PLC_TFVARS_VALIDATE_H
#define PLC_TFVARS_VALIDATE_H

#include <stdint.h>

#include "config.h"

void	validate_infra(struct config *);
void	validate_cluster(struct config *);
void	validate_strlist_choices(const struct ynode *, const char *dotted,
	    const char *const *choices);

/* Shared with the command line. */
/* NULL when valid, else what is wrong with it. */
const char *tag_problem(const char *key, const char *value);
int	cidr_parse(const char *, uint32_t *addr, int *prefix);

/* The architecture every role's instance type shares (after validation). */
const char *config_architecture(const struct config *);
/* compute.monitoring.instance_type, else t3.small (t4g.small on arm64) */
const char *monitoring_type(const struct config *);

#endif
