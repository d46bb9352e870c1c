/*
 * Discovery: Describe calls per type filtered by the Project and
 * ExperimentID tags, everything inside the experiment's VPCs, IAM under
 * the project's path, and the tagging API, whose answers are only leads:
 * each is confirmed by a Describe call before it becomes a candidate. What
 * a create cut short left untagged is adopted by the name Terraform gives
 * it (project.h).
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "reap.h"

/* Filter values per call: AWS takes at most 200. */
#define FILTER_BATCH	200

/* The row of kind k when an EC2 Describe call finds it, else NULL. */
static const struct reap_type *
ec2_type(enum reap_kind k)
{
	return reap_types[k].describe != NULL ? &reap_types[k] : NULL;
}

void
reap_item_free(struct reap_item *it)
{
	if (it == NULL)
		return;
	free(it->id);
	free(it->arn);
	free(it->experiment_id);
	json_decref(it->tags);
	json_decref(it->info);
	free(it->err_code);
	free(it->err_msg);
	free(it);
}

void
reap_list_free(struct reap_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		reap_item_free(l->v[i]);
	free(l->v);
	json_decref(l->seen);
	l->v = NULL;
	l->seen = NULL;
	l->n = l->cap = 0;
}

static void
seen_key(struct buf *b, enum reap_kind k, const char *id)
{
	buf_addf(b, "%d/%s", (int)k, id);
}

/*
 * Whether a Describe call of this discovery answered for the ID, even an
 * entry it skipped (a deleted NAT gateway): a lead for it needs no
 * confirmation.
 */
int
reap_list_seen(const struct reap_list *l, enum reap_kind k, const char *id)
{
	struct buf b = { 0 };
	int seen;

	seen_key(&b, k, id);
	seen = json_object_get(l->seen, b.data) != NULL;
	buf_free(&b);
	return seen;
}

static void
list_saw(struct reap_list *l, enum reap_kind k, const char *id)
{
	struct buf b = { 0 };

	if (l->seen == NULL)
		l->seen = json_object();
	seen_key(&b, k, id);
	json_object_set_new(l->seen, b.data, json_true());
	buf_free(&b);
}

struct reap_item *
reap_list_find(const struct reap_list *l, enum reap_kind k, const char *id)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i]->kind == k && strcmp(l->v[i]->id, id) == 0)
			return l->v[i];
	return NULL;
}

void
reap_list_add(struct reap_list *l, struct reap_item *it)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n++] = it;
}

/*
 * Whether tags make a resource a candidate: the Project tag, and the
 * experiment's ID (or, in a sweep, any ID). Untagged things inside one of
 * our VPCs are taken too (in_vpc), but never another project's or
 * another experiment's.
 */
static int
tags_match(const struct reap *r, json_t *tags, int in_vpc)
{
	const char *p = reap_str(tags, PLC_PROJECT_KEY);
	const char *e = reap_str(tags, PLC_EXPERIMENT_KEY);

	if (in_vpc && p == NULL && e == NULL)
		return 1;
	if (p == NULL || strcmp(p, PLC_PROJECT) != 0 || e == NULL)
		return 0;
	if (r->experiment_id != NULL && strcmp(e, r->experiment_id) != 0)
		return 0;
	return 1;
}

static struct reap_item *
item_new(struct reap *r, enum reap_kind k, const char *id, const char *arn,
    json_t *tags, const char *vpc_experiment)
{
	struct reap_item *it = xcalloc(1, sizeof(*it));
	const char *e = reap_str(tags, PLC_EXPERIMENT_KEY);

	(void)r;
	it->kind = k;
	it->id = xstrdup(id);
	it->arn = xstrdup(arn);
	it->tags = json_incref(tags);
	if (e == NULL && vpc_experiment != NULL) {
		e = vpc_experiment;
		it->found = RF_INSIDE;
	}
	it->experiment_id = e ? xstrdup(e) : NULL;
	it->info = json_object();
	return it;
}

struct reap_item *
reap_item_new(enum reap_kind k, const char *id, const char *arn,
    json_t *tags)
{
	return item_new(NULL, k, id, arn, tags, NULL);
}

/*
 * A resource an interrupted create left untagged (S3 and IAM tag what they
 * create in a call of their own): one tagged for no project and no
 * experiment whose name is the one Terraform gives it for the experiment
 * (named). NULL when it is not one, or in a sweep.
 */
