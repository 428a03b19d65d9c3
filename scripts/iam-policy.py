#!/usr/bin/env python3
"""Writes the permissions hawiz needs, from the one description below:

- assets/iam-policy-stack.json: the per-stack TEMPLATE (a shared account, CI). The literal
  `{{stack}}` stands for the stack name wherever it appears; tag conditions require that
  exact value, names are the stack's own. `"{{site_record_names}}"` and
  `"{{site_marker_names}}"` (JSON strings) are replaced by JSON arrays of normalized
  record names (the site's, the origin's `origin.<domain>` that CloudFront reaches the
  primary's load balancer at, ACM's validation names; the markers beside the first two);
  without a domain, statements whose Sid starts with `Site` or `Dns` are dropped.
- assets/iam-policy.json: the all-stacks variant (a personal account): the same
  statements with `*` for the stack, any `hawiz:stack` value, and no record names.
- assets/permissions-boundary.json: the per-stack boundary TEMPLATE (`{{stack}}`),
  created once per stack as `hawiz/hawiz-<stack>-boundary` by credentials that may
  create policies (an administrator's); no deployer policy may create or change it.

Reading is allowed broadly (describe/list/get calls mostly take no resource-level
restriction). Every write is limited: creates must carry the stack's tag in the same
request, changes and deletes need it on the resource, tags are set only by the call that
creates the resource (EC2, ELB, EFS: `CreateAction`; elsewhere: only on the stack's own
names, only the stack's value, only hawiz's keys), and where a service has no tag
conditions the name is limited to the stack's (`hawiz-<stack>-*`, `/hawiz/<stack>/*`, the
static bucket's `<stack>-static-<account>-<region>`).
Roles can only be made with the stack's boundary and passed only to the services that use
them. scripts/lint-iam lints the result; tests/iam/evaluate.mjs evaluates it against
attacks and against every call hawiz makes.

Usage:
  scripts/iam-policy.py                 write the three files
  scripts/iam-policy.py --check         fail unless the committed files are what it writes
  scripts/iam-policy.py --stack NAME [--domain D [--host H]]
                                        print the per-stack policy rendered for NAME
  scripts/iam-policy.py --boundary NAME print the boundary rendered for NAME
"""
import json
import os
import re
import sys

STACK_TAG = "hawiz:stack"
# The tags hawiz sets on everything it creates (src/resources/tags.rs), and the Auto
# Scaling group's record of its planned size.
KEYS = ["Name", "hawiz:key", STACK_TAG]
PLANNED = "hawiz:desired"
PLACEHOLDER = "{{stack}}"
SITE_NAMES = "{{site_record_names}}"
MARKER_NAMES = "{{site_marker_names}}"
# ACM's validation record: `_<32 hex characters>.<domain>` (shared by the domain and its
# wildcard). `?` matches exactly one character, so `_acme-challenge`, `_dmarc` and the
# like are not it.
VALIDATION = "_" + "?" * 32
# The TXT record that will mark the site's name as the stack's.
MARKER = "_hawiz"
# The origin's host name under the domain: CloudFront in front of the primary reaches its
# load balancer at `origin.<domain>` (src/blueprint/cloudfront.rs ORIGIN_HOST), an alias
# record with its own marker beside it.
ORIGIN_HOST = "origin"
SSM_CORE = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
# The static bucket's name (a failover's `static_bucket`, src/resources/s3):
# `<stack>-static-<account>-<region, short>` (`shop-static-123456789012-apne2`, `-use1`).
# Named exactly: the account's 12 characters and a short region of 4 to 6 (`?` is one
# character), so that the buckets of a stack whose name starts with `<stack>-static-`
# (its own names are longer) are not in reach.
STATIC_ACCOUNT = "?" * 12
STATIC_REGION_LENGTHS = (4, 5, 6)


class Variant:
    """How the description is written for one variant: the stack's name and tag value."""

    def __init__(self, per_stack):
        self.per_stack = per_stack
        self.s = PLACEHOLDER if per_stack else "*"

    def n(self, pattern):
        """A name pattern with `{s}` for the stack."""
        return pattern.replace("{s}", self.s)

    def req(self):
        """The request carries the stack's tag (the new resource will)."""
        if self.per_stack:
            return {"StringEquals": {f"aws:RequestTag/{STACK_TAG}": PLACEHOLDER}}
        return {"Null": {f"aws:RequestTag/{STACK_TAG}": "false"}}

    def res(self):
        """The resource carries the stack's tag."""
        if self.per_stack:
            return {"StringEquals": {f"aws:ResourceTag/{STACK_TAG}": PLACEHOLDER}}
        return {"Null": {f"aws:ResourceTag/{STACK_TAG}": "false"}}

    def not_other(self):
        """The resource carries no other stack's tag (new, or not hawiz's: an adopted VPC's
        subnets, the user's own key pair). The all-stacks variant reaches every stack."""
        if self.per_stack:
            return {"StringEqualsIfExists": {f"aws:ResourceTag/{STACK_TAG}": PLACEHOLDER}}
        return {}

    def boundary(self):
        arn = self.n("arn:aws:iam::*:policy/hawiz/hawiz-{s}-boundary")
        op = "ArnEquals" if self.per_stack else "ArnLike"
        return {op: {"iam:PermissionsBoundary": arn}}


def keys(*allowed):
    return {"ForAllValues:StringEquals": {"aws:TagKeys": sorted(allowed)}}


