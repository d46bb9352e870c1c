/*
 * index.html: one self-contained page (inline CSS and SVG, a few lines of
 * script for sorting), readable without script and printable. Every string
 * from plans and results goes through html_esc; every number in the run
 * table also carries its exact value in data-v, for machines.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "expdir.h"
#include "html.h"
#include "report.h"
#include "svg.h"

/* The run table's columns in order, and what else reads each. */
#define J	METRIC_JUDGED
#define R	METRIC_REPEATED
const struct metric report_metrics[METRIC_COUNT] = {
	[METRIC_TARGET] = { "target_rate_msgs_per_s", "target", "msg/s", 0, 0 },
	[METRIC_PUBLISH_RATE] = { "publish_rate_msgs_per_s.mean", "achieved",
	    "msg/s", 0, J | R },
	[METRIC_PUBLISH_MB] = { "publish_rate_mb_per_s.mean", "achieved",
	    "MB/s", 0, J },
	[METRIC_PUBLISH_P50] = { "publish_latency_ms.p50", "publish p50", "ms",
	    1, J },
	[METRIC_PUBLISH_P95] = { "publish_latency_ms.p95", "publish p95", "ms",
	    1, J },
	[METRIC_PUBLISH_P99] = { "publish_latency_ms.p99", "publish p99", "ms",
	    1, J | R },
	[METRIC_PUBLISH_P99_9] = { "publish_latency_ms.p99_9", "publish p99.9",
	    "ms", 1, J | R },
	[METRIC_PUBLISH_MAX] = { "publish_latency_ms.max", "publish max", "ms",
	    1, J },
	[METRIC_E2E_P50] = { "end_to_end_latency_ms.p50", "end-to-end p50",
	    "ms", 1, J },
	[METRIC_E2E_P99] = { "end_to_end_latency_ms.p99", "end-to-end p99",
	    "ms", 1, J },
	[METRIC_BACKLOG_MAX] = { "backlog_msgs.max", "backlog max", "msgs", 1,
	    0 },
	[METRIC_ERRORS] = { "publish_error_rate_errs_per_s.mean", "errors",
	    "err/s", 1, J },
	[METRIC_CV] = { "publish_rate_cv", "stability (CV)", "", 1, 0 },
	[METRIC_COST] = { REPORT_COST_KEY, "cost per million", "USD", 1, J },
};
#undef J
#undef R
const size_t report_nmetrics = METRIC_COUNT;

double
metric_value(const struct expdir *x, const json_t *rec, const char *key)
{
	if (rec == NULL)
		return NAN;
	if (strcmp(key, REPORT_COST_KEY) == 0)
		return run_cost_per_million(x, rec);
	return jnum(rec, key);
}

const struct metric *
metric_find(const char *key)
{
	for (size_t k = 0; k < report_nmetrics; k++)
		if (strcmp(report_metrics[k].key, key) == 0)
			return &report_metrics[k];
	return NULL;
}

