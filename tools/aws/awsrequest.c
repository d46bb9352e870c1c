#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "awsclient.h"
#include "awsrequest.h"
#include "jsonout.h"
#include "sigv4.h"

#define INPUT_ERR(...) do {						\
	snprintf(err, errlen, __VA_ARGS__);				\
	return AWS_ERR_INPUT;						\
} while (0)

static void
aws_request_header(struct aws_request *r, const char *name, const char *value)
{
	r->headers = xrealloc(r->headers, (r->nheaders + 1) * sizeof(*r->headers));
	r->headers[r->nheaders].name = xstrdup(name);
	r->headers[r->nheaders++].value = xstrdup(value);
}

void
aws_request_free(struct aws_request *r)
{
	free(r->region);
	free(r->method);
	free(r->base);
	free(r->host);
	free(r->path);
	free(r->query);
	for (size_t i = 0; i < r->nheaders; i++) {
		free(r->headers[i].name);
		free(r->headers[i].value);
	}
	free(r->headers);
	buf_free(&r->body);
	free(r->output_file);
	memset(r, 0, sizeof(*r));
}

static const char *
str_field(json_t *in, const char *key)
{
	return json_string_value(json_object_get(in, key));
}

/* Splits "scheme://host[:port]/path?query" into base, host, path, query. */
static int
split_url(struct aws_request *r, const char *url, char *err, size_t errlen)
{
	const char *p = strstr(url, "://"), *path, *q;

	if (p == NULL || p == url || p[3] == '\0')
		INPUT_ERR("\"url\": expected scheme://host/path, found \"%s\"", url);
	p += 3;
	path = p + strcspn(p, "/?#");
	r->base = xstrndup(url, (size_t)(path - url));
	r->host = xstrndup(p, (size_t)(path - p));
	if (*path == '/') {
		q = strchr(path, '?');
		r->path = q ? xstrndup(path, (size_t)(q - path)) : xstrdup(path);
		if (q && q[1] != '\0')
			r->query = xstrdup(q + 1);
	} else {
		r->path = xstrdup("/");
		if (*path == '?' && path[1] != '\0')
			r->query = xstrdup(path + 1);
	}
	/* A default port is not part of Host as sent by curl. */
	{
		size_t n = strlen(r->host);

		if ((strncmp(url, "https", 5) == 0 && n > 4 &&
		    strcmp(r->host + n - 4, ":443") == 0))
			r->host[n - 4] = '\0';
		else if (strncmp(url, "http:", 5) == 0 && n > 3 &&
		    strcmp(r->host + n - 3, ":80") == 0)
			r->host[n - 3] = '\0';
	}
	return 0;
}

static void
form_add(struct buf *b, const char *name, const char *value)
{
	if (b->len > 0)
		buf_addc(b, '&');
	sigv4_uri_encode(b, name, strlen(name), 0);
	buf_addc(b, '=');
	sigv4_uri_encode(b, value, strlen(value), 0);
}

/*
 * Query-protocol serialization: nested objects join with '.', arrays are
 * numbered from 1 (Filter.1.Value.1), scalars are their text.
 */
static int
flatten(struct buf *b, const char *prefix, json_t *v, char *err, size_t errlen)
{
	struct buf name = { 0 };
	char num[64];
	int rc = 0;

	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		const char *k;
		json_t *x;

		json_object_foreach(v, k, x) {
			buf_reset(&name);
			if (prefix)
				buf_addf(&name, "%s.", prefix);
			buf_adds(&name, k);
			if ((rc = flatten(b, name.data, x, err, errlen)) != 0)
				break;
		}
		break;
	}
	case JSON_ARRAY: {
		size_t i;
		json_t *x;

		if (prefix == NULL)
			INPUT_ERR("\"params\": expected an object, found an array");
		json_array_foreach(v, i, x) {
			buf_reset(&name);
			buf_addf(&name, "%s.%zu", prefix, i + 1);
			if ((rc = flatten(b, name.data, x, err, errlen)) != 0)
				break;
		}
		break;
	}
	case JSON_STRING:
		form_add(b, prefix, json_string_value(v));
		break;
	case JSON_INTEGER:
		snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		form_add(b, prefix, num);
		break;
	case JSON_REAL:
		/* 0.1, not the 0.10000000000000001 of %.17g. */
		jsonout_fmt_double(num, json_real_value(v));
		form_add(b, prefix, num);
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		form_add(b, prefix, json_is_true(v) ? "true" : "false");
		break;
	case JSON_NULL:
		break;
	}
	buf_free(&name);
	return rc;
}