def merge(*conditions):
    out = {}
    for c in conditions:
        for op, body in c.items():
            out.setdefault(op, {}).update(body)
    return out


def s(sid, actions, resources="*", *conditions):
    st = {"Sid": sid, "Effect": "Allow", "Action": sorted(actions), "Resource": resources}
    condition = merge(*conditions)
    if condition:
        st["Condition"] = condition
    return st


def ec2(*types):
    return ["arn:aws:ec2:*::image/*" if t == "image" else f"arn:aws:ec2:*:*:{t}/*"
            for t in types]


# Every EC2 resource type hawiz makes or changes.
EC2_TYPES = ("elastic-ip", "instance", "internet-gateway", "key-pair", "launch-template",
             "natgateway", "network-interface", "route-table", "security-group", "subnet",
             "volume", "vpc", "vpc-flow-log")
READS = [
    "ec2:DescribeAddresses", "ec2:DescribeAvailabilityZones", "ec2:DescribeFlowLogs",
    "ec2:DescribeImages", "ec2:DescribeInstanceAttribute", "ec2:DescribeInstanceTypeOfferings",
    "ec2:DescribeInstances",
    "ec2:DescribeInternetGateways", "ec2:DescribeKeyPairs", "ec2:DescribeLaunchTemplateVersions",
    "ec2:DescribeLaunchTemplates", "ec2:DescribeManagedPrefixLists", "ec2:DescribeNatGateways",
    "ec2:DescribeRegions",
    "ec2:DescribeRouteTables", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets",
    "ec2:DescribeTags", "ec2:DescribeVolumes", "ec2:DescribeVpcAttribute", "ec2:DescribeVpcs",
    "rds:DescribeDBEngineVersions", "rds:DescribeDBInstances", "rds:DescribeDBParameterGroups",
    "rds:DescribeDBParameters", "rds:DescribeDBSnapshots", "rds:DescribeDBSubnetGroups",
    "rds:DescribeOrderableDBInstanceOptions", "rds:ListTagsForResource", "rds:DescribeEvents",
    "elasticfilesystem:DescribeBackupPolicy", "elasticfilesystem:DescribeFileSystems",
    "elasticfilesystem:DescribeMountTargetSecurityGroups", "elasticfilesystem:DescribeMountTargets",
    "elasticfilesystem:DescribeReplicationConfigurations",
    "elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeLoadBalancerAttributes",
    "elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeRules",
    "elasticloadbalancing:DescribeTags",
    "elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetHealth",
    "autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribeInstanceRefreshes",
    "autoscaling:DescribeLifecycleHooks", "autoscaling:DescribePolicies",
    "autoscaling:DescribeScalingActivities", "autoscaling:DescribeScheduledActions",
    "autoscaling:DescribeTags",
    "cloudwatch:DescribeAlarms", "cloudwatch:GetDashboard", "cloudwatch:ListDashboards",
    "cloudwatch:GetMetricStatistics",
    "cloudwatch:ListTagsForResource",
    "sns:ListSubscriptionsByTopic", "sns:ListTagsForResource", "sns:ListTopics",
    "iam:GetInstanceProfile", "iam:GetPolicy", "iam:GetPolicyVersion", "iam:GetRole",
    "iam:GetRolePolicy", "iam:ListAttachedRolePolicies", "iam:ListInstanceProfiles",
    "iam:ListPolicies", "iam:ListPolicyTags", "iam:ListRolePolicies", "iam:ListRoleTags", "iam:ListRoles",
    "ssm:DescribeParameters", "ssm:ListTagsForResource",
    "route53:GetHostedZone", "route53:ListHostedZones", "route53:ListHostedZonesByName",
    "route53:ListResourceRecordSets", "route53:ListTagsForResource",
    "route53:GetHealthCheck", "route53:GetHealthCheckStatus", "route53:ListHealthChecks",
    "route53:ListTagsForResources", "route53:TestDNSAnswer",
    "acm:DescribeCertificate", "acm:ListCertificates", "acm:ListTagsForCertificate",
    "logs:DescribeLogGroups", "logs:ListTagsForResource",
    "wafv2:GetWebACL", "wafv2:GetWebACLForResource", "wafv2:ListAvailableManagedRuleGroups",
    "wafv2:ListTagsForResource", "wafv2:ListWebACLs",
]


