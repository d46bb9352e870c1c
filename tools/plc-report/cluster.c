/*
 * Inside the cluster: per run that has cluster records (cluster.ndjson,
 * plc-prom's plc-cluster/1, one per run and node), its nodes' series drawn
 * on the same time axis as OMB's series of that run (both cut into OMB's
 * periods from the measured window's start: x is each period's end), and
 * what limited the run (cluster_verdict, plc-prom -j's verdict that
 * lab-run joins into the run's metrics record). This machine, measured in
 * local mode, is labeled as such wherever its numbers appear.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "expdir.h"
#include "html.h"
#include "report.h"
#include "svg.h"

#define LOCAL_WORDS	"this machine, not a cluster node"

/* The series of one chart, owning their points and labels. */
struct lines {
	struct series	*s;
	size_t		 n, cap;
};

/* Takes x and y (n points, malloc'd) and a copy of label. */
static void
lines_push(struct lines *l, double *x, double *y, size_t n, const char *label)
{
	struct series *s;

	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 8;
		l->s = xrealloc(l->s, l->cap * sizeof(*l->s));
	}
	s = &l->s[l->n++];
	s->x = x;
	s->y = y;
	s->n = n;
	s->label = xstrdup(label);
}

/* A per-period array: x is each period's end. */
static void
lines_add(struct lines *l, const json_t *a, double period, double scale,
    const char *label)
{
	double *x, *y;
	json_t *v;
	size_t i;

	if (!json_is_array(a) || json_array_size(a) == 0)
		return;
	x = xcalloc(json_array_size(a), sizeof(*x));
	y = xcalloc(json_array_size(a), sizeof(*y));
	json_array_foreach(a, i, v) {
		x[i] = (i + 1) * period;
		y[i] = json_is_number(v) ? json_number_value(v) * scale : NAN;
	}
	lines_push(l, x, y, json_array_size(a), label);
}

static void
lines_free(struct lines *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free((void *)l->s[i].x);
		free((void *)l->s[i].y);
		free((void *)l->s[i].label);
	}
	free(l->s);
	memset(l, 0, sizeof(*l));
}

static int
is_local(const json_t *c)
{
	const char *s = jstr(c, "source");

	return s != NULL && strcmp(s, "local-machine") == 0;
}

/* "broker-0 (broker)", or this machine said as such. */
static void
node_label(struct buf *b, const json_t *c)
{
	if (is_local(c))
		buf_adds(b, LOCAL_WORDS);
	else if (jstr(c, "role") != NULL && jstr(c, "node") != NULL &&
	    strcmp(jstr(c, "role"), jstr(c, "node")) != 0)
		buf_addf(b, "%s (%s)", jstr(c, "node"), jstr(c, "role"));
	else
		buf_adds(b, jstr(c, "node") ? jstr(c, "node") : "?");
}

/* One node's field: an array, or one array per device. */
static void
add_field(struct lines *l, const json_t *c, const char *field,
    const char *what, double scale)
{
	json_t *v = json_object_get(json_object_get(c, "series"), field), *a;
	double period = jnum(c, "period_s");
	struct buf b = { 0 };
	const char *dev;

	if (isnan(period) || period <= 0)
		period = 10;
	if (json_is_array(v)) {
		node_label(&b, c);
		if (what != NULL)
			buf_addf(&b, ": %s", what);
		lines_add(l, v, period, scale, b.data);
	}
	json_object_foreach(v, dev, a) {
		buf_reset(&b);
		node_label(&b, c);
		buf_addf(&b, ": %s%s%s", dev, what ? " " : "", what ? what : "");
		lines_add(l, a, period, scale, b.data);
	}
	buf_free(&b);
}

/* The cluster records of a run: its key is its result file's name. */
static size_t
run_nodes(const struct expdir *x, const json_t *rec, const json_t **out)
{
	const char *f = jstr(rec, "source_file"), *k, *n;
	json_t *c;
	size_t i, m = 0, fl = f ? strlen(f) : 0;

	json_array_foreach(x->cluster, i, c) {
		k = jstr(c, "key");
		n = jstr(c, "run_name");
		if (f != NULL && k != NULL ? fl == strlen("results/") +
		    strlen(k) + strlen(".json") && strncmp(f, "results/", 8) ==
		    0 && strncmp(f + 8, k, strlen(k)) == 0 &&
		    strcmp(f + 8 + strlen(k), ".json") == 0 :
		    n != NULL && jstr(rec, "run_name") != NULL &&
		    strcmp(n, jstr(rec, "run_name")) == 0)
			out[m++] = c;
	}
	return m;
}