/*
 * body_file, whole in memory (SigV4 hashes it before sending): at most
 * AWS_BODY_FILE_MAX bytes, so that /dev/zero or a runaway log cannot grow
 * memory without bound.
 */
static int
load_file(struct buf *b, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char chunk[65536];
	size_t n;

	if (f == NULL) {
		snprintf(err, errlen, "\"%s\": %s", path, strerror(errno));
		return AWS_ERR_SYSTEM;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (b->len + n > AWS_BODY_FILE_MAX) {
			snprintf(err, errlen, "\"body_file\": \"%s\" is larger "
			    "than the limit of %d bytes", path,
			    AWS_BODY_FILE_MAX);
			fclose(f);
			return AWS_ERR_INPUT;
		}
		buf_add(b, chunk, n);
	}
	if (ferror(f)) {
		snprintf(err, errlen, "\"%s\": %s", path, strerror(errno));
		fclose(f);
		return AWS_ERR_SYSTEM;
	}
	fclose(f);
	return 0;
}

static int
build_s3(const struct aws_config *cfg, json_t *in, struct aws_request *r,
    char *err, size_t errlen)
{
	const char *bucket = str_field(in, "bucket"), *key = str_field(in, "key");
	json_t *query = json_object_get(in, "query");
	int configured = aws_config_endpoint(cfg, r->svc.id) != NULL;
	struct buf path = { 0 }, url = { 0 };
	char *base;
	const char *sr;
	int rc;

	if (key != NULL && bucket == NULL)
		INPUT_ERR("\"key\" needs a \"bucket\"");
	aws_service_endpoint(cfg, &r->svc, r->region, &base, &sr);
	/* Virtual-hosted style on AWS, path style on a configured endpoint
	 * or when the bucket name cannot be a host name label. */
	if (bucket != NULL && !configured && strchr(bucket, '.') == NULL)
		buf_addf(&url, "https://%s.%s", bucket, base + strlen("https://"));
	else {
		buf_adds(&url, base);
		if (bucket != NULL) {
			buf_addc(&path, '/');
			sigv4_uri_encode(&path, bucket, strlen(bucket), 0);
		}
	}
	free(base);
	buf_addc(&path, '/');
	if (key != NULL)
		sigv4_uri_encode(&path, key, strlen(key), 1);
	buf_add(&url, path.data, path.len);
	if (json_is_string(query) && *json_string_value(query) != '\0')
		buf_addf(&url, "?%s", json_string_value(query));
	else if (json_is_object(query) && json_object_size(query) > 0) {
		struct buf q = { 0 };

		if ((rc = flatten(&q, NULL, query, err, errlen)) != 0) {
			buf_free(&q);
			buf_free(&path);
			buf_free(&url);
			return rc;
		}
		buf_addf(&url, "?%s", q.data);
		buf_free(&q);
	} else if (query != NULL && !json_is_string(query) && !json_is_object(query))
		INPUT_ERR("\"query\": expected an object or a string");
	rc = split_url(r, url.data, err, errlen);
	buf_free(&path);
	buf_free(&url);
	if (rc != 0)
		return rc;
	r->s3 = 1;
	r->object_read = key != NULL && strcmp(r->method, "GET") == 0;
	return 0;
}

int
aws_request_build(const struct aws_config *cfg, json_t *in,
    struct aws_request *r, char *err, size_t errlen)
{
	const char *service, *region, *method, *s;
	json_t *headers, *body;
	char *base;
	const char *signing_region;
	int rc;

	memset(r, 0, sizeof(*r));
	if (!json_is_object(in))
		INPUT_ERR("expected a JSON object");
	if ((service = str_field(in, "service")) == NULL || *service == '\0')
		INPUT_ERR("missing \"service\" (e.g. \"ec2\", \"s3\", \"ce\")");
	r->svc = aws_service_lookup(service);

	if (json_object_get(in, "url") != NULL)
		r->form = FORM_RAW;
	else if (json_object_get(in, "action") != NULL)
		r->form = FORM_QUERY;
	else if (json_object_get(in, "target") != NULL)
		r->form = FORM_JSON;
	else if (strcmp(service, "s3") == 0)
		r->form = FORM_S3;
	else
		INPUT_ERR("expected one of \"url\" (raw), \"action\" (Query "
		    "protocol), \"target\" (JSON protocol), or service \"s3\"");