static const char css[] =
"body{font:14px/1.45 system-ui,sans-serif;margin:1.5em auto;max-width:1360px;"
"padding:0 1em;color:#222}\n"
"h1{font-size:1.5em;margin-bottom:.2em}h2{margin-top:1.6em;"
"border-bottom:1px solid #ddd}\n"
"dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.1em 1em}"
"dl.meta dt{color:#666}dl.meta dd{margin:0}\n"
".banner{background:#fff3cd;border:2px solid #c90;padding:.6em 1em;"
"font-weight:bold}\n"
".cards{display:flex;flex-wrap:wrap;gap:1em}.card{border:1px solid #ccc;"
"border-radius:6px;padding:.6em 1em;min-width:11em}\n"
".card .v{font-size:1.6em;font-weight:bold}.card .k,.card .n{color:#666}\n"
"table{border-collapse:collapse;font-size:12px}th,td{border:1px solid #ddd;"
"padding:.15em .35em}#run-table{width:100%}#run-table td.name{"
"overflow-wrap:anywhere;min-width:7em}td.num{text-align:right;font-variant-numeric:"
"tabular-nums}\nth{background:#f4f4f4;cursor:pointer}tr.failed{background:"
"#fdecea}tr.replayed td.name{background:#fff3cd}\n"
".flag{display:inline-block;border-radius:3px;padding:0 .3em;margin:0 .1em;"
"font-size:12px;background:#eee}.flag.failed,.flag.stalled,.flag.overloaded,"
".flag.off-target{background:#f8d7da}.flag.replayed{background:#ffe08a}\n"
"figure.chart{margin:1em 0;break-inside:avoid}figure.chart>svg{width:100%;"
"height:auto;max-width:900px}\nfigcaption{font-weight:bold}"
"svg text{font:11px sans-serif;fill:#333}svg text.axis{font-size:12px}\n"
"ul.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.3em "
"1.2em;font-size:13px}svg.sw{width:28px;height:8px;vertical-align:middle;"
"margin-right:.3em}\n"
".missing{color:#a00;font-style:italic}.missing.info{color:#555}\n"
"@media (max-width:700px){figure.chart{overflow-x:auto}figure.chart>svg{"
"min-width:560px}svg text{font-size:15px}svg text.axis{font-size:16px}"
"dl.meta{grid-template-columns:1fr}dl.meta dd{margin-bottom:.3em}}\n"
".regress{background:#f8d7da;font-weight:bold}.improve{background:#d4edda}"
"\n#runs,#repeats,#variants,#details,.search{overflow-x:auto}\n"
".cluster-grid{display:grid;grid-template-columns:repeat(auto-fill,"
"minmax(min(100%,620px),1fr));gap:0 1.5em}.flag.limited{background:#cfe2ff}"
".flag.cross-check{background:#f8d7da}\n"
"@media print{th{cursor:auto}.banner{border-width:1px}}\n";

/* Sorts a table by a clicked column: numbers by data-v, else by text. */
static const char sort_js[] =
"//<![CDATA[\n"
"document.querySelectorAll('table.sortable th').forEach(function (th, i) {\n"
"  th.addEventListener('click', function () {\n"
"    var tb = th.closest('table').tBodies[0];\n"
"    var rows = Array.prototype.slice.call(tb.rows);\n"
"    var dir = th.getAttribute('data-dir') === 'a' ? 'd' : 'a';\n"
"    th.setAttribute('data-dir', dir);\n"
"    rows.sort(function (a, b) {\n"
"      var x = a.cells[i], y = b.cells[i];\n"
"      var u = parseFloat(x.getAttribute('data-v'));\n"
"      var v = parseFloat(y.getAttribute('data-v'));\n"
"      var r = isNaN(u) || isNaN(v) ?\n"
"        x.textContent.localeCompare(y.textContent) : u - v;\n"
"      return dir === 'a' ? r : -r;\n"
"    });\n"
"    rows.forEach(function (r) { tb.appendChild(r); });\n"
"  });\n"
"});\n"
"//]]>\n";

void
page_head(FILE *fp, const char *title)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\"/>\n"
	    "<meta name=\"viewport\" content=\"width=device-width\"/>\n"
	    "<meta http-equiv=\"Content-Security-Policy\" content=\""
	    "default-src 'none'; style-src 'unsafe-inline'; "
	    "script-src 'unsafe-inline'; img-src data:\"/>\n<title>", fp);
	html_esc(fp, title);
	fprintf(fp, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", css);
}

void
page_foot(FILE *fp)
{
	fprintf(fp, "<footer><p>Written by plc-report %s.</p></footer>\n"
	    "<script>\n%s</script>\n</body>\n</html>\n", PLC_VERSION, sort_js);
}

static void
dt(FILE *fp, const char *term, const char *value)
{
	fputs("<dt>", fp);
	html_esc(fp, term);
	fputs("</dt><dd>", fp);
	html_esc(fp, value != NULL ? value : "not known");
	fputs("</dd>\n", fp);
}

/* Why the experiment has no cost per million when a run is a stand-in. */
#define NOT_PUBLISHED_HERE	"not known: a run is not a measurement " \
	"(replayed, fake or modeled), and its messages were not published " \
	"during this experiment; each run's own is in the runs table"
