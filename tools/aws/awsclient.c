/*
 * Signing, sending and retrying AWS requests, and following their pages.
 * Retries follow the SDKs' "standard" mode: up to max_attempts attempts on
 * throttling, transient errors, 5xx and broken connections, with full-jitter
 * exponential backoff capped at 20 s and a retry quota.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <openssl/evp.h>

#include "awsclient.h"
#include "awsrequest.h"
#include "buf.h"
#include "sigv4.h"
#include "xmljson.h"
#include "rfc3339.h"

#define RETRY_QUOTA	500
#define RETRY_COST	5
#define TIMEOUT_COST	10
#define BACKOFF_CAP_S	20.0
#define MAX_PAGES	100000

struct aws_client {
	struct aws_client_options opt;
	struct aws_config	 cfg;
	struct aws_credentials	 cred;
	int			 have_cred;
	CURL			*curl;
	struct aws_client_stats	 stats;
	int			 quota;
	aws_answer_fn		*answer;	/* instead of HTTP (fuzzing) */
	void			*answer_arg;
};

static int	 assume_role(void *, const struct aws_credentials *,
		    const char *, const char *, const char *,
		    struct aws_credentials *, char *, size_t);

struct aws_client *
aws_client_new(const struct aws_client_options *opt, char *err, size_t errlen)
{
	struct aws_client *c = xcalloc(1, sizeof(*c));

	c->opt = *opt;
	c->quota = RETRY_QUOTA;
	if (aws_config_load(&c->cfg, err, errlen) != 0) {
		free(c);
		return NULL;
	}
	srand48((long)time(NULL) ^ (long)getpid());
	return c;
}

void
aws_client_set_answer(struct aws_client *c, aws_answer_fn *fn, void *arg)
{
	c->answer = fn;
	c->answer_arg = arg;
}

void
aws_client_free(struct aws_client *c)
{
	if (c == NULL)
		return;
	if (c->curl)
		curl_easy_cleanup(c->curl);
	if (c->have_cred)
		aws_credentials_free(&c->cred);
	aws_config_free(&c->cfg);
	free(c);
}

const struct aws_config *
aws_client_config(const struct aws_client *c)
{
	return &c->cfg;
}

const struct aws_client_stats *
aws_client_stats(const struct aws_client *c)
{
	return &c->stats;
}

static int
credentials(struct aws_client *c, char *err, size_t errlen)
{
	if (c->have_cred)
		return 0;
	switch (aws_credentials_resolve(&c->cfg, &c->cred, assume_role, c,
	    err, errlen)) {
	case AWS_CREDS_OK:
		break;
	case AWS_CREDS_NONE:
		return AWS_ERR_NO_CREDENTIALS;
	default:
		return AWS_ERR_SYSTEM;
	}
	c->have_cred = 1;
	return 0;
}

static void
sign(struct aws_client *c, const struct aws_request *r,
    const struct aws_credentials *cred, long presign_s, struct sigv4_signed *s)
{
	struct sigv4_header *h = xcalloc(r->nheaders + 1, sizeof(*h));
	struct sigv4_request sr = { 0 };
	struct sigv4_options o = { 0 };

	h[0].name = "Host";
	h[0].value = r->host;
	for (size_t i = 0; i < r->nheaders; i++) {
		h[i + 1].name = r->headers[i].name;
		h[i + 1].value = r->headers[i].value;
	}
	sr.method = r->method;
	sr.path = r->path;
	sr.query = r->query;
	sr.headers = h;
	sr.nheaders = r->nheaders + 1;
	sr.body = r->body.data;
	sr.body_len = r->body.len;
	if (r->s3 && presign_s > 0)
		sr.payload_hash = "UNSIGNED-PAYLOAD";
	o.region = r->region;
	o.service = r->svc.name;
	o.when = c->opt.when ? c->opt.when : time(NULL);
	o.double_encode = o.normalize_path = !r->s3;
	o.sign_body = r->s3 && presign_s == 0;
	o.presign_expires = presign_s;
	sigv4_sign(&sr, cred, &o, s);
	free(h);
}

