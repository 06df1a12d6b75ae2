"""The local AWS used by the tests and the demo: moto, plus a CloudWatch protocol bridge.

aws-sdk-cloudwatch speaks Smithy RPC v2 CBOR only; moto understands CloudWatch over
JSON 1.0. This WSGI middleware turns CBOR requests into JSON 1.0 and the JSON replies
back into CBOR (timestamps as CBOR tag 1, blobs as byte strings, error `__type` kept),
using botocore's CloudWatch model for the output shapes. Every other request goes to
moto unchanged. Task definitions also get the registeredAt/registeredBy that moto omits,
GetMetricData reads from an index (metric_index.py) instead of scanning every datapoint, and
ECS gains service deployments and revisions moving through their lifecycle stages
(deployments.py; its clock and speed are set through /_ecsdeck/deployments/), and incidents
can be played on the same clock (incident.py: a bad deployment whose tasks fail until the
circuit breaker rolls it back, with stopped-task details, alarm history through the
DescribeAlarmHistory moto lacks, scaling activities through the DescribeScalingActivities it
lacks, and an error-log spike; control endpoints under /_ecsdeck/incident/), and CloudWatch
Logs Insights answers the count queries moto does not aggregate (logs_insights.py: `stats
count(*) by bin(1m)` over moto's log events; POST /_ecsdeck/logs-insights/deny to refuse them).

Usage: aws_emulator.py [--host 127.0.0.1] [--port 0]
Prints `READY <port>` on stdout once listening. Exits when stdin closes, so a test that
dies without cleaning up never leaves a server behind (start it with stdin piped).
"""

import argparse
import base64
import datetime as dt
import gzip
import io
import json
import os
import sys
import threading

import botocore.session
import cbor2
from moto.moto_server.threaded_moto_server import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import make_server

CBOR_PREFIX = "/service/GraniteServiceVersion20100801/operation/"
CW_TARGET = "GraniteServiceVersion20100801"
_CW_MODEL = None


def cw_model():
    global _CW_MODEL
    if _CW_MODEL is None:
        _CW_MODEL = botocore.session.get_session().get_service_model("cloudwatch")
    return _CW_MODEL


def to_json_value(value):
    """CBOR-decoded request values into what JSON 1.0 expects."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        return value.timestamp()
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode()
    if isinstance(value, dict):
        return {k: to_json_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_json_value(v) for v in value]
    return value


def parse_timestamp(value):
    if isinstance(value, (int, float)):
        return dt.datetime.fromtimestamp(value, tz=dt.timezone.utc)
    if isinstance(value, str):
        text = value.replace("Z", "+00:00")
        try:
            parsed = dt.datetime.fromisoformat(text)
        except ValueError:
            return value
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)
    return value


def to_cbor_value(value, shape):
    """JSON reply values into CBOR types, guided by the botocore output shape."""
    if shape is None or value is None:
        return value
    kind = shape.type_name
    if kind == "timestamp":
        return parse_timestamp(value)
    if kind == "blob" and isinstance(value, str):
        return base64.b64decode(value)
    if kind == "structure" and isinstance(value, dict):
        members = shape.members
        return {k: to_cbor_value(v, members.get(k)) for k, v in value.items()}
    if kind == "list" and isinstance(value, list):
        return [to_cbor_value(v, shape.member) for v in value]
    if kind == "map" and isinstance(value, dict):
        return {k: to_cbor_value(v, shape.value) for k, v in value.items()}
    if kind in ("double", "float") and isinstance(value, int):
        return float(value)
    return value


class CborBridge:
    """WSGI middleware: RPC v2 CBOR CloudWatch requests in, JSON 1.0 to moto."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if not path.startswith(CBOR_PREFIX):
            return self.app(environ, start_response)
        operation = path[len(CBOR_PREFIX):]
        length = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(length) if length else b""
        # The SDK gzips large PutMetricData bodies (the model's requestCompression trait).
        if "gzip" in environ.get("HTTP_CONTENT_ENCODING", ""):
            raw = gzip.decompress(raw)
        request = cbor2.loads(raw) if raw else {}
        body = json.dumps(to_json_value(request or {})).encode()
        environ = dict(environ)
        environ.pop("HTTP_CONTENT_ENCODING", None)
        environ["PATH_INFO"] = "/"
        environ["CONTENT_TYPE"] = "application/x-amz-json-1.0"
        environ["HTTP_X_AMZ_TARGET"] = f"{CW_TARGET}.{operation}"
        environ["CONTENT_LENGTH"] = str(len(body))
        environ["wsgi.input"] = io.BytesIO(body)

        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"] = status
            captured["headers"] = headers
            return lambda _data: None

        try:
            reply = b"".join(self.app(environ, capture))
        except Exception as error:  # moto raised: answer as AWS would, not with an HTML page
            captured.clear()
            reply = json.dumps({"__type": "InternalFailure", "message": f"{type(error).__name__}: {error}"}).encode()
            captured["status"] = "500 INTERNAL SERVER ERROR"
        status = captured.get("status", "500 INTERNAL SERVER ERROR")
        try:
            document = json.loads(reply) if reply.strip() else {}
        except ValueError:
            document = {"__type": "InternalFailure", "message": reply.decode(errors="replace")}
        if status.startswith("2"):
            try:
                shape = cw_model().operation_model(operation).output_shape
            except Exception:  # unknown operation: send the document as is
                shape = None
            document = to_cbor_value(document, shape)
        encoded = cbor2.dumps(document, datetime_as_timestamp=True, timezone=dt.timezone.utc)
        headers = [
            ("Content-Type", "application/cbor"),
            ("smithy-protocol", "rpc-v2-cbor"),
            ("Content-Length", str(len(encoded))),
        ]
        for name, value in captured.get("headers", []):
            if name.lower() in ("x-amzn-requestid", "x-amz-request-id"):
                headers.append((name, value))
        start_response(status, headers)
        return [encoded]


def record_registration():
    """moto leaves out registeredAt and registeredBy; ECS always sets them. Fill them in at
    registration, as the caller the emulator's credentials stand for."""
    from moto.ecs import models as ecs_models

    original = ecs_models.TaskDefinition.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        account = self.arn.split(":")[4]
        self.registered_at = dt.datetime.now(dt.timezone.utc)
        self.registered_by = f"arn:aws:sts::{account}:assumed-role/ecsdeck-emulator/deployer"

    ecs_models.TaskDefinition.__init__ = init


def exit_when_stdin_closes():
    try:
        while sys.stdin.buffer.read(4096):
            pass
    finally:
        os._exit(0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--no-stdin-watch", action="store_true", help="keep running when stdin closes")
    args = parser.parse_args()
    record_registration()
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import deployments
    import exec_sessions
    import incident
    import logs_insights
    import metric_index

    metric_index.install()
    app = deployments.install(CborBridge(DomainDispatcherApplication(create_backend_app)))
    app = logs_insights.install(app)  # behind the incident API, which advances the engine first
    app = incident.install(app)
    app = exec_sessions.install(app)
    server = make_server(args.host, args.port, app, threaded=True, request_handler=MotoRequestHandler)
    if "MOTO_PORT" not in os.environ:
        os.environ["MOTO_PORT"] = str(server.server_port)
    print(f"READY {server.server_port}", flush=True)
    if not args.no_stdin_watch:
        threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
