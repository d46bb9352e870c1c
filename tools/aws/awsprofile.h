/*
 * The merged view of the shared config and credentials files and the
 * environment (awsprofile.c), as the settings (awsconfig.c) and the
 * credential chain (awscreds.c) both read it; not for tools, which use
 * awsclient.h.
 */
#ifndef PLC_AWSPROFILE_H
#define PLC_AWSPROFILE_H

#include <stddef.h>

#include "ini.h"

struct aws_files {
	struct ini_file	 credentials;
	struct ini_file	 config;
	int		 credentials_missing;
	int		 config_missing;
	int		 config_has_profile_default;
	int		 profile_explicit;	/* AWS_PROFILE was set */
};

/* An environment variable; set but empty counts as unset, as in the SDKs. */
const char	*aws_env(const char *name);
int		 aws_env_true(const char *name);
char		*aws_expand_home(const char *path);

/*
 * A profile's property; the credentials file wins over config. *path (when
 * not NULL) is set to the file it came from.
 */
const struct ini_prop *aws_profile_prop(const struct aws_files *,
		    const char *profile, const char *key, const char **path);
/* Its value, NULL when absent or empty. */
const char	*aws_profile_get(const struct aws_files *, const char *profile,
		    const char *key);
int		 aws_profile_exists(const struct aws_files *, const char *profile);

/*
 * The environment variable var (may be NULL), else the profile's key. where
 * receives the variable's name or "file:line: key", for messages.
 */
const char	*aws_setting(const struct aws_files *, const char *profile,
		    const char *var, const char *key, char *where,
		    size_t wherelen);

/* After "type" and blanks in a section name like "profile dev"; or NULL. */
const char	*aws_section_typed(const char *name, const char *type);

#endif
