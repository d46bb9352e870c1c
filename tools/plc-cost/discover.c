/*
 * The AWS side: an experiment's instances and volumes found by their
 * ExperimentID tag (with spot price histories), and Cost Explorer's
 * actuals for that tag.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "awsanswer.h"
#include "awsclient.h"
#include "buf.h"
#include "cost.h"
#include "project.h"
#include "rfc3339.h"

#define CE_USD_PER_REQUEST	0.01
#define CE_LAG_S		86400

struct pages {
	struct experiment *e;
	json_t	*items;		/* every page's items, in order */
	const char *resp, *set, *subset;
	long	 npages;
	char	*err;
	size_t	 errlen;
};

static const char *
str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

static int
page_error(struct pages *p, json_t *resp, const char *op)
{
	json_t *e = json_object_get(resp, "error");

	/* op is the answer's root: DescribeInstancesResponse. */
	snprintf(p->err, p->errlen, "%.*s: %s: %s",
	    (int)(strlen(op) - strlen("Response")), op, str(e, "code"),
	    str(e, "message"));
	return AWS_ERR_AWS;
}

/* Collects body.<resp>.<set>[] (and each's <subset>[] when set). */
static int
collect(void *arg, json_t *resp)
{
	struct pages *p = arg;
	json_t *set, *it;
	size_t i;

	p->npages++;
	if (json_integer_value(json_object_get(resp, "status")) >= 300)
		return page_error(p, resp, p->resp);
	/* An answer without its document is unread, not empty. */
	if (!json_is_object(json_object_get(json_object_get(resp, "body"),
	    p->resp))) {
		snprintf(p->err, p->errlen, "%.*s: unreadable answer: no "
		    "\"%s\" in it", (int)(strlen(p->resp) - strlen("Response")),
		    p->resp, p->resp);
		return AWS_ERR_AWS;
	}
	set = awsanswer_list(json_object_get(json_object_get(
	    json_object_get(resp, "body"), p->resp), p->set));
	if (set == NULL) {
		snprintf(p->err, p->errlen, "%s: %s is not a list", p->resp,
		    p->set);
		return AWS_ERR_AWS;
	}
	json_array_foreach(set, i, it) {
		if (p->subset == NULL) {
			json_array_append(p->items, it);
			continue;
		}
		json_t *sub = awsanswer_list(json_object_get(it, p->subset)), *x;
		size_t j;

		if (sub == NULL) {
			snprintf(p->err, p->errlen, "%s: %s is not a list",
			    p->resp, p->subset);
			json_decref(set);
			return AWS_ERR_AWS;
		}
		json_array_foreach(sub, j, x)
			json_array_append(p->items, x);
		json_decref(sub);
	}
	json_decref(set);
	return 0;
}

static int
send_all(struct aws_client *c, json_t *req, struct pages *p)
{
	int rc;

	rc = aws_client_send(c, req, 1, collect, p, p->err, p->errlen);
	json_decref(req);
	return rc;
}

static const char *
tag(json_t *item, const char *key)
{
	json_t *t;
	size_t i;

	json_array_foreach(json_object_get(item, "tagSet"), i, t)
		if (strcmp(str(t, "key"), key) == 0)
			return str(t, "value");
	return "";
}

/* "User initiated (2026-11-24 20:01:02 GMT)": when a stop began. */
static int
reason_time(const char *reason, time_t *t)
{
	const char *p = strchr(reason, '(');
	struct tm tm = { 0 };
	const char *end;

	if (p == NULL || (end = strptime(p + 1, "%Y-%m-%d %H:%M:%S",
	    &tm)) == NULL)
		return -1;
	if (strncmp(end, " GMT)", 5) != 0 && strncmp(end, " UTC)", 5) != 0)
		return -1;
	*t = timegm(&tm);
	return 0;
}

static json_t *
tag_filter(const char *id)
{
	return json_pack("[{s:s,s:[s]}]", "Name", "tag:ExperimentID",
	    "Value", id);
}

