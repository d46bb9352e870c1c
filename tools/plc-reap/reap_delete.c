/*
 * One deletion pass: each type in order, each candidate once. Busy items
 * (DependencyViolation, *.InUse) wait for the next pass; NotFound counts
 * as gone. Instances and NAT gateways are waited for, since what follows
 * them depends on their being gone.
 */
#include <err.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "reap.h"

/* TerminateInstances takes up to 1000 IDs */
#define TERMINATE_BATCH	1000

static void
set_outcome(struct reap *r, struct reap_item *it, int rc, json_t *error)
{
	const char *code = reap_str(error, "code");

	free(it->err_code);
	free(it->err_msg);
	it->err_code = it->err_msg = NULL;
	if (rc == 0) {
		it->outcome = RO_DONE;
		return;
	}
	if (rc == AWS_ERR_AWS && reap_error_is_gone(code)) {
		it->outcome = RO_GONE;
		return;
	}
	it->outcome = rc == AWS_ERR_AWS && reap_error_is_busy(code) ?
	    RO_RETRY : RO_FAILED;
	if (rc == AWS_ERR_AWS && code != NULL) {
		it->err_code = xstrdup(code);
		it->err_msg = xstrdup(reap_str(error, "message") ?
		    reap_str(error, "message") : "");
	} else {
		it->err_code = xstrdup("RequestFailed");
		it->err_msg = xstrdup(r->err);
	}
}

static int
ec2_do(struct reap *r, json_t *req, json_t **error)
{
	return reap_call(r, req, 0, NULL, NULL, error);
}

static json_t *
ec2_req(const char *action, const char *k1, const char *v1, const char *k2,
    const char *v2)
{
	return reap_req(reap_ec2(action), k1, v1, k2, v2);
}

/* Sleeps up to s seconds, never past the deadline. */
static void
nap(struct reap *r, unsigned s)
{
	time_t now = time(NULL);

	if (now + (time_t)s > r->deadline)
		s = r->deadline > now ? (unsigned)(r->deadline - now) : 0;
	if (s > 0)
		sleep(s);
}

/*
 * Polls until none of ids (of kind k) exists, or the deadline. Returns
 * those still there (the caller owns them), or NULL on a call failure.
 */
static json_t *
wait_gone(struct reap *r, enum reap_kind k, json_t *ids)
{
	json_t *left = json_incref(ids), *alive;
	unsigned delay = 1;

	while (json_array_size(left) > 0) {
		if (reap_ec2_alive(r, k, left, &alive) != 0) {
			json_decref(left);
			return NULL;
		}
		json_decref(left);
		left = alive;
		if (json_array_size(left) == 0 || time(NULL) >= r->deadline)
			break;
		nap(r, delay);
		if (delay < 8)
			delay *= 2;
	}
	return left;
}

static int
in_array(json_t *a, const char *s)
{
	json_t *v;
	size_t i;

	json_array_foreach(a, i, v)
		if (strcmp(json_string_value(v), s) == 0)
			return 1;
	return 0;
}

/* After the wait, an item still there waits for the next pass. */
static void
mark_waited(struct reap *r, struct reap_item **v, size_t n, json_t *left,
    const char *action, int pass, size_t *deleted)
{
	for (size_t i = 0; i < n; i++) {
		struct reap_item *it = v[i];

		if (it->outcome != RO_DONE)
			continue;
		if (left == NULL || in_array(left, it->id)) {
			it->outcome = RO_RETRY;
			it->err_code = xstrdup("WaitTimeout");
			it->err_msg = xstrdup(left == NULL ? r->err :
			    "still there at the end of the wait");
		} else
			(*deleted)++;
		reap_print_item(r, it, "action", action, pass);
	}
}

/*
 * Terminates instances in batches: protection is cleared on ours when a
 * batch is refused for it, and a batch naming a vanished instance is
 * redone one by one. Then waits until they are terminated.
 */
