"""Container logs for the ECS Deck demo: what the demo's running tasks would write.

  demo_logs.py seed --endpoint URL   the last 15 minutes of logs of every running task's
                                     containers (awslogs and FireLens to CloudWatch)
  demo_logs.py feed --endpoint URL   then new lines every second while the demo runs; exits
                                     when the emulator goes away
  demo_logs.py firehose --endpoint URL --group G --lines-per-sec N
                                     N JSON lines a second into group G (the soak test), a new
                                     stream each minute, streams older than 3 minutes deleted
                                     so the emulator's memory stays flat

Each service writes in its own style: access logs (plain text), JSON structured logs with a
`level` field, or level-prefixed plain text; warnings and errors now and then, Java and Python
stack traces as one multi-line event, and a burst of errors with stack traces in prod
checkout-api for 40 s of every 5 minutes. The task list is read again every 30 s, so tasks
started later (a deployment, a scale-out) log too. Deterministic per stream and second.
"""

import argparse
import json
import random
import sys
import time

import boto3
from botocore.config import Config

BURST_CLUSTER, BURST_SERVICE = "prod", "checkout-api"
BURST_EVERY_SECS, BURST_SECS = 300, 40
HISTORY_SECS = 15 * 60
REDISCOVER_SECS = 30
BATCH = 2000

PATHS = ["/api/v1/orders", "/api/v1/cart", "/api/v1/products/{id}", "/healthz", "/api/v1/checkout",
         "/api/v1/users/me", "/static/app.js", "/api/v1/search?q=shoes"]
PEERS = ["payments-gateway", "inventory", "user-profile", "redis-sessions", "orders-db"]
JOBS = ["send-receipt", "rebuild-search-index", "sync-inventory", "expire-carts", "export-report"]


def clients(endpoint, region):
    config = Config(retries={"max_attempts": 2, "mode": "standard"}, connect_timeout=5, read_timeout=60)
    session = boto3.session.Session(aws_access_key_id="demo", aws_secret_access_key="demo", region_name=region)
    return (session.client("ecs", endpoint_url=endpoint, config=config),
            session.client("logs", endpoint_url=endpoint, config=config))


def stream_targets(container, config, task_id):
    """(group, stream) a container logs to, as the app resolves it; None if not CloudWatch."""
    if not config:
        return None
    options = config.get("options") or {}
    driver = config.get("logDriver")
    if driver == "awslogs" and options.get("awslogs-group"):
        prefix = options.get("awslogs-stream-prefix")
        stream = f"{prefix}/{container}/{task_id}" if prefix else task_id
        return options["awslogs-group"], stream
    if driver == "awsfirelens" and options.get("Name") in ("cloudwatch_logs", "cloudwatch"):
        group = options.get("log_group_name")
        if not group:
            return None
        name = options.get("log_stream_name")
        stream = name or f"{options.get('log_stream_prefix', '')}{container}-firelens-{task_id}"
        return group, stream
    return None


def discover(ecs):
    """Every stream running tasks log to: (group, stream, cluster, service, container)."""
    found, families = [], {}
    for cluster_arn in ecs.list_clusters()["clusterArns"]:
        cluster = cluster_arn.rsplit("/", 1)[-1]
        task_arns = []
        for page in ecs.get_paginator("list_tasks").paginate(cluster=cluster, desiredStatus="RUNNING"):
            task_arns += page["taskArns"]
        for start in range(0, len(task_arns), 100):
            for task in ecs.describe_tasks(cluster=cluster, tasks=task_arns[start:start + 100])["tasks"]:
                td_arn = task["taskDefinitionArn"]
                if td_arn not in families:
                    families[td_arn] = ecs.describe_task_definition(taskDefinition=td_arn)["taskDefinition"]
                task_id = task["taskArn"].rsplit("/", 1)[-1]
                group = task.get("group", "")
                service = group.split(":", 1)[1] if group.startswith("service:") else families[td_arn]["family"]
                for container in families[td_arn]["containerDefinitions"]:
                    target = stream_targets(container["name"], container.get("logConfiguration"), task_id)
                    if target:
                        found.append((target[0], target[1], cluster, service, container["name"]))
    return found


