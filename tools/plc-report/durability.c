/*
 * The durability settings an experiment ran under (tfvars.json): what
 * --compare will not put side by side unless told to, since a journal that
 * does not sync or a smaller quorum changes every latency it measures.
 */
#include <err.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "expdir.h"
#include "report.h"

/* tfvars.json's keys; absent, Terraform's defaults (terraform/variables.tf). */
static const struct {
	const char	*path;	/* under "cluster" */
	const char	*name;
	int		 is_bool;
	long		 dflt;
} keys[] = {
	{ "bookkeeper.journal_sync_data", "journal_sync_data", 1, 1 },
	{ "broker.ensemble_size", "ensemble_size", 0, 3 },
	{ "broker.write_quorum", "write_quorum", 0, 3 },
	{ "broker.ack_quorum", "ack_quorum", 0, 2 },
};
#define NKEYS	(sizeof(keys) / sizeof(keys[0]))

json_t *
durability_doc(const struct expdir *x)
{
	const json_t *cl;
	json_t *d, *v;
	size_t i;

	if (x->tfvars == NULL)
		return json_null();
	cl = json_object_get(x->tfvars, "cluster");
	d = json_object();
	for (i = 0; i < NKEYS; i++) {
		v = jpath(cl, keys[i].path);
		if (v == NULL || json_is_null(v))
			v = keys[i].is_bool ? json_boolean(keys[i].dflt) :
			    json_integer(keys[i].dflt);
		else
			json_incref(v);
		json_object_set_new(d, keys[i].name, v);
	}
	return d;
}

/* "write_quorum 2 and 3, ..." for what differs; NULL when nothing does. */
char *
durability_differences(const json_t *da, const json_t *db)
{
	struct buf b = { 0 };
	char *sa, *sb;
	size_t i;

	if (!json_is_object(da) || !json_is_object(db))
		return NULL;
	for (i = 0; i < NKEYS; i++) {
		json_t *va = json_object_get(da, keys[i].name);
		json_t *vb = json_object_get(db, keys[i].name);

		if (json_equal(va, vb))
			continue;
		sa = json_dumps(va, JSON_ENCODE_ANY);
		sb = json_dumps(vb, JSON_ENCODE_ANY);
		if (sa == NULL || sb == NULL)
			errx(EXIT_RUNTIME, "durability settings: cannot encode");
		buf_addf(&b, "%s%s %s and %s", b.len ? ", " : "",
		    keys[i].name, sa, sb);
		free(sa);
		free(sb);
	}
	return b.data;
}

int
durability_check(const struct expdir *a, const struct expdir *b)
{
	json_t *da = durability_doc(a), *db = durability_doc(b);
	char *diff = durability_differences(da, db);

	json_decref(da);
	json_decref(db);
	if (diff == NULL)
		return 0;
	warnx("\"%s\" and \"%s\" ran with different durability settings: %s "
	    "(--mixed-durability compares them anyway)", a->id, b->id, diff);
	free(diff);
	return EXIT_INPUT;
}
