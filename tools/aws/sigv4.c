/*
 * AWS Signature Version 4 on OpenSSL. The steps and their byte-level rules
 * are those of the SigV4 test suite (tests/fixtures/sigv4), which the unit
 * test replays case by case.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include "buf.h"
#include "sigv4.h"

#define ALGORITHM "AWS4-HMAC-SHA256"

static const char hexdigits[] = "0123456789abcdef";

static void
hex(const unsigned char *p, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hexdigits[p[i] >> 4];
		out[2 * i + 1] = hexdigits[p[i] & 15];
	}
	out[2 * n] = '\0';
}

void
sigv4_sha256_hex(const void *p, size_t n, char out[65])
{
	unsigned char md[SHA256_DIGEST_LENGTH];

	SHA256(p, n, md);
	hex(md, sizeof(md), out);
}

static void
hmac(const void *key, size_t keylen, const char *msg, unsigned char out[32])
{
	unsigned int len = 32;

	HMAC(EVP_sha256(), key, (int)keylen, (const unsigned char *)msg,
	    strlen(msg), out, &len);
}

/* "20150830T123600Z" */
static void
sigv4_amz_date(time_t t, char out[17])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 17, "%Y%m%dT%H%M%SZ", &tm);
}

static int
unreserved(unsigned char c)
{
	return isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~';
}

void
sigv4_uri_encode(struct buf *b, const char *s, size_t n, int keep_slash)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (unreserved(c) || (keep_slash && c == '/'))
			buf_addc(b, (char)c);
		else
			buf_addf(b, "%%%c%c", "0123456789ABCDEF"[c >> 4],
			    "0123456789ABCDEF"[c & 15]);
	}
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Percent-decoding of a query component; '+' stays '+' as SigV4 wants. */
static char *
uri_decode(const char *s, size_t n, size_t *outlen)
{
	char *out = xmalloc(n + 1);
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 &&
		    hexval(s[i + 2]) >= 0) {
			out[o++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
			i += 2;
		} else
			out[o++] = s[i];
	}
	out[o] = '\0';
	*outlen = o;
	return out;
}

/* Removes empty and dot segments, keeping a trailing slash. */
static char *
normalize_path(const char *path)
{
	size_t n = strlen(path);
	const char **seg = xcalloc(n + 1, sizeof(*seg));
	size_t *len = xcalloc(n + 1, sizeof(*len));
	size_t nseg = 0;
	struct buf b = { 0 };
	const char *p = path;

	while (*p != '\0') {
		const char *e;

		while (*p == '/')
			p++;
		if (*p == '\0')
			break;
		e = strchr(p, '/');
		if (e == NULL)
			e = p + strlen(p);
		if (e - p == 1 && p[0] == '.')
			;
		else if (e - p == 2 && p[0] == '.' && p[1] == '.') {
			if (nseg > 0)
				nseg--;
		} else {
			seg[nseg] = p;
			len[nseg++] = (size_t)(e - p);
		}
		p = e;
	}
	for (size_t i = 0; i < nseg; i++) {
		buf_addc(&b, '/');
		buf_add(&b, seg[i], len[i]);
	}
	if (nseg == 0 || (n > 0 && path[n - 1] == '/'))
		buf_addc(&b, '/');
	free(seg);
	free(len);
	return buf_detach(&b);
}

struct param {
	char	*name;		/* encoded */
	char	*value;		/* encoded */
};

static int
param_cmp(const void *a, const void *b)
{
	const struct param *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c != 0 ? c : strcmp(x->value, y->value);
}

static void
encode_component(struct buf *b, const char *s, size_t n)
{
	size_t dlen;
	char *d = uri_decode(s, n, &dlen);

	sigv4_uri_encode(b, d, dlen, 0);
	free(d);
}

static void
params_add(struct param **v, size_t *n, const char *name, size_t nlen,
    const char *value, size_t vlen)
{
	struct buf bn = { 0 }, bv = { 0 };

	encode_component(&bn, name, nlen);
	encode_component(&bv, value, vlen);
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[*n].name = buf_detach(&bn);
	(*v)[*n].value = buf_detach(&bv);
	(*n)++;
}

static void
params_parse(struct param **v, size_t *n, const char *query)
{
	const char *p = query;

	if (p == NULL)
		return;
	while (*p != '\0') {
		const char *amp = strchr(p, '&'), *eq;
		size_t len = amp ? (size_t)(amp - p) : strlen(p);

		if (len > 0) {
			eq = memchr(p, '=', len);
			if (eq != NULL)
				params_add(v, n, p, (size_t)(eq - p), eq + 1,
				    len - (size_t)(eq - p) - 1);
			else
				params_add(v, n, p, len, "", 0);
		}
		p += len;
		if (*p == '&')
			p++;
	}
}

