#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "buf.h"
#include "ydoc.h"

struct anchor {
	char		*name;
	struct ynode	*node;
};

struct loader {
	yaml_parser_t	 parser;
	struct ydoc	*doc;
	struct anchor	*anchors;
	size_t		 nanchors;
	char		*err;
	size_t		 errlen;
	int		 failed;
	int		 depth;
	size_t		 weight;	/* nodes so far, aliases expanded */
	const unsigned char *input;	/* for positions of reader errors */
	size_t		 input_len;
};

static struct ynode	*load_node(struct loader *, yaml_event_t *);

static void
load_error(struct loader *l, int line, int col, const char *msg,
    const char *arg)
{
	if (l->failed)
		return;
	l->failed = 1;
	if (arg != NULL && msg[strlen(msg) - 1] == ':')
		snprintf(l->err, l->errlen, "%s:%d:%d: %s %s", l->doc->file,
		    line, col, msg, arg);
	else if (arg != NULL)
		snprintf(l->err, l->errlen, "%s:%d:%d: %s \"%s\"", l->doc->file,
		    line, col, msg, arg);
	else
		snprintf(l->err, l->errlen, "%s:%d:%d: %s", l->doc->file, line,
		    col, msg);
}

static int
next_event(struct loader *l, yaml_event_t *ev)
{
	if (yaml_parser_parse(&l->parser, ev))
		return 1;
	/* libyaml's reader (NUL, bad UTF-8) gives an offset, not a mark. */
	if (l->parser.error == YAML_READER_ERROR) {
		int line = 1, col = 1;

		for (size_t i = 0; i < l->parser.problem_offset &&
		    i < l->input_len; i++) {
			if (l->input[i] == '\n') {
				line++;
				col = 1;
			} else if ((l->input[i] & 0xc0) != 0x80)
				col++;
		}
		load_error(l, line, col, "invalid YAML:",
		    l->parser.problem ? l->parser.problem : "unknown error");
		return 0;
	}
	load_error(l, (int)l->parser.problem_mark.line + 1,
	    (int)l->parser.problem_mark.column + 1,
	    "invalid YAML:", l->parser.problem ? l->parser.problem :
	    "unknown error");
	return 0;
}

static struct ynode *
node_new(struct loader *l, enum ykind kind, const yaml_mark_t *mark)
{
	struct ynode *n = xcalloc(1, sizeof(*n));

	n->kind = kind;
	n->file = l->doc->file;
	n->line = (int)mark->line + 1;
	n->col = (int)mark->column + 1;
	n->next_alloc = l->doc->nodes;
	l->doc->nodes = n;
	return n;
}

static void
anchor_add(struct loader *l, const yaml_char_t *name, struct ynode *n)
{
	if (name == NULL)
		return;
	l->anchors = xrealloc(l->anchors, (l->nanchors + 1) *
	    sizeof(*l->anchors));
	l->anchors[l->nanchors].name = xstrdup((const char *)name);
	l->anchors[l->nanchors].node = n;
	l->nanchors++;
}

static struct ynode *
anchor_find(struct loader *l, const char *name)
{
	size_t i;

	/* The latest definition wins, as YAML allows redefining an anchor. */
	for (i = l->nanchors; i > 0; i--)
		if (strcmp(l->anchors[i - 1].name, name) == 0)
			return l->anchors[i - 1].node;
	return NULL;
}

/* The keys of one mapping, by hash: a duplicate check in constant time. */
struct keyset {
	const char	**slot;
	size_t		 cap;
};

