/*
 * S3: a bucket found by the tagging API is confirmed by its own tags, and
 * deleted after every object version and delete marker, 1000 at a time.
 */
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "buf.h"
#include "reap.h"

static int
tags_page(struct reap *r, json_t *body, void *arg)
{
	json_t **tags = arg;
	json_t *set, *t;

	if ((t = reap_want(r, body, "Tagging")) == NULL)
		return AWS_ERR_SYSTEM;
	set = json_object_get(t, "TagSet");
	*tags = reap_tags_object(r, json_object_get(set, "Tag"), "Key",
	    "Value");
	return *tags != NULL ? 0 : AWS_ERR_SYSTEM;
}

/*
 * A bucket by its own tags: a candidate when they are the experiment's,
 * or, by_name, when it has none and is named as Terraform names the
 * experiment's. Gone, or without tags, it is not one; so is, by_name, a
 * bucket any other error keeps from view (another region's).
 */
static int
bucket_by_tags(struct reap *r, struct reap_list *l, const char *name,
    int by_name)
{
	json_t *req, *tags = NULL, *error = NULL;
	struct reap_item *it = NULL;
	struct buf arn = { 0 };
	int rc;

	req = json_pack("{s:s,s:s,s:s}", "service", "s3", "bucket", name,
	    "query", "tagging");
	rc = reap_call(r, req, 0, tags_page, &tags, &error);
	if (rc == AWS_ERR_AWS) {
		const char *code = reap_str(error, "code");

		if (code && strcmp(code, "NoSuchTagSet") == 0)
			tags = json_object();
		if (tags != NULL || by_name || reap_error_is_gone(code))
			rc = 0;
	}
	json_decref(error);
	if (rc == 0 && tags != NULL) {
		buf_addf(&arn, "arn:aws:s3:::%s", name);
		if (reap_list_match(r, tags))
			it = reap_item_new(RK_BUCKET, name, arn.data, tags);
		else if (by_name)
			it = reap_item_adopt(r, RK_BUCKET, name, arn.data, tags,
			    name);
		if (it != NULL)
			reap_list_add(l, it);
		buf_free(&arn);
	}
	json_decref(tags);
	return rc;
}

int
reap_confirm_bucket(struct reap *r, struct reap_list *l, const char *name)
{
	return bucket_by_tags(r, l, name, 0);
}

/*
 * The experiment's bucket by the name Terraform gives it, unless a bucket
 * was found by the experiment's tags (then the create got past tagging):
 * S3 tags a bucket in a call after the one that creates it, so a create
 * cut short leaves it untagged. Looked for in the first discovery, and
 * again only to confirm one adopted, so that a plain run costs no call.
 */
int
reap_adopt_bucket(struct reap *r, struct reap_list *l)
{
	struct buf name = { 0 };
	int rc;

	if (r->experiment_id == NULL || !r->bucket_by_name ||
	    strcmp(r->account, "unknown") == 0)
		return 0;
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i]->kind == RK_BUCKET && l->v[i]->found == RF_TAGS)
			return 0;
	buf_addf(&name, PLC_BUCKET_NAME, r->account, r->experiment_id);
	rc = bucket_by_tags(r, l, name.data, 1);
	buf_free(&name);
	return rc;
}

static void
xml_escaped(struct buf *b, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '&': buf_adds(b, "&amp;"); break;
		case '<': buf_adds(b, "&lt;"); break;
		case '>': buf_adds(b, "&gt;"); break;
		case '"': buf_adds(b, "&quot;"); break;
		case '\'': buf_adds(b, "&apos;"); break;
		default: buf_addc(b, *s);
		}
}

struct versions {
	struct buf	 body;		/* the Delete document */
	size_t		 n;
	int		 truncated;	/* more than this page */
};

