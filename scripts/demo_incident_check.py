#!/usr/bin/env python3
"""Checks that the demo's scripted incident (scripts/demo_incident.py) played, through the AWS
APIs the app reads, against a running demo emulator (scripts/demo --no-app prints its endpoint).

Usage: demo_incident_check.py --endpoint URL [--timeout SECS] [--cluster prod]
                              [--service inventory-service] [--no-metrics]

Waits up to --timeout seconds (default 600) for an incident of the service whose deployment has
rolled back (GET /_ecsdeck/incident/incidents: ROLLBACK_SUCCESSFUL), then checks, for the latest
such incident:

  * ListServiceDeployments lists its deployment ROLLBACK_SUCCESSFUL, and
    DescribeServiceDeployments says the circuit breaker (TRIGGERED, failureCount at its
    threshold) rolled it back;
  * its stopped tasks (ListTasks STOPPED for the service, DescribeTasks): every one of them with
    a stopCode, stoppedReason, stoppedAt and the failing container's exit code; for
    oom-then-health, out of memory (EssentialContainerExited, exit code 137, OutOfMemoryError)
    and failed ELB health checks (ServiceSchedulerInitiated, exit code 143);
  * the service's events: tasks started, the deployment failed, rolling back, steady state;
  * DescribeAlarmHistory of its alarm: OK -> ALARM after the deployment began;
  * ERROR lines in the service's log group, in the incident tasks' streams (FilterLogEvents);
  * DescribeScalingActivities, when the service has a scalable target: the scale-out;
  * unless --no-metrics, the CPU spike: AWS/ECS CPUUtilization (Average, GetMetricData, 60 s) of
    the service at 80 % or more in a minute of the crash loop, and MemoryUtilization at 95 % or
    more (the demo's metrics feeder writes a minute once it has ended: this waits for it, within
    the same --timeout).

Prints one JSON line with what it saw ({"ok": true, ...}); on a failure or the timeout, one JSON
line {"ok": false, "failed": ..., "detail": ..., "saw": ...} and exits 1.
"""

import argparse
import datetime as dt
import json
import os
import sys
import time
import urllib.request

import boto3
from botocore.config import Config

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from seed_demo import INCIDENT_CLUSTER, INCIDENT_SERVICE  # noqa: E402

CPU_SPIKE, MEMORY_SPIKE = 80.0, 95.0
SAW = {}


class Failed(Exception):
    def __init__(self, what, detail=None):
        super().__init__(what)
        self.what, self.detail = what, detail


def check(condition, what, detail=None):
    if not condition:
        raise Failed(what, detail)


def epoch(value):
    return value.timestamp() if isinstance(value, dt.datetime) else float(value)


