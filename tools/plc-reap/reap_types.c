/*
 * The resource types plc-reap knows, one row each: how each is described
 * (EC2's Describe calls), named in records, deleted, and in which step of
 * the documented order. A new type is a new row (and, when deleting it
 * takes more than one call by ID, a function of its own).
 */
#include "reap.h"

static const char *const terminated[] = { "terminated", NULL };
static const char *const spot_done[] = { "cancelled", "closed", "completed",
	NULL };
static const char *const deleted[] = { "deleted", "Deleted", "failed", NULL };
static const char *const default_group[] = { "default", NULL };
static const char *const main_table[] = { "true", NULL };

/* Filter values are plural: MaxResults is the most each call takes. */
const struct reap_type reap_types[RK_NKINDS] = {
	[RK_SPOT_REQUEST] = { RK_SPOT_REQUEST, "spot-instance-request", 1,
	    .describe = "DescribeSpotInstanceRequests",
	    .list = "spotInstanceRequestSet", .id = "spotInstanceRequestId",
	    .id_filter = "spot-instance-request-id",
	    .arn_type = "spot-instances-request", .time = "createTime",
	    .max_results = 1000, .skip = { NULL, "state" },
	    .skip_values = spot_done, .batch = reap_cancel_spot },
	[RK_INSTANCE] = { RK_INSTANCE, "instance", 1,
	    .describe = "DescribeInstances", .id = "instanceId",
	    .id_filter = "instance-id", .vpc_filter = "vpc-id",
	    .arn_type = "instance", .time = "launchTime", .max_results = 1000,
	    .skip = { "instanceState", "name" }, .skip_values = terminated,
	    .batch = reap_terminate },
	[RK_VOLUME] = { RK_VOLUME, "volume", 2,
	    .describe = "DescribeVolumes", .list = "volumeSet",
	    .id = "volumeId", .id_filter = "volume-id", .arn_type = "volume",
	    .time = "createTime", .max_results = 500,
	    .owner = { "attachmentSet", "instanceId" },
	    .delete = "DeleteVolume", .delete_param = "VolumeId",
	    .flags = REAP_WITH_INSTANCE },
	[RK_ADDRESS] = { RK_ADDRESS, "elastic-ip", 3,
	    .describe = "DescribeAddresses", .list = "addressesSet",
	    .id = "allocationId", .id_filter = "allocation-id",
	    .arn_type = "elastic-ip",
	    .unhook = { "DisassociateAddress", NULL, "associationId",
	    "AssociationId", NULL },
	    .delete = "ReleaseAddress", .delete_param = "AllocationId",
	    .verb = "release" },
	[RK_NAT_GATEWAY] = { RK_NAT_GATEWAY, "natgateway", 4,
	    .describe = "DescribeNatGateways", .list = "natGatewaySet",
	    .id = "natGatewayId", .id_filter = "nat-gateway-id",
	    .vpc_filter = "vpc-id", .arn_type = "natgateway",
	    .time = "createTime", .max_results = 1000,
	    .skip = { NULL, "state" }, .skip_values = deleted,
	    .delete = "DeleteNatGateway", .delete_param = "NatGatewayId",
	    .flags = REAP_WAIT },
	[RK_NETWORK_INTERFACE] = { RK_NETWORK_INTERFACE, "network-interface", 5,
	    .describe = "DescribeNetworkInterfaces",
	    .list = "networkInterfaceSet", .id = "networkInterfaceId",
	    .id_filter = "network-interface-id", .vpc_filter = "vpc-id",
	    .arn_type = "network-interface", .max_results = 1000,
	    .delete = "DeleteNetworkInterface",
	    .delete_param = "NetworkInterfaceId", .flags = REAP_WITH_INSTANCE },
	[RK_VPC_ENDPOINT] = { RK_VPC_ENDPOINT, "vpc-endpoint", 6,
	    .describe = "DescribeVpcEndpoints", .list = "vpcEndpointSet",
	    .id = "vpcEndpointId", .id_filter = "vpc-endpoint-id",
	    .vpc_filter = "vpc-id", .arn_type = "vpc-endpoint",
	    .time = "creationTimestamp", .max_results = 1000,
	    .skip = { NULL, "state" }, .skip_values = deleted,
	    /* moto refuses to delete an endpoint whose route table is gone
	     * (InvalidRouteTableID.NotFound), as terraform destroy leaves a
	     * second endpoint that a retried create made on a slow emulator */
	    .unhook = { "ModifyVpcEndpoint", "routeTableIdSet", NULL,
	    "RemoveRouteTableId.1", "VpcEndpointId" },
	    .delete = "DeleteVpcEndpoints", .delete_param = "VpcEndpointId.1" },
	/* deleted by name: moto ignores KeyPairId, AWS takes both */
	[RK_KEY_PAIR] = { RK_KEY_PAIR, "key-pair", 7,
	    .describe = "DescribeKeyPairs", .list = "keySet",
	    .id = "keyPairId", .id_filter = "key-pair-id",
	    .arn_type = "key-pair", .time = "createTime",
	    .delete = "DeleteKeyPair", .delete_param = "KeyName",
	    .delete_by = "keyName" },
	[RK_LAUNCH_TEMPLATE] = { RK_LAUNCH_TEMPLATE, "launch-template", 7,
	    .describe = "DescribeLaunchTemplates", .list = "launchTemplates",
	    .id = "launchTemplateId", .id_filter = "launch-template-id",
	    .arn_type = "launch-template", .time = "createTime",
	    .max_results = 200, .delete = "DeleteLaunchTemplate",
	    .delete_param = "LaunchTemplateId" },
	[RK_SECURITY_GROUP] = { RK_SECURITY_GROUP, "security-group", 8,
	    .describe = "DescribeSecurityGroups", .list = "securityGroupInfo",
	    .id = "groupId", .id_filter = "group-id", .vpc_filter = "vpc-id",
	    .arn_type = "security-group", .max_results = 1000,
	    .skip = { NULL, "groupName" }, .skip_values = default_group,
	    .before_all = reap_revoke_group_rules,
	    .delete = "DeleteSecurityGroup", .delete_param = "GroupId" },
	[RK_ROUTE_TABLE] = { RK_ROUTE_TABLE, "route-table", 9,
	    .describe = "DescribeRouteTables", .list = "routeTableSet",
	    .id = "routeTableId", .id_filter = "route-table-id",
	    .vpc_filter = "vpc-id", .arn_type = "route-table",
	    .max_results = 100,
	    .skip = { "associationSet", "main" }, .skip_values = main_table,
	    .unhook = { "DisassociateRouteTable", "associationSet",
	    "routeTableAssociationId", "AssociationId", NULL },
	    .delete = "DeleteRouteTable", .delete_param = "RouteTableId" },
	[RK_SUBNET] = { RK_SUBNET, "subnet", 10,
	    .describe = "DescribeSubnets", .list = "subnetSet",
	    .id = "subnetId", .id_filter = "subnet-id", .vpc_filter = "vpc-id",
	    .arn_type = "subnet", .max_results = 1000,
	    .delete = "DeleteSubnet", .delete_param = "SubnetId" },
	[RK_INTERNET_GATEWAY] = { RK_INTERNET_GATEWAY, "internet-gateway", 11,
	    .describe = "DescribeInternetGateways",
	    .list = "internetGatewaySet", .id = "internetGatewayId",
	    .id_filter = "internet-gateway-id",
	    .vpc_filter = "attachment.vpc-id", .arn_type = "internet-gateway",
	    .max_results = 1000, .owner = { "attachmentSet", "vpcId" },
	    .unhook = { "DetachInternetGateway", "attachmentSet", "vpcId",
	    "VpcId", "InternetGatewayId" },
	    .delete = "DeleteInternetGateway",
	    .delete_param = "InternetGatewayId" },
	[RK_VPC] = { RK_VPC, "vpc", 12,
	    .describe = "DescribeVpcs", .list = "vpcSet", .id = "vpcId",
	    .id_filter = "vpc-id", .arn_type = "vpc", .max_results = 1000,
	    .delete = "DeleteVpc", .delete_param = "VpcId" },
	/* reap_iam.c describes these three */
	[RK_INSTANCE_PROFILE] = { RK_INSTANCE_PROFILE, "iam-instance-profile",
	    13, .delete_fn = reap_delete_iam },
	[RK_IAM_POLICY] = { RK_IAM_POLICY, "iam-policy", 13,
	    .delete_fn = reap_delete_iam },
	[RK_IAM_ROLE] = { RK_IAM_ROLE, "iam-role", 13,
	    .delete_fn = reap_delete_iam },
	/* found by the tagging API (reap_leads.c) */
	[RK_BUCKET] = { RK_BUCKET, "s3-bucket", 14,
	    .delete_fn = reap_delete_bucket },
};

const char *
reap_kind_name(enum reap_kind k)
{
	return reap_types[k].name;
}

int
reap_kind_order(enum reap_kind k)
{
	return reap_types[k].order;
}
