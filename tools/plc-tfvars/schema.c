#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "schema.h"
#include "suggest.h"

static int ndiag;

static void
vdiag(const char *kind, const struct ynode *n, const char *path,
    const char *fmt, va_list ap)
{
	fputs("plc-tfvars: ", stderr);
	if (kind != NULL)
		fprintf(stderr, "%s: ", kind);
	if (n != NULL)
		fprintf(stderr, "%s:%d:%d: ", n->file, n->line, n->col);
	if (path != NULL && path[0] != '\0')
		fprintf(stderr, "%s: ", path);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
diag(const struct ynode *n, const char *path, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdiag(NULL, n, path, fmt, ap);
	va_end(ap);
	ndiag++;
}

void
diag_warn(const struct ynode *n, const char *path, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdiag("warning", n, path, fmt, ap);
	va_end(ap);
}

int
diag_count(void)
{
	return ndiag;
}

const char *
yfound(const struct ynode *n, char *out, size_t len)
{
	if (n == NULL)
		snprintf(out, len, "nothing");
	else if (n->kind == Y_MAP)
		snprintf(out, len, "a mapping");
	else if (n->kind == Y_SEQ)
		snprintf(out, len, n->nitems ? "a sequence" :
		    "an empty sequence");
	else if (yscalar_is_null(n))
		snprintf(out, len, "null");
	else
		snprintf(out, len, "%s\"%.60s%s\"", n->plain ? "" :
		    "the quoted string ", n->str, strlen(n->str) > 60 ?
		    "..." : "");
	return out;
}

int
yint(const struct ynode *n, long long *v)
{
	const char *s;
	char *end;

	if (n == NULL || n->kind != Y_SCALAR || !n->plain)
		return 0;
	s = n->str;
	if (*s == '+' || *s == '-')
		s++;
	if (*s < '0' || *s > '9')
		return 0;
	errno = 0;
	*v = strtoll(n->str, &end, 10);
	return errno == 0 && *end == '\0';
}

int
ynum(const struct ynode *n, double *v)
{
	const char *s;
	char *end;

	if (n == NULL || n->kind != Y_SCALAR || !n->plain)
		return 0;
	s = n->str;
	if (*s == '+' || *s == '-')
		s++;
	/* Only decimal notation: no inf, nan or hexadecimal floats. */
	if (!((*s >= '0' && *s <= '9') || (*s == '.' && s[1] >= '0' &&
	    s[1] <= '9')) || strpbrk(s, "xXnN") != NULL)
		return 0;
	errno = 0;
	*v = strtod(n->str, &end);
	return errno == 0 && *end == '\0' && isfinite(*v);
}

int
ybool(const struct ynode *n, int *v)
{
	static const char *const t[] = { "true", "True", "TRUE", NULL };
	static const char *const f[] = { "false", "False", "FALSE", NULL };
	int i;

	if (n == NULL || n->kind != Y_SCALAR || !n->plain)
		return 0;
	for (i = 0; t[i] != NULL; i++) {
		if (strcmp(n->str, t[i]) == 0)
			return *v = 1, 1;
		if (strcmp(n->str, f[i]) == 0)
			return *v = 0, 1;
	}
	return 0;
}

int
ysize_mb(const struct ynode *n, long long *mb)
{
	char *end;
	long long v;

	if (n == NULL || n->kind != Y_SCALAR || n->str[0] < '0' ||
	    n->str[0] > '9')
		return 0;
	errno = 0;
	v = strtoll(n->str, &end, 10);
	if (errno != 0 || v > 1024LL * 1024 * 1024)
		return 0;
	if ((end[0] == 'M' || end[0] == 'm') && end[1] == '\0')
		*mb = v;
	else if ((end[0] == 'G' || end[0] == 'g') && end[1] == '\0')
		*mb = v * 1024;
	else
		return 0;
	return 1;
}

static int
is_string(const struct ynode *n)
{
	return n != NULL && n->kind == Y_SCALAR && !yscalar_is_null(n);
}

static void
describe_range(struct buf *b, const char *what, const struct field *f,
    int integral)
{
	int hasmax = f->max > f->min;

	buf_adds(b, what);
	if (hasmax && integral)
		buf_addf(b, " between %.0f and %.0f", f->min, f->max);
	else if (hasmax)
		buf_addf(b, " between %g and %g", f->min, f->max);
	else if (integral)
		buf_addf(b, " >= %.0f", f->min);
	else
		buf_addf(b, " >= %g", f->min);
}

static void
expect_error(const struct ynode *n, const char *path, const char *expected)
{
	char found[96];

	diag(n, path, "expected %s, found %s", expected,
	    yfound(n, found, sizeof(found)));
}

static void
check_value(const struct ynode *n, const struct field *f, const char *path)
{
	struct buf b = { 0 };
	long long iv;
	double dv;
	size_t i;
	int bv;

	switch (f->type) {
	case T_MAP:
		if (n->kind != Y_MAP)
			expect_error(n, path, "a mapping");
		else if (f->sub != NULL)
			schema_check(n, f->sub, path);
		break;
	case T_INT:
		describe_range(&b, "an integer", f, 1);
		if (!yint(n, &iv) || (double)iv < f->min ||
		    (f->max > f->min && (double)iv > f->max))
			expect_error(n, path, b.data);
		break;
	case T_NUM:
		describe_range(&b, "a number", f, 0);
		if (!ynum(n, &dv) || dv < f->min ||
		    (f->max > f->min && dv > f->max))
			expect_error(n, path, b.data);
		break;
	case T_SIZE_MB:
		buf_addf(&b, "a size between %.0fM and %.0fM, such as 512M or "
		    "2G", f->min, f->max);
		if (!ysize_mb(n, &iv) || (double)iv < f->min ||
		    (double)iv > f->max)
			expect_error(n, path, b.data);
		break;
	case T_BOOL:
		if (!ybool(n, &bv))
			expect_error(n, path, "true or false");
		break;
	case T_STR:
		if (!is_string(n)) {
			expect_error(n, path, "a string");
			break;
		}
		if (f->choices == NULL)
			break;
		for (i = 0; f->choices[i] != NULL; i++)
			if (strcmp(n->str, f->choices[i]) == 0)
				break;
		if (f->choices[i] != NULL)
			break;
		buf_adds(&b, "one of ");
		for (i = 0; f->choices[i] != NULL; i++)
			buf_addf(&b, "%s%s", i ? ", " : "", f->choices[i]);
		expect_error(n, path, b.data);
		break;
	case T_STRMAP:
		if (n->kind != Y_MAP && !yscalar_is_null(n)) {
			expect_error(n, path, "a mapping of strings");
			break;
		}
		for (i = 0; n->kind == Y_MAP && i < n->npairs; i++) {
			buf_reset(&b);
			buf_addf(&b, "%s.%s", path, n->pairs[i].key->str);
			if (n->pairs[i].val->kind != Y_SCALAR)
				expect_error(n->pairs[i].val, b.data,
				    "a string");
		}
		break;
	case T_STRLIST:
		if (n->kind != Y_SEQ) {
			expect_error(n, path, "a sequence of strings");
			break;
		}
		for (i = 0; i < n->nitems; i++) {
			buf_reset(&b);
			buf_addf(&b, "%s[%zu]", path, i);
			if (!is_string(n->items[i]))
				expect_error(n->items[i], b.data, "a string");
		}
		break;
	case T_LIST:
		if (n->kind != Y_SEQ || n->nitems < (size_t)f->min) {
			buf_addf(&b, "a sequence of at least %.0f mapping%s",
			    f->min, f->min == 1 ? "" : "s");
			expect_error(n, path, b.data);
			break;
		}
		for (i = 0; i < n->nitems; i++) {
			buf_reset(&b);
			buf_addf(&b, "%s[%zu]", path, i);
			if (n->items[i]->kind != Y_MAP)
				expect_error(n->items[i], b.data, "a mapping");
			else
				schema_check(n->items[i], f->sub, b.data);
		}
		break;
	}
	buf_free(&b);
}

void
schema_check(const struct ynode *m, const struct field *fields,
    const char *path)
{
	const char *names[128];
	struct buf sub = { 0 };
	const struct ynode *v;
	const char *near;
	size_t i, nf;

	for (nf = 0; fields[nf].key != NULL && nf < 127; nf++)
		names[nf] = fields[nf].key;
	names[nf] = NULL;
	for (i = 0; i < m->npairs; i++) {
		const struct ynode *k = m->pairs[i].key;
		const struct field *f = NULL;
		size_t j;

		for (j = 0; j < nf; j++)
			if (strcmp(fields[j].key, k->str) == 0)
				f = &fields[j];
		buf_reset(&sub);
		buf_addf(&sub, "%s%s%s", path, path[0] ? "." : "", k->str);
		if (f != NULL && !f->required &&
		    yscalar_is_null(m->pairs[i].val))
			continue;	/* null: not set */
		if (f == NULL) {
			if ((near = suggest(k->str, names)) != NULL)
				diag(k, sub.data, "unknown key, did you mean "
				    "\"%s\"?", near);
			else
				diag(k, sub.data, "unknown key");
			continue;
		}
		check_value(m->pairs[i].val, f, sub.data);
	}
	for (i = 0; i < nf; i++) {
		if (!fields[i].required)
			continue;
		v = ymap_get(m, fields[i].key);
		if (v != NULL)
			continue;
		buf_reset(&sub);
		buf_addf(&sub, "%s%s%s", path, path[0] ? "." : "",
		    fields[i].key);
		diag(m, sub.data, "missing required key");
	}
	buf_free(&sub);
}

struct ynode *
yget(const struct ynode *m, const char *dotted)
{
	char key[128];
	const char *dot;
	size_t len;

	while (m != NULL) {
		dot = strchr(dotted, '.');
		len = dot ? (size_t)(dot - dotted) : strlen(dotted);
		if (len >= sizeof(key))
			return NULL;
		memcpy(key, dotted, len);
		key[len] = '\0';
		m = ymap_get(m, key);
		if (dot == NULL)
			return (struct ynode *)m;
		dotted = dot + 1;
	}
	return NULL;
}