#define NOT_PUBLISHED_CARD	"not known: a run is not a measurement"

static void
money(char *buf, size_t len, double usd)
{
	if (isnan(usd))
		snprintf(buf, len, "not known");
	else if (fabs(usd) < 0.01)
		snprintf(buf, len, "$%.3g", usd);
	else
		snprintf(buf, len, "$%.*f", fabs(usd) < 1 ? 4 : 2, usd);
}

/* 53 s, 12 min 5 s, 1 h 2 min. */
static void
fmt_duration(char *buf, size_t len, long long s)
{
	if (s < 60)
		snprintf(buf, len, "%lld s", s);
	else if (s < 3600)
		snprintf(buf, len, "%lld min %lld s", s / 60, s % 60);
	else
		snprintf(buf, len, "%lld h %lld min", s / 3600, s % 3600 / 60);
}

/* Cost Explorer's billed figures, as opposed to plc-cost's estimate. */
static int
is_actual(const json_t *costs)
{
	const char *k = jstr(costs, "kind");

	return k != NULL && strcmp(k, "actual") == 0;
}

static void
header(FILE *fp, const struct expdir *x)
{
	static const char *const roles[] = { "zookeeper", "bookkeeper",
	    "broker", "client", NULL };
	const char *const *r;
	struct buf b = { 0 };
	char t[64], u[64];
	time_t lo = 0, hi = 0;
	size_t i;
	int have = 0;
	json_t *role;

	fputs("<header>\n<h1>", fp);
	html_esc(fp, x->id);
	if (jstr(x->tfvars, "experiment_name") != NULL) {
		fputs(" \xe2\x80\x94 ", fp);
		html_esc(fp, jstr(x->tfvars, "experiment_name"));
	}
	fputs("</h1>\n", fp);
	if (jstr(x->experiment, "mode") != NULL &&
	    strcmp(jstr(x->experiment, "mode"), "local") == 0)
		fputs("<p class=\"banner\" id=\"local\">Local mode: this "
		    "experiment ran against a local emulator of the AWS APIs "
		    "on one machine; no AWS resource existed, and its costs "
		    "are what the same resources would have cost.</p>\n", fp);
	if (x->any_replayed)
		fputs("<p class=\"banner\" id=\"replayed\">Not measured: "
		    "runs marked \xe2\x80\x9creplayed\xe2\x80\x9d re-use a "
		    "recorded OMB result or were computed by a stand-in (a "
		    "fake, or the capacity model); no cluster was benchmarked "
		    "for them (the list under the runs table says which).</p>\n",
		    fp);
	fputs("<dl class=\"meta\">\n", fp);
	dt(fp, "Experiment ID", x->id);
	dt(fp, "Plan", jstr(x->plan, "plan") ? jstr(x->plan, "plan") :
	    jstr(json_array_get(x->runs, 0), "plan"));
	if (jstr(x->plan, "description") != NULL)
		dt(fp, "Description", jstr(x->plan, "description"));
	if (x->any_recording && jstr(x->tfvars, "pulsar_version") != NULL) {
		/* The replayed recordings ran other versions, not named. */
		buf_addf(&b, "%s (this lab's; a replayed run was recorded on "
		    "another cluster and version)",
		    jstr(x->tfvars, "pulsar_version"));
		dt(fp, "Pulsar version", b.data);
		buf_reset(&b);
	} else
		dt(fp, "Pulsar version", jstr(x->tfvars, "pulsar_version"));
	for (r = roles; *r != NULL; r++) {
		role = json_object_get(x->tfvars, *r);
		if (!json_is_integer(json_object_get(role, "count")))
			continue;
		buf_addf(&b, "%s%lld \xc3\x97 %s %s", b.len ? ", " : "",
		    (long long)json_integer_value(json_object_get(role,
		    "count")), jstr(role, "instance_type") ?
		    jstr(role, "instance_type") : "?", *r);
	}
	dt(fp, "Cluster", b.len ? b.data : NULL);
	buf_free(&b);
	dt(fp, "Region", jstr(x->tfvars, "region"));
	for (i = 0; i < x->nphases; i++) {
		time_t e = x->phases[i].end != (time_t)-1 ?
		    x->phases[i].end : x->phases[i].start;

		if (!have || x->phases[i].start < lo)
			lo = x->phases[i].start;
		if (!have || e > hi)
			hi = e;
		have = 1;
	}
	if (have) {
		format_time(lo, t, sizeof(t));
		dt(fp, "Start", t);
		format_time(hi, t, sizeof(t));
		dt(fp, "End", t);
		fmt_duration(t, sizeof(t), (long long)(hi - lo));
		dt(fp, "Duration", t);
	} else {
		dt(fp, "Start", NULL);
		dt(fp, "End", NULL);
		dt(fp, "Duration", NULL);
	}
	money(t, sizeof(t), cost_total_usd(x->costs));
	if (x->costs != NULL && !isnan(cost_total_usd(x->costs)) &&
	    !is_actual(x->costs))
		snprintf(t + strlen(t), sizeof(t) - strlen(t), " (estimate)");
	dt(fp, "Total cost", x->costs ? t : "no costs yet");
	money(u, sizeof(u), experiment_cost_per_million(x));
	if (x->costs != NULL && !isnan(experiment_cost_per_million(x)))
		snprintf(u + strlen(u), sizeof(u) - strlen(u), " (total cost "
		    "over all messages published%s)", is_actual(x->costs) ?
		    "" : "; estimate");
	dt(fp, "Experiment cost per million messages", x->costs == NULL ?
	    "no costs yet" : x->any_replayed ? NOT_PUBLISHED_HERE : u);
	fputs("</dl>\n</header>\n", fp);
}

