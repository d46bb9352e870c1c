#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "ndjson.h"
#include "unit.h"

static char path[64];

static void
write_file(const char *text)
{
	FILE *fp = fopen(path, "w");

	fputs(text, fp);
	fclose(fp);
}

int
main(void)
{
	struct ndjson r;
	json_t *v, *all, *lines;
	char err[256], want[128], dir[64];
	int fd;

	snprintf(path, sizeof(path), "/tmp/test_ndjson.XXXXXX");
	if ((fd = mkstemp(path)) == -1)
		return 1;
	close(fd);

	write_file("\n{\"a\": 1}\n  \t\r\n[2, 3]\r\n{\"a\": 4}");
	CHECK(ndjson_open(&r, path) == 0, "opens a file");
	CHECK(ndjson_next(&r, &v, err, sizeof(err)) == NDJSON_VALUE &&
	    json_integer_value(json_object_get(v, "a")) == 1,
	    "blank first line skipped; the object comes back");
	CHECK(r.lineno == 2, "its line number counts the blank line");
	json_decref(v);
	CHECK(ndjson_next(&r, &v, err, sizeof(err)) == NDJSON_VALUE &&
	    json_array_size(v) == 2 && r.lineno == 4,
	    "a whitespace-only line skipped; CRLF read; line 4");
	json_decref(v);
	CHECK(ndjson_next(&r, &v, err, sizeof(err)) == NDJSON_VALUE &&
	    json_integer_value(json_object_get(v, "a")) == 4,
	    "a last line without a newline is read");
	json_decref(v);
	CHECK(ndjson_next(&r, &v, err, sizeof(err)) == NDJSON_END && v == NULL,
	    "then the end");
	ndjson_close(&r);

	write_file("{\"a\": 1}\n\n{\"a\": 2,}\n{\"a\": 3}\n");
	ndjson_open(&r, path);
	ndjson_next(&r, &v, err, sizeof(err));
	json_decref(v);
	CHECK(ndjson_next(&r, &v, err, sizeof(err)) == NDJSON_BAD && v == NULL,
	    "a line that is not JSON is an error");
	snprintf(want, sizeof(want), "%s:3:9: string or '}' expected near '}'",
	    path);
	CHECK_STR(err, want, "which names file, line and column");
	ndjson_close(&r);

	write_file("{\"a\": 1}\r\n{\"a\": \r\n");
	ndjson_open(&r, path);
	ndjson_next(&r, &v, err, sizeof(err));
	json_decref(v);
	ndjson_next(&r, &v, err, sizeof(err));
	snprintf(want, sizeof(want), "%s:2:6: unexpected token near end of file",
	    path);
	CHECK_STR(err, want, "a line cut short: the error is placed on it");
	ndjson_close(&r);

	write_file("{\"a\": 1} {\"b\": 2}\n");
	ndjson_open(&r, path);
	CHECK(ndjson_next(&r, &v, err, sizeof(err)) == NDJSON_BAD,
	    "two values on one line are an error");
	ndjson_close(&r);

	write_file("\n \n");
	ndjson_open(&r, path);
	CHECK(ndjson_next(&r, &v, err, sizeof(err)) == NDJSON_END,
	    "blank lines only: no values");
	ndjson_close(&r);

	write_file("[1]\n\n[2]\n[3]\n");
	all = json_array();
	lines = json_array();
	CHECK(ndjson_read_all(path, "runs", 3, all, lines, err,
	    sizeof(err)) == NDJSON_END && json_array_size(all) == 3,
	    "read_all: every value, up to max");
	CHECK(json_integer_value(json_array_get(lines, 1)) == 3,
	    "read_all: each value's line number, blank lines counted");
	json_array_clear(all);
	CHECK(ndjson_read_all(path, "runs", 2, all, NULL, err,
	    sizeof(err)) == NDJSON_BAD && json_array_size(all) == 2,
	    "read_all: one value more than max is bad input; the first max kept");
	CHECK_STR(err, "runs:4: more than 2 values",
	    "which names the file as asked, and the line");
	json_decref(all);
	json_decref(lines);

	unlink(path);
	errno = 0;
	CHECK(ndjson_open(&r, path) == -1 && errno == ENOENT,
	    "a missing file: -1, ENOENT");
	all = json_array();
	CHECK(ndjson_read_all(path, NULL, 10, all, NULL, err, sizeof(err)) ==
	    NDJSON_IOERR, "read_all: a missing file is a read error");
	snprintf(want, sizeof(want), "\"%s\": %s", path, strerror(ENOENT));
	CHECK_STR(err, want, "which quotes the file's name");
	json_decref(all);

	snprintf(dir, sizeof(dir), "/tmp/test_ndjson.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return 1;
	if (ndjson_open(&r, dir) == 0) {
		CHECK(ndjson_next(&r, &v, err, sizeof(err)) == NDJSON_IOERR &&
		    errno == EISDIR, "a directory: a read error, EISDIR");
		snprintf(want, sizeof(want), "%s: %s", dir, strerror(EISDIR));
		CHECK_STR(err, want, "which names the file and the reason");
		ndjson_close(&r);
	} else {
		CHECK(errno == EISDIR, "a directory: EISDIR");
	}
	rmdir(dir);
	return unit_done();
}
