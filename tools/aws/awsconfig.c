/*
 * AWS settings from the environment and the shared files: the profile,
 * region, endpoints, CA bundle and retry settings (awsconfig.h).
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

#include "awsconfig.h"
#include "awsprofile.h"
#include "buf.h"
#include "ini.h"

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
		if ((v = aws_section_typed(s->name, "profile")) != NULL &&
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
			if ((v = aws_section_typed(s->name, "services")) == NULL ||
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

