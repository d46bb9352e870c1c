#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "instance.h"
#include "plan.h"
#include "validate.h"
#include "runs.h"
#include "schema.h"
#include "slo.h"

#define REQ(k, t, lo, hi)	{ k, t, 1, lo, hi, NULL, NULL }
#define OPT(k, t, lo, hi)	{ k, t, 0, lo, hi, NULL, NULL }
#define SUBR(k, t, lo, s)	{ k, t, 1, lo, 0, s, NULL }
#define SUBO(k, t, lo, s)	{ k, t, 0, lo, 0, s, NULL }
#define ENUMR(k, c)		{ k, T_STR, 1, 0, 0, NULL, c }
#define ENUMO(k, c)		{ k, T_STR, 0, 0, 0, NULL, c }
#define END			{ NULL, T_INT, 0, 0, 0, NULL, NULL }

#define MAX_MB	1048576

/* plans/infrastructure.yaml */

static const char *const volume_types[] = {
	"gp3", "gp2", "io1", "io2", "st1", NULL
};

static const struct field volume_fields[] = {
	REQ("volume_size", T_INT, 1, 16384),
	ENUMR("volume_type", volume_types),
	OPT("iops", T_INT, 3000, 256000),
	OPT("throughput", T_INT, 125, 2000),
	END
};

static const struct field storage_fields[] = {
	OPT("instance_store", T_BOOL, 0, 0),
	SUBO("journal", T_MAP, 0, volume_fields),
	SUBO("ledger", T_MAP, 0, volume_fields),
	END
};

#define ROLE_FIELDS(maxcount)					\
	REQ("count", T_INT, 1, maxcount),			\
	REQ("instance_type", T_STR, 0, 0),			\
	OPT("root_volume_gb", T_INT, 8, 16384)

static const struct field zookeeper_fields[] = { ROLE_FIELDS(9), END };
static const struct field broker_fields[] = { ROLE_FIELDS(50), END };
static const struct field client_fields[] = { ROLE_FIELDS(50), END };
static const struct field bookkeeper_fields[] = {
	ROLE_FIELDS(80),
	SUBR("storage", T_MAP, 0, storage_fields),
	END
};

/* The monitor node (Prometheus); every key optional. */
static const struct field monitoring_fields[] = {
	OPT("enabled", T_BOOL, 0, 0),
	OPT("instance_type", T_STR, 0, 0),
	OPT("root_volume_gb", T_INT, 8, 16384),
	END
};

static const struct field experiment_fields[] = {
	REQ("name", T_STR, 0, 0),
	OPT("tags", T_STRMAP, 0, 0),
	REQ("ttl_hours", T_INT, 1, 168),
	OPT("results_expiry_days", T_INT, 1, 3650),
	END
};

static const struct field aws_fields[] = {
	REQ("region", T_STR, 0, 0),
	OPT("availability_zone", T_STR, 0, 0),
	REQ("use_spot_instances", T_BOOL, 0, 0),
	OPT("spot_max_price", T_STR, 0, 0),
	END
};

static const struct field network_fields[] = {
	REQ("vpc_cidr", T_STR, 0, 0),
	REQ("public_subnet_cidr", T_STR, 0, 0),
	OPT("allowed_ssh_cidrs", T_STRLIST, 0, 0),
	END
};

static const struct field compute_fields[] = {
	REQ("ami", T_STR, 0, 0),
	OPT("ssh_key_name", T_STR, 0, 0),
	SUBR("zookeeper", T_MAP, 0, zookeeper_fields),
	SUBR("bookkeeper", T_MAP, 0, bookkeeper_fields),
	SUBR("broker", T_MAP, 0, broker_fields),
	SUBR("client", T_MAP, 0, client_fields),
	SUBO("monitoring", T_MAP, 0, monitoring_fields),
	END
};

