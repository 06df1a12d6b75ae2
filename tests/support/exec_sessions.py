"""ECS Exec and SSM sessions over moto's state, which has neither (ExecuteCommand is not
implemented, tasks carry no managed agents or runtime ids, SSM has no sessions, IAM cannot
simulate a policy).

As WSGI middleware in front of the rest of the emulator:
  - CreateService / UpdateService with enableExecuteCommand: the emulator remembers it (and
    since when); DescribeServices answers it.
  - RunTask with enableExecuteCommand: its tasks have exec on.
  - DescribeContainerInstances: a current agent version where moto says 1.0.0.
  - DescribeTasks: every container gets a runtimeId; a task with exec on (run with it, or
    started by a service after exec was turned on there) gets enableExecuteCommand and an
    ExecuteCommandAgent per container, RUNNING unless set otherwise (control below) or the
    task stopped; Fargate tasks get platformVersion 1.4.0 where moto leaves it out.
  - ExecuteCommand: ECS's own errors (task or container not found, exec off, agent not
    running), else a session {sessionId, streamUrl, tokenValue} recorded below.
  - SSM StartSession on an `ecs:<cluster>_<task>_<runtime id>` target (TargetNotConnected
    unless that container accepts exec) with a port-forwarding document, and
    TerminateSession.
  - IAM SimulatePrincipalPolicy over moto's roles: their inline and attached policies'
    Allow/Deny statements matched by action (wildcards), explicit deny first.

Control endpoints, JSON in and out:
  POST /_ecsdeck/exec/agent    {"cluster", "task", "container" (optional: every one),
                                "status": "STOPPED" | "PENDING" | "RUNNING", "reason"}
  POST /_ecsdeck/exec/simulate {"deny": true}   SimulatePrincipalPolicy answers AccessDenied
  GET  /_ecsdeck/exec/sessions {"sessions": [every session opened: sessionId, kind (exec |
                                port-forward), target, command or document and parameters,
                                cluster, task, container, terminated]} — never a token.
moto's reset (POST /moto-api/reset) forgets all of it.
"""

import datetime as dt
import fnmatch
import hashlib
import io
import json
import re
import secrets
import threading
import urllib.parse
import uuid
from xml.sax.saxutils import escape

from deployments_api import account_and_region, call, read_json, respond

CONTROL_PREFIX = "/_ecsdeck/exec/"
RESET_PATH = "/moto-api/reset"
ECS = "AmazonEC2ContainerServiceV20141113."
SSM = "AmazonSSM."
PORT_DOCUMENTS = ("AWS-StartPortForwardingSession", "AWS-StartPortForwardingSessionToRemoteHost",
                  "AWS-StartInteractiveCommand")
EXEC_OFF = ("The execute command failed because execute command was not enabled when the task "
            "was run or the execute command agent isn't running. Wait and try the command again "
            "or run a new task with execute command enabled and try again.")

AGENT_VERSION = "1.89.1"

LOCK = threading.Lock()
STATE = {"services": {}, "tasks": set(), "agents": {}, "sessions": [], "deny_simulate": False, "seen": {}}


def reset():
    STATE.update(services={}, tasks=set(), agents={}, sessions=[], deny_simulate=False, seen={})


def runtime_id(task_id, container):
    digest = hashlib.sha256(f"{task_id}/{container}".encode()).hexdigest()[:10]
    return f"{task_id}-{int(digest, 16) % 10**10:010d}"


def short(arn):
    return (arn or "").rsplit("/", 1)[-1]


def parse_time(value):
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()
    except ValueError:
        return 0.0


