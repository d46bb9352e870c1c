/*
 * IAM: instance profiles, customer-managed policies and roles under the
 * project's path, confirmed by their tags; deleted with what holds them.
 */
#include <string.h>

#include "buf.h"
#include "reap.h"

/* The XxxResult object of a Query answer. */
static json_t *
result(json_t *body)
{
	const char *k, *rk;
	json_t *v, *rv;

	json_object_foreach(body, k, v)
		json_object_foreach(v, rk, rv)
			if (strlen(rk) > 6 &&
			    strcmp(rk + strlen(rk) - 6, "Result") == 0)
				return rv;
	return NULL;
}

/*
 * What holds an IAM item, let go one entry at a time: the entries of a
 * List call naming the item (or of the item's own member), each undone by
 * one call that names the item and the entry.
 */
struct iam_hold {
	const char	*list;		/* List call; NULL: the item's member */
	const char	*key;		/* the entries' member in its answer */
	const char	*undo;		/* the call per entry */
	const char	*param;		/* the entry's value as this parameter */
	const char	*member;	/* that value; NULL: the entry itself */
	const char	*unless;	/* entries whose member is "true" stay */
};

static const struct iam_type {
	enum reap_kind	 kind;
	const char	*list, *list_key, *name_key;
	/* listings leave tags out: Get* has them, and confirms the item */
	const char	*get, *param, *get_key;
	int		 by_arn;	/* param is the ARN, not the name */
	const char	*named;		/* Terraform's name, of the experiment ID */
	/* deleting: what holds it goes first, in this order */
	struct iam_hold	 holds[3];
	const char	*delete;
} iam_types[] = {
	{ RK_INSTANCE_PROFILE, "ListInstanceProfiles", "InstanceProfiles",
	    "InstanceProfileName", "GetInstanceProfile",
	    "InstanceProfileName", "InstanceProfile", 0, PLC_NODE_ROLE_NAME, {
	    { NULL, "Roles", "RemoveRoleFromInstanceProfile", "RoleName",
		"RoleName", NULL } },
	    "DeleteInstanceProfile" },
	{ RK_IAM_POLICY, "ListPolicies", "Policies", "PolicyName",
	    "GetPolicy", "PolicyArn", "Policy", 1, PLC_BUCKET_POLICY_NAME, {
	    { "ListEntitiesForPolicy", "PolicyRoles", "DetachRolePolicy",
		"RoleName", "RoleName", NULL },
	    /* the default version goes with the policy */
	    { "ListPolicyVersions", "Versions", "DeletePolicyVersion",
		"VersionId", "VersionId", "IsDefaultVersion" } },
	    "DeletePolicy" },
	{ RK_IAM_ROLE, "ListRoles", "Roles", "RoleName", "GetRole",
	    "RoleName", "Role", 0, PLC_NODE_ROLE_NAME, {
	    { "ListInstanceProfilesForRole", "InstanceProfiles",
		"RemoveRoleFromInstanceProfile", "InstanceProfileName",
		"InstanceProfileName", NULL },
	    { "ListAttachedRolePolicies", "AttachedPolicies",
		"DetachRolePolicy", "PolicyArn", "PolicyArn", NULL },
	    { "ListRolePolicies", "PolicyNames", "DeleteRolePolicy",
		"PolicyName", NULL, NULL } },
	    "DeleteRole" },
};

#define NIAM_TYPES	(sizeof(iam_types) / sizeof(*iam_types))

static json_t *
iam_req(const char *action, const char *k1, const char *v1, const char *k2,
    const char *v2)
{
	return reap_req(reap_iam(action), k1, v1, k2, v2);
}

static int
get_page(struct reap *r, json_t *body, void *arg)
{
	json_t **obj = arg;

	(void)r;
	json_decref(*obj);
	*obj = json_incref(result(body));
	return 0;
}

struct collect {
	json_t	*all;
	const char *key;
};

static int
collect_page(struct reap *r, json_t *body, void *arg)
{
	struct collect *c = arg;
	json_t *a = reap_list_in(r, json_object_get(result(body), c->key),
	    c->key);

	if (a == NULL)
		return AWS_ERR_SYSTEM;
	json_array_extend(c->all, a);
	json_decref(a);
	return 0;
}

/* Every page of a list call, as one array of c->key entries. */
static int
iam_list(struct reap *r, json_t *req, const char *key, json_t **out,
    json_t **error)
{
	struct collect c = { json_array(), key };
	int rc = reap_call(r, req, 1, collect_page, &c, error);

	if (rc != 0) {
		json_decref(c.all);
		return rc;
	}
	*out = c.all;
	return 0;
}

/*
 * The item an entry of a listing is (confirmed by Get*, which has its
 * tags) when it is the experiment's by its tags, or by the name Terraform
 * gives it; NULL when it is not, with *rc 0, or the call's failure.
 */