static void
params_free(struct param *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].value);
	}
	free(v);
}

struct canon_header {
	char	*name;		/* lower case */
	struct buf value;	/* trimmed, spaces collapsed, repeats joined */
};

static void
add_trimmed(struct buf *b, const char *v)
{
	int space = 0;

	while (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r')
		v++;
	for (; *v != '\0'; v++) {
		if (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r')
			space = 1;
		else {
			if (space)
				buf_addc(b, ' ');
			space = 0;
			buf_addc(b, *v);
		}
	}
	if (b->data == NULL)
		buf_adds(b, "");
}

static int
canon_header_cmp(const void *a, const void *b)
{
	const struct canon_header *x = a, *y = b;

	return strcmp(x->name, y->name);
}

/* Headers the SDKs leave unsigned: proxies and clients may change them. */
static int
unsigned_header(const char *lname)
{
	return strcmp(lname, "authorization") == 0 ||
	    strcmp(lname, "user-agent") == 0 || strcmp(lname, "expect") == 0 ||
	    strcmp(lname, "x-amzn-trace-id") == 0;
}

static void
headers_add(struct canon_header **v, size_t *n, const char *name,
    const char *value)
{
	char *lname = xstrdup(name);
	size_t i;

	for (char *p = lname; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	if (unsigned_header(lname)) {
		free(lname);
		return;
	}
	for (i = 0; i < *n; i++)
		if (strcmp((*v)[i].name, lname) == 0)
			break;
	if (i == *n) {
		*v = xrealloc(*v, (*n + 1) * sizeof(**v));
		(*v)[i].name = lname;
		memset(&(*v)[i].value, 0, sizeof((*v)[i].value));
		(*n)++;
	} else {
		free(lname);
		buf_addc(&(*v)[i].value, ',');
	}
	add_trimmed(&(*v)[i].value, value);
}

static void
credential_scope(struct buf *b, const char *date8,
    const struct sigv4_options *o)
{
	buf_addf(b, "%.8s/%s/%s/aws4_request", date8, o->region, o->service);
}

static void
signing_key(const struct aws_credentials *c, const char *date,
    const struct sigv4_options *o, unsigned char key[32])
{
	struct buf k = { 0 };
	char d8[9];

	memcpy(d8, date, 8);
	d8[8] = '\0';
	buf_addf(&k, "AWS4%s", c->secret_access_key);
	hmac(k.data, k.len, d8, key);
	hmac(key, 32, o->region, key);
	hmac(key, 32, o->service, key);
	hmac(key, 32, "aws4_request", key);
	OPENSSL_cleanse(k.data, k.len);
	buf_free(&k);
}

int
sigv4_sign(const struct sigv4_request *r, const struct aws_credentials *c,
    const struct sigv4_options *o, struct sigv4_signed *out)
{
	char date[17], payload[65], crhash[65];
	struct canon_header *h = NULL;
	size_t nh = 0;
	struct param *q = NULL;
	size_t nq = 0;
	struct buf cr = { 0 }, sh = { 0 }, sts = { 0 }, tmp = { 0 };
	unsigned char key[32], sig[32];
	int presign = o->presign_expires > 0;
	int sign_token = c->session_token != NULL && !o->omit_session_token;

	memset(out, 0, sizeof(*out));
	sigv4_amz_date(o->when, date);
	if (r->payload_hash != NULL)
		snprintf(payload, sizeof(payload), "%s", r->payload_hash);
	else
		sigv4_sha256_hex(r->body ? r->body : "", r->body_len, payload);

	for (size_t i = 0; i < r->nheaders; i++)
		headers_add(&h, &nh, r->headers[i].name, r->headers[i].value);
	if (!presign) {
		headers_add(&h, &nh, "X-Amz-Date", date);
		if (sign_token)
			headers_add(&h, &nh, "X-Amz-Security-Token",
			    c->session_token);
		if (o->sign_body)
			headers_add(&h, &nh, "x-amz-content-sha256", payload);
	}
	qsort(h, nh, sizeof(*h), canon_header_cmp);
	for (size_t i = 0; i < nh; i++)
		buf_addf(&sh, "%s%s", i ? ";" : "", h[i].name);

	params_parse(&q, &nq, r->query);
	if (presign) {
		buf_addf(&tmp, "%s/", c->access_key_id);
		credential_scope(&tmp, date, o);
		params_add(&q, &nq, "X-Amz-Algorithm", strlen("X-Amz-Algorithm"), ALGORITHM,
		    strlen(ALGORITHM));
		params_add(&q, &nq, "X-Amz-Credential", strlen("X-Amz-Credential"), tmp.data, tmp.len);
		params_add(&q, &nq, "X-Amz-Date", strlen("X-Amz-Date"), date, strlen(date));
		buf_reset(&tmp);
		buf_addf(&tmp, "%ld", o->presign_expires);
		params_add(&q, &nq, "X-Amz-Expires", strlen("X-Amz-Expires"), tmp.data, tmp.len);
		params_add(&q, &nq, "X-Amz-SignedHeaders", strlen("X-Amz-SignedHeaders"), sh.data, sh.len);
		if (sign_token)
			params_add(&q, &nq, "X-Amz-Security-Token", 20,
			    c->session_token, strlen(c->session_token));
	}
	if (nq > 1)
		qsort(q, nq, sizeof(*q), param_cmp);

	/* Canonical request. */
	buf_addf(&cr, "%s\n", r->method);
	{
		char *path = o->normalize_path ? normalize_path(r->path) :
		    xstrdup(r->path);

		if (*path == '\0') {
			free(path);
			path = xstrdup("/");
		}
		if (o->double_encode)
			sigv4_uri_encode(&cr, path, strlen(path), 1);
		else
			buf_adds(&cr, path);
		free(path);
	}
	buf_addc(&cr, '\n');
	for (size_t i = 0; i < nq; i++)
		buf_addf(&cr, "%s%s=%s", i ? "&" : "", q[i].name, q[i].value);
	buf_addc(&cr, '\n');
	for (size_t i = 0; i < nh; i++)
		buf_addf(&cr, "%s:%s\n", h[i].name, h[i].value.data);
	buf_addf(&cr, "\n%s\n%s", sh.data ? sh.data : "", payload);

	sigv4_sha256_hex(cr.data, cr.len, crhash);
	buf_addf(&sts, "%s\n%s\n", ALGORITHM, date);
	credential_scope(&sts, date, o);
	buf_addf(&sts, "\n%s", crhash);

	signing_key(c, date, o, key);
	hmac(key, sizeof(key), sts.data, sig);
	OPENSSL_cleanse(key, sizeof(key));
	hex(sig, sizeof(sig), out->signature);

	if (presign) {
		/* Sent: the request's own query as given, then ours. */
		buf_reset(&tmp);
		if (r->query != NULL && *r->query != '\0')
			buf_addf(&tmp, "%s&", r->query);
		buf_addf(&tmp, "X-Amz-Algorithm=%s&X-Amz-Credential=", ALGORITHM);
		{
			struct buf cred = { 0 };

			buf_addf(&cred, "%s/", c->access_key_id);
			credential_scope(&cred, date, o);
			sigv4_uri_encode(&tmp, cred.data, cred.len, 0);
			buf_free(&cred);
		}
		buf_addf(&tmp, "&X-Amz-Date=%s&X-Amz-SignedHeaders=", date);
		sigv4_uri_encode(&tmp, sh.data, sh.len, 0);
		buf_addf(&tmp, "&X-Amz-Expires=%ld", o->presign_expires);
		if (c->session_token != NULL) {
			buf_adds(&tmp, "&X-Amz-Security-Token=");
			sigv4_uri_encode(&tmp, c->session_token,
			    strlen(c->session_token), 0);
		}
		buf_addf(&tmp, "&X-Amz-Signature=%s", out->signature);
		out->query = buf_detach(&tmp);
	} else {
		size_t n = 0;

		if (c->session_token != NULL) {
			out->added[n].name = xstrdup("X-Amz-Security-Token");
			out->added[n++].value = xstrdup(c->session_token);
		}
		out->added[n].name = xstrdup("X-Amz-Date");
		out->added[n++].value = xstrdup(date);
		if (o->sign_body) {
			out->added[n].name = xstrdup("x-amz-content-sha256");
			out->added[n++].value = xstrdup(payload);
		}
		buf_reset(&tmp);
		buf_addf(&tmp, "%s Credential=%s/", ALGORITHM, c->access_key_id);
		credential_scope(&tmp, date, o);
		buf_addf(&tmp, ", SignedHeaders=%s, Signature=%s", sh.data,
		    out->signature);
		out->added[n].name = xstrdup("Authorization");
		out->added[n++].value = buf_detach(&tmp);
		out->nadded = n;
	}
	out->canonical_request = buf_detach(&cr);
	out->string_to_sign = buf_detach(&sts);

	params_free(q, nq);
	for (size_t i = 0; i < nh; i++) {
		free(h[i].name);
		buf_free(&h[i].value);
	}
	free(h);
	buf_free(&sh);
	buf_free(&tmp);
	return 0;
}

void
sigv4_signed_free(struct sigv4_signed *s)
{
	free(s->canonical_request);
	free(s->string_to_sign);
	free(s->query);
	for (size_t i = 0; i < s->nadded; i++) {
		free((char *)s->added[i].name);
		free((char *)s->added[i].value);
	}
	memset(s, 0, sizeof(*s));
}
