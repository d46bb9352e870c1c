/*
 * plc-report's inputs: an experiment directory whose files are the
 * fuzzer's bytes, split at NUL bytes in this order: metrics.ndjson,
 * runs.ndjson, costs.json, timeline.json, tfvars.json, plan.json (a file
 * whose part is missing is absent). Then the page, the CSV and the metrics
 * document are written to /dev/null.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "expdir.h"
#include "report.h"

int	LLVMFuzzerInitialize(int *argc, char ***argv);
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const files[] = { "metrics.ndjson", "runs.ndjson",
    "costs.json", "timeline.json", "tfvars.json", "plan.json" };
#define NFILES	(sizeof(files) / sizeof(*files))
static char dir[64];
static FILE *devnull;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	snprintf(dir, sizeof(dir), "/tmp/plc-fuzz-report.XXXXXX");
	if (mkdtemp(dir) == NULL || (devnull = fopen("/dev/null", "w")) == NULL)
		abort();
	return 0;
}

static void
put(const char *name, const uint8_t *p, size_t n)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "w")) == NULL)
		abort();
	if (n > 0 && fwrite(p, 1, n, f) != n)
		abort();
	fclose(f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct expdir x;
	const uint8_t *p = data, *end = data + size, *nul;
	char path[128];
	size_t i;

	for (i = 0; i < NFILES; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
		if (p > end)
			continue;
		nul = memchr(p, '\0', (size_t)(end - p));
		put(files[i], p, (size_t)((nul ? nul : end) - p));
		p = nul ? nul + 1 : end + 1;
	}
	/* A failed load frees what it had read. */
	if (expdir_load(&x, dir) == 0) {
		page_write(devnull, &x);
		csv_write(devnull, &x);
		json_decref(metrics_doc(&x));
		expdir_free(&x);
	}
	return 0;
}
