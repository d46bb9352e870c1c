/*
 * The dated price table: on-demand instance prices and EBS prices per
 * region (prices.json), and its refresh from the AWS Price List API.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "awsclient.h"
#include "buf.h"
#include "cost.h"

extern const char plc_cost_prices_json[];

static int
check_price(json_t *v)
{
	return json_is_number(v) && json_number_value(v) >= 0 &&
	    isfinite(json_number_value(v));
}

/* The table's shape, so that a lookup never meets a surprise. */
static int
prices_check(json_t *t, const char *path, char *err, size_t errlen)
{
	json_t *regions, *r, *v;
	const char *rname, *name;

	if (!json_is_object(t) || !json_is_string(json_object_get(t, "as_of")) ||
	    !json_is_string(json_object_get(t, "source")) ||
	    !json_is_object(regions = json_object_get(t, "regions")) ||
	    !check_price(json_object_get(t, "hours_per_month")) ||
	    json_number_value(json_object_get(t, "hours_per_month")) <= 0) {
		snprintf(err, errlen, "%s: expected a price table with "
		    "\"as_of\", \"source\", \"hours_per_month\" and \"regions\"",
		    path);
		return -1;
	}
	json_object_foreach(regions, rname, r) {
		json_t *inst = json_object_get(r, "instance_usd_per_hour");
		json_t *vol = json_object_get(r, "volume");

		v = json_object_get(r, "public_ipv4_usd_per_hour");
		if (v != NULL && !check_price(v)) {
			snprintf(err, errlen, "%s: regions.%s."
			    "public_ipv4_usd_per_hour: expected a price", path,
			    rname);
			return -1;
		}
		if (!json_is_object(inst) || !json_is_object(vol)) {
			snprintf(err, errlen, "%s: regions.%s: expected "
			    "\"instance_usd_per_hour\" and \"volume\" objects",
			    path, rname);
			return -1;
		}
		json_object_foreach(inst, name, v)
			if (!check_price(v)) {
				snprintf(err, errlen, "%s: regions.%s."
				    "instance_usd_per_hour.%s: expected a "
				    "price", path, rname, name);
				return -1;
			}
		json_object_foreach(vol, name, v) {
			const char *k;
			json_t *p;

			if (!check_price(json_object_get(v, "usd_per_gb_month"))) {
				snprintf(err, errlen, "%s: regions.%s.volume.%s."
				    "usd_per_gb_month: expected a price", path,
				    rname, name);
				return -1;
			}
			json_object_foreach(v, k, p)
				if (!check_price(p)) {
					snprintf(err, errlen, "%s: regions.%s."
					    "volume.%s.%s: expected a number",
					    path, rname, name, k);
					return -1;
				}
		}
	}
	return 0;
}

/* path NULL: the table built into the program. */
json_t *
prices_load(const char *path, char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *t;

	if (path == NULL)
		t = json_loads(plc_cost_prices_json, 0, &jerr);
	else
		t = json_load_file(path, 0, &jerr);
	if (t == NULL) {
		if (jerr.line < 0)
			snprintf(err, errlen, "\"%s\": %s", path, jerr.text);
		else
			snprintf(err, errlen, "%s:%d:%d: %s",
			    path ? path : "<built-in prices>", jerr.line,
			    jerr.column, jerr.text);
		return NULL;
	}
	if (prices_check(t, path ? path : "<built-in prices>", err,
	    errlen) != 0) {
		json_decref(t);
		return NULL;
	}
	return t;
}

json_t *
prices_region(json_t *table, const char *region)
{
	return json_object_get(json_object_get(table, "regions"), region);
}

int
prices_instance(json_t *region, const char *type, double *usd_per_hour)
{
	json_t *v;

	v = json_object_get(json_object_get(region, "instance_usd_per_hour"),
	    type);
	if (v == NULL)
		return -1;
	*usd_per_hour = json_number_value(v);
	return 0;
}

int
prices_ipv4(json_t *region, double *usd_per_hour)
{
	json_t *v = json_object_get(region, "public_ipv4_usd_per_hour");

	if (v == NULL)
		return -1;
	*usd_per_hour = json_number_value(v);
	return 0;
}

static double
num(json_t *o, const char *k)
{
	return json_number_value(json_object_get(o, k));
}

/*
 * A volume's rate: size, plus the IOPS and throughput above what the type
 * includes, each priced per month and spread over the table's hours.
 */
int
prices_volume(json_t *table, json_t *region, const struct resource *r,
    double *usd_per_hour)
{
	json_t *p;
	double month, iops, tp;

	p = json_object_get(json_object_get(region, "volume"), r->type);
	if (p == NULL)
		return -1;
	month = r->size_gb * num(p, "usd_per_gb_month");
	iops = r->iops - num(p, "free_iops");
	if (json_object_get(p, "usd_per_iops_month") != NULL && iops > 0)
		month += iops * num(p, "usd_per_iops_month");
	tp = r->throughput_mb_per_s - num(p, "free_throughput_mb_per_s");
	if (json_object_get(p, "usd_per_mb_per_s_month") != NULL && tp > 0)
		month += tp * num(p, "usd_per_mb_per_s_month");
	*usd_per_hour = month / num(table, "hours_per_month");
	return 0;
}

struct refresh {
	json_t	*prices;	/* type -> USD per hour */
	long	 products;
	char	*err;
	size_t	 errlen;
};