static size_t
key_hash(const char *s)
{
	size_t h = 14695981039346656037u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

/* Adds key; 0 when it was already there. */
static int
keyset_add(struct keyset *ks, const char *key)
{
	size_t i = key_hash(key) & (ks->cap - 1);

	while (ks->slot[i] != NULL) {
		if (strcmp(ks->slot[i], key) == 0)
			return 0;
		i = (i + 1) & (ks->cap - 1);
	}
	ks->slot[i] = key;
	return 1;
}

static int
is_merge_key(const struct ynode *k)
{
	return k->kind == Y_SCALAR && k->plain && strcmp(k->str, "<<") == 0;
}

static void
merge_from(struct ynode *m, struct keyset *ks, const struct ynode *src)
{
	size_t i;

	for (i = 0; i < src->npairs; i++) {
		if (!keyset_add(ks, src->pairs[i].key->str))
			continue;
		m->pairs[m->npairs++] = src->pairs[i];
	}
}

/*
 * Explicit keys win over merged ones wherever they appear, and earlier
 * sources in a merge sequence win over later ones (YAML merge key spec).
 */
static void
resolve_merges(struct loader *l, struct ynode *m, struct ypair *raw,
    size_t nraw)
{
	struct keyset ks = { NULL, 16 };
	size_t i, j, total = nraw;

	for (i = 0; i < nraw; i++) {
		struct ynode *v = raw[i].val;

		if (!is_merge_key(raw[i].key))
			continue;
		if (v->kind == Y_MAP)
			total += v->npairs;
		else if (v->kind == Y_SEQ)
			for (j = 0; j < v->nitems; j++)
				total += v->items[j]->npairs;
	}
	if (total > YDOC_MAX_KEYS) {
		load_error(l, m->line, m->col, "mapping has more keys than "
		    "the limit of 10000", NULL);
		return;
	}
	while (ks.cap < 2 * total)
		ks.cap *= 2;
	ks.slot = xcalloc(ks.cap, sizeof(*ks.slot));
	m->pairs = xcalloc(total + 1, sizeof(*m->pairs));
	for (i = 0; i < nraw; i++) {
		if (is_merge_key(raw[i].key))
			continue;
		if (!keyset_add(&ks, raw[i].key->str)) {
			load_error(l, raw[i].key->line, raw[i].key->col,
			    "duplicate key", raw[i].key->str);
			goto done;
		}
		m->pairs[m->npairs++] = raw[i];
	}
	for (i = 0; i < nraw; i++) {
		struct ynode *v = raw[i].val;

		if (!is_merge_key(raw[i].key))
			continue;
		if (v->kind == Y_MAP) {
			merge_from(m, &ks, v);
			continue;
		}
		if (v->kind == Y_SEQ) {
			for (j = 0; j < v->nitems; j++) {
				if (v->items[j]->kind != Y_MAP) {
					load_error(l, v->items[j]->line,
					    v->items[j]->col, "merge key: "
					    "expected a mapping", NULL);
					goto done;
				}
				merge_from(m, &ks, v->items[j]);
			}
			continue;
		}
		load_error(l, v->line, v->col,
		    "merge key: expected a mapping or a sequence of mappings",
		    NULL);
		goto done;
	}
done:
	free(ks.slot);
}

static struct ynode *
load_mapping(struct loader *l, yaml_event_t *start)
{
	struct ynode *m = node_new(l, Y_MAP, &start->start_mark);
	struct ypair *raw = NULL;
	size_t nraw = 0, cap = 0;
	yaml_event_t ev;

	for (;;) {
		struct ynode *k, *v;

		if (!next_event(l, &ev))
			break;
		if (ev.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&ev);
			if (nraw > YDOC_MAX_KEYS)
				load_error(l, m->line, m->col, "mapping has "
				    "more keys than the limit of 10000", NULL);
			else
				resolve_merges(l, m, raw, nraw);
			/* Only now: an alias inside cannot make a cycle. */
			anchor_add(l, start->data.mapping_start.anchor, m);
			break;
		}
		k = load_node(l, &ev);
		if (k == NULL)
			break;
		if (k->kind != Y_SCALAR) {
			load_error(l, k->line, k->col,
			    "expected a scalar mapping key", NULL);
			break;
		}
		if (!next_event(l, &ev))
			break;
		v = load_node(l, &ev);
		if (v == NULL)
			break;
		if (nraw == cap) {
			cap = cap ? 2 * cap : 8;
			raw = xrealloc(raw, cap * sizeof(*raw));
		}
		raw[nraw].key = k;
		raw[nraw].val = v;
		nraw++;
	}
	free(raw);
	return l->failed ? NULL : m;
}

static struct ynode *
load_sequence(struct loader *l, yaml_event_t *start)
{
	struct ynode *s = node_new(l, Y_SEQ, &start->start_mark);
	size_t cap = 0;
	yaml_event_t ev;

	for (;;) {
		struct ynode *it;

		if (!next_event(l, &ev))
			return NULL;
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			anchor_add(l, start->data.sequence_start.anchor, s);
			return s;
		}
		if ((it = load_node(l, &ev)) == NULL)
			return NULL;
		if (s->nitems == cap) {
			cap = cap ? 2 * cap : 8;
			s->items = xrealloc(s->items, cap * sizeof(*s->items));
		}
		s->items[s->nitems++] = it;
	}
}

/*
 * Counts n's weight against the limit: an alias weighs what it stands for,
 * so a "billion laughs" is refused at its first level over the limit.
 */
