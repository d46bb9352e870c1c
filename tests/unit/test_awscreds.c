/*
 * AWS settings and the credential chain (awscreds.c, ini.c, imds.c).
 *
 * Every case starts from an environment without any AWS_* variable and
 * with HOME in a temporary directory, so nothing of the machine's own AWS
 * set-up leaks in, and instance metadata is disabled unless a case points
 * it at its own responder on 127.0.0.1.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "awscreds.h"
#include "buf.h"
#include "imds.h"
#include "ini.h"
#include "unit.h"

extern char **environ;

static char tmpdir[64];
static char *made[64];
static int nmade;
static char err[2048];

static void
clear_aws_env(void)
{
	char name[256];
	size_t n;
	int again = 1, i;

	/* unsetenv reshuffles environ: rescan until nothing is left. */
	while (again) {
		again = 0;
		for (i = 0; environ[i] != NULL; i++) {
			if (strncmp(environ[i], "AWS_", 4) != 0)
				continue;
			n = strcspn(environ[i], "=");
			if (n >= sizeof(name))
				continue;
			memcpy(name, environ[i], n);
			name[n] = '\0';
			unsetenv(name);
			again = 1;
			break;
		}
	}
}

static const char *
tpath(const char *name)
{
	static char p[8][256];
	static int k;

	k = (k + 1) % 8;
	snprintf(p[k], sizeof(p[k]), "%s/%s", tmpdir, name);
	return p[k];
}

static const char *
write_file(const char *name, const char *text, mode_t mode)
{
	const char *path = tpath(name);
	FILE *fp;
	int i;

	if ((fp = fopen(path, "w")) == NULL) {
		perror(path);
		exit(99);
	}
	fputs(text, fp);
	fclose(fp);
	chmod(path, mode);
	for (i = 0; i < nmade; i++)
		if (strcmp(made[i], path) == 0)
			return path;
	made[nmade++] = xstrdup(path);
	return path;
}

/* A fresh environment with these two files as config and credentials. */
static void
reset(const char *config, const char *credentials)
{
	clear_aws_env();
	setenv("HOME", tmpdir, 1);
	setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
	setenv("AWS_CONFIG_FILE", config != NULL ?
	    write_file("config", config, 0644) : tpath("no-config"), 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", credentials != NULL ?
	    write_file("credentials", credentials, 0600) :
	    tpath("no-credentials"), 1);
	err[0] = '\0';
}

static int
load(struct aws_config *cfg)
{
	err[0] = '\0';
	return aws_config_load(cfg, err, sizeof(err));
}

/* What the test STS callback saw, call by call. */
struct assume_log {
	int	 calls;
	int	 fail;
	char	 source_key[4][64];
	char	 source_secret[4][64];
	char	 role[4][128];
	char	 session[4][64];
	char	 region[4][32];
};

static int
test_assume(void *ctx, const struct aws_credentials *src,
    const char *role_arn, const char *session_name, const char *region,
    struct aws_credentials *out, char *e, size_t elen)
{
	struct assume_log *log = ctx;
	int n = log->calls++;
	char v[64];

	if (n >= 4)
		return -1;
	snprintf(log->source_key[n], 64, "%s", src->access_key_id);
	snprintf(log->source_secret[n], 64, "%s", src->secret_access_key);
	snprintf(log->role[n], 128, "%s", role_arn);
	snprintf(log->session[n], 64, "%s", session_name);
	snprintf(log->region[n], 32, "%s", region != NULL ? region : "(null)");
	if (log->fail) {
		snprintf(e, elen, "AccessDenied: not authorized to assume %s",
		    role_arn);
		return -1;
	}
	snprintf(v, sizeof(v), "ASIAROLE%d", n);
	out->access_key_id = xstrdup(v);
	snprintf(v, sizeof(v), "roleSECRET%d", n);
	out->secret_access_key = xstrdup(v);
	out->session_token = xstrdup("roleTOKEN");
	out->expiration = 1795575600;
	return 0;
}

static void
test_defaults(void)
{
	struct aws_config cfg;

	reset(NULL, NULL);
	CHECK(load(&cfg) == 0, "missing files are fine");
	CHECK_STR(cfg.profile, "default", "profile defaults to default");
	CHECK(cfg.region == NULL, "no region without a setting");
	CHECK(cfg.endpoint_url == NULL, "no endpoint_url without a setting");
	CHECK(cfg.ca_bundle == NULL, "no ca_bundle without a setting");
	CHECK(cfg.max_attempts == 3, "max_attempts defaults to 3");
	CHECK_STR(cfg.retry_mode, "standard", "retry_mode defaults to standard");
	CHECK(cfg.ignore_configured_endpoints == 0, "endpoints not ignored");
	CHECK(aws_config_endpoint(&cfg, "EC2") == NULL, "no endpoint for EC2");
	aws_config_free(&cfg);

	/* Without AWS_CONFIG_FILE the file is ~/.aws/config. */
	reset(NULL, NULL);
	unsetenv("AWS_CONFIG_FILE");
	unsetenv("AWS_SHARED_CREDENTIALS_FILE");
	mkdir(tpath(".aws"), 0700);
	write_file(".aws/config", "[default]\nregion = sa-east-1\n", 0644);
	write_file(".aws/credentials", "[default]\nregion = me-south-1\n", 0644);
	CHECK(load(&cfg) == 0, "files under HOME load");
	CHECK_STR(cfg.region, "me-south-1", "~/.aws/credentials is read");
	aws_config_free(&cfg);
	unlink(tpath(".aws/credentials"));
	CHECK(load(&cfg) == 0, "~/.aws/config alone loads");
	CHECK_STR(cfg.region, "sa-east-1", "~/.aws/config is read");
	aws_config_free(&cfg);
	unlink(tpath(".aws/config"));
	rmdir(tpath(".aws"));
}