def policy(v):
    n = v.n
    role = n("arn:aws:iam::*:role/hawiz-{s}-*")
    profile = n("arn:aws:iam::*:instance-profile/hawiz-{s}-*")
    rds_own = [n("arn:aws:rds:*:*:db:{s}-db"), n("arn:aws:rds:*:*:pg:{s}-db"),
               n("arn:aws:rds:*:*:subgrp:{s}-db")]
    final_snapshots = n("arn:aws:rds:*:*:snapshot:{s}-db-final-*")
    group = n("arn:aws:autoscaling:*:*:autoScalingGroup:*:autoScalingGroupName/{s}-app")
    alarms = n("arn:aws:cloudwatch:*:*:alarm:{s}-*")
    dashboard = n("arn:aws:cloudwatch::*:dashboard/{s}-dashboard")
    topic = n("arn:aws:sns:*:*:{s}-alerts")
    web_acl = n("arn:aws:wafv2:*:*:regional/webacl/{s}-waf/*")
    lb = "arn:aws:elasticloadbalancing:*:*:loadbalancer/app/*/*"

    def lb_listener(kind):
        return f"arn:aws:elasticloadbalancing:*:*:listener/{kind}/*/*/*"

    elb = [lb, "arn:aws:elasticloadbalancing:*:*:targetgroup/*/*",
           lb_listener("app"), lb_listener("net")]
    lb_rules = [f"arn:aws:elasticloadbalancing:*:*:listener-rule/{kind}/*/*/*/*"
                for kind in ("app", "net")]
    certs = "arn:aws:acm:*:*:certificate/*"
    # CloudFront is global: a distribution's ARN has no region and only an ID.
    distributions = "arn:aws:cloudfront::*:distribution/*"
    # Origin access controls: global, an ID only, no tags.
    access_controls = "arn:aws:cloudfront::*:origin-access-control/*"
    static_buckets = [n("arn:aws:s3:::{s}-static-") + STATIC_ACCOUNT + "-" + "?" * k
                      for k in STATIC_REGION_LENGTHS]
    static_files = [b + "/*" for b in static_buckets]
    zones = "arn:aws:route53:::hostedzone/*"
    health_checks = "arn:aws:route53:::healthcheck/*"
    # What an alarm may do when it fires: mail the stack's topic, or run one of the
    # stack's group's scaling policies. Never an EC2 action (stop, terminate, reboot) nor
    # another stack's policy.
    alarm_actions = {"ForAllValues:StringLike": {"cloudwatch:AlarmActions": [
        topic,
        n("arn:aws:autoscaling:*:*:scalingPolicy:*:autoScalingGroupName/{s}-app:policyName/*"),
    ]}}
    if v.per_stack:
        records = [
            # The site's alias record, the origin's (`origin.<domain>`, CloudFront's way to
            # the primary's load balancer) and the certificate's validation CNAMEs; nothing
            # else in the zone.
            s("SiteRecords", ["route53:ChangeResourceRecordSets"], zones, {
                "ForAllValues:StringLike": {
                    "route53:ChangeResourceRecordSetsNormalizedRecordNames": SITE_NAMES},
                "ForAllValues:StringEquals": {
                    "route53:ChangeResourceRecordSetsRecordTypes": ["A", "CNAME"]}}),
            # The TXT records that mark the site's name and the origin's as the stack's, at
            # their own names.
            s("SiteOwnershipMarker", ["route53:ChangeResourceRecordSets"], zones, {
                "ForAllValues:StringLike": {
                    "route53:ChangeResourceRecordSetsNormalizedRecordNames": MARKER_NAMES},
                "ForAllValues:StringEquals": {
                    "route53:ChangeResourceRecordSetsRecordTypes": ["TXT"]}}),
        ]
    else:
        # No names (one policy for every stack's domain): only the record types hawiz
        # writes, so never NS, MX or the like.
        records = [s("DnsRecords", ["route53:ChangeResourceRecordSets"], zones, {
            "ForAllValues:StringEquals": {
                "route53:ChangeResourceRecordSetsRecordTypes": ["A", "CNAME", "TXT"]}})]

    return [
        s("Identity", ["sts:GetCallerIdentity"]),
        s("ReadEverythingHawizLooksAt", READS),
        # The public parameters with the latest Amazon Linux image, and the stack's own.
        s("ReadImageAndStackParameters", ["ssm:GetParameter"], [
            "arn:aws:ssm:*::parameter/aws/service/ami-amazon-linux-latest/*",
            n("arn:aws:ssm:*:*:parameter/hawiz/{s}/*"),
        ]),
        s("StackParameters", ["ssm:PutParameter", "ssm:DeleteParameter", "ssm:AddTagsToResource"],
          n("arn:aws:ssm:*:*:parameter/hawiz/{s}/*")),

        # EC2: the new resource carries the stack's tag, set by the create itself. Each
        # create is allowed only on the type it makes, so that an existing resource it
        # goes into (a VPC, a subnet) is judged by its own statement below, not by the
        # request's tags.
        s("Ec2CreateTagged", ["ec2:AllocateAddress", "ec2:CreateInternetGateway",
                              "ec2:CreateKeyPair", "ec2:CreateLaunchTemplate", "ec2:CreateVpc"],
          ec2("elastic-ip", "internet-gateway", "key-pair", "launch-template", "vpc"), v.req()),
        s("Ec2CreateInVpcTagged", ["ec2:CreateRouteTable", "ec2:CreateSecurityGroup",
                                   "ec2:CreateSubnet"],
          ec2("route-table", "security-group", "subnet"), v.req()),
        s("Ec2CreateNatTagged", ["ec2:CreateNatGateway"], ec2("natgateway"), v.req()),
        s("Ec2CreateFlowLogTagged", ["ec2:CreateFlowLogs"], ec2("vpc-flow-log"), v.req()),
        s("Ec2RunTagged", ["ec2:RunInstances"], ec2("instance", "volume"), v.req()),
        # ...in the stack's VPC or an adopted one (the user's, untagged), never another
        # stack's; NAT gateways in the stack's subnets with its addresses.
        s("Ec2CreateInOwnOrAdoptedVpc", ["ec2:CreateFlowLogs", "ec2:CreateRouteTable",
                                         "ec2:CreateSecurityGroup", "ec2:CreateSubnet"],
          ec2("vpc"), v.not_other()),
        s("Ec2NatInOwnSubnet", ["ec2:CreateNatGateway"], ec2("elastic-ip", "subnet", "vpc"),
          v.not_other()),
        # Instances: in the stack's (or an adopted) subnet, with the stack's (or the user's
        # own) key pair and any image; only with the stack's security groups and launch
        # template (another stack's group would open its database and file system).
        s("Ec2RunInPlace", ["ec2:RunInstances"],
          ec2("image", "key-pair", "network-interface", "subnet"), v.not_other()),
        s("Ec2RunWithOwnGroups", ["ec2:RunInstances"], ec2("launch-template", "security-group"),
          v.res()),
        s("Ec2TagOnlyWhenCreating", ["ec2:CreateTags"], ec2(*EC2_TYPES), {
            "StringEquals": {"ec2:CreateAction": [
                "AllocateAddress", "CreateFlowLogs", "CreateInternetGateway", "CreateKeyPair",
                "CreateLaunchTemplate", "CreateNatGateway", "CreateRouteTable",
                "CreateSecurityGroup", "CreateSubnet", "CreateVpc", "RunInstances"]}}),
        s("Ec2ChangeOwn", [
            "ec2:AssociateRouteTable", "ec2:AttachInternetGateway",
            "ec2:AuthorizeSecurityGroupIngress", "ec2:CreateLaunchTemplateVersion",
            "ec2:CreateRoute", "ec2:DeleteFlowLogs", "ec2:DeleteInternetGateway",
            "ec2:DeleteKeyPair", "ec2:DeleteLaunchTemplate", "ec2:DeleteNatGateway",
            "ec2:DeleteRoute", "ec2:DeleteRouteTable", "ec2:DeleteSecurityGroup",
            "ec2:DeleteSubnet", "ec2:DeleteVpc", "ec2:DetachInternetGateway",
            "ec2:DisassociateRouteTable", "ec2:ModifyInstanceAttribute",
            "ec2:ModifyInstanceMetadataOptions", "ec2:ModifyLaunchTemplate",
            "ec2:ModifySubnetAttribute", "ec2:ModifyVpcAttribute", "ec2:ReleaseAddress",
            "ec2:ReplaceRoute", "ec2:ReplaceRouteTableAssociation",
            "ec2:RevokeSecurityGroupEgress", "ec2:RevokeSecurityGroupIngress",
            "ec2:StartInstances", "ec2:TerminateInstances",
        ], ec2(*EC2_TYPES), v.res()),
        # What an instance printed while booting: why a target is unhealthy.
        s("ConsoleOfOwnInstances", ["ec2:GetConsoleOutput"], ec2("instance"), v.res()),

        # IAM. A new role's trust policy cannot be limited, so what limits a role is the
        # stack's boundary (required on every write that shapes a role) and the stack's
        # name and tag.
        s("PassOwnRolesToTheirService", ["iam:PassRole"], role, v.res(), {
            "StringEquals": {"iam:PassedToService": [
                "ec2.amazonaws.com", "s3.amazonaws.com", "vpc-flow-logs.amazonaws.com"]}}),
        s("RolesOnlyWithTheBoundary", ["iam:CreateRole"], role, v.boundary(), v.req()),
        s("OwnRolesKeepTheBoundary", ["iam:PutRolePermissionsBoundary", "iam:PutRolePolicy"],
          role, v.boundary(), v.res()),
        s("AttachOnlySessionManagerCore", ["iam:AttachRolePolicy", "iam:DetachRolePolicy"],
          role, v.boundary(), {"ArnEquals": {"iam:PolicyARN": SSM_CORE}}),
        s("OwnProfilesCreateTagged", ["iam:CreateInstanceProfile"], profile, v.req()),
        s("OwnRolesAndProfiles", [
            "iam:AddRoleToInstanceProfile", "iam:DeleteInstanceProfile", "iam:DeleteRole",
            "iam:DeleteRolePolicy", "iam:RemoveRoleFromInstanceProfile",
        ], [role, profile], v.res()),
        s("TagOwnRolesAndProfiles", ["iam:TagInstanceProfile", "iam:TagRole"], [role, profile],
          v.req(), keys(*KEYS), v.not_other()),
        # The stack's boundary, when hawiz made it (administrator's credentials, so it is
        # tagged as the stack's): destroy removes it. IAM refuses while a role carries it;
        # an administrator's own (untagged) boundary stays out of reach.
        s("BoundaryDeleteOwn", ["iam:DeletePolicy"],
          n("arn:aws:iam::*:policy/hawiz/hawiz-{s}-boundary"), v.res()),
        s("FirstUseServiceLinkedRoles", ["iam:CreateServiceLinkedRole"],
          "arn:aws:iam::*:role/aws-service-role/*", {
              "StringEquals": {"iam:AWSServiceName": [
                  "elasticloadbalancing.amazonaws.com", "autoscaling.amazonaws.com",
                  "rds.amazonaws.com", "elasticfilesystem.amazonaws.com"]}}),

        # RDS: the stack's names only. The tag action is authorized again by the create
        # when it carries tags, so it is allowed on the stack's names, with its value and
        # hawiz's keys only.
        s("DatabaseCreateTagged", ["rds:CreateDBInstance", "rds:CreateDBParameterGroup",
                                   "rds:CreateDBSubnetGroup"], rds_own, v.req()),
        s("DatabaseTagAtCreate", ["rds:AddTagsToResource"], rds_own + [final_snapshots],
          v.req(), keys(*KEYS)),
        s("DatabaseChangeOwn", ["rds:DeleteDBInstance",
                                "rds:DeleteDBParameterGroup", "rds:DeleteDBSubnetGroup",
                                "rds:ModifyDBInstance", "rds:ModifyDBParameterGroup",
                                "rds:ModifyDBSubnetGroup", "rds:RebootDBInstance"],
          rds_own, v.res()),
        # A failover standby's database: a cross-Region read replica of the stack's own,
        # made in the standby's region under the primary's names. AWS authorizes the new
        # replica, the subnet and parameter groups it names and its option group (the
        # Service Authorization Reference lists og as required for this action; hawiz names
        # none, so it is the region's default, AWS's own `default:<engine>-<version>`),
        # all with the request's tags. Its tags are authorized again by
        # DatabaseTagAtCreate. Encrypted with the standby region's AWS managed key
        # (alias/aws/rds), whose key policy lets the account's principals use it through
        # RDS: no KMS permission (a customer managed key would need kms:CreateGrant and
        # kms:DescribeKey on it).
        s("DatabaseReplicaCreateTagged", ["rds:CreateDBInstanceReadReplica"],
          rds_own + ["arn:aws:rds:*:*:og:default:*"], v.req()),
        # ...and its source, named by ARN in the primary's region: only a database that is
        # the stack's by its tag (a copy of another stack's data is out of reach by name
        # too). RDS checks the source in its own region on the caller's behalf; this holds
        # whether or not that check sees the request's tags.
        s("DatabaseReplicaOfOwn", ["rds:CreateDBInstanceReadReplica"], rds_own[0], v.res()),
        # Failover makes the standby's replica (`<stack>-db` in the standby's region) a
        # standalone database. The action takes only the DB instance and no condition key on
        # its parameters (so the backup retention hawiz sets, 7 days, cannot be required):
        # only the stack's by its tag. Another stack's replica, promoted, would stop following
        # its source and its failover would serve stale data.
        s("DatabasePromoteOwnReplica", ["rds:PromoteReadReplica"], rds_own[0], v.res()),
        # The final snapshot destroy keeps (`<stack>-db-final-<date>-<time>`): new, so
        # untagged as AWS authorizes it; a copy that stays in the account (nothing here
        # shares, copies or restores snapshots).
        s("DatabaseFinalSnapshot", ["rds:CreateDBSnapshot"], [rds_own[0], final_snapshots]),

        s("FilesCreateTagged", ["elasticfilesystem:CreateFileSystem"], "*", v.req()),
        s("FilesTagOnlyWhenCreating", ["elasticfilesystem:TagResource"],
          ["arn:aws:elasticfilesystem:*:*:file-system/*"], {
              "StringEquals": {"elasticfilesystem:CreateAction": "CreateFileSystem"}}),
        s("FilesChangeOwn", ["elasticfilesystem:CreateMountTarget",
                             "elasticfilesystem:DeleteFileSystem",
                             "elasticfilesystem:DeleteMountTarget",
                             "elasticfilesystem:ModifyMountTargetSecurityGroups",
                             "elasticfilesystem:PutBackupPolicy"],
          ["arn:aws:elasticfilesystem:*:*:file-system/*"], v.res()),
        # A failover standby's files: EFS replication of the stack's file system (in the
        # primary's region) to its copy in the standby's, which hawiz makes itself with
        # CreateFileSystem above (tagged by that call, key `efs-replication`, encrypted): no
        # file system is tagged after the fact. A destination's replication overwrite
        # protection (ENABLED when made) is turned off so that it may be replicated onto
        # (the EFS guide: "you must disable the protection";
        # elasticfilesystem:UpdateFileSystemProtection, file-system resource, no condition
        # key of its own): the copy, when the standby is built, and the primary's own file
        # system, when `hawiz failback` replicates the standby's files (the site's since
        # failover) back onto it. So on any file system of the stack's by its tag, never
        # another stack's nor the user's; that gives nothing the deployer lacks, as it may
        # delete the stack's file systems already (destroy).
        # Replicating and ending the replication (failover, destroy) are allowed on the
        # stack's file systems by their tag, from the primary's region or, when that does not
        # answer, from the standby's (LOCAL_CONFIGURATION_ONLY: no condition key names the
        # mode). The destination file system is authorized too (EFS's cross-account guide
        # grants CreateReplicationConfiguration on it in its file system policy; taken here
        # to hold in one account as well), so neither side may be another's. EFS's
        # service-linked role AWSServiceRoleForAmazonElasticFileSystem does the copying; no
        # RoleArn is passed (no iam:PassRole). (The EFS guide notes that replication does not
        # support tags for ABAC, while the Service Authorization Reference lists
        # aws:ResourceTag for these actions: were the tag not given, these would deny, never
        # let another's through.)
        s("FilesReplicateOwn", ["elasticfilesystem:CreateReplicationConfiguration",
                                "elasticfilesystem:DeleteReplicationConfiguration",
                                "elasticfilesystem:UpdateFileSystemProtection"],
          ["arn:aws:elasticfilesystem:*:*:file-system/*"], v.res()),

        # Load balancer names are shortened to fit (`fit(stack, "alb", 32)`): tags only.
        s("LoadBalancerCreateTagged", ["elasticloadbalancing:CreateLoadBalancer",
                                       "elasticloadbalancing:CreateTargetGroup"],
          [lb, "arn:aws:elasticloadbalancing:*:*:targetgroup/*/*"], v.req()),
        s("LoadBalancerListenerOnOwn", ["elasticloadbalancing:CreateListener"], [lb],
          v.req(), v.res()),
        s("LoadBalancerTagOnlyWhenCreating", ["elasticloadbalancing:AddTags"], elb, {
            "StringEquals": {"elasticloadbalancing:CreateAction": [
                "CreateListener", "CreateLoadBalancer", "CreateTargetGroup"]}}),
        s("LoadBalancerChangeOwn", ["elasticloadbalancing:DeleteListener",
                                    "elasticloadbalancing:DeleteLoadBalancer",
                                    "elasticloadbalancing:DeleteTargetGroup",
                                    "elasticloadbalancing:ModifyListener",
                                    "elasticloadbalancing:ModifyLoadBalancerAttributes",
                                    "elasticloadbalancing:ModifyTargetGroup",
                                    "elasticloadbalancing:SetSecurityGroups",
                                    "elasticloadbalancing:SetSubnets"], elb, v.res()),
        # Part of associating a web ACL with the load balancer; the action has no resources.
        s("LoadBalancerWebAcl", ["elasticloadbalancing:SetWebACL"]),

        s("AutoScalingCreateTagged", ["autoscaling:CreateAutoScalingGroup"], group, v.req()),
        # Tags on the group: hawiz's, with the stack's value, when it is created; after
        # that only its record of the planned size, and only while it is the stack's.
        s("AutoScalingTagAtCreate", ["autoscaling:CreateOrUpdateTags"], group,
          v.req(), keys(*KEYS, PLANNED)),
        s("AutoScalingPlannedSizeTag", ["autoscaling:CreateOrUpdateTags"], group,
          v.res(), keys(PLANNED)),
        s("AutoScalingChangeOwn", ["autoscaling:AttachLoadBalancerTargetGroups",
                                   "autoscaling:DeleteAutoScalingGroup",
                                   "autoscaling:DeleteLifecycleHook", "autoscaling:DeletePolicy",
                                   "autoscaling:DeleteScheduledAction",
                                   "autoscaling:DetachLoadBalancerTargetGroups",
                                   "autoscaling:EnableMetricsCollection",
                                   "autoscaling:PutLifecycleHook",
                                   "autoscaling:PutScalingPolicy",
                                   "autoscaling:PutScheduledUpdateGroupAction",
                                   "autoscaling:StartInstanceRefresh",
                                   "autoscaling:TerminateInstanceInAutoScalingGroup",
                                   "autoscaling:UpdateAutoScalingGroup"], group, v.res()),

        # Alarms and the dashboard: made tagged, then changed (PutX again) or deleted only
        # while they carry the stack's tag. Alarm names are `<stack>-<what>`: a longer stack
        # name that starts the same (`<stack>-eu`) is another stack, kept out by its tag.
        s("AlarmsCreateTagged", ["cloudwatch:PutMetricAlarm"], alarms,
          v.req(), v.not_other(), alarm_actions),
        s("DashboardCreateTagged", ["cloudwatch:PutDashboard"], dashboard, v.req()),
        s("AlarmsTagAtCreate", ["cloudwatch:TagResource"], [alarms, dashboard],
          v.req(), keys(*KEYS), v.not_other()),
        s("AlarmsChangeOwn", ["cloudwatch:PutMetricAlarm"], alarms, v.res(), alarm_actions),
        s("AlarmsDeleteOwn", ["cloudwatch:DeleteAlarms"], alarms, v.res()),
        s("DashboardChangeOwn", ["cloudwatch:DeleteDashboards", "cloudwatch:PutDashboard"],
          dashboard, v.res()),
        s("AlertTopicCreateTagged", ["sns:CreateTopic"], topic, v.req()),
        s("AlertTopicTagAtCreate", ["sns:TagResource"], topic, v.req(), keys(*KEYS)),
        s("AlertTopicChangeOwn", ["sns:DeleteTopic", "sns:Subscribe"], topic, v.res()),
        # Unsubscribe takes no resource: AWS checks it against the subscription's owner. It
        # only stops mail, and hawiz calls it for its own subscription when the address changes.
        s("AlertUnsubscribe", ["sns:Unsubscribe"]),
        s("FlowLogsGroup", ["logs:CreateLogGroup", "logs:DeleteLogGroup",
                            "logs:PutRetentionPolicy", "logs:TagResource"],
          n("arn:aws:logs:*:*:log-group:/hawiz/{s}/*")),
        s("WafCreateTagged", ["wafv2:CreateWebACL"],
          [web_acl, "arn:aws:wafv2:*:*:regional/managedruleset/*/*"], v.req()),
        s("WafTagAtCreate", ["wafv2:TagResource"], web_acl, v.req(), keys(*KEYS)),
        # Associating touches the web ACL and the load balancer: both must be the stack's.
        s("WafChangeOwn", ["wafv2:AssociateWebACL", "wafv2:DeleteWebACL",
                           "wafv2:DisassociateWebACL", "wafv2:UpdateWebACL"], [web_acl, lb],
          v.res()),

        # The domain (dropped from a per-stack policy when the stack has none). Certificate
        # ARNs carry no name: a certificate is the stack's by its tag, and the tag goes on
        # only where no other stack's is.
        s("SiteCertificateRequest", ["acm:RequestCertificate"], "*", v.req()),
        s("SiteCertificateTagAtCreate", ["acm:AddTagsToCertificate"], certs,
          v.req(), keys(*KEYS), v.not_other()),
        s("SiteCertificateDeleteOwn", ["acm:DeleteCertificate"], certs, v.res()),

        # CloudFront in front of the primary (a failover's `cloudfront`, only with a domain).
        # Its certificate is the stack's own ACM certificate in us-east-1 (the statements
        # above name no region); CloudFront's API asks the caller for no ACM permission to
        # use one (acm:ListCertificates is for its console). Distributions are found by
        # listing them: ListDistributions takes no resource, and its summaries carry every
        # distribution's origins with their custom headers (another stack's origin secret
        # too; no condition narrows a list). ListTagsForResource reads the tags that prove a
        # listed distribution the stack's, so it cannot require them.
        s("SiteCdnList", ["cloudfront:ListDistributions", "cloudfront:ListTagsForResource"]),
        # Made tagged in one call (CreateDistributionWithTags: cloudfront:CreateDistribution,
        # which takes no resource and is judged by the request's tags, and
        # cloudfront:TagResource on the new distribution). CloudFront has no create-action
        # key and its ARNs carry no name: the tag goes on only with the stack's value and
        # hawiz's keys, and never where another stack's is.
        s("SiteCdnCreateTagged", ["cloudfront:CreateDistribution"], "*", v.req()),
        s("SiteCdnTagAtCreate", ["cloudfront:TagResource"], distributions,
          v.req(), keys(*KEYS), v.not_other()),
        # Read (its configuration holds the origin secret), changed, disabled and deleted
        # only while it carries the stack's tag.
        s("SiteCdnReadOwn", ["cloudfront:GetDistribution", "cloudfront:GetDistributionConfig"],
          distributions, v.res()),
        s("SiteCdnChangeOwn", ["cloudfront:DeleteDistribution", "cloudfront:UpdateDistribution"],
          distributions, v.res()),
        # The lab's static bucket (a failover's `static_bucket`, behind CloudFront, so only
        # with a domain): `<stack>-static-<account>-<region>` in the primary's region,
        # replicated to its copy in the standby's. S3 gives buckets no tag condition that
        # hawiz can rely on (its tags are set by PutBucketTagging after the create, and the
        # create takes none here), so the proof is the name, exactly (see STATIC_*). Found
        # by listing (ListBuckets takes no resource) and by each bucket's tags;
        # CloudFront's origin access control (`<stack>-static`) takes no tags and is found
        # by its name and its description.
        s("SiteStaticList", ["cloudfront:ListOriginAccessControls", "s3:ListAllMyBuckets"]),
        s("SiteStaticBucketCreate", ["s3:CreateBucket"], static_buckets),
        # The sweep reads the tags of every bucket whose name starts with the stack's:
        # reading tags only, so another stack's that starts the same is not refused there.
        s("SiteStaticBucketTagsRead", ["s3:GetBucketTagging"], n("arn:aws:s3:::{s}-static-*")),
        # Tagged, closed to the public, versioned, replicated (the stack's role, passed to
        # S3 by PassOwnRolesToTheirService), read by the distribution (its bucket policy),
        # emptied and deleted: the stack's buckets by their name only. No object is read or
        # written (the user syncs the files with their own credentials).
        s("SiteStaticBucketOwn", [
            "s3:DeleteBucket", "s3:DeleteBucketPolicy", "s3:GetBucketPolicy",
            "s3:GetBucketPublicAccessBlock", "s3:GetBucketVersioning",
            "s3:GetReplicationConfiguration", "s3:ListBucket", "s3:ListBucketVersions",
            "s3:PutBucketPolicy", "s3:PutBucketPublicAccessBlock", "s3:PutBucketTagging",
            "s3:PutBucketVersioning", "s3:PutReplicationConfiguration"], static_buckets),
        s("SiteStaticFilesEmpty", ["s3:DeleteObject", "s3:DeleteObjectVersion"], static_files),
        # Made with no resource; read (its ETag) and deleted by ID: no condition narrows
        # either (no tags, the ARN has only the ID). CloudFront refuses to delete one a
        # distribution still uses.
        s("SiteStaticAccessCreate", ["cloudfront:CreateOriginAccessControl"]),
        s("SiteStaticAccessChange", ["cloudfront:DeleteOriginAccessControl",
                                     "cloudfront:GetOriginAccessControl"], access_controls),
        # The origin lock: a rule on the stack's HTTPS listener (by the listener's tag) that
        # forwards requests with the secret header. It is made tagged in one call (AWS
        # authorizes CreateRule with the request's tags, and AddTags on the new rule with
        # `CreateAction` CreateRule), then changed and deleted only while it carries the
        # stack's tag (the load balancer's name in its ARN is cut and hashed for a longer
        # stack name, and names prove nothing: a user's load balancer may have the same).
        # (The reference lists net listeners and their rules beside app ones for these
        # actions: named too, as for the listeners above.)
        s("SiteOriginLockRuleOnOwnListener", ["elasticloadbalancing:CreateRule"],
          [lb_listener("app"), lb_listener("net")], v.req(), v.res(), keys(*KEYS)),
        s("SiteOriginLockRuleTagAtCreate", ["elasticloadbalancing:AddTags"], lb_rules, {
            "StringEquals": {"elasticloadbalancing:CreateAction": "CreateRule"}}),
        s("SiteOriginLockRuleChangeOwn", ["elasticloadbalancing:DeleteRule",
                                          "elasticloadbalancing:ModifyRule"],
          lb_rules, v.res()),
        *records,
        # Route 53 has no tag conditions: hawiz keeps to its own zones by proof in the code
        # (the comment set at creation), and AWS refuses to delete a zone that holds records.
        s("DnsNewZone", ["route53:CreateHostedZone"]),
        s("DnsDeleteZone", ["route53:DeleteHostedZone"], zones),
        # The failover's health check (a stack with a standby): its ARN carries only an id
        # and Route 53 has no tag conditions, so any check can be changed or deleted;
        # hawiz finds its own by the tags it sets (ListTagsForResources) and touches only
        # those. A check only probes an endpoint: another's, changed or deleted, breaks
        # that one's failover but reaches no data.
        s("DnsNewHealthCheck", ["route53:CreateHealthCheck"]),
        s("DnsChangeHealthChecks", ["route53:DeleteHealthCheck", "route53:UpdateHealthCheck"],
          health_checks),
        # Zones' and health checks' tags: set by hawiz on what it made (no conditions to
        # limit them; they grant nothing here).
        s("DnsTagZones", ["route53:ChangeTagsForResource"], [zones, health_checks]),
    ]


