/* The resource types plc-reap knows, by deletion order. */
#include "reap.h"

static const char *const names[RK_NKINDS] = {
	[RK_SPOT_REQUEST] = "spot-instance-request",
	[RK_INSTANCE] = "instance",
	[RK_VOLUME] = "volume",
	[RK_ADDRESS] = "elastic-ip",
	[RK_NAT_GATEWAY] = "natgateway",
	[RK_NETWORK_INTERFACE] = "network-interface",
	[RK_VPC_ENDPOINT] = "vpc-endpoint",
	[RK_KEY_PAIR] = "key-pair",
	[RK_LAUNCH_TEMPLATE] = "launch-template",
	[RK_SECURITY_GROUP] = "security-group",
	[RK_ROUTE_TABLE] = "route-table",
	[RK_SUBNET] = "subnet",
	[RK_INTERNET_GATEWAY] = "internet-gateway",
	[RK_VPC] = "vpc",
	[RK_INSTANCE_PROFILE] = "iam-instance-profile",
	[RK_IAM_POLICY] = "iam-policy",
	[RK_IAM_ROLE] = "iam-role",
	[RK_BUCKET] = "s3-bucket",
};

/* Steps of the documented order; kinds sharing a step go together. */
static const int orders[RK_NKINDS] = {
	[RK_SPOT_REQUEST] = 1,
	[RK_INSTANCE] = 1,
	[RK_VOLUME] = 2,
	[RK_ADDRESS] = 3,
	[RK_NAT_GATEWAY] = 4,
	[RK_NETWORK_INTERFACE] = 5,
	[RK_VPC_ENDPOINT] = 6,
	[RK_KEY_PAIR] = 7,
	[RK_LAUNCH_TEMPLATE] = 7,
	[RK_SECURITY_GROUP] = 8,
	[RK_ROUTE_TABLE] = 9,
	[RK_SUBNET] = 10,
	[RK_INTERNET_GATEWAY] = 11,
	[RK_VPC] = 12,
	[RK_INSTANCE_PROFILE] = 13,
	[RK_IAM_POLICY] = 13,
	[RK_IAM_ROLE] = 13,
	[RK_BUCKET] = 14,
};

const char *
reap_kind_name(enum reap_kind k)
{
	return names[k];
}

int
reap_kind_order(enum reap_kind k)
{
	return orders[k];
}