static void
test_fixture_profiles(void)
{
	struct aws_config cfg;

	reset(NULL, NULL);
	setenv("AWS_CONFIG_FILE", "tests/fixtures/awscreds/config", 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE",
	    "tests/fixtures/awscreds/credentials", 1);
	CHECK(load(&cfg) == 0, "fixture files load");
	CHECK_STR(cfg.region, "us-west-2", "[default] region");
	CHECK(cfg.max_attempts == 5, "max_attempts with an inline comment");
	CHECK(aws_config_endpoint(&cfg, "EC2") == NULL,
	    "default profile has no endpoints");
	aws_config_free(&cfg);

	setenv("AWS_PROFILE", "dev", 1);
	CHECK(load(&cfg) == 0, "AWS_PROFILE=dev loads");
	CHECK_STR(cfg.profile, "dev", "AWS_PROFILE selects the profile");
	CHECK_STR(cfg.region, "ca-central-1",
	    "credentials file beats config for the same key");
	CHECK(cfg.max_attempts == 3, "[default] gives nothing to profile dev");
	CHECK_STR(aws_config_endpoint(&cfg, "EC2"), "http://127.0.0.1:5001",
	    "services section entry for EC2");
	CHECK_STR(aws_config_endpoint(&cfg, "Cost Explorer"),
	    "http://127.0.0.1:5002", "services key cost_explorer");
	CHECK_STR(aws_config_endpoint(&cfg, "S3"), "http://127.0.0.1:5000",
	    "service entry without endpoint_url falls back to endpoint_url");
	CHECK_STR(aws_config_endpoint(&cfg, "STS"), "http://127.0.0.1:5000",
	    "unlisted service takes the profile endpoint_url");
	aws_config_free(&cfg);

	setenv("AWS_PROFILE", "lab", 1);
	CHECK(load(&cfg) == 0, "AWS_PROFILE=lab loads");
	CHECK_STR(cfg.region, "us-east-2",
	    "[profile lab] in credentials is no profile");
	aws_config_free(&cfg);
}

static void
test_sections(void)
{
	struct aws_config cfg;

	reset("[dev]\nregion = r-config-noprefix\n"
	    "[profile dev]\nregion = r-config\n", NULL);
	setenv("AWS_PROFILE", "dev", 1);
	CHECK(load(&cfg) == 0 && cfg.region != NULL &&
	    strcmp(cfg.region, "r-config") == 0,
	    "config takes [profile dev], not [dev]");
	aws_config_free(&cfg);

	reset("[default]\nregion = plain\nmax_attempts = 9\n"
	    "[profile default]\nregion = prefixed\n", NULL);
	CHECK(load(&cfg) == 0, "both default forms load");
	CHECK_STR(cfg.region, "prefixed", "[profile default] wins over [default]");
	CHECK(cfg.max_attempts == 3,
	    "[default] is ignored when [profile default] exists");
	aws_config_free(&cfg);

	reset("[profile \tdev\t]\n"
	    "# whole-line comment\n"
	    "; another\n"
	    "   # indented comment\n"
	    "REGION = first\n"
	    "region = eu-west-3 # trailing\n"
	    "ca_bundle = /etc/ca;bundle.pem ; trailing\n"
	    "[profile dev]\n"
	    "retry_mode = adaptive\n", NULL);
	setenv("AWS_PROFILE", "dev", 1);
	CHECK(load(&cfg) == 0, "comments, blanks and case load");
	CHECK_STR(cfg.region, "eu-west-3",
	    "later key wins, keys case-insensitive, comment stripped");
	CHECK_STR(cfg.ca_bundle, "/etc/ca;bundle.pem",
	    "';' without whitespace before it stays in the value");
	CHECK_STR(cfg.retry_mode, "adaptive", "repeated sections merge");
	aws_config_free(&cfg);

	reset("\xEF\xBB\xBF[default]\r\nregion = with-bom\r\n", NULL);
	CHECK(load(&cfg) == 0 && cfg.region != NULL &&
	    strcmp(cfg.region, "with-bom") == 0,
	    "a byte order mark and CRLF line ends are read past");
	aws_config_free(&cfg);

	reset("[profile dev]\nregion = in-config\n", "[dev]\nregion =\n");
	setenv("AWS_PROFILE", "dev", 1);
	CHECK(load(&cfg) == 0 && cfg.region != NULL &&
	    strcmp(cfg.region, "in-config") == 0,
	    "an empty value counts as not set");
	aws_config_free(&cfg);
}

static void
test_ini_values(void)
{
	struct ini_file f;
	const struct ini_prop *p, *s;
	const char *text = "[services x]\r\n"
	    "note = first\n"
	    "  second line\n"
	    "\tthird\n"
	    "s3 =\n"
	    "  endpoint_url = http://127.0.0.1:1 # not a comment here? yes\n"
	    "\n"
	    "  Addressing_Style = path\n";

	CHECK(ini_parse(&f, "mem", text, strlen(text), err, sizeof(err)) == 0,
	    "sub-properties and continuations parse");
	CHECK_STR(f.sections != NULL ? f.sections->name : NULL, "services x",
	    "section name keeps its inner space");
	p = f.sections != NULL ? ini_prop_find(f.sections->props, "note") : NULL;
	CHECK_STR(p != NULL ? p->value : NULL, "first\nsecond line\nthird",
	    "continuation lines join with newlines");
	p = f.sections != NULL ? ini_prop_find(f.sections->props, "s3") : NULL;
	s = p != NULL ? ini_prop_find(p->sub, "endpoint_url") : NULL;
	CHECK_STR(s != NULL ? s->value : NULL,
	    "http://127.0.0.1:1 # not a comment here? yes",
	    "sub-property values keep '#'");
	s = p != NULL ? ini_prop_find(p->sub, "addressing_style") : NULL;
	CHECK(s != NULL && s->line == 8 && strcmp(s->value, "path") == 0,
	    "sub-property after a blank line, key lower-cased, line counted");
	ini_free(&f);
}

static void
check_malformed(const char *config, const char *want_tail, const char *what)
{
	struct aws_config cfg;
	char want[512];

	reset(config, NULL);
	snprintf(want, sizeof(want), "%s:%s", tpath("config"), want_tail);
	CHECK(load(&cfg) == -1, what);
	CHECK_STR(err, want, what);
}

static void
test_malformed(void)
{
	struct aws_config cfg;
	char want[512];

	check_malformed("region = x\n", "1: expected a section like "
	    "[default] before this property", "property before any section");
	check_malformed("[default]\nregion = x\n[profile dev\n",
	    "3: expected ']' to end the section name", "unclosed section");
	check_malformed("# c\n[default]\n\nregion: us-east-1\n",
	    "4: expected '=' defining a property", "property without '='");
	check_malformed("[default]\n= x\n",
	    "2: expected a property name before '='", "empty property name");
	check_malformed("[default]\n  region = x\n",
	    "2: expected a property definition, found a continuation line",
	    "continuation without a property");
	check_malformed("[default]\ns3 =\n  endpoint_url\n",
	    "3: expected '=' defining a sub-property", "sub-property without '='");
	check_malformed("[default] x\n",
	    "1: expected only a comment after ']'", "text after ']'");

	/* A broken credentials file is as fatal as a broken config. */
	reset("[default]\n", "[default]\naws_access_key_id\n");
	snprintf(want, sizeof(want), "%s:2: expected '=' defining a property",
	    tpath("credentials"));
	CHECK(load(&cfg) == -1, "malformed credentials file fails");
	CHECK_STR(err, want, "malformed credentials file names file:line");

	reset(NULL, NULL);
	setenv("AWS_CONFIG_FILE", tmpdir, 1);
	snprintf(want, sizeof(want), "%s: Is a directory", tmpdir);
	CHECK(load(&cfg) == -1, "a directory as config fails");
	CHECK_STR(err, want, "unreadable config names the file and why");
}

