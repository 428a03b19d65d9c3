"""Start moto's server (the AWS emulator of the sandbox and the tests) with fixes for
where the emulator behaves unlike AWS. Nothing here adds behaviour AWS lacks.

moto 5.2.5: CreateLaunchTemplateVersion keeps the new version's user data as a plain
string, where CreateLaunchTemplate wraps it; every later launch from that version (an Auto
Scaling group replacing or adding an instance) then fails with a 500. AWS launches from
any version. The fix wraps it the same way CreateLaunchTemplate does.

moto 5.2.5: DeleteNatGateway leaves the gateway's Elastic IP associated, so the address
can never be used by another NAT gateway ("Resource.AlreadyAssociated"). AWS releases the
association when the gateway is deleted; the fix does the same.

moto 5.2.5: a cross-region read replica (CreateDBInstanceReadReplica in the standby's
region, named by the source's ARN) is a copy of the source that takes its own region only
after its other settings, so its DB subnet group is looked up in the source's region
("DBSubnetGroupNotFoundFault") and it reports the source's AZ. AWS places it in the
destination region, in the subnet group given there. Deleting it then answers 500
(the source lists it by ARN, and moto removes it by name). The fixes set the region
first, place it in a zone of its own region, and remove it by either. PromoteReadReplica
leaves the promoted database naming its source (ReadReplicaSourceDBInstanceIdentifier) and
the source listing it; AWS makes it "a standalone DB instance": the fix drops both.

moto 5.2.5: ChangeResourceRecordSets refuses a CREATE as "already exists" when the same
record was ever created before and any record sorts after its name in the zone (its
ownership marker, say), and it checks against the zone as it was before the batch, so a
batch that deletes a name's records and creates others there (a simple record becoming a
failover pair, or back) is refused. AWS refuses a CREATE only where a record of that name,
type and set identifier exists, and applies a batch's changes in order. The fix checks
that itself, in runs of the batch that end after each DELETE.

moto 5.2.5 has no EFS replication: CreateReplicationConfiguration and
DeleteReplicationConfiguration answer 404 and DescribeReplicationConfigurations a 500, and
it has no UpdateFileSystemProtection. The model below answers the four as AWS documents
them. Every file system has a replication overwrite protection, which DescribeFileSystems
now reports: ENABLED when made; UpdateFileSystemProtection turns it DISABLED or ENABLED,
but not while the file system is a replication's destination (REPLICATING: AWS's
ReplicationAlreadyExists). The destination is either a new file system of moto's own in the
destination region, or an existing one named by its ID, which AWS takes only when its
protection is DISABLED, it is in no other replication, and it is encrypted when the source
is. Either way DescribeFileSystems, CreateMountTarget, TagResource and DeleteFileSystem work
on it there as on any other; it is read-only while it replicates (REPLICATING) and writable
again once the configuration is deleted, from either side (from the destination's region
by its own ID or by the source's, as AWS documents), its protection ENABLED again.
DeleteFileSystem refuses a file system that is part of a replication, as AWS does. No data
is copied (the emulator holds none), and moto has no time: a configuration is ENABLED at
once and gone at once when deleted, where AWS takes minutes for each.

moto 5.2.5 answers GetBucketVersioning under a root element of its own making
(<GetBucketVersioningResponse>); S3 answers <VersioningConfiguration> (S3 API reference,
GetBucketVersioning), and an SDK that checks the root (the Rust SDK does) cannot read the
answer. The fix renames the root.
"""

import base64
import datetime
import json
import os
import re
import sys

import cbor2
from botocore.session import get_session

from moto.core.types import Base64EncodedString
from moto.ec2.models import launch_templates
from moto.ec2.utils import parse_user_data

_create_version = launch_templates.LaunchTemplate.create_version


def create_version(self, data, description):
    user_data = data.get("UserData")
    if isinstance(user_data, str) and not isinstance(user_data, Base64EncodedString):
        data["UserData"] = parse_user_data(user_data)
    return _create_version(self, data, description)


launch_templates.LaunchTemplate.create_version = create_version

from moto.ec2.models import nat_gateways  # noqa: E402

_delete_nat_gateway = nat_gateways.NatGatewayBackend.delete_nat_gateway


