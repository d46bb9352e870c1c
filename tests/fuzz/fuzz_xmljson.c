/*
 * The XML-to-JSON converter of every AWS answer: any bytes give a document
 * or an error message, never a crash, a leak, or a depth past the limit.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "xmljson.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];
	json_t *v;

	v = xml_to_json((const char *)data, size, err, sizeof(err));
	if (v == NULL && err[0] == '\0')
		__builtin_trap();	/* an error must say why */
	if (v != NULL) {
		char *s = json_dumps(v, JSON_COMPACT);

		free(s);
		json_decref(v);
	}
	return 0;
}