static void
test_region(void)
{
	struct aws_config cfg;

	reset("[default]\nregion = from-profile\n", NULL);
	setenv("AWS_REGION", "from-aws-region", 1);
	setenv("AWS_DEFAULT_REGION", "from-default-region", 1);
	CHECK(load(&cfg) == 0 && cfg.region != NULL &&
	    strcmp(cfg.region, "from-aws-region") == 0, "AWS_REGION first");
	aws_config_free(&cfg);
	unsetenv("AWS_REGION");
	CHECK(load(&cfg) == 0 && cfg.region != NULL &&
	    strcmp(cfg.region, "from-default-region") == 0,
	    "AWS_DEFAULT_REGION second");
	aws_config_free(&cfg);
	setenv("AWS_DEFAULT_REGION", "", 1);
	CHECK(load(&cfg) == 0 && cfg.region != NULL &&
	    strcmp(cfg.region, "from-profile") == 0,
	    "profile region last; an empty variable is unset");
	aws_config_free(&cfg);

	setenv("AWS_CA_BUNDLE", "~/ca.pem", 1);
	CHECK(load(&cfg) == 0, "AWS_CA_BUNDLE loads");
	CHECK_STR(cfg.ca_bundle, tpath("ca.pem"), "ca_bundle expands ~");
	aws_config_free(&cfg);
}

static void
test_endpoints(void)
{
	struct aws_config cfg;

	reset("[default]\nendpoint_url = http://127.0.0.1:7000\n"
	    "services = lab\n"
	    "[services lab]\n"
	    "cost_explorer =\n  endpoint_url = http://127.0.0.1:7001\n"
	    "resource_groups_tagging_api =\n"
	    "  endpoint_url = http://127.0.0.1:7002\n", NULL);
	setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:8000", 1);
	setenv("AWS_ENDPOINT_URL_COST_EXPLORER", "http://127.0.0.1:8001", 1);
	CHECK(load(&cfg) == 0, "endpoint settings load");
	CHECK_STR(cfg.endpoint_url, "http://127.0.0.1:8000",
	    "AWS_ENDPOINT_URL beats profile endpoint_url");
	CHECK_STR(aws_config_endpoint(&cfg, "Cost Explorer"),
	    "http://127.0.0.1:8001", "AWS_ENDPOINT_URL_COST_EXPLORER first");
	CHECK_STR(aws_config_endpoint(&cfg, "Resource Groups Tagging API"),
	    "http://127.0.0.1:7002", "services section beats AWS_ENDPOINT_URL");
	CHECK_STR(aws_config_endpoint(&cfg, "EC2"), "http://127.0.0.1:8000",
	    "AWS_ENDPOINT_URL for a service not listed");
	setenv("AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API",
	    "http://127.0.0.1:8002", 1);
	CHECK_STR(aws_config_endpoint(&cfg, "Resource Groups Tagging API"),
	    "http://127.0.0.1:8002", "service id upper-cased, spaces to _");
	aws_config_free(&cfg);

	unsetenv("AWS_ENDPOINT_URL");
	unsetenv("AWS_ENDPOINT_URL_COST_EXPLORER");
	CHECK(load(&cfg) == 0, "profile endpoints load");
	CHECK_STR(aws_config_endpoint(&cfg, "Cost Explorer"),
	    "http://127.0.0.1:7001", "services section for cost_explorer");
	CHECK_STR(aws_config_endpoint(&cfg, "IAM"), "http://127.0.0.1:7000",
	    "profile endpoint_url last");
	aws_config_free(&cfg);

	setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true", 1);
	CHECK(load(&cfg) == 0, "ignore flag loads");
	CHECK(cfg.ignore_configured_endpoints == 1, "ignore flag set");
	CHECK(cfg.endpoint_url == NULL, "ignored: no endpoint_url");
	CHECK(aws_config_endpoint(&cfg, "Resource Groups Tagging API") == NULL,
	    "ignored: no per-service environment endpoint");
	CHECK(aws_config_endpoint(&cfg, "Cost Explorer") == NULL,
	    "ignored: no services section endpoint");
	aws_config_free(&cfg);

	unsetenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
	reset("[default]\nignore_configured_endpoint_urls = TRUE\n"
	    "endpoint_url = http://127.0.0.1:7000\n", NULL);
	CHECK(load(&cfg) == 0 && cfg.ignore_configured_endpoints == 1 &&
	    aws_config_endpoint(&cfg, "EC2") == NULL,
	    "ignore flag from the profile");
	aws_config_free(&cfg);

	reset(NULL, NULL);
	setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "yes", 1);
	CHECK(load(&cfg) == -1, "ignore flag must be true or false");
	CHECK_STR(err, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: expected true or "
	    "false, got \"yes\"", "ignore flag error");
}

