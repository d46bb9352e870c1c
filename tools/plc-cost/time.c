/* ISO 8601 UTC times, as AWS writes them. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cost.h"

char *
cost_format_time(time_t t, char *s, size_t len)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(s, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return s;
}
