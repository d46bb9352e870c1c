#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "ini.h"

struct ini_parser {
	struct ini_file		*f;
	struct ini_section	*sec, **sec_tail;
	struct ini_prop		*prop;		/* last top-level property */
	struct ini_prop		**prop_tail;
	struct ini_prop		**sub_tail;
	int			 line;
	char			*err;
	size_t			 errlen;
};

static int
is_blank(int c)
{
	return c == ' ' || c == '\t';
}

/* Trims [*s, *e) of spaces and tabs on both sides. */
static void
trim(const char **s, const char **e)
{
	while (*s < *e && is_blank((unsigned char)**s))
		(*s)++;
	while (*e > *s && is_blank((unsigned char)(*e)[-1]))
		(*e)--;
}

static char *
lower_dup(const char *s, const char *e)
{
	char *p = xstrndup(s, (size_t)(e - s));
	char *q;

	for (q = p; *q != '\0'; q++)
		*q = (char)tolower((unsigned char)*q);
	return p;
}

static int
parse_error(struct ini_parser *ps, const char *what)
{
	snprintf(ps->err, ps->errlen, "%s:%d: %s", ps->f->path, ps->line, what);
	return -1;
}

static struct ini_prop *
prop_new(const char *ks, const char *ke, const char *vs, const char *ve,
    int line)
{
	struct ini_prop *p = xcalloc(1, sizeof(*p));

	p->key = lower_dup(ks, ke);
	p->value = xstrndup(vs, (size_t)(ve - vs));
	p->line = line;
	return p;
}

static int
parse_section(struct ini_parser *ps, const char *s, const char *e)
{
	const char *close, *ns, *ne, *r;
	struct ini_section *sec;

	close = memchr(s, ']', (size_t)(e - s));
	if (close == NULL)
		return parse_error(ps, "expected ']' to end the section name");
	for (r = close + 1; r < e && is_blank((unsigned char)*r); r++)
		;
	if (r < e && *r != '#' && *r != ';')
		return parse_error(ps, "expected only a comment after ']'");
	ns = s + 1;
	ne = close;
	trim(&ns, &ne);
	if (ns == ne)
		return parse_error(ps, "expected a section name between '[' and ']'");
	sec = xcalloc(1, sizeof(*sec));
	sec->name = xstrndup(ns, (size_t)(ne - ns));
	sec->line = ps->line;
	*ps->sec_tail = sec;
	ps->sec_tail = &sec->next;
	ps->sec = sec;
	ps->prop = NULL;
	ps->prop_tail = &sec->props;
	return 0;
}

static int
parse_property(struct ini_parser *ps, const char *s, const char *e)
{
	const char *eq, *ks, *ke, *vs, *ve, *c;
	struct ini_prop *p;

	if (ps->sec == NULL)
		return parse_error(ps,
		    "expected a section like [default] before this property");
	eq = memchr(s, '=', (size_t)(e - s));
	if (eq == NULL)
		return parse_error(ps, "expected '=' defining a property");
	ks = s;
	ke = eq;
	trim(&ks, &ke);
	if (ks == ke)
		return parse_error(ps, "expected a property name before '='");
	vs = eq + 1;
	ve = e;
	/* An inline comment needs whitespace before it: "a#b" is a value. */
	for (c = vs; c < ve; c++)
		if ((*c == '#' || *c == ';') && c > vs &&
		    is_blank((unsigned char)c[-1])) {
			ve = c;
			break;
		}
	trim(&vs, &ve);
	p = prop_new(ks, ke, vs, ve, ps->line);
	*ps->prop_tail = p;
	ps->prop_tail = &p->next;
	ps->prop = p;
	ps->sub_tail = &p->sub;
	return 0;
}

