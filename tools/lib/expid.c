#include <string.h>

#include "expid.h"

int
expid_valid(const char *id)
{
	size_t n = strlen(id);

	if (n < EXPID_MIN || n > EXPID_MAX || id[0] == '-' ||
	    id[n - 1] == '-')
		return 0;
	return strspn(id, "abcdefghijklmnopqrstuvwxyz0123456789-") == n;
}
