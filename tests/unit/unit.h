/*
 * A tiny TAP producer for the C unit tests: each CHECK is one TAP line, so
 * tests/run counts them with the bats suites. Usage:
 *
 *	int main(void) { CHECK(1 + 1 == 2, "addition"); return unit_done(); }
 */
#ifndef UNIT_H
#define UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_count, unit_failed;

static inline int
unit_check(int ok, const char *file, int line, const char *what)
{
	unit_count++;
	printf("%s %d - %s\n", ok ? "ok" : "not ok", unit_count, what);
	if (!ok) {
		printf("#   failed at %s:%d\n", file, line);
		unit_failed++;
	}
	return ok;
}

#define CHECK(cond, what) unit_check(!!(cond), __FILE__, __LINE__, (what))

/* Compare strings and show both on failure. */
static inline int
unit_check_str(const char *got, const char *want, const char *file, int line,
    const char *what)
{
	int ok = got != NULL && want != NULL && strcmp(got, want) == 0;
	unit_check(ok, file, line, what);
	if (!ok)
		printf("#   got:  [%s]\n#   want: [%s]\n", got ? got : "(null)",
		    want ? want : "(null)");
	return ok;
}

#define CHECK_STR(got, want, what) \
	unit_check_str((got), (want), __FILE__, __LINE__, (what))

static inline int
unit_done(void)
{
	printf("1..%d\n", unit_count);
	return unit_failed ? 1 : 0;
}

#endif
