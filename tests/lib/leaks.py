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
        "volume": [v["VolumeId"] for v in pages(ec2, "describe_volumes", "Volumes", **tagged)],
        "vpc": [v["VpcId"] for v in pages(ec2, "describe_vpcs", "Vpcs", **tagged)],
        "subnet": [s["SubnetId"] for s in pages(ec2, "describe_subnets", "Subnets", **tagged)],
        "security-group": [g["GroupId"] for g in pages(ec2, "describe_security_groups", "SecurityGroups", **tagged)],
        "internet-gateway": [g["InternetGatewayId"]
                             for g in pages(ec2, "describe_internet_gateways", "InternetGateways", **tagged)],
        "route-table": [t["RouteTableId"] for t in pages(ec2, "describe_route_tables", "RouteTables", **tagged)],
        "network-interface": [n["NetworkInterfaceId"]
                              for n in pages(ec2, "describe_network_interfaces", "NetworkInterfaces", **tagged)],
        "bucket": [b["Name"] for b in s3.list_buckets().get("Buckets", []) if b["Name"].endswith("-" + exp)],
        "iam-role": [r["RoleName"] for r in pages(iam, "list_roles", "Roles", PathPrefix="/pulsar-aws-lab/")
                     if exp in r["RoleName"]],
        "instance-profile": [p["InstanceProfileName"]
                             for p in pages(iam, "list_instance_profiles", "InstanceProfiles",
                                            PathPrefix="/pulsar-aws-lab/")
                             if exp in p["InstanceProfileName"]],
        "iam-policy": [p["PolicyName"]
                       for p in pages(iam, "list_policies", "Policies", Scope="Local", PathPrefix="/pulsar-aws-lab/")
                       if exp in p["PolicyName"]],
    }
    for kind, ids in found.items():
        if ids:
            print(kind, " ".join(ids))


if __name__ == "__main__":
    main()
