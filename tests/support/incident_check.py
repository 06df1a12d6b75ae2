"""Checks the emulator's incidents (incident.py) through the real AWS APIs, with boto3 and a
manual clock: it starts the emulator itself on a free port, seeds a Fargate service behind a
target group with a 5xx alarm, a scalable target and a scaling policy, plays a bad deployment
(oom-then-health) to its rollback, and checks

  * the stopped tasks: ListTasks (desiredStatus STOPPED, serviceName) and DescribeTasks with
    stopCode, stoppedReason, stoppingAt, stoppedAt, containers' exitCode, reason, healthStatus;
  * the deployment: ListServiceDeployments / DescribeServiceDeployments going IN_PROGRESS ->
    ROLLBACK_IN_PROGRESS -> ROLLBACK_SUCCESSFUL, the circuit breaker counting to its threshold,
    DescribeServices showing the bad deployment FAILED while rolling back, the service events;
  * DescribeScalingActivities, DescribeAlarmHistory (boto3's protocol, JSON 1.0 and query) and
    the ERROR lines in the service's log group;
  * the app's Logs Insights count (logs_insights.py) over the incident's window: Running, then
    Complete with per-minute counts equal to FilterLogEvents' ERROR lines; a missing group and
    an unknown query are ResourceNotFoundException, StopQuery cancels, the deny control makes
    StartQuery AccessDeniedException until lifted, and other queries still reach moto;

then an image-pull failure and a service without a load balancer (container health checks),
and Spot and user stops of running tasks.

Usage: .venv/bin/python tests/support/incident_check.py
Prints one JSON line with what it saw; exits 1 with {"failed": ...} on any mismatch.
"""

import collections
import datetime as dt
import json
import os
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

import boto3

HERE = os.path.dirname(os.path.abspath(__file__))
CLUSTER = "incident"
STAGE_SECS = 10
STEP = 5
AUTH = ("AWS4-HMAC-SHA256 Credential=AKIDTESTTESTTEST/20260101/us-east-1/monitoring/aws4_request, "
        "SignedHeaders=host, Signature=0")
SAW = {}


def check(condition, what, detail=None):
    if not condition:
        print(json.dumps({"failed": what, "detail": detail, "saw": SAW}, default=str))
        sys.exit(1)


