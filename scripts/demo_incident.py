#!/usr/bin/env python3
"""A scripted incident for the ECS Deck demo: a bad deploy of one service, now and then.

  demo_incident.py run --endpoint URL     sets the deployment engine's stage length, then
                                          plays a bad deploy (POST /_ecsdeck/incident/bad-deploy,
                                          failure oom-then-health) DEMO_INCIDENT_DELAY_SECS after
                                          it starts and every DEMO_INCIDENT_EVERY_SECS after that;
                                          one line on stderr per incident; exits when the
                                          emulator goes away
  demo_incident.py feed-metrics --endpoint URL
                                          demo_metrics.py's feed, with the incident's CPU and
                                          memory in the incident service's AWS/ECS metrics
                                          (and in Container Insights' network bytes)

`run` starts by printing "demo_incident: plan: <which service, when, how long>" (the demo's
banner shows it). Both take --cluster and --service (default: seed_demo.py's INCIDENT_CLUSTER and
INCIDENT_SERVICE, prod inventory-service) and --region.

The incident (tests/support/incident.py) deploys the next revision of the service's task
definition, whose tasks go out of memory, then fail their ELB health checks, until the circuit
breaker rolls the deployment back; with service events, stopped tasks, the service's alarm going
OK -> ALARM -> OK, a scale-out and back, and ERROR lines in its log group. It runs on the
deployment engine's clock, whose stage length (stageSecs, for every deployment in the emulator)
this sets to DEMO_INCIDENT_STAGE_SECS: with the seeded service's 2 tasks (AWS's breaker threshold,
3 failed tasks, takes two waves of them) the deploy rolls back about 4 stages after it started
(205 s at 50 s), and the alarm and desired count are back 1 and 2 stages after that.

A round is skipped while the service's last incident, or any other deployment of the service,
is still in progress (someone deploying it from the app, say).

Environment (defaults in brackets): DEMO_INCIDENT_DELAY_SECS [60], DEMO_INCIDENT_EVERY_SECS
[900], DEMO_INCIDENT_STAGE_SECS [50]; DEMO_INCIDENT=0 turns the incident off (`run` then exits
at once; scripts/demo starts neither command).

The CPU and memory of an incident: `feed-metrics` runs demo_metrics.py's feed with its per-minute
CPU and memory replaced, for a service with an incident, during the incident's crash loop: from
the first bad task's start to the end of the rollback, CPUUtilization at 85-95 %, and
MemoryUtilization climbing from its usual level to ~100 % by the first out-of-memory stop, staying
there until the last one, then ~88 % while the tasks fail their health checks. Each minute the
feeder reads the incidents from the emulator (GET /_ecsdeck/incident/incidents), their tasks
(DescribeTasks) and deployments (DescribeServiceDeployments): the emulator is the one record of
when each incident began and ended, on its own clock, so the metrics agree with the events, tasks
and deployments the app shows, whoever started the incident (this process, a test, or curl), and
there is no file to keep in step. (It wraps demo_metrics.py from outside, rather than that
file reading the incidents itself, only because this change had to leave that file alone.)
"""

import argparse
import datetime as dt
import json
import math
import os
import random
import sys
import time
import urllib.error
import urllib.request

import boto3
from botocore.config import Config

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from seed_demo import INCIDENT_CLUSTER, INCIDENT_SERVICE  # noqa: E402

FAILURE = "oom-then-health"
ACTIVE = ("PENDING", "IN_PROGRESS", "ROLLBACK_IN_PROGRESS")
POLL_SECS = 10  # how often `run` looks at the emulator between rounds (and notices it gone)
RESTART_SECS = 5  # incident.py's pause between two waves of failing tasks


def say(message):
    print(f"demo_incident: {message}", file=sys.stderr, flush=True)


