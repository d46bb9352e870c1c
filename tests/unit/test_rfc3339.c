/* rfc3339_parse: the one parser of times every tool uses. */
#include <time.h>

#include "rfc3339.h"
#include "unit.h"

int
main(void)
{
	time_t t = 0;

	CHECK(rfc3339_parse("2026-11-25T03:00:00Z", &t) == 0 &&
	    t == 1795575600, "RFC 3339 with Z");
	CHECK(rfc3339_parse("2026-11-25T05:30:00.123456+02:30", &t) == 0 &&
	    t == 1795575600, "RFC 3339 with fraction and offset");
	CHECK(rfc3339_parse("2026-11-24T22:00:00-05:00", &t) == 0 &&
	    t == 1795575600, "RFC 3339 with a negative offset");
	CHECK(rfc3339_parse("2026-11-25 03:00:00", &t) == -1,
	    "a time without a zone is refused");
	CHECK(rfc3339_parse("tomorrow", &t) == -1, "words refused");
	CHECK(rfc3339_parse("2026-13-01T00:00:00Z", &t) == -1,
	    "month 13 is refused, not rolled into the next year");
	CHECK(rfc3339_parse("2026-11-24T24:00:00Z", &t) == -1,
	    "hour 24 is refused");
	CHECK(rfc3339_parse("2026-11-24T12:00:00Zjunk", &t) == -1,
	    "trailing text is refused");
	CHECK(rfc3339_parse(NULL, &t) == -1, "NULL is not a time");
	/* Issue 18, item 5: each of these was once shifted, not refused. */
	CHECK(rfc3339_parse("2026-02-30T00:00:00Z", &t) == -1,
	    "30 February is refused, not moved to 2 March");
	CHECK(rfc3339_parse("2026-04-31T00:00:00Z", &t) == -1,
	    "31 April is refused");
	CHECK(rfc3339_parse("2028-02-29T00:00:00Z", &t) == 0 &&
	    t == 1835395200, "29 February of a leap year");
	CHECK(rfc3339_parse("2100-02-29T00:00:00Z", &t) == -1,
	    "2100 is not a leap year");
	CHECK(rfc3339_parse("2026-11-24T-1:00:00Z", &t) == -1,
	    "a negative hour is refused");
	CHECK(rfc3339_parse("2026-11-24T12:-5:00Z", &t) == -1,
	    "a negative minute is refused");
	CHECK(rfc3339_parse("2026-11-24T12:00:00-25:99", &t) == -1,
	    "offset -25:99 is refused");
	CHECK(rfc3339_parse("2026-11-24T12:00:00+01:60", &t) == -1,
	    "offset minute 60 is refused");
	CHECK(rfc3339_parse("2026-11-24T12:00:00+1:00", &t) == -1,
	    "a one-digit offset hour is refused");
	CHECK(rfc3339_parse(" 2026-11-24T12:00:00Z", &t) == -1,
	    "a leading space is refused");
	CHECK(rfc3339_parse("2026-11-24T12:00:00.Z", &t) == -1,
	    "a fraction without digits is refused");
	return unit_done();
}