void
reap_terminate(struct reap *r, struct reap_item **v, size_t n, int pass,
    size_t *deleted)
{
	json_t *ids = json_array(), *left;

	for (size_t b = 0; b < n; b += TERMINATE_BATCH) {
		size_t e = b + TERMINATE_BATCH < n ? b + TERMINATE_BATCH : n;
		json_t *req, *batch = json_array(), *error = NULL;
		const char *code;
		int rc;

		for (size_t i = b; i < e; i++)
			json_array_append_new(batch, json_string(v[i]->id));
		req = reap_ec2("TerminateInstances");
		json_object_set(json_object_get(req, "params"), "InstanceId",
		    batch);
		rc = ec2_do(r, req, &error);
		code = reap_str(error, "code");
		if (rc == AWS_ERR_AWS && code != NULL &&
		    strcmp(code, "OperationNotPermitted") == 0) {
			for (size_t i = b; i < e; i++) {
				req = ec2_req("ModifyInstanceAttribute",
				    "InstanceId", v[i]->id, NULL, NULL);
				json_object_set_new(json_object_get(req,
				    "params"), "DisableApiTermination",
				    json_pack("{s:b}", "Value", 0));
				ec2_do(r, req, NULL);
			}
			json_decref(error);
			error = NULL;
			req = reap_ec2("TerminateInstances");
			json_object_set(json_object_get(req, "params"),
			    "InstanceId", batch);
			rc = ec2_do(r, req, &error);
			code = reap_str(error, "code");
		}
		if (rc == AWS_ERR_AWS && reap_error_is_gone(code) && e - b > 1) {
			for (size_t i = b; i < e; i++) {
				json_t *one = NULL;

				rc = ec2_do(r, ec2_req("TerminateInstances",
				    "InstanceId.1", v[i]->id, NULL, NULL),
				    &one);
				set_outcome(r, v[i], rc, one);
				json_decref(one);
			}
		} else
			for (size_t i = b; i < e; i++)
				set_outcome(r, v[i], rc, error);
		json_decref(error);
		json_decref(batch);
	}
	for (size_t i = 0; i < n; i++) {
		if (v[i]->outcome == RO_DONE)
			json_array_append_new(ids, json_string(v[i]->id));
		else
			reap_print_item(r, v[i], "action", "terminate", pass);
	}
	left = wait_gone(r, RK_INSTANCE, ids);
	mark_waited(r, v, n, left, "terminate", pass, deleted);
	json_decref(left);
	json_decref(ids);
}

/*
 * Rules of a group that name other groups: they tie groups together, so
 * every group's go before any group is deleted.
 */
void
reap_revoke_group_rules(struct reap *r, struct reap_item *it)
{
	static const char *const sets[2][2] = {
		{ "ipPermissions", "RevokeSecurityGroupIngress" },
		{ "ipPermissionsEgress", "RevokeSecurityGroupEgress" },
	};

	for (int s = 0; s < 2; s++) {
		json_t *perms = reap_array(json_object_get(it->info,
		    sets[s][0])), *p, *revoke = json_array();
		size_t i, j;

		json_array_foreach(perms, i, p) {
			json_t *groups = reap_array(json_object_get(p,
			    "groups")), *g, *perm, *gl = json_array();

			json_array_foreach(groups, j, g)
				if (reap_str(g, "groupId") != NULL)
					json_array_append_new(gl, json_pack(
					    "{s:s}", "GroupId",
					    reap_str(g, "groupId")));
			json_decref(groups);
			if (json_array_size(gl) == 0) {
				json_decref(gl);
				continue;
			}
			perm = json_pack("{s:s,s:o}", "IpProtocol",
			    reap_str(p, "ipProtocol") ? reap_str(p,
			    "ipProtocol") : "-1", "Groups", gl);
			if (reap_str(p, "fromPort") != NULL)
				json_object_set_new(perm, "FromPort",
				    json_integer(atol(reap_str(p, "fromPort"))));
			if (reap_str(p, "toPort") != NULL)
				json_object_set_new(perm, "ToPort",
				    json_integer(atol(reap_str(p, "toPort"))));
			json_array_append_new(revoke, perm);
		}
		json_decref(perms);
		if (json_array_size(revoke) > 0) {
			json_t *req = ec2_req(sets[s][1], "GroupId", it->id,
			    NULL, NULL);

			json_object_set(json_object_get(req, "params"),
			    "IpPermissions", revoke);
			ec2_do(r, req, NULL);
		}
		json_decref(revoke);
	}
}

