/*
 * The AWS calls of plc-reap and the reading of their answers: error codes
 * that mean "gone" or "busy", XML-converted lists, tags and times.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "awsanswer.h"
#include "buf.h"
#include "reap.h"
#include "rfc3339.h"

struct call_ctx {
	struct reap	*r;
	int		(*fn)(struct reap *, json_t *, void *);
	void		*arg;
	json_t		*error;
	char		 root[96];	/* the Query answer's root: ...Response */
};

static int
on_page(void *arg, json_t *resp)
{
	struct call_ctx *c = arg;
	json_t *e = json_object_get(resp, "error");
	long status = (long)json_integer_value(json_object_get(resp, "status"));
	json_t *body;

	if (status < 200 || status >= 300) {
		const char *code = reap_str(e, "code");

		if (code == NULL || *code == '\0') {
			char c[32];

			snprintf(c, sizeof(c), "HTTP%ld", status);
			e = json_pack("{s:s,s:s}", "code", c, "message",
			    "an answer without an error code");
		} else
			json_incref(e);
		json_decref(c->error);
		c->error = e;
		return 0;
	}
	if (c->fn == NULL)
		return 0;
	/*
	 * An answer that is not the document asked for (a proxy's page, a
	 * cut-off body) would read as an empty list: "nothing there" when
	 * nothing was seen.
	 */
	body = json_object_get(resp, "body");
	if (!json_is_object(body))
		return reap_unreadable(c->r, c->root[0] != '\0' ? c->root :
		    "document");
	if (c->root[0] != '\0' && reap_want(c->r, body, c->root) == NULL)
		return AWS_ERR_SYSTEM;
	return c->fn(c->r, body, c->arg);
}

/*
 * Sends req (adding the region) and calls fn with the body of each 2xx
 * page. Returns 0, or AWS_ERR_AWS with *error set to {"code","message"}
 * when error is not NULL, or AWS_ERR_SYSTEM with r->err set. A non-zero
 * return of fn is passed through.
 */
int
reap_call(struct reap *r, json_t *req, int paginate,
    int (*fn)(struct reap *, json_t *, void *), void *arg, json_t **error)
{
	struct call_ctx c = { r, fn, arg, NULL, "" };
	const char *svc = reap_str(req, "service"), *action = reap_str(req,
	    "action"), *target = reap_str(req, "target");
	int rc;

	if (svc != NULL && action != NULL && (strcmp(svc, "ec2") == 0 ||
	    strcmp(svc, "iam") == 0 || strcmp(svc, "sts") == 0))
		snprintf(c.root, sizeof(c.root), "%.80sResponse", action);
	if (action == NULL && target != NULL)	/* JSON protocol: Service.Action */
		action = strrchr(target, '.') ? strrchr(target, '.') + 1 : target;
	snprintf(r->call, sizeof(r->call), "%.20s %.80s", svc ? svc : "?",
	    action ? action : "?");
	if (json_object_get(req, "region") == NULL)
		json_object_set_new(req, "region", json_string(r->region));
	r->err[0] = '\0';
	rc = aws_client_send(r->client, req, paginate, on_page, &c, r->err,
	    sizeof(r->err));
	json_decref(req);
	if (rc == AWS_ERR_AWS && c.error == NULL)
		rc = AWS_ERR_SYSTEM;
	if (rc == AWS_ERR_AWS) {
		const char *code = reap_str(c.error, "code");
		const char *msg = reap_str(c.error, "message");

		snprintf(r->err, sizeof(r->err), "%s: %s", code ? code : "?",
		    msg ? msg : "");
		if (error != NULL) {
			*error = c.error;
			c.error = NULL;
		}
	}
	json_decref(c.error);
	return rc;
}

/* An answer without the document asked for: never read as empty. */
int
reap_unreadable(struct reap *r, const char *what)
{
	snprintf(r->err, sizeof(r->err), "unreadable answer: no \"%s\" in it",
	    what);
	return AWS_ERR_SYSTEM;
}

