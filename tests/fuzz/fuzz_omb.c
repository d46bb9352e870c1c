/*
 * plc-omb-parse's reader of OMB result files, with the per-period series
 * and the quantile curves kept: every path of the streaming parser.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "omb_record.h"
#include "omb_result.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct omb_result r;
	struct omb_error e;

	struct omb_record_opts o = { .experiment_id = "exp-fuzz", .series = 1,
	    .quantiles = 1 };

	if (omb_result_load((const char *)data, size, OMB_LOAD_SERIES |
	    OMB_LOAD_QUANTILES, &r, &e) == 0) {
		json_t *rec = omb_record_build(&r, "fuzz.json", NULL, &o);

		if (rec == NULL)
			__builtin_trap();	/* a loaded result has a record */
		free(json_dumps(rec, JSON_COMPACT));
		json_decref(rec);
	}
	omb_result_free(&r);
	return 0;
}
