#!/usr/bin/env python3
"""leaks.py EXPERIMENT_ID ENDPOINT_URL: every resource of the emulator at
ENDPOINT_URL that still belongs to the experiment, one "type id..." line per
type that has any; nothing when it is all gone.

An independent look, with botocore (what the aws CLI is built on), not with
plc's own tools: instances not terminated, volumes, VPCs, subnets, security
groups, internet gateways, route tables and network interfaces tagged
ExperimentID=EXPERIMENT_ID; buckets named ...-EXPERIMENT_ID; the IAM roles,
instance profiles and policies under /pulsar-aws-lab/ whose names hold it.
One process for every look: twelve aws CLI processes cost a dozen seconds
of CPU each time.
"""
import sys

import botocore.session


# The EC2 types found by their ExperimentID tag: kind, operation, the list's
# key in the answer, the ID's key in an item.
EC2_TAGGED = [
    ("volume", "describe_volumes", "Volumes", "VolumeId"),
    ("vpc", "describe_vpcs", "Vpcs", "VpcId"),
    ("subnet", "describe_subnets", "Subnets", "SubnetId"),
    ("security-group", "describe_security_groups", "SecurityGroups", "GroupId"),
    ("internet-gateway", "describe_internet_gateways", "InternetGateways", "InternetGatewayId"),
    ("route-table", "describe_route_tables", "RouteTables", "RouteTableId"),
    ("network-interface", "describe_network_interfaces", "NetworkInterfaces", "NetworkInterfaceId"),
]

# The IAM types under the project's path whose names hold the experiment ID:
# kind, operation, the list's key, the name's key, further parameters.
IAM_NAMED = [
    ("iam-role", "list_roles", "Roles", "RoleName", {}),
    ("instance-profile", "list_instance_profiles", "InstanceProfiles", "InstanceProfileName", {}),
    ("iam-policy", "list_policies", "Policies", "PolicyName", {"Scope": "Local"}),
]


def pages(client, op, key, **kwargs):
    """Every item under KEY of every page of OP."""
    for page in client.get_paginator(op).paginate(**kwargs):
        yield from page.get(key, [])


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: leaks.py EXPERIMENT_ID ENDPOINT_URL")
    exp, url = sys.argv[1:]
    session = botocore.session.get_session()
    ec2, s3, iam = (session.create_client(s, region_name="us-west-2", endpoint_url=url)
                    for s in ("ec2", "s3", "iam"))
    tagged = {"Filters": [{"Name": "tag:ExperimentID", "Values": [exp]}]}
    found = {
        "instance": [i["InstanceId"] for r in pages(ec2, "describe_instances", "Reservations", **tagged)
                     for i in r["Instances"] if i["State"]["Name"] != "terminated"],
    }
    for kind, op, key, id_key in EC2_TAGGED:
        found[kind] = [item[id_key] for item in pages(ec2, op, key, **tagged)]
    found["bucket"] = [b["Name"] for b in s3.list_buckets().get("Buckets", []) if b["Name"].endswith("-" + exp)]
    for kind, op, key, name_key, extra in IAM_NAMED:
        found[kind] = [item[name_key] for item in pages(iam, op, key, PathPrefix="/pulsar-aws-lab/", **extra)
                       if exp in item[name_key]]
    for kind, ids in found.items():
        if ids:
            print(kind, " ".join(ids))


if __name__ == "__main__":
    main()
