#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <yajl/yajl_parse.h>

#include "buf.h"
#include "omb_result.h"

/* What a top-level key holds and where its value goes. */
enum kind { K_NONE, K_WORKLOAD, K_DRIVER, K_IDENT, K_RATE, K_LAT_SERIES,
	K_LAT_AGG, K_QMAP, K_FLAG, K_PROV, K_RECORDED_RATE };

struct key {
	char		 name[48];
	size_t		 len;
	enum kind	 kind;
	int		 a, b;		/* indexes into the result's tables */
};

static const char *const stat_suffix[OMB_NSTAT] = {
	"Avg", "50pct", "75pct", "95pct", "99pct", "999pct", "9999pct", "Max"
};
static const char *const lat_series_prefix[OMB_NLAT] = {
	"publishLatency", "publishDelayLatency", "endToEndLatency"
};
static const char *const lat_agg_prefix[OMB_NLAT] = {
	"aggregatedPublishLatency", "aggregatedPublishDelayLatency",
	"aggregatedEndToEndLatency"
};
static const char *const ident_name[OMB_NIDENT] = {
	"messageSize", "topics", "partitions", "producersPerTopic",
	"consumersPerTopic", "sampleRateMillis"
};
static const char *const rate_name[OMB_NRATE] = {
	"publishRate", "publishErrorRate", "consumeRate", "backlog"
};

static const char *const flag_name[OMB_NFLAG] = {
	"replayed", "fake", "modeled"
};
static const char *const prov_name[OMB_NPROV] = {
	"replayedFrom", "replayedWorkload"
};

#define NKEYS	(2 + OMB_NIDENT + OMB_NRATE + 2 * OMB_NLAT * OMB_NSTAT + \
	OMB_NLAT + OMB_NFLAG + OMB_NPROV + 1)
static struct key keys[NKEYS];
static size_t nkeys;

static void
key_add(enum kind kind, int a, int b, const char *prefix, const char *suffix)
{
	struct key *k = &keys[nkeys++];

	snprintf(k->name, sizeof(k->name), "%s%s", prefix, suffix);
	k->len = strlen(k->name);
	k->kind = kind;
	k->a = a;
	k->b = b;
}

static void
keys_init(void)
{
	int i, j;

	if (nkeys > 0)
		return;
	key_add(K_WORKLOAD, 0, 0, "workload", "");
	key_add(K_DRIVER, 0, 0, "driver", "");
	for (i = 0; i < OMB_NIDENT; i++)
		key_add(K_IDENT, i, 0, ident_name[i], "");
	for (i = 0; i < OMB_NRATE; i++)
		key_add(K_RATE, i, 0, rate_name[i], "");
	for (i = 0; i < OMB_NLAT; i++)
		for (j = 0; j < OMB_NSTAT; j++) {
			key_add(K_LAT_SERIES, i, j, lat_series_prefix[i],
			    stat_suffix[j]);
			key_add(K_LAT_AGG, i, j, lat_agg_prefix[i],
			    stat_suffix[j]);
		}
	key_add(K_QMAP, OMB_PUBLISH, 0, "aggregatedPublishLatencyQuantiles",
	    "");
	key_add(K_QMAP, OMB_DELAY, 0, "aggregatedPublishDelayLatencyQuantiles",
	    "");
	key_add(K_QMAP, OMB_E2E, 0, "aggregatedEndToEndLatencyQuantiles", "");
	for (i = 0; i < OMB_NFLAG; i++)
		key_add(K_FLAG, i, 0, flag_name[i], "");
	for (i = 0; i < OMB_NPROV; i++)
		key_add(K_PROV, i, 0, prov_name[i], "");
	key_add(K_RECORDED_RATE, 0, 0, "replayedProducerRate", "");
}

static const struct key *
key_find(const unsigned char *s, size_t len)
{
	size_t i;

	for (i = 0; i < nkeys; i++)
		if (keys[i].len == len && memcmp(keys[i].name, s, len) == 0)
			return &keys[i];
	return NULL;
}

struct ctx {
	struct omb_result	*r;
	struct omb_error	*e;
	int			 flags;
	int			 depth;		/* open containers */
	const struct key	*cur;		/* top-level key being read */
	struct omb_series	*series;	/* array being filled or NULL */
	double			 qpct;		/* pending map entry's key */
	double			 qlast;		/* last map value */
	int			 qlast_set;
};

