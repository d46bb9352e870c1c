#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "jsonout.h"
#include "unit.h"

static const char *
fmt(double d)
{
	static char buf[JSONOUT_DOUBLE_MAX];

	jsonout_fmt_double(buf, d);
	return buf;
}

static char *
line(json_t *v)
{
	char *s = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&s, &len);

	jsonout_write_line(fp, v);
	fclose(fp);
	json_decref(v);
	return s;
}

int
main(void)
{
	char *s;
	double d;

	CHECK_STR(fmt(0.1), "0.1", "0.1 prints short");
	CHECK_STR(fmt(0.0), "0", "zero");
	CHECK_STR(fmt(318848.46943582286), "318848.46943582286",
	    "17 digits kept when needed");
	CHECK_STR(fmt(1.5109383437056103E-6), "1.5109383437056103e-06",
	    "small value in exponent form");
	CHECK_STR(fmt(1e300 * 1e300), "null", "infinity is null");
	d = 2.0 / 3.0;
	CHECK(strtod(fmt(d), NULL) == d, "2/3 round-trips");

	s = line(json_pack("{s:f, s:i, s:[b, n], s:s}", "a", 60000.255, "b", 7,
	    "c", 1, "d", "x/\"y\""));
	CHECK_STR(s, "{\"a\":60000.255,\"b\":7,\"c\":[true,null],"
	    "\"d\":\"x/\\\"y\\\"\"}\n", "object in insertion order, one line");
	free(s);
	return unit_done();
}