	region = str_field(in, "region");
	if (region == NULL)
		region = cfg->region;
	if (region == NULL && r->svc.fixed_region == NULL) {
		snprintf(err, errlen, "no region: set AWS_REGION, a profile "
		    "region, or \"region\" in the request");
		return AWS_ERR_NO_REGION;
	}
	if (region == NULL)
		region = r->svc.fixed_region;

	method = str_field(in, "method");
	r->method = xstrdup(method ? method : r->form == FORM_S3 ||
	    r->form == FORM_RAW ? "GET" : "POST");

	switch (r->form) {
	case FORM_RAW:
		if ((s = str_field(in, "url")) == NULL)
			INPUT_ERR("\"url\": expected a string");
		if ((rc = split_url(r, s, err, errlen)) != 0)
			return rc;
		r->region = xstrdup(r->svc.fixed_region && !str_field(in, "region") ?
		    r->svc.fixed_region : region);
		r->s3 = strcmp(service, "s3") == 0;
		break;
	case FORM_QUERY: {
		const char *action = str_field(in, "action");
		const char *version = str_field(in, "version");
		json_t *params = json_object_get(in, "params");

		if (action == NULL)
			INPUT_ERR("\"action\": expected a string");
		if (version == NULL)
			version = r->svc.query_version;
		if (version == NULL)
			INPUT_ERR("\"version\": needed for service \"%s\"", service);
		if (params != NULL && !json_is_object(params))
			INPUT_ERR("\"params\": expected an object");
		form_add(&r->body, "Action", action);
		form_add(&r->body, "Version", version);
		if (params && (rc = flatten(&r->body, NULL, params, err, errlen)) != 0)
			return rc;
		aws_service_endpoint(cfg, &r->svc, region, &base, &signing_region);
		buf_adds(&r->body, "");
		rc = split_url(r, base, err, errlen);
		free(base);
		if (rc != 0)
			return rc;
		r->region = xstrdup(signing_region);
		aws_request_header(r, "Content-Type",
		    "application/x-www-form-urlencoded; charset=utf-8");
		break;
	}
	case FORM_JSON: {
		const char *target = str_field(in, "target");
		json_t *j = json_object_get(in, "json");
		char *text;

		if (target == NULL)
			INPUT_ERR("\"target\": expected a string such as "
			    "\"AWSInsightsIndexService.GetCostAndUsage\"");
		if (j != NULL && !json_is_object(j))
			INPUT_ERR("\"json\": expected an object");
		if (j == NULL)
			buf_adds(&r->body, "{}");
		else {
			size_t tlen = 0;
			FILE *mf = open_memstream(&text, &tlen);

			/* jsonout: reals in their shortest form, as above. */
			if (mf == NULL || jsonout_write_line(mf, j) != 0 ||
			    fclose(mf) != 0)
				INPUT_ERR("\"json\": cannot be encoded");
			buf_add(&r->body, text, tlen > 0 ? tlen - 1 : 0);
			free(text);
		}
		aws_service_endpoint(cfg, &r->svc, region, &base, &signing_region);
		rc = split_url(r, base, err, errlen);
		free(base);
		if (rc != 0)
			return rc;
		r->region = xstrdup(signing_region);
		aws_request_header(r, "Content-Type", "application/x-amz-json-1.1");
		aws_request_header(r, "X-Amz-Target", target);
		break;
	}
	case FORM_S3:
		r->region = xstrdup(region);
		if ((rc = build_s3(cfg, in, r, err, errlen)) != 0)
			return rc;
		break;
	}

	if ((headers = json_object_get(in, "headers")) != NULL) {
		const char *k;
		json_t *v;

		if (!json_is_object(headers))
			INPUT_ERR("\"headers\": expected an object of strings");
		json_object_foreach(headers, k, v) {
			if (!json_is_string(v))
				INPUT_ERR("\"headers\": \"%s\": expected a string", k);
			if (strcasecmp(k, "host") != 0)
				aws_request_header(r, k, json_string_value(v));
		}
	}
	if (r->form == FORM_RAW || r->form == FORM_S3) {
		body = json_object_get(in, "body");
		if (body != NULL && !json_is_string(body))
			INPUT_ERR("\"body\": expected a string");
		if (body != NULL)
			buf_adds(&r->body, json_string_value(body));
		else if ((s = str_field(in, "body_file")) != NULL &&
		    (rc = load_file(&r->body, s, err, errlen)) != 0)
			return rc;
	}
	if ((s = str_field(in, "output_file")) != NULL)
		r->output_file = xstrdup(s);
	return 0;
}
