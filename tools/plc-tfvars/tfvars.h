/* terraform.tfvars.json: the configuration in terraform/variables.tf's names. */
#ifndef PLC_TFVARS_TFVARS_H
#define PLC_TFVARS_TFVARS_H

#include <stdio.h>

#include <jansson.h>

#include "config.h"

json_t	*tfvars_new(const struct config *);
/* Writes one document (indent 2) or NDJSON line (indent 0); -1 on error. */
int	 json_write(json_t *, FILE *, int indent);

#endif
