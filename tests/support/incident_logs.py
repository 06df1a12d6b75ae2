"""The error-log spike of an incident: what its failing tasks write to CloudWatch Logs.

Each task the incident starts logs where ECS's awslogs driver would put its failing
container's lines: the task definition's awslogs-group (/ecs/<family> when it names none, as
scripts/seed_demo.py names the groups) and the stream <awslogs-stream-prefix>/<container>/<task
id> (prefix "ecs" when none). A task writes a few INFO lines as it starts, then, when it fails,
ERRORS_PER_TASK ERROR lines spread over its life plus the line of its failure. The failing tasks
follow one another until the circuit breaker trips, so the per-minute count of ERROR lines in the
group rises from nothing while the deployment fails and stops with its rollback. A task that
never started (image-pull) writes nothing, as in ECS.

Lines are level-prefixed plain text ("2026-06-05T10:01:02.345Z ERROR [http-nio-8080-exec-3]
c.e.web.OrderController - ..."), written through moto's Logs backend (group and stream made
when missing), timed by the deployment engine's clock, so FilterLogEvents (pattern ERROR),
GetLogEvents and a live tail all read them.
"""

import datetime as dt

from moto.logs.models import logs_backends

ERRORS_PER_TASK = 12

ERRORS = {
    "oom": ["Request processing failed: java.lang.OutOfMemoryError: Java heap space",
            "Exception in thread \"cache-warmer\" java.lang.OutOfMemoryError: GC overhead limit exceeded"],
    "elb-health": ["GET /healthz 503 - dependency check failed: connection refused (orders-db:5432)",
                   "Upstream request timed out after 5000 ms (payments-gateway)"],
    "container-health": ["Health check command failed: curl: (7) Failed to connect to localhost port {port}",
                         "Worker pool exhausted: 0 of 32 threads available"],
}
FAILURE_LINES = {
    "oom": "Container is being killed: memory limit reached",
    "elb-health": "Received SIGTERM: shutting down after failed load balancer health checks",
    "container-health": "Received SIGTERM: shutting down after failed container health checks",
}


def target(task_def, container_name, task_id):
    """(log group, log stream) of a container of a task, as the awslogs driver names them."""
    definition = next((c for c in task_def.container_definitions if c.get("name") == container_name), {})
    options = (definition.get("logConfiguration") or {}).get("options") or {}
    group = options.get("awslogs-group") or f"/ecs/{task_def.family}"
    prefix = options.get("awslogs-stream-prefix") or "ecs"
    return group, f"{prefix}/{container_name}/{task_id}"


def started(account, region, where, at, image, port):
    lines = [(at, "INFO", f"Starting application (image {image})"),
             (at + 0.5, "INFO", f"Listening on port {port}")]
    _put(account, region, where, lines)


def failed(account, region, where, kind, started_at, at, port):
    """The ERROR lines of a task that ran from `started_at` and failed (`kind`) at `at`."""
    if kind not in ERRORS:
        return
    span = max(at - started_at - 1.0, 1.0)
    messages = ERRORS[kind]
    lines = [(started_at + 1.0 + span * k / ERRORS_PER_TASK, "ERROR",
              messages[k % len(messages)].format(port=port)) for k in range(ERRORS_PER_TASK)]
    lines.append((at, "ERROR", FAILURE_LINES[kind]))
    _put(account, region, where, lines)


def _put(account, region, where, lines):
    backend = logs_backends[account][region]
    group, stream = where
    if group not in backend.groups:
        backend.create_log_group(group, {})
    if stream not in backend.groups[group].streams:
        backend.create_log_stream(group, stream)
    events = [{"timestamp": int(at * 1000), "message": _line(at, level, text, k)}
              for k, (at, level, text) in enumerate(sorted(lines, key=lambda l: l[0]))]
    backend.put_log_events(group, stream, events)


def _line(at, level, text, k):
    stamp = dt.datetime.fromtimestamp(at, tz=dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    source = "c.e.app.RequestHandler" if level == "ERROR" else "c.e.app.Application"
    return f"{stamp} {level} [http-nio-exec-{k % 8 + 1}] {source} - {text}"
