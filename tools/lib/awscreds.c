/*
 * AWS settings and the credential chain; see awscreds.h for the order.
 * Where the SDKs disagree, botocore (the aws CLI) is followed, since it is
 * what the users of plc also run.
 */
#include <ctype.h>
#include <stdarg.h>
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#include <jansson.h>

#include "awscreds.h"
#include "buf.h"
#include "imds.h"
#include "ini.h"

#define PROCESS_OUTPUT_MAX	(1 << 20)
#define SOURCE_DEPTH_MAX	16

struct aws_files {
	struct ini_file	 credentials;
	struct ini_file	 config;
	int		 credentials_missing;
	int		 config_missing;
	int		 config_has_profile_default;
	int		 profile_explicit;	/* AWS_PROFILE was set */
};

/* An environment variable; set but empty counts as unset, as in the SDKs. */
static const char *
env(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && v[0] != '\0' ? v : NULL;
}

static int
env_true(const char *name)
{
	const char *v = env(name);

	return v != NULL && strcasecmp(v, "true") == 0;
}

static char *
expand_home(const char *path)
{
	const char *home;
	struct passwd *pw;
	struct buf b = { 0 };

	if (path[0] != '~' || (path[1] != '/' && path[1] != '\0'))
		return xstrdup(path);
	if ((home = env("HOME")) == NULL) {
		pw = getpwuid(getuid());
		home = pw != NULL ? pw->pw_dir : "/";
	}
	buf_adds(&b, home);
	buf_adds(&b, path + 1);
	return buf_detach(&b);
}

/* After "type" and blanks in a section name like "profile dev"; or NULL. */
static const char *
section_typed(const char *name, const char *type)
{
	size_t n = strlen(type);

	if (strncmp(name, type, n) != 0 || (name[n] != ' ' && name[n] != '\t'))
		return NULL;
	for (name += n; *name == ' ' || *name == '\t'; name++)
		;
	return name;
}

/*
 * In config, [default] is the default profile unless [profile default]
 * exists anywhere in the file; then [default] is ignored (SDK file rules).
 */
static int
config_section_is(const struct aws_files *fs, const char *secname,
    const char *profile)
{
	const char *p;

	if ((p = section_typed(secname, "profile")) != NULL)
		return strcmp(p, profile) == 0;
	return strcmp(profile, "default") == 0 &&
	    strcmp(secname, "default") == 0 && !fs->config_has_profile_default;
}

static const struct ini_prop *
file_prop(const struct aws_files *fs, const struct ini_file *f, int is_config,
    const char *profile, const char *key)
{
	const struct ini_section *s;
	const struct ini_prop *p, *hit = NULL;

	for (s = f->sections; s != NULL; s = s->next) {
		if (is_config ? !config_section_is(fs, s->name, profile) :
		    strcmp(s->name, profile) != 0)
			continue;
		/* "key =" alone is no setting: it must not hide the other
		 * file's value. */
		if ((p = ini_prop_find(s->props, key)) != NULL &&
		    (p->value[0] != '\0' || p->sub != NULL))
			hit = p;
	}
	return hit;
}

/* A profile's setting; the credentials file wins over config. */
static const struct ini_prop *
profile_prop(const struct aws_files *fs, const char *profile, const char *key,
    const char **path)
{
	const struct ini_prop *p;

	if ((p = file_prop(fs, &fs->credentials, 0, profile, key)) != NULL) {
		if (path != NULL)
			*path = fs->credentials.path;
		return p;
	}
	if ((p = file_prop(fs, &fs->config, 1, profile, key)) != NULL) {
		if (path != NULL)
			*path = fs->config.path;
	}
	return p;
}

static const char *
profile_get(const struct aws_files *fs, const char *profile, const char *key)
{
	const struct ini_prop *p = profile_prop(fs, profile, key, NULL);

	return p != NULL && p->value[0] != '\0' ? p->value : NULL;
}