static const struct field infra_fields[] = {
	SUBR("experiment", T_MAP, 0, experiment_fields),
	SUBR("aws", T_MAP, 0, aws_fields),
	SUBR("network", T_MAP, 0, network_fields),
	SUBR("compute", T_MAP, 0, compute_fields),
	END
};

/* plans/pulsar-cluster.yaml */

static const struct field zk_settings[] = {
	REQ("heap_size", T_SIZE_MB, 128, MAX_MB),
	REQ("tick_time", T_INT, 100, 60000),
	REQ("init_limit", T_INT, 1, 1000),
	REQ("sync_limit", T_INT, 1, 1000),
	REQ("max_session_timeout_ms", T_INT, 1, 3600000),
	END
};

static const struct field bk_settings[] = {
	REQ("heap_size", T_SIZE_MB, 128, MAX_MB),
	REQ("direct_memory_size", T_SIZE_MB, 128, MAX_MB),
	REQ("journal_sync_data", T_BOOL, 0, 0),
	REQ("journal_max_group_wait_ms", T_INT, 0, 1000),
	REQ("journal_write_buffer_kb", T_INT, 1, 1048576),
	REQ("write_cache_size_mb", T_INT, 0, MAX_MB),
	REQ("read_ahead_cache_size_mb", T_INT, 0, MAX_MB),
	REQ("num_add_worker_threads", T_INT, 0, 1024),
	REQ("num_read_worker_threads", T_INT, 1, 1024),
	END
};

static const struct field broker_settings[] = {
	REQ("heap_size", T_SIZE_MB, 128, MAX_MB),
	REQ("direct_memory_size", T_SIZE_MB, 128, MAX_MB),
	REQ("managed_ledger_cache_size_mb", T_INT, 0, MAX_MB),
	REQ("managed_ledger_default_ensemble_size", T_INT, 1, 80),
	REQ("managed_ledger_default_write_quorum", T_INT, 1, 80),
	REQ("managed_ledger_default_ack_quorum", T_INT, 1, 80),
	REQ("default_retention_time_minutes", T_INT, -1, 0),
	REQ("default_retention_size_mb", T_INT, -1, 0),
	REQ("deduplication_enabled", T_BOOL, 0, 0),
	REQ("default_num_partitions", T_INT, 1, 100000),
	REQ("zookeeper_session_timeout_ms", T_INT, 1, 3600000),
	END
};

static const struct field client_settings[] = {
	REQ("heap_size", T_SIZE_MB, 128, MAX_MB),
	END
};

static const struct field cluster_fields[] = {
	REQ("pulsar_version", T_STR, 0, 0),
	OPT("pulsar_sha512", T_STR, 0, 0),
	OPT("omb_commit", T_STR, 0, 0),
	REQ("cluster_name", T_STR, 0, 0),
	SUBR("zookeeper", T_MAP, 0, zk_settings),
	SUBR("bookkeeper", T_MAP, 0, bk_settings),
	SUBR("broker", T_MAP, 0, broker_settings),
	SUBR("client", T_MAP, 0, client_settings),
	END
};

/* the test plan */

const char *const key_distributors[] = {
	"NO_KEY", "KEY_ROUND_ROBIN", "RANDOM_NANO", NULL
};

#define WORKLOAD_FIELDS(req)						\
	{ "topics", T_INT, req, 1, 100000, NULL, NULL },		\
	{ "partitions_per_topic", T_INT, req, 1, 100000, NULL, NULL },	\
	{ "message_size", T_INT, req, 1, 5242880, NULL, NULL },		\
	OPT("subscriptions_per_topic", T_INT, 0, 10000),		\
	OPT("producers_per_topic", T_INT, 1, 10000),			\
	OPT("consumers_per_topic", T_INT, 1, 10000),			\
	OPT("consumer_backlog_size_gb", T_INT, 0, 1000000),		\
	OPT("backlog_drain_ratio", T_NUM, 0, 1),			\
	OPT("test_duration_minutes", T_INT, 1, 10080),			\
	OPT("warmup_duration_minutes", T_INT, 0, 10080),		\
	ENUMO("key_distributor", key_distributors),			\
	OPT("payload_file", T_STR, 0, 0),				\
	OPT("random_bytes_ratio", T_NUM, 0, 1),				\
	OPT("randomized_payload_pool_size", T_INT, 1, 100000)