/* Values of key over the runs that did not fail. */
static size_t
ok_values(const struct expdir *x, const char *key, double *v, size_t *best)
{
	json_t *rec;
	size_t i, n = 0;
	double d;

	json_array_foreach(x->records, i, rec) {
		if (json_is_true(json_object_get(rec, "failed")))
			continue;
		if (isnan(d = jnum(rec, key)))
			continue;
		if (best != NULL && (n == 0 || d > v[*best]))
			*best = n;
		v[n++] = d;
	}
	return n;
}

void
card(FILE *fp, const char *metric, const char *label, const char *value,
    const char *note)
{
	fputs("<div class=\"card\" data-metric=\"", fp);
	html_esc(fp, metric);
	fputs("\"><div class=\"k\">", fp);
	html_esc(fp, label);
	fputs("</div><div class=\"v\">", fp);
	html_esc(fp, value);
	fputs("</div><div class=\"n\">", fp);
	html_esc(fp, note);
	fputs("</div></div>\n", fp);
}

static void
cards(FILE *fp, const struct expdir *x)
{
	static const struct {
		const char *name, *label, *key;
	} lat[] = {
		{ "p50_latency", "Publish latency p50", "publish_latency_ms.p50" },
		{ "p95_latency", "Publish latency p95", "publish_latency_ms.p95" },
		{ "p99_latency", "Publish latency p99", "publish_latency_ms.p99" },
		{ "p999_latency", "Publish latency p99.9",
		    "publish_latency_ms.p99_9" },
		{ "max_latency", "Publish latency max", "publish_latency_ms.max" },
	};
	static const char *const dflt[] = { "throughput", "p99_latency",
	    "cost_per_million_msgs" };
	json_t *hl = jpath(x->plan, "reporting.metrics_to_highlight"), *h;
	size_t n = json_array_size(x->records), i, j, k, m, best = 0, nh;
	double *v = xcalloc(n + 1, sizeof(*v)), lo, hi;
	char a[64], b[64], val[160], note[256];
	const char *name;

	fputs("<section id=\"highlights\">\n<h2>Highlights</h2>\n"
	    "<div class=\"cards\">\n", fp);
	nh = json_is_array(hl) ? json_array_size(hl) : 3;
	for (k = 0; k < nh; k++) {
		h = json_is_array(hl) ? json_array_get(hl, k) : NULL;
		name = h ? json_string_value(h) : dflt[k];
		if (name == NULL)
			continue;
		if (strcmp(name, "throughput") == 0) {
			m = ok_values(x, "publish_rate_msgs_per_s.mean", v,
			    &best);
			if (m == 0) {
				card(fp, name, "Peak throughput",
				    "\xe2\x80\x93", "no run published");
				continue;
			}
			fmt_human(a, sizeof(a), v[best]);
			snprintf(val, sizeof(val), "%s msg/s", a);
			/* The best run, to name it and give its MB/s. */
			for (i = 0, m = 0; i < n; i++) {
				json_t *r = json_array_get(x->records, i);

				if (json_is_true(json_object_get(r, "failed")) ||
				    isnan(jnum(r, "publish_rate_msgs_per_s.mean")))
					continue;
				if (m++ == best)
					break;
			}
			fmt_human(b, sizeof(b), jnum(json_array_get(x->records,
			    i), "publish_rate_mb_per_s.mean"));
			snprintf(note, sizeof(note), "%s MB/s, run %s", b,
			    rec_name(json_array_get(x->records, i), i, a,
			    sizeof(a)));
			card(fp, name, "Peak throughput", val, note);
			continue;
		}
		if (strcmp(name, "cost_per_million_msgs") == 0) {
			money(val, sizeof(val), experiment_cost_per_million(x));
			card(fp, name, "Experiment cost per million messages",
			    x->costs && !x->any_replayed ? val :
			    "\xe2\x80\x93", x->costs == NULL ? "no costs yet" :
			    x->any_replayed ? NOT_PUBLISHED_CARD :
			    is_actual(x->costs) ? "total cost over all "
			    "messages" : "total cost over all messages; "
			    "estimate");
			continue;
		}
		for (i = 0; i < sizeof(lat) / sizeof(lat[0]); i++)
			if (strcmp(name, lat[i].name) == 0)
				break;
		if (i == sizeof(lat) / sizeof(lat[0])) {
			card(fp, name, name, "\xe2\x80\x93", "unknown metric");
			continue;
		}
		m = ok_values(x, lat[i].key, v, NULL);
		if (m == 0) {
			card(fp, name, lat[i].label, "\xe2\x80\x93",
			    "no run measured it");
			continue;
		}
		for (lo = hi = v[0], j = 1; j < m; j++)
			lo = fmin(lo, v[j]), hi = fmax(hi, v[j]);
		fmt_human(a, sizeof(a), lo);
		fmt_human(b, sizeof(b), hi);
		if (lo == hi)
			snprintf(val, sizeof(val), "%s ms", a);
		else
			snprintf(val, sizeof(val), "%s \xe2\x80\x93 %s ms", a,
			    b);
		snprintf(note, sizeof(note), m == 1 ? "%zu run" :
		    "range over %zu runs", m);
		card(fp, name, lat[i].label, val, note);
	}
	free(v);
	ceiling_cards(fp, x);
	cluster_card(fp, x);
	fputs("</div>\n</section>\n", fp);
}

