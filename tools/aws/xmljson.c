/*
 * XML answers of AWS as JSON, by the rule in xmljson.h.
 *
 * expat streams the document; we keep one frame per open element.  A frame
 * builds its value only when its first child ends, so leaves cost nothing but
 * their text.  Text matters only for the innermost open element: once an
 * element has a child its text is dropped (children win), so a single text
 * buffer serves the whole parse.  Nothing here recurses, and the depth is
 * bounded, so hostile nesting can neither overflow the stack nor make
 * jansson's recursive free and dump go deep.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <expat.h>
#include <jansson.h>

#include "buf.h"
#include "xmljson.h"

enum shape {
	SHAPE_NONE,	/* no child element yet */
	SHAPE_LIST,	/* children so far: all <item>, or all <member> */
	SHAPE_OBJECT
};

struct frame {
	enum shape	 shape;
	json_t		*val;		/* array, object; NULL if SHAPE_NONE */
	const char	*list_name;	/* "item" or "member" if SHAPE_LIST */
	json_t		*repeated;	/* keys whose array is a repetition */
};

struct conv {
	XML_Parser	 parser;
	struct frame	 stack[XMLJSON_MAX_DEPTH];
	int		 depth;
	struct buf	 text;		/* text of the innermost open element */
	json_t		*root;
	char		*err;
	size_t		 errlen;
	int		 failed;
};

static const char *
local_name(const char *name)
{
	const char *colon = strrchr(name, ':');

	return colon != NULL ? colon + 1 : name;
}

static int
ends_in_set(const char *name)
{
	size_t len = strlen(name);

	return len >= 3 && strcmp(name + len - 3, "Set") == 0;
}

static int
only_space(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			return 0;
	return 1;
}

/* Expat counts columns from 0; people and editors count from 1. */
static void
conv_fail(struct conv *c, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (c->failed)
		return;
	c->failed = 1;
	if (c->err != NULL && c->errlen > 0) {
		n = snprintf(c->err, c->errlen, "line %lu, column %lu: ",
		    (unsigned long)XML_GetCurrentLineNumber(c->parser),
		    (unsigned long)XML_GetCurrentColumnNumber(c->parser) + 1);
		if (n >= 0 && (size_t)n < c->errlen) {
			va_start(ap, fmt);
			vsnprintf(c->err + n, c->errlen - n, fmt, ap);
			va_end(ap);
		}
	}
}

/*
 * From a handler: record the reason and stop.  Expat may still deliver an
 * event or two after this (the end of an empty element whose start stopped
 * it), so every handler first checks c->failed.
 */
static void
conv_stop(struct conv *c, const char *reason)
{
	conv_fail(c, "%s", reason);
	XML_StopParser(c->parser, XML_FALSE);
}

static void
frame_free(struct frame *f)
{
	json_decref(f->val);
	json_decref(f->repeated);
	memset(f, 0, sizeof(*f));
}

/*
 * A list turned out to have a child of another name: it is an object after
 * all, holding its items under "item" (or "member") like any repeated name.
 */
static int
list_to_object(struct frame *f)
{
	json_t *obj, *items = f->val;
	int rc;

	if ((obj = json_object()) == NULL)
		return -1;
	if (json_array_size(items) == 1)
		rc = json_object_set(obj, f->list_name,
		    json_array_get(items, 0));
	else {
		rc = json_object_set(obj, f->list_name, items);
		if (rc == 0 && (f->repeated = json_object()) == NULL)
			rc = -1;
		if (rc == 0)
			rc = json_object_set_new(f->repeated, f->list_name,
			    json_true());
	}
	json_decref(items);
	f->val = obj;
	f->shape = SHAPE_OBJECT;
	return rc;
}

/*
 * S3 writes these lists as repeated elements without a wrapper: they are
 * always arrays, so that a listing of one object is not an object.
 */
static int
always_list(const char *name)
{
	static const char *const names[] = { "Contents", "CommonPrefixes",
	    "Version", "DeleteMarker", "Deleted", "Upload", "Part" };

	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (strcmp(name, names[i]) == 0)
			return 1;
	return 0;
}