def boundary():
    """The most a stack's role may ever do, whatever policy is put on it."""
    vpc_credentials = {"Null": {"aws:Ec2InstanceSourceVpc": "false"}}
    return [
        # Only requests signed with an EC2 instance's role credentials: a role created
        # with this boundary but trusting someone else reads nothing.
        s("ReadStackParameters", ["ssm:GetParameter", "ssm:GetParameters"],
          "arn:aws:ssm:*:*:parameter/hawiz/{{stack}}/*", vpc_credentials),
        s("TellTheGroupInstanceIsReady", ["autoscaling:CompleteLifecycleAction"],
          "arn:aws:autoscaling:*:*:autoScalingGroup:*:autoScalingGroupName/{{stack}}-app",
          vpc_credentials),
        s("SessionManagerAgent", [
            "ssm:DescribeAssociation", "ssm:DescribeDocument",
            "ssm:GetDeployablePatchSnapshotForInstance", "ssm:GetDocument", "ssm:GetManifest",
            "ssm:ListAssociations", "ssm:ListInstanceAssociations", "ssm:PutComplianceItems",
            "ssm:PutConfigurePackageResult", "ssm:PutInventory", "ssm:UpdateAssociationStatus",
            "ssm:UpdateInstanceAssociationStatus", "ssm:UpdateInstanceInformation",
            "ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
            "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel",
            "ec2messages:AcknowledgeMessage", "ec2messages:DeleteMessage",
            "ec2messages:FailMessage", "ec2messages:GetEndpoint", "ec2messages:GetMessages",
            "ec2messages:SendReply"]),
        # Written by the flow logs service with the flow logs role.
        s("DeliverFlowLogs", ["logs:CreateLogStream", "logs:DescribeLogStreams",
                              "logs:PutLogEvents"],
          "arn:aws:logs:*:*:log-group:/hawiz/{{stack}}/*"),
        s("FindLogGroups", ["logs:DescribeLogGroups"]),
    ]