class ExecSessions:
    """WSGI middleware."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith(CONTROL_PREFIX):
            return control(environ, start_response, path[len(CONTROL_PREFIX):])
        if path == RESET_PATH and environ.get("REQUEST_METHOD") == "POST":
            with LOCK:
                reset()
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        if target.startswith(ECS):
            return self.ecs(environ, start_response, target[len(ECS):])
        if target.startswith(SSM) and target[len(SSM):] in ("StartSession", "TerminateSession"):
            return self.ssm(environ, start_response, target[len(SSM):])
        if "/iam/aws4_request" in environ.get("HTTP_AUTHORIZATION", ""):
            return self.iam(environ, start_response)
        return self.app(environ, start_response)

    # --- ECS -----------------------------------------------------------------------------

    def ecs(self, environ, start_response, operation):
        if operation == "ExecuteCommand":
            return self.execute_command(environ, start_response)
        if operation not in ("CreateService", "UpdateService", "DescribeServices", "RunTask", "DescribeTasks",
                             "DescribeContainerInstances", "RegisterContainerInstance"):
            return self.app(environ, start_response)
        request = read_json(environ)
        status, headers, reply = call(self.app, environ)
        if status.startswith("2"):
            reply = self.annotate(operation, request, reply)
        headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
        start_response(status, headers + [("Content-Length", str(len(reply)))])
        return [reply]

    def annotate(self, operation, request, reply):
        try:
            document = json.loads(reply)
        except ValueError:
            return reply
        with LOCK:
            if operation in ("CreateService", "UpdateService") and "enableExecuteCommand" in request:
                service = document.get("service") or {}
                STATE["services"][service.get("serviceArn")] = (
                    bool(request["enableExecuteCommand"]), dt.datetime.now(dt.timezone.utc).timestamp())
            if operation == "RunTask" and request.get("enableExecuteCommand"):
                STATE["tasks"].update(t.get("taskArn") for t in document.get("tasks", []))
            for service in document.get("services", []) + ([document["service"]] if "service" in document else []):
                on, _ = STATE["services"].get(service.get("serviceArn"), (False, 0))
                service["enableExecuteCommand"] = on
            for task in document.get("tasks", []):
                annotate_task(task)
            # moto's placeholder agent (1.0.0) predates ECS Exec; instances run a current one.
            instances = document.get("containerInstances", []) + (
                [document["containerInstance"]] if "containerInstance" in document else [])
            for instance in instances:
                info = instance.setdefault("versionInfo", {})
                if info.get("agentVersion") in (None, "1.0.0"):
                    info["agentVersion"] = AGENT_VERSION
        return json.dumps(document).encode()

    def describe_task(self, environ, cluster, task):
        sub = dict(environ)
        body = json.dumps({"cluster": cluster, "tasks": [task]}).encode()
        sub["HTTP_X_AMZ_TARGET"] = ECS + "DescribeTasks"
        # moto picks the service from the signature's scope: an SSM request's must say ECS.
        sub["HTTP_AUTHORIZATION"] = re.sub(r"/[a-z0-9-]+/aws4_request", "/ecs/aws4_request",
                                           environ.get("HTTP_AUTHORIZATION", ""))
        sub["CONTENT_TYPE"] = "application/x-amz-json-1.1"
        sub["CONTENT_LENGTH"] = str(len(body))
        sub["wsgi.input"] = io.BytesIO(body)
        status, _, reply = call(self.app, sub)
        if not status.startswith("2"):
            return None
        tasks = json.loads(reply).get("tasks", [])
        if not tasks:
            return None
        with LOCK:
            annotate_task(tasks[0])
        return tasks[0]

    def execute_command(self, environ, start_response):
        request = read_json(environ)
        _, region = account_and_region(environ)
        cluster, task_ref, name = request.get("cluster", "default"), request.get("task"), request.get("container")
        task = self.describe_task(environ, cluster, task_ref) if task_ref else None
        if task is None:
            return error(start_response, "InvalidParameterException", "The task provided in the request was not found.")
        containers = task.get("containers", [])
        if name is None and len(containers) == 1:
            name = containers[0].get("name")
        container = next((c for c in containers if c.get("name") == name), None)
        if container is None:
            return error(start_response, "InvalidParameterException",
                         "The container name provided in the request was not found.")
        if not exec_ready(task, container):
            return error(start_response, "InvalidParameterException", EXEC_OFF)
        if not request.get("interactive"):
            return error(start_response, "InvalidParameterException",
                         "Interactive is the only mode supported currently.")
        session = new_session(region, "ecs-execute-command")
        with LOCK:
            STATE["sessions"].append({
                "sessionId": session["sessionId"], "kind": "exec", "cluster": short(task.get("clusterArn")),
                "task": short(task.get("taskArn")), "container": name, "command": request.get("command"),
                "terminated": False,
            })
        return respond(start_response, "200 OK", {
            "clusterArn": task.get("clusterArn"), "containerArn": container.get("containerArn"),
            "containerName": name, "interactive": True, "taskArn": task.get("taskArn"), "session": session,
        })

    # --- SSM -----------------------------------------------------------------------------

    def ssm(self, environ, start_response, operation):
        request = read_json(environ)
        _, region = account_and_region(environ)
        if operation == "TerminateSession":
            with LOCK:
                for session in STATE["sessions"]:
                    if session["sessionId"] == request.get("SessionId"):
                        session["terminated"] = True
            return respond(start_response, "200 OK", {"SessionId": request.get("SessionId")})
        target = request.get("Target", "")
        parts = target[len("ecs:"):].split("_") if target.startswith("ecs:") else []
        document = request.get("DocumentName")
        if document and document not in PORT_DOCUMENTS:
            return error(start_response, "InvalidDocument", f"Document {document} does not exist in your account")
        task = self.describe_task(environ, parts[0], parts[1]) if len(parts) == 3 else None
        container = next((c for c in (task or {}).get("containers", []) if c.get("runtimeId") == (parts + [""])[2]), None)
        if task is None or container is None or not exec_ready(task, container):
            return error(start_response, "TargetNotConnected", f"{target} is not connected.")
        session = new_session(region, "ecsdeck")
        with LOCK:
            STATE["sessions"].append({
                "sessionId": session["sessionId"], "kind": "port-forward", "target": target,
                "cluster": parts[0], "task": parts[1], "container": container.get("name"),
                "document": document, "parameters": request.get("Parameters", {}), "terminated": False,
            })
        return respond(start_response, "200 OK", {
            "SessionId": session["sessionId"], "TokenValue": session["tokenValue"], "StreamUrl": session["streamUrl"],
        })

    # --- IAM -----------------------------------------------------------------------------

    def iam(self, environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(raw)
        form = urllib.parse.parse_qs(raw.decode(errors="replace"))
        if form.get("Action", [""])[0] != "SimulatePrincipalPolicy":
            return self.app(environ, start_response)
        account, _ = account_and_region(environ)
        if STATE["deny_simulate"]:
            return xml_error(start_response, "403 Forbidden", "AccessDenied",
                             f"User: arn:aws:iam::{account}:user/ecsdeck is not authorized to perform: "
                             "iam:SimulatePrincipalPolicy")
        source = form.get("PolicySourceArn", [""])[0]
        actions = [v[0] for k, v in sorted(form.items()) if k.startswith("ActionNames.member.")]
        statements = role_statements(account, source)
        if statements is None:
            return xml_error(start_response, "404 Not Found", "NoSuchEntity",
                             f"The role with name {short(source)} cannot be found.")
        members = "".join(
            f"<member><EvalActionName>{escape(a)}</EvalActionName><EvalResourceName>*</EvalResourceName>"
            f"<EvalDecision>{decide(statements, a)}</EvalDecision><MatchedStatements/><MissingContextValues/></member>"
            for a in actions)
        body = ("<SimulatePrincipalPolicyResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"
                f"<SimulatePrincipalPolicyResult><IsTruncated>false</IsTruncated><EvaluationResults>{members}"
                "</EvaluationResults></SimulatePrincipalPolicyResult>"
                f"<ResponseMetadata><RequestId>{uuid.uuid4()}</RequestId></ResponseMetadata>"
                "</SimulatePrincipalPolicyResponse>").encode()
        start_response("200 OK", [("Content-Type", "text/xml"), ("Content-Length", str(len(body)))])
        return [body]


def annotate_task(task):
    """Adds what ECS reports of exec to one described task (under LOCK)."""
    task_id = short(task.get("taskArn"))
    # moto keeps no createdAt: a task counts from when the emulator first saw it.
    first_seen = STATE["seen"].setdefault(task.get("taskArn"), dt.datetime.now(dt.timezone.utc).timestamp())
    created = parse_time(task["createdAt"]) if task.get("createdAt") else first_seen
    on = task.get("taskArn") in STATE["tasks"]
    group = task.get("group") or ""
    if not on and group.startswith("service:"):
        cluster = short(task.get("clusterArn"))
        for arn, (enabled, since) in STATE["services"].items():
            if enabled and arn and arn.endswith(f"/{cluster}/{group[len('service:'):]}"):
                on = created >= since
    task["enableExecuteCommand"] = on
    if task.get("launchType") == "FARGATE":
        task.setdefault("platformVersion", "1.4.0")
        task.setdefault("platformFamily", "Linux")
    stopped = task.get("lastStatus") in ("STOPPED", "DEPROVISIONING", "STOPPING")
    for container in task.get("containers", []):
        container.setdefault("runtimeId", runtime_id(task_id, container.get("name")))
        if not on:
            continue
        status, reason = STATE["agents"].get(
            (task_id, container.get("name")), STATE["agents"].get((task_id, "*"), ("RUNNING", None)))
        agent = {"name": "ExecuteCommandAgent", "lastStatus": "STOPPED" if stopped else status}
        if task.get("startedAt"):
            agent["lastStartedAt"] = task["startedAt"]
        if reason:
            agent["reason"] = reason
        container["managedAgents"] = [agent]


def exec_ready(task, container):
    agents = container.get("managedAgents") or []
    return task.get("enableExecuteCommand") and any(
        a.get("name") == "ExecuteCommandAgent" and a.get("lastStatus") == "RUNNING" for a in agents)


def new_session(region, prefix):
    session_id = f"{prefix}-{secrets.token_hex(8)}"
    return {
        "sessionId": session_id,
        "streamUrl": f"wss://ssmmessages.{region}.amazonaws.com/v1/data-channel/{session_id}"
                     f"?role=publish_subscribe&cell-number=AAEAAQ",
        "tokenValue": "AAEAA" + secrets.token_urlsafe(48),
    }


def role_statements(account, role_arn):
    """Every statement of the role's inline and attached policies, or None without the role."""
    from moto.iam.models import iam_backends

    backend = iam_backends[account]["global"]
    role = next((r for r in backend.roles.values() if r.arn == role_arn), None)
    if role is None:
        return None
    documents = list(role.policies.values())
    for policy in role.managed_policies.values():
        version = next((v for v in policy.versions if v.is_default), None)
        if version is not None:
            documents.append(version.document)
    statements = []
    for document in documents:
        document = json.loads(document) if isinstance(document, str) else document
        found = document.get("Statement", [])
        statements.extend(found if isinstance(found, list) else [found])
    return statements