struct reap_item *
reap_item_adopt(const struct reap *r, enum reap_kind k, const char *id,
    const char *arn, json_t *tags, const char *named)
{
	struct reap_item *it;

	if (r->experiment_id == NULL || strcmp(id, named) != 0 ||
	    reap_str(tags, PLC_PROJECT_KEY) != NULL ||
	    reap_str(tags, PLC_EXPERIMENT_KEY) != NULL)
		return NULL;
	it = item_new(NULL, k, id, arn, tags, r->experiment_id);
	it->found = RF_NAME;
	return it;
}

int
reap_list_match(const struct reap *r, json_t *tags)
{
	return tags_match(r, tags, 0);
}

/* What one describe of an EC2 type adds to the list. */
struct ec2_ctx {
	const struct reap_type	*t;
	struct reap_list	*list;
	json_t			*owners; /* {"vpc-or-instance-id":"experiment"} */
};

/* The values at path p of entry e (a new array of the strings there). */
static json_t *
at_path(json_t *e, const struct reap_path *p)
{
	json_t *a = p->list ? reap_array(json_object_get(e, p->list)) :
	    json_pack("[O]", e), *v, *out = json_array();
	size_t i;

	json_array_foreach(a, i, v)
		if (reap_str(v, p->member) != NULL)
			json_array_append(out, json_object_get(v, p->member));
	json_decref(a);
	return out;
}

/* The VPC, or for volumes the instance, an entry belongs to. */
static const char *
ec2_owner(const struct reap_type *t, json_t *e)
{
	json_t *a;
	const char *o;

	if (t->owner.member == NULL)
		return reap_str(e, "vpcId");
	a = at_path(e, &t->owner);
	o = json_string_value(json_array_get(a, 0));
	json_decref(a);
	return o;	/* held by e */
}

/* Entries that are already gone, or that the VPC takes with it. */
static int
ec2_skip(const struct reap_type *t, json_t *e)
{
	json_t *a, *v;
	size_t i;
	int skip = 0;

	if (t->skip_values == NULL)
		return 0;
	a = at_path(e, &t->skip);
	json_array_foreach(a, i, v)
		for (const char *const *s = t->skip_values; *s != NULL; s++)
			skip |= strcmp(json_string_value(v), *s) == 0;
	json_decref(a);
	return skip;
}

static int
ec2_add(struct reap *r, struct ec2_ctx *c, json_t *e)
{
	const struct reap_type *t = c->t;
	const char *id = reap_str(e, t->id), *vpc_exp = NULL, *owner;
	struct reap_item *it;
	json_t *tags;
	struct buf arn = { 0 };

	if (reap_sets_readable(r, e) != 0)
		return AWS_ERR_SYSTEM;
	if (id != NULL)
		list_saw(c->list, t->kind, id);
	if (id == NULL || ec2_skip(t, e) ||
	    reap_list_find(c->list, t->kind, id) != NULL)
		return 0;
	if ((tags = reap_tags_object(r, json_object_get(e, "tagSet"), "key",
	    "value")) == NULL)
		return AWS_ERR_SYSTEM;
	if (c->owners != NULL && (owner = ec2_owner(t, e)) != NULL)
		vpc_exp = reap_str(c->owners, owner);
	if (!tags_match(r, tags, vpc_exp != NULL)) {
		json_decref(tags);
		return 0;
	}
	buf_addf(&arn, "arn:aws:ec2:%s:%s:%s/%s", r->region, r->account,
	    t->arn_type, id);
	it = item_new(r, t->kind, id, arn.data, tags, vpc_exp);
	buf_free(&arn);
	json_decref(tags);
	if (t->time != NULL)
		it->created = reap_parse_time(reap_str(e, t->time));
	json_decref(it->info);
	it->info = json_incref(e);
	reap_list_add(c->list, it);
	return 0;
}

/*
 * The entries of one Describe answer: its list, or for instances every
 * reservation's; NULL with r->err set when a list is not one.
 */
