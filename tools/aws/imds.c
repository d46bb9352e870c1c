#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <jansson.h>

#include "awscreds.h"
#include "buf.h"
#include "imds.h"
#include "rfc3339.h"

#define IMDS_BODY_MAX	(64 << 10)
#define IMDS_ROLES	"/latest/meta-data/iam/security-credentials/"

struct imds {
	CURL		*curl;
	const char	*endpoint;
	struct buf	 body;
	int		 overflow;
	char		 errbuf[CURL_ERROR_SIZE];
};

static size_t
imds_write(char *p, size_t size, size_t n, void *arg)
{
	struct imds *m = arg;

	if (m->body.len + size * n > IMDS_BODY_MAX) {
		m->overflow = 1;
		return 0;
	}
	buf_add(&m->body, p, size * n);
	return size * n;
}

static size_t
imds_read_nothing(char *p, size_t size, size_t n, void *arg)
{
	(void)p, (void)size, (void)n, (void)arg;
	return 0;
}

static void
lower_first(char *s)
{
	s[0] = (char)tolower((unsigned char)s[0]);
}

/*
 * One request; returns the HTTP status, or -1 with why set. A PUT asks for
 * a session token; otherwise token (when not NULL) authorizes a GET.
 */
static long
imds_call(struct imds *m, int put, const char *path, const char *token,
    char *why, size_t whylen)
{
	struct curl_slist *h = NULL;
	struct buf url = { 0 }, hdr = { 0 };
	CURLcode rc;
	long status = -1, oserr = 0;

	buf_reset(&m->body);
	m->overflow = 0;
	m->errbuf[0] = '\0';
	buf_addf(&url, "%s%s", m->endpoint, path);
	if (put) {
		h = curl_slist_append(h,
		    "X-aws-ec2-metadata-token-ttl-seconds: 21600");
		h = curl_slist_append(h, "Expect:");
		curl_easy_setopt(m->curl, CURLOPT_UPLOAD, 1L);
		curl_easy_setopt(m->curl, CURLOPT_INFILESIZE_LARGE,
		    (curl_off_t)0);
		curl_easy_setopt(m->curl, CURLOPT_READFUNCTION,
		    imds_read_nothing);
	} else {
		if (token != NULL) {
			buf_addf(&hdr, "X-aws-ec2-metadata-token: %s", token);
			h = curl_slist_append(h, hdr.data);
		}
		curl_easy_setopt(m->curl, CURLOPT_HTTPGET, 1L);
	}
	curl_easy_setopt(m->curl, CURLOPT_URL, url.data);
	curl_easy_setopt(m->curl, CURLOPT_HTTPHEADER, h);
	rc = curl_easy_perform(m->curl);
	if (rc == CURLE_WRITE_ERROR && m->overflow)
		snprintf(why, whylen, "answer to %s longer than %d bytes",
		    path, IMDS_BODY_MAX);
	else if (rc == CURLE_OPERATION_TIMEDOUT)
		snprintf(why, whylen, "no answer within %ld ms",
		    IMDS_TIMEOUT_MS);
	else if (rc == CURLE_COULDNT_CONNECT &&
	    curl_easy_getinfo(m->curl, CURLINFO_OS_ERRNO, &oserr) == CURLE_OK &&
	    oserr != 0) {
		snprintf(why, whylen, "%s", strerror((int)oserr));
		lower_first(why);
	} else if (rc != CURLE_OK) {
		snprintf(why, whylen, "%s", m->errbuf[0] != '\0' ? m->errbuf :
		    curl_easy_strerror(rc));
		lower_first(why);
	} else
		curl_easy_getinfo(m->curl, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_setopt(m->curl, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(h);
	if (hdr.data != NULL)
		explicit_bzero(hdr.data, hdr.len);
	buf_free(&hdr);
	buf_free(&url);
	return status;
}

/* Trailing whitespace off the body; returns it. */
static char *
body_trimmed(struct imds *m)
{
	if (m->body.data == NULL)
		buf_adds(&m->body, "");
	while (m->body.len > 0 &&
	    isspace((unsigned char)m->body.data[m->body.len - 1]))
		m->body.data[--m->body.len] = '\0';
	return m->body.data;
}

/* IAM role names: letters, digits and +=,.@_- (nothing to escape in a URL). */
static int
role_name_ok(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) &&
		    strchr("+=,.@_-", *s) == NULL)
			return 0;
	return 1;
}

static int
imds_role_credentials(struct imds *m, const char *role,
    struct aws_credentials *out, char *why, size_t whylen)
{
	json_t *doc, *v;
	json_error_t e;
	const char *code, *id, *secret, *token, *exp;
	time_t expiration = 0;
	int rc = 1;

