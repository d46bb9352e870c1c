/* ISO 8601 UTC times, as AWS writes them. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cost.h"

/* 2026-11-24T19:52:29Z, with optional fraction; Z or +00:00. */
int
cost_parse_time(const char *s, time_t *t)
{
	struct tm tm = { 0 };
	const char *end;

	if ((end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm)) == NULL)
		return -1;
	if (*end == '.')
		end += strspn(end + 1, "0123456789") + 1;
	if (strcmp(end, "Z") != 0 && strcmp(end, "+00:00") != 0)
		return -1;
	*t = timegm(&tm);
	return 0;
}

char *
cost_format_time(time_t t, char *s, size_t len)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(s, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return s;
}