static int
add_entries(struct reap *r, struct versions *v, json_t *list,
    const char *name)
{
	json_t *a = reap_list_in(r, list, name), *e;
	size_t i;

	if (a == NULL)
		return AWS_ERR_SYSTEM;
	json_array_foreach(a, i, e) {
		const char *key = reap_str(e, "Key"), *vid = reap_str(e,
		    "VersionId");

		if (key == NULL)
			continue;
		buf_adds(&v->body, "<Object><Key>");
		xml_escaped(&v->body, key);
		buf_adds(&v->body, "</Key>");
		if (vid != NULL && *vid != '\0') {
			buf_adds(&v->body, "<VersionId>");
			xml_escaped(&v->body, vid);
			buf_adds(&v->body, "</VersionId>");
		}
		buf_adds(&v->body, "</Object>");
		v->n++;
	}
	json_decref(a);
	return 0;
}

static int
versions_page(struct reap *r, json_t *body, void *arg)
{
	struct versions *v = arg;
	json_t *res;

	if ((res = reap_want(r, body, "ListVersionsResult")) == NULL)
		return AWS_ERR_SYSTEM;
	if (add_entries(r, v, json_object_get(res, "Version"), "Version") != 0 ||
	    add_entries(r, v, json_object_get(res, "DeleteMarker"),
	    "DeleteMarker") != 0)
		return AWS_ERR_SYSTEM;
	v->truncated = reap_str(res, "IsTruncated") == NULL ||
	    strcmp(reap_str(res, "IsTruncated"), "false") != 0;
	return 0;
}

static char *
content_md5(const struct buf *b)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	char *out = xmalloc(4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1);

	EVP_Digest(b->data, b->len, md, &n, EVP_md5(), NULL);
	EVP_EncodeBlock((unsigned char *)out, md, (int)n);
	return out;
}

/* The answer of DeleteObjects lists per-key errors with a 200 status. */
static int
deleted_page(struct reap *r, json_t *body, void *arg)
{
	json_t *res, *errs;
	json_t **error = arg;

	if ((res = reap_want(r, body, "DeleteResult")) == NULL)
		return AWS_ERR_SYSTEM;
	if ((errs = reap_list_in(r, json_object_get(res, "Error"), "Error")) ==
	    NULL)
		return AWS_ERR_SYSTEM;
	if (json_array_size(errs) > 0 && *error == NULL) {
		json_t *e = json_array_get(errs, 0);

		*error = json_pack("{s:s,s:s}", "code", reap_str(e, "Code") ?
		    reap_str(e, "Code") : "DeleteObjects", "message",
		    reap_str(e, "Message") ? reap_str(e, "Message") : "");
	}
	json_decref(errs);
	return 0;
}

int
reap_delete_bucket(struct reap *r, struct reap_item *it, json_t **error)
{
	json_t *req, *q;
	int rc;

	/*
	 * Deleted versions are not listed again, so the first page is read
	 * anew after each batch instead of following the markers; a page that
	 * was the last one and went without an error leaves nothing to read.
	 */
	for (;;) {
		struct versions v = { { 0 }, 0, 1 };
		char *md5;

		if (time(NULL) >= r->deadline) {
			*error = json_pack("{s:s,s:s}", "code", "WaitTimeout",
			    "message", "versions left at the time limit");
			return AWS_ERR_AWS;
		}
		buf_adds(&v.body, "<Delete><Quiet>true</Quiet>");
		q = json_pack("{s:s,s:s}", "versions", "", "max-keys", "1000");
		req = json_pack("{s:s,s:s,s:o}", "service", "s3", "bucket",
		    it->id, "query", q);
		rc = reap_call(r, req, 0, versions_page, &v, error);
		if (rc == 0 && v.n > 0) {
			buf_adds(&v.body, "</Delete>");
			md5 = content_md5(&v.body);
			req = json_pack("{s:s,s:s,s:s,s:s,s:s,s:{s:s}}",
			    "service", "s3", "method", "POST", "bucket", it->id,
			    "query", "delete", "body", v.body.data, "headers",
			    "Content-MD5", md5);
			free(md5);
			rc = reap_call(r, req, 0, deleted_page, error, error);
			if (rc == 0 && *error != NULL)
				rc = AWS_ERR_AWS;
		}
		buf_free(&v.body);
		if (rc != 0 || v.n == 0 || !v.truncated)
			break;
	}
	if (rc != 0)
		return rc;
	req = json_pack("{s:s,s:s,s:s}", "service", "s3", "method", "DELETE",
	    "bucket", it->id);
	return reap_call(r, req, 0, NULL, NULL, error);
}
