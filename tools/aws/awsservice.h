/*
 * What plc knows of each AWS service: the SDK service id (for
 * AWS_ENDPOINT_URL_<ID>), the real endpoint, the region it signs for and the
 * Query-protocol API version.
 */
#ifndef PLC_AWSSERVICE_H
#define PLC_AWSSERVICE_H

#include "awsconfig.h"

struct aws_service {
	const char	*name;		/* signing name: ec2, s3, ce, tagging ... */
	const char	*id;		/* SDK service id: "Cost Explorer" */
	const char	*host;		/* "%s" is the region */
	const char	*fixed_region;	/* signs for this region whatever the config */
	const char	*query_version;	/* Query protocol API version */
};

/* The table entry, or a generic one (name.region.amazonaws.com). */
struct aws_service aws_service_lookup(const char *name);

/*
 * The base URL ("scheme://host[:port]", no trailing slash) for the service
 * in region, and the region to sign for. Caller frees *url.
 */
void	 aws_service_endpoint(const struct aws_config *,
	    const struct aws_service *, const char *region, char **url,
	    const char **signing_region);

#endif
