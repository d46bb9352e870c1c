/*
 * AWS credentials, found the way the AWS SDKs find them (the settings they
 * start from: awsconfig.h).
 *
 * Credentials, first hit wins: environment (AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN); the profile: its role_arn with
 * source_profile (or credential_source) through STS AssumeRole, else its
 * static keys, else its credential_process (a role comes first, as in
 * botocore, so a profile can hold the keys it assumes its role with); EC2
 * instance metadata (IMDSv2 at AWS_EC2_METADATA_SERVICE_ENDPOINT, default
 * http://169.254.169.254; skipped when AWS_EC2_METADATA_DISABLED=true).
 * A profile named by AWS_PROFILE that does not exist is an error, not a
 * reason to fall back on the instance's role.
 */
#ifndef PLC_AWSCREDS_H
#define PLC_AWSCREDS_H

#include <stddef.h>
#include <time.h>

#include "awsconfig.h"

struct aws_credentials {
	char	*access_key_id;
	char	*secret_access_key;
	char	*session_token;		/* NULL when none */
	time_t	 expiration;		/* 0: does not expire */
	char	 source[96];		/* e.g. "environment", "profile dev" */
};


/*
 * Performs STS AssumeRole with the source credentials; supplied by the HTTP
 * client (awsclient.c) so this module needs no request code. Returns 0 and
 * fills out, or -1 with a message in err.
 */
typedef int aws_assume_role_fn(void *ctx, const struct aws_credentials *source,
    const char *role_arn, const char *session_name, const char *region,
    struct aws_credentials *out, char *err, size_t errlen);

enum aws_creds_result {
	AWS_CREDS_OK = 0,
	AWS_CREDS_FAILED = -1,	/* a source that has them failed to give them */
	AWS_CREDS_NONE = -2	/* no source has any */
};

/*
 * Resolves credentials through the chain above: an aws_creds_result. On
 * failure err names every source tried and why each gave nothing. Never
 * puts a secret into err.
 */
int	 aws_credentials_resolve(const struct aws_config *,
	    struct aws_credentials *, aws_assume_role_fn *, void *ctx,
	    char *err, size_t errlen);
void	 aws_credentials_free(struct aws_credentials *);

#endif
