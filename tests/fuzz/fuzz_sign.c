/*
 * plc-aws-sign's path from a request line to a signed request: the JSON
 * request forms (raw, Query, JSON 1.1, S3), the Query serializer, SigV4
 * with headers and presigned. The secret key must never appear in what is
 * signed. body_file and output_file are dropped: a fuzzer must not choose
 * files to read or write.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_aws.h"

int	LLVMFuzzerInitialize(int *argc, char ***argv);
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct aws_client *client;
static struct fuzz_answer answer = { "<R/>", 4, 0 };

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_aws_env();
	client = fuzz_client(&answer);
	return 0;
}

/* in: the request holds the secret itself (the fuzzer learns it). */
static void
sign(json_t *req, long presign, int in)
{
	char err[2048];
	json_t *out = NULL;
	char *s;

	if (aws_client_sign(client, req, presign, &out, err,
	    sizeof(err)) == AWS_OK) {
		s = json_dumps(out, JSON_COMPACT);
		if (s == NULL || (!in && strstr(s, "fuzzCANARYsecret") != NULL))
			__builtin_trap();
		free(s);
	}
	json_decref(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *req = json_loadb((const char *)data, size, 0, NULL);
	int in = memmem(data, size, "fuzzCANARYsecret", 16) != NULL;

	if (req == NULL)
		return 0;
	if (json_is_object(req)) {
		json_object_del(req, "body_file");
		json_object_del(req, "output_file");
	}
	sign(req, 0, in);
	sign(req, 900, in);
	json_decref(req);
	return 0;
}
