/*
 * What the harnesses that go through the AWS client share: fixed canary
 * credentials and a region from the environment (never a file, never
 * instance metadata), and an answer function that gives the fuzzer's bytes
 * as the bodies of the answers, HTTP 200: split at NUL bytes, the first
 * part answers the first request, the second the second, and so on round
 * (one part without a NUL answers every request).
 */
#ifndef FUZZ_AWS_H
#define FUZZ_AWS_H

#include <stdlib.h>
#include <string.h>

#include "awsclient.h"

struct fuzz_answer {
	const char	*data;
	size_t		 len;
	size_t		 off;	/* where the next answer starts */
};

static long
fuzz_answer(void *arg, const char **body, size_t *len)
{
	struct fuzz_answer *a = arg;
	const char *p, *nul;

	if (a->off >= a->len)
		a->off = 0;
	p = a->data + a->off;
	nul = memchr(p, '\0', a->len - a->off);
	*body = p;
	*len = nul != NULL ? (size_t)(nul - p) : a->len - a->off;
	a->off = nul != NULL ? (size_t)(nul - a->data) + 1 : a->len;
	return 200;
}

static void
fuzz_aws_env(void)
{
	setenv("AWS_ACCESS_KEY_ID", "AKIDFUZZCANARY", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "fuzzCANARYsecret", 1);
	setenv("AWS_REGION", "us-west-2", 1);
	setenv("AWS_CONFIG_FILE", "/dev/null", 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null", 1);
	setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
	setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9", 1);
	setenv("AWS_MAX_ATTEMPTS", "1", 1);
}

/* A client whose every answer is a's bytes. */
static struct aws_client *
fuzz_client(struct fuzz_answer *a)
{
	struct aws_client_options opt = { 0 };
	char err[512];
	struct aws_client *c = aws_client_new(&opt, err, sizeof(err));

	if (c == NULL)
		abort();
	aws_client_set_answer(c, fuzz_answer, a);
	return c;
}

#endif