struct panel_chart {
	const char	*id, *title, *ylabel;
	const char	*field, *what;	/* what: words after the node */
	double		 scale;
	const char	*field2, *what2;	/* a second field, same unit */
	const char	*limit;		/* its limit in limits.json, or NULL */
	double		 lscale;	/* the limit into the chart's unit */
	const char	*unit;		/* the chart's unit, for the limit */
};

static const struct panel_chart panel[] = {
	{ "cpu", "CPU busy, all vCPUs", "CPU (%)",
	    "cpu_utilisation_ratio", NULL, 100, NULL, NULL, NULL, 0, NULL },
	{ "jvm-cpu", "JVM CPU", "cores", "jvm_cpu_cores", NULL, 1,
	    NULL, NULL, "vcpus", 1, "cores" },
	{ "bookie-latency", "Bookie journal fsync and add-entry, p99",
	    "latency (ms)", "journal_sync_p99_ms", "journal fsync", 1,
	    "add_entry_p99_ms", "add-entry", "disk_latency_ms", 1, "ms" },
	{ "disk-throughput", "Disk throughput per device", "MB/s",
	    "disk_write_bytes_per_s", "write", 1e-6,
	    "disk_read_bytes_per_s", "read", "disk_bytes_per_s", 1e-6, "MB/s" },
	{ "disk-await", "Disk write await per device", "await (ms)",
	    "disk_write_await_ms", NULL, 1, NULL, NULL, "disk_latency_ms", 1,
	    "ms" },
	{ "disk-busy", "Disk busy per device", "busy (%)",
	    "disk_busy_ratio", NULL, 100, NULL, NULL, NULL, 0, NULL },
	{ "nic", "Network throughput (loopback excluded)", "Mbit/s",
	    "nic_receive_bytes_per_s", "receive", 8e-6,
	    "nic_transmit_bytes_per_s", "transmit", "network_baseline_gbps",
	    1000, "Mbit/s" },
	{ "heap", "JVM heap used and its maximum", "MB",
	    "jvm_heap_used_bytes", "used", 1e-6, "jvm_heap_max_bytes", "max",
	    NULL, 0, NULL },
	{ "gc", "Time in GC", "share of time (%)", "gc_time_ratio", NULL, 100,
	    NULL, NULL, "gc_time_ratio", 100, "%" },
};

/* A limit: a level line across the window, once per value. */
static void
level(struct lines *l, const struct panel_chart *pc, const json_t *v,
    double xmax)
{
	struct buf b = { 0 };
	char num[64];
	double y, *px, *py;
	size_t i;

	if (!json_is_number(v) || json_number_value(v) <= 0)
		return;
	y = json_number_value(v) * pc->lscale;
	for (i = 0; i < l->n; i++)
		if (strncmp(l->s[i].label, "limit: ", 7) == 0 &&
		    l->s[i].y[0] == y)
			return;
	px = xcalloc(2, sizeof(*px));
	py = xcalloc(2, sizeof(*py));
	px[1] = xmax;
	py[0] = py[1] = y;
	fmt_human(num, sizeof(num), y);
	buf_addf(&b, "limit: %s %s (%s)", num, pc->unit, pc->limit);
	lines_push(l, px, py, 2, b.data);
	buf_free(&b);
}

/*
 * A node's limit for a chart from limits.json (plc-limits/1, as plc-prom
 * reads it: nodes.<node> over roles.<role>; an object is per device, drawn
 * for the devices the node has).
 */
static void
add_limits(struct lines *l, const json_t *limits, const json_t *c,
    const struct panel_chart *pc, double xmax)
{
	const json_t *v, *have;
	const char *dev;
	json_t *d;

	if (limits == NULL || pc->limit == NULL || xmax <= 0)
		return;
	v = json_object_get(json_object_get(json_object_get(limits, "nodes"),
	    jstr(c, "node") ? jstr(c, "node") : ""), pc->limit);
	if (v == NULL)
		v = json_object_get(json_object_get(json_object_get(limits,
		    "roles"), jstr(c, "role") ? jstr(c, "role") : ""),
		    pc->limit);
	have = json_object_get(json_object_get(c, "series"), pc->field);
	if (have == NULL)
		return;
	if (!json_is_object(v)) {
		level(l, pc, v, xmax);
		return;
	}
	json_object_foreach((json_t *)v, dev, d)
		if (json_object_get(have, dev) != NULL)
			level(l, pc, d, xmax);
}

