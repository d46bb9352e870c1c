/*
 * The credential chain (awscreds.h). Where the SDKs disagree, botocore (the
 * aws CLI) is followed, since it is what the users of plc also run.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <sys/wait.h>

#include <jansson.h>

#include "awscreds.h"
#include "rfc3339.h"
#include "awsprofile.h"
#include "buf.h"
#include "imds.h"

#define PROCESS_OUTPUT_MAX	(1 << 20)
#define SOURCE_DEPTH_MAX	16

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

/* Returns 0, or 1 with why set when the environment has no key pair. */
static int
env_credentials(struct aws_credentials *out, char *why, size_t whylen,
    int *partial)
{
	const char *id = aws_env("AWS_ACCESS_KEY_ID");
	const char *secret = aws_env("AWS_SECRET_ACCESS_KEY");

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
	creds_set(out, id, secret, aws_env("AWS_SESSION_TOKEN"), 0);
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
 * The command's name, its first word, for messages: its arguments may hold
 * a secret (a key passed on the command line), so they are never quoted.
 */
static void
command_name(const char *cmd, char *name, size_t len)
{
	size_t n;

	cmd += strspn(cmd, " \t");
	if (*cmd == '\'' || *cmd == '"') {
		const char *end = strchr(cmd + 1, *cmd);

		n = end != NULL ? (size_t)(end - cmd - 1) : strlen(cmd + 1);
		cmd++;
	} else
		n = strcspn(cmd, " \t\n");
	snprintf(name, len, "%.*s", (int)(n < len ? n : len - 1), cmd);
}

/*
 * Runs the profile's credential_process through /bin/sh -c, as the SDKs
 * do. Messages name the command (its first word) but never quote its
 * arguments or its output, which may hold the secret.
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
	char name[256];

	command_name(cmd, name, sizeof(name));

	/*
	 * The command must not eat a filter's own stdin (plc-aws-sign reads
	 * requests there); a line of its own keeps cmd's text intact.
	 */
	buf_addf(&b, "exec </dev/null\n%s", cmd);
	fflush(NULL);
	fp = popen(b.data, "r");
	buf_free(&b);
	if (fp == NULL)
		return chain_error(ch, "credential_process of profile %s: "
		    "\"%s\": %s", profile, name, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if (b.len + n <= PROCESS_OUTPUT_MAX)
			buf_add(&b, chunk, n);
		else
			toolong = 1;
	status = pclose(fp);
	if (status == -1) {
		chain_error(ch, "credential_process of profile %s: \"%s\": %s",
		    profile, name, strerror(errno));
		goto out;
	}
	if (WIFSIGNALED(status)) {
		chain_error(ch, "credential_process of profile %s: \"%s\" was "
		    "killed by signal %d", profile, name, WTERMSIG(status));
		goto out;
	}
	if (WEXITSTATUS(status) != 0) {
		chain_error(ch, "credential_process of profile %s: \"%s\" "
		    "exited with status %d", profile, name, WEXITSTATUS(status));
		goto out;
	}
	if (toolong) {
		chain_error(ch, "credential_process of profile %s: \"%s\" "
		    "wrote more than %d bytes", profile, name,
		    PROCESS_OUTPUT_MAX);
		goto out;
	}
	/* jansson's error text quotes the input: give the position only. */
	if ((doc = json_loadb(b.data ? b.data : "", b.len, 0, &e)) == NULL ||
	    !json_is_object(doc)) {
		if (doc == NULL)
			chain_error(ch, "credential_process of profile %s: "
			    "\"%s\": output is not JSON (line %d, column %d)",
			    profile, name, e.line, e.column);
		else
			chain_error(ch, "credential_process of profile %s: "
			    "\"%s\": output is not a JSON object", profile,
			    cmd);
		goto out;
	}
	v = json_object_get(doc, "Version");
	if (!json_is_integer(v) || json_integer_value(v) != 1) {
		chain_error(ch, "credential_process of profile %s: \"%s\": "
		    "expected \"Version\": 1 in its output", profile, name);
		goto out;
	}
	id = json_string_value(json_object_get(doc, "AccessKeyId"));
	secret = json_string_value(json_object_get(doc, "SecretAccessKey"));
	token = json_string_value(json_object_get(doc, "SessionToken"));
	exp = json_string_value(json_object_get(doc, "Expiration"));
	if (id == NULL || *id == '\0' || secret == NULL || *secret == '\0') {
		chain_error(ch, "credential_process of profile %s: \"%s\": "
		    "expected strings AccessKeyId and SecretAccessKey in its "
		    "output", profile, name);
		goto out;
	}
	if (exp != NULL && rfc3339_parse(exp, &expiration) == -1) {
		chain_error(ch, "credential_process of profile %s: \"%s\": "
		    "Expiration is not an RFC 3339 time", profile, name);
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

	v = aws_setting(ch->fs, ch->cfg->profile,
	    "AWS_EC2_METADATA_SERVICE_ENDPOINT",
	    "ec2_metadata_service_endpoint", where, sizeof(where));
	if (v == NULL) {
		mode = aws_setting(ch->fs, ch->cfg->profile,
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

	if (aws_env_true("AWS_EC2_METADATA_DISABLED")) {
		snprintf(why, whylen, "instance metadata: disabled by "
		    "AWS_EC2_METADATA_DISABLED");
		return 1;
	}
	v1off = aws_setting(ch->fs, ch->cfg->profile,
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

	id = aws_profile_prop(ch->fs, profile, "aws_access_key_id", &path);
	if (id != NULL && id->value[0] == '\0')
		id = NULL;
	secret = aws_profile_prop(ch->fs, profile, "aws_secret_access_key",
	    &path);
	if (secret != NULL && secret->value[0] == '\0')
		secret = NULL;
	if (id != NULL && secret != NULL) {
		creds_set(out, id->value, secret->value,
		    aws_profile_get(ch->fs, profile, "aws_session_token"), 0);
		snprintf(out->source, sizeof(out->source), "profile %s",
		    profile);
		return 0;
	}
	if (id != NULL || secret != NULL)
		return chain_error(ch, "profile %s: %s is set but %s is not",
		    profile, id != NULL ? "aws_access_key_id" :
		    "aws_secret_access_key", id != NULL ?
		    "aws_secret_access_key" : "aws_access_key_id");
	cmd = aws_profile_get(ch->fs, profile, "credential_process");
	if (cmd != NULL)
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

	sp = aws_profile_get(ch->fs, profile, "source_profile");
	cs = aws_profile_get(ch->fs, profile, "credential_source");
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
	if (!aws_profile_exists(ch->fs, sp))
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

	if (aws_profile_get(ch->fs, profile, "mfa_serial") != NULL)
		return chain_error(ch, "profile %s: mfa_serial is set, but plc "
		    "cannot ask for an MFA code", profile);
	if (aws_profile_get(ch->fs, profile, "external_id") != NULL)
		return chain_error(ch, "profile %s: external_id is not "
		    "supported", profile);
	if (ch->assume == NULL)
		return chain_error(ch, "profile %s: role_arn needs STS, which "
		    "this program does not call", profile);
	if ((rc = role_source(ch, path, npath, &src)) != 0)
		return rc;
	name = aws_profile_get(ch->fs, profile, "role_session_name");
	if (name == NULL) {
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
	const char *role = aws_profile_get(ch->fs, path[npath - 1], "role_arn");

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
	int rc, partial, sso;

	memset(out, 0, sizeof(*out));
	if ((rc = env_credentials(out, why, sizeof(why), &partial)) == 0)
		return 0;
	if (partial)
		return chain_error(&ch, "environment: %s", why);
	buf_addf(&tried, "environment: %s", why);

	if (!aws_profile_exists(ch.fs, cfg->profile)) {
		buf_addf(&tried, "; profile %s: not in %s or %s", cfg->profile,
		    ch.fs->credentials.path, ch.fs->config.path);
		/* A named profile that is missing is a mistake to report,
		 * not a reason to fall back on the instance's role. */
		if (ch.fs->profile_explicit) {
			chain_error(&ch, "no credentials found: %s "
			    "(AWS_PROFILE names it, so instance metadata was "
			    "not tried)", tried.data);
			buf_free(&tried);
			return AWS_CREDS_NONE;
		}
	} else {
		path[0] = cfg->profile;
		if ((rc = profile_resolve(&ch, path, 1, out)) != 1) {
			buf_free(&tried);
			return rc;
		}
		sso = aws_profile_get(ch.fs, cfg->profile, "sso_session") !=
		    NULL || aws_profile_get(ch.fs, cfg->profile,
		    "sso_start_url") != NULL;
		if (sso)
			buf_addf(&tried, "; profile %s: sso_* settings (IAM "
			    "Identity Center) are not supported, a "
			    "credential_process can supply them", cfg->profile);
		else
			buf_addf(&tried, "; profile %s: no aws_access_key_id, "
			    "credential_process or role_arn", cfg->profile);
	}

	if (instance_credentials(&ch, out, why, sizeof(why)) == 0) {
		buf_free(&tried);
		return 0;
	}
	chain_error(&ch, "no credentials found: %s; %s", tried.data, why);
	buf_free(&tried);
	return AWS_CREDS_NONE;
}