/* The calls of t->unhook: what holds the item lets go of it. */
static void
unhook(struct reap *r, const struct reap_type *t, struct reap_item *it)
{
	const struct reap_unhook *u = &t->unhook;
	json_t *a, *e;
	const char *v;
	size_t i;

	if (u->action == NULL)
		return;
	a = u->list != NULL ? reap_array(json_object_get(it->info, u->list)) :
	    json_pack("[O]", it->info);
	json_array_foreach(a, i, e) {
		v = u->member != NULL ? reap_str(e, u->member) :
		    json_string_value(e);
		if (v != NULL)
			ec2_do(r, ec2_req(u->action, u->param, v, u->id_param,
			    it->id), NULL);
	}
	json_decref(a);
}

/* Deletes one item of a type without a batch call; its action's name. */
static const char *
delete_one(struct reap *r, struct reap_item *it, int *rc, json_t **error)
{
	const struct reap_type *t = &reap_types[it->kind];
	const char *by = t->delete_by ? reap_str(it->info, t->delete_by) :
	    it->id;

	if (t->delete_fn != NULL)
		*rc = t->delete_fn(r, it, error);
	else {
		unhook(r, t, it);
		*rc = ec2_do(r, ec2_req(t->delete, t->delete_param,
		    by ? by : "", NULL, NULL), error);
	}
	return t->verb ? t->verb : "delete";
}

/* The instance a volume or a network interface is attached to, or NULL. */
static const char *
attached_to(const struct reap_item *it)
{
	json_t *a;
	const char *id;

	if (it->kind == RK_NETWORK_INTERFACE)
		return reap_str(json_object_get(it->info, "attachment"),
		    "instanceId");
	if (it->kind != RK_VOLUME)
		return NULL;
	a = reap_array(json_object_get(it->info, "attachmentSet"));
	id = reap_str(json_array_get(a, 0), "instanceId");
	json_decref(a);
	return id;	/* held by it->info */
}

/*
 * Volumes and network interfaces attached to an instance this pass
 * terminated mostly went with it (root volumes and primary interfaces are
 * deleted on termination): one Describe call by ID for all of them, instead
 * of a delete call each that would answer NotFound. Those it does not list
 * are gone; the others are deleted as usual.
 */
static json_t *
went_with_instances(struct reap *r, struct reap_list *l,
    struct reap_item **v, size_t n, int pass)
{
	json_t *ids = json_array(), *alive = NULL, *gone = json_array();
	size_t i;

	for (i = 0; i < n; i++) {
		const char *inst = attached_to(v[i]);
		struct reap_item *it = inst ? reap_list_find(l, RK_INSTANCE,
		    inst) : NULL;

		if (it != NULL && it->outcome == RO_DONE)
			json_array_append_new(ids, json_string(v[i]->id));
	}
	if (json_array_size(ids) > 0 &&
	    reap_ec2_alive(r, v[0]->kind, ids, &alive) == 0)
		for (i = 0; i < n; i++)
			if (in_array(ids, v[i]->id) &&
			    !in_array(alive, v[i]->id)) {
				v[i]->outcome = RO_GONE;
				reap_print_item(r, v[i], "action", "delete",
				    pass);
				json_array_append_new(gone,
				    json_string(v[i]->id));
			}
	json_decref(alive);
	json_decref(ids);
	return gone;
}

/* The items of kind k to delete, in list order. */
static struct reap_item **
of_kind(struct reap_list *l, enum reap_kind k, size_t *n)
{
	struct reap_item **v = xcalloc(l->n + 1, sizeof(*v));

	*n = 0;
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i]->kind == k && l->v[i]->action == RA_DELETE)
			v[(*n)++] = l->v[i];
	return v;
}

