/*
 * The plan: which candidates go and which stay (keep-until, and in a
 * sweep the experiment's age), their order, and the JSON lines printed.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "reap.h"

static int
item_order(const struct reap_item *it)
{
	return it->kind == RK_NKINDS ? 15 : reap_kind_order(it->kind);
}

static int
item_cmp(const void *a, const void *b)
{
	const struct reap_item *x = *(struct reap_item *const *)a;
	const struct reap_item *y = *(struct reap_item *const *)b;
	int d;

	if ((d = item_order(x) - item_order(y)) != 0)
		return d;
	if (x->kind != y->kind)
		return (int)x->kind - (int)y->kind;
	return strcmp(x->id, y->id);
}

void
reap_plan_order(struct reap_list *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), item_cmp);
}

/*
 * When an item was made: its plc:created-at tag (the lifecycle's own
 * record, the only date of VPCs and subnets), else the API's date.
 */
static time_t
item_time(const struct reap_item *it)
{
	time_t t = reap_parse_time(reap_str(it->tags, REAP_CREATED_KEY));

	return t != 0 ? t : it->created;
}

/*
 * Marks each candidate delete or keep. A keep-until in the future (or one
 * that cannot be read) keeps a resource. In a sweep an experiment goes
 * only when its newest dated resource is older than the limit: resources
 * without a date (VPCs, subnets...) do not make a running experiment look
 * old, and an experiment with no date at all is kept.
 */
void
reap_plan_mark(struct reap *r, struct reap_list *l)
{
	json_t *newest = json_object();
	size_t i;

	for (i = 0; i < l->n; i++) {
		struct reap_item *it = l->v[i];
		json_t *cur;
		time_t t;

		if (r->older_than_s == 0 || it->found != RF_TAGS ||
		    it->experiment_id == NULL)
			continue;
		t = item_time(it);
		cur = json_object_get(newest, it->experiment_id);
		if (cur == NULL || t > (time_t)json_integer_value(cur))
			json_object_set_new(newest, it->experiment_id,
			    json_integer(t));
	}
	for (i = 0; i < l->n; i++) {
		struct reap_item *it = l->v[i];
		const char *keep = reap_str(it->tags, REAP_KEEP_KEY);
		time_t until, t;

		if (it->kind == RK_NKINDS)
			continue;
		it->action = RA_DELETE;
		it->reason = NULL;
		if (r->older_than_s > 0) {
			t = it->experiment_id == NULL ? 0 : (time_t)
			    json_integer_value(json_object_get(newest,
			    it->experiment_id));
			if (t == 0) {
				it->action = RA_KEEP;
				it->reason = "age unknown";
			} else if (r->now - t < r->older_than_s) {
				it->action = RA_KEEP;
				it->reason = "younger";
			}
		}
		if (keep != NULL) {
			until = reap_parse_time(keep);
			if (until == 0) {
				it->action = RA_KEEP;
				it->reason = "keep-until unreadable";
			} else if (until > r->now) {
				it->action = RA_KEEP;
				it->reason = "keep-until";
			}
		}
	}
	json_decref(newest);
}

size_t
reap_count_pending(const struct reap_list *l)
{
	size_t n = 0;

	for (size_t i = 0; i < l->n; i++)
		if (l->v[i]->action == RA_DELETE)
			n++;
	return n;
}

static void
emit(json_t *o)
{
	if (json_dumpf(o, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER) != 0 ||
	    putchar('\n') == EOF || fflush(stdout) == EOF)
		err(1, "stdout");
	json_decref(o);
}

static const char *
item_type(const struct reap_item *it)
{
	return it->kind == RK_NKINDS ? reap_str(it->info, "type") :
	    reap_kind_name(it->kind);
}

static json_t *
item_json(struct reap *r, const struct reap_item *it, const char *record)
{
	return json_pack("{s:s,s:s,s:s?,s:s,s:i,s:s,s:s,s:s}", "schema",
	    REAP_SCHEMA, "record", record, "experiment_id", it->experiment_id,
	    "region", r->region, "order", item_order(it), "type",
	    item_type(it), "id", it->id, "arn", it->arn);
}

static const char *const found[] = {
	[RF_TAGS] = "tags", [RF_INSIDE] = "inside", [RF_NAME] = "name",
};

void
reap_print_plan(struct reap *r, const struct reap_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct reap_item *it = l->v[i];
		json_t *o = item_json(r, it, "plan");

		json_object_set(o, "tags", it->tags);
		json_object_set_new(o, "found", json_string(found[it->found]));
		json_object_set_new(o, "action", json_string(
		    it->action == RA_DELETE ? "delete" : "keep"));
		if (it->reason != NULL)
			json_object_set_new(o, "reason",
			    json_string(it->reason));
		emit(o);
	}
}

static const char *const outcomes[] = {
	[RO_PENDING] = "pending", [RO_DONE] = "deleted", [RO_GONE] = "gone",
	[RO_RETRY] = "retry", [RO_FAILED] = "failed",
};

void
reap_print_item(struct reap *r, const struct reap_item *it,
    const char *record, const char *action, int pass)
{
	json_t *o = item_json(r, it, record);

	if (action != NULL) {
		json_object_set_new(o, "action", json_string(action));
		json_object_set_new(o, "outcome",
		    json_string(outcomes[it->outcome]));
	}
	if (pass > 0)
		json_object_set_new(o, "pass", json_integer(pass));
	if (it->err_code != NULL)
		json_object_set_new(o, "error", json_pack("{s:s,s:s}", "code",
		    it->err_code, "message", it->err_msg ? it->err_msg : ""));
	emit(o);
}

void
reap_print_summary(struct reap *r, const struct reap_list *l, int passes,
    size_t deleted, int status)
{
	size_t kept = 0, pending = reap_count_pending(l);
	json_t *o;

	for (size_t i = 0; i < l->n; i++)
		if (l->v[i]->action == RA_KEEP)
			kept++;
	o = json_pack("{s:s,s:s,s:s?,s:s,s:b}", "schema", REAP_SCHEMA,
	    "record", "summary", "experiment_id", r->experiment_id, "region",
	    r->region, "execute", r->execute);
	if (r->older_than_s > 0)
		json_object_set_new(o, "older_than_s",
		    json_integer(r->older_than_s));
	if (r->execute) {
		json_object_set_new(o, "deleted", json_integer((json_int_t)
		    deleted));
		json_object_set_new(o, "remaining", json_integer((json_int_t)
		    pending));
		json_object_set_new(o, "passes", json_integer(passes));
	} else
		json_object_set_new(o, "to_delete", json_integer((json_int_t)
		    pending));
	json_object_set_new(o, "kept", json_integer((json_int_t)kept));
	json_object_set_new(o, "api_calls", json_integer((json_int_t)
	    aws_client_stats(r->client)->requests));
	json_object_set_new(o, "status", json_integer(status));
	emit(o);
}
