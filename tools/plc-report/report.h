/* The report's parts, each written from a loaded experiment directory. */
#ifndef PLC_REPORT_REPORT_H
#define PLC_REPORT_REPORT_H

#include <stdio.h>

#include "expdir.h"

#define REPORT_COST_KEY	"cost_per_million_messages_usd"

#define METRIC_JUDGED	0x1	/* compared by --compare */
#define METRIC_REPEATED	0x2	/* in the repeated runs' statistics */

/* One column of the per-run table; what else reads it, in uses. */
struct metric {
	const char	*key;	/* dotted path in a metrics record */
	const char	*head;	/* for people */
	const char	*unit;
	int		 lower_is_better;
	unsigned	 uses;
};
/* report_metrics's entries by name, for the tables that use some of them. */
enum metric_id {
	METRIC_TARGET, METRIC_PUBLISH_RATE, METRIC_PUBLISH_MB,
	METRIC_PUBLISH_P50, METRIC_PUBLISH_P95, METRIC_PUBLISH_P99,
	METRIC_PUBLISH_P99_9, METRIC_PUBLISH_MAX, METRIC_E2E_P50,
	METRIC_E2E_P99, METRIC_BACKLOG_MAX, METRIC_ERRORS, METRIC_CV,
	METRIC_COST, METRIC_COUNT
};
extern const struct metric report_metrics[METRIC_COUNT];
extern const size_t report_nmetrics;
/* The metric's value in a run's record (the cost is computed), or NAN. */
double	 metric_value(const struct expdir *, const json_t *rec,
	    const char *key);
const struct metric *metric_find(const char *key);

void	 page_write(FILE *, const struct expdir *);
/* summary.c: the runs' summary for the terminal (plc-report -s). */
void	 summary_write(FILE *, const struct expdir *);

/* charts.c */
struct chart;
enum source { QUANTILES, SERIES };
void	 line_chart(FILE *, const struct expdir *, struct chart *,
	    enum source, const char *key, int autolog, const char *note);
void	 target_charts(FILE *, const struct expdir *, int stepped);
void	 cost_section(FILE *, const struct expdir *);
/* repeats.c: mean, 95 % interval and spread of runs that share a name */
void	 repeats_section(FILE *, const struct expdir *);
json_t	*repeats_doc(const struct expdir *);	/* metrics.json's "repeats" */
void	 page_head(FILE *, const char *title);
void	 page_foot(FILE *);
void	 csv_write(FILE *, const struct expdir *);
json_t	*metrics_doc(const struct expdir *);
/* Copies results/ to raw_data/ and the plan and tfvars to config/. */
void	 files_copy(const struct expdir *, const char *outdir);

/*
 * Writes the comparison into outdir; returns the document (caller frees).
 * mixed: the caller compares experiments of different durability anyway.
 */
json_t	*compare_write(const struct expdir *a, const struct expdir *b,
	    double threshold_pct, int mixed, const char *outdir);
/* durability.c: journal sync and quorums (an object; null without tfvars). */
json_t	*durability_doc(const struct expdir *);
/* "key A and B, ..." of what differs (caller frees); NULL when nothing does. */
char	*durability_differences(const json_t *a, const json_t *b);
/* 0, or reports how they differ and returns EXIT_INPUT. */
int	 durability_check(const struct expdir *a, const struct expdir *b);

/* charts.c: a step's run name's length, without "-step-K" */
size_t	 step_base(const char *name);
/* page.c: a highlight card */
void	 card(FILE *, const char *metric, const char *label, const char *value,
	    const char *note);
/*
 * ceiling.c: plc-model's predicted ceiling (model.json) against each
 * stepped run's measured maximum: metrics.json's "ceilings", a line for a
 * run's section, and the highlights' cards.
 */
json_t	*ceilings_doc(const struct expdir *);
void	 ceiling_line(FILE *, const struct expdir *, const char *run);
void	 ceiling_cards(FILE *, const struct expdir *);

/* details.c: each slo_search, each run's workload, the cluster's settings. */
void	 details_section(FILE *, const struct expdir *);

/*
 * cluster.c: per run with cluster records (cluster.ndjson), its nodes'
 * series on OMB's time axis and what limited it (the record's
 * cluster_verdict); its flags in the runs table and its highlight card.
 */
void	 cluster_section(FILE *, const struct expdir *);
void	 cluster_flags(FILE *, const json_t *rec);
void	 cluster_card(FILE *, const struct expdir *);

/*
 * frontier.c: the frontier of one plan's variants (one experiment each)
 * into outdir (frontier.json, index.html) and, on stdout, frontier.json.
 * Returns 0 or the exit status of what it reported.
 */
int	 frontier_write(char *const dirs[], size_t n, const char *outdir);

#endif