static const struct field base_workload_fields[] = {
	OPT("name", T_STR, 0, 0),
	WORKLOAD_FIELDS(1),
	END
};

static const struct field override_fields[] = {
	WORKLOAD_FIELDS(0),
	END
};

static const struct field step_fields[] = {
	REQ("rate", T_INT, 1, 100000000),
	REQ("duration_minutes", T_INT, 1, 10080),
	END
};

static const struct field plateau_fields[] = {
	REQ("allowed_deviation", T_NUM, 0, 100),
	REQ("consecutive_fails_allowed", T_INT, 1, 1000),
	END
};

static const struct field failure_fields[] = {
	OPT("max_latency_ms", T_NUM, 0.001, 3600000),
	OPT("max_error_rate_percent", T_NUM, 0, 100),
	END
};

/*
 * The SLO of slo_search runs and of the plan's gates: at least one bound,
 * from the one table plc-search judges by (slo.h); what a plan may set is
 * what runs carry (runs.c).
 */
const struct field config_slo_fields[] = {
#define SLO_FIELD(key, figure, is_min, unit, lo, hi) OPT(key, T_NUM, lo, hi),
	SLO_BOUNDS(SLO_FIELD)
#undef SLO_FIELD
	END
};

static const struct field search_fields[] = {
	REQ("min_rate", T_INT, 1, 100000000),
	REQ("max_rate", T_INT, 1, 100000000),
	OPT("precision_percent", T_NUM, 0.1, 100),
	OPT("max_steps", T_INT, 1, 100),
	OPT("step_duration_minutes", T_INT, 1, 10080),
	OPT("growth_factor", T_NUM, 1.1, 100),
	END
};

static const struct field run_fields[] = {
	REQ("name", T_STR, 0, 0),
	ENUMR("type", run_types),
	OPT("description", T_STR, 0, 0),
	OPT("repeat", T_INT, 1, 1000),
	OPT("producer_rate", T_INT, 1, 100000000),
	SUBO("workload_overrides", T_MAP, 0, override_fields),
	SUBO("ramp_up_steps", T_LIST, 1, step_fields),
	SUBO("plateau_detection", T_MAP, 0, plateau_fields),
	SUBO("failure_criteria", T_MAP, 0, failure_fields),
	OPT("start_rate", T_INT, 1, 100000000),
	OPT("rate_multiplier", T_NUM, 1.01, 100),
	OPT("max_steps", T_INT, 1, 100),
	OPT("step_duration_minutes", T_INT, 1, 10080),
	SUBO("slo", T_MAP, 0, config_slo_fields),
	SUBO("search", T_MAP, 0, search_fields),
	END
};

static const char *const output_formats[] = { "html", "json", "csv", NULL };
static const char *const highlights[] = {
	"throughput", "p50_latency", "p95_latency", "p99_latency",
	"p999_latency", "max_latency", "cost_per_million_msgs", NULL
};

static const struct field reporting_fields[] = {
	OPT("output_format", T_STRLIST, 0, 0),
	OPT("include_raw_data", T_BOOL, 0, 0),
	OPT("metrics_to_highlight", T_STRLIST, 0, 0),
	END
};

/* A variant: another cluster for the same plan (make frontier). */
static const struct field variant_fields[] = {
	REQ("name", T_STR, 0, 0),
	OPT("description", T_STR, 0, 0),
	SUBO("infrastructure", T_MAP, 0, NULL),
	SUBO("cluster", T_MAP, 0, NULL),
	END
};