static void
node_weigh(struct loader *l, struct ynode *n, const yaml_mark_t *mark)
{
	size_t w = n->kind == Y_SCALAR ? 1 : n->weight;

	if (w > YDOC_MAX_NODES || (l->weight += w) > YDOC_MAX_NODES)
		load_error(l, (int)mark->line + 1, (int)mark->column + 1,
		    "more nodes than the limit of 100000 (aliases expanded)",
		    NULL);
}

/* A collection's weight: itself and what is in it. */
static void
collection_weigh(struct ynode *n)
{
	size_t w = 1, i;

	for (i = 0; i < n->npairs; i++)
		w += n->pairs[i].key->weight + n->pairs[i].val->weight;
	for (i = 0; i < n->nitems; i++)
		w += n->items[i]->weight;
	n->weight = w;
}

/* Consumes ev. */
static struct ynode *
load_node(struct loader *l, yaml_event_t *ev)
{
	struct ynode *n = NULL;
	yaml_mark_t mark = ev->start_mark;

	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		n = node_new(l, Y_SCALAR, &ev->start_mark);
		n->weight = 1;
		n->str = xstrndup((const char *)ev->data.scalar.value,
		    ev->data.scalar.length);
		if (strlen(n->str) != ev->data.scalar.length)
			load_error(l, n->line, n->col,
			    "NUL byte in scalar", NULL);
		n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		anchor_add(l, ev->data.scalar.anchor, n);
		break;
	case YAML_ALIAS_EVENT:
		n = anchor_find(l, (const char *)ev->data.alias.anchor);
		if (n == NULL)
			load_error(l, (int)ev->start_mark.line + 1,
			    (int)ev->start_mark.column + 1, "unknown anchor",
			    (const char *)ev->data.alias.anchor);
		else
			node_weigh(l, n, &mark);
		break;
	case YAML_MAPPING_START_EVENT:
	case YAML_SEQUENCE_START_EVENT:
		/* The loader recurses: deep nesting would end the stack. */
		if (++l->depth > YDOC_MAX_DEPTH) {
			load_error(l, (int)mark.line + 1, (int)mark.column + 1,
			    "nested deeper than the limit of 64", NULL);
			break;
		}
		n = ev->type == YAML_MAPPING_START_EVENT ? load_mapping(l, ev) :
		    load_sequence(l, ev);
		l->depth--;
		if (n != NULL) {
			collection_weigh(n);
			if (n->weight > YDOC_MAX_NODES)
				load_error(l, n->line, n->col, "more nodes "
				    "than the limit of 100000 (aliases "
				    "expanded)", NULL);
		}
		break;
	default:
		load_error(l, (int)ev->start_mark.line + 1,
		    (int)ev->start_mark.column + 1, "unexpected YAML event",
		    NULL);
		break;
	}
	yaml_event_delete(ev);
	return l->failed ? NULL : n;
}

