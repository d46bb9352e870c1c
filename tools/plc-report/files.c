/*
 * raw_data/ and config/: the OMB result files as they came, and the
 * resolved plan and Terraform variables without anything secret.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "buf.h"
#include "expdir.h"
#include "html.h"
#include "jsonout.h"
#include "report.h"

static void
copy_file(const char *from, const char *todir, const char *name)
{
	char buf[65536];
	FILE *in, *out;
	size_t n;

	if ((in = fopen(from, "r")) == NULL)
		err(EXIT_RUNTIME, "%s", from);
	out = out_open(todir, name);
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			break;
	if (ferror(in))
		err(EXIT_RUNTIME, "%s", from);
	fclose(in);
	out_close(out, todir, name);
}

/* Keys that could hold a secret never reach the report. */
static int
secret_key(const char *k)
{
	static const char *const words[] = { "secret", "password", "token",
	    "credential", "private", NULL };
	const char *const *w;

	for (w = words; *w != NULL; w++)
		if (strcasestr(k, *w) != NULL)
			return 1;
	return 0;
}

static void
scrub(json_t *v)
{
	const char *k;
	json_t *e;
	void *tmp;
	size_t i;

	if (json_is_object(v)) {
		json_object_foreach_safe(v, tmp, k, e) {
			if (secret_key(k))
				json_object_del(v, k);
			else
				scrub(e);
		}
	} else if (json_is_array(v))
		json_array_foreach(v, i, e)
			scrub(e);
}

static void
write_json(const json_t *v, const char *dir, const char *name)
{
	json_t *c = json_deep_copy(v);
	FILE *fp = out_open(dir, name);

	scrub(c);
	if (jsonout_write_line(fp, c) == -1)
		errx(EXIT_RUNTIME, "%s/%s: cannot encode", dir, name);
	out_close(fp, dir, name);
	json_decref(c);
}

void
files_copy(const struct expdir *x, const char *outdir)
{
	struct buf from = { 0 }, to = { 0 };
	struct dirent *d;
	struct stat st;
	json_t *r;
	size_t i;
	DIR *dp;
	FILE *fp;

	buf_addf(&to, "%s/raw_data", outdir);
	out_mkdir(to.data);
	buf_addf(&from, "%s/results", x->path);
	if ((dp = opendir(from.data)) == NULL && errno != ENOENT)
		err(EXIT_RUNTIME, "%s", from.data);
	while (dp != NULL && (d = readdir(dp)) != NULL) {
		if (d->d_name[0] == '.')
			continue;
		buf_reset(&from);
		buf_addf(&from, "%s/results/%s", x->path, d->d_name);
		if (stat(from.data, &st) == 0 && S_ISREG(st.st_mode))
			copy_file(from.data, to.data, d->d_name);
	}
	if (dp != NULL)
		closedir(dp);

	buf_reset(&to);
	buf_addf(&to, "%s/config", outdir);
	out_mkdir(to.data);
	if (x->tfvars != NULL)
		write_json(x->tfvars, to.data, "tfvars.json");
	if (x->plan != NULL)
		write_json(x->plan, to.data, "plan.json");
	if (x->runs != NULL) {
		fp = out_open(to.data, "runs.ndjson");
		json_array_foreach(x->runs, i, r) {
			json_t *c = json_deep_copy(r);

			scrub(c);
			if (jsonout_write_line(fp, c) == -1)
				errx(EXIT_RUNTIME, "runs.ndjson: cannot encode");
			json_decref(c);
		}
		out_close(fp, to.data, "runs.ndjson");
	}
	buf_free(&from);
	buf_free(&to);
}