static void
test_max_attempts(void)
{
	struct aws_config cfg;
	char want[512];

	reset("[default]\nmax_attempts = 7\nretry_mode = legacy\n", NULL);
	CHECK(load(&cfg) == 0 && cfg.max_attempts == 7,
	    "max_attempts from the profile");
	CHECK_STR(cfg.retry_mode, "legacy", "retry_mode from the profile");
	aws_config_free(&cfg);
	setenv("AWS_MAX_ATTEMPTS", "12", 1);
	setenv("AWS_RETRY_MODE", "standard", 1);
	CHECK(load(&cfg) == 0 && cfg.max_attempts == 12,
	    "AWS_MAX_ATTEMPTS beats the profile");
	CHECK_STR(cfg.retry_mode, "standard", "AWS_RETRY_MODE beats the profile");
	aws_config_free(&cfg);

	setenv("AWS_MAX_ATTEMPTS", "0", 1);
	CHECK(load(&cfg) == -1, "max_attempts 0 is an error");
	CHECK_STR(err, "AWS_MAX_ATTEMPTS: expected a whole number of attempts "
	    "of at least 1, got \"0\"", "max_attempts 0 message");
	setenv("AWS_MAX_ATTEMPTS", "3x", 1);
	CHECK(load(&cfg) == -1, "max_attempts 3x is an error");
	setenv("AWS_MAX_ATTEMPTS", "-2", 1);
	CHECK(load(&cfg) == -1, "max_attempts -2 is an error");
	setenv("AWS_MAX_ATTEMPTS", "99999999999", 1);
	CHECK(load(&cfg) == -1, "max_attempts beyond int is an error");

	reset("[default]\n\nmax_attempts = many\n", NULL);
	snprintf(want, sizeof(want), "%s:3: max_attempts: expected a whole "
	    "number of attempts of at least 1, got \"many\"", tpath("config"));
	CHECK(load(&cfg) == -1, "profile max_attempts many is an error");
	CHECK_STR(err, want, "profile max_attempts error names file:line");

	reset(NULL, NULL);
	setenv("AWS_RETRY_MODE", "eager", 1);
	CHECK(load(&cfg) == -1, "unknown retry_mode is an error");
	CHECK_STR(err, "AWS_RETRY_MODE: expected standard, adaptive or legacy, "
	    "got \"eager\"", "retry_mode error");
}

/* 0, or -1 for either failure (a source failed, or none had any). */
static enum aws_creds_result last_result;

static int
resolve(struct aws_config *cfg, struct aws_credentials *c,
    struct assume_log *log)
{
	err[0] = '\0';
	last_result = aws_credentials_resolve(cfg, c, test_assume, log, err,
	    sizeof(err));
	return last_result == AWS_CREDS_OK ? 0 : -1;
}

static void
test_env_and_profile_keys(void)
{
	struct aws_config cfg;
	struct aws_credentials c;
	struct assume_log log = { 0 };
	char want[1024];

	reset("[profile dev]\naws_session_token = devTOKEN\n",
	    "[default]\naws_access_key_id = AKIDPROFILE\n"
	    "aws_secret_access_key = profileSECRET\n"
	    "[dev]\naws_access_key_id = AKIDDEV\n"
	    "aws_secret_access_key = devSECRET\n"
	    "[half]\naws_access_key_id = AKIDHALF\n");
	setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "envSECRET", 1);
	setenv("AWS_SESSION_TOKEN", "envTOKEN", 1);
	CHECK(load(&cfg) == 0, "config loads");
	CHECK(resolve(&cfg, &c, &log) == 0, "environment credentials resolve");
	CHECK_STR(c.access_key_id, "AKIDENV", "environment beats profile");
	CHECK_STR(c.secret_access_key, "envSECRET", "environment secret");
	CHECK_STR(c.session_token, "envTOKEN", "environment session token");
	CHECK_STR(c.source, "environment", "source is environment");
	aws_credentials_free(&c);

	unsetenv("AWS_SESSION_TOKEN");
	unsetenv("AWS_SECRET_ACCESS_KEY");
	CHECK(resolve(&cfg, &c, &log) == -1, "half the environment pair fails");
	CHECK(last_result == AWS_CREDS_FAILED, "as a source that failed");
	CHECK_STR(err, "environment: AWS_ACCESS_KEY_ID is set but "
	    "AWS_SECRET_ACCESS_KEY is not", "half the pair is named");
	unsetenv("AWS_ACCESS_KEY_ID");
	setenv("AWS_SECRET_ACCESS_KEY", "envSECRET", 1);
	CHECK(resolve(&cfg, &c, &log) == -1, "the other half fails too");
	CHECK_STR(err, "environment: AWS_SECRET_ACCESS_KEY is set but "
	    "AWS_ACCESS_KEY_ID is not", "the other half is named");
	CHECK(strstr(err, "envSECRET") == NULL, "the secret is not in err");
	unsetenv("AWS_SECRET_ACCESS_KEY");

	CHECK(resolve(&cfg, &c, &log) == 0, "profile keys resolve");
	CHECK_STR(c.access_key_id, "AKIDPROFILE", "default profile key");
	CHECK(c.session_token == NULL, "no session token in default profile");
	CHECK_STR(c.source, "profile default", "source names the profile");
	aws_credentials_free(&c);
	aws_config_free(&cfg);

	setenv("AWS_PROFILE", "dev", 1);
	CHECK(load(&cfg) == 0 && resolve(&cfg, &c, &log) == 0,
	    "AWS_PROFILE=dev resolves");
	CHECK_STR(c.access_key_id, "AKIDDEV", "AWS_PROFILE selects the keys");
	CHECK_STR(c.session_token, "devTOKEN",
	    "session token from config merges with credentials keys");
	CHECK_STR(c.source, "profile dev", "source is profile dev");
	aws_credentials_free(&c);
	aws_config_free(&cfg);

	setenv("AWS_PROFILE", "half", 1);
	CHECK(load(&cfg) == 0 && resolve(&cfg, &c, &log) == -1,
	    "a profile with half the pair fails");
	CHECK_STR(err, "profile half: aws_access_key_id is set but "
	    "aws_secret_access_key is not", "half a profile pair is named");
	aws_config_free(&cfg);

	setenv("AWS_PROFILE", "nosuch", 1);
	CHECK(load(&cfg) == 0, "a missing named profile still loads");
	CHECK(resolve(&cfg, &c, &log) == -1, "a missing named profile fails");
	CHECK(last_result == AWS_CREDS_NONE, "as no credentials, so that "
	    "plc-aws-sign stops at the first request");
	snprintf(want, sizeof(want), "no credentials found: environment: "
	    "AWS_ACCESS_KEY_ID not set; profile nosuch: not in %s or %s "
	    "(AWS_PROFILE names it, so instance metadata was not tried)",
	    tpath("credentials"), tpath("config"));
	CHECK_STR(err, want, "a missing named profile is reported");
	aws_config_free(&cfg);
	CHECK(log.calls == 0, "no STS call for static keys");
}

