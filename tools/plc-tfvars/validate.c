#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "instance.h"
#include "project.h"
#include "schema.h"
#include "validate.h"

/* Every node with an instance type; the monitor node's is optional. */
static const char *const roles[] = {
	"zookeeper", "bookkeeper", "broker", "client", "monitoring", NULL
};

/* Tags plc itself sets on every resource (terraform/variables.tf). */
static const char *const reserved_tags[] = {
	PLC_PROJECT_KEY, PLC_EXPERIMENT_KEY, "Experiment", "ManagedBy", "Name", "Role",
	"Index", NULL
};

/* AWS allows 50 tags per resource; plc sets the reserved ones. */
#define MAX_USER_TAGS	(50 - 7)

/* Share of an instance's memory the JVM may take: heap plus direct. */
#define JVM_MEMORY_PERCENT	75

static int
matches(const char *s, const char *allowed)
{
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && strchr(allowed, *s) == NULL)
			return 0;
	return 1;
}

const char *
tag_problem(const char *key, const char *value)
{
	size_t i;

	if (key[0] == '\0' || strlen(key) > 128)
		return "tag key must be 1 to 128 characters";
	if (strlen(value) > 256)
		return "tag value must be at most 256 characters";
	if (strncasecmp(key, "aws:", 4) == 0)
		return "tag keys starting with \"aws:\" are reserved by AWS";
	for (i = 0; reserved_tags[i] != NULL; i++)
		if (strcmp(key, reserved_tags[i]) == 0)
			return "tag key is set by plc itself";
	if (!matches(key, " _.:/=+-@") || !matches(value, " _.:/=+-@"))
		return "tags may hold only letters, digits, spaces and _.:/=+-@";
	return NULL;
}

int
cidr_parse(const char *s, uint32_t *addr, int *prefix)
{
	unsigned long part;
	char *end;
	int i;

	*addr = 0;
	for (i = 0; i < 4; i++) {
		if (!isdigit((unsigned char)*s) || (s[0] == '0' &&
		    isdigit((unsigned char)s[1])))
			return 0;
		part = strtoul(s, &end, 10);
		if (part > 255 || *end != (i < 3 ? '.' : '/'))
			return 0;
		*addr = (*addr << 8) | (uint32_t)part;
		s = end + 1;
	}
	if (!isdigit((unsigned char)*s) || (s[0] == '0' && s[1] != '\0'))
		return 0;
	part = strtoul(s, &end, 10);
	if (*end != '\0' || part > 32)
		return 0;
	*prefix = (int)part;
	return 1;
}

static uint32_t
mask_of(int prefix)
{
	return prefix == 0 ? 0 : 0xffffffffu << (32 - prefix);
}

static int
check_cidr(const struct ynode *m, const char *dotted, const char *path,
    int minprefix, int maxprefix, uint32_t *addr, int *prefix)
{
	const struct ynode *n = yget(m, dotted);
	char found[96];

	if (!cidr_parse(n->str, addr, prefix)) {
		diag(n, path, "expected an IPv4 CIDR such as 10.0.0.0/16, "
		    "found %s", yfound(n, found, sizeof(found)));
		return 0;
	}
	if (*prefix < minprefix || *prefix > maxprefix) {
		diag(n, path, "expected a prefix length between /%d and /%d, "
		    "found %s", minprefix, maxprefix,
		    yfound(n, found, sizeof(found)));
		return 0;
	}
	if ((*addr & ~mask_of(*prefix)) != 0) {
		diag(n, path, "expected a network address (host bits zero), "
		    "found %s", yfound(n, found, sizeof(found)));
		return 0;
	}
	return 1;
}

static void
check_pattern(const struct ynode *m, const char *dotted, int ok,
    const char *expected)
{
	const struct ynode *n = yget(m, dotted);
	char found[96];

	if (n != NULL && !ok)
		diag(n, dotted, "expected %s, found %s", expected,
		    yfound(n, found, sizeof(found)));
}

