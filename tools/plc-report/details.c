/*
 * What a reader needs to trust a number: each run's workload and full
 * end-to-end latency, the cluster's durability and the broker and bookie
 * settings that change the figures, and each slo_search's steps.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "expdir.h"
#include "html.h"
#include "report.h"
#include "svg.h"

/* Per run: the workload OMB ran and its end-to-end latency curve points. */
static void
run_details(FILE *fp, const struct expdir *x)
{
	static const char *const wl[] = {
		"message_size_bytes", "topics", "partitions_per_topic",
		"producers_per_topic", "subscriptions_per_topic",
		"consumers_per_subscription", "target_rate_msgs_per_s",
		"duration_s", "end_to_end_latency_ms.p50",
		"end_to_end_latency_ms.p95", "end_to_end_latency_ms.p99",
		"end_to_end_latency_ms.p99_9", "end_to_end_latency_ms.max",
	};
	static const char *const head[] = {
		"message size (B)", "topics", "partitions per topic",
		"producers per topic", "subscriptions per topic",
		"consumers per subscription", "target (msg/s)",
		"measured (s)", "e2e p50 (ms)", "e2e p95 (ms)", "e2e p99 (ms)",
		"e2e p99.9 (ms)", "e2e max (ms)",
	};
	const json_t *rec, *line;
	char nb[64];
	size_t i, k;

	fputs("<section id=\"details\">\n<h2>Run details</h2>\n<table "
	    "id=\"details-table\"><thead><tr><th>run</th><th>description"
	    "</th>", fp);
	for (k = 0; k < sizeof(head) / sizeof(head[0]); k++)
		fprintf(fp, "<th>%s</th>", head[k]);
	fputs("</tr></thead><tbody>\n", fp);
	json_array_foreach(x->records, i, rec) {
		const char *name = rec_name(rec, i, nb, sizeof(nb));

		line = run_line(x, name);
		fputs("<tr><td class=\"name\">", fp);
		html_esc(fp, name);
		fputs("</td><td>", fp);
		html_esc(fp, jstr(line, "description"));
		fputs("</td>", fp);
		for (k = 0; k < sizeof(wl) / sizeof(wl[0]); k++)
			html_num_cell(fp, jnum(rec, wl[k]), NULL, NULL);
		fputs("</tr>\n", fp);
	}
	fputs("</tbody></table>\n<p class=\"note\">The workload OMB ran: as "
	    "the result file records it, else as the plan asked; a replayed "
	    "run ran its recording's workload, so only what the recording's "
	    "file records is shown (– where it records nothing); measured is "
	    "OMB's measured period, warm-up excluded.</p>\n</section>\n", fp);
}

static void
setting(FILE *fp, const char *term, const json_t *v, const char *unit)
{
	char b[64];

	fputs("<tr><th>", fp);
	html_esc(fp, term);
	fputs("</th><td>", fp);
	if (json_is_boolean(v))
		fputs(json_is_true(v) ? "on" : "off", fp);
	else if (json_is_number(v)) {
		fmt_human(b, sizeof(b), json_number_value(v));
		fprintf(fp, "%s%s", b, unit);
	} else if (json_is_string(v))
		html_esc(fp, json_string_value(v));
	else
		fputs("–", fp);
	fputs("</td></tr>\n", fp);
}

/* The settings that change what a run measures, from tfvars.json. */
static void
cluster_settings(FILE *fp, const struct expdir *x)
{
	const json_t *cl = json_object_get(x->tfvars, "cluster");
	const json_t *st = json_object_get(x->tfvars, "bookkeeper_storage");

	if (cl == NULL)
		return;
	fputs("<section id=\"settings\">\n<h2>Cluster settings</h2>\n"
	    "<table id=\"settings-table\"><tbody>\n", fp);
	setting(fp, "ensemble size (E)", jpath(cl, "broker.ensemble_size"),
	    "");
	setting(fp, "write quorum (W)", jpath(cl, "broker.write_quorum"), "");
	setting(fp, "ack quorum (A)", jpath(cl, "broker.ack_quorum"), "");
	setting(fp, "journal sync (fsync before the ack)",
	    jpath(cl, "bookkeeper.journal_sync_data"), "");
	setting(fp, "journal group commit wait",
	    jpath(cl, "bookkeeper.journal_max_group_wait_ms"), " ms");
	setting(fp, "bookie journal on the instance store",
	    json_object_get(st, "instance_store"), "");
	setting(fp, "bookie write cache", jpath(cl, "bookkeeper.write_cache_mb"),
	    " MiB");
	setting(fp, "bookie add worker threads (0: on the I/O threads)",
	    jpath(cl, "bookkeeper.add_worker_threads"), "");
	setting(fp, "broker managed-ledger cache",
	    jpath(cl, "broker.managed_ledger_cache_mb"), " MiB");
	setting(fp, "deduplication", jpath(cl, "broker.deduplication_enabled"),
	    "");
	setting(fp, "broker heap", jpath(cl, "broker.heap_mb"), " MiB");
	setting(fp, "broker direct memory", jpath(cl, "broker.direct_memory_mb"),
	    " MiB");
	setting(fp, "bookie heap", jpath(cl, "bookkeeper.heap_mb"), " MiB");
	setting(fp, "bookie direct memory",
	    jpath(cl, "bookkeeper.direct_memory_mb"), " MiB");
	fputs("</tbody></table>\n", fp);
	if (x->any_recording)
		fputs("<p class=\"note\" id=\"settings-replayed\">This lab's "
		    "settings: a replayed run was recorded on another cluster, "
		    "whose settings its recording does not give.</p>\n", fp);
	fputs("</section>\n", fp);
}