static void
test_credential_process(void)
{
	struct aws_config cfg;
	struct aws_credentials c;
	struct assume_log log = { 0 };
	char config[1024], want[1024];
	const char *ok, *fail, *bad, *v2, *nosecret;

	ok = write_file("cp-ok.sh", "#!/bin/sh\n"
	    "printf '{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC%s\", "
	    "\"SecretAccessKey\": \"procSECRET\", \"SessionToken\": "
	    "\"procTOKEN\", \"Expiration\": \"2026-11-25T03:00:00Z\"}' "
	    "\"$1 $(readlink /proc/$$/fd/0)\"\n",
	    0755);
	fail = write_file("cp-fail.sh", "#!/bin/sh\n"
	    "printf '{\"Version\": 1, \"AccessKeyId\": \"AKIDX\", "
	    "\"SecretAccessKey\": \"failSECRET\"}'\nexit 1\n", 0755);
	bad = write_file("cp-bad.sh", "#!/bin/sh\n"
	    "printf '{\"Version\": 1,\\n \"AccessKeyId\": \"AKIDX\", "
	    "\"SecretAccessKey\": \"badSECRET\" oops'\n", 0755);
	v2 = write_file("cp-v2.sh", "#!/bin/sh\n"
	    "echo '{\"Version\": 2, \"AccessKeyId\": \"AKIDX\", "
	    "\"SecretAccessKey\": \"v2SECRET\"}'\n", 0755);
	nosecret = write_file("cp-nosecret.sh", "#!/bin/sh\n"
	    "echo '{\"Version\": 1, \"AccessKeyId\": \"AKIDX\"}'\n", 0755);
	snprintf(config, sizeof(config),
	    "[default]\ncredential_process = %s ' arg'\n"
	    "[profile fail]\ncredential_process = %s --key argSECRET\n"
	    "[profile bad]\ncredential_process = %s\n"
	    "[profile v2]\ncredential_process = %s\n"
	    "[profile nosecret]\ncredential_process = %s\n",
	    ok, fail, bad, v2, nosecret);
	reset(config, NULL);
	CHECK(load(&cfg) == 0 && resolve(&cfg, &c, &log) == 0,
	    "credential_process resolves");
	CHECK_STR(c.access_key_id, "AKIDPROC arg /dev/null",
	    "the command runs through the shell, with its arguments, on "
	    "/dev/null as stdin");
	CHECK_STR(c.secret_access_key, "procSECRET", "process secret");
	CHECK_STR(c.session_token, "procTOKEN", "process session token");
	CHECK(c.expiration == 1795575600, "Expiration parsed as UTC");
	CHECK_STR(c.source, "credential_process of profile default",
	    "source names credential_process and profile");
	aws_credentials_free(&c);
	aws_config_free(&cfg);

	setenv("AWS_PROFILE", "fail", 1);
	CHECK(load(&cfg) == 0 && resolve(&cfg, &c, &log) == -1,
	    "failing credential_process fails");
	snprintf(want, sizeof(want), "credential_process of profile fail: "
	    "\"%s\" exited with status 1", fail);
	CHECK_STR(err, want, "exit status reported with the command");
	CHECK(strstr(err, "failSECRET") == NULL, "no secret after exit 1");
	/* Issue 18, item 7: the command line's arguments were quoted. */
	CHECK(strstr(err, "argSECRET") == NULL,
	    "no secret from the command line's arguments");
	aws_config_free(&cfg);

	setenv("AWS_PROFILE", "bad", 1);
	CHECK(load(&cfg) == 0 && resolve(&cfg, &c, &log) == -1,
	    "bad JSON fails");
	snprintf(want, sizeof(want), "credential_process of profile bad: "
	    "\"%s\": output is not JSON (line 2, column 60)", bad);
	CHECK_STR(err, want, "bad JSON reported with its position");
	CHECK(strstr(err, "badSECRET") == NULL, "no secret after bad JSON");
	aws_config_free(&cfg);

	setenv("AWS_PROFILE", "v2", 1);
	CHECK(load(&cfg) == 0 && resolve(&cfg, &c, &log) == -1,
	    "Version 2 fails");
	snprintf(want, sizeof(want), "credential_process of profile v2: "
	    "\"%s\": expected \"Version\": 1 in its output", v2);
	CHECK_STR(err, want, "Version 2 reported");
	aws_config_free(&cfg);

	setenv("AWS_PROFILE", "nosecret", 1);
	CHECK(load(&cfg) == 0 && resolve(&cfg, &c, &log) == -1,
	    "output without a secret fails");
	snprintf(want, sizeof(want), "credential_process of profile nosecret: "
	    "\"%s\": expected strings AccessKeyId and SecretAccessKey in its "
	    "output", nosecret);
	CHECK_STR(err, want, "missing secret reported");
	aws_config_free(&cfg);
}