static int
region_valid(const char *r)
{
	char a[3], b[32];
	int n = 0, digit;

	if (sscanf(r, "%2[a-z]-gov-%31[a-z]-%d%n", a, b, &digit, &n) == 3 &&
	    r[n] == '\0' && strlen(a) == 2 && digit >= 0 && digit <= 9 &&
	    isdigit((unsigned char)r[n - 1]) && r[n - 2] == '-')
		return 1;
	n = 0;
	return sscanf(r, "%2[a-z]-%31[a-z]-%d%n", a, b, &digit, &n) == 3 &&
	    r[n] == '\0' && strlen(a) == 2 && strcmp(b, "gov") != 0 &&
	    digit >= 0 && digit <= 9 && isdigit((unsigned char)r[n - 1]) &&
	    r[n - 2] == '-';
}

static int
hex_of_len(const char *s, size_t min, size_t max)
{
	size_t n = strlen(s);

	return n >= min && n <= max && strspn(s, "0123456789abcdef") == n;
}

static int
decimal_valid(const char *s)
{
	size_t n = strspn(s, "0123456789");

	if (n == 0)
		return 0;
	if (s[n] == '\0')
		return 1;
	return s[n] == '.' && strspn(s + n + 1, "0123456789") > 0 &&
	    s[n + 1 + strspn(s + n + 1, "0123456789")] == '\0';
}

/* x.y.z, digits only */
static int
version_valid(const char *s)
{
	int i;
	size_t n;

	for (i = 0; i < 3; i++) {
		if ((n = strspn(s, "0123456789")) == 0)
			return 0;
		s += n;
		if (*s != (i < 2 ? '.' : '\0'))
			return 0;
		s++;
	}
	return 1;
}

static void
check_tags(const struct config *c)
{
	const struct ynode *tags = yget(c->infra, "experiment.tags");
	struct buf path = { 0 };
	const char *why;
	size_t i, n = 0;

	for (i = 0; tags != NULL && tags->kind == Y_MAP &&
	    i < tags->npairs; i++) {
		const struct ynode *k = tags->pairs[i].key;

		buf_reset(&path);
		buf_addf(&path, "experiment.tags.%s", k->str);
		why = tag_problem(k->str, yscalar_is_null(tags->pairs[i].val) ?
		    "" : tags->pairs[i].val->str);
		if (why != NULL)
			diag(k, path.data, "%s", why);
		n++;
	}
	for (i = 0; i < c->ncli_tags; i++)
		if (tags == NULL || ymap_get(tags, c->cli_tags[i].key) == NULL)
			n++;
	if (n > MAX_USER_TAGS)
		diag(tags, "experiment.tags", "expected at most %d tags with "
		    "those of --tag, found %zu", MAX_USER_TAGS, n);
	buf_free(&path);
}

static void
check_volume(const struct ynode *vol, const char *path)
{
	const char *type = cfg_str(vol, "volume_type");
	const struct ynode *iops = ymap_get(vol, "iops");
	const struct ynode *tput = ymap_get(vol, "throughput");
	int io = strcmp(type, "io1") == 0 || strcmp(type, "io2") == 0;
	struct buf p = { 0 };

	buf_addf(&p, "%s.iops", path);
	if (io && iops == NULL)
		diag(vol, p.data, "missing required key for volume_type %s",
		    type);
	else if (iops != NULL && !io && strcmp(type, "gp3") != 0)
		diag(iops, p.data, "expected no iops with volume_type %s "
		    "(only gp3, io1 and io2 take iops)", type);
	buf_reset(&p);
	buf_addf(&p, "%s.throughput", path);
	if (tput != NULL && strcmp(type, "gp3") != 0)
		diag(tput, p.data, "expected no throughput with volume_type "
		    "%s (only gp3 takes throughput)", type);
	else if (tput != NULL) {
		/* AWS refuses more than 0.25 MiB/s per provisioned IOPS;
		 * without iops a gp3 volume has its baseline, 3000. */
		long long n = iops != NULL ? cfg_int(vol, "iops") : 3000;

		if (cfg_int(vol, "throughput") * 4 > n)
			diag(tput, p.data, "expected at most %lld (MiB/s: "
			    "0.25 per provisioned IOPS, %lld IOPS), found %lld",
			    n / 4, n, cfg_int(vol, "throughput"));
	}
	buf_reset(&p);
	buf_addf(&p, "%s.volume_size", path);
	if (strcmp(type, "st1") == 0 && cfg_int(vol, "volume_size") < 125)
		diag(ymap_get(vol, "volume_size"), p.data, "expected at least "
		    "125 (GiB, the smallest st1 volume AWS makes), found %lld",
		    cfg_int(vol, "volume_size"));
	buf_free(&p);
}