/* OMB's series of the run, as the over-time charts draw them. */
static void
omb_lines(struct lines *l, const json_t *rec, const char *key,
    const char *label)
{
	double period = jnum(rec, "period_s");

	if (isnan(period) || period <= 0)
		period = 10;
	lines_add(l, jpath(json_object_get(rec, "series"), key), period, 1,
	    label);
}

/* The x axis every chart of the panel shares: OMB's and the nodes'. */
static double
panel_xmax(const json_t *rec, const json_t *const *nodes, size_t nn)
{
	double p = jnum(rec, "period_s"), m = 0, q;
	size_t i;

	m = json_array_size(jpath(json_object_get(rec, "series"),
	    "publish_rate_msgs_per_s")) * (isnan(p) ? 10 : p);
	for (i = 0; i < nn; i++) {
		q = jnum(nodes[i], "period_s");
		if (!isnan(q) && !isnan(jnum(nodes[i], "periods")))
			m = fmax(m, q * jnum(nodes[i], "periods"));
	}
	return m;
}

static void
draw(FILE *fp, struct lines *l, const char *id, const char *title,
    const char *ylabel, double xmax, const char *note)
{
	struct chart c = { id, title, "time in the measured window (s)",
	    ylabel, AXIS_LINEAR, AXIS_LINEAR, 1 };

	svg_lines_upto(fp, &c, l->s, l->n, note, xmax);
	lines_free(l);
}

/*
 * What the runs table's flag and the highlights say of a verdict: its
 * limited_by in words (disk_bandwidth: "disk bandwidth"; an acronym, cpu,
 * nic or gc, in capitals), "undecided", or NULL when there is none.
 */
static const char *
cluster_limit_words(const json_t *rec, char *buf, size_t len)
{
	json_t *v = json_object_get(rec, "cluster_verdict");
	const char *by = jstr(v, "limited_by");
	size_t i;

	if (v == NULL)
		return NULL;
	if (!json_is_true(json_object_get(v, "decided")) || by == NULL)
		return "undecided";
	snprintf(buf, len, "%s", by);
	for (i = 0; buf[i] != '\0'; i++)
		if (buf[i] == '_')
			buf[i] = ' ';
		else if (strlen(buf) <= 3 && buf[i] >= 'a' && buf[i] <= 'z')
			buf[i] = (char)(buf[i] - 'a' + 'A');
	return buf;
}

void
cluster_flags(FILE *fp, const json_t *rec)
{
	json_t *v = json_object_get(rec, "cluster_verdict");
	char wb[64];
	const char *w = cluster_limit_words(rec, wb, sizeof(wb));
	json_t *cc = json_object_get(v, "cross_check");

	if (w == NULL)
		return;
	fprintf(fp, "<span class=\"flag %s\" title=\"",
	    json_is_true(json_object_get(v, "decided")) ? "limited" :
	    "undecided");
	html_esc(fp, jstr(v, "verdict") ? jstr(v, "verdict") : "");
	fputs("\">", fp);
	if (json_is_true(json_object_get(v, "decided")))
		fputs("limited by ", fp);
	html_esc(fp, w);
	if (is_local(v))
		fputs(" (this machine)", fp);
	fputs("</span>", fp);
	if (json_is_false(json_object_get(cc, "agrees"))) {
		char t[256];

		snprintf(t, sizeof(t), "the brokers counted %.0f msg/s, OMB "
		    "%.0f msg/s: %+.0f%%, beyond the %.0f%% tolerance",
		    jnum(cc, "broker_publish_rate_msgs_per_s"),
		    jnum(cc, "omb_publish_rate_msgs_per_s"),
		    100 * jnum(cc, "difference_ratio"),
		    100 * jnum(cc, "tolerance_ratio"));
		fputs("<span class=\"flag cross-check\" title=\"", fp);
		html_esc(fp, t);
		fputs("\">rate mismatch</span>", fp);
	}
}

