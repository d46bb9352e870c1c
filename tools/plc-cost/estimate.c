/*
 * The estimate: each resource priced over its life with per-second billing
 * and a 60 s minimum; the cluster's cost during each run's window; cost per
 * million messages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "cost.h"

static void
unpriced(struct resource *r, const char *fmt, const char *a, const char *b)
{
	struct buf s = { 0 };

	buf_addf(&s, fmt, a, b);
	r->unpriced_reason = buf_detach(&s);
	r->priced = 0;
}

/* The spot price in effect at t: the last change at or before t. */
static const struct spot_price *
spot_at(const struct resource *r, time_t t)
{
	const struct spot_price *p = NULL;

	for (size_t i = 0; i < r->nspot_prices && r->spot_prices[i].when <= t;
	    i++)
		p = &r->spot_prices[i];
	return p;
}

/*
 * USD the resource costs over [a, b), within [start, end): its billed life
 * for its own cost, its real life for a run's share.
 */
static double
cost_between(const struct resource *r, time_t end, time_t a, time_t b)
{
	double usd = 0;

	if (a < r->start)
		a = r->start;
	if (b > end)
		b = end;
	if (b <= a || !r->priced)
		return 0;
	if (!r->spot)
		return r->usd_per_hour * (double)(b - a) / 3600;
	while (a < b) {
		const struct spot_price *p = spot_at(r, a);
		time_t next = b;

		if (p + 1 < r->spot_prices + r->nspot_prices &&
		    p[1].when < b)
			next = p[1].when;
		usd += p->usd_per_hour * (double)(next - a) / 3600;
		a = next;
	}
	return usd;
}

/*
 * The cluster's cost rate (USD/h) during [a, b]: its cost over the window's
 * length, or, for a window shorter than the timestamps' second (a step
 * that started and ended within one), the hourly prices of the resources
 * alive at a.
 */
static double
usd_per_hour_during(const struct experiment *e, double usd, time_t a,
    time_t b)
{
	double rate = 0;

	if (b > a)
		return usd * 3600 / (double)(b - a);
	for (size_t j = 0; j < e->nres; j++) {
		const struct resource *r = &e->res[j];

		if (!r->priced || a < r->start || a >= r->end)
			continue;
		rate += r->spot ? spot_at(r, a)->usd_per_hour :
		    r->usd_per_hour;
	}
	return rate;
}

static void
price_resource(struct resource *r, json_t *prices, json_t *region,
    const char *rname)
{
	long life = (long)(r->end - r->start);

	r->billed_s = life < COST_MIN_BILLED_S && r->kind != RES_IPV4 ?
	    COST_MIN_BILLED_S : life;
	r->priced = 1;
	if (region == NULL)
		unpriced(r, "region \"%s\" not in the price table%s", rname,
		    "");
	else if (r->kind == RES_IPV4) {
		if (prices_ipv4(region, &r->usd_per_hour) != 0)
			unpriced(r, "public IPv4 price not in the price table "
			    "for %s%s", rname, "");
	} else if (r->kind == RES_VOLUME) {
		if (prices_volume(prices, region, r, &r->usd_per_hour) != 0)
			unpriced(r, "volume type \"%s\" not in the price "
			    "table for %s", r->type, rname);
	} else if (r->spot) {
		if (spot_at(r, r->start) == NULL)
			unpriced(r, "no spot price history for %s at launch%s",
			    r->type, "");
	} else if (prices_instance(region, r->type, &r->usd_per_hour) != 0)
		unpriced(r, "instance type \"%s\" not in the price table "
		    "for %s", r->type, rname);
	if (r->priced) {
		r->cost_usd = cost_between(r, r->start + r->billed_s,
		    r->start, r->start + r->billed_s);
		if (r->spot)
			r->usd_per_hour = r->cost_usd * 3600 / r->billed_s;
	}
}

static json_t *
time_json(time_t t)
{
	char s[32];

	return json_string(cost_format_time(t, s, sizeof(s)));
}