static void
check_storage(const struct config *c)
{
	const struct ynode *st = yget(c->infra, "compute.bookkeeper.storage");
	const char *type = cfg_str(c->infra, "compute.bookkeeper.instance_type");
	const struct ynode *j = ymap_get(st, "journal");
	const struct ynode *l = ymap_get(st, "ledger");

	if (cfg_bool(st, "instance_store")) {
		if (strncmp(type, "i3.", 3) != 0 &&
		    strncmp(type, "i3en.", 5) != 0 &&
		    strncmp(type, "i4i.", 4) != 0)
			diag(ymap_get(st, "instance_store"),
			    "compute.bookkeeper.storage.instance_store",
			    "expected a bookkeeper instance type with NVMe "
			    "instance store (i3, i3en, i4i), found \"%s\"",
			    type);
		if (j != NULL || l != NULL)
			diag(j != NULL ? j : l, j != NULL ?
			    "compute.bookkeeper.storage.journal" :
			    "compute.bookkeeper.storage.ledger",
			    "expected no EBS volume with instance_store: true");
		return;
	}
	if (j == NULL || l == NULL)
		diag(st, j == NULL ? "compute.bookkeeper.storage.journal" :
		    "compute.bookkeeper.storage.ledger", "missing required key "
		    "(or set instance_store: true)");
	if (j != NULL)
		check_volume(j, "compute.bookkeeper.storage.journal");
	if (l != NULL)
		check_volume(l, "compute.bookkeeper.storage.ledger");
}

static void
check_instances(const struct config *c)
{
	const char *arch = NULL, *first = NULL;
	struct instance_info info;
	struct buf path = { 0 };
	const struct ynode *n;
	char found[96];
	const char *near;
	int i;

	for (i = 0; roles[i] != NULL; i++) {
		buf_reset(&path);
		buf_addf(&path, "compute.%s.instance_type", roles[i]);
		/* monitoring's is optional (monitoring_type). */
		if ((n = yget(c->infra, path.data)) == NULL)
			continue;
		yfound(n, found, sizeof(found));
		switch (instance_lookup(n->str, &info)) {
		case INSTANCE_BAD_SYNTAX:
			diag(n, path.data, "expected an instance type such as "
			    "m5.large, found %s", found);
			continue;
		case INSTANCE_BAD_SIZE:
			diag(n, path.data, "expected a size nano, micro, small, "
			    "medium, large, xlarge, <N>xlarge or metal, found "
			    "%s", found);
			continue;
		case INSTANCE_UNKNOWN_FAMILY:
			if ((near = instance_family_suggest(info.family)))
				diag(n, path.data, "unknown instance family "
				    "\"%s\" in %s, did you mean \"%s\"?",
				    info.family, found, near);
			else
				diag(n, path.data, "unknown instance family "
				    "\"%s\" in %s", info.family, found);
			continue;
		case INSTANCE_OK:
			break;
		}
		if (arch == NULL) {
			arch = info.arch;
			first = roles[i];
		} else if (strcmp(arch, info.arch) != 0) {
			diag(n, path.data, "expected an %s instance type like "
			    "compute.%s's, found %s (%s): all nodes share one "
			    "AMI", arch, first, found, info.arch);
		}
	}
	if (cfg_int(c->infra, "compute.zookeeper.count") % 2 == 0)
		diag(yget(c->infra, "compute.zookeeper.count"),
		    "compute.zookeeper.count", "expected an odd number (a "
		    "ZooKeeper quorum is a majority), found %lld",
		    cfg_int(c->infra, "compute.zookeeper.count"));
	buf_free(&path);
}