static int
spot_history(struct aws_client *c, struct resource *r, char *err,
    size_t errlen)
{
	struct pages p = { NULL, json_array(),
	    "DescribeSpotPriceHistoryResponse", "spotPriceHistorySet", NULL, 0,
	    err, errlen };
	char a[32], b[32];
	json_t *req, *it;
	size_t i, n = 0;
	int rc;

	req = json_pack("{s:s,s:s,s:{s:[s],s:[s],s:s,s:s}}", "service", "ec2",
	    "action", "DescribeSpotPriceHistory", "params",
	    "InstanceType", r->type, "ProductDescription", "Linux/UNIX",
	    "StartTime", cost_format_time(r->start, a, sizeof(a)),
	    "EndTime", cost_format_time(r->end, b, sizeof(b)));
	if (*r->az != '\0')
		json_object_set_new(json_object_get(req, "params"),
		    "AvailabilityZone", json_string(r->az));
	if ((rc = send_all(c, req, &p)) != AWS_OK) {
		json_decref(p.items);
		return rc;
	}
	r->spot_prices = xcalloc(json_array_size(p.items) + 1,
	    sizeof(*r->spot_prices));
	json_array_foreach(p.items, i, it) {
		struct spot_price sp;
		char *end;

		if (strcmp(str(it, "instanceType"), r->type) != 0 ||
		    (*r->az && strcmp(str(it, "availabilityZone"), r->az)) ||
		    strncmp(str(it, "productDescription"), "Linux/UNIX", 10))
			continue;
		sp.usd_per_hour = strtod(str(it, "spotPrice"), &end);
		if (rfc3339_parse(str(it, "timestamp"), &sp.when) != 0 ||
		    *end != '\0' || !isfinite(sp.usd_per_hour)) {
			snprintf(err, errlen, "DescribeSpotPriceHistory: "
			    "unreadable entry for %s", r->type);
			json_decref(p.items);
			return AWS_ERR_AWS;
		}
		/* Insertion keeps them ascending; AWS answers newest first. */
		size_t k = n++;
		while (k > 0 && r->spot_prices[k - 1].when > sp.when) {
			r->spot_prices[k] = r->spot_prices[k - 1];
			k--;
		}
		r->spot_prices[k] = sp;
	}
	r->nspot_prices = n;
	json_decref(p.items);
	return AWS_OK;
}