static json_t *
resource_json(const struct resource *r)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_string(r->id));
	static const char *kinds[] = { "instance", "volume", "public_ipv4" };

	json_object_set_new(o, "kind", json_string(kinds[r->kind]));
	json_object_set_new(o, "role", json_string(r->role));
	json_object_set_new(o, "type", json_string(r->type));
	if (r->kind == RES_INSTANCE)
		json_object_set_new(o, "lifecycle", json_string(r->spot ?
		    "spot" : "on-demand"));
	else if (r->kind == RES_IPV4)
		json_object_set_new(o, "instance_id", json_string(
		    r->instance_id));
	else {
		json_object_set_new(o, "instance_id", r->instance_id ?
		    json_string(r->instance_id) : json_null());
		json_object_set_new(o, "size_gb", json_real(r->size_gb));
		json_object_set_new(o, "iops", json_real(r->iops));
		json_object_set_new(o, "throughput_mb_per_s",
		    json_real(r->throughput_mb_per_s));
	}
	json_object_set_new(o, "availability_zone", json_string(r->az));
	json_object_set_new(o, "start_time", time_json(r->start));
	json_object_set_new(o, "end_time", time_json(r->end));
	json_object_set_new(o, "running", json_boolean(r->running));
	json_object_set_new(o, "listed", json_boolean(!r->unlisted));
	if (r->unlisted)
		json_object_set_new(o, "end_source", json_string(
		    r->end_source));
	json_object_set_new(o, "billed_s", json_integer(r->billed_s));
	json_object_set_new(o, "usd_per_hour", r->priced ?
	    json_real(r->usd_per_hour) : json_null());
	json_object_set_new(o, "cost_usd", r->priced ?
	    json_real(r->cost_usd) : json_null());
	return o;
}

static void
assume(json_t *a, const char *s)
{
	json_array_append_new(a, json_string(s));
}

/* Volumes without a role take their instance's. */
static void
inherit_roles(struct experiment *e)
{
	for (size_t i = 0; i < e->nres; i++) {
		struct resource *v = &e->res[i];

		if (v->kind != RES_VOLUME || *v->role != '\0' ||
		    v->instance_id == NULL)
			continue;
		for (size_t j = 0; j < e->nres; j++)
			if (e->res[j].kind == RES_INSTANCE &&
			    strcmp(e->res[j].id, v->instance_id) == 0) {
				free(v->role);
				v->role = xstrdup(e->res[j].role);
				break;
			}
	}
}

static json_t *
per_million(double usd, double messages)
{
	return messages > 0 ? json_real(usd / messages * 1e6) : json_null();
}