/* Each slo_search: its steps, the bracket narrowing, and the answer. */
static void
searches(FILE *fp, const struct expdir *x)
{
	const json_t *run, *st;
	size_t i, j, n;
	int rc;
	json_t *cap = expdir_load_json(x->path, "capacity.json", &rc);

	json_array_foreach(json_object_get(cap, "runs"), i, run) {
		const json_t *steps = json_object_get(run, "steps");
		struct chart c = { "chart-search", "Search steps: the rate "
		    "tried and the bracket narrowing", "step", "rate (msg/s)",
		    AXIS_LINEAR, AXIS_LINEAR, 0 };
		double *sx, *target, *lo, *hi, l = NAN, h = NAN;
		struct series s[3];
		char a[64], b[64];

		n = json_array_size(steps);
		sx = xcalloc(n + 1, sizeof(double));
		target = xcalloc(n + 1, sizeof(double));
		lo = xcalloc(n + 1, sizeof(double));
		hi = xcalloc(n + 1, sizeof(double));
		json_array_foreach(steps, j, st) {
			double t = jnum(st, "target_rate_msgs_per_s");

			if (json_is_true(json_object_get(st, "pass")))
				l = isnan(l) || t > l ? t : l;
			else
				h = isnan(h) || t < h ? t : h;
			sx[j] = (double)(j + 1);
			target[j] = t;
			lo[j] = l;
			hi[j] = h;
		}
		fputs("<section class=\"search\" id=\"search\">\n<h2>Highest "
		    "rate within the SLO: ", fp);
		html_esc(fp, jstr(run, "run_name"));
		fputs("</h2>\n<p class=\"answer\">", fp);
		fmt_human(a, sizeof(a), jnum(run,
		    "max_sustainable_rate_msgs_per_s"));
		fmt_human(b, sizeof(b), jnum(run,
		    "first_failing_rate_msgs_per_s"));
		fprintf(fp, "<strong>%s msg/s</strong> within the SLO; first "
		    "failing %s msg/s (", a, b);
		html_esc(fp, jstr(run, "bounded_by") ? jstr(run, "bounded_by") :
		    "none");
		fputs("); ", fp);
		html_esc(fp, jstr(run, "stop_reason") ? jstr(run, "stop_reason")
		    : "the search did not finish");
		fputs(".</p>\n<table><thead><tr><th>step</th><th>target "
		    "(msg/s)</th><th>achieved (msg/s)</th><th>publish p99 (ms)"
		    "</th><th>verdict</th></tr></thead><tbody>\n", fp);
		json_array_foreach(steps, j, st) {
			fprintf(fp, "<tr class=\"%s\"><td class=\"num\">%zu"
			    "</td>", json_is_true(json_object_get(st, "pass")) ?
			    "pass" : "fail", j + 1);
			html_num_cell(fp, jnum(st, "target_rate_msgs_per_s"), NULL,
			    NULL);
			html_num_cell(fp, jnum(st, "achieved_rate_msgs_per_s"), NULL,
			    NULL);
			html_num_cell(fp, jnum(st, "publish_p99_ms"), NULL,
			    NULL);
			fputs("<td>", fp);
			html_esc(fp, jstr(st, "verdict"));
			fputs("</td></tr>\n", fp);
		}
		fputs("</tbody></table>\n", fp);
		ceiling_line(fp, x, jstr(run, "run_name"));
		s[0] = (struct series){ "rate tried", sx, target, n };
		s[1] = (struct series){ "highest passing so far", sx, lo, n };
		s[2] = (struct series){ "lowest failing so far", sx, hi, n };
		svg_lines(fp, &c, s, 3, "no step ran");
		fputs("</section>\n", fp);
		free(sx);
		free(target);
		free(lo);
		free(hi);
	}
	json_decref(cap);
}

void
details_section(FILE *fp, const struct expdir *x)
{
	searches(fp, x);
	run_details(fp, x);
	cluster_settings(fp, x);
}