void
validate_infra(struct config *c)
{
	const struct ynode *in = c->infra, *n;
	const char *region = cfg_str(in, "aws.region"), *s;
	uint32_t vpc, sub, a;
	int vp, sp, p;
	size_t i;
	char found[96];

	check_pattern(in, "experiment.name", strlen(cfg_str(in,
	    "experiment.name")) <= 128 && matches(cfg_str(in,
	    "experiment.name"), " _.:/=+@-"), "at most 128 letters, digits, "
	    "spaces and _.:/=+@-");
	check_pattern(in, "aws.region", region_valid(region),
	    "a region name such as us-west-2");
	if ((s = cfg_str(in, "aws.availability_zone")) != NULL)
		check_pattern(in, "aws.availability_zone", strlen(s) ==
		    strlen(region) + 1 && strncmp(s, region,
		    strlen(region)) == 0 && islower((unsigned char)
		    s[strlen(region)]), "a zone of the region, such as "
		    "us-west-2a");
	if ((s = cfg_str(in, "aws.spot_max_price")) != NULL)
		check_pattern(in, "aws.spot_max_price", decimal_valid(s),
		    "a price in USD per hour such as \"0.25\"");
	if (ymap_get(yget(in, "aws"), "spot_max_price") != NULL &&
	    !cfg_bool(in, "aws.use_spot_instances"))
		diag(yget(in, "aws.spot_max_price"), "aws.spot_max_price",
		    "expected no spot_max_price with use_spot_instances: false");
	if (check_cidr(in, "network.vpc_cidr", "network.vpc_cidr", 16, 24,
	    &vpc, &vp) && check_cidr(in, "network.public_subnet_cidr",
	    "network.public_subnet_cidr", 16, 24, &sub, &sp) &&
	    (sp < vp || (sub & mask_of(vp)) != vpc))
		diag(yget(in, "network.public_subnet_cidr"),
		    "network.public_subnet_cidr", "expected a subnet inside "
		    "vpc_cidr %s, found \"%s\"", cfg_str(in, "network.vpc_cidr"),
		    cfg_str(in, "network.public_subnet_cidr"));
	n = yget(in, "network.allowed_ssh_cidrs");
	for (i = 0; n != NULL && i < n->nitems; i++) {
		struct buf path = { 0 };

		buf_addf(&path, "network.allowed_ssh_cidrs[%zu]", i);
		yfound(n->items[i], found, sizeof(found));
		if (!cidr_parse(n->items[i]->str, &a, &p))
			diag(n->items[i], path.data, "expected an IPv4 CIDR "
			    "such as 203.0.113.7/32, found %s", found);
		else if (p == 0)
			diag(n->items[i], path.data, "expected a CIDR narrower "
			    "than the whole internet, found %s", found);
		buf_free(&path);
	}
	s = cfg_str(in, "compute.ami");
	check_pattern(in, "compute.ami", strcmp(s, "auto") == 0 ||
	    strcmp(s, "stock") == 0 || (strncmp(s, "ami-", 4) == 0 &&
	    hex_of_len(s + 4, 8, 17)), "auto, stock or an AMI ID such as "
	    "ami-0123456789abcdef0");
	if ((s = cfg_str(in, "compute.ssh_key_name")) != NULL)
		check_pattern(in, "compute.ssh_key_name", strlen(s) <= 255,
		    "a key pair name of at most 255 characters");
	check_tags(c);
	check_instances(c);
	check_storage(c);
}