def style_of(service, container):
    if container in ("envoy", "log_router", "datadog-agent", "xray-daemon"):
        return "sidecar"
    if "web" in service or "frontend" in service or "nginx" in container:
        return "access"
    if "worker" in service or "cron" in service or "batch" in service or "consumer" in service:
        return "worker"
    return "json"


def in_burst(cluster, service, second):
    return (cluster, service) == (BURST_CLUSTER, BURST_SERVICE) and second % BURST_EVERY_SECS < BURST_SECS


def java_trace(rng, peer):
    frames = ["com.shop.checkout.PaymentClient.charge(PaymentClient.java:118)",
              "com.shop.checkout.CheckoutService.placeOrder(CheckoutService.java:87)",
              "com.shop.checkout.api.CheckoutController.post(CheckoutController.java:42)",
              "org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:883)",
              "java.base/java.lang.Thread.run(Thread.java:1583)"]
    return (f"java.net.SocketTimeoutException: Read timed out calling {peer} after 3000 ms\n"
            + "\n".join(f"\tat {f}" for f in frames[:rng.randint(3, 5)])
            + f"\nCaused by: java.io.IOException: connection reset by {peer}\n\t... 4 more")


def python_trace(rng, job):
    return ("Traceback (most recent call last):\n"
            f'  File "/app/worker/jobs.py", line {rng.randint(40, 300)}, in run\n'
            "    result = handler(payload)\n"
            f'  File "/app/worker/{job.replace("-", "_")}.py", line {rng.randint(10, 90)}, in handle\n'
            "    raise RetryableError(\"upstream returned 503\")\n"
            "worker.errors.RetryableError: upstream returned 503")


def line(style, rng, cluster, service, second, burst):
    """One log message of a service in its style."""
    roll = rng.random()
    if style == "access":
        status = 200 if roll < 0.93 else rng.choice([301, 404, 499, 502])
        if burst and roll < 0.5:
            status = 502
        return (f'10.0.{rng.randint(0, 255)}.{rng.randint(1, 254)} - - "{rng.choice(["GET", "GET", "POST"])} '
                f'{rng.choice(PATHS)} HTTP/1.1" {status} {rng.randint(120, 48000)} '
                f'"-" "Mozilla/5.0" {rng.uniform(0.002, 0.9 if status < 500 else 3.0):.3f}')
    if style == "worker":
        job = rng.choice(JOBS)
        if roll < 0.02:
            return f"ERROR job {job} failed after 3 attempts\n" + python_trace(rng, job)
        if roll < 0.08:
            return f"WARNING job {job} retrying in {rng.randint(1, 30)}s (attempt {rng.randint(1, 3)})"
        if roll < 0.15:
            return f"DEBUG polled queue {service}-jobs: {rng.randint(0, 40)} messages visible"
        return f"INFO job {job} done in {rng.randint(15, 4000)} ms id={rng.getrandbits(48):012x}"
    if style == "sidecar":
        if roll < 0.03:
            return f"[warning] upstream {rng.choice(PEERS)}: 1 of 3 hosts unhealthy"
        return f"[info] stats flushed: {rng.randint(100, 900)} requests, p99 {rng.randint(8, 120)} ms"
    # JSON structured logs.
    peer = rng.choice(PEERS)
    record = {"time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(second)), "service": service,
              "trace_id": f"{rng.getrandbits(64):016x}"}
    if burst and roll < 0.6:
        record.update(level="error", msg=f"payment failed: timeout calling {peer}", status=504,
                      latency_ms=rng.randint(3000, 3100), error=java_trace(rng, "payments-gateway"))
    elif roll < 0.01:
        record.update(level="error", msg=f"unhandled exception calling {peer}", status=500,
                      error=java_trace(rng, peer))
    elif roll < 0.05:
        record.update(level="warn", msg=f"slow call to {peer}", latency_ms=rng.randint(800, 2500))
    elif roll < 0.12:
        record.update(level="debug", msg="cache lookup", key=f"cart:{rng.getrandbits(32):08x}",
                      hit=rng.random() < 0.8)
    else:
        record.update(level="info", msg="request completed", method=rng.choice(["GET", "POST"]),
                      path=rng.choice(PATHS), status=200, latency_ms=rng.randint(3, 250))
    return json.dumps(record)


def rate_of(style, burst):
    """Mean lines per second of one stream."""
    return {"access": 2.0, "json": 1.5, "worker": 0.6, "sidecar": 0.1}[style] * (8.0 if burst else 1.0)