int
discover(struct aws_client *c, struct experiment *e, char *err,
    size_t errlen)
{
	struct pages pi = { e, json_array(), "DescribeInstancesResponse",
	    "reservationSet", "instancesSet", 0, err, errlen };
	struct pages pv = { e, json_array(), "DescribeVolumesResponse",
	    "volumeSet", NULL, 0, err, errlen };
	const struct aws_config *cfg = aws_client_config(c);
	json_t *it;
	size_t i;
	int rc;

	if (cfg->region == NULL) {
		snprintf(err, errlen, "no region: set AWS_REGION");
		rc = AWS_ERR_SYSTEM;
		goto out;
	}
	e->region = xstrdup(cfg->region);
	rc = send_all(c, json_pack("{s:s,s:s,s:{s:o}}", "service", "ec2",
	    "action", "DescribeInstances", "params", "Filter",
	    tag_filter(e->experiment_id)), &pi);
	if (rc == AWS_OK)
		rc = send_all(c, json_pack("{s:s,s:s,s:{s:o}}", "service",
		    "ec2", "action", "DescribeVolumes", "params", "Filter",
		    tag_filter(e->experiment_id)), &pv);
	if (rc != AWS_OK)
		goto out;

	json_array_foreach(pi.items, i, it) {
		struct resource *r = experiment_add(e, RES_INSTANCE);
		const char *state = str(json_object_get(it, "instanceState"),
		    "name");

		r->id = xstrdup(str(it, "instanceId"));
		r->type = xstrdup(str(it, "instanceType"));
		r->role = xstrdup(tag(it, "Role"));
		r->az = xstrdup(str(json_object_get(it, "placement"),
		    "availabilityZone"));
		r->spot = strcmp(str(it, "instanceLifecycle"), "spot") == 0;
		if (rfc3339_parse(str(it, "launchTime"), &r->start) != 0) {
			snprintf(err, errlen, "DescribeInstances: %s: "
			    "unreadable launchTime", r->id);
			rc = AWS_ERR_AWS;
			goto out;
		}
		r->running = 1;
		r->end = e->as_of;
		if (strcmp(state, "pending") != 0 &&
		    strcmp(state, "running") != 0) {
			r->running = 0;
			if (reason_time(str(it, "reason"), &r->end) != 0) {
				struct buf a = { 0 };

				/* A shutdown from inside (the TTL) has no time. */
				buf_addf(&a, "%s is %s with no stop time in its "
				    "state reason: priced up to the as-of time, "
				    "an upper bound", r->id, state);
				json_array_append_new(e->assumptions,
				    json_string(a.data));
				buf_free(&a);
			}
		}
		if (r->end < r->start)
			r->end = r->start;
		if (r->spot && (rc = spot_history(c, r, err, errlen)) != 0)
			goto out;
		if (*str(it, "ipAddress") != '\0')
			experiment_add_ipv4(e, e->nres - 1);
	}
	json_array_foreach(pv.items, i, it) {
		struct resource *r = experiment_add(e, RES_VOLUME);
		json_t *att = json_array_get(json_object_get(it,
		    "attachmentSet"), 0);

		r->id = xstrdup(str(it, "volumeId"));
		r->type = xstrdup(str(it, "volumeType"));
		r->role = xstrdup(tag(it, "Role"));
		r->az = xstrdup(str(it, "availabilityZone"));
		r->size_gb = strtod(str(it, "size"), NULL);
		r->iops = strtod(str(it, "iops"), NULL);
		r->throughput_mb_per_s = strtod(str(it, "throughput"), NULL);
		if (att != NULL && *str(att, "instanceId") != '\0')
			r->instance_id = xstrdup(str(att, "instanceId"));
		if (rfc3339_parse(str(it, "createTime"), &r->start) != 0) {
			snprintf(err, errlen, "DescribeVolumes: %s: "
			    "unreadable createTime", r->id);
			rc = AWS_ERR_AWS;
			goto out;
		}
		r->running = 1;
		r->end = e->as_of;
		/* Deleted with its instance: ends when the instance did. */
		for (size_t j = 0; r->instance_id && j < e->nres; j++)
			if (e->res[j].kind == RES_INSTANCE &&
			    !e->res[j].running &&
			    strcmp(e->res[j].id, r->instance_id) == 0) {
				r->end = e->res[j].end;
				r->running = 0;
			}
		if (r->end < r->start)
			r->end = r->start;
	}
	json_array_append_new(e->assumptions, json_string("resources found "
	    "by their ExperimentID tag at the as-of time: EC2 forgets "
	    "terminated instances about an hour after they end and deleted "
	    "volumes at once, and untagged root volumes are not found"));
out:
	json_decref(pi.items);
	json_decref(pv.items);
	return rc;
}

struct ce {
	json_t	*by_service, *days;
	double	 total;
	int	 estimated;
	long	 npages;
	char	*err;
	size_t	 errlen;
};

static int
amount(json_t *metrics, double *usd)
{
	const char *s = json_string_value(json_object_get(json_object_get(
	    metrics, "UnblendedCost"), "Amount"));
	char *end;

	if (s == NULL)
		return -1;
	*usd = strtod(s, &end);
	return *end != '\0' || end == s || !isfinite(*usd) ? -1 : 0;
}

static int
ce_page(void *arg, json_t *resp)
{
	struct ce *ce = arg;
	json_t *body = json_object_get(resp, "body"), *day, *g;
	size_t i, j;

	ce->npages++;
	if (json_integer_value(json_object_get(resp, "status")) >= 300) {
		json_t *e = json_object_get(resp, "error");

		snprintf(ce->err, ce->errlen, "GetCostAndUsage: %s: %s",
		    str(e, "code"), str(e, "message"));
		return AWS_ERR_AWS;
	}
	if (!json_is_array(json_object_get(body, "ResultsByTime"))) {
		snprintf(ce->err, ce->errlen, "GetCostAndUsage: unreadable "
		    "answer: no \"ResultsByTime\" in it");
		return AWS_ERR_AWS;
	}
	json_array_foreach(json_object_get(body, "ResultsByTime"), i, day) {
		json_t *tp = json_object_get(day, "TimePeriod");
		double dayusd = 0, usd;
		int est = json_is_true(json_object_get(day, "Estimated"));

		json_array_foreach(json_object_get(day, "Groups"), j, g) {
			const char *svc = json_string_value(json_array_get(
			    json_object_get(g, "Keys"), 0));

			if (svc == NULL || amount(json_object_get(g,
			    "Metrics"), &usd) != 0) {
				snprintf(ce->err, ce->errlen, "GetCostAndUsage: "
				    "%s: a group without a service or an "
				    "UnblendedCost amount", str(tp, "Start"));
				return AWS_ERR_AWS;
			}
			dayusd += usd;
			json_object_set_new(ce->by_service, svc, json_real(usd +
			    json_number_value(json_object_get(ce->by_service,
			    svc))));
		}
		/* Without groups the day's figure is in Total. */
		if (json_array_size(json_object_get(day, "Groups")) == 0 &&
		    amount(json_object_get(day, "Total"), &usd) == 0)
			dayusd += usd;
		ce->total += dayusd;
		ce->estimated |= est;
		json_array_append_new(ce->days, json_pack("{s:s,s:s,s:f,s:b}",
		    "start", str(tp, "Start"), "end", str(tp, "End"),
		    "cost_usd", dayusd, "estimated", est));
	}
	return 0;
}

