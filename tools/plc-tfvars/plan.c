#include <string.h>

#include "config.h"
#include "plan.h"
#include "runs.h"
#include "schema.h"

struct tally {
	long long	 seconds;
	long long	 runs;
};

static int
tally_add(json_t *run, void *arg)
{
	struct tally *t = arg;

	t->seconds += json_integer_value(json_object_get(run,
	    "expected_duration_s"));
	t->runs++;
	return 0;
}

long long
plan_duration_s(const struct ynode *plan, long long *nruns)
{
	struct tally t = { 0, 0 };

	runs_expand(plan, "", tally_add, &t);
	if (nruns != NULL)
		*nruns = t.runs;
	return t.seconds;
}

void
plan_validate_ttl(const struct config *c)
{
	long long s = plan_duration_s(c->plan, NULL);
	long long ttl = cfg_int(c->infra, "experiment.ttl_hours");

	if (s > ttl * 3600)
		diag(yget(c->infra, "experiment.ttl_hours"),
		    "experiment.ttl_hours", "expected more than the %.2f h "
		    "(%lld s) the plan's runs take, found %lld",
		    (double)s / 3600, s, ttl);
}

/* The predecessor's defaults for a plan without a reporting: section. */
static json_t *
strlist(const struct ynode *n, const char *const *dflt)
{
	json_t *a = json_array();
	size_t i;

	if (n != NULL)
		for (i = 0; i < n->nitems; i++)
			json_array_append_new(a, json_string(n->items[i]->str));
	else
		for (i = 0; dflt[i] != NULL; i++)
			json_array_append_new(a, json_string(dflt[i]));
	return a;
}

json_t *
plan_summary_new(const struct config *c)
{
	static const char *const formats[] = { "html", "json", NULL };
	static const char *const metrics[] = {
		"throughput", "p99_latency", "cost_per_million_msgs", NULL
	};
	const struct ynode *rep = ymap_get(c->plan, "reporting");
	json_t *o = json_object(), *r = json_object();
	long long nruns, secs;
	int raw = 1;

	secs = plan_duration_s(c->plan, &nruns);
	json_object_set_new(o, "schema", json_string(PLAN_SCHEMA));
	json_object_set_new(o, "experiment_id", json_string(c->experiment_id));
	json_object_set_new(o, "plan", json_string(cfg_str(c->plan, "name")));
	if (cfg_str(c->plan, "description") != NULL)
		json_object_set_new(o, "description",
		    json_string(cfg_str(c->plan, "description")));
	json_object_set_new(o, "runs", json_integer(nruns));
	json_object_set_new(o, "expected_duration_s", json_integer(secs));
	if (ymap_get(c->plan, "target_rate_msgs_per_s") != NULL)
		json_object_set_new(o, "target_rate_msgs_per_s", json_integer(
		    cfg_int(c->plan, "target_rate_msgs_per_s")));
	if (ymap_get(c->plan, "variants") != NULL) {
		const struct ynode *list = ymap_get(c->plan, "variants");
		json_t *names = json_array();
		size_t i;

		for (i = 0; i < list->nitems; i++)
			json_array_append_new(names, json_string(cfg_str(
			    list->items[i], "name")));
		json_object_set_new(o, "variants", names);
	}
	if (c->variant != NULL)
		json_object_set_new(o, "variant", json_string(c->variant));
	json_object_set_new(r, "output_format",
	    strlist(ymap_get(rep, "output_format"), formats));
	ybool(ymap_get(rep, "include_raw_data"), &raw);
	json_object_set_new(r, "include_raw_data", json_boolean(raw));
	json_object_set_new(r, "metrics_to_highlight",
	    strlist(ymap_get(rep, "metrics_to_highlight"), metrics));
	json_object_set_new(o, "reporting", r);
	return o;
}