static json_t *
ec2_entries(struct reap *r, const struct reap_type *t, json_t *body)
{
	const char *k;
	json_t *resp = NULL, *a, *e, *b, *all;
	size_t i;

	json_object_foreach(body, k, resp)
		break;
	if (t->kind != RK_INSTANCE)
		return reap_list_in(r, json_object_get(resp, t->list), t->list);
	if ((a = reap_list_in(r, json_object_get(resp, "reservationSet"),
	    "reservationSet")) == NULL)
		return NULL;
	all = json_array();
	json_array_foreach(a, i, e) {
		if ((b = reap_list_in(r, json_object_get(e, "instancesSet"),
		    "instancesSet")) == NULL) {
			json_decref(all);
			all = NULL;
			break;
		}
		json_array_extend(all, b);
		json_decref(b);
	}
	json_decref(a);
	return all;
}

static int
ec2_page(struct reap *r, json_t *body, void *arg)
{
	struct ec2_ctx *c = arg;
	json_t *a = ec2_entries(r, c->t, body), *e;
	size_t i;
	int rc = 0;

	if (a == NULL)
		return AWS_ERR_SYSTEM;
	json_array_foreach(a, i, e)
		if (rc == 0)
			rc = ec2_add(r, c, e);
	json_decref(a);
	return rc;
}

/* {"Name":name,"Value":[...]} */
static json_t *
filter(const char *name, json_t *values)
{
	return json_pack("{s:s,s:o}", "Name", name, "Value", values);
}

/*
 * Instances not terminated: AWS lists terminated ones for an hour, and
 * they would make every answer after the termination as long as the first
 * (moto answers 200 of them in half a second).
 */
static void
live_only(enum reap_kind k, json_t *filters)
{
	if (k == RK_INSTANCE)
		json_array_append_new(filters, filter("instance-state-name",
		    json_pack("[sssss]", "pending", "running", "shutting-down",
		    "stopping", "stopped")));
}

/*
 * One Describe call of type t (every page) with these filters, each page
 * read by page_fn; max asks for MaxResults, the type's most per call.
 */
static int
ec2_describe(struct reap *r, const struct reap_type *t, json_t *filters,
    int max, int (*page_fn)(struct reap *, json_t *, void *), void *arg)
{
	json_t *req = reap_ec2(t->describe), *params;

	live_only(t->kind, filters);
	params = json_object_get(req, "params");
	json_object_set_new(params, "Filter", filters);
	if (max && t->max_results)
		json_object_set_new(params, "MaxResults",
		    json_integer(t->max_results));
	return reap_call(r, req, 1, page_fn, arg, NULL);
}

/*
 * The Describe calls of type t for the given values (an array of strings)
 * of the filter fname, FILTER_BATCH values a call.
 */
static int
ec2_describe_by(struct reap *r, const struct reap_type *t, const char *fname,
    json_t *values, int max, int (*page_fn)(struct reap *, json_t *, void *),
    void *arg)
{
	size_t n = json_array_size(values);
	int rc = 0;

	for (size_t i = 0; i < n && rc == 0; i += FILTER_BATCH) {
		json_t *batch = json_array();

		for (size_t j = i; j < n && j < i + FILTER_BATCH; j++)
			json_array_append(batch, json_array_get(values, j));
		rc = ec2_describe(r, t, json_pack("[o]", filter(fname, batch)),
		    max, page_fn, arg);
	}
	return rc;
}

/* The project's tag filters: Project, and the ID or any ID. */
static json_t *
tag_filters(const struct reap *r)
{
	json_t *f = json_array();

	json_array_append_new(f, filter("tag:" PLC_PROJECT_KEY,
	    json_pack("[s]", PLC_PROJECT)));
	if (r->experiment_id != NULL)
		json_array_append_new(f, filter("tag:" PLC_EXPERIMENT_KEY,
		    json_pack("[s]", r->experiment_id)));
	else
		json_array_append_new(f, filter("tag-key",
		    json_pack("[s]", PLC_EXPERIMENT_KEY)));
	return f;
}

/* {"id":"experiment"} of the listed items of kind k that are to go. */
static json_t *
owners(const struct reap_list *l, enum reap_kind k)
{
	json_t *o = json_object();

	for (size_t i = 0; i < l->n; i++)
		if (l->v[i]->kind == k && l->v[i]->action == RA_DELETE)
			json_object_set_new(o, l->v[i]->id, json_string(
			    l->v[i]->experiment_id ? l->v[i]->experiment_id :
			    ""));
	return o;
}