/* The on-demand hourly price of one PriceList entry (a JSON string). */
static int
refresh_entry(struct refresh *rf, const char *s)
{
	json_t *p, *od, *term, *dims, *dim, *usd;
	const char *type, *k1, *k2, *unit;
	json_error_t jerr;
	double v;
	char *end;

	if ((p = json_loads(s, 0, &jerr)) == NULL) {
		snprintf(rf->err, rf->errlen, "pricing: a PriceList entry is "
		    "not JSON: %d:%d: %s", jerr.line, jerr.column, jerr.text);
		return -1;
	}
	type = json_string_value(json_object_get(json_object_get(
	    json_object_get(p, "product"), "attributes"), "instanceType"));
	od = json_object_get(json_object_get(p, "terms"), "OnDemand");
	rf->products++;
	json_object_foreach(od, k1, term) {
		dims = json_object_get(term, "priceDimensions");
		json_object_foreach(dims, k2, dim) {
			unit = json_string_value(json_object_get(dim, "unit"));
			usd = json_object_get(json_object_get(dim,
			    "pricePerUnit"), "USD");
			if (type == NULL || unit == NULL ||
			    strcmp(unit, "Hrs") != 0 || !json_is_string(usd))
				continue;
			v = strtod(json_string_value(usd), &end);
			if (*end != '\0' || !isfinite(v) || v < 0) {
				snprintf(rf->err, rf->errlen, "pricing: %s: "
				    "price \"%s\" is not a number", type,
				    json_string_value(usd));
				json_decref(p);
				return -1;
			}
			/* Zero-priced dimensions are reservation placeholders. */
			if (v > 0 && json_object_get(rf->prices, type) == NULL)
				json_object_set_new(rf->prices, type,
				    json_real(v));
		}
	}
	json_decref(p);
	return 0;
}

static int
refresh_page(void *arg, json_t *resp)
{
	struct refresh *rf = arg;
	json_t *list, *e;
	size_t i;

	if (json_integer_value(json_object_get(resp, "status")) >= 300) {
		json_t *e = json_object_get(resp, "error");

		snprintf(rf->err, rf->errlen, "pricing: GetProducts: %s: %s",
		    json_string_value(json_object_get(e, "code")) ?
		    json_string_value(json_object_get(e, "code")) : "error",
		    json_string_value(json_object_get(e, "message")) ?
		    json_string_value(json_object_get(e, "message")) : "");
		return AWS_ERR_AWS;
	}
	list = json_object_get(json_object_get(resp, "body"), "PriceList");
	if (!json_is_array(list)) {
		snprintf(rf->err, rf->errlen, "pricing: GetProducts: answer "
		    "without a PriceList array");
		return AWS_ERR_AWS;
	}
	json_array_foreach(list, i, e) {
		if (!json_is_string(e)) {
			snprintf(rf->err, rf->errlen, "pricing: PriceList[%zu]: "
			    "expected a JSON string", i);
			return AWS_ERR_AWS;
		}
		if (refresh_entry(rf, json_string_value(e)) != 0)
			return AWS_ERR_AWS;
	}
	return 0;
}

static json_t *
term(const char *field, const char *value)
{
	return json_pack("{s:s,s:s,s:s}", "Type", "TERM_MATCH", "Field", field,
	    "Value", value);
}

/*
 * A new table whose instance prices come from GetProducts, one paginated
 * query per region of the old table; volume prices are kept, with their
 * date. out's as_of is left for the caller.
 */
int
prices_refresh(json_t *table, json_t **out, char *err, size_t errlen)
{
	struct aws_client_options opt = { 0 };
	struct aws_client *c;
	json_t *nt, *regions, *r;
	const char *rname;
	int rc = AWS_OK;
	struct buf src = { 0 };

	if ((c = aws_client_new(&opt, err, errlen)) == NULL)
		return AWS_ERR_SYSTEM;
	nt = json_deep_copy(table);
	regions = json_object_get(nt, "regions");
	json_object_foreach(regions, rname, r) {
		struct refresh rf = { json_object(), 0, err, errlen };
		json_t *req;

		req = json_pack("{s:s,s:s,s:{s:s,s:s,s:i,s:[o,o,o,o,o]}}",
		    "service", "pricing",
		    "target", "AWSPriceListService.GetProducts",
		    "json", "ServiceCode", "AmazonEC2",
		    "FormatVersion", "aws_v1", "MaxResults", 100, "Filters",
		    term("regionCode", rname), term("operatingSystem", "Linux"),
		    term("tenancy", "Shared"), term("preInstalledSw", "NA"),
		    term("capacitystatus", "Used"));
		rc = aws_client_send(c, req, 1, refresh_page, &rf, err, errlen);
		json_decref(req);
		if (rc == AWS_OK && json_object_size(rf.prices) == 0) {
			snprintf(err, errlen, "pricing: no on-demand Linux "
			    "prices for region \"%s\"", rname);
			rc = AWS_ERR_AWS;
		}
		if (rc != AWS_OK) {
			json_decref(rf.prices);
			break;
		}
		json_object_set_new(r, "instance_usd_per_hour", rf.prices);
	}
	aws_client_free(c);
	if (rc != AWS_OK) {
		json_decref(nt);
		return rc;
	}
	buf_addf(&src, "AWS Price List API GetProducts (AmazonEC2, Linux, "
	    "shared tenancy, on-demand, capacitystatus Used) for instances; "
	    "volumes from: %s (%s)",
	    json_string_value(json_object_get(table, "source")),
	    json_string_value(json_object_get(table, "as_of")));
	json_object_set_new(nt, "source", json_string(src.data));
	json_object_set(nt, "volume_as_of", json_object_get(table,
	    json_object_get(table, "volume_as_of") ? "volume_as_of" : "as_of"));
	buf_free(&src);
	*out = nt;
	return AWS_OK;
}