static const struct field plan_fields[] = {
	REQ("name", T_STR, 0, 0),
	OPT("description", T_STR, 0, 0),
	OPT("repeat", T_INT, 1, 1000),
	SUBR("base_workload", T_MAP, 0, base_workload_fields),
	SUBR("test_runs", T_LIST, 1, run_fields),
	SUBO("slo", T_MAP, 0, config_slo_fields),
	SUBO("variants", T_LIST, 1, variant_fields),
	OPT("target_rate_msgs_per_s", T_INT, 1, 100000000),
	/* Checked once laid over the infrastructure and cluster files. */
	SUBO("infrastructure", T_MAP, 0, NULL),
	SUBO("cluster", T_MAP, 0, NULL),
	SUBO("reporting", T_MAP, 0, reporting_fields),
	END
};

/* loading */

static struct ydoc *
load_one(const char *path)
{
	char err[512];
	struct ydoc *d;

	if ((d = ydoc_load(path, err, sizeof(err))) == NULL) {
		fprintf(stderr, "plc-tfvars: %s\n", err);
		return NULL;
	}
	if (d->root == NULL || d->root->kind != Y_MAP) {
		if (d->root == NULL)
			fprintf(stderr, "plc-tfvars: %s: expected a mapping, "
			    "found an empty document\n", path);
		else
			fprintf(stderr, "plc-tfvars: %s:%d:%d: expected a "
			    "mapping at the top level\n", path, d->root->line,
			    d->root->col);
		ydoc_free(d);
		return NULL;
	}
	return d;
}

/*
 * A file defaulted to the plan's folder that is not there: say where it
 * looked and how to point elsewhere (a plan kept outside plans/ would
 * otherwise get a bare "No such file or directory").
 */
static int
missing_default(int defaulted, const char *path, const char *name,
    const char *opt)
{
	if (!defaulted || access(path, F_OK) == 0 || errno != ENOENT)
		return 0;
	fprintf(stderr, "plc-tfvars: \"%s\": no %s beside the plan; give "
	    "one with %s FILE (the shipped one is plans/%s)\n", path, name,
	    opt, name);
	return 1;
}

const struct ynode *
variant_find(const struct ynode *plan, const char *name)
{
	const struct ynode *list = ymap_get(plan, "variants");
	const struct ynode *n;
	size_t i;

	for (i = 0; list != NULL && list->kind == Y_SEQ && i < list->nitems;
	    i++) {
		n = ymap_get(list->items[i], "name");
		if (n != NULL && n->kind == Y_SCALAR && n->str != NULL &&
		    strcmp(n->str, name) == 0)
			return list->items[i];
	}
	return NULL;
}

int
config_load(struct config *c, const char *infra, const char *cluster,
    const char *plan)
{
	struct ynode *over;

	if ((c->plan_doc = load_one(plan)) == NULL ||
	    missing_default(c->infra_defaulted, infra, "infrastructure.yaml",
	    "-i") || (c->infra_doc = load_one(infra)) == NULL ||
	    missing_default(c->cluster_defaulted, cluster,
	    "pulsar-cluster.yaml", "-c") ||
	    (c->cluster_doc = load_one(cluster)) == NULL)
		return -1;
	c->arena = ydoc_new("(merged)");
	c->plan = c->plan_doc->root;
	c->infra = c->infra_doc->root;
	c->cluster = c->cluster_doc->root;
	/* A plan's sections win over the files; a non-mapping is reported. */
	if ((over = ymap_get(c->plan, "infrastructure")) != NULL &&
	    over->kind == Y_MAP)
		c->infra = ynode_merge(c->arena, c->infra, over);
	if ((over = ymap_get(c->plan, "cluster")) != NULL &&
	    over->kind == Y_MAP)
		c->cluster = ynode_merge(c->arena, c->cluster, over);
	/* And a variant's over the plan's. */
	if (c->variant != NULL) {
		const struct ynode *v = variant_find(c->plan, c->variant);

		if (v == NULL) {
			fprintf(stderr, "plc-tfvars: %s: --variant \"%s\": "
			    "no such variant in the plan's variants:\n", plan,
			    c->variant);
			return -1;
		}
		if ((over = ymap_get(v, "infrastructure")) != NULL &&
		    over->kind == Y_MAP)
			c->infra = ynode_merge(c->arena, c->infra, over);
		if ((over = ymap_get(v, "cluster")) != NULL &&
		    over->kind == Y_MAP)
			c->cluster = ynode_merge(c->arena, c->cluster, over);
	}
	/* A run's overrides keep their nulls: they unset a base key. */
	ynode_strip_nulls(c->plan, "workload_overrides");
	ynode_strip_nulls(c->infra, NULL);
	ynode_strip_nulls(c->cluster, NULL);
	return 0;
}

