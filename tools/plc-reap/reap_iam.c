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

static const struct iam_type {
	enum reap_kind	 kind;
	const char	*list, *list_key, *name_key;
	/* listings leave tags out: Get* has them, and confirms the item */
	const char	*get, *get_param, *get_key;
	int		 by_arn;
} iam_types[] = {
	{ RK_INSTANCE_PROFILE, "ListInstanceProfiles", "InstanceProfiles",
	    "InstanceProfileName", "GetInstanceProfile",
	    "InstanceProfileName", "InstanceProfile", 0 },
	{ RK_IAM_POLICY, "ListPolicies", "Policies", "PolicyName",
	    "GetPolicy", "PolicyArn", "Policy", 1 },
	{ RK_IAM_ROLE, "ListRoles", "Roles", "RoleName", "GetRole",
	    "RoleName", "Role", 0 },
};

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

int
reap_discover_iam(struct reap *r, struct reap_list *l)
{
	for (size_t t = 0; t < sizeof(iam_types) / sizeof(*iam_types); t++) {
		const struct iam_type *it = &iam_types[t];
		json_t *req = reap_iam(it->list), *all, *e;
		size_t i;
		int rc;

		json_object_set_new(json_object_get(req, "params"),
		    "PathPrefix", json_string(REAP_IAM_PATH));
		if (it->kind == RK_IAM_POLICY)
			json_object_set_new(json_object_get(req, "params"),
			    "Scope", json_string("Local"));
		if ((rc = iam_list(r, req, it->list_key, &all, NULL)) != 0)
			return rc;
		json_array_foreach(all, i, e) {
			const char *name = reap_str(e, it->name_key);
			const char *arn = reap_str(e, "Arn");
			json_t *got = NULL, *tl, *tags, *error = NULL;
			struct reap_item *item;

			if (name == NULL || arn == NULL)
				continue;
			req = reap_iam(it->get);
			json_object_set_new(json_object_get(req, "params"),
			    it->get_param, json_string(it->by_arn ? arn : name));
			rc = reap_call(r, req, 0, get_page, &got, &error);
			if (rc == AWS_ERR_AWS &&
			    reap_error_is_gone(reap_str(error, "code"))) {
				json_decref(error);
				json_decref(got);
				continue;
			}
			json_decref(error);
			if (rc != 0) {
				json_decref(got);
				json_decref(all);
				return rc;
			}
			tl = json_object_get(json_object_get(got, it->get_key),
			    "Tags");
			if ((tags = reap_tags_object(r, tl, "Key", "Value")) ==
			    NULL) {
				json_decref(got);
				json_decref(all);
				return AWS_ERR_SYSTEM;
			}
			if (json_object_get(got, it->get_key) != NULL)
				e = json_object_get(got, it->get_key);
			if (reap_list_match(r, tags)) {
				item = reap_item_new(it->kind, name, arn, tags);
				item->created = reap_parse_time(reap_str(e,
				    "CreateDate"));
				json_decref(item->info);
				item->info = json_incref(e);
				reap_list_add(l, item);
			}
			json_decref(tags);
			json_decref(got);
		}
		json_decref(all);
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

static json_t *
iam_req(const char *action, const char *k1, const char *v1, const char *k2,
    const char *v2)
{
	return reap_req(reap_iam(action), k1, v1, k2, v2);
}

/*
 * Deletes one IAM item with what holds it: a profile's roles are removed,
 * a policy is detached from every entity and loses its old versions, a
 * role leaves its profiles and loses its policies. Returns 0 when
 * deleted, else the reap_call code with *error set for AWS errors.
 */
int
reap_delete_iam(struct reap *r, struct reap_item *it, json_t **error)
{
	json_t *all = NULL, *e;
	size_t i;
	int rc = 0;

	switch (it->kind) {
	case RK_INSTANCE_PROFILE:
		all = reap_array(json_object_get(it->info, "Roles"));
		json_array_foreach(all, i, e)
			if (rc == 0)
				rc = iam_do(r, iam_req(
				    "RemoveRoleFromInstanceProfile",
				    "InstanceProfileName", it->id, "RoleName",
				    reap_str(e, "RoleName")), error);
		if (rc == 0)
			rc = iam_do(r, iam_req("DeleteInstanceProfile",
			    "InstanceProfileName", it->id, NULL, NULL), error);
		break;
	case RK_IAM_POLICY:
		if ((rc = iam_list(r, iam_req("ListEntitiesForPolicy",
		    "PolicyArn", it->arn, NULL, NULL), "PolicyRoles", &all,
		    error)) != 0)
			break;
		json_array_foreach(all, i, e)
			if (rc == 0)
				rc = iam_do(r, iam_req("DetachRolePolicy",
				    "RoleName", reap_str(e, "RoleName"),
				    "PolicyArn", it->arn), error);
		json_decref(all);
		all = NULL;
		if (rc != 0 || (rc = iam_list(r, iam_req("ListPolicyVersions",
		    "PolicyArn", it->arn, NULL, NULL), "Versions", &all,
		    error)) != 0)
			break;
		json_array_foreach(all, i, e) {
			const char *def = reap_str(e, "IsDefaultVersion");

			if (rc == 0 && def != NULL && strcmp(def, "true") != 0)
				rc = iam_do(r, iam_req("DeletePolicyVersion",
				    "PolicyArn", it->arn, "VersionId",
				    reap_str(e, "VersionId")), error);
		}
		if (rc == 0)
			rc = iam_do(r, iam_req("DeletePolicy", "PolicyArn",
			    it->arn, NULL, NULL), error);
		break;
	case RK_IAM_ROLE:
		if ((rc = iam_list(r, iam_req("ListInstanceProfilesForRole",
		    "RoleName", it->id, NULL, NULL), "InstanceProfiles", &all,
		    error)) != 0)
			break;
		json_array_foreach(all, i, e)
			if (rc == 0)
				rc = iam_do(r, iam_req(
				    "RemoveRoleFromInstanceProfile",
				    "InstanceProfileName",
				    reap_str(e, "InstanceProfileName"),
				    "RoleName", it->id), error);
		json_decref(all);
		all = NULL;
		if (rc != 0 || (rc = iam_list(r, iam_req(
		    "ListAttachedRolePolicies", "RoleName", it->id, NULL, NULL),
		    "AttachedPolicies", &all, error)) != 0)
			break;
		json_array_foreach(all, i, e)
			if (rc == 0)
				rc = iam_do(r, iam_req("DetachRolePolicy",
				    "RoleName", it->id, "PolicyArn",
				    reap_str(e, "PolicyArn")), error);
		json_decref(all);
		all = NULL;
		if (rc != 0 || (rc = iam_list(r, iam_req("ListRolePolicies",
		    "RoleName", it->id, NULL, NULL), "PolicyNames", &all,
		    error)) != 0)
			break;
		json_array_foreach(all, i, e)
			if (rc == 0 && json_is_string(e))
				rc = iam_do(r, iam_req("DeleteRolePolicy",
				    "RoleName", it->id, "PolicyName",
				    json_string_value(e)), error);
		if (rc == 0)
			rc = iam_do(r, iam_req("DeleteRole", "RoleName", it->id,
			    NULL, NULL), error);
		break;
	default:
		break;
	}
	json_decref(all);
	return rc;
}
