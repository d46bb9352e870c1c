/*
 * An experiment's configuration: the infrastructure and cluster files with
 * the plan's infrastructure: and cluster: sections laid over them, the plan,
 * and what the command line adds. Validation reports through diag().
 */
#ifndef PLC_TFVARS_CONFIG_H
#define PLC_TFVARS_CONFIG_H

#include <stddef.h>

#include "schema.h"
#include "ydoc.h"

struct tag {
	char	*key;
	char	*value;
};

struct config {
	struct ydoc	*infra_doc;
	struct ydoc	*cluster_doc;
	struct ydoc	*plan_doc;
	struct ydoc	*arena;
	struct ynode	*infra;		/* merged */
	struct ynode	*cluster;	/* merged */
	struct ynode	*plan;
	const char	*experiment_id;
	const char	*variant;	/* --variant: laid over the plan's sections */
	int		 infra_defaulted;	/* no -i: beside the plan */
	int		 cluster_defaulted;	/* no -c: beside the plan */
	struct tag	*cli_tags;	/* --tag, in order; later ones win */
	size_t		 ncli_tags;
};

/* The bounds an slo: section may set, ended by a NULL key. */
extern const struct field config_slo_fields[];

/* 0 when all three files load; otherwise the error is printed. */
int	 config_load(struct config *, const char *infra, const char *cluster,
	    const char *plan);
/* The plan's variant of that name, or NULL. */
const struct ynode	*variant_find(const struct ynode *plan, const char *name);
/* Checks everything; returns the number of errors printed. */
int	 config_validate(struct config *);
void	 config_free(struct config *);

/* The value of a key the schema made required, as a number or string. */
long long	 cfg_int(const struct ynode *, const char *dotted);
double		 cfg_num(const struct ynode *, const char *dotted);
int		 cfg_bool(const struct ynode *, const char *dotted);
const char	*cfg_str(const struct ynode *, const char *dotted);
long long	 cfg_mb(const struct ynode *, const char *dotted);

/* Exposed for the run expansion: the plan schema checks them too. */
extern const char *const key_distributors[];

#endif
