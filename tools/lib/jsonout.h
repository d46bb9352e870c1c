/*
 * Writing jansson documents as one compact JSON line, with every real in its
 * shortest form that reads back to the same double (jansson itself only
 * offers a fixed %.17g, which prints 0.1 as 0.10000000000000001).
 */
#ifndef PLC_JSONOUT_H
#define PLC_JSONOUT_H

#include <stdio.h>

#include <jansson.h>

/* Enough for "-1.2345678901234567e-308" and its NUL. */
#define JSONOUT_DOUBLE_MAX	32

/*
 * Shortest decimal form of d that strtod reads back exactly; "null" when d
 * is not finite (JSON has no NaN or infinity). Independent of the locale
 * as long as LC_NUMERIC is "C", which plc tools never change.
 */
void	jsonout_fmt_double(char buf[JSONOUT_DOUBLE_MAX], double d);

/* Writes v and a newline to fp; returns 0, or -1 on an encoding error. */
int	jsonout_write_line(FILE *fp, const json_t *v);

#endif