/* *nunpriced: resources left out of the total. */
json_t *
estimate(struct experiment *e, json_t *prices, int *nunpriced)
{
	json_t *out, *byrole, *byres, *unp, *runs, *src, *region, *as;
	double total = 0, messages = 0;
	int running = 0, spot = 0, known_messages = 0;
	struct buf s = { 0 };

	inherit_roles(e);
	region = prices_region(prices, e->region);
	byrole = json_object();
	byres = json_array();
	unp = json_array();
	*nunpriced = 0;
	for (size_t i = 0; i < e->nres; i++) {
		struct resource *r = &e->res[i];
		const char *role = *r->role ? r->role : "unknown";

		price_resource(r, prices, region, e->region);
		json_array_append_new(byres, resource_json(r));
		running += r->running;
		spot += r->spot;
		if (!r->priced) {
			json_array_append_new(unp, json_pack("{s:s,s:s,s:s}",
			    "id", r->id, "type", r->type, "reason",
			    r->unpriced_reason));
			(*nunpriced)++;
			continue;
		}
		total += r->cost_usd;
		json_object_set_new(byrole, role, json_real(r->cost_usd +
		    json_number_value(json_object_get(byrole, role))));
	}

	runs = json_array();
	for (size_t i = 0; i < e->nruns; i++) {
		struct run_window *w = &e->runs[i];
		double usd = 0, usd_h;

		for (size_t j = 0; j < e->nres; j++)
			usd += cost_between(&e->res[j], e->res[j].end,
			    w->start, w->end);
		usd_h = usd_per_hour_during(e, usd, w->start, w->end);
		if (w->messages >= 0) {
			messages += w->messages;
			known_messages++;
		}
		/*
		 * Per million: the cost rate over OMB's measured period, the
		 * window its messages were counted in (the runner's window
		 * also holds warm-up, or is a replay's seconds).
		 */
		json_array_append_new(runs, json_pack("{s:s,s:o,s:o,s:I,s:f,"
		    "s:f,s:o,s:o}", "name", w->name, "start_time",
		    time_json(w->start), "end_time", time_json(w->end),
		    "duration_s", (json_int_t)(w->end - w->start),
		    "cost_usd", usd, "usd_per_hour", usd_h,
		    "messages", w->messages >= 0 ? json_real(w->messages) :
		    json_null(),
		    "cost_per_million_messages_usd", w->messages >= 0 ?
		    per_million(usd_h / 3600 * w->measured_s, w->messages) :
		    json_null()));
	}

	as = json_array();
	buf_addf(&s, "on-demand Linux prices, per-second billing with a %d s "
	    "minimum per instance and per volume", COST_MIN_BILLED_S);
	assume(as, s.data);
	buf_reset(&s);
	buf_addf(&s, "EBS prices per GB-month (and per provisioned IOPS and "
	    "MB/s above the type's baseline: gp3 3000 IOPS, 125 MB/s) "
	    "prorated over %g hours per month",
	    json_number_value(json_object_get(prices, "hours_per_month")));
	assume(as, s.data);
	assume(as, "data transfer inside one availability zone is free; "
	    "internet and cross-zone transfer and NAT are not included");
	assume(as, "public IPv4 addresses priced per hour, prorated to the "
	    "second, for the instances that have one");
	assume(as, "S3 storage and requests of the experiment bucket are "
	    "counted as negligible (well under $0.01 for results and logs) "
	    "and not estimated; Cost Explorer actuals include them");
	if (spot) {
		buf_reset(&s);
		buf_addf(&s, "%d spot instance(s) priced from their spot price "
		    "history over their life", spot);
		assume(as, s.data);
	}
	if (running) {
		buf_reset(&s);
		buf_addf(&s, "%d resource(s) still running, priced up to the "
		    "as-of time", running);
		assume(as, s.data);
	}
	if (e->nruns)
		assume(as, "a run's cost is every resource's cost during the "
		    "run's window, without the 60 s minimum; a run's messages "
		    "are its mean publish rate times its measured duration, "
		    "and its cost per million is the cluster's cost rate "
		    "during the window over that measured duration");
	buf_free(&s);
	json_array_extend(as, e->assumptions);

	src = json_pack("{s:O,s:O,s:O}", "source", json_object_get(prices,
	    "source"), "as_of", json_object_get(prices, "as_of"),
	    "hours_per_month", json_object_get(prices, "hours_per_month"));
	if (json_object_get(prices, "volume_as_of"))
		json_object_set(src, "volume_as_of", json_object_get(prices,
		    "volume_as_of"));

	out = json_object();
	json_object_set_new(out, "schema", json_string("plc-costs/1"));
	json_object_set_new(out, "experiment_id", e->experiment_id ?
	    json_string(e->experiment_id) : json_null());
	json_object_set_new(out, "kind", json_string("estimate"));
	json_object_set_new(out, "region", json_string(e->region));
	json_object_set_new(out, "as_of", time_json(e->as_of));
	json_object_set_new(out, "currency", json_string("USD"));
	json_object_set_new(out, "total_usd", json_real(total));
	json_object_set_new(out, "complete", json_boolean(*nunpriced == 0));
	json_object_set_new(out, "by_role_usd", byrole);
	json_object_set_new(out, "by_resource", byres);
	json_object_set_new(out, "unpriced", unp);
	json_object_set_new(out, "runs", runs);
	json_object_set_new(out, "messages", known_messages ?
	    json_real(messages) : json_null());
	json_object_set_new(out, "cost_per_million_messages_usd",
	    known_messages ? per_million(total, messages) : json_null());
	json_object_set_new(out, "assumptions", as);
	json_object_set_new(out, "prices", src);
	json_object_set_new(out, "actuals", json_null());
	return out;
}
