#include <ctype.h>
#include <stdio.h>

#include "rfc3339.h"

int
rfc3339_parse(const char *s, time_t *out)
{
	struct tm tm = { 0 };
	int n = 0, oh, om, sign;
	time_t t;

	if (s == NULL || sscanf(s, "%4d-%2d-%2d%*1[Tt ]%2d:%2d:%2d%n",
	    &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
	    &tm.tm_sec, &n) != 6 || n == 0)
		return -1;
	/* timegm would quietly roll 2026-13-40 into 2027. */
	if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 ||
	    tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
	    tm.tm_sec > 60)
		return -1;
	s += n;
	if (*s == '.')
		for (s++; isdigit((unsigned char)*s); s++)
			;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	if ((t = timegm(&tm)) == (time_t)-1)
		return -1;
	if ((*s == 'Z' || *s == 'z') && s[1] == '\0') {
		*out = t;
		return 0;
	}
	if ((*s != '+' && *s != '-') ||
	    sscanf(s + 1, "%2d:%2d%n", &oh, &om, &n) != 2 || s[1 + n] != '\0')
		return -1;
	sign = *s == '+' ? 1 : -1;
	*out = t - sign * (oh * 3600 + om * 60);
	return 0;
}