int
aws_client_sign(struct aws_client *c, json_t *in, long presign_s, json_t **out,
    char *err, size_t errlen)
{
	struct aws_request r;
	struct sigv4_signed s;
	struct buf url = { 0 };
	json_t *headers;
	int rc;

	if ((rc = aws_request_build(&c->cfg, in, &r, err, errlen)) != 0) {
		aws_request_free(&r);
		return rc;
	}
	if ((rc = credentials(c, err, errlen)) != 0) {
		aws_request_free(&r);
		return rc;
	}
	sign(c, &r, &c->cred, presign_s, &s);
	buf_addf(&url, "%s%s", r.base, r.path);
	if (presign_s > 0)
		buf_addf(&url, "?%s", s.query);
	else if (r.query)
		buf_addf(&url, "?%s", r.query);
	*out = json_pack("{s:s, s:s%}", "method", r.method, "url", url.data,
	    url.len);
	if (presign_s == 0) {
		headers = json_object();
		json_object_set_new(headers, "Host", json_string(r.host));
		for (size_t i = 0; i < r.nheaders; i++)
			json_object_set_new(headers, r.headers[i].name,
			    json_string(r.headers[i].value));
		for (size_t i = 0; i < s.nadded; i++)
			json_object_set_new(headers, s.added[i].name,
			    json_string(s.added[i].value));
		json_object_set_new(*out, "headers", headers);
		if (r.body.len > 0) {
			json_t *b = json_stringn(r.body.data, r.body.len);

			json_object_set_new(*out, "body", b ? b :
			    json_string("(binary body not shown)"));
		}
	}
	buf_free(&url);
	sigv4_signed_free(&s);
	aws_request_free(&r);
	return AWS_OK;
}

/* One HTTP exchange. */
struct exchange {
	long		 status;
	json_t		*headers;	/* lower-case names */
	struct buf	 body;
	CURLcode	 curl_rc;
	char		 curl_err[CURL_ERROR_SIZE];
};

static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	buf_add(arg, p, size * n);
	return size * n;
}

static size_t
on_header(char *p, size_t size, size_t n, void *arg)
{
	struct exchange *x = arg;
	size_t len = size * n;
	char *colon = memchr(p, ':', len);

	if (strncmp(p, "HTTP/", 5) == 0)
		json_object_clear(x->headers);	/* a new response (redirect, 100) */
	else if (colon != NULL) {
		char *name = xstrndup(p, (size_t)(colon - p));
		const char *v = colon + 1, *end = p + len;

		for (char *q = name; *q; q++)
			*q = (char)tolower((unsigned char)*q);
		while (v < end && (*v == ' ' || *v == '\t'))
			v++;
		while (end > v && (end[-1] == '\r' || end[-1] == '\n' ||
		    end[-1] == ' '))
			end--;
		json_object_set_new(x->headers, name,
		    json_stringn(v, (size_t)(end - v)));
		free(name);
	}
	return len;
}

static void
exchange(struct aws_client *c, const struct aws_request *r,
    const struct sigv4_signed *s, struct exchange *x)
{
	struct curl_slist *h = NULL;
	struct buf url = { 0 }, line = { 0 };
	int has_type = 0;

	if (c->answer != NULL) {
		const char *body;
		size_t len;

		x->status = c->answer(c->answer_arg, &body, &len);
		buf_add(&x->body, body, len);
		x->curl_rc = CURLE_OK;
		return;
	}

	if (c->curl == NULL && (c->curl = curl_easy_init()) == NULL) {
		x->curl_rc = CURLE_FAILED_INIT;
		snprintf(x->curl_err, sizeof(x->curl_err), "curl_easy_init failed");
		return;
	}
	curl_easy_reset(c->curl);	/* keeps the connection cache */
	buf_addf(&url, "%s%s", r->base, r->path);
	if (r->query)
		buf_addf(&url, "?%s", r->query);
	for (size_t i = 0; i < r->nheaders; i++) {
		buf_reset(&line);
		buf_addf(&line, "%s: %s", r->headers[i].name, r->headers[i].value);
		h = curl_slist_append(h, line.data);
		has_type |= strcasecmp(r->headers[i].name, "content-type") == 0;
	}
	for (size_t i = 0; i < s->nadded; i++) {
		buf_reset(&line);
		buf_addf(&line, "%s: %s", s->added[i].name, s->added[i].value);
		h = curl_slist_append(h, line.data);
	}
	h = curl_slist_append(h, "Expect:");
	if (!has_type)
		h = curl_slist_append(h, "Content-Type:");
	curl_easy_setopt(c->curl, CURLOPT_URL, url.data);
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c->curl, CURLOPT_USERAGENT, "plc/" PLC_VERSION);
	curl_easy_setopt(c->curl, CURLOPT_ERRORBUFFER, x->curl_err);
	curl_easy_setopt(c->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c->curl, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c->curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(c->curl, CURLOPT_LOW_SPEED_TIME, 60L);
	curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, &x->body);
	curl_easy_setopt(c->curl, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c->curl, CURLOPT_HEADERDATA, x);
	if (c->cfg.ca_bundle)
		curl_easy_setopt(c->curl, CURLOPT_CAINFO, c->cfg.ca_bundle);
	if (strcmp(r->method, "GET") == 0 && r->body.len == 0)
		curl_easy_setopt(c->curl, CURLOPT_HTTPGET, 1L);
	else if (strcmp(r->method, "HEAD") == 0)
		curl_easy_setopt(c->curl, CURLOPT_NOBODY, 1L);
	else {
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS,
		    r->body.data ? r->body.data : "");
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)r->body.len);
		if (strcmp(r->method, "POST") != 0)
			curl_easy_setopt(c->curl, CURLOPT_CUSTOMREQUEST, r->method);
	}
	x->curl_err[0] = '\0';
	x->curl_rc = curl_easy_perform(c->curl);
	if (x->curl_rc == CURLE_OK)
		curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &x->status);
	else if (x->curl_err[0] == '\0')
		snprintf(x->curl_err, sizeof(x->curl_err), "%s",
		    curl_easy_strerror(x->curl_rc));
	curl_slist_free_all(h);
	buf_free(&url);
	buf_free(&line);
}