static int
profile_exists(const struct aws_files *fs, const char *profile)
{
	const struct ini_section *s;

	for (s = fs->credentials.sections; s != NULL; s = s->next)
		if (strcmp(s->name, profile) == 0)
			return 1;
	for (s = fs->config.sections; s != NULL; s = s->next)
		if (config_section_is(fs, s->name, profile))
			return 1;
	return 0;
}

/*
 * A setting from the environment, else from the profile. *where is the
 * variable's name or "file:line", for messages.
 */
static const char *
setting(const struct aws_files *fs, const char *profile, const char *var,
    const char *key, char *where, size_t wherelen)
{
	const struct ini_prop *p;
	const char *v, *path;

	if (var != NULL && (v = env(var)) != NULL) {
		snprintf(where, wherelen, "%s", var);
		return v;
	}
	if ((p = profile_prop(fs, profile, key, &path)) == NULL ||
	    p->value[0] == '\0')
		return NULL;
	snprintf(where, wherelen, "%s:%d: %s", path, p->line, key);
	return p->value;
}

static int
parse_max_attempts(const char *v, int *out)
{
	char *end;
	long n;

	if (!isdigit((unsigned char)v[0]))
		return -1;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || *end != '\0' || n < 1 || n > INT_MAX)
		return -1;
	*out = (int)n;
	return 0;
}

int
aws_config_load(struct aws_config *cfg, char *err, size_t errlen)
{
	struct aws_files *fs;
	const struct ini_section *s;
	const char *v;
	char *path, where[PATH_MAX + 64];
	int rc;

	memset(cfg, 0, sizeof(*cfg));
	fs = xcalloc(1, sizeof(*fs));
	cfg->files = fs;
	cfg->max_attempts = 3;
	if ((v = env("AWS_PROFILE")) != NULL)
		fs->profile_explicit = 1;
	cfg->profile = xstrdup(v != NULL ? v : "default");

	v = env("AWS_SHARED_CREDENTIALS_FILE");
	path = expand_home(v != NULL ? v : "~/.aws/credentials");
	rc = ini_load(&fs->credentials, path, &fs->credentials_missing, err,
	    errlen);
	free(path);
	if (rc == -1)
		goto fail;
	v = env("AWS_CONFIG_FILE");
	path = expand_home(v != NULL ? v : "~/.aws/config");
	rc = ini_load(&fs->config, path, &fs->config_missing, err, errlen);
	free(path);
	if (rc == -1)
		goto fail;
	for (s = fs->config.sections; s != NULL; s = s->next)
		if ((v = section_typed(s->name, "profile")) != NULL &&
		    strcmp(v, "default") == 0)
			fs->config_has_profile_default = 1;

	if ((v = env("AWS_REGION")) == NULL)
		v = setting(fs, cfg->profile, "AWS_DEFAULT_REGION", "region",
		    where, sizeof(where));
	cfg->region = v != NULL ? xstrdup(v) : NULL;
	v = setting(fs, cfg->profile, "AWS_CA_BUNDLE", "ca_bundle", where,
	    sizeof(where));
	cfg->ca_bundle = v != NULL ? expand_home(v) : NULL;

	if ((v = setting(fs, cfg->profile, "AWS_MAX_ATTEMPTS", "max_attempts",
	    where, sizeof(where))) != NULL &&
	    parse_max_attempts(v, &cfg->max_attempts) == -1) {
		snprintf(err, errlen, "%s: expected a whole number of attempts "
		    "of at least 1, got \"%s\"", where, v);
		goto fail;
	}
	v = setting(fs, cfg->profile, "AWS_RETRY_MODE", "retry_mode", where,
	    sizeof(where));
	if (v == NULL)
		v = "standard";
	if (strcmp(v, "standard") != 0 && strcmp(v, "adaptive") != 0 &&
	    strcmp(v, "legacy") != 0) {
		snprintf(err, errlen, "%s: expected standard, adaptive or "
		    "legacy, got \"%s\"", where, v);
		goto fail;
	}
	cfg->retry_mode = xstrdup(v);

	v = setting(fs, cfg->profile, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
	    "ignore_configured_endpoint_urls", where, sizeof(where));
	if (v != NULL && strcasecmp(v, "true") == 0)
		cfg->ignore_configured_endpoints = 1;
	else if (v != NULL && strcasecmp(v, "false") != 0) {
		snprintf(err, errlen, "%s: expected true or false, got \"%s\"",
		    where, v);
		goto fail;
	}
	v = setting(fs, cfg->profile, "AWS_ENDPOINT_URL", "endpoint_url", where,
	    sizeof(where));
	if (v != NULL && !cfg->ignore_configured_endpoints)
		cfg->endpoint_url = xstrdup(v);
	return 0;
fail:
	aws_config_free(cfg);
	return -1;
}

