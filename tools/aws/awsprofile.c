/*
 * The merged view of the shared config and credentials files and the
 * environment (awsprofile.h): what the settings (awsconfig.c) and the
 * credential chain (awscreds.c) both read.
 */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

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
const char *
aws_section_typed(const char *name, const char *type)
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

	if ((p = aws_section_typed(secname, "profile")) != NULL)
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
