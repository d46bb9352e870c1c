/*
 * plc-prom: Prometheus range-query answers (plc-prom-answers/1) into per-run,
 * per-node series aligned to OMB's periods (plc-cluster/1), and the judgement
 * of a run from those series (plc-prom-verdict/1). See plc-prom(1).
 */
#ifndef PLC_PROM_H
#define PLC_PROM_H

#include <stddef.h>

#include <jansson.h>

/* Every outside document is checked against these before it is used. */
#define PROM_MAX_QUERIES	100
#define PROM_MAX_SERIES		10000	/* per query */
#define PROM_MAX_PERIODS	11000	/* Prometheus' own points per series */
#define PROM_MAX_SAMPLES	11000	/* per series */

/* The share of a limit from which a resource is said to limit the run. */
/* What a local-machine verdict adds to its sentence. */
#define PROM_LOCAL_WORDS	"this machine in local mode, not a cluster node"
#define PROM_NEAR_LIMIT		0.8
/* OMB's and the broker's publish rates agree within this share by default. */
#define PROM_TOLERANCE		0.05

/*
 * The records (one per node, sorted by node) of one answers document, as
 * new references appended to out (a JSON array). Returns 0, or -1 with a
 * sentence in msg naming what is wrong in the document.
 */
int	prom_records(const json_t *answers, const char *experiment_id,
	    double period_s, json_t *out, char *msg, size_t msglen);

/*
 * The verdict of every run (key) of the cluster records, in the order the
 * keys first appear. limits and omb (plc-omb-parse records) may be NULL.
 * Returns 0, or -1 with a sentence in msg.
 */
int	prom_judge(json_t *const *records, size_t nrecords,
	    const json_t *limits, json_t *const *omb, size_t nomb,
	    const char *experiment_id, double tolerance, json_t *out,
	    char *msg, size_t msglen);

/*
 * A copy of the plc-omb-parse record rec with its run's verdict (of
 * verdicts, a JSON array) as "cluster_verdict": the verdict whose key names
 * the record's source_file (results/<key>.json), or, for a record without
 * result file, the one with its run_name. rec itself when none is its.
 */
json_t	*prom_merge(const json_t *rec, const json_t *verdicts);

/*
 * The verdict's line for a reader, into buf: "what limited RUN: VERDICT",
 * and, when the cross-check failed, the two rates that disagree.
 */
void	prom_summary(const json_t *verdict, char *buf, size_t len);

#endif