void
cluster_card(FILE *fp, const struct expdir *x)
{
	json_t *rec, *v, *top = NULL;
	size_t i, n = 0, decided = 0, topi = 0;
	char nb[32], val[96], wb[64];
	struct buf note = { 0 };

	json_array_foreach(x->records, i, rec) {
		if ((v = json_object_get(rec, "cluster_verdict")) == NULL)
			continue;
		n++;
		if (!json_is_true(json_object_get(v, "decided")))
			continue;
		decided++;
		if (top == NULL || jnum(v, "figure.ratio_to_limit") >
		    jnum(json_object_get(top, "cluster_verdict"),
		    "figure.ratio_to_limit"))
			top = rec, topi = i;
	}
	if (n == 0)
		return;
	if (top == NULL) {
		rec = NULL;
		json_array_foreach(x->records, i, rec)
			if (json_object_get(rec, "cluster_verdict") != NULL)
				break;
		snprintf(val, sizeof(val), "undecided");
		buf_addf(&note, "%zu run%s: %s", n, n == 1 ? "" : "s",
		    jstr(json_object_get(rec, "cluster_verdict"), "verdict"));
	} else {
		v = json_object_get(top, "cluster_verdict");
		snprintf(val, sizeof(val), "%s", cluster_limit_words(top, wb,
		    sizeof(wb)));
		buf_addf(&note, "run %s", rec_name(top, topi, nb, sizeof(nb)));
		if (n > 1)
			buf_addf(&note, " (%zu of %zu runs decided)", decided,
			    n);
		buf_addf(&note, ": %s", jstr(v, "verdict"));
	}
	fputs("<div class=\"card\" data-metric=\"limited_by\"><div class=\"k\">"
	    "What limited the runs</div><div class=\"v\">", fp);
	html_esc(fp, val);
	fputs("</div><div class=\"n\">", fp);
	html_esc(fp, note.data);
	fputs("</div></div>\n", fp);
	buf_free(&note);
}

/* The window the nodes were asked about, beside OMB's series' span. */
static void
window(FILE *fp, const json_t *rec, const json_t *c)
{
	char t0[64], t1[64];
	double s = jnum(c, "start_unix_s"), e = jnum(c, "end_unix_s");
	double p = jnum(rec, "period_s");
	size_t n = json_array_size(jpath(json_object_get(rec, "series"),
	    "publish_rate_msgs_per_s"));

	if (isnan(s) || isnan(e))
		return;
	format_time((time_t)s, t0, sizeof(t0));
	format_time((time_t)e, t1, sizeof(t1));
	fprintf(fp, "<p class=\"window\">Window: %s to %s (%.0f s, %.0f "
	    "period%s of %.0f s)", t0, t1, e - s, jnum(c, "periods"),
	    jnum(c, "periods") == 1 ? "" : "s", jnum(c, "period_s"));
	if (n > 0)
		fprintf(fp, "; OMB's series: %zu periods of %.0f s", n,
		    isnan(p) ? 10 : p);
	fputs(".</p>\n", fp);
}