/*
 * Describes the given IDs (an array of strings) of one type, adding those
 * that exist and qualify. Used to confirm the tagging API's leads.
 */
int
reap_describe_kind(struct reap *r, enum reap_kind k, json_t *ids,
    struct reap_list *l)
{
	struct ec2_ctx c = { ec2_type(k), l, NULL };
	int rc;

	if (c.t == NULL)
		return 0;
	c.owners = owners(l, RK_VPC);
	rc = ec2_describe_by(r, c.t, c.t->id_filter, ids, 1, ec2_page, &c);
	json_decref(c.owners);
	return rc;
}

static int
discover_ec2(struct reap *r, struct reap_list *l)
{
	for (int k = 0; k < RK_NKINDS; k++) {
		struct ec2_ctx c = { ec2_type(k), l, NULL };
		int rc;

		if (c.t != NULL && (rc = ec2_describe(r, c.t, tag_filters(r),
		    1, ec2_page, &c)) != 0)
			return rc;
	}
	return 0;
}

/*
 * Everything inside the VPCs that are to go, tagged or not, and the
 * volumes attached to the instances that are to go.
 */
static int
discover_owned(struct reap *r, struct reap_list *l)
{
	int rc = 0;

	for (int k = 0; k < RK_NKINDS && rc == 0; k++) {
		struct ec2_ctx c = { ec2_type(k), l, NULL };
		enum reap_kind owner = k == RK_VOLUME ? RK_INSTANCE : RK_VPC;
		const char *fname = owner == RK_INSTANCE ?
		    "attachment.instance-id" : c.t ? c.t->vpc_filter : NULL;
		json_t *ids, *id;
		const char *key;

		if (fname == NULL)
			continue;
		c.owners = owners(l, owner);
		ids = json_array();
		json_object_foreach(c.owners, key, id)
			json_array_append_new(ids, json_string(key));
		rc = ec2_describe_by(r, c.t, fname, ids, 1, ec2_page, &c);
		json_decref(ids);
		json_decref(c.owners);
	}
	return rc;
}

/*
 * The candidates of the region: tagged EC2 resources, IAM under the
 * project's path (and, untagged, by Terraform's names), the tagging API's
 * confirmed leads (buckets), the experiment's bucket by its name when no
 * bucket was found by tags, then what the VPCs to delete hold. Kept and swept decisions are marked in between,
 * so that nothing inside a kept VPC is taken for being there.
 */
int
reap_discover(struct reap *r, struct reap_list *l)
{
	int rc;

	if ((rc = discover_ec2(r, l)) != 0 ||
	    (rc = reap_discover_iam(r, l)) != 0 ||
	    (rc = reap_discover_tagging(r, l)) != 0 ||
	    (rc = reap_adopt_bucket(r, l)) != 0)
		return rc;
	reap_plan_mark(r, l);
	if ((rc = discover_owned(r, l)) != 0)
		return rc;
	reap_plan_mark(r, l);
	reap_plan_order(l);
	/* a bucket adopted now is looked for by name again, to confirm it */
	r->bucket_by_name = 0;
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i]->kind == RK_BUCKET && l->v[i]->found == RF_NAME)
			r->bucket_by_name = 1;
	return 0;
}

struct alive_ctx {
	const struct reap_type	*t;
	json_t			*alive;
};

static int
alive_page(struct reap *r, json_t *body, void *arg)
{
	struct alive_ctx *c = arg;
	json_t *a = ec2_entries(r, c->t, body), *e;
	size_t i;

	if (a == NULL)
		return AWS_ERR_SYSTEM;
	json_array_foreach(a, i, e)
		if (!ec2_skip(c->t, e) && reap_str(e, c->t->id))
			json_array_append_new(c->alive, json_string(
			    reap_str(e, c->t->id)));
	json_decref(a);
	return 0;
}

/* Which of ids (of kind k) still exist, e.g. not yet terminated. */
int
reap_ec2_alive(struct reap *r, enum reap_kind k, json_t *ids, json_t **alive)
{
	struct alive_ctx c = { ec2_type(k), json_array() };
	int rc = ec2_describe_by(r, c.t, c.t->id_filter, ids, 0, alive_page,
	    &c);

	if (rc != 0) {
		json_decref(c.alive);
		return rc;
	}
	*alive = c.alive;
	return 0;
}