static char *
day_of(time_t t, char *s, size_t len)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(s, len, "%Y-%m-%d", &tm);
	return s;
}

/* One paginated GetCostAndUsage for the experiment's days. */
json_t *
actuals(struct aws_client *c, const struct experiment *e, char *err,
    size_t errlen)
{
	struct ce ce = { json_object(), json_array(), 0, 0, 0, err, errlen };
	time_t first = e->as_of, last = 0;
	char start[16], end[16];
	json_t *req, *out;
	int rc;

	if (e->experiment_id == NULL) {
		snprintf(err, errlen, "--actuals needs the experiment's ID "
		    "(--experiment-id or experiment_id in the input)");
		goto fail;
	}
	for (size_t i = 0; i < e->nres; i++) {
		if (e->res[i].start < first)
			first = e->res[i].start;
		if (e->res[i].end > last)
			last = e->res[i].end;
	}
	day_of(first, start, sizeof(start));
	day_of(e->as_of + 86400, end, sizeof(end));	/* End is exclusive */
	req = json_pack("{s:s,s:s,s:{s:{s:s,s:s},s:s,s:[s],s:{s:{s:s,s:[s],"
	    "s:[s]}},s:[{s:s,s:s}]}}", "service", "ce", "target",
	    "AWSInsightsIndexService.GetCostAndUsage", "json",
	    "TimePeriod", "Start", start, "End", end,
	    "Granularity", "DAILY", "Metrics", "UnblendedCost",
	    "Filter", "Tags", "Key", PLC_EXPERIMENT_KEY, "Values",
	    e->experiment_id, "MatchOptions", "EQUALS",
	    "GroupBy", "Type", "DIMENSION", "Key", "SERVICE");
	rc = aws_client_send(c, req, 1, ce_page, &ce, err, errlen);
	json_decref(req);
	if (rc != AWS_OK)
		goto fail;
	out = json_object();
	json_object_set_new(out, "source", json_string("Cost Explorer "
	    "GetCostAndUsage: UnblendedCost, DAILY, grouped by SERVICE, "
	    "filtered by tag ExperimentID"));
	json_object_set_new(out, "start_date", json_string(start));
	json_object_set_new(out, "end_date_exclusive", json_string(end));
	json_object_set_new(out, "total_usd", json_real(ce.total));
	json_object_set_new(out, "by_service_usd", ce.by_service);
	json_object_set_new(out, "days", ce.days);
	json_object_set_new(out, "possibly_incomplete", json_boolean(
	    ce.estimated || e->as_of - last < CE_LAG_S));
	json_object_set_new(out, "notes", json_pack("[s,s]",
	    "Cost Explorer lags up to 24 hours: figures for the last day may "
	    "be missing or estimated",
	    "only costs tagged ExperimentID count, and only once ExperimentID "
	    "is activated as a cost allocation tag in the Billing console"));
	json_object_set_new(out, "requests", json_integer(ce.npages));
	json_object_set_new(out, "query_cost_usd",
	    json_real(ce.npages * CE_USD_PER_REQUEST));
	return out;
fail:
	json_decref(ce.by_service);
	json_decref(ce.days);
	return NULL;
}