struct ydoc *
ydoc_load(const char *path, char *errbuf, size_t errlen)
{
	struct ydoc *d;
	unsigned char *data;
	size_t len = 0, n;
	FILE *fp;

	if ((fp = fopen(path, "rb")) == NULL) {
		snprintf(errbuf, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	/* One byte past the limit tells a file at the limit from a larger. */
	data = xmalloc(YDOC_MAX_BYTES + 1);
	while (len <= YDOC_MAX_BYTES && (n = fread(data + len, 1,
	    YDOC_MAX_BYTES + 1 - len, fp)) > 0)
		len += n;
	if (ferror(fp)) {
		snprintf(errbuf, errlen, "%s: %s", path, strerror(errno));
		d = NULL;
	} else if (len > YDOC_MAX_BYTES) {
		snprintf(errbuf, errlen, "%s: larger than the limit of %d "
		    "bytes", path, YDOC_MAX_BYTES);
		d = NULL;
	} else
		d = ydoc_load_buffer(path, data, len, errbuf, errlen);
	fclose(fp);
	free(data);
	return d;
}

struct ydoc *
ydoc_load_buffer(const char *name, const unsigned char *data, size_t len,
    char *errbuf, size_t errlen)
{
	struct loader l;
	yaml_event_t ev;
	size_t i;
	int ndocs = 0;

	memset(&l, 0, sizeof(l));
	l.err = errbuf;
	l.errlen = errlen;
	l.input = data;
	l.input_len = len;
	l.doc = xcalloc(1, sizeof(*l.doc));
	l.doc->file = xstrdup(name);
	if (!yaml_parser_initialize(&l.parser)) {
		snprintf(errbuf, errlen, "%s: out of memory", name);
		ydoc_free(l.doc);
		return NULL;
	}
	yaml_parser_set_input_string(&l.parser, data, len);
	while (!l.failed && next_event(&l, &ev)) {
		yaml_event_type_t t = ev.type;

		if (t == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if (t == YAML_DOCUMENT_START_EVENT && ++ndocs > 1) {
			load_error(&l, (int)ev.start_mark.line + 1,
			    (int)ev.start_mark.column + 1,
			    "expected a single YAML document", NULL);
			yaml_event_delete(&ev);
			break;
		}
		if (t == YAML_STREAM_START_EVENT ||
		    t == YAML_DOCUMENT_START_EVENT ||
		    t == YAML_DOCUMENT_END_EVENT) {
			yaml_event_delete(&ev);
			continue;
		}
		l.doc->root = load_node(&l, &ev);
	}
	yaml_parser_delete(&l.parser);
	for (i = 0; i < l.nanchors; i++)
		free(l.anchors[i].name);
	free(l.anchors);
	if (l.failed) {
		ydoc_free(l.doc);
		return NULL;
	}
	return l.doc;
}

void
ydoc_free(struct ydoc *d)
{
	struct ynode *n, *next;

	if (d == NULL)
		return;
	for (n = d->nodes; n != NULL; n = next) {
		next = n->next_alloc;
		free(n->str);
		free(n->pairs);
		free(n->items);
		free(n);
	}
	free(d->file);
	free(d);
}

struct ynode *
ymap_get(const struct ynode *m, const char *key)
{
	size_t i;

	if (m == NULL || m->kind != Y_MAP)
		return NULL;
	for (i = 0; i < m->npairs; i++)
		if (strcmp(m->pairs[i].key->str, key) == 0)
			return m->pairs[i].val;
	return NULL;
}

int
yscalar_is_null(const struct ynode *n)
{
	if (n == NULL)
		return 1;
	if (n->kind != Y_SCALAR || !n->plain)
		return 0;
	return n->str[0] == '\0' || strcmp(n->str, "~") == 0 ||
	    strcmp(n->str, "null") == 0 || strcmp(n->str, "Null") == 0 ||
	    strcmp(n->str, "NULL") == 0;
}

struct ydoc *
ydoc_new(const char *name)
{
	struct ydoc *d = xcalloc(1, sizeof(*d));

	d->file = xstrdup(name);
	return d;
}

struct ynode *
ynode_merge(struct ydoc *arena, struct ynode *base, struct ynode *over)
{
	struct ynode *m;
	size_t i, j;

	if (base == NULL || base->kind != Y_MAP || over == NULL ||
	    over->kind != Y_MAP)
		return over != NULL ? over : base;
	m = xcalloc(1, sizeof(*m));
	*m = *base;
	m->pairs = xcalloc(base->npairs + over->npairs, sizeof(*m->pairs));
	memcpy(m->pairs, base->pairs, base->npairs * sizeof(*m->pairs));
	m->next_alloc = arena->nodes;
	arena->nodes = m;
	for (i = 0; i < over->npairs; i++) {
		for (j = 0; j < m->npairs; j++)
			if (strcmp(m->pairs[j].key->str,
			    over->pairs[i].key->str) == 0)
				break;
		if (j == m->npairs) {
			m->pairs[m->npairs++] = over->pairs[i];
			continue;
		}
		m->pairs[j].key = over->pairs[i].key;
		m->pairs[j].val = ynode_merge(arena, m->pairs[j].val,
		    over->pairs[i].val);
	}
	return m;
}

void
ynode_strip_nulls(struct ynode *n, const char *keep_under)
{
	size_t i, j;

	if (n == NULL)
		return;
	if (n->kind == Y_SEQ)
		for (i = 0; i < n->nitems; i++)
			ynode_strip_nulls(n->items[i], keep_under);
	if (n->kind != Y_MAP)
		return;
	for (i = j = 0; i < n->npairs; i++) {
		if (yscalar_is_null(n->pairs[i].val))
			continue;
		n->pairs[j++] = n->pairs[i];
	}
	n->npairs = j;
	for (i = 0; i < n->npairs; i++)
		if (keep_under == NULL ||
		    strcmp(n->pairs[i].key->str, keep_under) != 0)
			ynode_strip_nulls(n->pairs[i].val, keep_under);
}
