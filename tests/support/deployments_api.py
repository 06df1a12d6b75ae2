"""The service deployment operations of ECS (JSON 1.1), answered in front of moto, which does
not implement them, and the control endpoints of the deployment engine (deployments.py).

Every ECS request first advances the engine to "now" and is then handled under the engine's
lock: ListServiceDeployments, DescribeServiceDeployments, DescribeServiceRevisions,
StopServiceDeployment and ContinueServiceDeployment here, everything else by moto. For
CreateService and UpdateService the raw request is handed to the engine's hooks in moto
(deployments_moto.py); in the answers of CreateService, UpdateService, DescribeServices and
DeleteService each service's deploymentConfiguration is put back exactly as it was sent,
since moto's serializer keeps only the members botocore's model knows.

Control endpoints (paths no AWS operation uses), JSON in and out, each answering
{"now": <epoch secs>, "mode": "real"|"manual", "stageSecs": N}:
  POST /_ecsdeck/deployments/clock  {"mode": "manual"}   freeze the clock at the current time
                                                         (a manual clock stays where it is)
                                    {"advanceSecs": N}   move a manual clock N seconds on,
                                                         processing every event on the way
                                    {"mode": "real"}     back to real time
  POST /_ecsdeck/deployments/speed  {"stageSecs": N}     how long each ordinary stage lasts
  GET  either path                                       the current state
moto's own reset (POST /moto-api/reset) also forgets every deployment and revision.
"""

import io
import json
import os
import re
import uuid

from moto.core.exceptions import ServiceException
from moto.ecs.models import ecs_backends

import deployments as engine
import deployments_moto as moto_side
import deployments_state as state

TARGET_PREFIX = "AmazonEC2ContainerServiceV20141113."
CONTROL_PREFIX = "/_ecsdeck/deployments/"
RESET_PATH = "/moto-api/reset"
RAW_REQUEST_OPERATIONS = ("CreateService", "UpdateService")
SERVICE_ANSWERS = ("CreateService", "UpdateService", "DescribeServices", "DeleteService")
CREDENTIAL = re.compile(r"Credential=([^/,\s]+)/\d{8}/([^/,\s]+)/")
STATUSES = ("PENDING", "SUCCESSFUL", "STOPPED", "STOP_REQUESTED", "IN_PROGRESS", "ROLLBACK_REQUESTED",
            "ROLLBACK_IN_PROGRESS", "ROLLBACK_SUCCESSFUL", "ROLLBACK_FAILED")


class DeploymentsApi:
    """WSGI middleware in front of moto."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith(CONTROL_PREFIX):
            return control(environ, start_response, path[len(CONTROL_PREFIX):])
        if path == RESET_PATH and environ.get("REQUEST_METHOD") == "POST":
            with engine.LOCK:
                engine.reset()
                return self.app(environ, start_response)
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        if not target.startswith(TARGET_PREFIX):
            return self.app(environ, start_response)
        return self.ecs(environ, start_response, target[len(TARGET_PREFIX):])

    def ecs(self, environ, start_response, operation):
        account, region = account_and_region(environ)
        with engine.LOCK:
            engine.advance_all(state.CLOCK.now())
            if operation in OPERATIONS:
                return answer(start_response, OPERATIONS[operation], read_json(environ), account, region)
            if operation not in RAW_REQUEST_OPERATIONS + SERVICE_ANSWERS:
                return self.app(environ, start_response)
            moto_side.REQUEST.body = read_json(environ) if operation in RAW_REQUEST_OPERATIONS else None
            try:
                status, headers, reply = call(self.app, environ)
            finally:
                moto_side.REQUEST.body = None
            if status.startswith("2"):
                reply = with_raw_configurations(reply, account, region)
        headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
        start_response(status, headers + [("Content-Length", str(len(reply)))])
        return [reply]


def account_and_region(environ):
    """As moto resolves them: the region from the credential scope, the account from
    MOTO_ACCOUNT_ID, the x-moto-account-id header or the access key."""
    match = CREDENTIAL.search(environ.get("HTTP_AUTHORIZATION", ""))
    key, region = match.groups() if match else ("AKIAEXAMPLE", "us-east-1")
    if "MOTO_ACCOUNT_ID" in os.environ:
        return os.environ["MOTO_ACCOUNT_ID"], region
    if environ.get("HTTP_X_MOTO_ACCOUNT_ID"):
        return environ["HTTP_X_MOTO_ACCOUNT_ID"], region
    from moto.iam.models import get_account_id_from

    return get_account_id_from(key), region


def read_json(environ):
    """The request's JSON body; leaves an equal body for moto to read."""
    length = int(environ.get("CONTENT_LENGTH") or 0)
    raw = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(raw)
    try:
        document = json.loads(raw) if raw.strip() else {}
    except ValueError:
        document = {}
    return document if isinstance(document, dict) else {}


