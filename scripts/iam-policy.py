#!/usr/bin/env python3
"""Writes assets/iam-policy.json, the permissions hawiz needs, from the description below.

Reading is allowed broadly (describe/list/get calls mostly take no resource-level
restriction). Every write is limited: creates must carry the `hawiz:stack` tag in the same
request, changes and deletes need it on the resource, tags are set only by the call that
creates the resource, and where a service has no tag conditions the resource's name is
limited to hawiz's (`hawiz-*`, `/hawiz/*`). Roles can only be made with hawiz's
permissions boundary and passed only to the services that use them, so these permissions
cannot be turned into more (scripts/lint-iam checks that with cloudsplaining and
parliament).
"""
import json
import os
import sys

STACK = "hawiz:stack"
REQ = {"Null": {f"aws:RequestTag/{STACK}": "false"}}
RES = {"Null": {f"aws:ResourceTag/{STACK}": "false"}}
BOUNDARY = "arn:aws:iam::*:policy/hawiz/hawiz-permissions-boundary"


def s(sid, actions, resources="*", condition=None):
    st = {"Sid": sid, "Effect": "Allow", "Action": sorted(actions), "Resource": resources}
    if condition:
        st["Condition"] = condition
    return st


def ec2(*types):
    return [
        "arn:aws:ec2:*::image/*" if t == "image" else f"arn:aws:ec2:*:*:{t}/*" for t in types
    ]


# Every EC2 resource type hawiz makes or changes.
EC2_TYPES = ("elastic-ip", "instance", "internet-gateway", "key-pair", "launch-template",
             "natgateway", "network-interface", "route-table", "security-group", "subnet",
             "volume", "vpc", "vpc-flow-log")
RDS = ["arn:aws:rds:*:*:db:*", "arn:aws:rds:*:*:pg:*", "arn:aws:rds:*:*:subgrp:*",
       "arn:aws:rds:*:*:snapshot:*"]
EFS = ["arn:aws:elasticfilesystem:*:*:file-system/*"]
ELB = ["arn:aws:elasticloadbalancing:*:*:loadbalancer/app/*/*",
       "arn:aws:elasticloadbalancing:*:*:targetgroup/*/*",
       "arn:aws:elasticloadbalancing:*:*:listener/app/*/*/*",
       "arn:aws:elasticloadbalancing:*:*:listener/net/*/*/*"]
ASG = ["arn:aws:autoscaling:*:*:autoScalingGroup:*:autoScalingGroupName/*"]
ZONES = ["arn:aws:route53:::hostedzone/*"]
CERTS = ["arn:aws:acm:*:*:certificate/*"]
WEB_ACLS = ["arn:aws:wafv2:*:*:regional/webacl/*/*"]
ALARMS = ["arn:aws:cloudwatch:*:*:alarm:*"]
DASHBOARDS = ["arn:aws:cloudwatch::*:dashboard/*"]
TOPICS = ["arn:aws:sns:*:*:*"]


