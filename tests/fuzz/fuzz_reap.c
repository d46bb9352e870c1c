/*
 * plc-reap's readers of AWS answers (STS, EC2 Describe*, the tagging API,
 * IAM lists, S3 tags): the fuzzer's bytes are every answer's body, through
 * the client's own reading, then the discovery and the deletion plan.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "fuzz_aws.h"
#include "reap.h"

int	LLVMFuzzerInitialize(int *argc, char ***argv);
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_aws_env();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_answer a = { (const char *)data, size, 0 };
	struct reap r = { 0 };
	struct reap_list l = { 0 };

	r.client = fuzz_client(&a);
	r.region = "us-west-2";
	r.experiment_id = "exp-fuzz";
	r.time_limit_s = 1800;
	r.now = 1795575600;
	r.deadline = r.now + r.time_limit_s;
	snprintf(r.account, sizeof(r.account), "123456789012");
	if (reap_discover(&r, &l) == 0) {
		reap_plan_order(&l);
		reap_plan_mark(&r, &l);
	}
	reap_list_free(&l);
	aws_client_free(r.client);
	return 0;
}