def text(statements):
    return json.dumps({"Version": "2012-10-17", "Statement": statements}, indent=2) + "\n"


def normalized(name):
    """A record name as route53:ChangeResourceRecordSetsNormalizedRecordNames has it:
    lowercase, no trailing dot (hawiz's names are letters, digits, '-', '_' and '.')."""
    return name.strip().rstrip(".").lower()


def render(template, stack, domain=None, host=""):
    """What hawiz's renderer does with a template (the contract, in Python)."""
    if not re.fullmatch(r"[a-z][a-z0-9-]{1,30}[a-z0-9]", stack) or "--" in stack:
        sys.exit(f"{stack!r} is not a stack name hawiz accepts")
    out = template.replace(PLACEHOLDER, stack)
    if domain:
        domain = normalized(domain)
        site = f"{normalized(host)}.{domain}" if host.strip() else domain
        origin = f"{ORIGIN_HOST}.{domain}"
        out = out.replace(json.dumps(SITE_NAMES),
                          json.dumps([site, origin, f"{VALIDATION}.{domain}"]))
        out = out.replace(json.dumps(MARKER_NAMES),
                          json.dumps([f"{MARKER}.{site}", f"{MARKER}.{origin}"]))
    doc = json.loads(out)
    if not domain:
        doc["Statement"] = [st for st in doc["Statement"]
                            if not st.get("Sid", "").startswith(("Site", "Dns"))]
    if "{{" in json.dumps(doc):
        sys.exit("a placeholder is left in the rendered policy")
    return json.dumps(doc, indent=2) + "\n"


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    assets = os.path.join(here, "..", "assets")
    files = {
        "iam-policy.json": text(policy(Variant(per_stack=False))),
        "iam-policy-stack.json": text(policy(Variant(per_stack=True))),
        "permissions-boundary.json": text(boundary()),
    }

    def arg(name):
        if name in argv:
            i = argv.index(name)
            if i + 1 >= len(argv):
                sys.exit(f"{name} needs a value")
            return argv[i + 1]
        return None

    if arg("--boundary"):
        sys.stdout.write(render(files["permissions-boundary.json"], arg("--boundary")))
    elif arg("--stack"):
        if arg("--host") and not arg("--domain"):
            sys.exit("--host needs --domain")
        sys.stdout.write(render(files["iam-policy-stack.json"], arg("--stack"),
                                arg("--domain"), arg("--host") or ""))
    elif "--check" in argv:
        # The committed files must be what this description writes.
        for name, want in files.items():
            path = os.path.join(assets, name)
            if not os.path.exists(path) or open(path).read() != want:
                sys.exit(f"assets/{name} is not what scripts/iam-policy.py writes: run it "
                         "and commit")
    elif len(argv) > 1:
        sys.exit(__doc__)
    else:
        for name, want in files.items():
            with open(os.path.join(assets, name), "w") as f:
                f.write(want)


if __name__ == "__main__":
    main(sys.argv)