static void
timeline(FILE *fp, const struct expdir *x)
{
	struct span *sp = xcalloc(x->nphases + 1, sizeof(*sp));
	char **labels = xcalloc(x->nphases + 1, sizeof(*labels));
	struct buf b = { 0 };
	time_t now = 0;
	size_t i;

	for (i = 0; i < x->nphases; i++) {
		const struct phase *p = &x->phases[i];

		buf_addf(&b, "%s%s%s", p->name, p->run ? ": " : "",
		    p->run ? p->run : "");
		labels[i] = buf_detach(&b);
		sp[i].label = labels[i];
		sp[i].start = p->start;
		sp[i].end = p->end;
		sp[i].is_run = p->run != NULL;
		if (p->start > now)
			now = p->start;
		if (p->end != (time_t)-1 && p->end > now)
			now = p->end;
	}
	fputs("<section id=\"timeline\">\n<h2>Timeline</h2>\n", fp);
	svg_timeline(fp, "chart-timeline", "Lifecycle phases and runs", sp,
	    x->nphases, now, x->has_timeline ?
	    "timeline.json lists no phases" :
	    "No timeline: timeline.json is missing");
	fputs("</section>\n", fp);
	for (i = 0; i < x->nphases; i++)
		free(labels[i]);
	free(labels);
	free(sp);
}

