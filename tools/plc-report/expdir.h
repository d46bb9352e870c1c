/*
 * An experiment directory as plc-report reads it: the metrics records
 * (required) and whatever else the lifecycle has written so far.
 */
#ifndef PLC_REPORT_EXPDIR_H
#define PLC_REPORT_EXPDIR_H

#include <stddef.h>
#include <time.h>

#include <jansson.h>

#define EX_RUNTIME	1
#define EX_USAGE	2
#define EX_BADINPUT	3

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
	struct phase	*phases;	/* timeline.json, by start */
	size_t		 nphases;
	int		 has_timeline;
	int		 any_replayed;
};

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
double	 cost_run(const json_t *costs, const char *run, const char *field);

/* "2026-11-24T21:00:00Z" (fraction ignored) to time_t; -1 when invalid. */
void	 format_time(time_t, char *, size_t);

#endif