statements = [
    s("Identity", ["sts:GetCallerIdentity"]),
    s("ReadEverythingHawizLooksAt", [
        "ec2:DescribeAddresses", "ec2:DescribeAvailabilityZones", "ec2:DescribeFlowLogs",
        "ec2:DescribeImages", "ec2:DescribeInstanceTypeOfferings", "ec2:DescribeInstances", "ec2:DescribeInternetGateways",
        "ec2:DescribeKeyPairs", "ec2:DescribeLaunchTemplateVersions", "ec2:DescribeLaunchTemplates",
        "ec2:DescribeNatGateways", "ec2:DescribeRegions", "ec2:DescribeRouteTables", "ec2:DescribeSecurityGroups",
        "ec2:DescribeSubnets", "ec2:DescribeTags", "ec2:DescribeVolumes", "ec2:DescribeVpcAttribute",
        "ec2:DescribeVpcs",
        "rds:DescribeDBEngineVersions", "rds:DescribeDBInstances", "rds:DescribeDBParameterGroups",
        "rds:DescribeDBParameters", "rds:DescribeDBSnapshots", "rds:DescribeDBSubnetGroups",
        "rds:DescribeOrderableDBInstanceOptions",
        "rds:ListTagsForResource",
        "elasticfilesystem:DescribeBackupPolicy", "elasticfilesystem:DescribeFileSystems",
        "elasticfilesystem:DescribeMountTargetSecurityGroups", "elasticfilesystem:DescribeMountTargets",
        "elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeLoadBalancerAttributes",
        "elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeTags",
        "elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetHealth",
        "autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribeInstanceRefreshes",
        "autoscaling:DescribePolicies", "autoscaling:DescribeScalingActivities",
        "autoscaling:DescribeScheduledActions", "autoscaling:DescribeTags",
        "cloudwatch:DescribeAlarms", "cloudwatch:GetDashboard", "cloudwatch:ListDashboards",
        "cloudwatch:ListTagsForResource",
        "sns:ListSubscriptionsByTopic", "sns:ListTagsForResource", "sns:ListTopics",
        "rds:DescribeEvents",
        "iam:GetInstanceProfile", "iam:GetPolicy", "iam:GetRole", "iam:GetRolePolicy",
        "iam:ListAttachedRolePolicies", "iam:ListInstanceProfiles", "iam:ListPolicies",
        "iam:ListRolePolicies", "iam:ListRoleTags", "iam:ListRoles",
        "ssm:DescribeParameters", "ssm:ListTagsForResource",
        "route53:GetHostedZone", "route53:ListHostedZones", "route53:ListHostedZonesByName",
        "route53:ListResourceRecordSets", "route53:ListTagsForResource",
        "acm:DescribeCertificate", "acm:ListCertificates", "acm:ListTagsForCertificate",
        "logs:DescribeLogGroups", "logs:ListTagsForResource",
        "wafv2:GetWebACL", "wafv2:GetWebACLForResource", "wafv2:ListAvailableManagedRuleGroups",
        "wafv2:ListTagsForResource", "wafv2:ListWebACLs",
    ]),
    # The public parameters with the latest Amazon Linux image, and the stack's own.
    s("ReadImageAndStackParameters", ["ssm:GetParameter"], [
        "arn:aws:ssm:*::parameter/aws/service/ami-amazon-linux-latest/*",
        "arn:aws:ssm:*:*:parameter/hawiz/*",
    ]),
    s("StackParameters", ["ssm:PutParameter", "ssm:DeleteParameter", "ssm:AddTagsToResource"],
      "arn:aws:ssm:*:*:parameter/hawiz/*"),
    # EC2: made with the stack's tag in the same call, and only tagged that way.
    # The request carries the tag, so the VPC or subnet it is made in may be the user's
    # own (an adopted VPC) and still the call is only allowed for a tagged new resource.
    s("Ec2CreateTagged", [
        "ec2:AllocateAddress", "ec2:CreateInternetGateway", "ec2:CreateKeyPair",
        "ec2:CreateLaunchTemplate", "ec2:CreateNatGateway", "ec2:CreateRouteTable",
        "ec2:CreateSecurityGroup", "ec2:CreateSubnet", "ec2:CreateVpc", "ec2:CreateFlowLogs",
        "ec2:RunInstances",
    ], ec2(*EC2_TYPES, "image"), REQ),
    s("Ec2TagOnlyWhenCreating", ["ec2:CreateTags"], ec2(*EC2_TYPES), {
        "StringEquals": {"ec2:CreateAction": [
            "AllocateAddress", "CreateFlowLogs", "CreateInternetGateway", "CreateKeyPair",
            "CreateLaunchTemplate", "CreateNatGateway", "CreateRouteTable", "CreateSecurityGroup",
            "CreateSubnet", "CreateVpc", "RunInstances"]}}),
    s("Ec2ChangeOwn", [
        "ec2:AssociateRouteTable", "ec2:AttachInternetGateway", "ec2:AuthorizeSecurityGroupIngress",
        "ec2:CreateLaunchTemplateVersion", "ec2:CreateRoute", "ec2:DeleteFlowLogs",
        "ec2:DeleteInternetGateway", "ec2:DeleteKeyPair", "ec2:DeleteLaunchTemplate",
        "ec2:DeleteNatGateway", "ec2:DeleteRoute", "ec2:DeleteRouteTable", "ec2:DeleteSecurityGroup",
        "ec2:DeleteSubnet", "ec2:DeleteVpc", "ec2:DetachInternetGateway", "ec2:DisassociateRouteTable",
        "ec2:ModifyInstanceAttribute", "ec2:ModifyInstanceMetadataOptions", "ec2:ModifyLaunchTemplate",
        "ec2:ModifySubnetAttribute", "ec2:ModifyVpcAttribute", "ec2:ReleaseAddress", "ec2:ReplaceRoute",
        "ec2:ReplaceRouteTableAssociation", "ec2:RevokeSecurityGroupEgress",
        "ec2:RevokeSecurityGroupIngress", "ec2:StartInstances", "ec2:TerminateInstances",
    ], ec2(*EC2_TYPES), RES),
    # What an instance printed while booting: why a target is unhealthy.
    s("ConsoleOfOwnInstances", ["ec2:GetConsoleOutput"], ec2("instance"), RES),
    # The instance role goes only to EC2 (and the flow logs role only to flow logs).
    s("PassOwnRolesToTheirService", ["iam:PassRole"], "arn:aws:iam::*:role/hawiz-*", {
        "StringEquals": {"iam:PassedToService": ["ec2.amazonaws.com", "vpc-flow-logs.amazonaws.com"]}}),
    # Roles only with the boundary: no policy put on them can reach past it.
    s("RolesOnlyWithTheBoundary", ["iam:CreateRole", "iam:PutRolePolicy",
                                   "iam:PutRolePermissionsBoundary"],
      "arn:aws:iam::*:role/hawiz-*", {"ArnEquals": {"iam:PermissionsBoundary": BOUNDARY}}),
    s("AttachOnlySessionManagerCore", ["iam:AttachRolePolicy", "iam:DetachRolePolicy"],
      "arn:aws:iam::*:role/hawiz-*", {
          "ArnEquals": {"iam:PermissionsBoundary": BOUNDARY,
                        "iam:PolicyARN": "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"}}),
    s("OwnRolesAndProfiles", [
        "iam:AddRoleToInstanceProfile", "iam:CreateInstanceProfile", "iam:DeleteInstanceProfile",
        "iam:DeleteRole", "iam:DeleteRolePolicy", "iam:RemoveRoleFromInstanceProfile",
        "iam:TagInstanceProfile", "iam:TagRole",
    ], ["arn:aws:iam::*:role/hawiz-*", "arn:aws:iam::*:instance-profile/hawiz-*"]),
    # The boundary itself: created once if missing; never changed or deleted by hawiz.
    s("CreateTheBoundaryOnce", ["iam:CreatePolicy", "iam:TagPolicy"], BOUNDARY),
    s("FirstUseServiceLinkedRoles", ["iam:CreateServiceLinkedRole"],
      "arn:aws:iam::*:role/aws-service-role/*", {
        "StringEquals": {"iam:AWSServiceName": [
            "elasticloadbalancing.amazonaws.com", "autoscaling.amazonaws.com",
            "rds.amazonaws.com", "elasticfilesystem.amazonaws.com"]}}),
    s("DatabaseCreateTagged", ["rds:CreateDBInstance", "rds:CreateDBParameterGroup",
                               "rds:CreateDBSubnetGroup", "rds:AddTagsToResource"], RDS, REQ),
    s("DatabaseChangeOwn", ["rds:DeleteDBInstance", "rds:DeleteDBParameterGroup",
                            "rds:DeleteDBSubnetGroup", "rds:ModifyDBInstance",
                            "rds:ModifyDBParameterGroup", "rds:ModifyDBSubnetGroup",
                            "rds:CreateDBSnapshot", "rds:RebootDBInstance"], RDS, RES),
    s("FilesCreateTagged", ["elasticfilesystem:CreateFileSystem"], "*", REQ),
    s("FilesTagOnlyWhenCreating", ["elasticfilesystem:TagResource"], EFS, {
        "StringEquals": {"elasticfilesystem:CreateAction": "CreateFileSystem"}}),
    s("FilesChangeOwn", ["elasticfilesystem:CreateMountTarget", "elasticfilesystem:DeleteFileSystem",
                         "elasticfilesystem:DeleteMountTarget",
                         "elasticfilesystem:ModifyMountTargetSecurityGroups",
                         "elasticfilesystem:PutBackupPolicy"], EFS, RES),
    s("LoadBalancerCreateTagged", ["elasticloadbalancing:CreateListener",
                                   "elasticloadbalancing:CreateLoadBalancer",
                                   "elasticloadbalancing:CreateTargetGroup"], ELB, REQ),
    s("LoadBalancerTagOnlyWhenCreating", ["elasticloadbalancing:AddTags"], ELB, {
        "StringEquals": {"elasticloadbalancing:CreateAction": [
            "CreateListener", "CreateLoadBalancer", "CreateTargetGroup"]}}),
    s("LoadBalancerChangeOwn", ["elasticloadbalancing:DeleteListener",
                                "elasticloadbalancing:DeleteLoadBalancer",
                                "elasticloadbalancing:DeleteTargetGroup",
                                "elasticloadbalancing:ModifyListener",
                                "elasticloadbalancing:ModifyLoadBalancerAttributes",
                                "elasticloadbalancing:ModifyTargetGroup",
                                "elasticloadbalancing:SetSecurityGroups",
                                "elasticloadbalancing:SetSubnets"], ELB, RES),
    # Part of associating a web ACL with the load balancer; the action has no resources.
    s("LoadBalancerWebAcl", ["elasticloadbalancing:SetWebACL"]),
    s("AutoScalingCreateTagged", ["autoscaling:CreateAutoScalingGroup"], ASG, REQ),
    s("AutoScalingChangeOwn", ["autoscaling:AttachLoadBalancerTargetGroups",
                               "autoscaling:DeleteAutoScalingGroup", "autoscaling:DeletePolicy",
                               "autoscaling:DetachLoadBalancerTargetGroups",
                               "autoscaling:EnableMetricsCollection", "autoscaling:PutScalingPolicy",
                               "autoscaling:PutScheduledUpdateGroupAction",
                               "autoscaling:DeleteScheduledAction",
                               "autoscaling:StartInstanceRefresh",
                               "autoscaling:TerminateInstanceInAutoScalingGroup",
                               "autoscaling:UpdateAutoScalingGroup"], ASG, RES),
    # Tags on the group: only its own record of the planned size changes after creation.
    s("AutoScalingTags", ["autoscaling:CreateOrUpdateTags"], ASG, {
        "Null": {f"aws:RequestTag/{STACK}": "false"}}),
    s("AutoScalingPlannedSizeTag", ["autoscaling:CreateOrUpdateTags"], ASG, {
        "Null": {f"aws:ResourceTag/{STACK}": "false"},
        "ForAllValues:StringEquals": {"aws:TagKeys": ["hawiz:desired"]}}),
    # Route 53 has no tag conditions: zones and records are kept hawiz's by proof in the
    # code (a comment set at creation, records recorded in the state), see the README.
    s("Dns", ["route53:ChangeResourceRecordSets", "route53:DeleteHostedZone"], ZONES),
    s("TagZones", ["route53:ChangeTagsForResource"],
      ZONES + ["arn:aws:route53:::healthcheck/*"]),
    s("NewHostedZone", ["route53:CreateHostedZone"]),
    s("CertificateCreateTagged", ["acm:RequestCertificate"], "*", REQ),
    s("CertificateTagTagged", ["acm:AddTagsToCertificate"], CERTS, REQ),
    s("CertificateDeleteOwn", ["acm:DeleteCertificate"], CERTS, RES),
    s("FlowLogsGroup", ["logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:PutRetentionPolicy",
                        "logs:TagResource"], "arn:aws:logs:*:*:log-group:/hawiz/*"),
    s("WafCreateTagged", ["wafv2:CreateWebACL", "wafv2:TagResource"],
      WEB_ACLS + ["arn:aws:wafv2:*:*:regional/managedruleset/*/*"], REQ),
    # Alarms and dashboards: made tagged, then changed (PutX again) or deleted only while
    # they carry the stack's tag.
    s("AlarmsCreateTagged", ["cloudwatch:PutMetricAlarm", "cloudwatch:PutDashboard",
                             "cloudwatch:TagResource"], ALARMS + DASHBOARDS, REQ),
    s("AlarmsChangeOwn", ["cloudwatch:PutMetricAlarm", "cloudwatch:PutDashboard",
                          "cloudwatch:DeleteAlarms", "cloudwatch:DeleteDashboards"],
      ALARMS + DASHBOARDS, RES),
    s("AlertTopicCreateTagged", ["sns:CreateTopic", "sns:TagResource"], TOPICS, REQ),
    s("AlertTopicChangeOwn", ["sns:DeleteTopic", "sns:Subscribe"], TOPICS, RES),
    # Unsubscribe takes no resource: AWS checks it against the subscription's owner. It
    # only stops mail, and hawiz calls it for its own subscription when the address changes.
    s("AlertUnsubscribe", ["sns:Unsubscribe"]),
    # Associating touches the web ACL and the load balancer: both must be the stack's.
    s("WafChangeOwn", ["wafv2:AssociateWebACL", "wafv2:DeleteWebACL", "wafv2:DisassociateWebACL",
                       "wafv2:UpdateWebACL"],
      WEB_ACLS + ["arn:aws:elasticloadbalancing:*:*:loadbalancer/app/*/*"], RES),
]

doc = {"Version": "2012-10-17", "Statement": statements}
text = json.dumps(doc, indent=2) + "\n"
here = os.path.dirname(os.path.abspath(__file__))
path = os.path.join(here, "..", "assets", "iam-policy.json")
if "--check" in sys.argv:
    # The committed file must be what this description writes.
    if open(path).read() != text:
        sys.exit("assets/iam-policy.json is not what scripts/iam-policy.py writes: run it and commit")
else:
    with open(path, "w") as f:
        f.write(text)
