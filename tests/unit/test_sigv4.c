/*
 * Replays the SigV4 test suite (tests/fixtures/sigv4/aws-c-auth/v4): for
 * every case, header and query signing must give the expected canonical
 * request, string to sign, signature and signed request byte for byte.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "buf.h"
#include "sigv4.h"
#include "unit.h"

#define SUITE "tests/fixtures/sigv4/aws-c-auth/v4"

static char *
slurp(const char *dir, const char *name, size_t *len)
{
	char path[1024];
	struct buf b = { 0 };
	char chunk[4096];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/%s", SUITE, dir, name);
	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	if (len)
		*len = b.len;
	return buf_detach(&b);
}

struct parsed {
	char	*method, *path, *query;
	struct sigv4_header h[16];
	size_t	 nh;
	char	*header_text;	/* the header lines as written */
	char	*body;
	size_t	 body_len;
};

/* request.txt: "METHOD TARGET HTTP/1.1", "Name:value" lines (a line that
 * starts with a space continues the previous value), a blank line, body. */
static void
parse_request(char *raw, size_t rawlen, struct parsed *p)
{
	char *line = raw, *nl, *target, *sp, *q;

	memset(p, 0, sizeof(*p));
	nl = strchr(line, '\n');
	*nl = '\0';
	sp = strchr(line, ' ');
	*sp = '\0';
	p->method = line;
	target = sp + 1;
	*strrchr(target, ' ') = '\0';
	if ((q = strchr(target, '?')) != NULL) {
		*q = '\0';
		p->query = q + 1;
	}
	p->path = target;
	line = nl + 1;
	{
		char *end = strstr(line, "\n\n");
		size_t n = end ? (size_t)(end - line) + 1 : strlen(line);

		p->header_text = xstrndup(line, n);
		if (n && p->header_text[n - 1] != '\n') {
			p->header_text = xrealloc(p->header_text, n + 2);
			strcpy(p->header_text + n, "\n");
		}
	}
	while (line < raw + rawlen && *line != '\n') {
		char *colon;

		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		if (*line == ' ' && p->nh > 0) {
			/* Folded continuation: join with one space. */
			char *prev = (char *)p->h[p->nh - 1].value;
			struct buf b = { 0 };

			buf_adds(&b, prev);
			buf_addc(&b, ' ');
			buf_adds(&b, line);
			p->h[p->nh - 1].value = buf_detach(&b);
			free(prev);
		} else {
			colon = strchr(line, ':');
			*colon = '\0';
			p->h[p->nh].name = line;
			p->h[p->nh++].value = xstrdup(colon + 1);
		}
		if (!nl) {
			line = raw + rawlen;
			break;
		}
		line = nl + 1;
	}
	if (line < raw + rawlen) {
		p->body = line + 1;
		p->body_len = rawlen - (size_t)(p->body - raw);
	}
}

static void
run_case(const char *dir)
{
	char *ctxtext = slurp(dir, "context.json", NULL), *raw;
	size_t rawlen;
	json_t *ctx, *cred;
	struct aws_credentials c = { 0 };
	struct sigv4_options o = { 0 };
	struct parsed p;
	struct tm tm = { 0 };
	char what[256];

	ctx = json_loads(ctxtext, 0, NULL);
	cred = json_object_get(ctx, "credentials");
	c.access_key_id = (char *)json_string_value(json_object_get(cred, "access_key_id"));
	c.secret_access_key = (char *)json_string_value(json_object_get(cred, "secret_access_key"));
	c.session_token = (char *)json_string_value(json_object_get(cred, "token"));
	o.region = json_string_value(json_object_get(ctx, "region"));
	o.service = json_string_value(json_object_get(ctx, "service"));
	strptime(json_string_value(json_object_get(ctx, "timestamp")),
	    "%Y-%m-%dT%H:%M:%SZ", &tm);
	o.when = timegm(&tm);
	o.normalize_path = json_is_true(json_object_get(ctx, "normalize"));
	o.double_encode = 1;
	o.sign_body = json_is_true(json_object_get(ctx, "sign_body"));
	o.omit_session_token = json_is_true(json_object_get(ctx, "omit_session_token"));

	raw = slurp(dir, "request.txt", &rawlen);
	parse_request(raw, rawlen, &p);

	for (int mode = 0; mode < 2; mode++) {
		const char *pre = mode ? "query" : "header";
		struct sigv4_request r = { p.method, p.path, p.query, p.h, p.nh,
		    p.body, p.body_len, NULL };
		struct sigv4_signed s;
		struct buf req = { 0 };
		char name[64], *want;

		o.presign_expires = mode ? json_integer_value(
		    json_object_get(ctx, "expiration_in_seconds")) : 0;
		sigv4_sign(&r, &c, &o, &s);

#define EXPECT(file, got) do {						\
	snprintf(name, sizeof(name), "%s-%s", pre, file);		\
	want = slurp(dir, name, NULL);					\
	snprintf(what, sizeof(what), "%s %s", dir, name);		\
	CHECK_STR(got, want, what);					\
	free(want);							\
} while (0)
		EXPECT("canonical-request.txt", s.canonical_request);
		EXPECT("string-to-sign.txt", s.string_to_sign);
		EXPECT("signature.txt", s.signature);

		/* The request as it would be sent. */
		buf_addf(&req, "%s %s", p.method, p.path);
		if (mode)
			buf_addf(&req, "?%s", s.query);
		else if (p.query)
			buf_addf(&req, "?%s", p.query);
		buf_adds(&req, " HTTP/1.1\n");
		buf_adds(&req, p.header_text);
		for (size_t i = 0; i < s.nadded; i++)
			buf_addf(&req, "%s:%s\n", s.added[i].name, s.added[i].value);
		buf_addc(&req, '\n');
		if (p.body_len)
			buf_add(&req, p.body, p.body_len);
		EXPECT("signed-request.txt", req.data);
		buf_free(&req);
		sigv4_signed_free(&s);
	}
	for (size_t i = 0; i < p.nh; i++)
		free((char *)p.h[i].value);
	free(p.header_text);
	free(raw);
	free(ctxtext);
	json_decref(ctx);
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
main(void)
{
	DIR *d = opendir(SUITE);
	struct dirent *e;
	char *names[128];
	size_t n = 0;

	if (!CHECK(d != NULL, "the SigV4 suite is present"))
		return unit_done();
	while ((e = readdir(d)) != NULL && n < 128)
		if (e->d_name[0] != '.')
			names[n++] = xstrdup(e->d_name);
	closedir(d);
	qsort(names, n, sizeof(*names), name_cmp);
	CHECK(n == 38, "the suite has its 38 cases");
	for (size_t i = 0; i < n; i++) {
		run_case(names[i]);
		free(names[i]);
	}
	return unit_done();
}
