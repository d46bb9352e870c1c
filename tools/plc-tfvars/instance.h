/* What plc-tfvars knows of EC2 instance types: family, architecture, memory. */
#ifndef PLC_TFVARS_INSTANCE_H
#define PLC_TFVARS_INSTANCE_H

enum instance_status {
	INSTANCE_OK,
	INSTANCE_BAD_SYNTAX,		/* not family.size */
	INSTANCE_BAD_SIZE,		/* size is not nano..metal */
	INSTANCE_UNKNOWN_FAMILY
};

struct instance_info {
	char		 family[32];
	const char	*arch;		/* "x86_64" or "arm64" */
	long		 memory_mib;	/* 0: unknown (e.g. some .metal sizes) */
};

enum instance_status	 instance_lookup(const char *, struct instance_info *);
/* The known family nearest to a misspelt one, or NULL. */
const char		*instance_family_suggest(const char *);

#endif