/*
 * The stand-in that wrote a record's result: plc-omb-parse's stand_in, else
 * the lifecycle's own mark (lab-run sets "modeled" from the result file).
 */
static const char *
stand_in_kind(const json_t *rec)
{
	const char *s = jstr(rec, "stand_in");

	if (s == NULL && json_is_true(json_object_get(rec, "modeled")))
		return "modeled";
	if (s == NULL && json_is_true(json_object_get(rec, "fake")))
		return "fake";
	return s;
}

/* A flag of class cls saying text, with why on hover. */
static void
flag_as(FILE *fp, const char *cls, const char *text, const char *why)
{
	fprintf(fp, "<span class=\"flag %s\"", cls);
	if (why != NULL) {
		fputs(" title=\"", fp);
		html_esc(fp, why);
		fputs("\"", fp);
	}
	fprintf(fp, ">%s</span>", text);
}

static void
flag(FILE *fp, const char *name, const char *why)
{
	flag_as(fp, name, name, why);
}

/* What a not-measured run's flag says: which stand-in wrote its result. */
static const char *
stand_in_word(const json_t *rec)
{
	const char *s = stand_in_kind(rec);

	return s != NULL && (strcmp(s, "fake") == 0 ||
	    strcmp(s, "modeled") == 0) ? s : "replayed";
}

/* Why a run is flagged replayed, by the stand-in that wrote its result. */
static const char *
stand_in_why(const json_t *rec)
{
	const char *s = stand_in_kind(rec);

	if (s != NULL && strcmp(s, "fake") == 0)
		return "a fake result computed from the workload by a test "
		    "stand-in: no cluster was benchmarked";
	if (s != NULL && strcmp(s, "modeled") == 0)
		return "a modeled result, not a measurement: no cluster was "
		    "benchmarked";
	return "a recorded OMB result, re-used: no cluster was benchmarked";
}

/*
 * Where each result that is not a measurement came from: a replay names
 * its recording, the recording's workload and target, and the plan's.
 */
static void
provenance(FILE *fp, const struct expdir *x)
{
	const char *s;
	json_t *rec;
	char nb[32], a[64];
	size_t i, n = 0;

	json_array_foreach(x->records, i, rec) {
		if (!rec_replayed(x, rec))
			continue;
		if (n++ == 0)
			fputs("<ul class=\"provenance\" id=\"provenance\">\n",
			    fp);
		fputs("<li data-run=\"", fp);
		html_esc(fp, rec_name(rec, i, nb, sizeof(nb)));
		fputs("\">", fp);
		html_esc(fp, rec_name(rec, i, nb, sizeof(nb)));
		fputs(": ", fp);
		s = jstr(rec, "stand_in");
		if (s != NULL && strcmp(s, "replay") != 0) {
			html_esc(fp, stand_in_why(rec));
			fputs(".</li>\n", fp);
			continue;
		}
		if (jstr(rec, "replayed_from") == NULL) {
			fputs("marked replayed by the lifecycle; its result "
			    "names no recording; no cluster was benchmarked."
			    "</li>\n", fp);
			continue;
		}
		fputs("replayed from <span class=\"src\">", fp);
		html_esc(fp, jstr(rec, "replayed_from"));
		fputs("</span>", fp);
		if ((s = jstr(rec, "recorded_workload")) != NULL) {
			fputs(", recorded workload \xe2\x80\x9c", fp);
			html_esc(fp, s);
			fputs("\xe2\x80\x9d", fp);
		}
		if (!isnan(jnum(rec, "target_rate_msgs_per_s"))) {
			fmt_human(a, sizeof(a), jnum(rec,
			    "target_rate_msgs_per_s"));
			fprintf(fp, " at %s msg/s", a);
		}
		if (jnum(rec, "planned_target_rate_msgs_per_s") == 0)
			fputs(" (the plan asked for the maximum rate)", fp);
		else if (!isnan(jnum(rec, "planned_target_rate_msgs_per_s"))) {
			fmt_human(a, sizeof(a), jnum(rec,
			    "planned_target_rate_msgs_per_s"));
			fprintf(fp, " (the plan asked for %s msg/s)", a);
		}
		fputs("; no cluster was benchmarked.</li>\n", fp);
	}
	if (n > 0)
		fputs("</ul>\n", fp);
}

