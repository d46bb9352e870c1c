#include <stdio.h>

#include "rfc3339.h"

/*
 * n digits at *s, exactly (no sign, no space: sscanf's %2d takes "-1" and
 * " 1"), as a number from lo to hi. Advances *s; -1 when not one.
 */
static int
field(const char **s, int n, int lo, int hi)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if ((*s)[i] < '0' || (*s)[i] > '9')
			return -1;
		v = v * 10 + ((*s)[i] - '0');
	}
	*s += n;
	return v < lo || v > hi ? -1 : v;
}

static int
sep(const char **s, const char *any)
{
	for (; *any != '\0'; any++)
		if (**s == *any) {
			(*s)++;
			return 0;
		}
	return -1;
}

static int
month_days(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : days[m - 1];
}

int
rfc3339_parse(const char *s, time_t *out)
{
	struct tm tm = { 0 };
	int oh, om, sign;
	time_t t;

	if (s == NULL ||
	    (tm.tm_year = field(&s, 4, 0, 9999)) < 0 || sep(&s, "-") ||
	    (tm.tm_mon = field(&s, 2, 1, 12)) < 0 || sep(&s, "-") ||
	    (tm.tm_mday = field(&s, 2, 1, 31)) < 0 || sep(&s, "Tt ") ||
	    (tm.tm_hour = field(&s, 2, 0, 23)) < 0 || sep(&s, ":") ||
	    (tm.tm_min = field(&s, 2, 0, 59)) < 0 || sep(&s, ":") ||
	    (tm.tm_sec = field(&s, 2, 0, 60)) < 0)
		return -1;
	/* timegm would quietly roll 30 February into 2 March. */
	if (tm.tm_mday > month_days(tm.tm_year, tm.tm_mon))
		return -1;
	if (*s == '.') {
		if (*++s < '0' || *s > '9')
			return -1;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	if ((t = timegm(&tm)) == (time_t)-1)
		return -1;
	if ((*s == 'Z' || *s == 'z') && s[1] == '\0') {
		*out = t;
		return 0;
	}
	if (*s != '+' && *s != '-')
		return -1;
	sign = *s++ == '+' ? 1 : -1;
	if ((oh = field(&s, 2, 0, 23)) < 0 || sep(&s, ":") ||
	    (om = field(&s, 2, 0, 59)) < 0 || *s != '\0')
		return -1;
	*out = t - sign * (oh * 3600 + om * 60);
	return 0;
}
