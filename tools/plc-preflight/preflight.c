#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "awsanswer.h"
#include "buf.h"
#include "preflight.h"

static const char *const roles[PREFLIGHT_ROLES - 1] = {
	"zookeeper", "bookkeeper", "broker", "client"
};

/*
 * The vCPU quotas of the standard families (A, C, D, H, I, M, R, T, Z),
 * which every shipped plan uses; other families (G, P, X, Inf, DL, Trn,
 * HPC, F, VT, high memory) each have a quota of their own.
 */
#define QUOTA_ON_DEMAND		"L-1216C47A"
#define QUOTA_ON_DEMAND_NAME	"Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances"
#define QUOTA_SPOT		"L-34B43A08"
#define QUOTA_SPOT_NAME		"All Standard (A, C, D, H, I, M, R, T, Z) Spot Instance Requests"

enum { ASK_OFFERINGS, ASK_TYPES, ASK_IMAGE, ASK_QUOTA, ASK_N };

static const char *const ask_action[ASK_N] = {
	"DescribeInstanceTypeOfferings", "DescribeInstanceTypes",
	"DescribeImages", "GetServiceQuota"
};

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * The monitor node (terraform/cluster.tf: one instance when
 * monitoring.enabled, default true, of monitoring.instance_type, default
 * t3.small or t4g.small on arm64), counted like a role: its type is asked
 * about and offered in the zone, and its vCPUs count against the quota.
 */
static int
monitor_load(struct preflight_plan *plan, json_t *tf, char *err,
    size_t errlen)
{
	json_t *m = json_object_get(tf, "monitoring"), *e, *t;

	if (m == NULL || json_is_null(m))
		m = NULL;
	else if (!json_is_object(m)) {
		snprintf(err, errlen, "\"monitoring\": expected an object");
		return PREFLIGHT_ERR_INPUT;
	}
	e = json_object_get(m, "enabled");
	t = json_object_get(m, "instance_type");
	if ((e != NULL && !json_is_boolean(e)) ||
	    (t != NULL && !json_is_null(t) && !json_is_string(t))) {
		snprintf(err, errlen, "\"monitoring\": expected {enabled, "
		    "instance_type}");
		return PREFLIGHT_ERR_INPUT;
	}
	if (json_is_false(e))
		return PREFLIGHT_OK;
	plan->role[plan->nroles].role = "monitoring";
	plan->role[plan->nroles].type = json_is_string(t) ?
	    json_string_value(t) : strcmp(plan->architecture, "arm64") == 0 ?
	    "t4g.small" : "t3.small";
	plan->role[plan->nroles].count = 1;
	plan->nroles++;
	return PREFLIGHT_OK;
}

int
preflight_plan_load(struct preflight_plan *plan, json_t *tf,
    const char *image_id, char *err, size_t errlen)
{
	json_t *z;
	int rc;

	memset(plan, 0, sizeof(*plan));
	if (!json_is_object(tf)) {
		snprintf(err, errlen, "expected a terraform.tfvars.json object");
		return PREFLIGHT_ERR_INPUT;
	}
	plan->experiment_id = json_string_value(json_object_get(tf,
	    "experiment_id"));
	plan->region = json_string_value(json_object_get(tf, "region"));
	if (plan->experiment_id == NULL || plan->region == NULL) {
		snprintf(err, errlen, "\"%s\": expected a string",
		    plan->region == NULL ? "region" : "experiment_id");
		return PREFLIGHT_ERR_INPUT;
	}
	z = json_object_get(tf, "availability_zone");
	if (z != NULL && !json_is_null(z) && !json_is_string(z)) {
		snprintf(err, errlen, "\"availability_zone\": expected a "
		    "string or null");
		return PREFLIGHT_ERR_INPUT;
	}
	plan->zone = json_string_value(z);
	if ((plan->architecture = json_string_value(json_object_get(tf,
	    "architecture"))) == NULL)
		plan->architecture = "x86_64";
	plan->image_id = image_id;
	/* Local mode launches no spot instance (terraform/variables.tf). */
	plan->spot = json_is_true(json_object_get(tf, "spot_enabled")) &&
	    !json_is_true(json_object_get(tf, "emulator"));
	for (size_t i = 0; i < PREFLIGHT_ROLES - 1; i++) {
		json_t *r = json_object_get(tf, roles[i]);
		json_t *c = json_object_get(r, "count");
		const char *t = json_string_value(json_object_get(r,
		    "instance_type"));

		if (t == NULL || !json_is_integer(c) ||
		    json_integer_value(c) < 0) {
			snprintf(err, errlen, "\"%s\": expected {count, "
			    "instance_type}", roles[i]);
			return PREFLIGHT_ERR_INPUT;
		}
		plan->role[i].role = roles[i];
		plan->role[i].type = t;
		plan->role[i].count = (long)json_integer_value(c);
	}
	plan->nroles = PREFLIGHT_ROLES - 1;
	if ((rc = monitor_load(plan, tf, err, errlen)) != PREFLIGHT_OK)
		return rc;
	for (size_t i = 0; i < plan->nroles; i++) {
		const char *t = plan->role[i].type;
		size_t j;

		for (j = 0; j < plan->ntypes; j++)
			if (strcmp(plan->types[j], t) == 0)
				break;
		if (j == plan->ntypes)
			plan->types[plan->ntypes++] = t;
	}
	qsort(plan->types, plan->ntypes, sizeof(plan->types[0]), cmp_str);
	return PREFLIGHT_OK;
}

