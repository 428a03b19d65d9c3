"""The EFS replication model of assets/moto-server.py, against a server of its own.

Run with the venv that has moto: `.venv/bin/python tests/emulator/efs_replication.py`.
Prints one line and exits 0 when every check holds; any failed check raises.
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import boto3
from botocore.exceptions import ClientError

ROOT = Path(__file__).resolve().parents[2]
SOURCE, DEST = "ap-northeast-2", "us-east-1"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(port):
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "assets" / "moto-server.py"), "-H", "127.0.0.1"]
        + ["-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            assert server.poll() is None, "the emulator exited"
            assert time.monotonic() < deadline, "the emulator did not start"
            time.sleep(0.1)


def refused(code, call, *args, **kwargs):
    """`call` fails with the error `code` (read as the SDK reads it)."""
    try:
        call(*args, **kwargs)
    except ClientError as err:
        assert err.response["Error"]["Code"] == code, err.response
        return err
    raise AssertionError(f"{call.__name__} succeeded; expected {code}")


def protection(efs, fs_id):
    (fs,) = efs.describe_file_systems(FileSystemId=fs_id)["FileSystems"]
    return fs["FileSystemProtection"]["ReplicationOverwriteProtection"]


def check(endpoint):
    def client(service, region):
        return boto3.client(
            service,
            region_name=region,
            endpoint_url=endpoint,
            aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
            aws_secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        )

    src, dst = client("efs", SOURCE), client("efs", DEST)
    source = src.create_file_system(CreationToken="web-root", Encrypted=True)["FileSystemId"]
    assert protection(src, source) == "ENABLED"

    # Errors before any replication: no such source, two destinations, a bad region, an
    # existing destination that is not there or still protected.
    refused("FileSystemNotFound", src.create_replication_configuration,
            SourceFileSystemId="fs-0123456789abcdef0", Destinations=[{"Region": DEST}])
    refused("BadRequest", src.create_replication_configuration,
            SourceFileSystemId=source, Destinations=[{"Region": DEST}, {"Region": "eu-west-1"}])
    refused("BadRequest", src.create_replication_configuration,
            SourceFileSystemId=source, Destinations=[{"Region": "xx-nowhere-1"}])
    refused("FileSystemNotFound", src.create_replication_configuration,
            SourceFileSystemId=source,
            Destinations=[{"Region": DEST, "FileSystemId": "fs-0123456789abcdef0"}])
    protected = dst.create_file_system(CreationToken="protected")["FileSystemId"]
    refused("BadRequest", src.create_replication_configuration,
            SourceFileSystemId=source, Destinations=[{"Region": DEST, "FileSystemId": protected}])
    refused("ReplicationNotFound", src.describe_replication_configurations, FileSystemId=source)
    refused("FileSystemNotFound", src.describe_replication_configurations,
            FileSystemId="fs-0123456789abcdef0")
    refused("ReplicationNotFound", src.delete_replication_configuration, SourceFileSystemId=source)
    assert src.describe_replication_configurations()["Replications"] == []

    made = src.create_replication_configuration(
        SourceFileSystemId=source, Destinations=[{"Region": DEST}]
    )
    (dest,) = made["Destinations"]
    copy = dest["FileSystemId"]
    assert made["SourceFileSystemId"] == source and made["SourceFileSystemRegion"] == SOURCE
    assert made["SourceFileSystemArn"].endswith(f":{SOURCE}:123456789012:file-system/{source}")
    assert made["OriginalSourceFileSystemArn"] == made["SourceFileSystemArn"]
    assert dest["Region"] == DEST and dest["Status"] == "ENABLED" and copy != source
    assert "LastReplicatedTimestamp" not in dest

    # The copy is moto's own file system in the destination region: encrypted, untagged,
    # read-only while it replicates; the source stays writable.
    (fs,) = dst.describe_file_systems(FileSystemId=copy)["FileSystems"]
    assert fs["Encrypted"] and fs["Tags"] == [] and fs["LifeCycleState"] == "available"
    assert protection(dst, copy) == "REPLICATING" and protection(src, source) == "ENABLED"
    refused("FileSystemNotFound", src.describe_file_systems, FileSystemId=copy)
    dst.tag_resource(ResourceId=copy, Tags=[{"Key": "Name", "Value": "web-root"}])
    assert dst.describe_file_systems(FileSystemId=copy)["FileSystems"][0]["Name"] == "web-root"

    # Described from either region, by the file system of that region, or all of a region.
    for efs, fs_id in ((src, source), (dst, copy)):
        (seen,) = efs.describe_replication_configurations(FileSystemId=fs_id)["Replications"]
        assert seen["SourceFileSystemId"] == source
        assert seen["Destinations"][0]["FileSystemId"] == copy
        assert len(efs.describe_replication_configurations()["Replications"]) == 1
    assert client("efs", "eu-west-1").describe_replication_configurations()["Replications"] == []
    refused("ReplicationNotFound", dst.describe_replication_configurations, FileSystemId=protected)

    # A mount target on the copy, in a subnet of the destination region.
    ec2 = client("ec2", DEST)
    vpc = ec2.create_vpc(CidrBlock="10.8.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.8.1.0/24", AvailabilityZone="us-east-1a")
    target = dst.create_mount_target(FileSystemId=copy, SubnetId=subnet["Subnet"]["SubnetId"])
    assert target["FileSystemId"] == copy

    # One replication per file system, on either side; neither can be deleted meanwhile.
    refused("ReplicationAlreadyExists", src.create_replication_configuration,
            SourceFileSystemId=source, Destinations=[{"Region": "eu-west-1"}])
    refused("ReplicationAlreadyExists", dst.create_replication_configuration,
            SourceFileSystemId=copy, Destinations=[{"Region": SOURCE}])
    refused("FileSystemInUse", src.delete_file_system, FileSystemId=source)
    refused("BadRequest", src.delete_replication_configuration,
            SourceFileSystemId=source, DeletionMode="SOMETIMES")

    # Deleted from the source's side: gone from both, and the copy is writable again.
    src.delete_replication_configuration(SourceFileSystemId=source)
    refused("ReplicationNotFound", src.describe_replication_configurations, FileSystemId=source)
    refused("ReplicationNotFound", dst.describe_replication_configurations, FileSystemId=copy)
    assert dst.describe_replication_configurations()["Replications"] == []
    assert protection(dst, copy) == "ENABLED"
    refused("ReplicationNotFound", src.delete_replication_configuration, SourceFileSystemId=source)
    dst.delete_mount_target(MountTargetId=target["MountTargetId"])
    dst.delete_file_system(FileSystemId=copy)
    refused("FileSystemNotFound", dst.describe_file_systems, FileSystemId=copy)

    # Again, deleted from the destination's side by its own ID (the source's given as ARN),
    # and once more with LOCAL_CONFIGURATION_ONLY from the destination's side: the source's
    # side keeps its configuration until it deletes it too.
    arn = made["SourceFileSystemArn"]
    copy = src.create_replication_configuration(
        SourceFileSystemId=arn, Destinations=[{"Region": DEST}]
    )["Destinations"][0]["FileSystemId"]
    dst.delete_replication_configuration(SourceFileSystemId=copy)
    refused("ReplicationNotFound", src.describe_replication_configurations, FileSystemId=source)
    assert protection(dst, copy) == "ENABLED"
    dst.delete_file_system(FileSystemId=copy)
    copy = src.create_replication_configuration(
        SourceFileSystemId=source, Destinations=[{"Region": DEST}]
    )["Destinations"][0]["FileSystemId"]
    local = {"DeletionMode": "LOCAL_CONFIGURATION_ONLY"}
    dst.delete_replication_configuration(SourceFileSystemId=copy, **local)
    refused("ReplicationNotFound", dst.describe_replication_configurations, FileSystemId=copy)
    assert protection(dst, copy) == "ENABLED"
    src.describe_replication_configurations(FileSystemId=source)
    refused("FileSystemInUse", src.delete_file_system, FileSystemId=source)
    src.delete_replication_configuration(SourceFileSystemId=source, **local)
    dst.delete_file_system(FileSystemId=copy)

    # To an existing file system, as hawiz makes its standby's copy: made in the
    # destination region tagged by its create, encrypted, its overwrite protection turned
    # off, then named by the replication. Protected, it is refused; replicating, its
    # protection cannot change; the replication ended from the destination's region (by
    # the source's ID, LOCAL_CONFIGURATION_ONLY, as failover does when the source's region
    # does not answer), it is writable and protected again, and the source's side keeps
    # its half until that is deleted too.
    tags = [{"Key": "Name", "Value": "shop-efs"}, {"Key": "hawiz:stack", "Value": "shop"},
            {"Key": "hawiz:key", "Value": "efs-replication"}]
    fresh = dst.create_file_system(CreationToken="standby-copy", Encrypted=True, Tags=tags)
    copy = fresh["FileSystemId"]
    assert fresh["FileSystemProtection"]["ReplicationOverwriteProtection"] == "ENABLED"
    refused("BadRequest", src.create_replication_configuration,
            SourceFileSystemId=source, Destinations=[{"Region": DEST, "FileSystemId": copy}])
    refused("ReplicationNotFound", src.describe_replication_configurations, FileSystemId=source)
    assert protection(dst, copy) == "ENABLED"
    refused("FileSystemNotFound", dst.update_file_system_protection,
            FileSystemId="fs-0123456789abcdef0", ReplicationOverwriteProtection="DISABLED")
    refused("FileSystemNotFound", src.update_file_system_protection,
            FileSystemId=copy, ReplicationOverwriteProtection="DISABLED")
    refused("BadRequest", dst.update_file_system_protection,
            FileSystemId=copy, ReplicationOverwriteProtection="REPLICATING")
    changed = dst.update_file_system_protection(
        FileSystemId=copy, ReplicationOverwriteProtection="DISABLED"
    )
    assert changed["ReplicationOverwriteProtection"] == "DISABLED"
    assert protection(dst, copy) == "DISABLED"
    # An unencrypted destination for an encrypted source: AWS's ConflictException.
    plain = dst.create_file_system(CreationToken="plain")["FileSystemId"]
    dst.update_file_system_protection(FileSystemId=plain, ReplicationOverwriteProtection="DISABLED")
    refused("ConflictException", src.create_replication_configuration,
            SourceFileSystemId=source, Destinations=[{"Region": DEST, "FileSystemId": plain}])
    dst.update_file_system_protection(FileSystemId=plain, ReplicationOverwriteProtection="ENABLED")
    assert protection(dst, plain) == "ENABLED"
    dst.delete_file_system(FileSystemId=plain)

    onto = src.create_replication_configuration(
        SourceFileSystemId=source, Destinations=[{"Region": DEST, "FileSystemId": copy}]
    )
    assert onto["Destinations"][0]["FileSystemId"] == copy
    assert onto["Destinations"][0]["Region"] == DEST
    assert protection(dst, copy) == "REPLICATING" and protection(src, source) == "ENABLED"
    (fs,) = dst.describe_file_systems(FileSystemId=copy)["FileSystems"]
    assert {t["Key"]: t["Value"] for t in fs["Tags"]}["hawiz:key"] == "efs-replication"
    for efs, fs_id in ((src, source), (dst, copy)):
        (seen,) = efs.describe_replication_configurations(FileSystemId=fs_id)["Replications"]
        assert seen["SourceFileSystemId"] == source
        assert seen["Destinations"][0]["FileSystemId"] == copy
    for state in ("ENABLED", "DISABLED"):
        err = refused("ReplicationAlreadyExists", dst.update_file_system_protection,
                      FileSystemId=copy, ReplicationOverwriteProtection=state)
        assert "replication destination" in err.response["Error"]["Message"]
    assert protection(dst, copy) == "REPLICATING"
    # The copy is in a replication: no other may name it, nor may it be deleted meanwhile.
    other = src.create_file_system(CreationToken="other", Encrypted=True)["FileSystemId"]
    refused("ReplicationAlreadyExists", src.create_replication_configuration,
            SourceFileSystemId=other, Destinations=[{"Region": DEST, "FileSystemId": copy}])
    src.delete_file_system(FileSystemId=other)
    refused("FileSystemInUse", dst.delete_file_system, FileSystemId=copy)

    dst.delete_replication_configuration(SourceFileSystemId=source, **local)
    refused("ReplicationNotFound", dst.describe_replication_configurations, FileSystemId=copy)
    assert protection(dst, copy) == "ENABLED"
    (kept,) = src.describe_replication_configurations(FileSystemId=source)["Replications"]
    assert kept["Destinations"][0]["FileSystemId"] == copy
    refused("ReplicationNotFound", dst.delete_replication_configuration,
            SourceFileSystemId=copy, **local)
    src.delete_replication_configuration(SourceFileSystemId=source, **local)
    refused("ReplicationNotFound", src.describe_replication_configurations, FileSystemId=source)
    dst.update_file_system_protection(FileSystemId=copy, ReplicationOverwriteProtection="ENABLED")
    dst.delete_file_system(FileSystemId=copy)

    # Deleted from the destination's region by the source's ID (ALL_CONFIGURATIONS): gone
    # from both sides.
    copy = dst.create_file_system(CreationToken="standby-again", Encrypted=True)["FileSystemId"]
    dst.update_file_system_protection(FileSystemId=copy, ReplicationOverwriteProtection="DISABLED")
    src.create_replication_configuration(
        SourceFileSystemId=source, Destinations=[{"Region": DEST, "FileSystemId": copy}]
    )
    dst.delete_replication_configuration(SourceFileSystemId=source)
    refused("ReplicationNotFound", src.describe_replication_configurations, FileSystemId=source)
    refused("ReplicationNotFound", dst.describe_replication_configurations, FileSystemId=copy)
    assert protection(dst, copy) == "ENABLED"
    dst.delete_file_system(FileSystemId=copy)

    # Within one region: described once there; LOCAL_CONFIGURATION_ONLY refused.
    same = src.create_replication_configuration(
        SourceFileSystemId=source, Destinations=[{"Region": SOURCE}]
    )["Destinations"][0]["FileSystemId"]
    assert len(src.describe_replication_configurations()["Replications"]) == 1
    refused("BadRequest", src.delete_replication_configuration,
            SourceFileSystemId=source, **local)
    src.delete_replication_configuration(SourceFileSystemId=same)
    src.delete_file_system(FileSystemId=same)

    # Pages of the region's configurations, by MaxResults and NextToken.
    sources = [src.create_file_system(CreationToken=f"page-{i}")["FileSystemId"] for i in range(3)]
    for fs_id in sources:
        src.create_replication_configuration(
            SourceFileSystemId=fs_id, Destinations=[{"Region": DEST}]
        )
    first = src.describe_replication_configurations(MaxResults=2)
    rest = src.describe_replication_configurations(MaxResults=2, NextToken=first["NextToken"])
    assert len(first["Replications"]) == 2 and len(rest["Replications"]) == 1
    assert "NextToken" not in rest
    paged = {r["SourceFileSystemId"] for r in first["Replications"] + rest["Replications"]}
    assert paged == set(sources)
    assert len(dst.describe_replication_configurations()["Replications"]) == 3

    # The emulator's other fixes still answer.
    alarms = client("cloudwatch", DEST).describe_alarms()
    assert alarms["MetricAlarms"] == []


def main():
    port = free_port()
    server = start(port)
    try:
        check(f"http://127.0.0.1:{port}")
    finally:
        server.terminate()
        server.wait(timeout=30)
    print("efs replication model: ok")


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