def events_of(target, second):
    """The events of one stream in one second, deterministic."""
    group, stream, cluster, service, container = target
    rng = random.Random(f"{group}/{stream}/{second}")
    style = style_of(service, container)
    burst = in_burst(cluster, service, second)
    rate = rate_of(style, burst)
    count = int(rate) + (1 if rng.random() < rate - int(rate) else 0)
    return [(second * 1000 + rng.randint(0, 999), line(style, rng, cluster, service, second, burst))
            for _ in range(count)]


def ensure_streams(logs, targets, known):
    for group, stream, *_ in targets:
        if (group, stream) in known:
            continue
        try:
            logs.create_log_group(logGroupName=group)
        except logs.exceptions.ResourceAlreadyExistsException:
            pass
        try:
            logs.create_log_stream(logGroupName=group, logStreamName=stream)
        except logs.exceptions.ResourceAlreadyExistsException:
            pass
        known.add((group, stream))


def put(logs, group, stream, events):
    events.sort()
    for start in range(0, len(events), BATCH):
        logs.put_log_events(logGroupName=group, logStreamName=stream, logEvents=[
            {"timestamp": ts, "message": message} for ts, message in events[start:start + BATCH]])


def seed(endpoint, region):
    started = time.time()
    ecs, logs = clients(endpoint, region)
    targets = discover(ecs)
    ensure_streams(logs, targets, set())
    now = int(time.time())
    count = 0
    for target in targets:
        events = [e for second in range(now - HISTORY_SECS, now) for e in events_of(target, second)]
        put(logs, target[0], target[1], events)
        count += len(events)
    print(f"demo_logs: {count} log events in {len(targets)} streams in {time.time() - started:.1f} s",
          file=sys.stderr)


def feed(endpoint, region):
    ecs, logs = clients(endpoint, region)
    known, targets, found_at = set(), [], 0.0
    failures = 0
    last = int(time.time())
    while failures < 3:
        time.sleep(max(0.05, last + 1 - time.time()))
        now = int(time.time())
        try:
            if time.time() - found_at >= REDISCOVER_SECS:
                targets = discover(ecs)
                ensure_streams(logs, targets, known)
                found_at = time.time()
            for target in targets:
                events = [e for second in range(last, now) for e in events_of(target, second)]
                if events:
                    put(logs, target[0], target[1], events)
            last = now
            failures = 0
        except Exception as error:  # the emulator stopped: the demo is over
            failures += 1
            print(f"demo_logs: {error}", file=sys.stderr)
            time.sleep(1)


def firehose(endpoint, region, group, lines_per_sec):
    _, logs = clients(endpoint, region)
    try:
        logs.create_log_group(logGroupName=group)
    except logs.exceptions.ResourceAlreadyExistsException:
        pass
    rng = random.Random(7)
    streams, written, started = [], 0, time.time()
    print(f"firehose started at {int(started * 1000)}", flush=True)
    tick = 0.25
    said = started
    while True:
        now = time.time()
        if now - said >= 30:
            said = now
            print(f"firehose at {int(now * 1000)}: {written} lines written", flush=True)
        stream = f"app/{int(now // 60)}"
        if not streams or streams[-1] != stream:
            logs.create_log_stream(logGroupName=group, logStreamName=stream)
            streams.append(stream)
            if len(streams) > 3:
                logs.delete_log_stream(logGroupName=group, logStreamName=streams.pop(0))
        # Lines owed since the start, so a slow call is caught up rather than lost.
        due = int((now - started) * lines_per_sec) - written
        if due > 0:
            ms = int(now * 1000)
            events = [(ms, line("json", rng, "soak", "firehose", int(now), False)) for _ in range(due)]
            put(logs, group, stream, events)
            written += due
        time.sleep(max(0.0, tick - (time.time() - now)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["seed", "feed", "firehose"])
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--region", default="us-east-1")
    parser.add_argument("--group", default="/soak/firehose")
    parser.add_argument("--lines-per-sec", type=int, default=2000)
    args = parser.parse_args()
    if args.command == "firehose":
        firehose(args.endpoint, args.region, args.group, args.lines_per_sec)
    else:
        (seed if args.command == "seed" else feed)(args.endpoint, args.region)


if __name__ == "__main__":
    main()