/* The caller's message, to be prefixed with the position yajl stopped at. */
static int
fail(struct ctx *c, const char *what)
{
	if (c->cur != NULL)
		snprintf(c->e->msg, sizeof(c->e->msg), "\"%s\": %s",
		    c->cur->name, what);
	else
		snprintf(c->e->msg, sizeof(c->e->msg), "%s", what);
	return 0;
}

/*
 * The whole token through strtod, however long (a 1 and 99 zeros is 1e99,
 * not the 1e62 of its first 63 characters). 0 unless all of it is one
 * finite number.
 */
static int
number_checked(const char *s, size_t len, double *v)
{
	char tmp[64], *buf = tmp, *end;
	int ok;

	if (len == 0 || len > OMB_NUMBER_MAX)
		return 0;
	if (len >= sizeof(tmp))
		buf = xmalloc(len + 1);
	memcpy(buf, s, len);
	buf[len] = '\0';
	*v = strtod(buf, &end);
	ok = *end == '\0' && isfinite(*v);
	if (buf != tmp)
		free(buf);
	return ok;
}

static void
series_add(struct omb_series *s, double v)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 128;
		s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	s->v[s->n++] = v;
}

static const char *
kind_expects(enum kind k)
{
	switch (k) {
	case K_WORKLOAD:
	case K_DRIVER:
	case K_PROV:
		return "expected a string or null";
	case K_FLAG:
		return "expected true, false or null";
	case K_IDENT:
	case K_LAT_AGG:
	case K_RECORDED_RATE:
		return "expected a number";
	case K_RATE:
	case K_LAT_SERIES:
		return "expected an array of numbers";
	case K_QMAP:
		return "expected an object of numbers";
	default:
		return "unexpected value";
	}
}

/*
 * A value that is not where a number goes: fine in unknown keys, an error
 * in known ones. Returns the yajl continue flag.
 */
static int
other_value(struct ctx *c)
{
	if (c->depth == 0)
		return fail(c, "not an OMB result: top level is not an object");
	if (c->cur == NULL)
		return 1;
	return fail(c, kind_expects(c->cur->kind));
}

static int
cb_null(void *ctx)
{
	struct ctx *c = ctx;

	/* Jackson writes null for a field that was never set: absent. */
	if (c->depth == 1 && c->cur != NULL) {
		if (c->cur->kind == K_WORKLOAD)
			c->r->has_workload = 1;
		else if (c->cur->kind == K_DRIVER)
			c->r->has_driver = 1;
		return 1;
	}
	return other_value(c);
}

static int
cb_boolean(void *ctx, int v)
{
	struct ctx *c = ctx;

	if (c->depth == 1 && c->cur != NULL && c->cur->kind == K_FLAG) {
		c->r->flag[c->cur->a] = v != 0;
		return 1;
	}
	return other_value(ctx);
}

static int
number_value(struct ctx *c, const char *s, size_t len, double *v)
{
	if (number_checked(s, len, v))
		return 1;
	return fail(c, len > OMB_NUMBER_MAX ? "number longer than "
	    OMB_NUMBER_MAX_TEXT " characters" : "number out of range");
}

static int
cb_number(void *ctx, const char *s, size_t len)
{
	struct ctx *c = ctx;
	struct omb_qmap *q;
	const struct key *k = c->cur;
	double *v, x;

	if (k == NULL)
		return c->depth == 0 ? other_value(c) : 1;
	if (c->depth == 1) {
		if (k->kind == K_IDENT) {
			v = &c->r->ident[k->a];
			c->r->ident_present[k->a] = 1;
		} else if (k->kind == K_LAT_AGG) {
			v = &c->r->agg[k->a][k->b];
			c->r->agg_present[k->a][k->b] = 1;
		} else if (k->kind == K_RECORDED_RATE) {
			v = &c->r->recorded_rate;
			c->r->recorded_rate_present = 1;
		} else
			return other_value(c);
		return number_value(c, s, len, v);
	}
	if (c->depth != 2)
		return other_value(c);
	if (k->kind == K_RATE || k->kind == K_LAT_SERIES) {
		if (c->series == NULL)
			return 1;
		if (!number_value(c, s, len, &x))
			return 0;
		series_add(c->series, x);
		return 1;
	}
	/* K_QMAP: the value of the entry whose key map_key saw. */
	q = &c->r->qmap[k->a];
	q->count++;
	/* Checked with or without -q: acceptance must not depend on it. */
	if (!number_value(c, s, len, &x))
		return 0;
	c->qlast = x;
	c->qlast_set = 1;
	if (c->flags & OMB_LOAD_QUANTILES) {
		if (q->count > q->cap) {
			q->cap = q->cap ? 2 * q->cap : 256;
			q->pt = xrealloc(q->pt, q->cap * sizeof(*q->pt));
		}
		q->pt[q->count - 1].pct = c->qpct;
		q->pt[q->count - 1].value = x;
	}
	return 1;
}

