/*
 * AWS settings, found the way the AWS SDKs find them.
 *
 * Settings: profile from AWS_PROFILE (else "default"); region from AWS_REGION,
 * AWS_DEFAULT_REGION, then the profile's region; endpoint_url, ca_bundle,
 * max_attempts and retry_mode from the environment, then the profile.
 * Files: AWS_SHARED_CREDENTIALS_FILE (~/.aws/credentials) and AWS_CONFIG_FILE
 * (~/.aws/config); in config, sections are [default] and [profile NAME],
 * plus [services NAME] for per-service endpoints.
 */
#ifndef PLC_AWSCONFIG_H
#define PLC_AWSCONFIG_H

#include <stddef.h>

struct aws_config {
	char	*profile;		/* never NULL after aws_config_load */
	char	*region;		/* NULL when none was found */
	char	*endpoint_url;		/* AWS_ENDPOINT_URL or profile endpoint_url */
	char	*ca_bundle;		/* AWS_CA_BUNDLE or profile ca_bundle */
	char	*retry_mode;		/* "standard" unless set */
	int	 max_attempts;		/* AWS_MAX_ATTEMPTS or profile; default 3 */
	int	 ignore_configured_endpoints; /* AWS_IGNORE_CONFIGURED_ENDPOINT_URLS */
	void	*files;			/* parsed config and credentials files */
};

/* Returns 0, or -1 with err set (e.g. a malformed config file, with line). */
int	 aws_config_load(struct aws_config *, char *err, size_t errlen);
void	 aws_config_free(struct aws_config *);

/*
 * The endpoint for one service: AWS_ENDPOINT_URL_<SERVICE_ID> (e.g.
 * AWS_ENDPOINT_URL_COST_EXPLORER), the profile's services section, then
 * endpoint_url; NULL when none is configured. service_id is the SDK service
 * id ("EC2", "Cost Explorer", "Resource Groups Tagging API", "S3", ...).
 * The string stays valid until the environment changes or cfg is freed.
 */
const char *aws_config_endpoint(const struct aws_config *, const char *service_id);

#endif