static const char *const retry_codes[] = {
	/* throttling */
	"Throttling", "ThrottlingException", "ThrottledException",
	"RequestThrottledException", "TooManyRequestsException",
	"ProvisionedThroughputExceededException", "TransactionInProgressException",
	"RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException",
	"RequestThrottled", "SlowDown", "EC2ThrottledException",
	/* transient */
	"RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete",
};

static int
retryable(const struct exchange *x, const char *code, int *timeout)
{
	*timeout = 0;
	switch (x->curl_rc) {
	case CURLE_OK:
		break;
	case CURLE_OPERATION_TIMEDOUT:
		*timeout = 1;
		return 1;
	case CURLE_COULDNT_CONNECT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_SSL_CONNECT_ERROR:
		return 1;
	default:
		return 0;
	}
	if (x->status == 429 || x->status == 500 || x->status == 502 ||
	    x->status == 503 || x->status == 504)
		return 1;
	if (code != NULL)
		for (size_t i = 0; i < sizeof(retry_codes) / sizeof(*retry_codes); i++)
			if (strcmp(code, retry_codes[i]) == 0)
				return 1;
	return 0;
}

/* Depth-first search for a key holding a string, in objects only. */
static const char *
find_string(json_t *v, const char *key, int depth)
{
	const char *k, *s;
	json_t *x;

	if (depth > 6)
		return NULL;
	if (json_is_object(v)) {
		if ((s = json_string_value(json_object_get(v, key))) != NULL)
			return s;
		json_object_foreach(v, k, x)
			if ((s = find_string(x, key, depth + 1)) != NULL)
				return s;
	}
	return NULL;
}

/* The AWS error code and message of a non-2xx answer, from its body. */
static void
error_of(json_t *resp, char **code, char **message)
{
	json_t *body = json_object_get(resp, "body");
	const char *c = NULL, *m = NULL;

	*code = *message = NULL;
	if (json_is_object(body)) {
		if ((c = json_string_value(json_object_get(body, "__type"))) == NULL)
			c = find_string(body, "Code", 0);
		if ((m = json_string_value(json_object_get(body, "message"))) == NULL)
			m = find_string(body, "Message", 0);
	}
	if (c == NULL)
		c = json_string_value(json_object_get(json_object_get(resp,
		    "headers"), "x-amzn-errortype"));
	if (c != NULL) {
		const char *hash = strrchr(c, '#');
		size_t n;

		if (hash)
			c = hash + 1;
		n = strcspn(c, ":");
		*code = xstrndup(c, n);
	}
	if (m != NULL)
		*message = xstrdup(m);
}