static void
test_assume_role(void)
{
	struct aws_config cfg;
	struct assume_log log = { 0 };
	struct aws_credentials c;
	char want[1024];

	reset("[profile lab]\n"
	    "role_arn = arn:aws:iam::123456789012:role/plc-lab\n"
	    "source_profile = base\n"
	    "region = us-east-2\n"
	    "[profile named]\n"
	    "role_arn = arn:aws:iam::123456789012:role/plc-named\n"
	    "source_profile = base\n"
	    "role_session_name = plc-bench\n"
	    "[profile chained]\n"
	    "role_arn = arn:aws:iam::210987654321:role/outer\n"
	    "source_profile = lab\n"
	    "[profile self]\n"
	    "role_arn = arn:aws:iam::123456789012:role/self\n"
	    "source_profile = self\n"
	    "aws_access_key_id = AKIDSELF\n"
	    "aws_secret_access_key = selfSECRET\n"
	    "[profile loop-a]\nrole_arn = arn:aws:iam::1:role/a\n"
	    "source_profile = loop-b\n"
	    "[profile loop-b]\nrole_arn = arn:aws:iam::1:role/b\n"
	    "source_profile = loop-a\n"
	    "[profile orphan]\nrole_arn = arn:aws:iam::1:role/o\n"
	    "source_profile = gone\n"
	    "[profile envsrc]\nrole_arn = arn:aws:iam::1:role/e\n"
	    "credential_source = Environment\n",
	    "[base]\naws_access_key_id = AKIDBASE\n"
	    "aws_secret_access_key = baseSECRET\n");

	setenv("AWS_PROFILE", "lab", 1);
	CHECK(load(&cfg) == 0, "role profile loads");
	time_t before = time(NULL);
	CHECK(resolve(&cfg, &c, &log) == 0, "role_arn resolves");
	CHECK(log.calls == 1, "the STS callback is called once");
	CHECK_STR(log.source_key[0], "AKIDBASE",
	    "callback gets the source profile's key");
	CHECK_STR(log.source_secret[0], "baseSECRET",
	    "callback gets the source profile's secret");
	CHECK_STR(log.role[0], "arn:aws:iam::123456789012:role/plc-lab",
	    "callback gets the role ARN");
	CHECK_STR(log.region[0], "us-east-2", "callback gets the region");
	long long stamp = atoll(log.session[0] + 4);
	CHECK(strncmp(log.session[0], "plc-", 4) == 0 && stamp >= before &&
	    stamp <= time(NULL), "session name is plc-<epoch>");
	CHECK_STR(c.access_key_id, "ASIAROLE0", "role credentials returned");
	CHECK_STR(c.session_token, "roleTOKEN", "role session token");
	CHECK_STR(c.source, "assume role arn:aws:iam::123456789012:role/plc-lab "
	    "via profile lab", "source names role and profile");
	aws_credentials_free(&c);
	aws_config_free(&cfg);

	memset(&log, 0, sizeof(log));
	setenv("AWS_PROFILE", "named", 1);
	CHECK(load(&cfg) == 0 && resolve(&cfg, &c, &log) == 0,
	    "role with session name resolves");
	CHECK_STR(log.session[0], "plc-bench", "role_session_name honoured");
	CHECK_STR(log.region[0], "(null)", "no region passed when none is set");
	aws_credentials_free(&c);
	aws_config_free(&cfg);

	memset(&log, 0, sizeof(log));
	setenv("AWS_PROFILE", "chained", 1);
	CHECK(load(&cfg) == 0 && resolve(&cfg, &c, &log) == 0,
	    "a chain of roles resolves");
	CHECK(log.calls == 2, "two STS calls for two roles");
	CHECK_STR(log.role[0], "arn:aws:iam::123456789012:role/plc-lab",
	    "inner role first");
	CHECK_STR(log.source_key[1], "ASIAROLE0",
	    "outer role assumed with the inner role's credentials");
	CHECK_STR(log.role[1], "arn:aws:iam::210987654321:role/outer",
	    "outer role second");
	CHECK_STR(c.access_key_id, "ASIAROLE1", "outer role credentials");
	aws_credentials_free(&c);
	aws_config_free(&cfg);

	memset(&log, 0, sizeof(log));
	setenv("AWS_PROFILE", "self", 1);
	CHECK(load(&cfg) == 0 && resolve(&cfg, &c, &log) == 0,
	    "self-sourced role resolves");
	CHECK_STR(log.source_key[0], "AKIDSELF",
	    "a profile can be its own source_profile");
	aws_credentials_free(&c);
	aws_config_free(&cfg);

	memset(&log, 0, sizeof(log));
	setenv("AWS_PROFILE", "loop-a", 1);
	CHECK(load(&cfg) == 0 && resolve(&cfg, &c, &log) == -1,
	    "source_profile loop fails");
	CHECK_STR(err, "profile loop-a: source_profile loop: loop-a -> loop-b "
	    "-> loop-a", "loop is shown");
	CHECK(log.calls == 0, "no STS call in a loop");
	aws_config_free(&cfg);

	setenv("AWS_PROFILE", "orphan", 1);
	CHECK(load(&cfg) == 0 && resolve(&cfg, &c, &log) == -1,
	    "missing source_profile fails");
	snprintf(want, sizeof(want), "profile orphan: source_profile gone is "
	    "not in %s or %s", tpath("credentials"), tpath("config"));
	CHECK_STR(err, want, "missing source_profile named");
	aws_config_free(&cfg);

	setenv("AWS_PROFILE", "envsrc", 1);
	CHECK(load(&cfg) == 0 && resolve(&cfg, &c, &log) == -1,
	    "credential_source Environment without keys fails");
	CHECK_STR(err, "profile envsrc: credential_source Environment: "
	    "AWS_ACCESS_KEY_ID not set", "credential_source reason");
	setenv("AWS_ACCESS_KEY_ID", "AKIDENVSRC", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "envsrcSECRET", 1);
	/* Keys in the environment win before any profile is read. */
	CHECK(resolve(&cfg, &c, &log) == 0 && log.calls == 0,
	    "environment keys come before the role profile");
	aws_credentials_free(&c);
	aws_config_free(&cfg);
	unsetenv("AWS_ACCESS_KEY_ID");
	unsetenv("AWS_SECRET_ACCESS_KEY");

	memset(&log, 0, sizeof(log));
	log.fail = 1;
	setenv("AWS_PROFILE", "lab", 1);
	CHECK(load(&cfg) == 0 && resolve(&cfg, &c, &log) == -1,
	    "STS refusal fails");
	CHECK_STR(err, "profile lab: assume role "
	    "arn:aws:iam::123456789012:role/plc-lab: AccessDenied: not "
	    "authorized to assume arn:aws:iam::123456789012:role/plc-lab",
	    "STS refusal reported");
	CHECK(strstr(err, "baseSECRET") == NULL, "no source secret in err");
	CHECK(aws_credentials_resolve(&cfg, &c, NULL, NULL, err,
	    sizeof(err)) == -1, "no STS callback fails");
	CHECK_STR(err, "profile lab: role_arn needs STS, which this program "
	    "does not call", "missing callback reported");
	aws_config_free(&cfg);
}

/*
 * A minimal instance metadata service on 127.0.0.1, in a child process:
 * it answers the three IMDSv2 requests and refuses (401) a metadata GET
 * without the session token, and (400) a token PUT without the TTL header,
 * as the real service does.
 */
enum imds_mode { IMDS_V2, IMDS_V1_ONLY, IMDS_NO_ROLE, IMDS_BAD_JSON };

#define TEST_TOKEN	"AQAEAtestTOKENvalue=="
#define TEST_ROLES	"/latest/meta-data/iam/security-credentials/"

static void
imds_reply(int c, int status, const char *body)
{
	char head[256];
	int n;

	n = snprintf(head, sizeof(head), "HTTP/1.1 %d X\r\nContent-Length: "
	    "%zu\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n",
	    status, strlen(body));
	if (write(c, head, (size_t)n) != n ||
	    write(c, body, strlen(body)) != (ssize_t)strlen(body))
		_exit(3);
}

static int
has_header(const char *req, const char *line)
{
	const char *p;

	for (p = strstr(req, "\r\n"); p != NULL; p = strstr(p + 2, "\r\n"))
		if (strncasecmp(p + 2, line, strlen(line)) == 0 &&
		    strncmp(p + 2 + strlen(line), "\r\n", 2) == 0)
			return 1;
	return 0;
}