static json_t *
types_array(const struct preflight_plan *plan)
{
	json_t *a = json_array();

	for (size_t i = 0; i < plan->ntypes; i++)
		json_array_append_new(a, json_string(plan->types[i]));
	return a;
}

json_t *
preflight_requests(const struct preflight_plan *plan)
{
	json_t *reqs = json_array();

	json_array_append_new(reqs, json_pack("{s:s, s:s, s:s, s:{s:s, s:i, "
	    "s:[{s:s, s:o}]}}", "service", "ec2", "region", plan->region,
	    "action", "DescribeInstanceTypeOfferings", "params",
	    "LocationType", "availability-zone", "MaxResults", 1000,
	    "Filter", "Name", "instance-type", "Value", types_array(plan)));
	json_array_append_new(reqs, json_pack("{s:s, s:s, s:s, s:{s:o}}",
	    "service", "ec2", "region", plan->region,
	    "action", "DescribeInstanceTypes",
	    "params", "InstanceType", types_array(plan)));
	if (plan->image_id != NULL)
		json_array_append_new(reqs, json_pack("{s:s, s:s, s:s, "
		    "s:{s:[s]}}", "service", "ec2", "region", plan->region,
		    "action", "DescribeImages",
		    "params", "ImageId", plan->image_id));
	json_array_append_new(reqs, json_pack("{s:s, s:s, s:s, s:{s:s, s:s}}",
	    "service", "servicequotas", "region", plan->region,
	    "target", "ServiceQuotasV20190624.GetServiceQuota",
	    "json", "ServiceCode", "ec2",
	    "QuotaCode", plan->spot ? QUOTA_SPOT : QUOTA_ON_DEMAND));
	return reqs;
}

/* --- judging ------------------------------------------------------------ */

struct type_facts {
	const char	*type;
	json_t		*zones;		/* sorted names */
	json_t		*archs;		/* NULL until described */
	long		 vcpus;		/* -1 until described */
	long		 count;
	struct buf	 roles;		/* "broker, client" */
	const char	*first_role;
};

struct judge {
	const struct preflight_plan *plan;
	struct type_facts t[PREFLIGHT_ROLES];
	json_t		*failures, *warnings;
	char		*err;
	size_t		 errlen;
};

