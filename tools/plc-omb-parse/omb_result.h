/*
 * An OMB result file (TestResult.java as Jackson writes it, every shape from
 * v0 to v4 and the Redpanda fork), read with a streaming parse that keeps
 * only the fields plc reports and converts only the numbers it needs.
 */
#ifndef OMB_RESULT_H
#define OMB_RESULT_H

#include <stddef.h>

/* The eight statistics OMB writes for each latency, in file order. */
enum omb_stat {
	OMB_AVG, OMB_P50, OMB_P75, OMB_P95, OMB_P99, OMB_P999, OMB_P9999,
	OMB_MAX, OMB_NSTAT
};

/* Latency families: publish (ms), publish delay (µs), end to end (ms). */
enum omb_lat {
	OMB_PUBLISH, OMB_DELAY, OMB_E2E, OMB_NLAT
};

/* Identity integers that v2+ files (and forks) carry. */
enum omb_ident {
	OMB_MESSAGE_SIZE, OMB_TOPICS, OMB_PARTITIONS, OMB_PRODUCERS,
	OMB_CONSUMERS, OMB_SAMPLE_RATE_MS, OMB_NIDENT
};

/* Per-period arrays other than the latency ones. */
enum omb_rate {
	OMB_PUBLISH_RATE, OMB_PUBLISH_ERROR_RATE, OMB_CONSUME_RATE,
	OMB_BACKLOG, OMB_NRATE
};

/* Boolean provenance keys: "replayed", "fake", "modeled". */
enum omb_flag {
	OMB_REPLAYED, OMB_FAKE, OMB_MODELED, OMB_NFLAG
};

/* String provenance keys: "replayedFrom", "replayedWorkload". */
enum omb_prov {
	OMB_REPLAYED_FROM, OMB_REPLAYED_WORKLOAD, OMB_NPROV
};

struct omb_series {
	int	 present;
	double	*v;
	size_t	 n, cap;
};

struct omb_qpoint {
	double	pct;
	double	value;
};

struct omb_qmap {
	int			 present;
	size_t			 count;
	double			 last;		/* value at 100.0, the max */
	struct omb_qpoint	*pt;		/* with OMB_LOAD_QUANTILES */
	size_t			 cap;
};

struct omb_result {
	char			*workload;	/* NULL if the file has null */
	char			*driver;
	int			 has_workload, has_driver;
	int			 ident_present[OMB_NIDENT];
	double			 ident[OMB_NIDENT];
	struct omb_series	 rate[OMB_NRATE];
	struct omb_series	 lat_series[OMB_NLAT][OMB_NSTAT];
	int			 agg_present[OMB_NLAT][OMB_NSTAT];
	double			 agg[OMB_NLAT][OMB_NSTAT];
	struct omb_qmap		 qmap[OMB_NLAT];
	/*
	 * Provenance, as the local stand-ins write it beside OMB's fields
	 * (scripts/omb-replay, tests/fixtures/lifecycle/fake-omb): not a
	 * measurement when any flag is set.
	 */
	int			 flag[OMB_NFLAG];
	char			*prov[OMB_NPROV];	/* NULL when absent */
	int			 recorded_rate_present;
	double			 recorded_rate;	/* replayedProducerRate, msg/s */
};

/* Longer numbers are refused; shorter ones are converted whole. */
#define OMB_NUMBER_MAX		1000
#define OMB_NUMBER_MAX_TEXT	"1000"

#define OMB_LOAD_SERIES		0x1	/* keep the per-period latency arrays */
#define OMB_LOAD_QUANTILES	0x2	/* keep the quantile curves */

/* Why a load failed; line and col are 1-based, 0 when not positional. */
struct omb_error {
	int	 line, col;
	char	 msg[256];
};

/*
 * Parses len bytes of data into r. Returns 0, or -1 with e filled when the
 * bytes are not JSON or not an OMB result. r is freed by omb_result_free
 * either way.
 */
int	omb_result_load(const char *data, size_t len, int flags,
	    struct omb_result *r, struct omb_error *e);
void	omb_result_free(struct omb_result *r);

/* "v0" … "v4" or "redpanda", from the keys present (docs/omb-results.md §1.3). */
const char *omb_result_shape(const struct omb_result *r);

#endif