static void
run_panel(FILE *fp, const struct expdir *x, const json_t *limits,
    const json_t *rec, size_t ri, const json_t *const *nodes, size_t nn)
{
	const json_t *v = json_object_get(rec, "cluster_verdict");
	struct lines l = { 0 };
	struct buf id = { 0 }, t = { 0 };
	double xmax = panel_xmax(rec, nodes, nn);
	size_t i, k;
	int local = 0;
	char nb[32];
	const char *name = rec_name(rec, ri, nb, sizeof(nb));
	/* A stand-in's numbers were not measured in this window. */
	const char *omb = rec_replayed(x, rec) ? "OMB (replayed: not "
	    "measured in this window)" : "OMB (client side)";

	for (i = 0; i < nn; i++)
		local |= is_local(nodes[i]);
	fputs("<div class=\"cluster-run\" data-run=\"", fp);
	html_esc(fp, name);
	fputs("\">\n<h3>", fp);
	html_esc(fp, name);
	fputs("</h3>\n", fp);
	if (local)
		fputs("<p class=\"banner local-machine\">This machine, not a "
		    "cluster node: local mode measured the machine it ran on "
		    "(its CPU, disks and network) during the run; no Pulsar "
		    "ran, so there are no broker, bookie or JVM series.</p>\n",
		    fp);
	window(fp, rec, nodes[0]);
	fputs("<p class=\"verdict\">What limited it: ", fp);
	html_esc(fp, v != NULL && jstr(v, "verdict") ? jstr(v, "verdict") :
	    "not judged (no cluster_verdict in metrics.ndjson: plc-prom -j "
	    "did not run for this experiment)");
	if (v != NULL && jstr(json_object_get(v, "cross_check"), "reason")) {
		fputs(". Cross-check: ", fp);
		html_esc(fp, jstr(json_object_get(v, "cross_check"), "reason"));
	} else if (v != NULL) {
		json_t *cc = json_object_get(v, "cross_check");
		char a[64], b[64];

		fmt_human(a, sizeof(a), jnum(cc,
		    "broker_publish_rate_msgs_per_s"));
		fmt_human(b, sizeof(b), jnum(cc, "omb_publish_rate_msgs_per_s"));
		fprintf(fp, ". Cross-check: the brokers counted %s msg/s, OMB "
		    "%s msg/s (%+.1f%%, tolerance %.0f%%): %s", a, b,
		    100 * jnum(cc, "difference_ratio"),
		    100 * jnum(cc, "tolerance_ratio"),
		    json_is_true(json_object_get(cc, "agrees")) ? "they agree" :
		    "they DISAGREE: a client that measured something else "
		    "is a broken benchmark");
	}
	fputs(".</p>\n<div class=\"cluster-grid\">\n", fp);

	/* OMB's rate beside the brokers' own count, then OMB's p99. */
	omb_lines(&l, rec, "publish_rate_msgs_per_s", omb);
	for (i = 0; i < nn; i++)
		add_field(&l, nodes[i], "broker_publish_rate_msgs_per_s",
		    "counted", 1);
	buf_addf(&id, "chart-cluster-%zu-rate", ri + 1);
	draw(fp, &l, id.data, "Publish rate: OMB and the brokers' count",
	    "rate (msg/s)", xmax, "No publish rate series for this run");
	buf_reset(&id);
	omb_lines(&l, rec, "publish_latency_ms.p99", omb);
	buf_addf(&id, "chart-cluster-%zu-p99", ri + 1);
	draw(fp, &l, id.data, "Publish latency p99 (OMB)", "latency (ms)",
	    xmax, "No latency series for this run");
	for (k = 0; k < sizeof(panel) / sizeof(panel[0]); k++) {
		for (i = 0; i < nn; i++) {
			add_field(&l, nodes[i], panel[k].field, panel[k].what,
			    panel[k].scale);
			if (panel[k].field2 != NULL)
				add_field(&l, nodes[i], panel[k].field2,
				    panel[k].what2, panel[k].scale);
		}
		if (l.n == 0)
			continue;	/* not measured here: no empty chart */
		for (i = 0; i < nn; i++)
			add_limits(&l, limits, nodes[i], &panel[k], xmax);
		buf_reset(&id);
		buf_reset(&t);
		buf_addf(&id, "chart-cluster-%zu-%s", ri + 1, panel[k].id);
		buf_addf(&t, "%s%s", panel[k].title, local ?
		    " (" LOCAL_WORDS ")" : "");
		draw(fp, &l, id.data, t.data, panel[k].ylabel, xmax, "");
	}
	fputs("</div>\n</div>\n", fp);
	buf_free(&id);
	buf_free(&t);
}

void
cluster_section(FILE *fp, const struct expdir *x)
{
	const json_t **nodes;
	json_t *rec, *limits;
	size_t i, nn, shown = 0;
	int rc;

	if (x->cluster == NULL)
		return;
	/* The limits plc-prom -j judged with, drawn where they apply. */
	limits = expdir_load_json(x->path, "limits.json", &rc);
	nodes = xcalloc(json_array_size(x->cluster) + 1, sizeof(*nodes));
	fputs("<section id=\"cluster\">\n<h2>Inside the cluster</h2>\n"
	    "<p class=\"defs\">Per run, what Prometheus scraped from every "
	    "node during its measured window (cluster.ndjson), on the same "
	    "time axis as OMB's numbers: x is the end of each of OMB's "
	    "periods from the window's start. Hover a line for its node.</p>\n",
	    fp);
	json_array_foreach(x->records, i, rec) {
		if ((nn = run_nodes(x, rec, nodes)) == 0)
			continue;
		run_panel(fp, x, limits, rec, i, nodes, nn);
		shown++;
	}
	if (shown == 0)
		fputs("<p class=\"missing info\">cluster.ndjson has no record "
		    "of these runs.</p>\n", fp);
	fputs("</section>\n", fp);
	json_decref(limits);
	free(nodes);
}