static void
run_table(FILE *fp, const struct expdir *x)
{
	json_t *rec;
	const char *name;
	char nb[32], why[128];
	double off;
	size_t i, k;
	int rep;

	fputs("<section id=\"runs\">\n<h2>Runs</h2>\n"
	    "<table class=\"sortable\" id=\"run-table\">\n<thead><tr>"
	    "<th>run</th><th>type</th>", fp);
	for (k = 0; k < report_nmetrics; k++) {
		fprintf(fp, "<th>%s", report_metrics[k].head);
		if (*report_metrics[k].unit != '\0')
			fprintf(fp, " (%s)", report_metrics[k].unit);
		fputs("</th>", fp);
	}
	fputs("<th>flags</th></tr></thead>\n<tbody>\n", fp);
	json_array_foreach(x->records, i, rec) {
		name = rec_name(rec, i, nb, sizeof(nb));
		rep = rec_replayed(x, rec);
		fprintf(fp, "<tr class=\"%s%s\" data-run=\"",
		    json_is_true(json_object_get(rec, "failed")) ?
		    "failed" : "ok", rep ? " replayed" : "");
		html_esc(fp, name);
		fputs("\"><td class=\"name\">", fp);
		html_esc(fp, name);
		fputs("</td><td>", fp);
		html_esc(fp, jstr(rec, "run_type"));
		fputs("</td>", fp);
		for (k = 0; k < report_nmetrics; k++)
			html_num_cell(fp, metric_value(x, rec,
			    report_metrics[k].key), NULL, report_metrics[k].key);
		fputs("<td class=\"flags\">", fp);
		if (json_is_true(json_object_get(rec, "failed")))
			flag(fp, "failed", jstr(rec, "failure_reason"));
		if (json_is_true(json_object_get(rec, "stalled")))
			flag(fp, "stalled", NULL);
		if (json_is_true(json_object_get(rec, "overloaded")))
			flag(fp, "overloaded", NULL);
		if (!isnan(off = rec_off_target_pct(rec))) {
			snprintf(why, sizeof(why), "achieved %+.0f%% off its "
			    "target (tolerance \xc2\xb1%d%%)", off,
			    OFF_TARGET_PCT);
			flag(fp, "off-target", why);
		}
		if (rep)
			flag_as(fp, "replayed", stand_in_word(rec),
			    stand_in_why(rec));
		cluster_flags(fp, rec);
		fputs("</td></tr>\n", fp);
	}
	fputs("</tbody>\n</table>\n", fp);
	fprintf(fp, "<p class=\"defs\">Cost per million messages: the "
	    "cluster's cost rate during the run times OMB's measured period, "
	    "over the messages published in that period%s. "
	    "<span class=\"flag off-target\">off-target</span>: a run with a "
	    "target rate whose achieved mean rate is more than %d%% above or "
	    "below it.</p>\n", x->costs != NULL && !is_actual(x->costs) ?
	    " (estimate)" : "", OFF_TARGET_PCT);
	provenance(fp, x);
	json_array_foreach(x->records, i, rec)
		if (json_is_true(json_object_get(rec, "failed"))) {
			fputs("<p class=\"missing\">Run ", fp);
			html_esc(fp, rec_name(rec, i, nb, sizeof(nb)));
			fputs(" failed: ", fp);
			html_esc(fp, jstr(rec, "failure_reason") ?
			    jstr(rec, "failure_reason") : "no reason given");
			fputs("</p>\n", fp);
		}
	fputs("</section>\n", fp);
}