static int
parse_continuation(struct ini_parser *ps, const char *s, const char *e)
{
	const char *eq, *ks, *ke, *vs, *ve;
	struct ini_prop *p;
	struct buf b = { 0 };

	if (ps->sec == NULL)
		return parse_error(ps,
		    "expected a section like [default] before this line");
	if (ps->prop == NULL)
		return parse_error(ps,
		    "expected a property definition, found a continuation line");
	trim(&s, &e);
	if (ps->prop->value[0] != '\0') {
		buf_adds(&b, ps->prop->value);
		buf_addc(&b, '\n');
		buf_add(&b, s, (size_t)(e - s));
		free(ps->prop->value);
		ps->prop->value = buf_detach(&b);
		return 0;
	}
	/* Under "key =" indented lines are sub-properties, each "k = v". */
	eq = memchr(s, '=', (size_t)(e - s));
	if (eq == NULL)
		return parse_error(ps, "expected '=' defining a sub-property");
	ks = s;
	ke = eq;
	trim(&ks, &ke);
	if (ks == ke)
		return parse_error(ps, "expected a sub-property name before '='");
	vs = eq + 1;
	ve = e;
	trim(&vs, &ve);
	p = prop_new(ks, ke, vs, ve, ps->line);
	*ps->sub_tail = p;
	ps->sub_tail = &p->next;
	return 0;
}

int
ini_parse(struct ini_file *f, const char *path, const char *text, size_t len,
    char *err, size_t errlen)
{
	struct ini_parser ps = { 0 };
	const char *s, *e, *end, *nl, *t;

	memset(f, 0, sizeof(*f));
	f->path = xstrdup(path);
	ps.f = f;
	ps.sec_tail = &f->sections;
	ps.err = err;
	ps.errlen = errlen;
	/* Editors on Windows start UTF-8 files with a byte order mark. */
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		text += 3, len -= 3;
	end = text + len;
	for (s = text; s < end; s = nl + 1) {
		ps.line++;
		nl = memchr(s, '\n', (size_t)(end - s));
		if (nl == NULL)
			nl = end;
		e = nl;
		if (e > s && e[-1] == '\r')
			e--;
		for (t = s; t < e && is_blank((unsigned char)*t); t++)
			;
		/* Blank and comment lines, indented or not, end nothing. */
		if (t == e || *t == '#' || *t == ';')
			continue;
		if (*s == '[') {
			if (parse_section(&ps, s, e) == -1)
				goto fail;
		} else if (is_blank((unsigned char)*s)) {
			if (parse_continuation(&ps, s, e) == -1)
				goto fail;
		} else if (parse_property(&ps, s, e) == -1)
			goto fail;
	}
	return 0;
fail:
	ini_free(f);
	f->path = xstrdup(path);
	return -1;
}

int
ini_load(struct ini_file *f, const char *path, int *missing, char *err,
    size_t errlen)
{
	FILE *fp;
	struct buf b = { 0 };
	char chunk[4096];
	size_t n;
	int rc;

	*missing = 0;
	memset(f, 0, sizeof(*f));
	if ((fp = fopen(path, "r")) == NULL) {
		if (errno == ENOENT || errno == ENOTDIR) {
			*missing = 1;
			f->path = xstrdup(path);
			return 0;
		}
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		f->path = xstrdup(path);
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(&b, chunk, n);
	if (ferror(fp)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		fclose(fp);
		buf_free(&b);
		f->path = xstrdup(path);
		return -1;
	}
	fclose(fp);
	rc = ini_parse(f, path, b.data ? b.data : "", b.len, err, errlen);
	buf_free(&b);
	return rc;
}

static void
props_free(struct ini_prop *p)
{
	struct ini_prop *next;

	for (; p != NULL; p = next) {
		next = p->next;
		props_free(p->sub);
		free(p->key);
		free(p->value);
		free(p);
	}
}

void
ini_free(struct ini_file *f)
{
	struct ini_section *s, *next;

	for (s = f->sections; s != NULL; s = next) {
		next = s->next;
		props_free(s->props);
		free(s->name);
		free(s);
	}
	free(f->path);
	memset(f, 0, sizeof(*f));
}

const struct ini_prop *
ini_prop_find(const struct ini_prop *p, const char *key)
{
	const struct ini_prop *hit = NULL;

	for (; p != NULL; p = p->next)
		if (strcmp(p->key, key) == 0)
			hit = p;
	return hit;
}