/* The operation a request calls, for messages: DescribeVpcs, GET /b. */
static const char *
call_name(const struct aws_request *r)
{
	static char name[128];
	const char *q, *a;
	size_t n;

	for (size_t i = 0; i < r->nheaders; i++)
		if (strcasecmp(r->headers[i].name, "X-Amz-Target") == 0) {
			a = strrchr(r->headers[i].value, '.');
			return a != NULL ? a + 1 : r->headers[i].value;
		}
	q = r->form == FORM_QUERY && r->body.data != NULL ? r->body.data :
	    r->query;
	if (q != NULL && ((a = strstr(q, "Action=")) == q ||
	    (a != NULL && a[-1] == '&'))) {
		a += strlen("Action=");
		n = strcspn(a, "&");
		snprintf(name, sizeof(name), "%.*s", (int)(n < 100 ? n : 100), a);
		return name;
	}
	snprintf(name, sizeof(name), "%s %.100s", r->method, r->path);
	return name;
}

static json_t *
body_json(struct aws_client *c, const struct aws_request *r,
    struct exchange *x, json_t *resp, char *err, size_t errlen)
{
	const char *p = x->body.data ? x->body.data : "";
	size_t n = x->body.len;
	json_t *v;

	if (r->output_file != NULL && x->status >= 200 && x->status < 300) {
		FILE *f = fopen(r->output_file, "wb");

		if (f == NULL || fwrite(p, 1, n, f) != n || fclose(f) != 0) {
			snprintf(err, errlen, "\"%s\": %s", r->output_file,
			    strerror(errno));
			return NULL;
		}
		json_object_set_new(resp, "body_file", json_string(r->output_file));
		json_object_set_new(resp, "body_bytes", json_integer((json_int_t)n));
		return json_null();
	}
	if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0 && !r->object_read) {
		p += 3;
		n -= 3;
	}
	if (!(r->object_read && x->status < 300)) {
		int ok = x->status >= 200 && x->status < 300;
		char why[256];
		json_error_t je;
		size_t i = 0;

		while (i < n && isspace((unsigned char)p[i]))
			i++;
		if (i < n && (p[i] == '{' || p[i] == '[')) {
			if ((v = json_loadb(p, n, JSON_DECODE_ANY, &je)) != NULL)
				return v;
			snprintf(why, sizeof(why), "line %d, column %d: %s",
			    je.line, je.column, je.text);
		} else if (i < n && p[i] == '<' && !c->opt.raw) {
			if ((v = xml_to_json(p, n, why, sizeof(why))) != NULL)
				return v;
		} else if (i < n && !c->opt.raw)
			snprintf(why, sizeof(why), "neither XML nor JSON");
		else
			ok = 0;
		/*
		 * A 2xx answer that cannot be read is not an empty one: a
		 * caller must never take "could not see" for "nothing there".
		 */
		if (ok) {
			snprintf(err, errlen, "%s %s: unreadable answer "
			    "(HTTP %ld, %zu bytes): %s", r->svc.name,
			    call_name(r), x->status, x->body.len, why);
			return NULL;
		}
	}
	if ((v = json_stringn(p, n)) != NULL)
		return v;
	/* Not UTF-8: hand it over in base64. */
	{
		char *b64 = xmalloc(4 * ((n + 2) / 3) + 1);

		EVP_EncodeBlock((unsigned char *)b64, (const unsigned char *)p,
		    (int)n);
		json_object_set_new(resp, "body_base64", json_string(b64));
		free(b64);
		return json_null();
	}
}

