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
	return unit_done();
}