def delete_nat_gateway(self, nat_gateway_id):
    nat = _delete_nat_gateway(self, nat_gateway_id)
    eni = getattr(nat, "_eni", None)
    for eip in list(self.addresses):
        if eni is not None and eip.eni is eni and eip.association_id:
            self.disassociate_address(association_id=eip.association_id)
    return nat


nat_gateways.NatGatewayBackend.delete_nat_gateway = delete_nat_gateway

# moto 5.2.5 speaks CloudWatch's JSON and query protocols, but the AWS SDKs now call
# CloudWatch with Smithy RPC v2 CBOR (POST /service/<target>/operation/<Op>, a CBOR body)
# and moto answers those 404. The adapter below carries such a call to moto as the same
# operation in JSON 1.0 and the answer back in CBOR, typed by botocore's model of the
# service, so hawiz's real SDK calls reach moto's CloudWatch unchanged.
from moto.moto_server import werkzeug_app  # noqa: E402

RPC_V2 = re.compile(r"^/service/(?P<target>[A-Za-z0-9]+)/operation/(?P<op>[A-Za-z0-9]+)$")
_models = {}


def _model(target):
    if target not in _models:
        session = get_session()
        _models[target] = next(
            (
                session.get_service_model(name)
                for name in ("cloudwatch",)
                if session.get_service_model(name).metadata.get("targetPrefix") == target
            ),
            None,
        )
    return _models[target]