void
config_free(struct config *c)
{
	ydoc_free(c->plan_doc);
	ydoc_free(c->infra_doc);
	ydoc_free(c->cluster_doc);
	ydoc_free(c->arena);
}

/* Variant names become part of experiment IDs: short, lower case, unique. */
static void
validate_variants(const struct ynode *plan)
{
	const struct ynode *list = ymap_get(plan, "variants");
	struct buf path = { 0 };
	const char *name;
	size_t i, j, n;

	for (i = 0; list != NULL && i < list->nitems; i++) {
		name = cfg_str(list->items[i], "name");
		n = strlen(name);
		buf_reset(&path);
		buf_addf(&path, "variants[%zu].name", i);
		if (n < 1 || n > 16 || strspn(name, "abcdefghijklmnopqrstuvwxyz"
		    "0123456789-") != n || name[0] == '-' || name[n - 1] == '-')
			diag(ymap_get(list->items[i], "name"), path.data,
			    "expected 1 to 16 of a-z, 0-9 and '-', not starting "
			    "or ending with '-', found \"%s\"", name);
		for (j = 0; j < i; j++)
			if (strcmp(cfg_str(list->items[j], "name"), name) == 0)
				diag(ymap_get(list->items[i], "name"),
				    path.data, "expected a unique name, found "
				    "\"%s\" again (first at variants[%zu])",
				    name, j);
	}
	buf_free(&path);
}

int
config_validate(struct config *c)
{
	int before = diag_count();

	schema_check(c->plan, plan_fields, "");
	schema_check(c->infra, infra_fields, "");
	schema_check(c->cluster, cluster_fields, "");
	/* Cross-field checks assume every value has its type. */
	if (diag_count() != before)
		return diag_count() - before;
	validate_strlist_choices(c->plan, "reporting.output_format",
	    output_formats);
	validate_strlist_choices(c->plan, "reporting.metrics_to_highlight",
	    highlights);
	validate_infra(c);
	validate_cluster(c);
	runs_validate(c->plan);
	validate_variants(c->plan);
	if (diag_count() == before)
		plan_validate_ttl(c);
	return diag_count() - before;
}

/* typed access to validated values */

long long
cfg_int(const struct ynode *m, const char *dotted)
{
	long long v = 0;

	yint(yget(m, dotted), &v);
	return v;
}

double
cfg_num(const struct ynode *m, const char *dotted)
{
	double v = 0;

	ynum(yget(m, dotted), &v);
	return v;
}

int
cfg_bool(const struct ynode *m, const char *dotted)
{
	int v = 0;

	ybool(yget(m, dotted), &v);
	return v;
}

const char *
cfg_str(const struct ynode *m, const char *dotted)
{
	const struct ynode *n = yget(m, dotted);

	if (n == NULL || n->kind != Y_SCALAR || yscalar_is_null(n))
		return NULL;
	return n->str;
}

long long
cfg_mb(const struct ynode *m, const char *dotted)
{
	long long v = 0;

	ysize_mb(yget(m, dotted), &v);
	return v;
}
