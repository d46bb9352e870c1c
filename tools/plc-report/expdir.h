/*
 * An experiment directory as plc-report reads it: the metrics records
 * (required) and whatever else the lifecycle has written so far.
 */
#ifndef PLC_REPORT_EXPDIR_H
#define PLC_REPORT_EXPDIR_H

#include <stddef.h>
#include <time.h>

#include <jansson.h>

#include "cli.h"

struct phase {
	char	*name;
	char	*run;		/* the run it measured, or NULL */
	time_t	 start, end;
};

struct expdir {
	char		*path;
	char		*id;		/* experiment ID, never NULL */
	json_t		*records;	/* metrics.ndjson, an array */
	json_t		*tfvars;	/* tfvars.json, or NULL */
	json_t		*plan;		/* plan.json, or NULL */
	json_t		*runs;		/* runs.ndjson, an array, or NULL */
	json_t		*costs;		/* costs.json, or NULL */
	json_t		*experiment;	/* experiment.json, or NULL */
	json_t		*cluster;	/* cluster.ndjson (plc-prom), or NULL */
	struct phase	*phases;	/* timeline.json, by start */
	size_t		 nphases;
	int		 has_timeline;
	int		 any_replayed;
	int		 any_recording;	/* a replay of another cluster's run */
	/* Indexes, so that every look-up by name is O(1): the report stays
	 * linear in the number of records. */
	json_t		*run_by_name;	/* runs.ndjson line by name and id */
	json_t		*cost_by_name;	/* costs.json's runs[] entry by name */
	json_t		*rec_by_name;	/* first record index by rec_name */
	json_t		*recs_by_run;	/* run_name: [record index, ...] */
};

/*
 * Limits on what plc-report reads (plc-report(1), LIMITS): beyond them the
 * input is refused as bad input (exit 3), never read slowly or half.
 */
#define EXPDIR_MAX_RECORDS	10000		/* metrics.ndjson, runs.ndjson lines */
#define EXPDIR_MAX_PHASES	10000		/* timeline.json phases */
#define EXPDIR_MAX_FILE_BYTES	(512L << 20)	/* any one input file */

/*
 * One JSON object file of an experiment directory (size-limited): NULL and
 * *rc 0 when absent; NULL and an exit status (reported) when unreadable.
 */
json_t	*expdir_load_json(const char *dir, const char *name, int *rc);
/* Loads dir; on failure reports on stderr and returns the exit status. */
int	 expdir_load(struct expdir *, const char *dir);
void	 expdir_free(struct expdir *);

/* The value at a dotted path ("publish_latency_ms.p99"), or NULL. */
json_t	*jpath(const json_t *, const char *);
/* The number at path, NAN when absent or not a number. */
double	 jnum(const json_t *, const char *);
/* The string at path, or NULL. */
const char *jstr(const json_t *, const char *);

/* A record's name: run_name, else workload, else "run N". */
const char *rec_name(const json_t *rec, size_t i, char *buf, size_t len);
int	 rec_replayed(const struct expdir *, const json_t *rec);
/* costs.json read defensively: NAN when absent. */
double	 cost_total_usd(const json_t *costs);
double	 cost_per_million_usd(const json_t *costs);
double	 experiment_cost_per_million(const struct expdir *);
double	 cost_run(const struct expdir *, const char *run, const char *field);
/*
 * A run's cost per million messages: the cluster's cost rate over the
 * run's window (plc-cost's cost_usd / duration_s) times OMB's measured
 * period, over the messages published in that period (mean rate times
 * the period): rate_usd_per_s / mean_msgs_per_s * 1e6. NAN when unknown.
 */
double	 run_cost_per_million(const struct expdir *, const json_t *rec);
/* The cluster's cost rate during a run, USD per hour; NAN when unknown. */
double	 run_cost_usd_per_hour(const struct expdir *, const json_t *rec);
/* Fixed-rate tolerance: achieved off its target by more than this is flagged. */
#define OFF_TARGET_PCT	10
/* Achieved / target - 1 in percent when flagged off target, else NAN. */
double	 rec_off_target_pct(const json_t *rec);

/* The first record named name (rec_name), or NULL. */
json_t	*rec_find(const struct expdir *, const char *name);
/* The runs.ndjson line of a run by name or id, or NULL. */
json_t	*run_line(const struct expdir *, const char *name);

/* "2026-11-24T21:00:00Z" (fraction ignored) to time_t; -1 when invalid. */
void	 format_time(time_t, char *, size_t);

#endif