/* body's member key, or NULL with r->err set when it is not an object. */
json_t *
reap_want(struct reap *r, json_t *body, const char *key)
{
	json_t *v = json_object_get(body, key);

	if (!json_is_object(v) && !json_is_array(v)) {
		reap_unreadable(r, key);
		return NULL;
	}
	return v;
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

int
reap_error_is_gone(const char *code)
{
	if (code == NULL)
		return 0;
	return ends_with(code, "NotFound") || ends_with(code, ".Unknown") ||
	    strcmp(code, "NoSuchEntity") == 0 ||
	    strcmp(code, "NoSuchBucket") == 0 ||
	    strcmp(code, "NatGatewayNotFound") == 0 ||
	    strcmp(code, "InvalidAllocationID.NotFound") == 0;
}

int
reap_error_is_busy(const char *code)
{
	if (code == NULL)
		return 0;
	return strcmp(code, "DependencyViolation") == 0 ||
	    ends_with(code, "InUse") || strcmp(code, "DeleteConflict") == 0 ||
	    strcmp(code, "BucketNotEmpty") == 0 ||
	    strcmp(code, "IncorrectState") == 0 ||
	    strcmp(code, "IncorrectInstanceState") == 0 ||
	    strcmp(code, "InvalidState") == 0 ||
	    strcmp(code, "OperationAborted") == 0;
}

/*
 * The list v of an answer, read as every tool reads them (awsanswer.h), or
 * NULL with r->err naming the call and the list when v is not one (text
 * where a list belongs): an answer that cannot be read is an error, never
 * "nothing there".
 */
json_t *
reap_list_in(struct reap *r, json_t *v, const char *name)
{
	json_t *a = awsanswer_list(v);

	if (a == NULL)
		snprintf(r->err, sizeof(r->err), "%s: unreadable answer: "
		    "\"%s\" is not a list", r->call, name);
	return a;
}

/*
 * Whether every *Set member of an EC2 entry, at any depth, reads as a
 * list; r->err names the first that does not. What discovery keeps is
 * read again when deleting (reap_array), so it is checked once, here.
 */
int
reap_sets_readable(struct reap *r, json_t *e)
{
	const char *k;
	json_t *v, *a;
	size_t n, i;

	json_object_foreach(e, k, v) {
		if ((n = strlen(k)) > 3 && strcmp(k + n - 3, "Set") == 0) {
			if ((a = reap_list_in(r, v, k)) == NULL)
				return AWS_ERR_SYSTEM;
			json_decref(a);
		}
		if (json_is_object(v) && reap_sets_readable(r, v) != 0)
			return AWS_ERR_SYSTEM;
		json_array_foreach(v, i, a)
			if (reap_sets_readable(r, a) != 0)
				return AWS_ERR_SYSTEM;
	}
	return 0;
}

/* A list of an entry discovery kept, already checked: [] when absent. */
json_t *
reap_array(json_t *v)
{
	json_t *a = awsanswer_list(v);

	return a != NULL ? a : json_array();
}

const char *
reap_str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/*
 * [{"key":K,"value":V}] (any spelling of the keys) as {"K":"V"}, or NULL
 * with r->err set when list is not a list.
 */
json_t *
reap_tags_object(struct reap *r, json_t *list, const char *k, const char *v)
{
	json_t *tags, *a = reap_list_in(r, list, "tags"), *t;
	size_t i;

	if (a == NULL)
		return NULL;
	tags = json_object();
	json_array_foreach(a, i, t) {
		const char *key = reap_str(t, k), *val = reap_str(t, v);

		if (key != NULL)
			json_object_set_new(tags, key, json_string(val ? val : ""));
	}
	json_decref(a);
	return tags;
}

/* RFC 3339 UTC or with an offset; 0 when not a time. */
time_t
reap_parse_time(const char *s)
{
	time_t t;

	return rfc3339_parse(s, &t) == 0 ? t : 0;
}

json_t *
reap_ec2(const char *action)
{
	return json_pack("{s:s,s:s,s:{}}", "service", "ec2", "action", action,
	    "params");
}

json_t *
reap_iam(const char *action)
{
	return json_pack("{s:s,s:s,s:{}}", "service", "iam", "action", action,
	    "params");
}

/* req with the parameters k1=v1 and, unless k2 is NULL, k2=v2. */
json_t *
reap_req(json_t *req, const char *k1, const char *v1, const char *k2,
    const char *v2)
{
	json_t *p = json_object_get(req, "params");

	json_object_set_new(p, k1, json_string(v1));
	if (k2 != NULL)
		json_object_set_new(p, k2, json_string(v2));
	return req;
}