static void
imds_serve(int c, enum imds_mode mode)
{
	char req[8192], method[16], path[512];
	size_t len = 0;
	ssize_t n;
	int v2 = mode != IMDS_V1_ONLY;

	while (len < sizeof(req) - 1 &&
	    (n = read(c, req + len, sizeof(req) - 1 - len)) > 0) {
		len += (size_t)n;
		req[len] = '\0';
		if (strstr(req, "\r\n\r\n") != NULL)
			break;
	}
	req[len] = '\0';
	if (sscanf(req, "%15s %511s", method, path) != 2) {
		imds_reply(c, 400, "");
		return;
	}
	if (strcmp(path, "/latest/api/token") == 0) {
		if (strcmp(method, "PUT") != 0)
			imds_reply(c, 405, "");
		else if (!v2)
			imds_reply(c, 405, "");
		else if (!has_header(req,
		    "X-aws-ec2-metadata-token-ttl-seconds: 21600"))
			imds_reply(c, 400, "");
		else
			imds_reply(c, 200, TEST_TOKEN);
		return;
	}
	if (strcmp(method, "GET") != 0) {
		imds_reply(c, 405, "");
		return;
	}
	if (v2 && !has_header(req, "X-aws-ec2-metadata-token: " TEST_TOKEN)) {
		imds_reply(c, 401, "");
		return;
	}
	if (strcmp(path, TEST_ROLES) == 0) {
		if (mode == IMDS_NO_ROLE)
			imds_reply(c, 404, "");
		else
			imds_reply(c, 200, "plc-node-role\n");
	} else if (strcmp(path, TEST_ROLES "plc-node-role") == 0) {
		if (mode == IMDS_BAD_JSON)
			imds_reply(c, 200, "{\"Code\": \"Success\", "
			    "\"AccessKeyId\": \"ASIAX\", \"SecretAccessKey\": "
			    "\"imdsLEAKED\"");
		else
			imds_reply(c, 200, "{\n  \"Code\" : \"Success\",\n"
			    "  \"LastUpdated\" : \"2026-11-24T21:00:00Z\",\n"
			    "  \"Type\" : \"AWS-HMAC\",\n"
			    "  \"AccessKeyId\" : \"ASIAIMDSEXAMPLE\",\n"
			    "  \"SecretAccessKey\" : \"imdsSECRET\",\n"
			    "  \"Token\" : \"imdsTOKEN\",\n"
			    "  \"Expiration\" : \"2026-11-24T23:30:15+02:00\"\n"
			    "}");
	} else
		imds_reply(c, 404, "");
}

