/*
 * experiment.json and frontier.json, the records scripts/lab-setup and
 * scripts/lab-frontier keep (plc-tfvars(1), RECORDS).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "config.h"
#include "expid.h"
#include "record.h"
#include "tfvars.h"

#define LINE_MAX_BYTES	1024	/* a frontier line: two names and a number */

int
record_mode_valid(const char *mode)
{
	return strcmp(mode, "aws") == 0 || strcmp(mode, "local") == 0;
}

/* The plan's name as `basename FILE .yaml` gives it. */
static json_t *
plan_name(const char *plan_file)
{
	const char *base = strrchr(plan_file, '/');
	size_t n;

	base = base != NULL ? base + 1 : plan_file;
	n = strlen(base);
	if (n > 5 && strcmp(base + n - 5, ".yaml") == 0)
		n -= 5;
	return json_stringn(base, n);
}

static json_t *
record_new(const char *schema, const char *id, const char *plan_file)
{
	json_t *o = json_object();

	json_object_set_new(o, "schema", json_string(schema));
	json_object_set_new(o, "id", json_string(id));
	json_object_set_new(o, "plan", plan_name(plan_file));
	json_object_set_new(o, "plan_file", json_string(plan_file));
	return o;
}

json_t *
record_experiment_new(const struct config *c, const char *plan_file,
    const char *mode)
{
	json_t *o = record_new(EXPERIMENT_SCHEMA, c->experiment_id, plan_file);
	json_t *tf = tfvars_new(c);
	char now[sizeof("YYYY-mm-ddTHH:MM:SSZ")];
	time_t t = time(NULL);

	strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	json_object_set_new(o, "mode", json_string(mode));
	json_object_set_new(o, "variant", c->variant != NULL ?
	    json_string(c->variant) : json_null());
	json_object_set(o, "region", json_object_get(tf, "region"));
	json_object_set_new(o, "created", json_string(now));
	json_object_set(o, "tags", json_object_get(tf, "tags"));
	json_decref(tf);
	return o;
}

/* One frontier line into {variant, experiment, exit_status}, or NULL. */
static json_t *
frontier_line(const struct config *c, char *line, size_t lineno)
{
	char *f[4], *save = NULL, *end;
	size_t n = 0;
	long rc;
	json_t *o;

	for (f[n] = strtok_r(line, " \t", &save); f[n] != NULL && n < 3;
	    f[n] = strtok_r(NULL, " \t", &save))
		n++;
	if (n < 2 || f[n] != NULL) {
		fprintf(stderr, "plc-tfvars: <stdin>:%zu: expected VARIANT "
		    "EXPERIMENT-ID [EXIT-STATUS]\n", lineno);
		return NULL;
	}
	if (variant_find(c->plan, f[0]) == NULL) {
		fprintf(stderr, "plc-tfvars: <stdin>:%zu: \"%s\": not a "
		    "variant of the plan\n", lineno, f[0]);
		return NULL;
	}
	if (!expid_valid(f[1])) {
		fprintf(stderr, "plc-tfvars: <stdin>:%zu: \"%s\": expected "
		    "an experiment ID (" EXPID_RULE ")\n", lineno, f[1]);
		return NULL;
	}
	rc = -1;
	if (n == 3) {
		errno = 0;
		rc = isdigit((unsigned char)*f[2]) ? strtol(f[2], &end, 10) :
		    -1;
		if (rc < 0 || rc > 255 || errno != 0 || *end != '\0') {
			fprintf(stderr, "plc-tfvars: <stdin>:%zu: \"%s\": "
			    "expected an exit status (0 to 255)\n", lineno,
			    f[2]);
			return NULL;
		}
	}
	o = json_object();
	json_object_set_new(o, "variant", json_string(f[0]));
	json_object_set_new(o, "experiment", json_string(f[1]));
	json_object_set_new(o, "exit_status", rc < 0 ? json_null() :
	    json_integer(rc));
	return o;
}

json_t *
record_frontier_new(const struct config *c, const char *plan_file,
    const char *id, FILE *in)
{
	json_t *o = record_new(FRONTIER_RUN_SCHEMA, id, plan_file);
	json_t *list = json_array(), *e;
	char line[LINE_MAX_BYTES];
	size_t lineno = 0, len;

	json_object_set_new(o, "experiments", list);
	while (fgets(line, sizeof(line), in) != NULL) {
		lineno++;
		len = strlen(line);
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		else if (!feof(in)) {
			fprintf(stderr, "plc-tfvars: <stdin>:%zu: longer than "
			    "%d bytes\n", lineno, LINE_MAX_BYTES - 1);
			goto fail;
		}
		if ((e = frontier_line(c, line, lineno)) == NULL)
			goto fail;
		json_array_append_new(list, e);
	}
	if (ferror(in)) {
		fprintf(stderr, "plc-tfvars: <stdin>: %s\n", strerror(errno));
		goto fail;
	}
	return o;
fail:
	json_decref(o);
	return NULL;
}
