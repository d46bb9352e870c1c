#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "schema.h"
#include "tfvars.h"
#include "validate.h"

static void
set_str(json_t *o, const char *key, const char *v)
{
	if (v != NULL)
		json_object_set_new(o, key, json_string(v));
}

static void
set_int_opt(json_t *o, const char *key, const struct ynode *m,
    const char *dotted)
{
	long long v;

	if (yint(yget(m, dotted), &v))
		json_object_set_new(o, key, json_integer(v));
}

static json_t *
role_new(const struct ynode *infra, const char *role)
{
	const struct ynode *r = yget(infra, "compute");
	json_t *o = json_object();

	r = ymap_get(r, role);
	json_object_set_new(o, "count", json_integer(cfg_int(r, "count")));
	set_str(o, "instance_type", cfg_str(r, "instance_type"));
	set_int_opt(o, "root_volume_gb", r, "root_volume_gb");
	return o;
}

/* The monitor node, always explicit: on unless the plan turns it off. */
static json_t *
monitoring_new(const struct config *c)
{
	const struct ynode *m = yget(c->infra, "compute.monitoring");
	json_t *o = json_object();

	json_object_set_new(o, "enabled", json_boolean(ymap_get(m,
	    "enabled") == NULL || cfg_bool(m, "enabled")));
	set_str(o, "instance_type", monitoring_type(c));
	set_int_opt(o, "root_volume_gb", m, "root_volume_gb");
	return o;
}

static json_t *
volume_new(const struct ynode *v)
{
	json_t *o = json_object();

	json_object_set_new(o, "size_gb",
	    json_integer(cfg_int(v, "volume_size")));
	set_str(o, "type", cfg_str(v, "volume_type"));
	set_int_opt(o, "iops", v, "iops");
	set_int_opt(o, "throughput", v, "throughput");
	return o;
}

static json_t *
storage_new(const struct ynode *infra)
{
	const struct ynode *st = yget(infra, "compute.bookkeeper.storage");
	json_t *o = json_object();

	json_object_set_new(o, "instance_store",
	    json_boolean(cfg_bool(st, "instance_store")));
	if (ymap_get(st, "journal") != NULL)
		json_object_set_new(o, "journal",
		    volume_new(ymap_get(st, "journal")));
	if (ymap_get(st, "ledger") != NULL)
		json_object_set_new(o, "ledger",
		    volume_new(ymap_get(st, "ledger")));
	return o;
}

static json_t *
tags_new(const struct config *c)
{
	const struct ynode *t = yget(c->infra, "experiment.tags");
	json_t *o = json_object();
	size_t i;

	for (i = 0; t != NULL && t->kind == Y_MAP && i < t->npairs; i++)
		json_object_set_new(o, t->pairs[i].key->str,
		    json_string(yscalar_is_null(t->pairs[i].val) ? "" :
		    t->pairs[i].val->str));
	for (i = 0; i < c->ncli_tags; i++)
		json_object_set_new(o, c->cli_tags[i].key,
		    json_string(c->cli_tags[i].value));
	return o;
}

#define SET_INT(o, k, m, d)	json_object_set_new(o, k, json_integer(cfg_int(m, d)))
#define SET_MB(o, k, m, d)	json_object_set_new(o, k, json_integer(cfg_mb(m, d)))
#define SET_BOOL(o, k, m, d)	json_object_set_new(o, k, json_boolean(cfg_bool(m, d)))

static json_t *
cluster_new(const struct ynode *cl)
{
	json_t *o = json_object(), *zk, *bk, *br, *cli;

	set_str(o, "name", cfg_str(cl, "cluster_name"));
	zk = json_object();
	SET_MB(zk, "heap_mb", cl, "zookeeper.heap_size");
	SET_INT(zk, "tick_time_ms", cl, "zookeeper.tick_time");
	SET_INT(zk, "init_limit_ticks", cl, "zookeeper.init_limit");
	SET_INT(zk, "sync_limit_ticks", cl, "zookeeper.sync_limit");
	SET_INT(zk, "max_session_timeout_ms", cl,
	    "zookeeper.max_session_timeout_ms");
	json_object_set_new(o, "zookeeper", zk);
	bk = json_object();
	SET_MB(bk, "heap_mb", cl, "bookkeeper.heap_size");
	SET_MB(bk, "direct_memory_mb", cl, "bookkeeper.direct_memory_size");
	SET_BOOL(bk, "journal_sync_data", cl, "bookkeeper.journal_sync_data");
	SET_INT(bk, "journal_max_group_wait_ms", cl,
	    "bookkeeper.journal_max_group_wait_ms");
	SET_INT(bk, "journal_write_buffer_kb", cl,
	    "bookkeeper.journal_write_buffer_kb");
	SET_INT(bk, "write_cache_mb", cl, "bookkeeper.write_cache_size_mb");
	SET_INT(bk, "read_ahead_cache_mb", cl,
	    "bookkeeper.read_ahead_cache_size_mb");
	SET_INT(bk, "add_worker_threads", cl,
	    "bookkeeper.num_add_worker_threads");
	SET_INT(bk, "read_worker_threads", cl,
	    "bookkeeper.num_read_worker_threads");
	json_object_set_new(o, "bookkeeper", bk);
	br = json_object();
	SET_MB(br, "heap_mb", cl, "broker.heap_size");
	SET_MB(br, "direct_memory_mb", cl, "broker.direct_memory_size");
	SET_INT(br, "managed_ledger_cache_mb", cl,
	    "broker.managed_ledger_cache_size_mb");
	SET_INT(br, "ensemble_size", cl,
	    "broker.managed_ledger_default_ensemble_size");
	SET_INT(br, "write_quorum", cl,
	    "broker.managed_ledger_default_write_quorum");
	SET_INT(br, "ack_quorum", cl,
	    "broker.managed_ledger_default_ack_quorum");
	SET_INT(br, "retention_time_minutes", cl,
	    "broker.default_retention_time_minutes");
	SET_INT(br, "retention_size_mb", cl,
	    "broker.default_retention_size_mb");
	SET_BOOL(br, "deduplication_enabled", cl,
	    "broker.deduplication_enabled");
	SET_INT(br, "default_partitions", cl, "broker.default_num_partitions");
	SET_INT(br, "zookeeper_session_timeout_ms", cl,
	    "broker.zookeeper_session_timeout_ms");
	json_object_set_new(o, "broker", br);
	cli = json_object();
	SET_MB(cli, "heap_mb", cl, "client.heap_size");
	json_object_set_new(o, "client", cli);
	return o;
}

