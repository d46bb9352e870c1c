/*
 * Reading NDJSON (one JSON object or array per line) a value at a time, with
 * the line numbers every error message names. Blank lines are skipped.
 *
 *	struct ndjson r;
 *	if (ndjson_open(&r, path) != 0) ... errno ...
 *	while ((rc = ndjson_next(&r, &v, err, sizeof(err))) == NDJSON_VALUE) {
 *		... v, r.lineno ...
 *		json_decref(v);
 *	}
 *	ndjson_close(&r);
 */
#ifndef PLC_NDJSON_H
#define PLC_NDJSON_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

struct ndjson {
	FILE		*fp;
	const char	*path;		/* as given to ndjson_open */
	char		*line;
	size_t		 cap;
	size_t		 lineno;	/* of the value last read, from 1 */
};

enum {
	NDJSON_VALUE = 1,	/* *v is the next value (a new reference) */
	NDJSON_END = 0,		/* no more lines */
	NDJSON_BAD = -1,	/* err: "path:line:column: what is wrong" */
	NDJSON_IOERR = -2	/* err: "path: strerror", errno set */
};

/* 0, or -1 with errno set. path must outlive the reader. */
int	ndjson_open(struct ndjson *r, const char *path);
int	ndjson_next(struct ndjson *r, json_t **v, char *err, size_t errlen);
void	ndjson_close(struct ndjson *r);

/*
 * Every value of the file at path appended to the JSON array all, at most
 * max of them; errors name the file as name (NULL: path). With linenos (a
 * JSON array, or NULL) each value's line number is appended to it too.
 * NDJSON_END when every value was read; NDJSON_BAD (err "name:line:column:
 * what", or "name:line: more than max values"), NDJSON_IOERR (err "\"name\":
 * strerror", the file unopenable or unreadable). What was read before an
 * error stays in all.
 */
int	ndjson_read_all(const char *path, const char *name, size_t max,
	    json_t *all, json_t *linenos, char *err, size_t errlen);

#endif
