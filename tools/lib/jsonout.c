#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <yajl/yajl_gen.h>

#include "jsonout.h"

void
jsonout_fmt_double(char buf[JSONOUT_DOUBLE_MAX], double d)
{
	int prec;

	if (!isfinite(d)) {
		strcpy(buf, "null");
		return;
	}
	/* Whole numbers (counts, integral ms) print without an exponent. */
	if (d == floor(d) && fabs(d) < 1e17) {
		snprintf(buf, JSONOUT_DOUBLE_MAX, "%.0f", d);
		return;
	}
	/*
	 * Any decimal of at most DBL_DIG (15) digits that reads back as d is
	 * what %.15g prints once %g drops its trailing zeros, so the shortest
	 * form takes at most three tries, and mostly one.
	 */
	for (prec = DBL_DIG; prec < 17; prec++) {
		snprintf(buf, JSONOUT_DOUBLE_MAX, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			return;
	}
	snprintf(buf, JSONOUT_DOUBLE_MAX, "%.17g", d);
}

static int
gen_value(yajl_gen g, const json_t *v)
{
	char num[JSONOUT_DOUBLE_MAX];
	const char *key, *s;
	json_t *item;
	size_t i;
	int n;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		if (yajl_gen_map_open(g) != yajl_gen_status_ok)
			return -1;
		/* jansson keeps insertion order: records print as built. */
		json_object_foreach((json_t *)v, key, item) {
			if (yajl_gen_string(g, (const unsigned char *)key,
			    strlen(key)) != yajl_gen_status_ok ||
			    gen_value(g, item) == -1)
				return -1;
		}
		return yajl_gen_map_close(g) == yajl_gen_status_ok ? 0 : -1;
	case JSON_ARRAY:
		if (yajl_gen_array_open(g) != yajl_gen_status_ok)
			return -1;
		json_array_foreach(v, i, item)
			if (gen_value(g, item) == -1)
				return -1;
		return yajl_gen_array_close(g) == yajl_gen_status_ok ? 0 : -1;
	case JSON_STRING:
		s = json_string_value(v);
		return yajl_gen_string(g, (const unsigned char *)s,
		    json_string_length(v)) == yajl_gen_status_ok ? 0 : -1;
	case JSON_INTEGER:
		n = snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		return yajl_gen_number(g, num, n) == yajl_gen_status_ok ?
		    0 : -1;
	case JSON_REAL:
		jsonout_fmt_double(num, json_real_value(v));
		if (strcmp(num, "null") == 0)
			return yajl_gen_null(g) == yajl_gen_status_ok ? 0 : -1;
		return yajl_gen_number(g, num, strlen(num)) ==
		    yajl_gen_status_ok ? 0 : -1;
	case JSON_TRUE:
		return yajl_gen_bool(g, 1) == yajl_gen_status_ok ? 0 : -1;
	case JSON_FALSE:
		return yajl_gen_bool(g, 0) == yajl_gen_status_ok ? 0 : -1;
	case JSON_NULL:
		return yajl_gen_null(g) == yajl_gen_status_ok ? 0 : -1;
	}
	return -1;
}

int
jsonout_write_line(FILE *fp, const json_t *v)
{
	const unsigned char *out;
	size_t len;
	yajl_gen g;
	int rc = -1;

	if ((g = yajl_gen_alloc(NULL)) == NULL)
		return -1;
	if (gen_value(g, v) == 0 &&
	    yajl_gen_get_buf(g, &out, &len) == yajl_gen_status_ok) {
		fwrite(out, 1, len, fp);
		putc('\n', fp);
		rc = 0;
	}
	yajl_gen_free(g);
	return rc;
}