static int
utf8_valid(const unsigned char *s, size_t len)
{
	json_t *v = json_stringn((const char *)s, len);

	json_decref(v);
	return v != NULL && memchr(s, '\0', len) == NULL;
}

static int
cb_string(void *ctx, const unsigned char *s, size_t len)
{
	struct ctx *c = ctx;
	char **dst;

	if (c->depth == 1 && c->cur != NULL && (c->cur->kind == K_WORKLOAD ||
	    c->cur->kind == K_DRIVER || c->cur->kind == K_PROV)) {
		if (c->cur->kind == K_WORKLOAD) {
			dst = &c->r->workload;
			c->r->has_workload = 1;
		} else if (c->cur->kind == K_PROV)
			dst = &c->r->prov[c->cur->a];
		else {
			dst = &c->r->driver;
			c->r->has_driver = 1;
		}
		if (!utf8_valid(s, len))
			return fail(c, "invalid UTF-8");
		free(*dst);
		*dst = xstrndup((const char *)s, len);
		return 1;
	}
	return other_value(c);
}

static int
cb_start_map(void *ctx)
{
	struct ctx *c = ctx;

	if (c->depth == 0) {
		c->depth = 1;
		return 1;
	}
	if (c->cur != NULL && c->depth == 1 && c->cur->kind == K_QMAP) {
		c->r->qmap[c->cur->a].present = 1;
		c->qlast_set = 0;
	} else if (c->cur != NULL)
		return other_value(c);
	c->depth++;
	return 1;
}