static struct reap_item *
iam_item(struct reap *r, const struct iam_type *t, json_t *e, const char *named,
    int *rc)
{
	const char *name = reap_str(e, t->name_key), *arn = reap_str(e, "Arn");
	json_t *got = NULL, *tags, *error = NULL;
	struct reap_item *item = NULL;

	*rc = 0;
	if (name == NULL || arn == NULL)
		return NULL;
	*rc = reap_call(r, iam_req(t->get, t->param, t->by_arn ? arn : name,
	    NULL, NULL), 0, get_page, &got, &error);
	if (*rc == AWS_ERR_AWS && reap_error_is_gone(reap_str(error, "code")))
		*rc = 0;	/* gone since the listing */
	json_decref(error);
	if (*rc != 0 || got == NULL) {
		json_decref(got);
		return NULL;
	}
	if ((tags = reap_tags_object(r, json_object_get(json_object_get(got,
	    t->get_key), "Tags"), "Key", "Value")) == NULL) {
		json_decref(got);
		*rc = AWS_ERR_SYSTEM;
		return NULL;
	}
	if (json_object_get(got, t->get_key) != NULL)
		e = json_object_get(got, t->get_key);
	if (reap_list_match(r, tags))
		item = reap_item_new(t->kind, name, arn, tags);
	else if (named != NULL)
		item = reap_item_adopt(r, t->kind, name, arn, tags, named);
	if (item != NULL) {
		item->created = reap_parse_time(reap_str(e, "CreateDate"));
		json_decref(item->info);
		item->info = json_incref(e);
	}
	json_decref(tags);
	json_decref(got);
	return item;
}

int
reap_discover_iam(struct reap *r, struct reap_list *l)
{
	for (size_t t = 0; t < NIAM_TYPES; t++) {
		const struct iam_type *it = &iam_types[t];
		json_t *req = iam_req(it->list, "PathPrefix", PLC_IAM_PATH,
		    NULL, NULL), *all, *e;
		struct buf named = { 0 };
		struct reap_item *item;
		size_t i;
		int rc;

		if (it->kind == RK_IAM_POLICY)
			reap_req(req, "Scope", "Local", NULL, NULL);
		if ((rc = iam_list(r, req, it->list_key, &all, NULL)) != 0)
			return rc;
		if (r->experiment_id != NULL)
			buf_addf(&named, it->named, r->experiment_id);
		json_array_foreach(all, i, e) {
			if ((item = iam_item(r, it, e, named.data, &rc)) != NULL)
				reap_list_add(l, item);
			if (rc != 0)
				break;
		}
		buf_free(&named);
		json_decref(all);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* A call whose NotFound answer means the work is already done. */
static int
iam_do(struct reap *r, json_t *req, json_t **error)
{
	json_t *e = NULL;
	int rc = reap_call(r, req, 0, NULL, NULL, &e);

	if (rc == AWS_ERR_AWS && reap_error_is_gone(reap_str(e, "code")))
		rc = 0;
	if (rc != 0 && error != NULL && *error == NULL)
		*error = json_incref(e);
	json_decref(e);
	return rc;
}

/*
 * Lets go of what h names as holding item it (whose parameter is k=v):
 * 0, or the first failure's reap_call code.
 */
static int
iam_let_go(struct reap *r, const struct iam_hold *h, struct reap_item *it,
    const char *k, const char *v, json_t **error)
{
	json_t *all, *e;
	size_t i;
	int rc = 0;

	if (h->list == NULL)
		all = reap_array(json_object_get(it->info, h->key));
	else if ((rc = iam_list(r, iam_req(h->list, k, v, NULL, NULL), h->key,
	    &all, error)) != 0)
		return rc;
	json_array_foreach(all, i, e) {
		const char *val = h->member ? reap_str(e, h->member) :
		    json_string_value(e);
		const char *keep = h->unless ? reap_str(e, h->unless) : NULL;

		if (h->unless != NULL && (keep == NULL ||
		    strcmp(keep, "true") == 0))
			continue;
		if (val != NULL && (rc = iam_do(r, iam_req(h->undo, k, v,
		    h->param, val), error)) != 0)
			break;
	}
	json_decref(all);
	return rc;
}

/*
 * Deletes one IAM item with what holds it (its type's holds, in order: a
 * profile's roles, a policy's attachments and old versions, a role's
 * profiles and policies). Returns 0 when deleted, else the reap_call code
 * with *error set for AWS errors.
 */
int
reap_delete_iam(struct reap *r, struct reap_item *it, json_t **error)
{
	const struct iam_type *t = NULL;
	const char *v;
	int rc = 0;

	for (size_t i = 0; i < NIAM_TYPES; i++)
		if (iam_types[i].kind == it->kind)
			t = &iam_types[i];
	if (t == NULL)
		return 0;
	v = t->by_arn ? it->arn : it->id;
	for (size_t h = 0; h < sizeof(t->holds) / sizeof(*t->holds) &&
	    t->holds[h].undo != NULL && rc == 0; h++)
		rc = iam_let_go(r, &t->holds[h], it, t->param, v, error);
	if (rc == 0)
		rc = iam_do(r, iam_req(t->delete, t->param, v, NULL, NULL),
		    error);
	return rc;
}