def decide(statements, action):
    def matches(statement):
        actions = statement.get("Action", [])
        actions = actions if isinstance(actions, list) else [actions]
        return any(fnmatch.fnmatchcase(action.lower(), a.lower()) for a in actions)

    if any(s.get("Effect") == "Deny" and matches(s) for s in statements):
        return "explicitDeny"
    if any(s.get("Effect") == "Allow" and matches(s) for s in statements):
        return "allowed"
    return "implicitDeny"


def error(start_response, code, message):
    return respond(start_response, "400 Bad Request", {"__type": code, "message": message})


def xml_error(start_response, status, code, message):
    body = (f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{escape(message)}"
            f"</Message></Error><RequestId>{uuid.uuid4()}</RequestId></ErrorResponse>").encode()
    start_response(status, [("Content-Type", "text/xml"), ("Content-Length", str(len(body)))])
    return [body]


def control(environ, start_response, name):
    method = environ.get("REQUEST_METHOD")
    if name == "sessions" and method == "GET":
        with LOCK:
            return respond(start_response, "200 OK", {"sessions": list(STATE["sessions"])})
    request = read_json(environ)
    with LOCK:
        if name == "agent" and method == "POST":
            task = short(request.get("task"))
            status = request.get("status", "RUNNING")
            STATE["agents"][(task, request.get("container") or "*")] = (status, request.get("reason"))
            return respond(start_response, "200 OK", {"task": task, "status": status})
        if name == "simulate" and method == "POST":
            STATE["deny_simulate"] = bool(request.get("deny"))
            return respond(start_response, "200 OK", {"deny": STATE["deny_simulate"]})
    return respond(start_response, "404 Not Found", {"message": f"no control endpoint {method} {name}"})


def install(app):
    return ExecSessions(app)