void
aws_config_free(struct aws_config *cfg)
{
	struct aws_files *fs = cfg->files;

	if (fs != NULL) {
		ini_free(&fs->credentials);
		ini_free(&fs->config);
		free(fs);
	}
	free(cfg->profile);
	free(cfg->region);
	free(cfg->endpoint_url);
	free(cfg->ca_bundle);
	free(cfg->retry_mode);
	memset(cfg, 0, sizeof(*cfg));
}

/* "Cost Explorer" -> "cost_explorer" (upper = 0) or "COST_EXPLORER". */
static int
service_key(const char *service_id, int upper, char *out, size_t outlen)
{
	size_t i;

	for (i = 0; service_id[i] != '\0'; i++) {
		if (i + 1 >= outlen)
			return -1;
		if (service_id[i] == ' ')
			out[i] = '_';
		else if (upper)
			out[i] = (char)toupper((unsigned char)service_id[i]);
		else
			out[i] = (char)tolower((unsigned char)service_id[i]);
	}
	out[i] = '\0';
	return 0;
}

const char *
aws_config_endpoint(const struct aws_config *cfg, const char *service_id)
{
	const struct aws_files *fs = cfg->files;
	const struct ini_section *s;
	const struct ini_prop *p, *sub, *hit = NULL;
	const char *v, *name;
	char var[160], key[128];

	if (cfg->ignore_configured_endpoints)
		return NULL;
	memcpy(var, "AWS_ENDPOINT_URL_", 17);
	if (service_key(service_id, 1, var + 17, sizeof(var) - 17) == 0 &&
	    (v = env(var)) != NULL)
		return v;
	if (service_key(service_id, 0, key, sizeof(key)) == 0 &&
	    (name = profile_get(fs, cfg->profile, "services")) != NULL) {
		for (s = fs->config.sections; s != NULL; s = s->next) {
			if ((v = section_typed(s->name, "services")) == NULL ||
			    strcmp(v, name) != 0)
				continue;
			if ((p = ini_prop_find(s->props, key)) != NULL &&
			    (sub = ini_prop_find(p->sub, "endpoint_url")) != NULL &&
			    sub->value[0] != '\0')
				hit = sub;
		}
		if (hit != NULL)
			return hit->value;
	}
	return cfg->endpoint_url;
}

void
aws_credentials_free(struct aws_credentials *c)
{
	if (c->secret_access_key != NULL)
		explicit_bzero(c->secret_access_key,
		    strlen(c->secret_access_key));
	if (c->session_token != NULL)
		explicit_bzero(c->session_token, strlen(c->session_token));
	free(c->access_key_id);
	free(c->secret_access_key);
	free(c->session_token);
	memset(c, 0, sizeof(*c));
}

static void
creds_set(struct aws_credentials *c, const char *id, const char *secret,
    const char *token, time_t expiration)
{
	c->access_key_id = xstrdup(id);
	c->secret_access_key = xstrdup(secret);
	c->session_token = token != NULL && token[0] != '\0' ?
	    xstrdup(token) : NULL;
	c->expiration = expiration;
}