class Demo:
    def __init__(self, endpoint, cluster, service, deadline):
        self.endpoint, self.cluster, self.service, self.deadline = endpoint.rstrip("/"), cluster, service, deadline
        config = Config(retries={"max_attempts": 3, "mode": "standard"}, connect_timeout=5, read_timeout=30)
        session = boto3.session.Session(aws_access_key_id="demo", aws_secret_access_key="demo",
                                        region_name="us-east-1")
        self.aws = {name: session.client(name, endpoint_url=self.endpoint, config=config)
                    for name in ("ecs", "cloudwatch", "logs", "application-autoscaling")}

    def incidents(self):
        with urllib.request.urlopen(f"{self.endpoint}/_ecsdeck/incident/incidents", timeout=30) as reply:
            return json.loads(reply.read())["incidents"]

    def wait_for_rollback(self):
        """The latest incident of the service whose deployment has rolled back."""
        while True:
            ours = [i for i in self.incidents() if (i["cluster"], i["service"]) == (self.cluster, self.service)]
            SAW["incidents"] = [(i["id"], i["deploymentStatus"]) for i in ours]
            done = [i for i in ours if i["deploymentStatus"] == "ROLLBACK_SUCCESSFUL"]
            if done:
                return done[-1]
            check(time.time() < self.deadline, f"no completed rollback of {self.cluster}/{self.service} in time",
                  SAW["incidents"])
            time.sleep(2)

    # --- ECS -----------------------------------------------------------------------------------

    def deployment(self, incident):
        arn = incident["serviceDeploymentArn"]
        listed = self.aws["ecs"].list_service_deployments(cluster=self.cluster, service=self.service)
        found = [d for d in listed["serviceDeployments"] if d["serviceDeploymentArn"] == arn]
        check(found and found[0]["status"] == "ROLLBACK_SUCCESSFUL", "ListServiceDeployments: the incident's "
              "deployment ROLLBACK_SUCCESSFUL", listed["serviceDeployments"])
        d = self.aws["ecs"].describe_service_deployments(serviceDeploymentArns=[arn])["serviceDeployments"][0]
        breaker = d.get("deploymentCircuitBreaker", {})
        check(breaker.get("status") == "TRIGGERED" and breaker.get("failureCount", 0) >= breaker.get("threshold", 1)
              and "circuit breaker" in d.get("rollback", {}).get("reason", ""),
              "DescribeServiceDeployments: rolled back by the circuit breaker", d)
        SAW["deployment"] = {"arn": arn, "status": d["status"], "createdAt": d["createdAt"].isoformat(),
                             "finishedAt": d["finishedAt"].isoformat(),
                             "secsToRollback": round(epoch(d["finishedAt"]) - epoch(d["createdAt"]), 1),
                             "circuitBreaker": breaker, "rollbackReason": d["rollback"]["reason"]}
        return d

    def stopped_tasks(self, incident):
        ecs = self.aws["ecs"]
        listed = []
        for page in ecs.get_paginator("list_tasks").paginate(cluster=self.cluster, serviceName=self.service,
                                                                 desiredStatus="STOPPED"):
            listed += page["taskArns"]
        missing = sorted(set(incident["stoppedTasks"]) - set(listed))
        check(incident["stoppedTasks"] and not missing, "ListTasks STOPPED: the incident's tasks", missing)
        tasks = []
        for start in range(0, len(incident["stoppedTasks"]), 100):
            tasks += ecs.describe_tasks(cluster=self.cluster, tasks=incident["stoppedTasks"][start:start + 100])["tasks"]
        seen = []
        for task in sorted(tasks, key=lambda t: t["stoppedAt"]):
            failing = [c for c in task["containers"] if c.get("exitCode") not in (None, 0)]
            never_ran = incident["failure"] == "image-pull"  # no container started: no exit code
            check(task["lastStatus"] == "STOPPED" and task.get("stopCode") and task.get("stoppedReason")
                  and task.get("stoppedAt") and (failing or never_ran), "DescribeTasks: stop details", task)
            hit = failing[0] if failing else task["containers"][0]
            seen.append({"task": task["taskArn"].rsplit("/", 1)[-1], "stopCode": task["stopCode"],
                         "stoppedReason": task["stoppedReason"], "container": hit["name"],
                         "exitCode": hit.get("exitCode"), "reason": hit.get("reason")})
        SAW["stoppedTasks"] = seen
        if incident["failure"] == "oom-then-health":
            oom = [t for t in seen if t["stopCode"] == "EssentialContainerExited" and t["exitCode"] == 137
                   and (t["reason"] or "").startswith("OutOfMemoryError")]
            health = [t for t in seen if t["stopCode"] == "ServiceSchedulerInitiated" and t["exitCode"] == 143
                      and t["stoppedReason"].startswith("Task failed ")]
            check(oom and health and len(oom) + len(health) == len(seen),
                  "DescribeTasks: out of memory, then failed health checks", seen)
        return tasks

    def events(self, incident, deployment):
        service = self.aws["ecs"].describe_services(cluster=self.cluster, services=[self.service])["services"][0]
        since = epoch(deployment["createdAt"]) - 1
        messages = [e["message"] for e in reversed(service["events"]) if epoch(e["createdAt"]) >= since]
        wanted = ["has started", "deployment failed: tasks failed to start.", "rolling back to deployment",
                  "deployment completed.", "has reached a steady state."]
        missing = [w for w in wanted if not any(w in m for m in messages)]
        check(not missing, "DescribeServices: the incident's events", {"missing": missing, "events": messages})
        SAW["events"] = messages
        SAW["desiredCount"] = service["desiredCount"]

    # --- Alarm, logs, scaling ----------------------------------------------------------------------

    def alarm_history(self, incident, deployment):
        name = incident.get("alarmName")
        check(name, "the incident has an alarm", incident)
        items = self.aws["cloudwatch"].describe_alarm_history(
            AlarmName=name, HistoryItemType="StateUpdate", ScanBy="TimestampAscending")["AlarmHistoryItems"]
        since = epoch(deployment["createdAt"]) - 1
        ours = [(i["Timestamp"].isoformat(), i["HistorySummary"]) for i in items if epoch(i["Timestamp"]) >= since]
        check(any(s == "Alarm updated from OK to ALARM" for _, s in ours), f"DescribeAlarmHistory {name}: OK -> ALARM",
              ours)
        SAW["alarmHistory"] = {"alarm": name, "items": ours}

    def error_lines(self, incident, tasks, deployment):
        definition = self.aws["ecs"].describe_task_definition(taskDefinition=incident["taskDefinition"])["taskDefinition"]
        service = self.aws["ecs"].describe_services(cluster=self.cluster, services=[self.service])["services"][0]
        balancers = service.get("loadBalancers") or []
        container = balancers[0]["containerName"] if balancers else definition["containerDefinitions"][0]["name"]
        spec = next(c for c in definition["containerDefinitions"] if c["name"] == container)
        options = (spec.get("logConfiguration") or {}).get("options") or {}
        group = options.get("awslogs-group") or f"/ecs/{definition['family']}"
        prefix = options.get("awslogs-stream-prefix") or "ecs"
        streams = [f"{prefix}/{container}/{t['taskArn'].rsplit('/', 1)[-1]}" for t in tasks]
        events, token = [], None
        while True:
            kwargs = {"nextToken": token} if token else {}
            page = self.aws["logs"].filter_log_events(
                logGroupName=group, logStreamNames=streams[:100], filterPattern="ERROR",
                startTime=int((epoch(deployment["createdAt"]) - 60) * 1000), **kwargs)
            events += page["events"]
            token = page.get("nextToken")
            if not token:
                break
        errors = [e for e in events if " ERROR " in e["message"]]
        check(errors, f"FilterLogEvents {group}: ERROR lines of the incident's tasks", streams)
        per_minute = {}
        for e in errors:
            minute = dt.datetime.fromtimestamp(e["timestamp"] // 60000 * 60, dt.timezone.utc).strftime("%H:%M")
            per_minute[minute] = per_minute.get(minute, 0) + 1
        SAW["errorLines"] = {"group": group, "count": len(errors), "perMinute": per_minute,
                             "sample": errors[-1]["message"]}

    def scaling(self, deployment):
        resource = f"service/{self.cluster}/{self.service}"
        targets = self.aws["application-autoscaling"].describe_scalable_targets(
            ServiceNamespace="ecs", ResourceIds=[resource])["ScalableTargets"]
        if not targets:
            SAW["scaling"] = "no scalable target"
            return
        activities = self.aws["application-autoscaling"].describe_scaling_activities(
            ServiceNamespace="ecs", ResourceId=resource)["ScalingActivities"]
        since = epoch(deployment["createdAt"]) - 1
        ours = [(a["StartTime"].isoformat(), a["Description"]) for a in activities if epoch(a["StartTime"]) >= since]
        check(ours, "DescribeScalingActivities: the scale-out", activities)
        SAW["scaling"] = sorted(ours)

    # --- The metrics -----------------------------------------------------------------------------

    def metrics(self, tasks, deployment):
        """Waits for the feeder to write the crash loop's minutes; the CPU and memory seen."""
        start = min(epoch(t["createdAt"]) for t in tasks) // 60 * 60
        end = epoch(deployment["finishedAt"]) // 60 * 60 + 60
        dims = [{"Name": "ClusterName", "Value": self.cluster}, {"Name": "ServiceName", "Value": self.service}]
        while True:
            now = time.time()
            queries = [{"Id": metric.lower(), "ReturnData": True, "MetricStat": {
                "Metric": {"Namespace": "AWS/ECS", "MetricName": metric, "Dimensions": dims},
                "Period": 60, "Stat": "Average"}} for metric in ("CPUUtilization", "MemoryUtilization")]
            result = self.aws["cloudwatch"].get_metric_data(
                MetricDataQueries=queries, StartTime=dt.datetime.fromtimestamp(start - 300, dt.timezone.utc),
                EndTime=dt.datetime.fromtimestamp(max(now, end + 60), dt.timezone.utc), ScanBy="TimestampAscending")
            series = {r["Id"]: [(epoch(t), v) for t, v in zip(r["Timestamps"], r["Values"])]
                      for r in result["MetricDataResults"]}
            during = {k: [v for t, v in points if start <= t < end] for k, points in series.items()}
            before = {k: [v for t, v in points if t < start] for k, points in series.items()}
            SAW["metrics"] = {
                "crashLoopMinutes": [dt.datetime.fromtimestamp(t, dt.timezone.utc).strftime("%H:%M")
                                     for t in range(int(start), int(end), 60)],
                "cpu": {"before": [round(v, 1) for v in before["cpuutilization"][-3:]],
                        "during": [round(v, 1) for v in during["cpuutilization"]]},
                "memory": {"before": [round(v, 1) for v in before["memoryutilization"][-3:]],
                           "during": [round(v, 1) for v in during["memoryutilization"]]}}
            if (max(during["cpuutilization"], default=0) >= CPU_SPIKE
                    and max(during["memoryutilization"], default=0) >= MEMORY_SPIKE):
                return
            check(now < self.deadline, f"GetMetricData: no CPU >= {CPU_SPIKE:g} % and memory >= {MEMORY_SPIKE:g} % "
                  "in the crash loop's minutes in time", SAW["metrics"])
            time.sleep(5)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--timeout", type=float, default=600, help="seconds to wait in all (default 600)")
    parser.add_argument("--cluster", default=INCIDENT_CLUSTER)
    parser.add_argument("--service", default=INCIDENT_SERVICE)
    parser.add_argument("--no-metrics", action="store_true", help="skip the CPU and memory spike")
    args = parser.parse_args()
    started = time.time()
    demo = Demo(args.endpoint, args.cluster, args.service, started + args.timeout)
    try:
        incident = demo.wait_for_rollback()
        SAW["incident"] = {k: incident[k] for k in ("id", "failure", "threshold", "failures", "image",
                                                    "taskDefinition", "alarmName", "scaledOut", "over")}
        deployment = demo.deployment(incident)
        tasks = demo.stopped_tasks(incident)
        demo.events(incident, deployment)
        demo.alarm_history(incident, deployment)
        demo.error_lines(incident, tasks, deployment)
        demo.scaling(deployment)
        if not args.no_metrics:
            demo.metrics(tasks, deployment)
    except Failed as failure:
        print(json.dumps({"ok": False, "failed": failure.what, "detail": failure.detail, "saw": SAW}, default=str))
        sys.exit(1)
    except Exception as error:  # the emulator is not there, or answered something unexpected
        print(json.dumps({"ok": False, "failed": type(error).__name__, "detail": str(error), "saw": SAW}, default=str))
        sys.exit(1)
    print(json.dumps(dict({"ok": True, "cluster": args.cluster, "service": args.service,
                           "waitedSecs": round(time.time() - started, 1)}, **SAW), default=str))


if __name__ == "__main__":
    main()