def start_emulator():
    """The emulator on a free port; it exits when this script's stdin pipe to it closes."""
    process = subprocess.Popen([sys.executable, os.path.join(HERE, "aws_emulator.py"), "--port", "0"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = process.stdout.readline().strip()
    check(line.startswith("READY "), "emulator did not start", line)
    return process, f"http://127.0.0.1:{line.split()[1]}"


def post(path, body, method="POST"):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(ENDPOINT + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as reply:
        return json.loads(reply.read() or b"{}")


def control_error(path, body):
    try:
        post(path, body)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())["message"]
    return 200, None


def advance(secs):
    return post("/_ecsdeck/deployments/clock", {"advanceSecs": secs})["now"]


def clients():
    keys = {"region_name": "us-east-1", "endpoint_url": ENDPOINT,
            "aws_access_key_id": "AKIDTESTTESTTEST", "aws_secret_access_key": "test-secret"}
    return {name: boto3.client(name, **keys) for name in
            ("ecs", "ec2", "elbv2", "cloudwatch", "application-autoscaling", "logs")}


# --- Seed ----------------------------------------------------------------------------------


def network():
    vpc = AWS["ec2"].describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    subnets = AWS["ec2"].describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]
    group = AWS["ec2"].create_security_group(GroupName="incident-tasks", Description="tasks", VpcId=vpc)["GroupId"]
    return vpc, {"awsvpcConfiguration": {"subnets": [s["SubnetId"] for s in subnets[:2]], "securityGroups": [group],
                                         "assignPublicIp": "DISABLED"}}


def task_definition(family, image):
    logging = {"logDriver": "awslogs", "options": {"awslogs-group": f"/ecs/{family}", "awslogs-region": "us-east-1",
                                                   "awslogs-stream-prefix": "ecs"}}
    AWS["ecs"].register_task_definition(
        family=family, networkMode="awsvpc", requiresCompatibilities=["FARGATE"], cpu="256", memory="512",
        containerDefinitions=[
            {"name": "app", "image": image, "memory": 384, "essential": True,
             "portMappings": [{"containerPort": 8080}], "logConfiguration": logging},
            {"name": "envoy", "image": "envoyproxy/envoy:v1.29", "memory": 128, "essential": False}])


def service(name, desired, net, target_group=None):
    kwargs = {}
    if target_group:
        kwargs["loadBalancers"] = [{"targetGroupArn": target_group, "containerName": "app", "containerPort": 8080}]
    AWS["ecs"].create_service(cluster=CLUSTER, serviceName=name, taskDefinition=f"{name}:1", desiredCount=desired,
                              launchType="FARGATE", networkConfiguration=net, **kwargs,
                              deploymentConfiguration={"minimumHealthyPercent": 100, "maximumPercent": 200,
                                                       "deploymentCircuitBreaker": {"enable": True, "rollback": True}})


def seed():
    post("/moto-api/state-manager/set-transition",
         {"model_name": "ecs::task", "transition": {"progression": "manual", "times": 1000000}})
    post("/_ecsdeck/deployments/clock", {"mode": "manual"})
    post("/_ecsdeck/deployments/speed", {"stageSecs": STAGE_SECS})
    vpc, net = network()
    AWS["ecs"].create_cluster(clusterName=CLUSTER)
    for family, image in (("checkout", "example/checkout:1.4.2"), ("images", "example/images:2.0"),
                          ("worker", "example/worker:7")):
        task_definition(family, image)
    tg = AWS["elbv2"].create_target_group(Name="incident-checkout", Protocol="HTTP", Port=8080, VpcId=vpc,
                                          TargetType="ip", HealthCheckPath="/healthz")["TargetGroups"][0]["TargetGroupArn"]
    service("checkout", 2, net, tg)
    service("images", 1, net)
    service("worker", 2, net)
    seed_alarm_and_scaling(tg)
    return net, tg


def seed_alarm_and_scaling(tg):
    AWS["cloudwatch"].put_metric_alarm(
        AlarmName="checkout-5xx", Namespace="AWS/ApplicationELB", MetricName="HTTPCode_Target_5XX_Count",
        Dimensions=[{"Name": "TargetGroup", "Value": tg.split(":")[-1]}], Statistic="Sum", Period=60,
        EvaluationPeriods=1, Threshold=5.0, ComparisonOperator="GreaterThanOrEqualToThreshold")
    aas = AWS["application-autoscaling"]
    aas.register_scalable_target(ServiceNamespace="ecs", ResourceId=f"service/{CLUSTER}/checkout",
                                 ScalableDimension="ecs:service:DesiredCount", MinCapacity=1, MaxCapacity=4)
    aas.put_scaling_policy(
        PolicyName="checkout-cpu", ServiceNamespace="ecs", ResourceId=f"service/{CLUSTER}/checkout",
        ScalableDimension="ecs:service:DesiredCount", PolicyType="TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration={
            "TargetValue": 50.0, "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"}})


# --- The bad deployment --------------------------------------------------------------------


def describe_deployment(arn):
    return AWS["ecs"].describe_service_deployments(serviceDeploymentArns=[arn])["serviceDeployments"][0]


def svc(name):
    return AWS["ecs"].describe_services(cluster=CLUSTER, services=[name])["services"][0]