/* Spot requests: one call cancels them all. */
void
reap_cancel_spot(struct reap *r, struct reap_item **v, size_t n, int pass,
    size_t *deleted)
{
	json_t *req = reap_ec2("CancelSpotInstanceRequests");
	json_t *error = NULL, *list = json_array();
	size_t i;
	int rc;

	for (i = 0; i < n; i++)
		json_array_append_new(list, json_string(v[i]->id));
	json_object_set_new(json_object_get(req, "params"),
	    "SpotInstanceRequestId", list);
	rc = ec2_do(r, req, &error);
	for (i = 0; i < n; i++) {
		set_outcome(r, v[i], rc, error);
		if (v[i]->outcome == RO_DONE)
			(*deleted)++;
		reap_print_item(r, v[i], "action", "cancel", pass);
	}
	json_decref(error);
}

int
reap_delete_pass(struct reap *r, struct reap_list *l, int pass,
    size_t *deleted)
{
	for (int k = 0; k < RK_NKINDS; k++) {
		const struct reap_type *t = &reap_types[k];
		size_t n, i;
		struct reap_item **v = of_kind(l, k, &n);
		json_t *ids, *gone = NULL;

		if (t->batch != NULL) {
			if (n > 0)
				t->batch(r, v, n, pass, deleted);
			free(v);
			continue;
		}
		for (i = 0; t->before_all != NULL && i < n; i++)
			t->before_all(r, v[i]);
		if ((t->flags & REAP_WITH_INSTANCE) && n > 0)
			gone = went_with_instances(r, l, v, n, pass);
		ids = json_array();
		for (i = 0; i < n; i++) {
			json_t *error = NULL;
			const char *action;
			int rc;

			if (gone != NULL && in_array(gone, v[i]->id))
				continue;	/* went with its instance */
			action = delete_one(r, v[i], &rc, &error);
			set_outcome(r, v[i], rc, error);
			json_decref(error);
			if ((t->flags & REAP_WAIT) && v[i]->outcome == RO_DONE) {
				json_array_append_new(ids,
				    json_string(v[i]->id));
				continue;
			}
			if (v[i]->outcome == RO_DONE)
				(*deleted)++;
			reap_print_item(r, v[i], "action", action, pass);
		}
		if (json_array_size(ids) > 0) {
			json_t *left = wait_gone(r, k, ids);

			mark_waited(r, v, n, left, "delete", pass, deleted);
			json_decref(left);
		}
		json_decref(ids);
		json_decref(gone);
		free(v);
	}
	return 0;
}

/* Carries the last error of each item over to the list described anew. */
static void
carry(struct reap_list *from, struct reap_list *to)
{
	for (size_t i = 0; i < to->n; i++)
		for (size_t j = 0; j < from->n; j++) {
			struct reap_item *a = to->v[i], *b = from->v[j];

			if (a->kind != b->kind || strcmp(a->id, b->id) != 0)
				continue;
			a->outcome = b->outcome;
			a->err_code = b->err_code;
			a->err_msg = b->err_msg;
			b->err_code = b->err_msg = NULL;
			break;
		}
}

/*
 * Passes until nothing is left, two passes leave as much as before, or the
 * time limit; each pass is confirmed by discovering everything anew. Prints
 * what remains and the summary; returns the exit status.
 */
int
reap_execute(struct reap *r, struct reap_list *l)
{
	size_t deleted = 0, before;
	int pass = 0, idle = 0;
	unsigned delay = 1;

	while ((before = reap_count_pending(l)) > 0) {
		struct reap_list next = { 0 };

		reap_delete_pass(r, l, ++pass, &deleted);
		r->now = time(NULL);
		if (reap_discover(r, &next) != 0) {
			reap_list_free(&next);
			warnx("%s", r->err);
			return 1;
		}
		carry(l, &next);
		reap_list_free(l);
		*l = next;
		idle = reap_count_pending(l) < before ? 0 : idle + 1;
		if (idle >= 2 || time(NULL) >= r->deadline ||
		    reap_count_pending(l) == 0)
			break;
		/* what is busy now is often free a moment later */
		sleep(delay);
		if (delay < 8)
			delay *= 2;
	}
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i]->action == RA_DELETE)
			reap_print_item(r, l->v[i], "remains", NULL, 0);
	reap_print_summary(r, l, pass, deleted, reap_count_pending(l) ?
	    REAP_EXIT_REMAINS : 0);
	return reap_count_pending(l) ? REAP_EXIT_REMAINS : 0;
}