/* Adds child value v (reference stolen) under name to frame f. */
static int
frame_add(struct frame *f, const char *name, json_t *v)
{
	json_t *old, *arr;

	if (f->shape == SHAPE_NONE) {
		if (strcmp(name, "item") == 0 || strcmp(name, "member") == 0) {
			f->shape = SHAPE_LIST;
			f->list_name = strcmp(name, "item") == 0 ?
			    "item" : "member";
			f->val = json_array();
		} else {
			f->shape = SHAPE_OBJECT;
			f->val = json_object();
		}
		if (f->val == NULL)
			goto fail;
	}
	if (f->shape == SHAPE_LIST) {
		if (strcmp(name, f->list_name) == 0)
			return json_array_append_new(f->val, v);
		if (list_to_object(f) == -1)
			goto fail;
	}

	if ((old = json_object_get(f->val, name)) == NULL && !always_list(name))
		return json_object_set_new(f->val, name, v);
	if (old != NULL && f->repeated != NULL &&
	    json_object_get(f->repeated, name) != NULL)
		return json_array_append_new(old, v);
	/* Second sighting: the array takes the first value's place in order. */
	if ((arr = json_array()) == NULL)
		goto fail;
	if (old != NULL && json_array_append(arr, old) == -1) {
		json_decref(arr);
		goto fail;
	}
	if (json_array_append_new(arr, v) == -1) {
		json_decref(arr);
		return -1;
	}
	if (f->repeated == NULL && (f->repeated = json_object()) == NULL) {
		json_decref(arr);
		return -1;
	}
	if (json_object_set_new(f->repeated, name, json_true()) == -1) {
		json_decref(arr);
		return -1;
	}
	return json_object_set_new(f->val, name, arr);
fail:
	json_decref(v);
	return -1;
}

static void XMLCALL
on_start(void *ud, const XML_Char *name, const XML_Char **attrs)
{
	struct conv *c = ud;

	(void)name;
	(void)attrs;
	if (c->failed)
		return;
	if (c->depth == XMLJSON_MAX_DEPTH) {
		conv_fail(c, "elements nested deeper than %d",
		    XMLJSON_MAX_DEPTH);
		XML_StopParser(c->parser, XML_FALSE);
		return;
	}
	/* The parent has a child now: whatever text it had is dropped. */
	buf_reset(&c->text);
	memset(&c->stack[c->depth], 0, sizeof(c->stack[c->depth]));
	c->depth++;
}

static void XMLCALL
on_text(void *ud, const XML_Char *s, int len)
{
	struct conv *c = ud;

	if (c->failed || c->depth == 0)
		return;
	if (c->stack[c->depth - 1].shape == SHAPE_NONE)
		buf_add(&c->text, s, (size_t)len);
}

static void XMLCALL
on_end(void *ud, const XML_Char *qname)
{
	struct conv *c = ud;
	struct frame *f;
	const char *name = local_name(qname);
	json_t *v;

	if (c->failed)
		return;
	f = &c->stack[c->depth - 1];
	if (f->shape != SHAPE_NONE) {
		v = f->val;
		f->val = NULL;
	} else if (ends_in_set(name) && only_space(c->text.data, c->text.len))
		v = json_array();
	else
		v = json_stringn(c->text.data != NULL ? c->text.data : "",
		    c->text.len);
	frame_free(f);
	c->depth--;
	buf_reset(&c->text);
	if (v == NULL) {
		conv_stop(c, "out of memory");
		return;
	}
	if (c->depth == 0) {
		if ((c->root = json_object()) == NULL) {
			json_decref(v);
			conv_stop(c, "out of memory");
		} else if (json_object_set_new(c->root, name, v) == -1)
			conv_stop(c, "out of memory");
		return;
	}
	if (frame_add(&c->stack[c->depth - 1], name, v) == -1)
		conv_stop(c, "out of memory");
}

/* No AWS answer carries a DTD; refusing one rules out entity expansion. */
static void XMLCALL
on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
    const XML_Char *pubid, int has_internal_subset)
{
	(void)name;
	(void)sysid;
	(void)pubid;
	(void)has_internal_subset;
	conv_stop(ud, "document type declarations are not accepted");
}

json_t *
xml_to_json(const char *xml, size_t len, char *err, size_t errlen)
{
	struct conv *c;
	json_t *res = NULL;
	size_t off = 0, n;
	int final;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	c = xcalloc(1, sizeof(*c));
	c->err = err;
	c->errlen = errlen;
	if ((c->parser = XML_ParserCreate(NULL)) == NULL) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "out of memory");
		free(c);
		return NULL;
	}
	XML_SetUserData(c->parser, c);
	XML_SetElementHandler(c->parser, on_start, on_end);
	XML_SetCharacterDataHandler(c->parser, on_text);
	XML_SetStartDoctypeDeclHandler(c->parser, on_doctype);

	/* XML_Parse takes an int length: feed larger documents in pieces. */
	do {
		n = len - off > INT_MAX / 2 ? INT_MAX / 2 : len - off;
		final = off + n == len;
		if (XML_Parse(c->parser, xml + off, (int)n, final) !=
		    XML_STATUS_OK) {
			if (!c->failed)
				conv_fail(c, "%s", XML_ErrorString(
				    XML_GetErrorCode(c->parser)));
			break;
		}
		off += n;
	} while (!final);

	if (!c->failed) {
		res = c->root;
		c->root = NULL;
	}
	while (c->depth > 0)
		frame_free(&c->stack[--c->depth]);
	json_decref(c->root);
	buf_free(&c->text);
	XML_ParserFree(c->parser);
	free(c);
	return res;
}