static void
backoff(int attempt)
{
	double cap = pow(2.0, attempt - 1);
	double s = drand48() * (cap < BACKOFF_CAP_S ? cap : BACKOFF_CAP_S);
	struct timespec ts = { (time_t)s, (long)((s - (double)(time_t)s) * 1e9) };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

static const char *
operation(const struct aws_request *r)
{
	for (size_t i = 0; i < r->nheaders; i++)
		if (strcasecmp(r->headers[i].name, "X-Amz-Target") == 0)
			return r->headers[i].value;
	return r->method;
}

/*
 * Sends one request with retries. Returns AWS_OK with *resp set (any
 * status), or AWS_ERR_SYSTEM when no answer came.
 */
static int
send_once(struct aws_client *c, struct aws_request *r,
    const struct aws_credentials *cred, json_t **resp, char *err, size_t errlen)
{
	int max = c->cfg.max_attempts > 0 ? c->cfg.max_attempts : 3;
	int rc = AWS_ERR_SYSTEM, last_cost = 0;

	*resp = NULL;
	c->stats.requests++;
	for (int attempt = 1; attempt <= max; attempt++) {
		struct sigv4_signed s;
		struct exchange x = { 0 };
		char *code = NULL, *message = NULL;
		int timeout, again;

		x.headers = json_object();
		sign(c, r, cred, 0, &s);
		exchange(c, r, &s, &x);
		sigv4_signed_free(&s);
		c->stats.attempts++;
		if (*resp)
			json_decref(*resp);
		*resp = NULL;
		if (x.curl_rc == CURLE_OK) {
			json_t *body;

			*resp = json_pack("{s:I, s:O}", "status",
			    (json_int_t)x.status, "headers", x.headers);
			body = body_json(c, r, &x, *resp, err, errlen);
			if (body == NULL) {
				json_decref(x.headers);
				buf_free(&x.body);
				json_decref(*resp);
				*resp = NULL;
				return AWS_ERR_SYSTEM;
			}
			json_object_set_new(*resp, "body", body);
			if (x.status < 200 || x.status >= 300) {
				error_of(*resp, &code, &message);
				json_object_set_new(*resp, "error", json_pack(
				    "{s:s, s:s}", "code", code ? code : "",
				    "message", message ? message : ""));
			}
			rc = AWS_OK;
		} else
			snprintf(err, errlen, "%s %s%s: %s", r->method, r->base,
			    r->path, x.curl_err);
		again = retryable(&x, code, &timeout) && attempt < max;
		if (again) {
			int cost = timeout ? TIMEOUT_COST : RETRY_COST;

			if (c->quota < cost)
				again = 0;
			else {
				c->quota -= cost;
				last_cost = cost;
			}
		}
		if (c->opt.verbose)
			fprintf(stderr, "%s: %s %s attempt %d/%d: "
			    "%ld %s%s%s\n", program_invocation_short_name,
			    r->svc.name, operation(r), attempt,
			    max, x.status, x.curl_rc ? x.curl_err : "",
			    code ? code : "", again ? ", retrying" : "");
		free(code);
		free(message);
		json_decref(x.headers);
		buf_free(&x.body);
		if (!again) {
			if (rc == AWS_OK && x.status >= 200 && x.status < 300) {
				c->quota += attempt == 1 ? 1 : last_cost;
				if (c->quota > RETRY_QUOTA)
					c->quota = RETRY_QUOTA;
			}
			return rc;
		}
		c->stats.retries++;
		rc = AWS_ERR_SYSTEM;
		backoff(attempt);
	}
	return rc;
}

/* Where each service puts its next-page token, and where it wants it back. */
static const struct {
	const char	*answer;
	const char	*ask;		/* NULL: same name */
} page_tokens[] = {
	{ "nextToken", "NextToken" },	/* EC2 answers lower case */
	{ "NextToken", NULL },
	{ "NextPageToken", NULL },
	{ "PaginationToken", NULL },
	{ "NextContinuationToken", "continuation-token" },	/* S3 */
	{ "Marker", NULL },		/* IAM, when IsTruncated */
};

static const char *
next_token(json_t *body, const char **ask)
{
	for (size_t i = 0; i < sizeof(page_tokens) / sizeof(*page_tokens); i++) {
		const char *t = find_string(body, page_tokens[i].answer, 0);

		if (t == NULL || *t == '\0')
			continue;
		if (strcmp(page_tokens[i].answer, "Marker") == 0) {
			const char *more = find_string(body, "IsTruncated", 0);

			if (more == NULL || strcmp(more, "true") != 0)
				continue;
		}
		*ask = page_tokens[i].ask ? page_tokens[i].ask :
		    page_tokens[i].answer;
		return t;
	}
	return NULL;
}

/* A copy of in that asks for the page after token. */
static json_t *
with_token(json_t *in, const char *ask, const char *token)
{
	json_t *next = json_deep_copy(in), *where;
	const char *field = json_object_get(next, "action") ? "params" :
	    json_object_get(next, "target") ? "json" : "query";

	where = json_object_get(next, field);
	if (json_is_string(where)) {
		struct buf q = { 0 };

		buf_addf(&q, "%s%s%s=", json_string_value(where),
		    *json_string_value(where) ? "&" : "", ask);
		sigv4_uri_encode(&q, token, strlen(token), 0);
		json_object_set_new(next, field, json_string(q.data));
		buf_free(&q);
		return next;
	}
	if (!json_is_object(where)) {
		where = json_object();
		json_object_set_new(next, field, where);
	}
	json_object_set_new(where, ask, json_string(token));
	return next;
}

int
aws_client_send(struct aws_client *c, json_t *in, int paginate,
    aws_page_fn *fn, void *arg, char *err, size_t errlen)
{
	json_t *cur = json_incref(in);
	char *prev = NULL;
	int rc = AWS_OK, page;

	if ((rc = credentials(c, err, errlen)) != 0) {
		json_decref(cur);
		return rc;
	}
	for (page = 1; page <= MAX_PAGES; page++) {
		struct aws_request r;
		json_t *resp;
		const char *token, *ask;
		long status;
		int frc;

		if ((rc = aws_request_build(&c->cfg, cur, &r, err, errlen)) != 0) {
			aws_request_free(&r);
			break;
		}
		rc = send_once(c, &r, &c->cred, &resp, err, errlen);
		if (rc != AWS_OK) {
			aws_request_free(&r);
			break;
		}
		status = (long)json_integer_value(json_object_get(resp, "status"));
		if (paginate)
			json_object_set_new(resp, "page", json_integer(page));
		frc = fn(arg, resp);
		token = paginate && status < 300 ? next_token(json_object_get(resp,
		    "body"), &ask) : NULL;
		if (status < 200 || status >= 300)
			rc = AWS_ERR_AWS;
		if (frc != 0)
			rc = frc;
		if (rc != AWS_OK || token == NULL ||
		    (prev != NULL && strcmp(prev, token) == 0) ||
		    r.form == FORM_RAW) {
			if (token != NULL && r.form == FORM_RAW)
				fprintf(stderr, "%s: a raw request's "
				    "next page is not followed: use the "
				    "Query, JSON or S3 form\n",
				    program_invocation_short_name);
			json_decref(resp);
			aws_request_free(&r);
			break;
		}
		free(prev);
		prev = xstrdup(token);
		json_decref(cur);
		cur = with_token(in, ask, token);
		json_decref(resp);
		aws_request_free(&r);
	}
	free(prev);
	json_decref(cur);
	return rc;
}

/* STS AssumeRole for a profile's role_arn, signed with its source. */
static int
assume_role(void *arg, const struct aws_credentials *source,
    const char *role_arn, const char *session_name, const char *region,
    struct aws_credentials *out, char *err, size_t errlen)
{
	struct aws_client *c = arg;
	json_t *in, *resp = NULL, *cred;
	struct aws_request r;
	const char *ak, *sk, *tok, *exp;
	int rc;

	in = json_pack("{s:s, s:s, s:s, s:{s:s, s:s}}", "service", "sts",
	    "region", region ? region : "us-east-1", "action", "AssumeRole",
	    "params", "RoleArn", role_arn, "RoleSessionName", session_name);
	rc = aws_request_build(&c->cfg, in, &r, err, errlen);
	if (rc == 0)
		rc = send_once(c, &r, source, &resp, err, errlen);
	aws_request_free(&r);
	json_decref(in);
	if (rc != 0)
		return -1;
	cred = json_object_get(json_object_get(json_object_get(json_object_get(
	    resp, "body"), "AssumeRoleResponse"), "AssumeRoleResult"),
	    "Credentials");
	ak = json_string_value(json_object_get(cred, "AccessKeyId"));
	sk = json_string_value(json_object_get(cred, "SecretAccessKey"));
	tok = json_string_value(json_object_get(cred, "SessionToken"));
	exp = json_string_value(json_object_get(cred, "Expiration"));
	if (ak == NULL || sk == NULL) {
		const char *code = json_string_value(json_object_get(
		    json_object_get(resp, "error"), "code"));

		snprintf(err, errlen, "sts AssumeRole %s: HTTP %lld %s", role_arn,
		    (long long)json_integer_value(json_object_get(resp, "status")),
		    code ? code : "answer without credentials");
		json_decref(resp);
		return -1;
	}
	memset(out, 0, sizeof(*out));
	out->access_key_id = xstrdup(ak);
	out->secret_access_key = xstrdup(sk);
	out->session_token = tok ? xstrdup(tok) : NULL;
	if (exp != NULL)
		rfc3339_parse(exp, &out->expiration);
	json_decref(resp);
	return 0;
}