def call(app, environ):
    captured = {}

    def capture(status, headers, exc_info=None):
        captured["status"], captured["headers"] = status, headers
        return lambda _data: None

    reply = b"".join(app(environ, capture))
    return captured["status"], captured["headers"], reply


def with_raw_configurations(reply, account, region):
    try:
        document = json.loads(reply)
    except ValueError:
        return reply
    services = document.get("services") or ([document["service"]] if "service" in document else [])
    for answer_service in services:
        cluster = (answer_service.get("clusterArn") or "").split("/")[-1]
        _, service = moto_side.find_service(account, region, cluster, answer_service.get("serviceName"))
        config = getattr(service, "deployment_configuration", None)
        if isinstance(config, dict):
            answer_service["deploymentConfiguration"] = config
    return json.dumps(document).encode()


def answer(start_response, operation, request, account, region):
    try:
        return respond(start_response, "200 OK", operation(request, account, region))
    except state.ApiError as error:
        return respond(start_response, "400 Bad Request", {"__type": error.code, "message": error.message})


def respond(start_response, status, document):
    body = json.dumps(document).encode()
    start_response(status, [
        ("Content-Type", "application/x-amz-json-1.1"),
        ("Content-Length", str(len(body))),
        ("x-amzn-RequestId", str(uuid.uuid4())),
    ])
    return [body]


# --- Operations -------------------------------------------------------------------------------


def list_service_deployments(request, account, region):
    service = _service(request, account, region)
    record = engine.record_for(account, region, service.cluster_name, service.name)
    found = list(record.deployments) if record is not None and record.service is service else []
    statuses = request.get("status") or []
    if any(s not in STATUSES for s in statuses):
        raise state.ApiError("InvalidParameterException", f"status must be among {', '.join(STATUSES)}.")
    if statuses:
        found = [d for d in found if d.status in statuses]
    created = request.get("createdAt") or {}
    if created.get("after") is not None:
        found = [d for d in found if d.created_at >= _epoch(created["after"])]
    if created.get("before") is not None:
        found = [d for d in found if d.created_at <= _epoch(created["before"])]
    found = sorted(reversed(found), key=lambda d: -d.created_at)
    start, size = _page(request)
    out = {"serviceDeployments": [d.brief() for d in found[start:start + size]]}
    if start + size < len(found):
        out["nextToken"] = str(start + size)
    return out


def describe_service_deployments(request, account, region):
    arns = _arns(request, "serviceDeploymentArns")
    now = state.CLOCK.now()
    found = [state.DEPLOYMENTS[a].describe(now) for a in arns if a in state.DEPLOYMENTS]
    missing = [{"arn": a, "reason": "MISSING"} for a in arns if a not in state.DEPLOYMENTS]
    return {"serviceDeployments": found, "failures": missing}


def describe_service_revisions(request, account, region):
    arns = _arns(request, "serviceRevisionArns")
    found = [state.REVISIONS[a].describe() for a in arns if a in state.REVISIONS]
    missing = [{"arn": a, "reason": "MISSING"} for a in arns if a not in state.REVISIONS]
    return {"serviceRevisions": found, "failures": missing}


