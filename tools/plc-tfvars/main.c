/*
 * plc-tfvars: validate an experiment's YAML (infrastructure, cluster
 * settings, test plan) and print terraform.tfvars.json, or with --runs one
 * JSON line per test run holding its OMB workload, or the records a lab keeps
 * (experiment.json, frontier.json).
 */
#include <err.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "cli.h"
#include "config.h"
#include "plan.h"
#include "record.h"
#include "runs.h"
#include "schema.h"
#include "tfvars.h"
#include "validate.h"

static const struct option longopts[] = {
	{ "cluster", required_argument, NULL, 'c' },
	{ "experiment-id", required_argument, NULL, 'e' },
	{ "experiment-record", required_argument, NULL, 'x' },
	{ "frontier-record", required_argument, NULL, 'F' },
	{ "infra", required_argument, NULL, 'i' },
	{ "plan", no_argument, NULL, 'p' },
	{ "runs", no_argument, NULL, 'r' },
	{ "tag", required_argument, NULL, 't' },
	{ "variant", required_argument, NULL, 'w' },
	{ NULL, 0, NULL, 0 }
};

static const struct cli_tool tool = {
	"plc-tfvars",
	"usage: plc-tfvars [-p | -r | -x mode | -F frontier-id] [-c cluster.yaml] "
	"[-e experiment-id]\n"
	"                  [-i infrastructure.yaml] [-t key=value]... "
	"[-w variant] plan.yaml\n",
	"Validates an experiment's YAML (the plan laid over the\n"
	"infrastructure and cluster files) and prints terraform.tfvars.json;\n"
	"every problem is one line FILE:LINE:COLUMN: KEY.PATH: expected WHAT,\n"
	"found WHAT on standard error.",
	"  -c, --cluster FILE        the cluster settings (default:\n"
	"                            pulsar-cluster.yaml beside the plan)\n"
	"  -e, --experiment-id ID    the experiment ID (default: exp- and the\n"
	"                            UTC time)\n"
	"  -F, --frontier-record ID  print frontier ID's frontier.json instead,\n"
	"                            from lines VARIANT EXPERIMENT-ID\n"
	"                            [EXIT-STATUS] on standard input\n"
	"  -i, --infra FILE          the infrastructure (default:\n"
	"                            infrastructure.yaml beside the plan)\n"
	"  -p, --plan                print the plan's summary instead\n"
	"  -r, --runs                print one JSON line per run instead\n"
	"  -t, --tag KEY=VALUE       add a tag to every resource (repeatable)\n"
	"  -w, --variant NAME        lay the plan's variant NAME over it\n"
	"  -x, --experiment-record MODE\n"
	"                            print the experiment's experiment.json\n"
	"                            instead, for a run in MODE (aws, local)\n",
	NULL,
	"0 ok, 1 output error, 2 usage, 3 bad input.",
	"c:e:F:i:prt:w:x:", longopts
};

static int
emit_line(json_t *record, void *arg)
{
	return json_write(record, arg, 0);
}

/* infrastructure.yaml and pulsar-cluster.yaml default to the plan's folder. */
static char *
beside(const char *plan, const char *name)
{
	struct buf b = { 0 };
	char *copy = xstrdup(plan), *dir = dirname(copy);

	if (strcmp(dir, ".") == 0)
		buf_adds(&b, name);
	else
		buf_addf(&b, "%s/%s", dir, name);
	free(copy);
	return buf_detach(&b);
}

static void
add_tag(struct config *c, const char *arg)
{
	const char *eq = strchr(arg, '=');
	const char *why;
	struct tag *t;

	if (eq == NULL)
		cli_bad_value("--tag", arg, "key=value");
	c->cli_tags = xrealloc(c->cli_tags, (c->ncli_tags + 1) *
	    sizeof(*c->cli_tags));
	t = &c->cli_tags[c->ncli_tags++];
	t->key = xstrndup(arg, (size_t)(eq - arg));
	t->value = xstrdup(eq + 1);
	if ((why = tag_problem(t->key, t->value)) != NULL)
		errx(EXIT_INPUT, "--tag \"%s\": %s", arg, why);
}

int
main(int argc, char *argv[])
{
	struct config c;
	char *infra = NULL, *cluster = NULL, idbuf[32];
	const char *record_arg = NULL;
	int ch, mode = 0, rc = 0;
	json_t *tf;
	time_t now;
	size_t i;

	memset(&c, 0, sizeof(c));
	while ((ch = cli_getopt(&tool, argc, argv)) != -1) {
		switch (ch) {
		case 'c':
			cluster = xstrdup(optarg);
			break;
		case 'e':
			c.experiment_id = cli_experiment_id("--experiment-id",
			    optarg);
			break;
		case 'w':
			c.variant = optarg;
			break;
		case 'i':
			infra = xstrdup(optarg);
			break;
		case 't':
			add_tag(&c, optarg);
			break;
		default:	/* -p, -r, -x, -F */
			if (mode != 0 && mode != ch)
				cli_usage_error(&tool, "-p, -r, -x and -F "
				    "exclude each other");
			mode = ch;
			if (ch == 'x' && !record_mode_valid(optarg))
				cli_bad_value("--experiment-record", optarg,
				    "aws or local");
			if (ch == 'F' && *optarg == '\0')
				cli_bad_value("--frontier-record", optarg,
				    "a frontier ID");
			record_arg = optarg;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		cli_usage_error(&tool, NULL);
	if (c.experiment_id == NULL) {
		now = time(NULL);
		strftime(idbuf, sizeof(idbuf), "exp-%Y%m%d-%H%M%S",
		    gmtime(&now));
		c.experiment_id = idbuf;
	}
	if (infra == NULL) {
		infra = beside(argv[0], "infrastructure.yaml");
		c.infra_defaulted = 1;
	}
	if (cluster == NULL) {
		cluster = beside(argv[0], "pulsar-cluster.yaml");
		c.cluster_defaulted = 1;
	}

	if (config_load(&c, infra, cluster, argv[0]) != 0 ||
	    config_validate(&c) != 0) {
		rc = EXIT_INPUT;
	} else if (mode == 'r') {
		if (runs_expand(c.plan, c.experiment_id, emit_line,
		    stdout) != 0)
			rc = EXIT_RUNTIME;
	} else {
		if (mode == 'p')
			tf = plan_summary_new(&c);
		else if (mode == 'x')
			tf = record_experiment_new(&c, argv[0], record_arg);
		else if (mode == 'F')
			tf = record_frontier_new(&c, argv[0], record_arg,
			    stdin);
		else
			tf = tfvars_new(&c);
		if (tf == NULL)
			rc = EXIT_INPUT;
		else if (json_write(tf, stdout, 2) != 0)
			rc = EXIT_RUNTIME;
		json_decref(tf);
	}
	if (fflush(stdout) == EOF || ferror(stdout)) {
		warn("stdout");
		rc = EXIT_RUNTIME;
	}
	config_free(&c);
	for (i = 0; i < c.ncli_tags; i++) {
		free(c.cli_tags[i].key);
		free(c.cli_tags[i].value);
	}
	free(c.cli_tags);
	free(infra);
	free(cluster);
	return rc;
}