def env_secs(name, default):
    value = os.environ.get(name, "").strip()
    if not value:
        return float(default)
    try:
        secs = float(value)
    except ValueError:
        raise SystemExit(f"demo_incident: {name} must be a number of seconds, not {value!r}")
    if secs < 0 or math.isnan(secs):
        raise SystemExit(f"demo_incident: {name} must be >= 0")
    return secs


def settings():
    return {"delay": env_secs("DEMO_INCIDENT_DELAY_SECS", 60), "every": env_secs("DEMO_INCIDENT_EVERY_SECS", 900),
            "stage": env_secs("DEMO_INCIDENT_STAGE_SECS", 50)}


def clock(epoch):
    return time.strftime("%H:%M:%S", time.localtime(epoch))


class Emulator:
    """The emulator's control endpoints (urllib) and its AWS APIs (boto3)."""

    def __init__(self, endpoint, region):
        self.endpoint = endpoint.rstrip("/")
        config = Config(retries={"max_attempts": 2, "mode": "standard"}, connect_timeout=5, read_timeout=30)
        session = boto3.session.Session(aws_access_key_id="demo", aws_secret_access_key="demo", region_name=region)
        self.ecs = session.client("ecs", endpoint_url=self.endpoint, config=config)

    def control(self, path, body=None):
        """JSON from a control endpoint (GET without a body); HTTPError carries its message."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"{self.endpoint}/_ecsdeck/{path}", data=data,
                                         method="POST" if body is not None else "GET",
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as reply:
            return json.loads(reply.read() or b"{}")

    def incidents(self):
        return self.control("incident/incidents")

    def service(self, cluster, service):
        found = self.ecs.describe_services(cluster=cluster, services=[service])["services"]
        return found[0] if found and found[0].get("status") == "ACTIVE" else None


def http_message(error):
    try:
        return json.loads(error.read()).get("message") or str(error)
    except ValueError:
        return str(error)


# --- How long an incident takes ----------------------------------------------------------------


def expected_secs(desired, stage, max_capacity=None):
    """(deploy -> rollback done, deploy -> alarm and desired count back) of a bad deploy of a
    service with `desired` tasks, as incident.py plays it with AWS's breaker threshold: PRE_SCALE_UP,
    waves of min(desired, failures to come) tasks each failing a stage later, RESTART_SECS apart,
    the desired count one higher after the first wave (when the scaling allows), the rollback."""
    threshold = min(200, max(3, math.ceil(0.5 * desired)))
    failures, waves = 0, 0
    requested = desired
    while failures < threshold:
        failures += max(1, min(requested, threshold - failures))
        waves += 1
        if waves == 1 and (max_capacity is None or desired + 1 <= max_capacity):
            requested = desired + 1
    rolled_back = stage * (waves + 2) + RESTART_SECS * (waves - 1)
    return rolled_back, rolled_back + 2 * stage


def describe_plan(api, cluster, service, config):
    """One line: which service, when, and how long it takes."""
    found = api.service(cluster, service)
    if found is None:
        return f"no incident: there is no service {service} in cluster {cluster}"
    rolled_back, over = expected_secs(found.get("desiredCount") or 1, config["stage"])
    first = time.time() + config["delay"]
    every = f", then every {duration(config['every'])}" if config["every"] > 0 else ""
    return (f"a bad deploy of {cluster}/{service} ({FAILURE}) at {clock(first)}{every}: "
            f"rolled back ~{duration(rolled_back)} after it starts, alarm and scaling back after "
            f"~{duration(over)} (deployment stages of {config['stage']:g} s)")


def duration(secs):
    return f"{secs:.0f} s" if secs < 120 else f"{secs / 60:.1f}".removesuffix(".0") + " min"


# --- run: the incident loop --------------------------------------------------------------------


def busy(api, cluster, service, incidents):
    """Why a round can't start now, or None."""
    for incident in incidents:
        if (incident["cluster"], incident["service"]) == (cluster, service) and incident["deploymentStatus"] in ACTIVE:
            return f"{incident['id']} is still {incident['deploymentStatus']}"
        if (incident["cluster"], incident["service"]) == (cluster, service) and not incident["over"]:
            return f"{incident['id']} is not over (its alarm or desired count is not back yet)"
    deploying = api.ecs.list_service_deployments(cluster=cluster, service=service, status=list(ACTIVE))
    for d in deploying.get("serviceDeployments", []):
        return f"a deployment of the service is {d['status']} ({d['serviceDeploymentArn'].rsplit('/', 1)[-1]})"
    return None