int
aws_time_parse_rfc3339(const char *s, time_t *out)
{
	struct tm tm = { 0 };
	int n = 0, oh, om, sign;
	time_t t;

	if (sscanf(s, "%4d-%2d-%2d%*1[Tt ]%2d:%2d:%2d%n", &tm.tm_year,
	    &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec,
	    &n) != 6 || n == 0)
		return -1;
	s += n;
	if (*s == '.')
		for (s++; isdigit((unsigned char)*s); s++)
			;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	if ((t = timegm(&tm)) == (time_t)-1)
		return -1;
	if ((*s == 'Z' || *s == 'z') && s[1] == '\0') {
		*out = t;
		return 0;
	}
	if ((*s != '+' && *s != '-') ||
	    sscanf(s + 1, "%2d:%2d%n", &oh, &om, &n) != 2 || s[1 + n] != '\0')
		return -1;
	sign = *s == '+' ? 1 : -1;
	*out = t - sign * (oh * 3600 + om * 60);
	return 0;
}

/* Returns 0, or 1 with why set when the environment has no key pair. */
static int
env_credentials(struct aws_credentials *out, char *why, size_t whylen,
    int *partial)
{
	const char *id = env("AWS_ACCESS_KEY_ID");
	const char *secret = env("AWS_SECRET_ACCESS_KEY");

	*partial = 0;
	if (id == NULL && secret == NULL) {
		snprintf(why, whylen, "AWS_ACCESS_KEY_ID not set");
		return 1;
	}
	if (id == NULL || secret == NULL) {
		*partial = 1;
		snprintf(why, whylen, "%s is set but %s is not",
		    id != NULL ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY",
		    id != NULL ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID");
		return 1;
	}
	creds_set(out, id, secret, env("AWS_SESSION_TOKEN"), 0);
	snprintf(out->source, sizeof(out->source), "environment");
	return 0;
}

struct chain {
	const struct aws_config	*cfg;
	const struct aws_files	*fs;
	aws_assume_role_fn	*assume;
	void			*ctx;
	char			*err;
	size_t			 errlen;
};


static int
chain_error(struct chain *ch, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
chain_error(struct chain *ch, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ch->err, ch->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/*
 * Runs the profile's credential_process through /bin/sh -c, as the SDKs
 * do. Messages name the command but never quote its output, which may
 * hold the secret.
 */
static int
process_credentials(struct chain *ch, const char *profile, const char *cmd,
    struct aws_credentials *out)
{
	FILE *fp;
	struct buf b = { 0 };
	char chunk[4096];
	json_t *doc = NULL, *v;
	json_error_t e;
	const char *id, *secret, *token, *exp;
	time_t expiration = 0;
	size_t n;
	int status, rc = -1, toolong = 0;

	fflush(NULL);
	if ((fp = popen(cmd, "r")) == NULL)
		return chain_error(ch, "credential_process of profile %s: "
		    "\"%s\": %s", profile, cmd, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if (b.len + n <= PROCESS_OUTPUT_MAX)
			buf_add(&b, chunk, n);
		else
			toolong = 1;
	status = pclose(fp);
	if (status == -1) {
		chain_error(ch, "credential_process of profile %s: \"%s\": %s",
		    profile, cmd, strerror(errno));
		goto out;
	}
	if (WIFSIGNALED(status)) {
		chain_error(ch, "credential_process of profile %s: \"%s\" was "
		    "killed by signal %d", profile, cmd, WTERMSIG(status));
		goto out;
	}
	if (WEXITSTATUS(status) != 0) {
		chain_error(ch, "credential_process of profile %s: \"%s\" "
		    "exited with status %d", profile, cmd, WEXITSTATUS(status));
		goto out;
	}
	if (toolong) {
		chain_error(ch, "credential_process of profile %s: \"%s\" "
		    "wrote more than %d bytes", profile, cmd,
		    PROCESS_OUTPUT_MAX);
		goto out;
	}
	/* jansson's error text quotes the input: give the position only. */
	if ((doc = json_loadb(b.data ? b.data : "", b.len, 0, &e)) == NULL ||
	    !json_is_object(doc)) {
		if (doc == NULL)
			chain_error(ch, "credential_process of profile %s: "
			    "\"%s\": output is not JSON (line %d, column %d)",
			    profile, cmd, e.line, e.column);
		else
			chain_error(ch, "credential_process of profile %s: "
			    "\"%s\": output is not a JSON object", profile,
			    cmd);
		goto out;
	}
	v = json_object_get(doc, "Version");
	if (!json_is_integer(v) || json_integer_value(v) != 1) {
		chain_error(ch, "credential_process of profile %s: \"%s\": "
		    "expected \"Version\": 1 in its output", profile, cmd);
		goto out;
	}
	id = json_string_value(json_object_get(doc, "AccessKeyId"));
	secret = json_string_value(json_object_get(doc, "SecretAccessKey"));
	token = json_string_value(json_object_get(doc, "SessionToken"));
	exp = json_string_value(json_object_get(doc, "Expiration"));
	if (id == NULL || *id == '\0' || secret == NULL || *secret == '\0') {
		chain_error(ch, "credential_process of profile %s: \"%s\": "
		    "expected strings AccessKeyId and SecretAccessKey in its "
		    "output", profile, cmd);
		goto out;
	}
	if (exp != NULL && aws_time_parse_rfc3339(exp, &expiration) == -1) {
		chain_error(ch, "credential_process of profile %s: \"%s\": "
		    "Expiration is not an RFC 3339 time", profile, cmd);
		goto out;
	}
	creds_set(out, id, secret, token, expiration);
	snprintf(out->source, sizeof(out->source),
	    "credential_process of profile %s", profile);
	rc = 0;
out:
	json_decref(doc);
	if (b.data != NULL)
		explicit_bzero(b.data, b.len);
	buf_free(&b);
	return rc;
}

static char *
imds_endpoint(const struct chain *ch)
{
	const char *v, *mode;
	char *url;
	size_t n;
	char where[PATH_MAX + 64];

	v = setting(ch->fs, ch->cfg->profile,
	    "AWS_EC2_METADATA_SERVICE_ENDPOINT",
	    "ec2_metadata_service_endpoint", where, sizeof(where));
	if (v == NULL) {
		mode = setting(ch->fs, ch->cfg->profile,
		    "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
		    "ec2_metadata_service_endpoint_mode", where, sizeof(where));
		v = mode != NULL && strcasecmp(mode, "IPv6") == 0 ?
		    "http://[fd00:ec2::254]" : "http://169.254.169.254";
	}
	url = xstrdup(v);
	for (n = strlen(url); n > 0 && url[n - 1] == '/'; n--)
		url[n - 1] = '\0';
	return url;
}

/* 0 with credentials, or 1 with "instance metadata URL: why" in why. */
static int
instance_credentials(struct chain *ch, struct aws_credentials *out,
    char *why, size_t whylen)
{
	char reason[256], where[PATH_MAX + 64];
	const char *v1off;
	char *url;
	int rc;

	if (env_true("AWS_EC2_METADATA_DISABLED")) {
		snprintf(why, whylen, "instance metadata: disabled by "
		    "AWS_EC2_METADATA_DISABLED");
		return 1;
	}
	v1off = setting(ch->fs, ch->cfg->profile,
	    "AWS_EC2_METADATA_V1_DISABLED", "ec2_metadata_v1_disabled", where,
	    sizeof(where));
	url = imds_endpoint(ch);
	rc = imds_credentials(url, v1off != NULL &&
	    strcasecmp(v1off, "true") == 0, out, reason, sizeof(reason));
	if (rc != 0)
		snprintf(why, whylen, "instance metadata %s: %s", url, reason);
	free(url);
	return rc;
}

/*
 * The profile's own keys, else its credential_process. Returns 0, 1 when it
 * has neither, -1 on error.
 */
static int
profile_direct(struct chain *ch, const char *profile,
    struct aws_credentials *out)
{
	const struct ini_prop *id, *secret;
	const char *path, *cmd;

	id = profile_prop(ch->fs, profile, "aws_access_key_id", &path);
	if (id != NULL && id->value[0] == '\0')
		id = NULL;
	secret = profile_prop(ch->fs, profile, "aws_secret_access_key", &path);
	if (secret != NULL && secret->value[0] == '\0')
		secret = NULL;
	if (id != NULL && secret != NULL) {
		creds_set(out, id->value, secret->value,
		    profile_get(ch->fs, profile, "aws_session_token"), 0);
		snprintf(out->source, sizeof(out->source), "profile %s",
		    profile);
		return 0;
	}
	if (id != NULL || secret != NULL)
		return chain_error(ch, "profile %s: %s is set but %s is not",
		    profile, id != NULL ? "aws_access_key_id" :
		    "aws_secret_access_key", id != NULL ?
		    "aws_secret_access_key" : "aws_access_key_id");
	if ((cmd = profile_get(ch->fs, profile, "credential_process")) != NULL)
		return process_credentials(ch, profile, cmd, out);
	return 1;
}

static int profile_resolve(struct chain *, const char **, int,
    struct aws_credentials *);

/* The credentials a role profile (path[npath - 1]) assumes the role with. */
static int
role_source(struct chain *ch, const char **path, int npath,
    struct aws_credentials *src)
{
	const char *profile = path[npath - 1], *sp, *cs;
	struct buf loop = { 0 };
	char why[512];
	int i, rc, partial, looped;

	sp = profile_get(ch->fs, profile, "source_profile");
	cs = profile_get(ch->fs, profile, "credential_source");
	if (sp != NULL && cs != NULL)
		return chain_error(ch, "profile %s: source_profile and "
		    "credential_source are both set", profile);
	if (cs != NULL) {
		if (strcmp(cs, "Environment") == 0)
			rc = env_credentials(src, why, sizeof(why), &partial);
		else if (strcmp(cs, "Ec2InstanceMetadata") == 0)
			rc = instance_credentials(ch, src, why, sizeof(why));
		else
			return chain_error(ch, "profile %s: credential_source "
			    "\"%s\" is not supported (Environment or "
			    "Ec2InstanceMetadata)", profile, cs);
		if (rc != 0)
			return chain_error(ch, "profile %s: credential_source "
			    "%s: %s", profile, cs, why);
		return 0;
	}
	if (sp == NULL)
		return chain_error(ch, "profile %s: role_arn needs "
		    "source_profile or credential_source", profile);
	/* A role profile may hold the keys it assumes the role with. */
	if (strcmp(sp, profile) == 0) {
		rc = profile_direct(ch, profile, src);
		if (rc == 1)
			return chain_error(ch, "profile %s: source_profile is "
			    "the profile itself, which has no keys", profile);
		return rc;
	}
	for (i = 0; i < npath; i++)
		if (strcmp(path[i], sp) == 0)
			break;
	if ((looped = i < npath) || npath >= SOURCE_DEPTH_MAX) {
		for (i = 0; i < npath; i++)
			buf_addf(&loop, "%s -> ", path[i]);
		buf_adds(&loop, sp);
		chain_error(ch, "profile %s: source_profile %s: %s", path[0],
		    looped ? "loop" : "chain too long", loop.data);
		buf_free(&loop);
		return -1;
	}
	if (!profile_exists(ch->fs, sp))
		return chain_error(ch, "profile %s: source_profile %s is not "
		    "in %s or %s", profile, sp, ch->fs->credentials.path,
		    ch->fs->config.path);
	path[npath] = sp;
	if ((rc = profile_resolve(ch, path, npath + 1, src)) == 1)
		return chain_error(ch, "profile %s: source_profile %s has no "
		    "credentials", profile, sp);
	return rc;
}

static int
profile_assume_role(struct chain *ch, const char **path, int npath,
    const char *role_arn, struct aws_credentials *out)
{
	const char *profile = path[npath - 1], *name;
	struct aws_credentials src = { 0 };
	char session[64], why[512];
	int rc;

	if (profile_get(ch->fs, profile, "mfa_serial") != NULL)
		return chain_error(ch, "profile %s: mfa_serial is set, but plc "
		    "cannot ask for an MFA code", profile);
	if (profile_get(ch->fs, profile, "external_id") != NULL)
		return chain_error(ch, "profile %s: external_id is not "
		    "supported", profile);
	if (ch->assume == NULL)
		return chain_error(ch, "profile %s: role_arn needs STS, which "
		    "this program does not call", profile);
	if ((rc = role_source(ch, path, npath, &src)) != 0)
		return rc;
	if ((name = profile_get(ch->fs, profile, "role_session_name")) == NULL) {
		snprintf(session, sizeof(session), "plc-%lld",
		    (long long)time(NULL));
		name = session;
	}
	why[0] = '\0';
	rc = ch->assume(ch->ctx, &src, role_arn, name, ch->cfg->region, out,
	    why, sizeof(why));
	aws_credentials_free(&src);
	if (rc != 0) {
		aws_credentials_free(out);
		return chain_error(ch, "profile %s: assume role %s: %s",
		    profile, role_arn, why[0] != '\0' ? why : "failed");
	}
	snprintf(out->source, sizeof(out->source), "assume role %s via "
	    "profile %s", role_arn, profile);
	return 0;
}

/*
 * A role_arn comes first, as in botocore: a profile with a role and keys
 * assumes the role (with those keys when it is its own source_profile).
 */
static int
profile_resolve(struct chain *ch, const char **path, int npath,
    struct aws_credentials *out)
{
	const char *role = profile_get(ch->fs, path[npath - 1], "role_arn");

	if (role != NULL)
		return profile_assume_role(ch, path, npath, role, out);
	return profile_direct(ch, path[npath - 1], out);
}

int
aws_credentials_resolve(const struct aws_config *cfg,
    struct aws_credentials *out, aws_assume_role_fn *assume, void *ctx,
    char *err, size_t errlen)
{
	struct chain ch = { cfg, cfg->files, assume, ctx, err, errlen };
	const char *path[SOURCE_DEPTH_MAX + 1];
	struct buf tried = { 0 };
	char why[512];
	int rc, partial;

	memset(out, 0, sizeof(*out));
	if ((rc = env_credentials(out, why, sizeof(why), &partial)) == 0)
		return 0;
	if (partial)
		return chain_error(&ch, "environment: %s", why);
	buf_addf(&tried, "environment: %s", why);

	if (!profile_exists(ch.fs, cfg->profile)) {
		buf_addf(&tried, "; profile %s: not in %s or %s", cfg->profile,
		    ch.fs->credentials.path, ch.fs->config.path);
		/* A named profile that is missing is a mistake to report,
		 * not a reason to fall back on the instance's role. */
		if (ch.fs->profile_explicit) {
			chain_error(&ch, "no credentials found: %s (AWS_PROFILE "
			    "names it, so instance metadata was not tried)",
			    tried.data);
			buf_free(&tried);
			return -1;
		}
	} else {
		path[0] = cfg->profile;
		if ((rc = profile_resolve(&ch, path, 1, out)) != 1) {
			buf_free(&tried);
			return rc;
		}
		buf_addf(&tried, "; profile %s: no aws_access_key_id, "
		    "credential_process or role_arn", cfg->profile);
	}

	if (instance_credentials(&ch, out, why, sizeof(why)) == 0) {
		buf_free(&tried);
		return 0;
	}
	chain_error(&ch, "no credentials found: %s; %s", tried.data, why);
	buf_free(&tried);
	return -1;
}
