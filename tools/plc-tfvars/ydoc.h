/*
 * A YAML document as a tree whose every node knows its file, line and
 * column, so that each configuration error can point at its source.
 * Aliases share the anchored node; merge keys (<<) are resolved at load.
 */
#ifndef PLC_YDOC_H
#define PLC_YDOC_H

#include <stddef.h>

/*
 * Limits on a document (plc-tfvars(1), LIMITS): beyond them it is refused
 * with the position where it went over, and below them loading stays
 * linear in the input.
 */
#define YDOC_MAX_BYTES		(1024 * 1024)	/* size of the file */
#define YDOC_MAX_DEPTH		64		/* nested collections */
#define YDOC_MAX_NODES		100000		/* nodes, aliases expanded */
#define YDOC_MAX_KEYS		10000		/* keys of one mapping */

enum ykind { Y_SCALAR, Y_MAP, Y_SEQ };

struct ynode;

struct ypair {
	struct ynode	*key;
	struct ynode	*val;
};

struct ynode {
	enum ykind	 kind;
	const char	*file;
	int		 line;		/* 1-based */
	int		 col;		/* 1-based */
	char		*str;		/* Y_SCALAR */
	int		 plain;		/* unquoted scalar: may be a number, bool, null */
	struct ypair	*pairs;		/* Y_MAP */
	size_t		 npairs;
	struct ynode	**items;	/* Y_SEQ */
	size_t		 nitems;
	struct ynode	*next_alloc;	/* every node of a document, for freeing */
	size_t		 weight;	/* nodes in it, aliases expanded */
};

struct ydoc {
	char		*file;
	struct ynode	*root;		/* NULL for an empty document */
	struct ynode	*nodes;
};

/* Returns NULL and writes the error into errbuf on failure. */
struct ydoc	*ydoc_load(const char *path, char *errbuf, size_t errlen);
/* The same from memory; name is the file name for messages. */
struct ydoc	*ydoc_load_buffer(const char *name, const unsigned char *data,
		    size_t len, char *errbuf, size_t errlen);
void		 ydoc_free(struct ydoc *);

/* An empty document that owns nodes made by ynode_merge. */
struct ydoc	*ydoc_new(const char *name);
/*
 * over laid on base: mappings merge key by key, recursively; anything else
 * in over replaces what base has. Nodes keep their own positions.
 */
struct ynode	*ynode_merge(struct ydoc *, struct ynode *base,
		    struct ynode *over);

/*
 * Drop every key whose value is null, so that null means "not set" (and a
 * plan can unset a key of the files), except in mappings under keep_under.
 */
void		 ynode_strip_nulls(struct ynode *, const char *keep_under);

struct ynode	*ymap_get(const struct ynode *, const char *);
int		 yscalar_is_null(const struct ynode *);

#endif
