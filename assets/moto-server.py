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
first, place it in a zone of its own region, and remove it by either.

moto 5.2.5: ChangeResourceRecordSets refuses a CREATE as "already exists" when the same
record was ever created before and any record sorts after its name in the zone (its
ownership marker, say), and it checks against the zone as it was before the batch, so a
batch that deletes a name's records and creates others there (a simple record becoming a
failover pair, or back) is refused. AWS refuses a CREATE only where a record of that name,
type and set identifier exists, and applies a batch's changes in order. The fix checks
that itself, in runs of the batch that end after each DELETE.
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

from moto.server import main  # noqa: E402  (after the fix, as moto_server would)

if __name__ == "__main__":
    sys.exit(main())