static void add_line(json_t *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
add_line(json_t *list, const char *fmt, ...)
{
	char line[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	json_array_append_new(list, json_string(line));
}

static struct type_facts *
facts_of(struct judge *j, const char *type)
{
	for (size_t i = 0; i < j->plan->ntypes; i++)
		if (strcmp(j->t[i].type, type) == 0)
			return &j->t[i];
	return NULL;
}

/* A zone of the region itself ("us-west-2a"), not a Local or Wavelength one. */
static int
zone_of_region(const char *zone, const char *region)
{
	size_t n = strlen(region);

	return strncmp(zone, region, n) == 0 && islower((unsigned char)zone[n])
	    && zone[n + 1] == '\0';
}

static int
in_array(json_t *a, const char *s)
{
	size_t i;
	json_t *v;

	json_array_foreach(a, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
			return 1;
	return 0;
}

/* "a, b, c" of an array of strings; "none" when empty. */
static void
join(struct buf *b, json_t *a)
{
	size_t i;
	json_t *v;

	if (json_array_size(a) == 0) {
		buf_adds(b, "none");
		return;
	}
	json_array_foreach(a, i, v)
		buf_addf(b, "%s%s", i ? ", " : "", json_string_value(v));
}

static int
sort_strings(json_t *a)
{
	size_t n = json_array_size(a);
	const char **s = calloc(n ? n : 1, sizeof(*s));
	json_t *sorted;

	if (s == NULL)
		return -1;
	for (size_t i = 0; i < n; i++)
		s[i] = json_string_value(json_array_get(a, i));
	qsort(s, n, sizeof(*s), cmp_str);
	sorted = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(sorted, json_string(s[i]));
	json_array_clear(a);
	json_array_extend(a, sorted);
	json_decref(sorted);
	free(s);
	return 0;
}

/* The list an answer's body holds at root.set, or NULL (err set). */
static json_t *
answer_set(struct judge *j, json_t *ans, const char *root, const char *set)
{
	json_t *r = json_object_get(json_object_get(ans, "body"), root);
	json_t *s = json_object_get(r, set);

	if (r == NULL) {
		snprintf(j->err, j->errlen, "not a %s answer", root);
		return NULL;
	}
	if ((s = awsanswer_list(s)) == NULL)
		snprintf(j->err, j->errlen, "%s: \"%s\" is not a list", root,
		    set);
	return s;
}

static int
read_offerings(struct judge *j, json_t *pages)
{
	size_t p, i;
	json_t *page, *o;

	json_array_foreach(pages, p, page) {
		json_t *set = answer_set(j, page,
		    "DescribeInstanceTypeOfferingsResponse",
		    "instanceTypeOfferingSet");

		if (set == NULL)
			return PREFLIGHT_ERR_INPUT;
		json_array_foreach(set, i, o) {
			const char *t = json_string_value(json_object_get(o,
			    "instanceType"));
			const char *z = json_string_value(json_object_get(o,
			    "location"));
			struct type_facts *f;

			if (t == NULL || z == NULL) {
				json_decref(set);
				snprintf(j->err, j->errlen, "an offering "
				    "without instanceType or location");
				return PREFLIGHT_ERR_INPUT;
			}
			if ((f = facts_of(j, t)) != NULL &&
			    zone_of_region(z, j->plan->region) &&
			    !in_array(f->zones, z))
				json_array_append_new(f->zones, json_string(z));
		}
		json_decref(set);
	}
	for (i = 0; i < j->plan->ntypes; i++)
		if (sort_strings(j->t[i].zones) != 0)
			return PREFLIGHT_ERR_INPUT;
	return PREFLIGHT_OK;
}

static int
read_types(struct judge *j, json_t *pages)
{
	size_t p, i;
	json_t *page, *it;

	json_array_foreach(pages, p, page) {
		json_t *set = answer_set(j, page,
		    "DescribeInstanceTypesResponse", "instanceTypeSet");

		if (set == NULL)
			return PREFLIGHT_ERR_INPUT;
		json_array_foreach(set, i, it) {
			const char *t = json_string_value(json_object_get(it,
			    "instanceType"));
			const char *v = json_string_value(json_object_get(
			    json_object_get(it, "vCpuInfo"), "defaultVCpus"));
			json_t *a = json_object_get(json_object_get(it,
			    "processorInfo"), "supportedArchitectures");
			struct type_facts *f;
			char *end;
			long n;

			if (t == NULL || (f = facts_of(j, t)) == NULL)
				continue;
			n = v != NULL ? strtol(v, &end, 10) : 0;
			if (v == NULL || *end != '\0' || n < 1 || n > 100000 ||
			    !json_is_array(a)) {
				json_decref(set);
				snprintf(j->err, j->errlen, "\"%s\": no "
				    "vCpuInfo.defaultVCpus or processorInfo."
				    "supportedArchitectures", t);
				return PREFLIGHT_ERR_INPUT;
			}
			f->vcpus = n;
			json_decref(f->archs);
			f->archs = json_incref(a);
		}
		json_decref(set);
	}
	for (i = 0; i < j->plan->ntypes; i++)
		if (j->t[i].archs == NULL) {
			snprintf(j->err, j->errlen, "DescribeInstanceTypes did "
			    "not describe \"%s\"", j->t[i].type);
			return PREFLIGHT_ERR_AWS;
		}
	return PREFLIGHT_OK;
}

static void
check_zone(struct judge *j, json_t *all, const char **chosen)
{
	const struct preflight_plan *plan = j->plan;
	struct buf b = { 0 };
	size_t i, nowhere = 0;

	*chosen = NULL;
	if (plan->zone != NULL) {
		*chosen = plan->zone;
		for (i = 0; i < plan->ntypes; i++) {
			struct type_facts *f = &j->t[i];

			if (in_array(f->zones, plan->zone))
				continue;
			buf_reset(&b);
			join(&b, all);
			add_line(j->failures, "%s (%s) is not offered in %s; "
			    "zones of %s offering every type of the plan: %s: "
			    "set aws.availability_zone to one of them (or "
			    "remove it), or choose another compute.%s."
			    "instance_type", f->type, f->roles.data,
			    plan->zone, plan->region, b.data,
			    f->first_role);
		}
		buf_free(&b);
		return;
	}
	if (json_array_size(all) > 0) {
		*chosen = json_string_value(json_array_get(all, 0));
		return;
	}
	for (i = 0; i < plan->ntypes; i++) {
		struct type_facts *f = &j->t[i];

		if (json_array_size(f->zones) > 0)
			continue;
		nowhere++;
		add_line(j->failures, "%s (%s) is not offered in any zone of "
		    "%s: choose another compute.%s.instance_type, or another "
		    "aws.region", f->type, f->roles.data, plan->region,
		    f->first_role);
	}
	if (nowhere == 0) {
		for (i = 0; i < plan->ntypes; i++) {
			buf_addf(&b, "%s%s in ", i ? "; " : "", j->t[i].type);
			join(&b, j->t[i].zones);
		}
		add_line(j->failures, "no zone of %s offers every instance "
		    "type of the plan (%s): choose instance types offered in "
		    "one zone", plan->region, b.data);
	}
	buf_free(&b);
}

static void
check_architecture(struct judge *j, const char *image_id, const char *arch)
{
	const struct preflight_plan *plan = j->plan;
	struct buf b = { 0 };

	for (size_t i = 0; i < plan->ntypes; i++) {
		struct type_facts *f = &j->t[i];

		if (f->archs == NULL || in_array(f->archs, arch))
			continue;
		buf_reset(&b);
		join(&b, f->archs);
		if (image_id != NULL)
			add_line(j->failures, "%s (%s) runs %s, but image %s "
			    "is %s: set compute.ami to a %s image (make ami "
			    "builds one), or choose a %s type for compute.%s."
			    "instance_type", f->type, f->roles.data, b.data,
			    image_id, arch, b.data, arch, f->first_role);
		else
			add_line(j->failures, "%s (%s) runs %s, not %s, the "
			    "architecture of the plan's other instance types: "
			    "choose a %s type for compute.%s.instance_type",
			    f->type, f->roles.data, b.data, arch, arch,
			    f->first_role);
	}
	buf_free(&b);
}

/* The families the standard quotas count (see QUOTA_ON_DEMAND). */
static int
standard_family(const char *type)
{
	static const char *const own_quota[] = { "inf", "dl", "hpc", "trn" };

	for (size_t i = 0; i < sizeof(own_quota) / sizeof(own_quota[0]); i++)
		if (strncmp(type, own_quota[i], strlen(own_quota[i])) == 0)
			return 0;
	return strchr("acdhimrtz", type[0]) != NULL;
}

/*
 * Answers belong to requests in order: a line whose page is 2 or more
 * continues the request before it. Fills group[] (arrays of pages).
 */
static int
group_answers(struct judge *j, json_t *answers, const int *asks, size_t nasks,
    json_t **group)
{
	size_t i, n = 0;
	json_t *a;

	json_array_foreach(answers, i, a) {
		json_t *page = json_object_get(a, "page");

		if (!json_is_object(a) ||
		    !json_is_integer(json_object_get(a, "status"))) {
			snprintf(j->err, j->errlen, "answer %zu: expected an "
			    "answer of plc-aws-sign --send ({status, body})",
			    i + 1);
			return PREFLIGHT_ERR_INPUT;
		}
		if (page == NULL || json_integer_value(page) <= 1) {
			if (n == nasks) {
				snprintf(j->err, j->errlen, "answer %zu: more "
				    "answers than the %zu requests of "
				    "plc-preflight --requests", i + 1, nasks);
				return PREFLIGHT_ERR_INPUT;
			}
			group[n++] = json_array();
		} else if (n == 0) {
			snprintf(j->err, j->errlen, "answer 1: page %lld of "
			    "nothing", (long long)json_integer_value(page));
			return PREFLIGHT_ERR_INPUT;
		}
		json_array_append(group[n - 1], a);
	}
	if (n < nasks) {
		snprintf(j->err, j->errlen, "no answer to %s (and what "
		    "follows it): plc-aws-sign said why", ask_action[asks[n]]);
		return PREFLIGHT_ERR_AWS;
	}
	return PREFLIGHT_OK;
}

/* The error of an answer that is not 2xx: code, else NULL. */
static const char *
answer_error(json_t *pages, const char **message)
{
	json_t *a = json_array_get(pages, 0);
	json_int_t status = json_integer_value(json_object_get(a, "status"));
	json_t *e = json_object_get(a, "error");
	const char *code;

	*message = "";
	if (status >= 200 && status < 300)
		return NULL;
	if ((code = json_string_value(json_object_get(e, "code"))) == NULL)
		code = "HTTP error";
	if (json_string_value(json_object_get(e, "message")) != NULL)
		*message = json_string_value(json_object_get(e, "message"));
	return code;
}

static json_t *
verdict_types(struct judge *j)
{
	json_t *list = json_array();

	for (size_t i = 0; i < j->plan->ntypes; i++) {
		struct type_facts *f = &j->t[i];
		json_t *roles_a = json_array();

		for (size_t r = 0; r < j->plan->nroles; r++)
			if (strcmp(j->plan->role[r].type, f->type) == 0)
				json_array_append_new(roles_a,
				    json_string(j->plan->role[r].role));
		json_array_append_new(list, json_pack("{s:s, s:o, s:I, s:o, "
		    "s:O, s:O}", "instance_type", f->type, "roles", roles_a,
		    "count", (json_int_t)f->count, "vcpus_each",
		    f->vcpus < 0 ? json_null() : json_integer(f->vcpus),
		    "architectures", f->archs ? f->archs : json_null(),
		    "zones", f->zones));
	}
	return list;
}


/* The image's architecture (and state: only an available one launches). */
static int
read_image(struct judge *j, json_t *pages, json_t **image, const char **arch)
{
	json_t *set = answer_set(j, json_array_get(pages, 0),
	    "DescribeImagesResponse", "imagesSet");
	json_t *im = json_array_get(set, 0);
	const char *a, *state;

	if (set == NULL)
		return PREFLIGHT_ERR_INPUT;
	if (im == NULL) {
		add_line(j->failures, "image %s does not exist in %s: set "
		    "compute.ami to auto (make ami builds one), stock, or an "
		    "image ID of that region", j->plan->image_id,
		    j->plan->region);
		json_decref(set);
		return PREFLIGHT_OK;
	}
	a = json_string_value(json_object_get(im, "architecture"));
	state = json_string_value(json_object_get(im, "imageState"));
	if (a == NULL || state == NULL) {
		json_decref(set);
		snprintf(j->err, j->errlen, "image \"%s\": no architecture or "
		    "imageState", j->plan->image_id);
		return PREFLIGHT_ERR_INPUT;
	}
	if (strcmp(state, "available") != 0)
		add_line(j->failures, "image %s is %s, not available: wait for "
		    "it, or set compute.ami to another image",
		    j->plan->image_id, state);
	*image = json_pack("{s:s, s:s, s:s}", "image_id", j->plan->image_id,
	    "architecture", a, "state", state);
	/* The image's own, not the plan's: the answer outlives this call. */
	*arch = json_string_value(json_object_get(*image, "architecture"));
	json_decref(set);
	return PREFLIGHT_OK;
}

static void
check_vcpus(struct judge *j, json_t *quota, long *needed, long *other)
{
	const struct preflight_plan *plan = j->plan;
	struct buf b = { 0 };

	*needed = *other = 0;
	for (size_t i = 0; i < plan->ntypes; i++) {
		struct type_facts *f = &j->t[i];

		if (f->vcpus < 0)
			return;
		if (!standard_family(f->type)) {
			*other += f->count * f->vcpus;
			continue;
		}
		*needed += f->count * f->vcpus;
		buf_addf(&b, "%s%ld x %s (%ld)", b.len ? ", " : "", f->count,
		    f->type, f->vcpus);
	}
	if (*other > 0)
		add_line(j->warnings, "%ld vCPUs of the plan are of families "
		    "outside the standard quota, whose own quotas were not "
		    "checked", *other);
	if (json_is_number(quota) && (double)*needed > json_number_value(quota))
		add_line(j->failures, "the plan needs %ld vCPUs (%s) but the "
		    "account's quota \"%s\" (%s) in %s is %.0f, instances "
		    "already running included: ask for at least %ld in Service "
		    "Quotas, or choose fewer or smaller instances", *needed,
		    b.data, plan->spot ? QUOTA_SPOT_NAME : QUOTA_ON_DEMAND_NAME,
		    plan->spot ? QUOTA_SPOT : QUOTA_ON_DEMAND, plan->region,
		    json_number_value(quota), *needed);
	buf_free(&b);
}

static int
judge_answers(struct judge *j, json_t **group, const int *asks, size_t nasks,
    json_t **image, const char **arch, json_t **quota)
{
	const struct preflight_plan *plan = j->plan;
	const char *code, *msg;
	int rc;

	for (size_t i = 0; i < nasks; i++) {
		code = answer_error(group[i], &msg);
		switch (asks[i]) {
		case ASK_OFFERINGS:
			if (code != NULL)
				break;
			if ((rc = read_offerings(j, group[i])) != 0)
				return rc;
			continue;
		case ASK_TYPES:
			if (code != NULL && strcmp(code,
			    "InvalidInstanceType") == 0) {
				add_line(j->failures, "%s: choose instance "
				    "types that exist in %s (compute.<role>."
				    "instance_type)", msg, plan->region);
				continue;
			}
			if (code != NULL)
				break;
			if ((rc = read_types(j, group[i])) != 0)
				return rc;
			continue;
		case ASK_IMAGE:
			if (code != NULL && strncmp(code, "InvalidAMIID.",
			    13) == 0) {
				add_line(j->failures, "image %s does not exist "
				    "in %s (%s): set compute.ami to auto (make "
				    "ami builds one), stock, or an image ID of "
				    "that region", plan->image_id,
				    plan->region, code);
				continue;
			}
			if (code != NULL)
				break;
			if ((rc = read_image(j, group[i], image, arch)) != 0)
				return rc;
			continue;
		case ASK_QUOTA:
			if (code != NULL) {
				/* moto 5.2 models no EC2 quota: NoSuchResource. */
				add_line(j->warnings, "the vCPU quota %s was not "
				    "checked: %s: %s", plan->spot ? QUOTA_SPOT :
				    QUOTA_ON_DEMAND, code, msg);
				continue;
			}
			*quota = json_object_get(json_object_get(json_object_get(
			    json_array_get(group[i], 0), "body"), "Quota"),
			    "Value");
			if (!json_is_number(*quota)) {
				snprintf(j->err, j->errlen, "GetServiceQuota: "
				    "no Quota.Value in the answer");
				return PREFLIGHT_ERR_INPUT;
			}
			continue;
		}
		snprintf(j->err, j->errlen, "%s: %s: %s", ask_action[asks[i]],
		    code, msg);
		return PREFLIGHT_ERR_AWS;
	}
	return PREFLIGHT_OK;
}

int
preflight_judge(const struct preflight_plan *plan, json_t *answers,
    json_t **verdict, char *err, size_t errlen)
{
	struct judge j = { plan, { { 0 } }, json_array(), json_array(), err,
	    errlen };
	int asks[ASK_N], rc;
	size_t nasks = 0, i, k;
	json_t *group[ASK_N] = { NULL }, *all = json_array(), *z;
	json_t *image = NULL, *quota = NULL;
	const char *arch = plan->architecture, *zone = NULL;
	long needed = 0, other = 0;

	*verdict = NULL;
	for (i = 0; i < plan->ntypes; i++) {
		j.t[i].type = plan->types[i];
		j.t[i].zones = json_array();
		j.t[i].vcpus = -1;
		for (size_t r = 0; r < plan->nroles; r++) {
			if (strcmp(plan->role[r].type, plan->types[i]) != 0)
				continue;
			j.t[i].count += plan->role[r].count;
			buf_addf(&j.t[i].roles, "%s%s", j.t[i].roles.len ?
			    ", " : "", plan->role[r].role);
			if (j.t[i].first_role == NULL)
				j.t[i].first_role = plan->role[r].role;
		}
	}
	asks[nasks++] = ASK_OFFERINGS;
	asks[nasks++] = ASK_TYPES;
	if (plan->image_id != NULL)
		asks[nasks++] = ASK_IMAGE;
	asks[nasks++] = ASK_QUOTA;
	if ((rc = group_answers(&j, answers, asks, nasks, group)) != 0 ||
	    (rc = judge_answers(&j, group, asks, nasks, &image, &arch,
	    &quota)) != 0)
		goto out;

	/* The zones of the region that offer every type, sorted. */
	if (plan->ntypes > 0) {
		json_array_foreach(j.t[0].zones, i, z) {
			for (k = 1; k < plan->ntypes; k++)
				if (!in_array(j.t[k].zones,
				    json_string_value(z)))
					break;
			if (k == plan->ntypes)
				json_array_append(all, z);
		}
	}
	check_zone(&j, all, &zone);
	check_architecture(&j, image ? plan->image_id : NULL, arch);
	check_vcpus(&j, quota, &needed, &other);

	*verdict = json_pack("{s:s, s:s, s:s, s:o, s:s, s:O, s:o, s:o, "
	    "s:{s:o, s:I, s:s, s:s, s:O}, s:O, s:O, s:b}",
	    "schema", "plc-preflight/1",
	    "experiment_id", plan->experiment_id,
	    "region", plan->region,
	    "availability_zone", zone ? json_string(zone) : json_null(),
	    "availability_zone_from", plan->zone ? "plan" : "preflight",
	    "zones_offering_all", all,
	    "instance_types", verdict_types(&j),
	    "image", image ? json_incref(image) : json_pack("{s:o, s:o, s:n}",
		"image_id", plan->image_id ? json_string(plan->image_id) :
		json_null(), "architecture", plan->image_id ? json_null() :
		json_string(arch), "state"),
	    "vcpus",
		"needed", needed >= 0 && j.t[0].vcpus >= 0 ?
		    json_integer(needed) : json_null(),
		"other_families", (json_int_t)other,
		"quota_code", plan->spot ? QUOTA_SPOT : QUOTA_ON_DEMAND,
		"quota_name", plan->spot ? QUOTA_SPOT_NAME :
		    QUOTA_ON_DEMAND_NAME,
		"quota", quota ? quota : json_null(),
	    "failures", j.failures,
	    "warnings", j.warnings,
	    "ok", json_array_size(j.failures) == 0);
	if (*verdict == NULL) {
		snprintf(err, errlen, "out of memory");
		rc = PREFLIGHT_ERR_AWS;
	} else
		rc = json_array_size(j.failures) ? PREFLIGHT_FAILED :
		    PREFLIGHT_OK;
out:
	for (i = 0; i < ASK_N; i++)
		json_decref(group[i]);
	for (i = 0; i < plan->ntypes; i++) {
		json_decref(j.t[i].zones);
		json_decref(j.t[i].archs);
		buf_free(&j.t[i].roles);
	}
	json_decref(image);
	json_decref(all);
	json_decref(j.failures);
	json_decref(j.warnings);
	return rc;
}