static pid_t
imds_start(enum imds_mode mode, int *port)
{
	struct sockaddr_in sa = { 0 };
	socklen_t salen = sizeof(sa);
	pid_t pid;
	int s, c;

	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((s = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    bind(s, (struct sockaddr *)&sa, sizeof(sa)) == -1 ||
	    listen(s, 8) == -1 ||
	    getsockname(s, (struct sockaddr *)&sa, &salen) == -1) {
		perror("imds responder");
		exit(99);
	}
	*port = ntohs(sa.sin_port);
	fflush(stdout);
	if ((pid = fork()) == -1) {
		perror("fork");
		exit(99);
	}
	if (pid == 0) {
		for (;;) {
			if ((c = accept(s, NULL, NULL)) == -1) {
				if (errno == EINTR)
					continue;
				_exit(2);
			}
			imds_serve(c, mode);
			close(c);
		}
	}
	close(s);
	return pid;
}

/* SIGKILL, so that valgrind does not leak-check the forked copy. */
static void
imds_stop(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* A loopback port with nobody listening: bind one, then let it go. */
static int
closed_port(void)
{
	struct sockaddr_in sa = { 0 };
	socklen_t salen = sizeof(sa);
	int s, port;

	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	s = socket(AF_INET, SOCK_STREAM, 0);
	if (s == -1 || bind(s, (struct sockaddr *)&sa, sizeof(sa)) == -1 ||
	    getsockname(s, (struct sockaddr *)&sa, &salen) == -1) {
		perror("closed_port");
		exit(99);
	}
	port = ntohs(sa.sin_port);
	close(s);
	return port;
}

static void
test_imds(void)
{
	struct aws_config cfg;
	struct aws_credentials c;
	struct assume_log log = { 0 };
	char url[64], want[1024];
	pid_t pid;
	int port;

	pid = imds_start(IMDS_V2, &port);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/", port);
	reset("[profile empty]\nregion = us-east-1\n", NULL);
	unsetenv("AWS_EC2_METADATA_DISABLED");
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", url, 1);
	CHECK(load(&cfg) == 0, "config for IMDS loads");
	CHECK(resolve(&cfg, &c, &log) == 0, "IMDSv2 credentials resolve");
	CHECK_STR(c.access_key_id, "ASIAIMDSEXAMPLE", "IMDS access key");
	CHECK_STR(c.secret_access_key, "imdsSECRET", "IMDS secret");
	CHECK_STR(c.session_token, "imdsTOKEN", "IMDS Token");
	CHECK(c.expiration == 1795555815, "IMDS Expiration with an offset");
	CHECK_STR(c.source, "instance metadata", "source is instance metadata");
	aws_credentials_free(&c);
	aws_config_free(&cfg);

	/* A profile without credentials falls through to the instance. */
	setenv("AWS_PROFILE", "empty", 1);
	CHECK(load(&cfg) == 0 && resolve(&cfg, &c, &log) == 0,
	    "empty profile falls through to IMDS");
	CHECK_STR(c.access_key_id, "ASIAIMDSEXAMPLE", "IMDS after empty profile");
	aws_credentials_free(&c);
	aws_config_free(&cfg);
	imds_stop(pid);

	/* The endpoint from the profile; the instance as a role's source. */
	pid = imds_start(IMDS_V2, &port);
	snprintf(want, sizeof(want), "[profile node]\n"
	    "ec2_metadata_service_endpoint = http://127.0.0.1:%d\n"
	    "role_arn = arn:aws:iam::123456789012:role/from-node\n"
	    "credential_source = Ec2InstanceMetadata\n", port);
	reset(want, NULL);
	unsetenv("AWS_EC2_METADATA_DISABLED");
	setenv("AWS_PROFILE", "node", 1);
	memset(&log, 0, sizeof(log));
	CHECK(load(&cfg) == 0 && resolve(&cfg, &c, &log) == 0,
	    "credential_source Ec2InstanceMetadata resolves");
	CHECK(log.calls == 1 && strcmp(log.source_key[0], "ASIAIMDSEXAMPLE") ==
	    0, "the role is assumed with the instance's credentials");
	CHECK_STR(c.access_key_id, "ASIAROLE0", "role credentials returned");
	aws_credentials_free(&c);
	aws_config_free(&cfg);
	imds_stop(pid);
	reset("[profile empty]\nregion = us-east-1\n", NULL);
	unsetenv("AWS_EC2_METADATA_DISABLED");
	setenv("AWS_PROFILE", "empty", 1);

	pid = imds_start(IMDS_V1_ONLY, &port);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d", port);
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", url, 1);
	CHECK(load(&cfg) == 0 && resolve(&cfg, &c, &log) == 0,
	    "IMDSv1 fallback after 405 on the token");
	CHECK_STR(c.access_key_id, "ASIAIMDSEXAMPLE", "IMDSv1 access key");
	aws_credentials_free(&c);
	setenv("AWS_EC2_METADATA_V1_DISABLED", "true", 1);
	CHECK(resolve(&cfg, &c, &log) == -1, "no fallback when v1 disabled");
	snprintf(want, sizeof(want), "no credentials found: environment: "
	    "AWS_ACCESS_KEY_ID not set; profile empty: no aws_access_key_id, "
	    "credential_process or role_arn; instance metadata %s: token "
	    "request answered HTTP 405 and IMDSv1 is disabled", url);
	CHECK_STR(err, want, "v1 disabled reported");
	unsetenv("AWS_EC2_METADATA_V1_DISABLED");
	aws_config_free(&cfg);
	imds_stop(pid);

	pid = imds_start(IMDS_NO_ROLE, &port);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d", port);
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", url, 1);
	CHECK(load(&cfg) == 0 && resolve(&cfg, &c, &log) == -1,
	    "instance without a role gives nothing");
	snprintf(want, sizeof(want), "instance metadata %s: no IAM role "
	    "attached to the instance", url);
	CHECK(strstr(err, want) != NULL, "missing role reported");
	aws_config_free(&cfg);
	imds_stop(pid);

	pid = imds_start(IMDS_BAD_JSON, &port);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d", port);
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", url, 1);
	CHECK(load(&cfg) == 0 && resolve(&cfg, &c, &log) == -1,
	    "bad role JSON gives nothing");
	snprintf(want, sizeof(want), "instance metadata %s: role "
	    "plc-node-role: answer is not a JSON object", url);
	CHECK(strstr(err, want) != NULL, "bad role JSON reported");
	CHECK(strstr(err, "imdsLEAKED") == NULL && strstr(err, TEST_TOKEN) ==
	    NULL, "no secret or token in err");
	aws_config_free(&cfg);
	imds_stop(pid);
}

/*
 * A listener that never accepts: the kernel completes the connection, the
 * request goes out, and no answer comes; the client must give up.
 */
static void
test_imds_timeout(void)
{
	struct aws_config cfg;
	struct aws_credentials c;
	struct assume_log log = { 0 };
	struct sockaddr_in sa = { 0 };
	socklen_t salen = sizeof(sa);
	char url[64], want[1024];
	time_t start;
	int s;

	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((s = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    bind(s, (struct sockaddr *)&sa, sizeof(sa)) == -1 ||
	    listen(s, 8) == -1 ||
	    getsockname(s, (struct sockaddr *)&sa, &salen) == -1) {
		perror("silent listener");
		exit(99);
	}
	snprintf(url, sizeof(url), "http://127.0.0.1:%d", ntohs(sa.sin_port));
	reset(NULL, NULL);
	unsetenv("AWS_EC2_METADATA_DISABLED");
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", url, 1);
	start = time(NULL);
	CHECK(load(&cfg) == 0 && resolve(&cfg, &c, &log) == -1,
	    "a silent metadata service gives nothing");
	CHECK(time(NULL) - start <= 5, "and is given up within seconds");
	snprintf(want, sizeof(want), "instance metadata %s: no answer within "
	    "1000 ms", url);
	CHECK(strstr(err, want) != NULL, "the silence is reported");
	aws_config_free(&cfg);
	close(s);
}

static void
test_nothing_found(void)
{
	struct aws_config cfg;
	struct aws_credentials c;
	struct assume_log log = { 0 };
	char url[64], want[1024];

	reset(NULL, NULL);
	CHECK(load(&cfg) == 0 && resolve(&cfg, &c, &log) == -1,
	    "nothing found with IMDS disabled");
	snprintf(want, sizeof(want), "no credentials found: environment: "
	    "AWS_ACCESS_KEY_ID not set; profile default: not in %s or %s; "
	    "instance metadata: disabled by AWS_EC2_METADATA_DISABLED",
	    tpath("no-credentials"), tpath("no-config"));
	CHECK_STR(err, want, "every source named, IMDS disabled");
	aws_config_free(&cfg);

	unsetenv("AWS_EC2_METADATA_DISABLED");
	snprintf(url, sizeof(url), "http://127.0.0.1:%d", closed_port());
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", url, 1);
	CHECK(load(&cfg) == 0 && resolve(&cfg, &c, &log) == -1,
	    "nothing found with IMDS refused");
	snprintf(want, sizeof(want), "no credentials found: environment: "
	    "AWS_ACCESS_KEY_ID not set; profile default: not in %s or %s; "
	    "instance metadata %s: connection refused",
	    tpath("no-credentials"), tpath("no-config"), url);
	CHECK_STR(err, want, "every source named, IMDS refused");
	aws_config_free(&cfg);

	reset("[default]\nsso_session = corp\nsso_account_id = 1\n", NULL);
	CHECK(load(&cfg) == 0 && resolve(&cfg, &c, &log) == -1,
	    "an SSO profile gives nothing");
	snprintf(want, sizeof(want), "no credentials found: environment: "
	    "AWS_ACCESS_KEY_ID not set; profile default: sso_* settings (IAM "
	    "Identity Center) are not supported, a credential_process can "
	    "supply them; instance metadata: disabled by "
	    "AWS_EC2_METADATA_DISABLED");
	CHECK_STR(err, want, "SSO profile explained");
	aws_config_free(&cfg);
}

int
main(void)
{
	int i;

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/plc-awscreds-XXXXXX");
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 99;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	test_defaults();
	test_fixture_profiles();
	test_sections();
	test_ini_values();
	test_malformed();
	test_region();
	test_endpoints();
	test_max_attempts();
	test_env_and_profile_keys();
	test_credential_process();
	test_assume_role();
	test_imds();
	test_imds_timeout();
	test_nothing_found();
	curl_global_cleanup();
	for (i = 0; i < nmade; i++) {
		unlink(made[i]);
		free(made[i]);
	}
	rmdir(tmpdir);
	return unit_done();
}
