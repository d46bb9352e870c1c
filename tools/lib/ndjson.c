#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "ndjson.h"

int
ndjson_open(struct ndjson *r, const char *path)
{
	memset(r, 0, sizeof(*r));
	r->path = path;
	if ((r->fp = fopen(path, "r")) == NULL)
		return -1;
	return 0;
}

int
ndjson_next(struct ndjson *r, json_t **v, char *err, size_t errlen)
{
	json_error_t je;
	ssize_t len;

	*v = NULL;
	errno = 0;
	while ((len = getline(&r->line, &r->cap, r->fp)) != -1) {
		r->lineno++;
		if (strspn(r->line, " \t\r\n") == (size_t)len)
			continue;
		/* Without its line end, an error at the end of the line is
		 * placed on it, not at column 0 of the next. */
		while (len > 0 && (r->line[len - 1] == '\n' ||
		    r->line[len - 1] == '\r'))
			len--;
		if ((*v = json_loadb(r->line, (size_t)len, 0, &je)) == NULL) {
			snprintf(err, errlen, "%s:%zu:%d: %s", r->path,
			    r->lineno, je.column, je.text);
			return NDJSON_BAD;
		}
		return NDJSON_VALUE;
	}
	if (ferror(r->fp)) {
		if (errno == 0)
			errno = EIO;
		snprintf(err, errlen, "%s: %s", r->path, strerror(errno));
		return NDJSON_IOERR;
	}
	return NDJSON_END;
}

void
ndjson_close(struct ndjson *r)
{
	if (r->fp != NULL)
		fclose(r->fp);
	free(r->line);
	memset(r, 0, sizeof(*r));
}

int
ndjson_read_all(const char *path, const char *name, size_t max, json_t *all,
    json_t *linenos, char *err, size_t errlen)
{
	struct ndjson r;
	json_t *v;
	int rc;

	if (name == NULL)
		name = path;
	if (ndjson_open(&r, path) != 0) {
		snprintf(err, errlen, "\"%s\": %s", name, strerror(errno));
		return NDJSON_IOERR;
	}
	r.path = name;
	while ((rc = ndjson_next(&r, &v, err, errlen)) == NDJSON_VALUE) {
		if (json_array_size(all) >= max) {
			json_decref(v);
			snprintf(err, errlen, "%s:%zu: more than %zu values",
			    name, r.lineno, max);
			rc = NDJSON_BAD;
			break;
		}
		json_array_append_new(all, v);
		if (linenos != NULL)
			json_array_append_new(linenos,
			    json_integer((json_int_t)r.lineno));
	}
	ndjson_close(&r);
	return rc;
}