def upcoming(next_at):
    return "no further rounds" if next_at == math.inf else f"next round at {clock(next_at)}"


def play(api, cluster, service, next_at):
    """One round: the incident started, or why not; one line on stderr either way."""
    reason = busy(api, cluster, service, api.incidents()["incidents"])
    if reason:
        say(f"{clock(time.time())} skipped the incident of {cluster}/{service}: {reason}; {upcoming(next_at)}")
        return
    try:
        started = api.control("incident/bad-deploy", {"cluster": cluster, "service": service, "failure": FAILURE})
    except urllib.error.HTTPError as error:  # the service can't take it now (its desired count is 0, ...)
        say(f"{clock(time.time())} no incident of {cluster}/{service}: {http_message(error)}; {upcoming(next_at)}")
        return
    revision = started["taskDefinition"].rsplit("/", 1)[-1]
    alarm = started.get("alarmName") or "none"
    say(f"{clock(time.time())} {started['id']}: bad deploy of {cluster}/{service} to {revision} "
        f"({started['image'].rsplit('/', 1)[-1]}), {FAILURE}, circuit breaker at {started['threshold']} failed tasks, "
        f"alarm {alarm}; {upcoming(next_at)}")


def run(endpoint, region, cluster, service):
    if os.environ.get("DEMO_INCIDENT", "1") == "0":
        say("DEMO_INCIDENT=0: no incident")
        return
    config = settings()
    api = Emulator(endpoint, region)
    api.control("deployments/speed", {"stageSecs": config["stage"]})
    say(f"plan: {describe_plan(api, cluster, service, config)}")
    next_at = time.time() + config["delay"]
    failures = 0
    while failures < 3:
        time.sleep(max(0.0, min(POLL_SECS, next_at - time.time())))
        try:
            if time.time() < next_at:
                api.incidents()  # still there? (the loop ends when the emulator has gone)
            else:
                next_at = following(next_at, config["every"])
                play(api, cluster, service, next_at)
            failures = 0
        except Exception as error:  # the emulator stopped: the demo is over
            failures += 1
            say(f"{error}")


def following(at, every):
    """The round after the one due at `at` (none when `every` is 0); a round long overdue (the
    machine was suspended) is skipped rather than played late."""
    if every <= 0:
        return math.inf
    at += every
    while at <= time.time():
        at += every
    return at


# --- feed-metrics: demo_metrics.py's feed with the incident's CPU and memory ------------------