static void
notes(FILE *fp, const struct expdir *x)
{
	static const struct {
		const char *file;
		size_t off;
		const char *why;
	} opt[] = {
		{ "tfvars.json", offsetof(struct expdir, tfvars),
		    "cluster shape, region and Pulsar version unknown" },
		{ "plan.json", offsetof(struct expdir, plan),
		    "default highlights" },
		{ "runs.ndjson", offsetof(struct expdir, runs),
		    "the plan's runs unknown" },
		{ "costs.json", offsetof(struct expdir, costs),
		    "no costs yet" },
	};
	size_t i, n = 0;

	for (i = 0; i < sizeof(opt) / sizeof(opt[0]); i++) {
		if (*(json_t *const *)((const char *)x + opt[i].off) != NULL)
			continue;
		if (n++ == 0)
			fputs("<section id=\"notes\">\n<h2>Missing inputs"
			    "</h2>\n<ul>\n", fp);
		fprintf(fp, "<li>%s is missing: %s.</li>\n", opt[i].file,
		    opt[i].why);
	}
	if (!x->has_timeline) {
		if (n++ == 0)
			fputs("<section id=\"notes\">\n<h2>Missing inputs"
			    "</h2>\n<ul>\n", fp);
		fputs("<li>timeline.json is missing: no timeline.</li>\n", fp);
	}
	if (n > 0)
		fputs("</ul>\n</section>\n", fp);
}

void
page_write(FILE *fp, const struct expdir *x)
{
	struct chart c = { 0 };
	struct buf t = { 0 };

	buf_addf(&t, "plc report: %s", x->id);
	page_head(fp, t.data);
	buf_free(&t);
	header(fp, x);
	notes(fp, x);
	cards(fp, x);
	timeline(fp, x);
	run_table(fp, x);
	repeats_section(fp, x);
	details_section(fp, x);

	fputs("<section id=\"charts\">\n<h2>Charts</h2>\n", fp);
	c = (struct chart){ "chart-latency-quantiles",
	    "Publish latency by percentile", "percentile", "latency (ms)",
	    AXIS_NINES, AXIS_LINEAR, 0 };
	line_chart(fp, x, &c, QUANTILES, "publish_latency_ms", 1,
	    "No latency curves: metrics.ndjson was written without "
	    "--quantiles, or no run has one");
	c = (struct chart){ "chart-e2e-quantiles",
	    "End-to-end latency by percentile", "percentile", "latency (ms)",
	    AXIS_NINES, AXIS_LINEAR, 0 };
	line_chart(fp, x, &c, QUANTILES, "end_to_end_latency_ms", 1,
	    "No end-to-end latency curves");
	c = (struct chart){ "chart-throughput", "Publish rate over time",
	    "time (s)", "rate (msg/s)", AXIS_LINEAR, AXIS_LINEAR, 0 };
	line_chart(fp, x, &c, SERIES, "publish_rate_msgs_per_s", 0,
	    "No time series: metrics.ndjson was written without --series");
	c = (struct chart){ "chart-p99", "Publish latency p99 over time",
	    "time (s)", "latency (ms)", AXIS_LINEAR, AXIS_LINEAR, 0 };
	line_chart(fp, x, &c, SERIES, "publish_latency_ms.p99", 1,
	    "No time series: metrics.ndjson was written without --series");
	target_charts(fp, x, 0);
	target_charts(fp, x, 1);
	fputs("</section>\n", fp);
	cluster_section(fp, x);
	cost_section(fp, x);
	fputs("<section id=\"files\">\n<h2>Files</h2>\n<ul>"
	    "<li><a href=\"metrics.csv\">metrics.csv</a></li>"
	    "<li><a href=\"metrics.json\">metrics.json</a></li>", fp);
	if (x->costs != NULL)
		fputs("<li><a href=\"costs.json\">costs.json</a></li>", fp);
	fputs("<li><a href=\"raw_data/\">raw_data/</a> (OMB result files)"
	    "</li><li><a href=\"config/\">config/</a></li></ul>\n"
	    "</section>\n", fp);
	page_foot(fp);
}
