#include <stdio.h>
#include <string.h>

#include "awsservice.h"
#include "buf.h"

static const struct aws_service services[] = {
	{ "ec2", "EC2", "ec2.%s.amazonaws.com", NULL, "2016-11-15" },
	{ "sts", "STS", "sts.%s.amazonaws.com", NULL, "2011-06-15" },
	/* IAM is global: one endpoint, signed for us-east-1. */
	{ "iam", "IAM", "iam.amazonaws.com", "us-east-1", "2010-05-08" },
	{ "s3", "S3", "s3.%s.amazonaws.com", NULL, NULL },
	/* Cost Explorer and Pricing live in us-east-1 only. */
	{ "ce", "Cost Explorer", "ce.us-east-1.amazonaws.com", "us-east-1", NULL },
	{ "pricing", "Pricing", "api.pricing.us-east-1.amazonaws.com",
	    "us-east-1", NULL },
	{ "tagging", "Resource Groups Tagging API", "tagging.%s.amazonaws.com",
	    NULL, NULL },
	{ "ssm", "SSM", "ssm.%s.amazonaws.com", NULL, NULL },
};

struct aws_service
aws_service_lookup(const char *name)
{
	struct aws_service generic = { name, name, NULL, NULL, NULL };

	for (size_t i = 0; i < sizeof(services) / sizeof(services[0]); i++)
		if (strcmp(services[i].name, name) == 0)
			return services[i];
	return generic;
}

void
aws_service_endpoint(const struct aws_config *cfg, const struct aws_service *s,
    const char *region, char **url, const char **signing_region)
{
	const char *configured = aws_config_endpoint(cfg, s->id);
	struct buf b = { 0 };

	*signing_region = s->fixed_region ? s->fixed_region : region;
	if (configured != NULL) {
		size_t n = strlen(configured);

		while (n > 0 && configured[n - 1] == '/')
			n--;
		*url = xstrndup(configured, n);
		return;
	}
	buf_adds(&b, "https://");
	if (s->host != NULL)
		buf_addf(&b, s->host, region);
	else
		buf_addf(&b, "%s.%s.amazonaws.com", s->name, region);
	if (strncmp(region, "cn-", 3) == 0 && s->host != NULL &&
	    strstr(s->host, "%s") != NULL)
		buf_adds(&b, ".cn");
	*url = buf_detach(&b);
}
