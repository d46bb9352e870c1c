/*
 * AWS settings from the environment and the shared files: the profile,
 * region, endpoints, CA bundle and retry settings (awscreds.h).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "awscreds.h"
#include "awsprofile.h"
#include "buf.h"
#include "ini.h"

const char *
aws_env(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && v[0] != '\0' ? v : NULL;
}

int
aws_env_true(const char *name)
{
	const char *v = aws_env(name);

	return v != NULL && strcasecmp(v, "true") == 0;
}

char *
aws_expand_home(const char *path)
{
	const char *home;
	struct passwd *pw;
	struct buf b = { 0 };

	if (path[0] != '~' || (path[1] != '/' && path[1] != '\0'))
		return xstrdup(path);
	if ((home = aws_env("HOME")) == NULL) {
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

const struct ini_prop *
aws_profile_prop(const struct aws_files *fs, const char *profile,
    const char *key, const char **path)
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

const char *
aws_profile_get(const struct aws_files *fs, const char *profile,
    const char *key)
{
	const struct ini_prop *p = aws_profile_prop(fs, profile, key, NULL);

	return p != NULL && p->value[0] != '\0' ? p->value : NULL;
}

int
aws_profile_exists(const struct aws_files *fs, const char *profile)
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

const char *
aws_setting(const struct aws_files *fs, const char *profile, const char *var,
    const char *key, char *where, size_t wherelen)
{
	const struct ini_prop *p;
	const char *v, *path;

	if (var != NULL && (v = aws_env(var)) != NULL) {
		snprintf(where, wherelen, "%s", var);
		return v;
	}
	if ((p = aws_profile_prop(fs, profile, key, &path)) == NULL ||
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
	if ((v = aws_env("AWS_PROFILE")) != NULL)
		fs->profile_explicit = 1;
	cfg->profile = xstrdup(v != NULL ? v : "default");

	v = aws_env("AWS_SHARED_CREDENTIALS_FILE");
	path = aws_expand_home(v != NULL ? v : "~/.aws/credentials");
	rc = ini_load(&fs->credentials, path, &fs->credentials_missing, err,
	    errlen);
	free(path);
	if (rc == -1)
		goto fail;
	v = aws_env("AWS_CONFIG_FILE");
	path = aws_expand_home(v != NULL ? v : "~/.aws/config");
	rc = ini_load(&fs->config, path, &fs->config_missing, err, errlen);
	free(path);
	if (rc == -1)
		goto fail;
	for (s = fs->config.sections; s != NULL; s = s->next)
		if ((v = section_typed(s->name, "profile")) != NULL &&
		    strcmp(v, "default") == 0)
			fs->config_has_profile_default = 1;

	if ((v = aws_env("AWS_REGION")) == NULL)
		v = aws_setting(fs, cfg->profile, "AWS_DEFAULT_REGION",
		    "region", where, sizeof(where));
	cfg->region = v != NULL ? xstrdup(v) : NULL;
	v = aws_setting(fs, cfg->profile, "AWS_CA_BUNDLE", "ca_bundle", where,
	    sizeof(where));
	cfg->ca_bundle = v != NULL ? aws_expand_home(v) : NULL;

	if ((v = aws_setting(fs, cfg->profile, "AWS_MAX_ATTEMPTS",
	    "max_attempts", where, sizeof(where))) != NULL &&
	    parse_max_attempts(v, &cfg->max_attempts) == -1) {
		snprintf(err, errlen, "%s: expected a whole number of attempts "
		    "of at least 1, got \"%s\"", where, v);
		goto fail;
	}
	v = aws_setting(fs, cfg->profile, "AWS_RETRY_MODE", "retry_mode", where,
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

	v = aws_setting(fs, cfg->profile, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
	    "ignore_configured_endpoint_urls", where, sizeof(where));
	if (v != NULL && strcasecmp(v, "true") == 0)
		cfg->ignore_configured_endpoints = 1;
	else if (v != NULL && strcasecmp(v, "false") != 0) {
		snprintf(err, errlen, "%s: expected true or false, got \"%s\"",
		    where, v);
		goto fail;
	}
	v = aws_setting(fs, cfg->profile, "AWS_ENDPOINT_URL", "endpoint_url",
	    where, sizeof(where));
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
	    (v = aws_env(var)) != NULL)
		return v;
	if (service_key(service_id, 0, key, sizeof(key)) == 0 &&
	    (name = aws_profile_get(fs, cfg->profile, "services")) != NULL) {
		for (s = fs->config.sections; s != NULL; s = s->next) {
			if ((v = section_typed(s->name, "services")) == NULL ||
			    strcmp(v, name) != 0)
				continue;
			if ((p = ini_prop_find(s->props, key)) == NULL)
				continue;
			sub = ini_prop_find(p->sub, "endpoint_url");
			if (sub != NULL && sub->value[0] != '\0')
				hit = sub;
		}
		if (hit != NULL)
			return hit->value;
	}
	return cfg->endpoint_url;
}

