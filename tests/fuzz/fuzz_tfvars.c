/*
 * plc-tfvars' YAML loader (anchors, aliases, merge keys, the limits of
 * plc-tfvars(1), LIMITS), then the null stripping and overlay every file
 * goes through.
 */
#include <stddef.h>
#include <stdint.h>

#include "ydoc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[1024];
	struct ydoc *d, *arena;

	if (size > YDOC_MAX_BYTES)
		return 0;
	if ((d = ydoc_load_buffer("fuzz.yaml", data, size, err,
	    sizeof(err))) == NULL) {
		if (err[0] == '\0')
			__builtin_trap();	/* an error must say why */
		return 0;
	}
	if (d->root != NULL) {
		arena = ydoc_new("overlay");
		ynode_merge(arena, d->root, d->root);
		ynode_strip_nulls(d->root, "workload");
		ydoc_free(arena);
	}
	ydoc_free(d);
	return 0;
}