json_t *
tfvars_new(const struct config *c)
{
	const struct ynode *in = c->infra, *cl = c->cluster, *ssh;
	json_t *o = json_object(), *a;
	size_t i;

	set_str(o, "experiment_id", c->experiment_id);
	set_str(o, "experiment_name", cfg_str(in, "experiment.name"));
	set_str(o, "region", cfg_str(in, "aws.region"));
	set_str(o, "availability_zone", cfg_str(in, "aws.availability_zone"));
	set_str(o, "vpc_cidr", cfg_str(in, "network.vpc_cidr"));
	set_str(o, "subnet_cidr", cfg_str(in, "network.public_subnet_cidr"));
	json_object_set_new(o, "tags", tags_new(c));
	a = json_array();
	ssh = yget(in, "network.allowed_ssh_cidrs");
	for (i = 0; ssh != NULL && i < ssh->nitems; i++)
		json_array_append_new(a, json_string(ssh->items[i]->str));
	json_object_set_new(o, "allowed_ssh_cidrs", a);
	set_str(o, "ssh_key_name", cfg_str(in, "compute.ssh_key_name"));
	set_str(o, "ami", cfg_str(in, "compute.ami"));
	set_str(o, "architecture", config_architecture(c));
	set_str(o, "pulsar_version", cfg_str(cl, "pulsar_version"));
	set_str(o, "pulsar_sha512", cfg_str(cl, "pulsar_sha512"));
	set_str(o, "omb_commit", cfg_str(cl, "omb_commit"));
	SET_INT(o, "ttl_hours", in, "experiment.ttl_hours");
	SET_BOOL(o, "spot_enabled", in, "aws.use_spot_instances");
	set_str(o, "spot_max_price", cfg_str(in, "aws.spot_max_price"));
	json_object_set_new(o, "zookeeper", role_new(in, "zookeeper"));
	json_object_set_new(o, "bookkeeper", role_new(in, "bookkeeper"));
	json_object_set_new(o, "broker", role_new(in, "broker"));
	json_object_set_new(o, "client", role_new(in, "client"));
	json_object_set_new(o, "bookkeeper_storage", storage_new(in));
	json_object_set_new(o, "monitoring", monitoring_new(c));
	json_object_set_new(o, "cluster", cluster_new(cl));
	set_int_opt(o, "results_expiry_days", in,
	    "experiment.results_expiry_days");
	return o;
}

/* Fewest significant digits that read back as the same double. */
static int
real_digits(json_t *j)
{
	const char *key;
	json_t *v;
	size_t i;
	int d, max = 1;
	char s[40];

	switch (json_typeof(j)) {
	case JSON_REAL:
		for (d = 1; d < 17; d++) {
			snprintf(s, sizeof(s), "%.*g", d, json_real_value(j));
			if (strtod(s, NULL) == json_real_value(j))
				break;
		}
		return d;
	case JSON_OBJECT:
		json_object_foreach(j, key, v)
			if ((d = real_digits(v)) > max)
				max = d;
		return max;
	case JSON_ARRAY:
		json_array_foreach(j, i, v)
			if ((d = real_digits(v)) > max)
				max = d;
		return max;
	default:
		return max;
	}
}

int
json_write(json_t *j, FILE *fp, int indent)
{
	size_t flags = JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(real_digits(j));

	flags |= indent > 0 ? JSON_INDENT(indent) : JSON_COMPACT;
	if (json_dumpf(j, fp, flags) != 0 || fputc('\n', fp) == EOF)
		return -1;
	return 0;
}