/* heap (+ direct) of a role against its instance type's memory */
static void
check_memory(const struct config *c, const char *role, int direct)
{
	struct instance_info info;
	struct buf path = { 0 }, tpath = { 0 };
	const char *type;
	long long heap, dmem = 0, limit;

	buf_addf(&tpath, "compute.%s.instance_type", role);
	type = cfg_str(c->infra, tpath.data);
	buf_addf(&path, "%s.heap_size", role);
	heap = cfg_mb(c->cluster, path.data);
	if (direct) {
		buf_reset(&tpath);
		buf_addf(&tpath, "%s.direct_memory_size", role);
		dmem = cfg_mb(c->cluster, tpath.data);
	}
	if (instance_lookup(type, &info) != INSTANCE_OK)
		goto out;
	if (info.memory_mib == 0) {
		diag_warn(yget(c->cluster, path.data), path.data, "memory of "
		    "%s is not known; heap and direct memory not checked",
		    type);
		goto out;
	}
	limit = info.memory_mib * JVM_MEMORY_PERCENT / 100;
	if (heap + dmem > limit)
		diag(yget(c->cluster, path.data), path.data, "expected %s at "
		    "most %lld MiB (%d%% of %s's %ld MiB), found %lld MiB",
		    direct ? "heap_size + direct_memory_size" : "heap_size",
		    limit, JVM_MEMORY_PERCENT, type, info.memory_mib,
		    heap + dmem);
out:
	buf_free(&path);
	buf_free(&tpath);
}

