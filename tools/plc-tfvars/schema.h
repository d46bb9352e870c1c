/*
 * Declarative checks of a YAML tree: which keys a mapping may hold, which are
 * required, their types and ranges. Every problem is reported with the
 * node's file:line:col and the key path, and counted; nothing stops early.
 */
#ifndef PLC_TFVARS_SCHEMA_H
#define PLC_TFVARS_SCHEMA_H

#include <stddef.h>

#include "ydoc.h"

enum ftype {
	T_MAP,		/* sub: the mapping's fields */
	T_INT,		/* min..max */
	T_NUM,		/* min..max, integer or decimal */
	T_BOOL,
	T_STR,		/* choices: NULL or the allowed values */
	T_SIZE_MB,	/* "512M", "2G": whole MiB, min..max in MiB */
	T_STRMAP,	/* a mapping of strings to strings */
	T_STRLIST,	/* a sequence of strings */
	T_LIST,		/* a sequence of mappings with fields sub; min items */
};

struct field {
	const char		*key;
	enum ftype		 type;
	int			 required;
	double			 min;
	double			 max;
	const struct field	*sub;
	const char *const	*choices;
};

/* Every diagnostic goes to stderr through here. */
void	 diag(const struct ynode *, const char *path, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	 diag_warn(const struct ynode *, const char *path, const char *fmt,
	    ...) __attribute__((format(printf, 3, 4)));
int	 diag_count(void);

/* Check a mapping (or absent: NULL) against fields, below path. */
void	 schema_check(const struct ynode *, const struct field *,
	    const char *path);

/* Typed reads of scalars that schema_check accepted. */
int	 yint(const struct ynode *, long long *);
int	 ynum(const struct ynode *, double *);
int	 ybool(const struct ynode *, int *);
int	 ysize_mb(const struct ynode *, long long *);
/* "a mapping", "\"text\"", ...: how an error names what it found. */
const char *yfound(const struct ynode *, char *, size_t);

/* Value at a dotted path below a mapping, or NULL. */
struct ynode	*yget(const struct ynode *, const char *dotted);

#endif
