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

static const struct {
	const char	*arn_type;
	enum reap_kind	 kind;
} arn_kinds[] = {
	{ "spot-instances-request", RK_SPOT_REQUEST },
	{ "spot-instance-request", RK_SPOT_REQUEST },	/* moto's spelling */
	{ "instance", RK_INSTANCE }, { "volume", RK_VOLUME },
	{ "elastic-ip", RK_ADDRESS }, { "natgateway", RK_NAT_GATEWAY },
	{ "network-interface", RK_NETWORK_INTERFACE },
	{ "vpc-endpoint", RK_VPC_ENDPOINT }, { "key-pair", RK_KEY_PAIR },
	{ "launch-template", RK_LAUNCH_TEMPLATE },
	{ "security-group", RK_SECURITY_GROUP },
	{ "route-table", RK_ROUTE_TABLE }, { "subnet", RK_SUBNET },
	{ "internet-gateway", RK_INTERNET_GATEWAY }, { "vpc", RK_VPC },
};

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
		const char *arn = reap_str(m, "ResourceARN"), *res;
		json_t *tags;
		size_t k;

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
			res++;
			for (k = 0; k < sizeof(arn_kinds) / sizeof(*arn_kinds);
			    k++) {
				size_t n = strlen(arn_kinds[k].arn_type);

				if (strncmp(res, arn_kinds[k].arn_type, n) == 0 &&
				    res[n] == '/') {
					json_array_append_new(
					    ld->ids[arn_kinds[k].kind],
					    json_string(res + n + 1));
					break;
				}
			}
			if (k == sizeof(arn_kinds) / sizeof(*arn_kinds))
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
	tf = json_pack("[{s:s,s:[s]}]", "Key", REAP_PROJECT_KEY, "Values",
	    REAP_PROJECT);
	if (r->experiment_id != NULL)
		json_array_append_new(tf, json_pack("{s:s,s:[s]}", "Key",
		    REAP_EXPERIMENT_KEY, "Values", r->experiment_id));
	else
		json_array_append_new(tf, json_pack("{s:s}", "Key",
		    REAP_EXPERIMENT_KEY));
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