def follow(arn, name, limit=600):
    """Advances STEP seconds at a time until the deployment ends; the statuses seen, and the
    DescribeServices deployments seen while it rolled back."""
    statuses, rolling_back = [], None
    for _ in range(limit // STEP):
        d = describe_deployment(arn)
        if not statuses or statuses[-1] != d["status"]:
            statuses.append(d["status"])
        if d["status"] == "ROLLBACK_IN_PROGRESS" and rolling_back is None:
            rolling_back = (d, svc(name)["deployments"])
        if d["status"] not in ("PENDING", "IN_PROGRESS", "ROLLBACK_IN_PROGRESS"):
            return d, statuses, rolling_back
        advance(STEP)
    check(False, "deployment never ended", arn)


def check_bad_deploy(tg):
    started = post("/_ecsdeck/incident/bad-deploy", {"cluster": CLUSTER, "service": "checkout",
                                                    "failure": "oom-then-health"})
    check(started["threshold"] == 3 and started["alarmName"] == "checkout-5xx" and started["image"] ==
          "example/checkout:1.4.3" and started["taskDefinition"].endswith("checkout:2"), "bad-deploy: answer", started)
    arn = started["serviceDeploymentArn"]
    listed = AWS["ecs"].list_service_deployments(cluster=CLUSTER, service="checkout")["serviceDeployments"]
    check(listed[0]["serviceDeploymentArn"] == arn and listed[0]["status"] in ("PENDING", "IN_PROGRESS"),
          "bad-deploy: listed first", listed)
    final, statuses, (rolling, deployments) = follow(arn, "checkout")
    check(statuses == ["PENDING", "IN_PROGRESS", "ROLLBACK_IN_PROGRESS", "ROLLBACK_SUCCESSFUL"]
          or statuses == ["IN_PROGRESS", "ROLLBACK_IN_PROGRESS", "ROLLBACK_SUCCESSFUL"], "bad-deploy: statuses", statuses)
    check_rollback(rolling, deployments, final)
    SAW["bad_deploy"] = {"statuses": statuses, "breaker": final["deploymentCircuitBreaker"],
                         "rollbackReason": final["rollback"]["reason"]}
    return started


def check_rollback(rolling, deployments, final):
    SAW["ecs_id"] = deployments[1]["id"]  # the bad deployment's ecs-svc/ id
    breaker = rolling["deploymentCircuitBreaker"]
    check(breaker == {"status": "TRIGGERED", "failureCount": 3, "threshold": 3}, "rollback: circuit breaker", breaker)
    check(rolling["rollback"]["reason"] == "Service deployment rolled back because the circuit breaker threshold "
          "was exceeded", "rollback: reason", rolling["rollback"])
    check([(e["status"], e["rolloutState"]) for e in deployments] == [("PRIMARY", "IN_PROGRESS"), ("ACTIVE", "FAILED")]
          and deployments[1]["failedTasks"] == 3 and deployments[1]["taskDefinition"].endswith("checkout:2")
          and deployments[1]["rolloutStateReason"] == "ECS deployment circuit breaker: tasks failed to start.",
          "rollback: DescribeServices deployments", deployments)
    check(final["status"] == "ROLLBACK_SUCCESSFUL" and "finishedAt" in final, "rollback: finished", final)
    after = svc("checkout")
    check(after["taskDefinition"].endswith("checkout:1") and after["deployments"][0]["rolloutState"] == "COMPLETED",
          "rollback: service back on checkout:1", after["deployments"])


# --- Point 1: stopped tasks ------------------------------------------------------------------


def stopped_tasks(name):
    arns = AWS["ecs"].list_tasks(cluster=CLUSTER, serviceName=name, desiredStatus="STOPPED")["taskArns"]
    described = AWS["ecs"].describe_tasks(cluster=CLUSTER, tasks=arns)["tasks"] if arns else []
    return sorted((t for t in described if t.get("group") == f"service:{name}"), key=lambda t: t["stoppedAt"])


def check_task_basics(task, ecs_id):
    check(task["lastStatus"] == "STOPPED" and task["desiredStatus"] == "STOPPED", "tasks: statuses", task)
    check(task["startedBy"] == ecs_id and task["taskDefinitionArn"].endswith(":2"), "tasks: started by the deployment", task)
    check(task["stoppingAt"] <= task["stoppedAt"] and task["createdAt"] <= task["stoppingAt"], "tasks: times", task)
    check([c["name"] for c in task["containers"]] == ["app", "envoy"]
          and all(c["lastStatus"] == "STOPPED" and "healthStatus" in c for c in task["containers"]),
          "tasks: containers", task["containers"])


def check_stopped_tasks(started, tg):
    ecs_id = SAW["ecs_id"]
    found = stopped_tasks("checkout")
    check(len(found) == 3 and sorted(t["taskArn"] for t in found) == sorted(started_tasks(started)),
          "tasks: ListTasks STOPPED for the service", found)
    for task in found:
        check_task_basics(task, ecs_id)
    oom, health = found[:2], found[2]
    for task in oom:
        app = task["containers"][0]
        check(task["stopCode"] == "EssentialContainerExited" and task["stoppedReason"] == "Essential container in task exited"
              and app["exitCode"] == 137 and app["reason"] == "OutOfMemoryError: Container killed due to memory usage",
              "tasks: out of memory", task)
    check(health["stopCode"] == "ServiceSchedulerInitiated"
          and health["stoppedReason"] == f"Task failed ELB health checks in (target-group {tg})"
          and health["containers"][0]["exitCode"] == 143, "tasks: ELB health checks", health)
    SAW["tasks"] = [{"stopCode": t["stopCode"], "stoppedReason": t["stoppedReason"],
                     "app": {k: t["containers"][0].get(k) for k in ("exitCode", "reason", "healthStatus")}} for t in found]
    return found


def started_tasks(started):
    incidents = post("/_ecsdeck/incident/incidents", None, method="GET")["incidents"]
    return next(i for i in incidents if i["id"] == started["id"])["stoppedTasks"]


# --- Point 2: the service's events -----------------------------------------------------------


def check_events(found):
    events = svc("checkout")["events"]
    times = [e["createdAt"] for e in events]
    check(times == sorted(times, reverse=True), "events: newest first", times)
    messages = [e["message"] for e in reversed(events)]  # oldest first
    ids = [t["taskArn"].split("/")[-1] for t in found]
    expected = [
        f"(service checkout) has started 2 tasks: (task {ids[0]}) (task {ids[1]}).",
        f"(service checkout) has started 1 tasks: (task {ids[2]}).",
        f"(service checkout) (task {ids[2]}) (port 8080) is unhealthy in (target-group ",
        f"(service checkout) has stopped 1 running tasks: (task {ids[2]}).",
        f"(service checkout) deployment {SAW['ecs_id']} deployment failed: tasks failed to start.",
        "(service checkout) rolling back to deployment ecs-svc/",
        "(service checkout) deployment ecs-svc/",
        "(service checkout) has reached a steady state.",
    ]
    check(_in_order(messages, expected), "events: incident sequence", messages)
    SAW["events"] = messages[-len(expected) - 1:]


def _in_order(messages, prefixes):
    position = 0
    for prefix in prefixes:
        while position < len(messages) and not messages[position].startswith(prefix):
            position += 1
        if position == len(messages):
            return False
        position += 1
    return True


# --- Points 3, 4, 5 --------------------------------------------------------------------------


def check_scaling():
    activities = AWS["application-autoscaling"].describe_scaling_activities(
        ServiceNamespace="ecs", ResourceId=f"service/{CLUSTER}/checkout")["ScalingActivities"]
    check([a["Description"] for a in activities] == ["Setting desired count to 2.", "Setting desired count to 3."]
          and all(a["StatusCode"] == "Successful" and a["EndTime"] >= a["StartTime"] for a in activities)
          and "AlarmHigh" in activities[1]["Cause"] and activities[1]["Cause"].endswith("triggered policy checkout-cpu"),
          "scaling: activities", activities)
    check(svc("checkout")["desiredCount"] == 2, "scaling: desired count back to 2")
    SAW["scaling"] = [(a["Description"], a["Cause"]) for a in activities]


def check_alarm_history():
    items = AWS["cloudwatch"].describe_alarm_history(AlarmName="checkout-5xx", HistoryItemType="StateUpdate")["AlarmHistoryItems"]
    check([i["HistorySummary"] for i in items] == ["Alarm updated from ALARM to OK", "Alarm updated from OK to ALARM"],
          "alarm history: boto3", items)
    data = json.loads(items[1]["HistoryData"])
    check(data["newState"]["stateValue"] == "ALARM" and data["newState"]["stateReason"].startswith("Threshold Crossed")
          and data["oldState"]["stateValue"] == "OK", "alarm history: data", data)
    state = AWS["cloudwatch"].describe_alarms(AlarmNames=["checkout-5xx"])["MetricAlarms"][0]["StateValue"]
    check(state == "OK", "alarm: back to OK", state)
    SAW["alarm_history"] = {"boto3_protocol": AWS["cloudwatch"].meta.service_model.protocol,
                            "items": [(i["Timestamp"].isoformat(), i["HistorySummary"]) for i in items],
                            "reason": data["newState"]["stateReason"],
                            "json": json_protocol_history(), "query": query_protocol_history()}


def json_protocol_history():
    body = json.dumps({"AlarmName": "checkout-5xx"}).encode()
    request = urllib.request.Request(ENDPOINT + "/", data=body, method="POST", headers={
        "Content-Type": "application/x-amz-json-1.0", "Authorization": AUTH,
        "X-Amz-Target": "GraniteServiceVersion20100801.DescribeAlarmHistory"})
    with urllib.request.urlopen(request) as reply:
        items = json.loads(reply.read())["AlarmHistoryItems"]
    check(len(items) == 2 and isinstance(items[0]["Timestamp"], (int, float)), "alarm history: JSON 1.0", items)
    return [i["HistorySummary"] for i in items]


def query_protocol_history():
    body = urllib.parse.urlencode({"Action": "DescribeAlarmHistory", "Version": "2010-08-01",
                                   "AlarmName": "checkout-5xx"}).encode()
    request = urllib.request.Request(ENDPOINT + "/", data=body, method="POST", headers={
        "Content-Type": "application/x-www-form-urlencoded", "Authorization": AUTH})
    with urllib.request.urlopen(request) as reply:
        text = reply.read().decode()
    summaries = [part.split("</HistorySummary>")[0] for part in text.split("<HistorySummary>")[1:]]
    check(len(summaries) == 2, "alarm history: query", text)
    return summaries


def check_error_logs(found):
    events = AWS["logs"].filter_log_events(logGroupName="/ecs/checkout", filterPattern="ERROR")["events"]
    per_minute = collections.Counter(e["timestamp"] // 60000 * 60 for e in events)
    first = min(t["createdAt"] for t in found).timestamp()
    check(len(events) == 3 * 13 and all(" ERROR " in e["message"] for e in events), "logs: ERROR lines", len(events))
    check(min(per_minute) >= first // 60 * 60 and sum(per_minute.values()) == len(events), "logs: during the incident", per_minute)
    streams = {e["logStreamName"] for e in events}
    check(streams == {f"ecs/app/{t['taskArn'].split('/')[-1]}" for t in found}, "logs: one stream per task", streams)
    SAW["error_lines_per_minute"] = [per_minute[k] for k in sorted(per_minute)]


# --- Logs Insights over the incident's error lines (logs_insights.py) -------------------------

INSIGHTS_QUERY = ("fields @timestamp | filter @message like /(?i)(error|fatal|critical|panic|exception)/ "
                  "| stats count(*) as errors by bin(1m)")


def check_insights(found):
    """The app's per-minute error count over the incident's window, and over its first half,
    against the ERROR lines FilterLogEvents finds there; Running before Complete. The incident
    lasts under a minute, so 10-second bins check the binning too."""
    start = int(min(t["createdAt"] for t in found).timestamp())
    end = int(max(t["stoppedAt"] for t in found).timestamp())
    whole = check_insights_window(start, end, "whole")
    half = check_insights_window(start, (start + end) // 2, "first half")
    check(0 < sum(half.values()) < sum(whole.values()), "insights: the half window counts fewer", (half, whole))
    tens = check_insights_window(start, end, "10s bins", secs=10)
    check(len(tens) > 1 and sum(tens.values()) == sum(whole.values()), "insights: 10s bins", tens)
    SAW["insights"] = {"window": [start, end], "errors_per_minute": whole, "first_half": sum(half.values()),
                       "errors_per_10s": list(tens.values())}
    check_insights_errors()
    check_insights_other_queries()


def check_insights_window(start, end, what, secs=60):
    field = "bin(1m)" if secs == 60 else f"bin({secs}s)"
    expected = error_lines_per_bin(start, end, secs)
    query_id = AWS["logs"].start_query(logGroupName="/ecs/checkout", startTime=start, endTime=end,
                                       queryString=INSIGHTS_QUERY.replace("bin(1m)", field))["queryId"]
    first = AWS["logs"].get_query_results(queryId=query_id)
    check(first["status"] == "Running" and first["results"] == [], f"insights {what}: Running first", first)
    done = AWS["logs"].get_query_results(queryId=query_id)
    check(done["status"] == "Complete", f"insights {what}: then Complete", done)
    rows = [{f["field"]: f["value"] for f in row} for row in done["results"]]
    check(all(list(r) == [field, "errors"] for r in rows), f"insights {what}: row fields", rows)
    counts = {r[field]: int(r["errors"]) for r in rows}
    check(list(counts) == sorted(counts) and counts == expected, f"insights {what}: per bin", (counts, expected))
    check(done["statistics"]["recordsMatched"] == sum(expected.values())
          and done["statistics"]["recordsScanned"] > done["statistics"]["recordsMatched"], f"insights {what}: statistics",
          done["statistics"])
    return counts


def error_lines_per_bin(start, end, secs):
    """FilterLogEvents' ERROR lines in start..end (seconds, inclusive), per bin of `secs`
    seconds, labelled as Insights labels its bins."""
    pages = AWS["logs"].get_paginator("filter_log_events").paginate(
        logGroupName="/ecs/checkout", filterPattern="ERROR", startTime=start * 1000, endTime=end * 1000 + 999)
    bins = collections.Counter(e["timestamp"] // (secs * 1000) * secs for page in pages for e in page["events"])
    return {_utc_label(at): n for at, n in sorted(bins.items())}


def _utc_label(epoch):
    return dt.datetime.fromtimestamp(epoch, tz=dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.000")


def insights_error(call, **kwargs):
    try:
        call(**kwargs)
    except AWS["logs"].exceptions.ClientError as error:
        return error.response["Error"]["Code"], error.response["Error"]["Message"]
    return None


def check_insights_errors():
    logs = AWS["logs"]
    missing = insights_error(logs.start_query, logGroupNames=["/ecs/checkout", "/ecs/nope"], startTime=0, endTime=60,
                             queryString=INSIGHTS_QUERY)
    check(missing == ("ResourceNotFoundException", "The specified log group does not exist."),
          "insights: missing group", missing)
    unknown = insights_error(logs.get_query_results, queryId="00000000-0000-0000-0000-000000000000")
    check(unknown and unknown[0] == "ResourceNotFoundException", "insights: unknown queryId", unknown)
    query_id = logs.start_query(logGroupIdentifiers=["arn:aws:logs:us-east-1:123456789012:log-group:/ecs/checkout:*"],
                                startTime=0, endTime=2 ** 31, queryString=INSIGHTS_QUERY)["queryId"]
    stopped = logs.stop_query(queryId=query_id)
    cancelled = logs.get_query_results(queryId=query_id)
    again = insights_error(logs.stop_query, queryId=query_id)
    check(stopped["success"] and cancelled["status"] == "Cancelled" and cancelled["results"] == []
          and again and again[0] == "InvalidParameterException", "insights: StopQuery", (stopped, cancelled, again))
    SAW["insights"]["errors"] = {"missing_group": missing[0], "unknown_query": unknown[0], "stop_again": again[0]}
    check_insights_denied()


def check_insights_denied():
    logs = AWS["logs"]
    post("/_ecsdeck/logs-insights/deny", {"deny": True})
    denied = insights_error(logs.start_query, logGroupName="/ecs/checkout", startTime=0, endTime=60,
                            queryString=INSIGHTS_QUERY)
    state = post("/_ecsdeck/logs-insights/deny", None, method="GET")
    post("/_ecsdeck/logs-insights/deny", {"deny": False})
    check(denied and denied[0] == "AccessDeniedException"
          and "is not authorized to perform: logs:StartQuery" in denied[1] and state == {"deny": True},
          "insights: denied", (denied, state))
    allowed = logs.start_query(logGroupName="/ecs/checkout", startTime=0, endTime=60, queryString=INSIGHTS_QUERY)
    check(bool(allowed.get("queryId")), "insights: allowed again", allowed)
    SAW["insights"]["denied"] = denied[1]


def check_insights_other_queries():
    """A query this subset does not know goes to moto as before."""
    query_id = AWS["logs"].start_query(logGroupName="/ecs/checkout", startTime=0, endTime=2 ** 31,
                                       queryString="fields @timestamp, @message | limit 3")["queryId"]
    answer = AWS["logs"].get_query_results(queryId=query_id)
    fields = {f["field"] for row in answer["results"] for f in row}
    check(answer["status"] == "Complete" and len(answer["results"]) == 3 and "@message" in fields,
          "insights: other queries to moto", answer)
    SAW["insights"]["moto_query_rows"] = len(answer["results"])


# --- Other failures and stops ----------------------------------------------------------------


def check_image_pull_and_container_health():
    pull = post("/_ecsdeck/incident/bad-deploy", {"cluster": CLUSTER, "service": "images", "failure": "image-pull"})
    worker = post("/_ecsdeck/incident/bad-deploy", {"cluster": CLUSTER, "service": "worker"})
    follow(pull["serviceDeploymentArn"], "images")
    follow(worker["serviceDeploymentArn"], "worker")
    pulled = stopped_tasks("images")
    check(len(pulled) == 3 and all(t["stopCode"] == "TaskFailedToStart" and t["stoppedReason"] ==
          "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref "
          "example/images:2.1: example/images:2.1: not found" and "startedAt" not in t
          and "exitCode" not in t["containers"][0] for t in pulled), "image-pull: tasks", pulled)
    unhealthy = stopped_tasks("worker")
    kinds = [t["stoppedReason"] for t in unhealthy]
    check(kinds == ["Essential container in task exited"] * 2 + ["Task failed container health checks"]
          and unhealthy[2]["containers"][0]["healthStatus"] == "UNHEALTHY", "container-health: tasks", kinds)
    messages = [e["message"] for e in svc("worker")["events"]]
    check(any(m.endswith(f"{unhealthy[2]['taskArn'].split('/')[-1]}) failed container health checks.") for m in messages),
          "container-health: event", messages)
    SAW["image_pull"] = pulled[0]["stoppedReason"]
    SAW["container_health"] = kinds


def check_stopped_mid_wave():
    """StopServiceDeployment while a wave runs: ECS stops the wave's tasks as it rolls back."""
    started = post("/_ecsdeck/incident/bad-deploy", {"cluster": CLUSTER, "service": "images", "failure": "image-pull"})
    for _ in range(10):
        live = post("/_ecsdeck/incident/incidents", None, method="GET")["incidents"][-1]["runningTasks"]
        if live:
            break
        advance(STEP)
    check(len(live) == 1, "mid-wave: a task pulling", live)
    AWS["ecs"].stop_service_deployment(serviceDeploymentArn=started["serviceDeploymentArn"], stopType="ROLLBACK")
    final, _, _ = follow(started["serviceDeploymentArn"], "images")
    task = AWS["ecs"].describe_tasks(cluster=CLUSTER, tasks=live)["tasks"][0]
    check(final["status"] == "ROLLBACK_SUCCESSFUL" and task["lastStatus"] == "STOPPED"
          and task["stopCode"] == "ServiceSchedulerInitiated"
          and task["stoppedReason"].startswith("Scaling activity initiated by (deployment ecs-svc/"), "mid-wave: stopped", task)
    SAW["mid_wave"] = task["stoppedReason"]


def check_stop_task(net):
    arns = [t["taskArn"] for t in AWS["ecs"].run_task(cluster=CLUSTER, taskDefinition="checkout:1", count=2,
                                                       launchType="FARGATE", networkConfiguration=net,
                                                       group="service:checkout")["tasks"]]
    spot = post("/_ecsdeck/incident/stop-task", {"cluster": CLUSTER, "task": arns[0], "cause": "spot"})
    user = post("/_ecsdeck/incident/stop-task", {"cluster": CLUSTER, "task": arns[1].split("/")[-1], "cause": "user"})
    again = control_error("/_ecsdeck/incident/stop-task", {"cluster": CLUSTER, "task": arns[1], "cause": "user"})
    described = {t["taskArn"]: t for t in AWS["ecs"].describe_tasks(cluster=CLUSTER, tasks=arns)["tasks"]}
    check(described[arns[0]]["stopCode"] == "SpotInterruption" and described[arns[0]]["stoppedReason"] ==
          "Your Spot Task was interrupted." and spot["stopCode"] == "SpotInterruption", "stop-task: spot", described[arns[0]])
    check(described[arns[1]]["stopCode"] == "UserInitiated" and described[arns[1]]["stoppedReason"] == "Task stopped by user"
          and described[arns[1]]["lastStatus"] == "STOPPED" and user["taskArn"] == arns[1], "stop-task: user", described[arns[1]])
    check(again[0] == 400, "stop-task: already stopped", again)
    SAW["stop_task"] = [spot["stopCode"], user["stopCode"], again]


def check_refusals():
    AWS["ecs"].create_service(cluster=CLUSTER, serviceName="plain", taskDefinition="worker:1", desiredCount=1,
                              launchType="FARGATE", networkConfiguration=NET)
    no_breaker = control_error("/_ecsdeck/incident/bad-deploy", {"cluster": CLUSTER, "service": "plain"})
    unknown = control_error("/_ecsdeck/incident/bad-deploy", {"cluster": CLUSTER, "service": "nobody"})
    bad_mode = control_error("/_ecsdeck/incident/bad-deploy", {"cluster": CLUSTER, "service": "checkout", "failure": "x"})
    check(no_breaker[0] == 400 and "deploymentCircuitBreaker" in no_breaker[1], "refusal: no circuit breaker", no_breaker)
    check(unknown[0] == 404 and bad_mode[0] == 400, "refusal: unknown service, unknown failure", (unknown, bad_mode))
    SAW["refusals"] = [no_breaker[0], unknown[0], bad_mode[0]]


def main():
    global ENDPOINT, AWS, NET
    process, ENDPOINT = start_emulator()
    try:
        AWS = clients()
        NET, tg = seed()
        started = check_bad_deploy(tg)
        found = check_stopped_tasks(started, tg)
        check_events(found)
        advance(2 * STAGE_SECS + STEP)  # the alarm back to OK, then the desired count back
        check_scaling()
        check_alarm_history()
        check_error_logs(found)
        check_insights(found)
        check_image_pull_and_container_health()
        check_stopped_mid_wave()
        check_stop_task(NET)
        check_refusals()
        print(json.dumps(dict(SAW, ok=True), default=str))
    finally:
        process.stdin.close()
        process.wait(timeout=10)


if __name__ == "__main__":
    main()
