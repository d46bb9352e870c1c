/*
 * The tagging API's answers are leads, not facts: it remembers deleted
 * resources. Each lead the Describe calls did not answer for is confirmed
 * (EC2 by ID, buckets by their own tags) before it becomes a candidate.
 */
#include <string.h>

#include "buf.h"
#include "reap.h"

/* Leads from the tagging API, confirmed per type. */
struct leads {
	json_t	*ids[RK_NKINDS];	/* arrays of IDs per kind */
	json_t	*buckets;		/* {"name":tags} */
	json_t	*unsupported;		/* {"arn":tags} */
};

/*
 * The kind an EC2 ARN's resource ("volume/vol-1") names, by the types'
 * arn_type (moto spells spot requests "spot-instance-request"), with *id
 * set to the ID; RK_NKINDS when plc-reap knows no such type.
 */
static enum reap_kind
arn_kind(const char *res, const char **id)
{
	static const char moto_spot[] = "spot-instance-request";
	const char *slash = strchr(res, '/');
	size_t n = slash ? (size_t)(slash - res) : 0;

	if (slash == NULL)
		return RK_NKINDS;
	*id = slash + 1;
	if (n == strlen(moto_spot) && strncmp(res, moto_spot, n) == 0)
		return RK_SPOT_REQUEST;
	for (int k = 0; k < RK_NKINDS; k++) {
		const char *t = reap_types[k].arn_type;

		if (t != NULL && strlen(t) == n && strncmp(res, t, n) == 0)
			return k;
	}
	return RK_NKINDS;
}

static int
tagging_page(struct reap *r, json_t *body, void *arg)
{
	struct leads *ld = arg;
	json_t *a, *m;
	size_t i;

	if (reap_want(r, body, "ResourceTagMappingList") == NULL)
		return AWS_ERR_SYSTEM;
	if ((a = reap_list_in(r, json_object_get(body,
	    "ResourceTagMappingList"), "ResourceTagMappingList")) == NULL)
		return AWS_ERR_SYSTEM;

	json_array_foreach(a, i, m) {
		const char *arn = reap_str(m, "ResourceARN"), *res, *id;
		json_t *tags;
		enum reap_kind k;

		if (arn == NULL)
			continue;
		if ((tags = reap_tags_object(r, json_object_get(m, "Tags"),
		    "Key", "Value")) == NULL) {
			json_decref(a);
			return AWS_ERR_SYSTEM;
		}
		if (!reap_list_match(r, tags)) {
			json_decref(tags);
			continue;
		}
		if (strncmp(arn, "arn:aws:s3:::", 13) == 0 &&
		    strchr(arn + 13, '/') == NULL) {
			json_object_set(ld->buckets, arn + 13, tags);
		} else if (strncmp(arn, "arn:aws:ec2:", 12) == 0 &&
		    (res = strrchr(arn, ':')) != NULL) {
			if ((k = arn_kind(res + 1, &id)) != RK_NKINDS)
				json_array_append_new(ld->ids[k],
				    json_string(id));
			else
				json_object_set(ld->unsupported, arn, tags);
		} else
			json_object_set(ld->unsupported, arn, tags);
		json_decref(tags);
	}
	json_decref(a);
	return 0;
}

/*
 * Leads the Describe calls did not answer for (one they answered for and
 * skipped, such as a deleted NAT gateway, needs no second look), confirmed
 * by a Describe call by ID per type.
 */
static int
confirm_leads(struct reap *r, struct reap_list *l, struct leads *ld)
{
	const char *key;
	json_t *tags;
	int rc;

	for (int k = 0; k < RK_NKINDS; k++) {
		json_t *todo = json_array(), *id;
		size_t i;

		if (ld->ids[k] == NULL) {
			json_decref(todo);
			continue;
		}
		json_array_foreach(ld->ids[k], i, id)
			if (!reap_list_seen(l, k, json_string_value(id)))
				json_array_append(todo, id);
		rc = json_array_size(todo) ? reap_describe_kind(r, k, todo, l) :
		    0;
		json_decref(todo);
		if (rc != 0)
			return rc;
	}
	json_object_foreach(ld->buckets, key, tags) {
		if (reap_list_find(l, RK_BUCKET, key) != NULL)
			continue;
		if ((rc = reap_confirm_bucket(r, l, key)) != 0)
			return rc;
	}
	json_object_foreach(ld->unsupported, key, tags) {
		struct reap_item *it;
		const char *type = strrchr(key, ':');

		if (reap_str(tags, REAP_ARTIFACT_KEY) != NULL)
			continue;	/* never touched, not even listed */
		it = reap_item_new(RK_NKINDS, type ? type + 1 : key, key,
		    tags);
		json_object_set_new(it->info, "type", json_stringn(it->id,
		    strcspn(it->id, "/")));
		it->action = RA_KEEP;
		it->reason = "unsupported";
		reap_list_add(l, it);
	}
	return 0;
}

int
reap_discover_tagging(struct reap *r, struct reap_list *l)
{
	struct leads ld = { { 0 }, json_object(), json_object() };
	json_t *req, *tf;
	int rc;

	for (int k = 0; k < RK_NKINDS; k++)
		ld.ids[k] = json_array();
	tf = json_pack("[{s:s,s:[s]}]", "Key", PLC_PROJECT_KEY, "Values",
	    PLC_PROJECT);
	if (r->experiment_id != NULL)
		json_array_append_new(tf, json_pack("{s:s,s:[s]}", "Key",
		    PLC_EXPERIMENT_KEY, "Values", r->experiment_id));
	else
		json_array_append_new(tf, json_pack("{s:s}", "Key",
		    PLC_EXPERIMENT_KEY));
	req = json_pack("{s:s,s:s,s:{s:o,s:i}}", "service", "tagging",
	    "target", "ResourceGroupsTaggingAPI_20170126.GetResources", "json",
	    "TagFilters", tf, "ResourcesPerPage", 100);
	if ((rc = reap_call(r, req, 1, tagging_page, &ld, NULL)) == 0)
		rc = confirm_leads(r, l, &ld);
	for (int k = 0; k < RK_NKINDS; k++)
		json_decref(ld.ids[k]);
	json_decref(ld.buckets);
	json_decref(ld.unsupported);
	return rc;
}