	/* jansson's error text quotes the input: it may hold a secret. */
	if ((doc = json_loadb(m->body.data, m->body.len, 0, &e)) == NULL ||
	    !json_is_object(doc)) {
		snprintf(why, whylen, "role %s: answer is not a JSON object",
		    role);
		goto out;
	}
	v = json_object_get(doc, "Code");
	code = json_string_value(v);
	if (v != NULL && (code == NULL || strcmp(code, "Success") != 0)) {
		snprintf(why, whylen, "role %s: Code is \"%.40s\", not Success",
		    role, code != NULL ? code : "(not a string)");
		goto out;
	}
	id = json_string_value(json_object_get(doc, "AccessKeyId"));
	secret = json_string_value(json_object_get(doc, "SecretAccessKey"));
	token = json_string_value(json_object_get(doc, "Token"));
	exp = json_string_value(json_object_get(doc, "Expiration"));
	if (id == NULL || *id == '\0' || secret == NULL || *secret == '\0') {
		snprintf(why, whylen, "role %s: expected AccessKeyId and "
		    "SecretAccessKey in the answer", role);
		goto out;
	}
	if (exp != NULL && rfc3339_parse(exp, &expiration) == -1) {
		snprintf(why, whylen, "role %s: Expiration is not an RFC 3339 "
		    "time", role);
		goto out;
	}
	out->access_key_id = xstrdup(id);
	out->secret_access_key = xstrdup(secret);
	out->session_token = token != NULL && *token != '\0' ?
	    xstrdup(token) : NULL;
	out->expiration = expiration;
	snprintf(out->source, sizeof(out->source), "instance metadata");
	rc = 0;
out:
	json_decref(doc);
	return rc;
}

int
imds_credentials(const char *endpoint, int v1_disabled,
    struct aws_credentials *out, char *why, size_t whylen)
{
	struct imds m = { 0 };
	struct buf path = { 0 };
	char *token = NULL, *role = NULL;
	long status;
	int rc = 1;

	if ((m.curl = curl_easy_init()) == NULL) {
		snprintf(why, whylen, "cannot start libcurl");
		return 1;
	}
	m.endpoint = endpoint;
	curl_easy_setopt(m.curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(m.curl, CURLOPT_CONNECTTIMEOUT_MS, IMDS_TIMEOUT_MS);
	curl_easy_setopt(m.curl, CURLOPT_TIMEOUT_MS, IMDS_TIMEOUT_MS);
	/* A proxy cannot reach the link-local service of this instance. */
	curl_easy_setopt(m.curl, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(m.curl, CURLOPT_ERRORBUFFER, m.errbuf);
	curl_easy_setopt(m.curl, CURLOPT_WRITEFUNCTION, imds_write);
	curl_easy_setopt(m.curl, CURLOPT_WRITEDATA, &m);

	if ((status = imds_call(&m, 1, "/latest/api/token", NULL, why,
	    whylen)) == -1)
		goto out;
	if (status == 200) {
		token = xstrdup(body_trimmed(&m));
		if (token[0] == '\0' || strpbrk(token, "\r\n") != NULL) {
			snprintf(why, whylen, "token answer is malformed");
			goto out;
		}
	} else if (status == 403 || status == 404 || status == 405) {
		/* The SDKs' cue that only IMDSv1 is there. */
		if (v1_disabled) {
			snprintf(why, whylen, "token request answered HTTP %ld "
			    "and IMDSv1 is disabled", status);
			goto out;
		}
	} else {
		snprintf(why, whylen, "token request answered HTTP %ld",
		    status);
		goto out;
	}

	if ((status = imds_call(&m, 0, IMDS_ROLES, token, why, whylen)) == -1)
		goto out;
	if (status == 404) {
		snprintf(why, whylen, "no IAM role attached to the instance");
		goto out;
	}
	if (status != 200) {
		snprintf(why, whylen, "role list answered HTTP %ld", status);
		goto out;
	}
	role = xstrdup(body_trimmed(&m));
	role[strcspn(role, "\n")] = '\0';
	if (!role_name_ok(role)) {
		snprintf(why, whylen, "role list answer is not an IAM role "
		    "name");
		goto out;
	}

	buf_addf(&path, "%s%s", IMDS_ROLES, role);
	if ((status = imds_call(&m, 0, path.data, token, why, whylen)) == -1)
		goto out;
	if (status != 200) {
		snprintf(why, whylen, "role %s answered HTTP %ld", role,
		    status);
		goto out;
	}
	rc = imds_role_credentials(&m, role, out, why, whylen);
out:
	if (token != NULL)
		explicit_bzero(token, strlen(token));
	if (m.body.data != NULL)
		explicit_bzero(m.body.data, m.body.len);
	free(token);
	free(role);
	buf_free(&path);
	buf_free(&m.body);
	curl_easy_cleanup(m.curl);
	return rc;
}