def _from_cbor(value):
    """CBOR request values as JSON 1.0 wants them."""
    if isinstance(value, dict):
        return {k: _from_cbor(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_from_cbor(v) for v in value]
    if isinstance(value, cbor2.CBORTag) and value.tag == 1:
        return value.value
    if isinstance(value, datetime.datetime):
        return value.timestamp()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return value


def _to_cbor(value, shape):
    """A JSON answer as RPC v2 CBOR carries it: timestamps as tag 1, blobs as bytes."""
    if shape is None or value is None:
        return value
    kind = shape.type_name
    if kind == "structure" and isinstance(value, dict):
        return {k: _to_cbor(v, shape.members.get(k)) for k, v in value.items()}
    if kind == "list" and isinstance(value, list):
        return [_to_cbor(v, shape.member) for v in value]
    if kind == "map" and isinstance(value, dict):
        return {k: _to_cbor(v, shape.value) for k, v in value.items()}
    if kind == "timestamp":
        if isinstance(value, str):
            try:
                value = float(value)
            except ValueError:
                value = datetime.datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
        return cbor2.CBORTag(1, float(value))
    if kind == "blob" and isinstance(value, str):
        return base64.b64decode(value)
    if kind in ("integer", "long"):
        return int(value)
    if kind in ("double", "float"):
        return float(value)
    return value


def _error(body):
    """moto's error, JSON or XML, as the `__type`/`message` map RPC v2 clients read."""
    try:
        doc = json.loads(body)
        if isinstance(doc, dict):
            return doc
    except ValueError:
        pass
    text = body.decode(errors="replace")
    code = re.search(r"<Code>(.*?)</Code>", text)
    message = re.search(r"<Message>(.*?)</Message>", text, re.S)
    return {
        "__type": code.group(1) if code else "InternalFailure",
        "message": message.group(1) if message else text,
    }


_dispatch = werkzeug_app.DomainDispatcherApplication.__call__


def dispatch(self, environ, start_response):
    # EFS replication, which moto lacks, is answered by the model further down.
    answer = _efs_replication(environ, start_response)
    if answer is not None:
        return answer
    found = RPC_V2.match(environ.get("PATH_INFO", ""))
    model = found and _model(found["target"])
    if not model:
        return _dispatch(self, environ, start_response)
    length = int(environ.get("CONTENT_LENGTH") or 0)
    raw = environ["wsgi.input"].read(length) if length else b""
    body = json.dumps(_from_cbor(cbor2.loads(raw)) if raw else {}).encode()
    environ = dict(environ)
    environ["PATH_INFO"] = "/"
    environ["CONTENT_TYPE"] = "application/x-amz-json-1.0"
    environ["CONTENT_LENGTH"] = str(len(body))
    environ["HTTP_X_AMZ_TARGET"] = f"{found['target']}.{found['op']}"
    environ["wsgi.input"] = __import__("io").BytesIO(body)
    answer = {}

    def capture(status, headers, exc_info=None):
        answer["status"], answer["headers"] = status, headers

    chunks = _dispatch(self, environ, capture)
    data = b"".join(chunks)
    if hasattr(chunks, "close"):
        chunks.close()
    code = int(answer["status"].split()[0])
    if code < 300:
        output = model.operation_model(found["op"]).output_shape
        doc = json.loads(data) if data.strip() else {}
        out = cbor2.dumps(_to_cbor(doc, output))
    else:
        out = cbor2.dumps(_error(data))
    start_response(
        answer["status"],
        [
            ("Content-Type", "application/cbor"),
            ("smithy-protocol", "rpc-v2-cbor"),
            ("Content-Length", str(len(out))),
        ],
    )
    return [out]


werkzeug_app.DomainDispatcherApplication.__call__ = dispatch

# moto 5.2.5 answers DescribeAlarms and ListDashboards with everything at once; AWS pages
# both (DescribeAlarms by MaxRecords: 50 unless asked, at most 100; ListDashboards 1000 at a
# time, a size the caller cannot set), and a sweep that reads one page misses the rest.
# The pages below follow AWS's: in name order, with a NextToken while more remain.
# HAWIZ_MOTO_DASHBOARD_PAGE makes ListDashboards' page smaller for tests, so two pages do
# not take a thousand dashboards.
from moto.cloudwatch.responses import CloudWatchResponse  # noqa: E402
from moto.core.responses import ActionResult  # noqa: E402


def _page(items, token, size, key):
    """One page of `items` (sorted by `key`) after the item named `token`."""
    items = sorted(items, key=key)
    start = 0
    if token:
        start = next((i for i, item in enumerate(items) if key(item) > token), len(items))
    page = items[start : start + size]
    more = start + size < len(items)
    return page, (key(page[-1]) if more and page else None)


_describe_alarms = CloudWatchResponse.describe_alarms


def describe_alarms(self):
    result = dict(_describe_alarms(self).result)
    size = min(int(self._get_param("MaxRecords") or 50), 100)
    page, token = _page(
        list(result["MetricAlarms"]), self._get_param("NextToken"), size, lambda a: a.name
    )
    result["MetricAlarms"] = page
    if token:
        result["NextToken"] = token
    return ActionResult(result)


def list_dashboards(self):
    prefix = self._get_param("DashboardNamePrefix", "")
    size = int(os.environ.get("HAWIZ_MOTO_DASHBOARD_PAGE") or 1000)
    page, token = _page(
        list(self.cloudwatch_backend.list_dashboards(prefix)),
        self._get_param("NextToken"),
        size,
        lambda d: d.name,
    )
    result = {"DashboardEntries": page}
    if token:
        result["NextToken"] = token
    return ActionResult(result)


CloudWatchResponse.describe_alarms = describe_alarms
CloudWatchResponse.list_dashboards = list_dashboards

from moto.rds import models as rds_models  # noqa: E402

_create_replica = rds_models.RDSBackend.create_db_instance_read_replica


def create_db_instance_read_replica(self, db_kwargs):
    if self.arn_regex.match(db_kwargs["source_db_instance_identifier"]):
        db_kwargs = {"backend": self, **db_kwargs}
    replica = _create_replica(self, db_kwargs)
    if not str(replica.availability_zone).startswith(self.region_name):
        zones = [s.availability_zone for s in getattr(replica.db_subnet_group, "_subnets", [])]
        replica.availability_zone = min(zones) if zones else f"{self.region_name}a"
    return replica


def remove_replica(self, replica):
    for ref in (replica.db_instance_identifier, replica.db_instance_arn):
        if ref in self.replicas:
            self.replicas.remove(ref)
            return


_promote = rds_models.RDSBackend.promote_read_replica


def promote_read_replica(self, db_kwargs):
    database = self.databases.get(db_kwargs["db_instance_identifier"])
    source = database.source_db_instance_identifier if database and database.is_replica else None
    database = _promote(self, db_kwargs)
    if source:
        try:
            remove_replica(self.find_db_from_id(source), database)
        except Exception:  # the source is gone (its region lost, or deleted): nothing lists it
            pass
        database.source_db_instance_identifier = None
    return database


from moto.route53 import models as route53_models  # noqa: E402

_change_records = route53_models.Route53Backend.change_resource_record_sets


def _apply_run(self, zoneid, run):
    zone = self.get_hosted_zone(zoneid)
    for change in run:
        rrset = change["ResourceRecordSet"]
        if change["Action"] != "CREATE":
            continue
        for have in zone.rrsets:
            if (
                have.name.strip(".") == rrset["Name"].strip(".")
                and have.type == rrset["Type"]
                and have.set_identifier == rrset.get("SetIdentifier")
            ):
                raise route53_models.ResourceRecordAlreadyExists(
                    name=rrset["Name"].strip(".") + ".", _type=rrset["Type"]
                )
    _change_records(self, zoneid, run)


def change_resource_record_sets(self, zoneid, change_list):
    run = []
    for change in change_list:
        run.append(change)
        if change["Action"] == "DELETE":
            _apply_run(self, zoneid, run)
            run = []
    if run:
        _apply_run(self, zoneid, run)


# The journal check above replaces moto's own (see the module's notes).
route53_models.ChangeList.__contains__ = lambda self, item: False
route53_models.Route53Backend.change_resource_record_sets = change_resource_record_sets
rds_models.RDSBackend.create_db_instance_read_replica = create_db_instance_read_replica
rds_models.DBInstance.remove_replica = remove_replica
rds_models.RDSBackend.promote_read_replica = promote_read_replica

# EFS replication (see the module's notes). AWS keeps a configuration in the source's
# region and in the destination's (DeleteReplicationConfiguration's LOCAL_CONFIGURATION_ONLY
# removes only the caller's), so the model files each configuration under both file
# systems, by (account, region, file system ID): under its source's key, and under its
# destination's while that side holds it. A configuration is kept as AWS describes it.
import threading  # noqa: E402
import time  # noqa: E402
from http import HTTPStatus  # noqa: E402
from urllib.parse import parse_qs  # noqa: E402

from moto.efs import models as efs_models  # noqa: E402
from moto.efs.exceptions import (  # noqa: E402
    BadRequest,
    EFSError,
    FileSystemInUse,
    FileSystemNotFound,
)
from moto.iam.models import get_account_id_from  # noqa: E402
from moto.moto_api._internal import mock_random  # noqa: E402

EFS_REPLICATION = re.compile(r"^/2015-02-01/file-systems/(?P<id>.+)/replication-configuration$")
EFS_PROTECTION = re.compile(r"^/2015-02-01/file-systems/(?P<id>.+)/protection$")
EFS_REPLICATIONS = "/2015-02-01/file-systems/replication-configurations"
SIGV4_SCOPE = re.compile(r"Credential=(?P<key>[^/,]+)/\d{8}/(?P<region>[^/]+)/")
EFS_HOST = re.compile(r"elasticfilesystem\.(?P<region>[^.]+)\.amazonaws\.com")
_replications = {}
# moto's server is threaded; a check and the change it allows must not interleave.
_efs_lock = threading.RLock()


class ReplicationNotFound(EFSError):
    code = 404

    def __init__(self, file_system_id):
        super().__init__(
            "ReplicationNotFound",
            f"No replication configuration found for file system '{file_system_id}'.",
        )


class ReplicationAlreadyExists(EFSError):
    code = 409

    def __init__(self, file_system_id, message=None):
        super().__init__(
            "ReplicationAlreadyExists",
            message
            or f"File system '{file_system_id}' is already part of a replication configuration.",
        )


class ConflictException(EFSError):
    code = 409

    def __init__(self, message):
        super().__init__("ConflictException", message)


class UnsupportedAvailabilityZone(EFSError):
    code = 400

    def __init__(self, zone):
        super().__init__(
            "UnsupportedAvailabilityZone", f"Availability Zone '{zone}' is not supported."
        )


_fs_init = efs_models.FileSystem.__init__


def fs_init(self, *args, **kwargs):
    _fs_init(self, *args, **kwargs)
    # AWS: replication overwrite protection "is ENABLED by default". moto's description of a
    # file system is its public attributes, so this one shows as FileSystemProtection.
    self.file_system_protection = {"ReplicationOverwriteProtection": "ENABLED"}


efs_models.FileSystem.__init__ = fs_init

_delete_file_system = efs_models.EFSBackend.delete_file_system


def delete_file_system(self, file_system_id):
    # AWS: "You cannot delete a file system that is part of a replication configuration."
    with _efs_lock:
        if (self.account_id, self.region_name, file_system_id) in _replications:
            raise FileSystemInUse(
                f"File system '{file_system_id}' is part of a replication configuration; "
                "delete the replication configuration first."
            )
        return _delete_file_system(self, file_system_id)


efs_models.EFSBackend.delete_file_system = delete_file_system


def _caller(environ):
    """The account and region of a call, found as moto finds them for its own services: the
    region from the endpoint's host, else from the SigV4 credential scope."""
    scope = SIGV4_SCOPE.search(environ.get("HTTP_AUTHORIZATION", ""))
    host = EFS_HOST.search(environ.get("HTTP_HOST", ""))
    region = host["region"] if host else scope["region"] if scope else "us-east-1"
    account = (
        os.environ.get("MOTO_ACCOUNT_ID")
        or environ.get("HTTP_X_MOTO_ACCOUNT_ID")
        or get_account_id_from(scope["key"] if scope else "AKIAEXAMPLE")
    )
    return account, region


def _fs_id(ref):
    """A file system named by ID or by ARN (AWS takes either)."""
    return ref.rsplit("/", 1)[-1] if ref.startswith("arn:") else ref


def _file_system(account, region, ref):
    fs = efs_models.efs_backends[account][region].file_systems_by_id.get(_fs_id(ref))
    if fs is None:
        raise FileSystemNotFound(_fs_id(ref))
    return fs


def _sides(rep):
    """(region, file system ID) of a configuration's source and destination."""
    dest = rep["Destinations"][0]
    return [
        (rep["SourceFileSystemRegion"], rep["SourceFileSystemId"]),
        (dest["Region"], dest["FileSystemId"]),
    ]


def _protect(account, region, file_system_id, state):
    fs = efs_models.efs_backends[account][region].file_systems_by_id.get(file_system_id)
    if fs is not None:
        fs.file_system_protection = {"ReplicationOverwriteProtection": state}


def _new_destination(account, region, source, want):
    """The file system AWS makes for a destination: always encrypted (with the given KMS key,
    else the account's default one for EFS), the source's performance mode unless One Zone
    (General Purpose then), bursting throughput, automatic backups only for One Zone, and
    no tags (replication takes none)."""
    zone = want.get("AvailabilityZoneName")
    if zone and (zone[:-1] != region or efs_models._lookup_az_id(account, zone) is None):
        raise UnsupportedAvailabilityZone(zone)
    return efs_models.efs_backends[account][region].create_file_system(
        creation_token=str(mock_random.uuid4()),
        performance_mode="generalPurpose" if zone else source.performance_mode,
        encrypted=True,
        kms_key_id=want.get("KmsKeyId"),
        throughput_mode="bursting",
        provisioned_throughput_in_mibps=None,
        availability_zone_name=zone,
        backup=bool(zone),
        tags=[],
    )


def _existing_destination(account, region, ref, source):
    """An existing file system as the destination. AWS takes one only in no other
    replication, with its replication overwrite protection DISABLED ("Before you can use the
    file system as the destination in a replication configuration, you must disable the
    protection"), and encrypted if the source is (ConflictException, AWS's error for that).
    AWS names no error of its own for a protected destination: the request's parameter is
    not usable, so BadRequest, its error for "an invalid parameter value"."""
    dest = _file_system(account, region, ref)
    if dest is source:
        raise BadRequest("A file system cannot be the destination of its own replication.")
    if (account, region, dest.file_system_id) in _replications:
        raise ReplicationAlreadyExists(dest.file_system_id)
    if dest.file_system_protection["ReplicationOverwriteProtection"] != "DISABLED":
        raise BadRequest(
            f"File system '{dest.file_system_id}' has its replication overwrite protection "
            "enabled, which prevents it from being used as the destination in a replication "
            "configuration; disable the protection first."
        )
    if source.encrypted and not dest.encrypted:
        raise ConflictException(
            f"The source file system '{source.file_system_id}' is encrypted but the "
            f"destination file system '{dest.file_system_id}' is unencrypted."
        )
    return dest


def _update_protection(account, region, ref, body):
    """UpdateFileSystemProtection: answers the FileSystemProtectionDescription."""
    fs = _file_system(account, region, ref)
    want = body.get("ReplicationOverwriteProtection")
    if want is not None and want not in ("ENABLED", "DISABLED"):
        raise BadRequest(f"'{want}' is not a replication overwrite protection to set.")
    # AWS (its answer to a change of a destination's protection): "ReplicationOverwrite
    # Protection cannot be changed while the file system is a replication destination."
    if fs.file_system_protection["ReplicationOverwriteProtection"] == "REPLICATING":
        raise ReplicationAlreadyExists(
            fs.file_system_id,
            "ReplicationOverwriteProtection cannot be changed while the file system is a "
            "replication destination.",
        )
    if want is not None:
        fs.file_system_protection = {"ReplicationOverwriteProtection": want}
    return dict(fs.file_system_protection)


def _create(account, region, source_ref, body):
    source = _file_system(account, region, source_ref)
    # AWS: the source "cannot already be a source or destination file system in another
    # replication configuration".
    if (account, region, source.file_system_id) in _replications:
        raise ReplicationAlreadyExists(source.file_system_id)
    destinations = body.get("Destinations") or []
    if len(destinations) != 1:
        raise BadRequest("A replication configuration has exactly one destination.")
    want = destinations[0]
    # The Region may be left out for One Zone, whose Availability Zone names it.
    dest_region = want.get("Region") or (want.get("AvailabilityZoneName") or "")[:-1]
    if dest_region not in efs_models.efs_backends[account]:
        raise BadRequest(f"'{dest_region}' is not a Region of the destination.")
    if want.get("FileSystemId"):
        dest = _existing_destination(account, dest_region, want["FileSystemId"], source)
    else:
        dest = _new_destination(account, dest_region, source, want)
    dest.file_system_protection = {"ReplicationOverwriteProtection": "REPLICATING"}
    destination = {
        # AWS reports ENABLING until the first copy is set up, ENABLED within minutes.
        "Status": "ENABLED",
        "FileSystemId": dest.file_system_id,
        "Region": dest_region,
        "OwnerId": account,
        # No LastReplicatedTimestamp: nothing is ever copied here.
    }
    if want.get("RoleArn"):
        destination["RoleArn"] = want["RoleArn"]
    rep = {
        "SourceFileSystemId": source.file_system_id,
        "SourceFileSystemRegion": region,
        "SourceFileSystemArn": source.file_system_arn,
        # Other than the source only after a failback (a replication the other way).
        "OriginalSourceFileSystemArn": source.file_system_arn,
        "CreationTime": time.time(),
        "Destinations": [destination],
        "SourceFileSystemOwnerId": account,
    }
    for side_region, side_id in _sides(rep):
        _replications[(account, side_region, side_id)] = rep
    return rep


def _filed(account, region, ref, by_source=False):
    """The configuration a file system of this region is part of, as this region holds it;
    `by_source`: also one this region holds as the destination of the source named."""
    rep = _replications.get((account, region, _fs_id(ref)))
    if rep is None and by_source:
        rep = next(
            (
                r
                for (a, reg, _), r in _replications.items()
                if (a, reg) == (account, region) and r["SourceFileSystemId"] == _fs_id(ref)
            ),
            None,
        )
    if rep is None:
        _file_system(account, region, ref)  # FileSystemNotFound where there is none either
        raise ReplicationNotFound(_fs_id(ref))
    return rep


def _delete(account, region, ref, mode):
    # AWS: SourceFileSystemId is "the ID of the source file system in the replication
    # configuration", and the request may be made from the destination's region (where
    # this region's own file system, the destination, names it too).
    rep = _filed(account, region, ref, by_source=True)
    mode = mode or "ALL_CONFIGURATIONS"
    if mode not in ("ALL_CONFIGURATIONS", "LOCAL_CONFIGURATION_ONLY"):
        raise BadRequest(f"'{mode}' is not a deletion mode.")
    sides = _sides(rep)
    if mode == "LOCAL_CONFIGURATION_ONLY":
        # AWS: not for a same-account, same-region replication ("a BadRequest exception").
        if sides[0][0] == sides[1][0]:
            raise BadRequest("LOCAL_CONFIGURATION_ONLY is for cross-Region replication only.")
        sides = [side for side in sides if side[0] == region]
    for side_region, side_id in sides:
        if _replications.get((account, side_region, side_id)) is rep:
            del _replications[(account, side_region, side_id)]
    # AWS: the destination "becomes Writeable and its replication overwrite protection is
    # re-enabled".
    if _sides(rep)[1] in sides:
        _protect(account, *_sides(rep)[1], "ENABLED")


def _describe(account, region, query):
    try:
        size = int(query.get("MaxResults", 100))
    except ValueError:
        size = 0
    if size < 1:
        raise BadRequest("MaxResults must be a number of at least 1.")
    if query.get("FileSystemId"):
        return {"Replications": [_filed(account, region, query["FileSystemId"])]}
    # Every configuration this region holds, as source or destination, once (a replication
    # within one region is filed here twice).
    held = {id(rep): rep for (a, r, _), rep in _replications.items() if (a, r) == (account, region)}
    page, token = _page(
        list(held.values()), query.get("NextToken"), size, lambda rep: rep["SourceFileSystemArn"]
    )
    doc = {"Replications": page}
    if token:
        doc["NextToken"] = token
    return doc


def _body(environ):
    length = int(environ.get("CONTENT_LENGTH") or 0)
    raw = environ["wsgi.input"].read(length) if length else b""
    try:
        doc = json.loads(raw) if raw.strip() else {}
    except ValueError:
        raise BadRequest("The request body is not JSON.")
    if not isinstance(doc, dict):
        raise BadRequest("The request body is not a JSON object.")
    return doc


def _efs_replication(environ, start_response):
    """Answer an EFS replication or protection call (its method and path are EFS's alone),
    or None for any other call."""
    method, path = environ.get("REQUEST_METHOD"), environ.get("PATH_INFO", "")
    one = EFS_REPLICATION.match(path)
    listing = path == EFS_REPLICATIONS and method == "GET"
    protection = EFS_PROTECTION.match(path) if method == "PUT" else None
    if not ((one and method in ("POST", "DELETE")) or listing or protection):
        return None
    account, region = _caller(environ)
    query = {k: v[-1] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
    headers = [("Content-Type", "application/json")]
    try:
        with _efs_lock:
            if protection:
                status = 200
                doc = _update_protection(account, region, protection["id"], _body(environ))
            elif method == "POST":
                status, doc = 200, _create(account, region, one["id"], _body(environ))
            elif method == "DELETE":
                _delete(account, region, one["id"], query.get("deletionMode"))
                status, doc = 204, None
            else:
                status, doc = 200, _describe(account, region, query)
    except EFSError as err:
        # EFS's error shape: the code in x-amzn-ErrorType (where the SDKs read it) and
        # ErrorCode/Message in the body.
        status, doc = err.code, {"ErrorCode": err.error_type, "Message": err.message}
        headers.append(("x-amzn-ErrorType", err.error_type))
    out = json.dumps(doc).encode() if doc is not None else b""
    headers.append(("Content-Length", str(len(out))))
    start_response(f"{status} {HTTPStatus(status).phrase}", headers)
    return [out]


from moto.s3.responses import S3Response  # noqa: E402

_get_bucket_versioning = S3Response.get_bucket_versioning


def get_bucket_versioning(self):
    status, headers, body = _get_bucket_versioning(self)
    if isinstance(body, bytes):
        body = body.decode()
    return status, headers, body.replace("GetBucketVersioningResponse", "VersioningConfiguration")


S3Response.get_bucket_versioning = get_bucket_versioning

from moto.server import main  # noqa: E402  (after the fix, as moto_server would)

if __name__ == "__main__":
    sys.exit(main())