def stop_service_deployment(request, account, region):
    arn = _required(request, "serviceDeploymentArn")
    stop_type = request.get("stopType") or "ROLLBACK"
    if stop_type not in ("ROLLBACK", "ABORT"):
        raise state.ApiError("InvalidParameterException", "stopType must be ROLLBACK or ABORT.")
    engine.stop(arn, stop_type)
    return {"serviceDeploymentArn": arn}


def continue_service_deployment(request, account, region):
    arn = _required(request, "serviceDeploymentArn")
    hook_id = _required(request, "hookId")
    action = request.get("action") or "CONTINUE"
    if action not in ("CONTINUE", "ROLLBACK"):
        raise state.ApiError("InvalidParameterException", "action must be CONTINUE or ROLLBACK.")
    engine.continue_deployment(arn, hook_id, action)
    return {"serviceDeploymentArn": arn}


OPERATIONS = {
    "ListServiceDeployments": list_service_deployments,
    "DescribeServiceDeployments": describe_service_deployments,
    "DescribeServiceRevisions": describe_service_revisions,
    "StopServiceDeployment": stop_service_deployment,
    "ContinueServiceDeployment": continue_service_deployment,
}


def _service(request, account, region):
    name = _required(request, "service")
    try:
        return ecs_backends[account][region]._get_service(request.get("cluster") or "default", name)
    except ServiceException as error:
        raise state.ApiError(error.code, error.message)


def _required(request, key):
    value = request.get(key)
    if not value or not isinstance(value, str):
        raise state.ApiError("InvalidParameterException", f"{key} can not be blank.")
    return value


def _arns(request, key):
    arns = request.get(key)
    if not isinstance(arns, list) or not arns or not all(isinstance(a, str) for a in arns):
        raise state.ApiError("InvalidParameterException", f"{key} can not be empty.")
    if len(arns) > 20:
        raise state.ApiError("InvalidParameterException", f"{key} can have at most 20 items.")
    return arns


def _page(request):
    size = request.get("maxResults") or 20
    if not isinstance(size, int) or not 1 <= size <= 100:
        raise state.ApiError("InvalidParameterException", "maxResults must be between 1 and 100.")
    token = request.get("nextToken")
    if token is None:
        return 0, size
    if not (isinstance(token, str) and token.isdigit()):
        raise state.ApiError("InvalidParameterException", "The nextToken is not valid.")
    return int(token), size


def _epoch(value):
    if isinstance(value, (int, float)):
        return float(value)
    try:
        import datetime as dt

        parsed = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        return (parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)).timestamp()
    except ValueError:
        raise state.ApiError("InvalidParameterException", f"Invalid timestamp {value!r}.")


# --- Control ----------------------------------------------------------------------------------


def control(environ, start_response, name):
    if name not in ("clock", "speed"):
        return respond(start_response, "404 Not Found", {"message": f"no control endpoint {name!r}"})
    with engine.LOCK:
        try:
            if environ.get("REQUEST_METHOD") == "POST":
                request = read_json(environ)
                (set_clock if name == "clock" else set_speed)(request)
        except ValueError as error:
            return respond(start_response, "400 Bad Request", {"message": str(error)})
        now = state.CLOCK.now()
        engine.advance_all(now)
        mode = "real" if state.CLOCK.manual is None else "manual"
        return respond(start_response, "200 OK", {"now": now, "mode": mode, "stageSecs": state.CLOCK.stage_secs})


def set_clock(request):
    mode = request.get("mode")
    if mode is not None:
        if mode not in ("manual", "real"):
            raise ValueError('mode must be "manual" or "real"')
        state.CLOCK.set_mode(mode)
    secs = request.get("advanceSecs")
    if secs is not None:
        if not _non_negative(secs):
            raise ValueError("advanceSecs must be a number >= 0")
        if state.CLOCK.manual is None:
            raise ValueError('advanceSecs needs a manual clock: send {"mode": "manual"} first')
        engine.advance_all(state.CLOCK.now())
        state.CLOCK.advance(float(secs))


def set_speed(request):
    secs = request.get("stageSecs")
    if not _non_negative(secs):
        raise ValueError("stageSecs must be a number >= 0")
    engine.advance_all(state.CLOCK.now())
    state.CLOCK.stage_secs = float(secs)


def _non_negative(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0