/* Whether s is made of the bytes a Java double's text can have. */
static int
number_text(const unsigned char *s, size_t len)
{
	static const unsigned char ok[256] = {
		['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1,
		['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
		['.'] = 1, ['e'] = 1, ['E'] = 1, ['+'] = 1, ['-'] = 1
	};
	size_t i;

	for (i = 0; i < len; i++)
		if (!ok[s[i]])
			return 0;
	return len > 0;
}

static int
cb_map_key(void *ctx, const unsigned char *s, size_t len)
{
	struct ctx *c = ctx;

	if (c->depth == 1) {
		c->cur = key_find(s, len);
		return 1;
	}
	if (c->depth != 2 || c->cur == NULL)
		return 1;
	/* The same verdict with or without -q. */
	if (!number_text(s, len) ||
	    !number_checked((const char *)s, len, &c->qpct))
		return fail(c, "a quantile key is not a number");
	return 1;
}

static int
cb_end_map(void *ctx)
{
	struct ctx *c = ctx;

	c->depth--;
	if (c->depth == 1 && c->cur != NULL && c->cur->kind == K_QMAP &&
	    c->qlast_set)
		c->r->qmap[c->cur->a].last = c->qlast;
	if (c->depth == 1)
		c->cur = NULL;
	return 1;
}

static int
cb_start_array(void *ctx)
{
	struct ctx *c = ctx;
	struct omb_series *s;

	if (c->depth == 0)
		return other_value(c);
	if (c->cur != NULL) {
		if (c->depth != 1 || (c->cur->kind != K_RATE &&
		    c->cur->kind != K_LAT_SERIES))
			return other_value(c);
		if (c->cur->kind == K_RATE)
			s = &c->r->rate[c->cur->a];
		else
			s = &c->r->lat_series[c->cur->a][c->cur->b];
		s->present = 1;
		s->n = 0;
		c->series = c->cur->kind == K_RATE ||
		    (c->flags & OMB_LOAD_SERIES) ? s : NULL;
	}
	c->depth++;
	return 1;
}

static int
cb_end_array(void *ctx)
{
	struct ctx *c = ctx;

	c->depth--;
	if (c->depth == 1) {
		c->series = NULL;
		c->cur = NULL;
	}
	return 1;
}

static const yajl_callbacks callbacks = {
	cb_null, cb_boolean, NULL, NULL, cb_number, cb_string,
	cb_start_map, cb_map_key, cb_end_map, cb_start_array, cb_end_array
};

/* 1-based line and byte column of data[off]. */
static void
position(const char *data, size_t len, size_t off, struct omb_error *e)
{
	const char *p, *nl;

	if (off > len)
		off = len;
	e->line = 1;
	for (p = data; (nl = memchr(p, '\n', data + off - p)) != NULL;
	    p = nl + 1)
		e->line++;
	e->col = (int)(data + off - p) + 1;
}

/* yajl's message without its trailing newline and period. */
static void
yajl_message(yajl_handle h, const char *data, size_t len,
    struct omb_error *e)
{
	unsigned char *m;
	size_t n;

	m = yajl_get_error(h, 0, (const unsigned char *)data, len);
	snprintf(e->msg, sizeof(e->msg), "%s", (char *)m);
	yajl_free_error(h, m);
	n = strlen(e->msg);
	while (n > 0 && (e->msg[n - 1] == '\n' || e->msg[n - 1] == '.' ||
	    e->msg[n - 1] == ' '))
		e->msg[--n] = '\0';
}

static int
check_required(const struct omb_result *r, struct omb_error *e)
{
	struct buf b = { 0 };

	if (!r->has_workload)
		buf_adds(&b, ", \"workload\"");
	if (!r->has_driver)
		buf_adds(&b, ", \"driver\"");
	if (!r->rate[OMB_PUBLISH_RATE].present)
		buf_adds(&b, ", \"publishRate\"");
	if (b.len == 0)
		return 0;
	e->line = e->col = 0;
	snprintf(e->msg, sizeof(e->msg), "not an OMB result: missing %s",
	    b.data + 2);
	buf_free(&b);
	return -1;
}

int
omb_result_load(const char *data, size_t len, int flags,
    struct omb_result *r, struct omb_error *e)
{
	struct ctx c;
	yajl_handle h;
	yajl_status st;
	size_t off;

	keys_init();
	memset(r, 0, sizeof(*r));
	memset(e, 0, sizeof(*e));
	memset(&c, 0, sizeof(c));
	c.r = r;
	c.e = e;
	c.flags = flags;
	if ((h = yajl_alloc(&callbacks, NULL, &c)) == NULL) {
		snprintf(e->msg, sizeof(e->msg), "out of memory");
		return -1;
	}
	/*
	 * Checking UTF-8 costs a third of the parse, mostly in quantile keys
	 * that are only numbers: cb_string checks the strings that are kept.
	 */
	yajl_config(h, yajl_dont_validate_strings, 1);
	st = yajl_parse(h, (const unsigned char *)data, len);
	off = yajl_get_bytes_consumed(h);
	/* What only the end of input reveals (truncation) is at the end. */
	if (st == yajl_status_ok && (st = yajl_complete_parse(h)) !=
	    yajl_status_ok)
		off = len;
	if (st != yajl_status_ok) {
		if (st == yajl_status_error)
			yajl_message(h, data, len, e);
		/* yajl stops past the offending byte or token: show it. */
		if (off > 0)
			off--;
		position(data, len, off, e);
		yajl_free(h);
		return -1;
	}
	yajl_free(h);
	return check_required(r, e);
}

void
omb_result_free(struct omb_result *r)
{
	int i, j;

	free(r->workload);
	free(r->driver);
	for (i = 0; i < OMB_NPROV; i++)
		free(r->prov[i]);
	for (i = 0; i < OMB_NRATE; i++)
		free(r->rate[i].v);
	for (i = 0; i < OMB_NLAT; i++) {
		for (j = 0; j < OMB_NSTAT; j++)
			free(r->lat_series[i][j].v);
		free(r->qmap[i].pt);
	}
	memset(r, 0, sizeof(*r));
}

const char *
omb_result_shape(const struct omb_result *r)
{
	if (r->ident_present[OMB_SAMPLE_RATE_MS])
		return "redpanda";
	if (r->rate[OMB_PUBLISH_ERROR_RATE].present)
		return "v4";
	if (r->lat_series[OMB_DELAY][OMB_P99].present)
		return "v3";
	if (r->ident_present[OMB_MESSAGE_SIZE])
		return "v2";
	if (r->lat_series[OMB_E2E][OMB_P99].present)
		return "v1";
	return "v0";
}
