#include <stdlib.h>
#include <string.h>

#include "instance.h"
#include "suggest.h"

struct family {
	const char	*name;
	const char	*arch;
	long		 mib_per_vcpu;
};

struct itype {
	const char	*name;
	long		 mib;
};

#define FAMILY(n, a, m)	{ n, a, m },
static const struct family families[] = {
#include "instance-families.def"
};
#undef FAMILY

#define TYPE(n, m)	{ n, m },
static const struct itype types[] = {
#include "instance-types.def"
};
#undef TYPE

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* vCPUs of a size name, 0 when the size has no fixed count (metal). */
static long
size_vcpus(const char *size, int *valid)
{
	static const struct { const char *name; long vcpus; } fixed[] = {
		{ "nano", 0 }, { "micro", 0 }, { "small", 0 },
		{ "medium", 1 }, { "large", 2 }, { "xlarge", 4 }, { "metal", 0 },
	};
	char *end;
	size_t i;
	long n;

	*valid = 1;
	for (i = 0; i < NELEM(fixed); i++)
		if (strcmp(size, fixed[i].name) == 0)
			return fixed[i].vcpus;
	/*
	 * metal-24xl and the like are real sizes, but terraform/variables.tf
	 * accepts only [a-z0-9]+ after the dot, so they are refused here too.
	 */
	if (size[0] >= '1' && size[0] <= '9') {
		n = strtol(size, &end, 10);
		if (n >= 2 && n <= 1024 && strcmp(end, "xlarge") == 0)
			return 4 * n;
	}
	*valid = 0;
	return 0;
}

enum instance_status
instance_lookup(const char *type, struct instance_info *info)
{
	const char *dot = strchr(type, '.');
	const struct family *f = NULL;
	size_t i, flen;
	long vcpus;
	int valid;

	memset(info, 0, sizeof(*info));
	if (dot == NULL || dot == type || strchr(dot + 1, '.') != NULL ||
	    dot[1] == '\0')
		return INSTANCE_BAD_SYNTAX;
	for (i = 0; type[i] != '\0'; i++)
		if (!((type[i] >= 'a' && type[i] <= 'z') ||
		    (type[i] >= '0' && type[i] <= '9') || type[i] == '-' ||
		    type[i] == '.'))
			return INSTANCE_BAD_SYNTAX;
	flen = (size_t)(dot - type);
	if (flen >= sizeof(info->family))
		return INSTANCE_UNKNOWN_FAMILY;
	memcpy(info->family, type, flen);
	info->family[flen] = '\0';
	vcpus = size_vcpus(dot + 1, &valid);
	if (!valid)
		return INSTANCE_BAD_SIZE;
	for (i = 0; i < NELEM(families); i++)
		if (strcmp(families[i].name, info->family) == 0)
			f = &families[i];
	if (f == NULL)
		return INSTANCE_UNKNOWN_FAMILY;
	info->arch = f->arch;
	info->memory_mib = vcpus * f->mib_per_vcpu;
	for (i = 0; i < NELEM(types); i++)
		if (strcmp(types[i].name, type) == 0)
			info->memory_mib = types[i].mib;
	return INSTANCE_OK;
}

const char *
instance_family_suggest(const char *family)
{
	const char *names[NELEM(families) + 1];
	size_t i;

	for (i = 0; i < NELEM(families); i++)
		names[i] = families[i].name;
	names[i] = NULL;
	return suggest(family, names);
}
