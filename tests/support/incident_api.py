"""Control endpoints of the incident engine (incident.py), as WSGI middleware in front of the
deployments API (deployments_api.py), and the engine's advance before the requests that read
what an incident writes outside ECS.

The deployments API advances the engine to "now" before every ECS request; while an incident
is not over, this also does so before every other AWS request (CloudWatch, Application Auto
Scaling, CloudWatch Logs), so an alarm's state, its history, scaling activities and log lines
are current on a real clock too. The clock itself is the deployment engine's: freeze and move
it with POST /_ecsdeck/deployments/clock, set stageSecs with POST /_ecsdeck/deployments/speed.

Control endpoints (paths no AWS operation uses), JSON in and out; errors answer 400 (or 404)
with {"message": ...}. "region" defaults to us-east-1 and "account" to the account whose ECS
holds the cluster (the emulator's credentials decide it; 123456789012 for test keys).

  POST /_ecsdeck/incident/bad-deploy
       {"cluster": "prod", "service": "web",
        "failure": "oom-then-health",   (default) or "oom", "elb-health", "container-health",
                                        "image-pull": how the new tasks fail (incident.py)
        "alarmName": "web-5xx",         optional: the alarm that goes OK -> ALARM -> OK; by
                                        default an alarm named "<service>-..." or with a
                                        ServiceName=<service> dimension, else none
        "threshold": 3,                 optional: the circuit breaker's threshold (default
                                        AWS's: half the desired count, 3 to 200)
        "image": "repo:tag",            optional: the bad revision's image (default: the
                                        failing container's tag moved on, web:1.4 -> web:1.5)
        "region": ..., "account": ...}
       Registers the bad revision of the service's task definition (same family, next
       revision), deploys it (UpdateService), and marks the deployment bad; tasks then start
       and fail on the engine's clock until the circuit breaker rolls the deployment back.
       The service needs deploymentCircuitBreaker {enable: true, rollback: true} and an ECS
       deployment controller; an awsvpc task definition needs the service's subnets.
       Answers the incident (as GET below) with HTTP 200.

  POST /_ecsdeck/incident/stop-task
       {"cluster": "prod", "task": "<task ARN or ID>",
        "cause": "spot" | "user" | "oom" | "elb-health" | "container-health" | "image-pull"
                 | "scale-in",
        "reason": "...",                optional: stoppedReason instead of ECS's wording
        "targetGroupArn": "...",        optional: for elb-health's reason
        "region": ..., "account": ...}
       Stops a task that is not stopped yet, now (engine clock), as ECS would for that cause:
       stopCode, stoppedReason, stoppingAt, stoppedAt, containers' exitCode, reason and
       healthStatus (incident_tasks.py). Answers {"taskArn", "stopCode", "stoppedReason"}.

  GET  /_ecsdeck/incident/incidents   {"now": <epoch secs>, "incidents": [every incident since
                                      the last reset: id, cluster, service, failure,
                                      serviceDeploymentArn, deploymentStatus, taskDefinition,
                                      image, threshold, failures, runningTasks, stoppedTasks,
                                      alarmName, targetGroupArn, scaledOut, over]}

moto's own reset (POST /moto-api/reset) forgets every incident.
"""

import json

from moto.ecs.models import ecs_backends

import deployments as engine
import incident
import incident_tasks as tasks
from deployments_api import read_json, respond
from deployments_state import CLOCK, ApiError

CONTROL_PREFIX = "/_ecsdeck/incident/"
RESET_PATH = "/moto-api/reset"
ECS_TARGET = "AmazonEC2ContainerServiceV20141113."


class IncidentApi:
    """WSGI middleware in front of the deployments API."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith(CONTROL_PREFIX):
            return control(environ, start_response, path[len(CONTROL_PREFIX):])
        if path == RESET_PATH and environ.get("REQUEST_METHOD") == "POST":
            with engine.LOCK:
                incident.reset()
        elif incident.live() and not environ.get("HTTP_X_AMZ_TARGET", "").startswith(ECS_TARGET):
            with engine.LOCK:  # ECS requests are advanced by the deployments API
                engine.advance_all(CLOCK.now())
        return self.app(environ, start_response)


def control(environ, start_response, name):
    method = environ.get("REQUEST_METHOD")
    handler = ROUTES.get((method, name))
    if handler is None:
        return respond(start_response, "404 Not Found", {"message": f"no control endpoint {method} {name!r}"})
    with engine.LOCK:
        engine.advance_all(CLOCK.now())  # the request acts at "now", on an engine that is there
        try:
            answer = handler(read_json(environ) if method == "POST" else {})
        except ApiError as error:
            status = "404 Not Found" if error.code.endswith("NotFoundException") else "400 Bad Request"
            return respond(start_response, status, {"message": error.message, "code": error.code})
        return respond(start_response, "200 OK", json.loads(json.dumps(answer, default=str)))


def incidents(request):
    return {"now": CLOCK.now(), "incidents": [i.describe() for i in incident.INCIDENTS]}


def bad_deploy(request):
    backend, service = locate(request)
    return incident.bad_deploy(backend, service, request).describe()


def stop_task(request):
    backend, _ = locate(request, service_key=None)
    cluster = _text(request, "cluster")
    cause = request.get("cause") or "user"
    if cause not in tasks.CAUSES:
        raise ApiError("InvalidParameterException", f"cause must be one of {', '.join(tasks.CAUSES)}")
    task = tasks.find(backend, cluster, _text(request, "task"))
    if task is None:
        raise ApiError("InvalidParameterException", f"no task {request['task']} in cluster {cluster}")
    if task.desired_status == "STOPPED" or task.last_status == "STOPPED":
        raise ApiError("InvalidParameterException", f"task {task.task_arn} is already stopped")
    tasks.stop_existing(backend, cluster, task.task_arn, cause, CLOCK.now(), reason=request.get("reason"),
                        tg=request.get("targetGroupArn") or "unknown")
    return {"taskArn": task.task_arn, "stopCode": task.stop_code, "stoppedReason": task.stopped_reason}


ROUTES = {("POST", "bad-deploy"): bad_deploy, ("POST", "stop-task"): stop_task, ("GET", "incidents"): incidents}


def locate(request, service_key="service"):
    """(ECS backend, moto service or None) holding the request's cluster (and service)."""
    cluster = _text(request, "cluster")
    name = _text(request, service_key) if service_key else None
    region = request.get("region") or "us-east-1"
    accounts = [request["account"]] if request.get("account") else list(ecs_backends.keys())
    for account in accounts:
        backend = ecs_backends[account][region]
        if cluster not in backend.clusters:
            continue
        if name is None:
            return backend, None
        service = backend.services.get(f"{cluster}:{name.split('/')[-1]}")
        if service is not None:
            return backend, service
    what = f"service {name} in cluster {cluster}" if name else f"cluster {cluster}"
    raise ApiError("ServiceNotFoundException" if name else "ClusterNotFoundException", f"no {what} in {region}")


def _text(request, key):
    value = request.get(key)
    if not value or not isinstance(value, str):
        raise ApiError("InvalidParameterException", f"{key} can not be blank.")
    return value