void
validate_cluster(struct config *c)
{
	const struct ynode *cl = c->cluster;
	const char *s;
	long long e, w, a, bookies;

	check_pattern(cl, "pulsar_version", version_valid(cfg_str(cl,
	    "pulsar_version")), "a version x.y.z such as 3.0.17");
	if ((s = cfg_str(cl, "pulsar_sha512")) != NULL)
		check_pattern(cl, "pulsar_sha512", hex_of_len(s, 128, 128),
		    "128 lower-case hex digits");
	if ((s = cfg_str(cl, "omb_commit")) != NULL)
		check_pattern(cl, "omb_commit", hex_of_len(s, 40, 40),
		    "a 40-hex-digit commit ID");
	s = cfg_str(cl, "cluster_name");
	check_pattern(cl, "cluster_name", isalpha((unsigned char)s[0]) &&
	    strlen(s) <= 63 && matches(s, "_-"), "a name of at most 63 "
	    "letters, digits, _ and -, starting with a letter");

	e = cfg_int(cl, "broker.managed_ledger_default_ensemble_size");
	w = cfg_int(cl, "broker.managed_ledger_default_write_quorum");
	a = cfg_int(cl, "broker.managed_ledger_default_ack_quorum");
	bookies = cfg_int(c->infra, "compute.bookkeeper.count");
	if (a > w)
		diag(yget(cl, "broker.managed_ledger_default_ack_quorum"),
		    "broker.managed_ledger_default_ack_quorum", "expected at "
		    "most the write quorum %lld, found %lld", w, a);
	if (w > e)
		diag(yget(cl, "broker.managed_ledger_default_write_quorum"),
		    "broker.managed_ledger_default_write_quorum", "expected at "
		    "most the ensemble size %lld, found %lld", e, w);
	if (e > bookies)
		diag(yget(cl, "broker.managed_ledger_default_ensemble_size"),
		    "broker.managed_ledger_default_ensemble_size", "expected at "
		    "most compute.bookkeeper.count %lld, found %lld", bookies,
		    e);
	if (cfg_int(cl, "broker.managed_ledger_cache_size_mb") >=
	    cfg_mb(cl, "broker.direct_memory_size"))
		diag(yget(cl, "broker.managed_ledger_cache_size_mb"),
		    "broker.managed_ledger_cache_size_mb", "expected less than "
		    "broker.direct_memory_size (%lld MiB), found %lld",
		    cfg_mb(cl, "broker.direct_memory_size"),
		    cfg_int(cl, "broker.managed_ledger_cache_size_mb"));
	if (cfg_int(cl, "bookkeeper.write_cache_size_mb") +
	    cfg_int(cl, "bookkeeper.read_ahead_cache_size_mb") >=
	    cfg_mb(cl, "bookkeeper.direct_memory_size"))
		diag(yget(cl, "bookkeeper.write_cache_size_mb"),
		    "bookkeeper.write_cache_size_mb", "expected write_cache_"
		    "size_mb + read_ahead_cache_size_mb below bookkeeper."
		    "direct_memory_size (%lld MiB), found %lld",
		    cfg_mb(cl, "bookkeeper.direct_memory_size"),
		    cfg_int(cl, "bookkeeper.write_cache_size_mb") +
		    cfg_int(cl, "bookkeeper.read_ahead_cache_size_mb"));
	if (cfg_int(cl, "zookeeper.max_session_timeout_ms") <
	    2 * cfg_int(cl, "zookeeper.tick_time"))
		diag(yget(cl, "zookeeper.max_session_timeout_ms"),
		    "zookeeper.max_session_timeout_ms", "expected at least two "
		    "ticks (%lld), found %lld",
		    2 * cfg_int(cl, "zookeeper.tick_time"),
		    cfg_int(cl, "zookeeper.max_session_timeout_ms"));
	if (cfg_int(cl, "broker.zookeeper_session_timeout_ms") >
	    cfg_int(cl, "zookeeper.max_session_timeout_ms"))
		diag(yget(cl, "broker.zookeeper_session_timeout_ms"),
		    "broker.zookeeper_session_timeout_ms", "expected at most "
		    "zookeeper.max_session_timeout_ms (%lld), found %lld",
		    cfg_int(cl, "zookeeper.max_session_timeout_ms"),
		    cfg_int(cl, "broker.zookeeper_session_timeout_ms"));
	check_memory(c, "zookeeper", 0);
	check_memory(c, "bookkeeper", 1);
	check_memory(c, "broker", 1);
	check_memory(c, "client", 0);
}

void
validate_strlist_choices(const struct ynode *m, const char *dotted,
    const char *const *choices)
{
	const struct ynode *l = yget(m, dotted);
	struct buf b = { 0 }, path = { 0 };
	size_t i, j;

	for (i = 0; choices[i] != NULL; i++)
		buf_addf(&b, "%s%s", i ? ", " : "", choices[i]);
	for (i = 0; l != NULL && i < l->nitems; i++) {
		for (j = 0; choices[j] != NULL; j++)
			if (strcmp(l->items[i]->str, choices[j]) == 0)
				break;
		if (choices[j] != NULL)
			continue;
		buf_reset(&path);
		buf_addf(&path, "%s[%zu]", dotted, i);
		diag(l->items[i], path.data, "expected one of %s, found \"%s\"",
		    b.data, l->items[i]->str);
	}
	buf_free(&b);
	buf_free(&path);
}

const char *
monitoring_type(const struct config *c)
{
	const char *t = cfg_str(c->infra, "compute.monitoring.instance_type");

	if (t != NULL)
		return t;
	return strcmp(config_architecture(c), "arm64") == 0 ? "t4g.small" :
	    "t3.small";
}

const char *
config_architecture(const struct config *c)
{
	struct instance_info info;

	/* validate_infra made every role share the first role's. */
	if (instance_lookup(cfg_str(c->infra,
	    "compute.zookeeper.instance_type"), &info) == INSTANCE_OK)
		return info.arch;
	return "x86_64";
}
