/*
 * plc-cost's readers of AWS answers (DescribeInstances, DescribeVolumes,
 * DescribeSpotPriceHistory, GetCostAndUsage): the fuzzer's bytes are every
 * answer's body, through the client's own reading (XML or JSON, or an
 * unreadable answer), then the experiment is priced.
 */
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "cost.h"
#include "fuzz_aws.h"

int	LLVMFuzzerInitialize(int *argc, char ***argv);
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static json_t *prices;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char err[512];

	(void)argc;
	(void)argv;
	fuzz_aws_env();
	if ((prices = prices_load(NULL, err, sizeof(err))) == NULL)
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_answer a = { (const char *)data, size, 0 };
	struct aws_client *c = fuzz_client(&a);
	struct experiment e;
	char err[2048];
	int nunpriced;
	json_t *out;

	experiment_init(&e);
	e.experiment_id = xstrdup("exp-fuzz");
	e.as_of = 1795575600;
	if (discover(c, &e, err, sizeof(err)) == 0) {
		out = estimate(&e, prices, &nunpriced);
		json_decref(out);
	}
	json_decref(actuals(c, &e, err, sizeof(err)));
	experiment_free(&e);
	aws_client_free(c);
	return 0;
}