class IncidentMetrics:
    """Per service ("cluster/service"), the crash loops of its incidents, read from the emulator."""

    def __init__(self, api):
        self.api = api
        self.windows = {}  # "cluster/service" -> [window]
        self.finished = {}  # incident id -> its window, once its deployment has ended
        self.stage = 15.0

    def refresh(self):
        try:
            self.stage = float(self.api.control("deployments/speed")["stageSecs"])
            listed = self.api.incidents()
        except Exception as error:  # the feeder's own calls will say whether the emulator is gone
            say(f"incidents not read: {error}")
            return
        windows = {}
        for incident in listed["incidents"]:
            try:
                window = self.finished.get(incident["id"]) or self._window(incident, listed["now"])
            except Exception as error:
                say(f"{incident['id']} not read: {error}")
                continue
            if window is not None:
                windows.setdefault(f"{incident['cluster']}/{incident['service']}", []).append(window)
        self.windows = windows

    def _window(self, incident, now):
        """{start, end, first_oom, last_oom} of an incident's crash loop (epoch secs; end None while
        it goes on), or None before its first task."""
        arns = incident["stoppedTasks"] + incident["runningTasks"]
        if not arns:
            return None
        tasks = []
        for start in range(0, len(arns), 100):
            tasks += self.api.ecs.describe_tasks(cluster=incident["cluster"], tasks=arns[start:start + 100])["tasks"]
        if not tasks:
            return None
        ooms = sorted(t["stoppedAt"].timestamp() for t in tasks if t.get("stopCode") == "EssentialContainerExited"
                      and any(c.get("exitCode") == 137 for c in t.get("containers", [])))
        deployment = self.api.ecs.describe_service_deployments(
            serviceDeploymentArns=[incident["serviceDeploymentArn"]])["serviceDeployments"]
        finished = deployment[0].get("finishedAt") if deployment else None
        window = {"failure": incident["failure"], "start": min(t["createdAt"].timestamp() for t in tasks),
                  "end": finished.timestamp() if finished else None,
                  "first_oom": ooms[0] if ooms else None, "last_oom": ooms[-1] if ooms else None}
        if finished is not None and incident["deploymentStatus"] not in ACTIVE:
            self.finished[incident["id"]] = window
        return window

    def _during(self, name, minute):
        """The window whose crash loop overlaps the minute, or None."""
        low, high = minute * 60, minute * 60 + 60
        for window in self.windows.get(name, []):
            end = window["end"] if window["end"] is not None else time.time()
            if window["start"] < high and end >= low:
                return window
        return None

    def cpu(self, name, minute):
        window = self._during(name, minute)
        if window is None or window["failure"] == "image-pull":  # tasks that never ran use no CPU
            return None
        return 85.0 + 10.0 * random.Random(f"{name}/incident-cpu/{minute}").random()

    def memory(self, name, minute, usual):
        window = self._during(name, minute)
        if window is None or window["failure"] not in ("oom", "oom-then-health"):
            return None
        jitter = random.Random(f"{name}/incident-mem/{minute}").random()
        first = window["first_oom"] or (window["start"] + self.stage)
        last = window["last_oom"] or first
        until = minute * 60 + 60  # the minute's point: where the climb is at its end
        if until <= first:
            climbed = max(0.0, min(1.0, (until - window["start"]) / max(1.0, first - window["start"])))
            return min(100.0, usual + (99.0 - usual) * climbed)
        if minute * 60 <= last:
            return 98.5 + 1.5 * jitter  # out of memory
        return 86.0 + 4.0 * jitter  # failing health checks, not out of memory


def feed_metrics(endpoint, region):
    import demo_metrics

    spikes = IncidentMetrics(Emulator(endpoint, region))
    usual_estate, usual_cpu, usual_memory = demo_metrics.estate, demo_metrics.cpu_at, demo_metrics.memory_at

    def estate(ecs):  # read once a minute, before the feeder writes the minute(s) just ended
        rows = usual_estate(ecs)
        spikes.refresh()
        return rows

    def cpu_at(name, minute, spike_from):
        value = spikes.cpu(name, minute)
        return usual_cpu(name, minute, spike_from) if value is None else value

    def memory_at(name, minute, deployed_at):
        usual = usual_memory(name, minute, deployed_at)
        value = spikes.memory(name, minute, usual)
        return usual if value is None else value

    demo_metrics.estate, demo_metrics.cpu_at, demo_metrics.memory_at = estate, cpu_at, memory_at
    demo_metrics.feed(endpoint, region)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["run", "feed-metrics"])
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--region", default="us-east-1")
    parser.add_argument("--cluster", default=INCIDENT_CLUSTER)
    parser.add_argument("--service", default=INCIDENT_SERVICE)
    args = parser.parse_args()
    if args.command == "run":
        run(args.endpoint, args.region, args.cluster, args.service)
    else:
        feed_metrics(args.endpoint, args.region)


if __name__ == "__main__":
    main()
