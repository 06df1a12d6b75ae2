"""Checks the emulator's service deployments (deployments.py) against a running emulator, with
boto3 and a manual clock advanced a few seconds at a time: each strategy's stage sequence and
traffic steps, PAUSE hooks continued and rolled back, an alarm rollback during the bake time,
the exact bake time, a stop with ROLLBACK (and ABORT), superseding, service revisions with
their container images, and deploymentConfiguration returned intact by DescribeServices.

Usage: deployments_check.py ENDPOINT   (start the emulator first: aws_emulator.py --port 0)
Prints one JSON line with what it saw; exits 1 on any mismatch.
"""

import hashlib
import json
import sys
import urllib.request

import boto3
from botocore.exceptions import ClientError

ENDPOINT = sys.argv[1].rstrip("/")
CLUSTER = "check"
STAGE_SECS = 10
STEP = 5
ACTIVE = ("PENDING", "IN_PROGRESS", "ROLLBACK_IN_PROGRESS")
KEYS = {"region_name": "us-east-1", "endpoint_url": ENDPOINT,
        "aws_access_key_id": "AKIDTESTTESTTEST", "aws_secret_access_key": "test-secret"}
ecs = boto3.client("ecs", **KEYS)
cloudwatch = boto3.client("cloudwatch", **KEYS)
SAW = {}


def check(condition, what, detail=None):
    if not condition:
        print(json.dumps({"failed": what, "detail": detail, "saw": SAW}, default=str))
        sys.exit(1)


def control(name, body):
    request = urllib.request.Request(f"{ENDPOINT}/_ecsdeck/deployments/{name}", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request) as reply:
        return json.loads(reply.read())


def advance(secs):
    return control("clock", {"advanceSecs": secs})["now"]


def raw_ecs(operation, body):
    """An ECS call as any SDK sends it, unknown members included (boto3 would drop them)."""
    request = urllib.request.Request(ENDPOINT + "/", data=json.dumps(body).encode(), method="POST", headers={
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": f"AmazonEC2ContainerServiceV20141113.{operation}",
        "Authorization": "AWS4-HMAC-SHA256 Credential=AKIDTESTTESTTEST/20260101/us-east-1/ecs/aws4_request, "
                         "SignedHeaders=host, Signature=0",
    })
    with urllib.request.urlopen(request) as reply:
        return json.loads(reply.read())


def error_code(call, **kwargs):
    try:
        call(**kwargs)
    except ClientError as error:
        return error.response["Error"]["Code"]
    return None


def describe(arn):
    return ecs.describe_service_deployments(serviceDeploymentArns=[arn])["serviceDeployments"][0]


def service(name):
    return ecs.describe_services(cluster=CLUSTER, services=[name])["services"][0]


def latest(name):
    return ecs.list_service_deployments(cluster=CLUSTER, service=name)["serviceDeployments"][0]["serviceDeploymentArn"]


def create(name, config, task_definition="web:1", desired=2):
    ecs.create_service(cluster=CLUSTER, serviceName=name, taskDefinition=task_definition, desiredCount=desired,
                       deploymentConfiguration=config)


def deploy(name, task_definition="web:2"):
    ecs.update_service(cluster=CLUSTER, service=name, taskDefinition=task_definition)
    return latest(name)


def follow(arn, until=None, limit=3600):
    """Advances STEP seconds at a time until the deployment ends (or `until`), recording the
    stages, the production weights and the counts seen after SCALE_UP."""
    stages, weights, counts = [], [], []
    for _ in range(limit // STEP):
        d = describe(arn)
        stage = d.get("lifecycleStage")
        if not stages or stages[-1] != stage:
            stages.append(stage)
            target = d["targetServiceRevision"]
            counts.append((stage, target["runningTaskCount"], [s["runningTaskCount"] for s in d["sourceServiceRevisions"]]))
        weight = d["targetServiceRevision"]["requestedProductionTrafficWeight"]
        if not weights or weights[-1] != weight:
            weights.append(weight)
        if (until and until(d)) or d["status"] not in ACTIVE:
            return d, stages, weights, counts
        advance(STEP)
    check(False, "deployment never ended", arn)


ROLLING = ["PRE_SCALE_UP", "SCALE_UP", "POST_SCALE_UP", "PRODUCTION_TRAFFIC_SHIFT",
           "POST_PRODUCTION_TRAFFIC_SHIFT", "CLEAN_UP"]
TRAFFIC = ["PRE_SCALE_UP", "SCALE_UP", "POST_SCALE_UP", "TEST_TRAFFIC_SHIFT", "POST_TEST_TRAFFIC_SHIFT",
           "PRODUCTION_TRAFFIC_SHIFT", "POST_PRODUCTION_TRAFFIC_SHIFT", "BAKE_TIME", "CLEAN_UP"]


def check_strategies():
    cases = {
        "rolling": ({"strategy": "ROLLING"}, ROLLING, [0.0, 100.0]),
        "bluegreen": ({"strategy": "BLUE_GREEN", "bakeTimeInMinutes": 1}, TRAFFIC, [0.0, 100.0]),
        "linear": ({"strategy": "LINEAR", "bakeTimeInMinutes": 1,
                    "linearConfiguration": {"stepPercent": 25.0, "stepBakeTimeInMinutes": 1}},
                   TRAFFIC, [0.0, 25.0, 50.0, 75.0, 100.0]),
        "canary": ({"strategy": "CANARY", "bakeTimeInMinutes": 1,
                    "canaryConfiguration": {"canaryPercent": 10.0, "canaryBakeTimeInMinutes": 1}},
                   TRAFFIC, [0.0, 10.0, 100.0]),
    }
    for name, (config, expected_stages, expected_weights) in cases.items():
        create(name, config)
        arn = deploy(name)
        during = service(name)["deployments"]
        check([(d["status"], d["rolloutState"]) for d in during] == [("PRIMARY", "IN_PROGRESS"), ("ACTIVE", "COMPLETED")],
              f"{name}: DescribeServices deployments during", during)
        final, stages, weights, counts = follow(arn)
        SAW[name] = {"stages": stages, "weights": weights}
        check(final["status"] == "SUCCESSFUL", f"{name}: status", final)
        check(stages == expected_stages, f"{name}: stage sequence", stages)
        check(weights == expected_weights, f"{name}: production weights", weights)
        after_scale_up = dict((c[0], c) for c in counts)["POST_SCALE_UP"]
        check(after_scale_up[1] == 2, f"{name}: running = desired after SCALE_UP", counts)
        check(all(s["runningTaskCount"] == 0 for s in final["sourceServiceRevisions"]), f"{name}: sources drained", final)
        after = service(name)
        check([(d["status"], d["rolloutState"]) for d in after["deployments"]] == [("PRIMARY", "COMPLETED")],
              f"{name}: DescribeServices deployments after", after["deployments"])
        check(after["taskDefinition"].endswith(":task-definition/web:2"), f"{name}: task definition ARN", after)
        check(final["deploymentCircuitBreaker"]["status"] == "DISABLED", f"{name}: circuit breaker", final)
    events = [e["message"] for e in service("rolling")["events"]]
    SAW["rolling"]["events"] = events
    check(any("deployment completed" in m for m in events), "rolling: events", events)


def pause_config():
    return {"strategy": "BLUE_GREEN", "lifecycleHooks": [
        {"targetType": "PAUSE", "lifecycleStages": ["POST_TEST_TRAFFIC_SHIFT"],
         "timeoutConfiguration": {"timeoutInMinutes": 30, "action": "ROLLBACK"}}]}


def wait_for_pause(name):
    create(name, pause_config())
    arn = deploy(name)
    d, _, _, _ = follow(arn, until=lambda d: d.get("lifecycleStage") == "POST_TEST_TRAFFIC_SHIFT")
    advance(600)  # ten minutes on: still waiting
    d = describe(arn)
    check(d["lifecycleStage"] == "POST_TEST_TRAFFIC_SHIFT" and d["status"] == "IN_PROGRESS", f"{name}: waits", d)
    hooks = d["lifecycleHookDetails"]
    check(len(hooks) == 1 and hooks[0]["status"] == "AWAITING_ACTION" and hooks[0]["targetType"] == "PAUSE"
          and hooks[0]["timeoutAction"] == "ROLLBACK", f"{name}: hook awaiting", hooks)
    wrong = error_code(ecs.continue_service_deployment, serviceDeploymentArn=arn, hookId="nope", action="CONTINUE")
    check(wrong == "InvalidParameterException", f"{name}: wrong hook id", wrong)
    return arn, hooks[0]["hookId"]


def check_pause_continue():
    arn, hook_id = wait_for_pause("paused")
    ecs.continue_service_deployment(serviceDeploymentArn=arn, hookId=hook_id, action="CONTINUE")
    d = describe(arn)
    check(d["lifecycleStage"] == "PRODUCTION_TRAFFIC_SHIFT", "paused: moves on after CONTINUE", d)
    again = error_code(ecs.continue_service_deployment, serviceDeploymentArn=arn, hookId=hook_id, action="CONTINUE")
    check(again == "InvalidParameterException", "paused: not waiting any more", again)
    final, stages, _, _ = follow(arn)
    check(final["status"] == "SUCCESSFUL", "paused: succeeds", final)
    SAW["pause_continue"] = {"after_continue": stages, "status": final["status"]}


def check_pause_rollback():
    arn, hook_id = wait_for_pause("vetoed")
    ecs.continue_service_deployment(serviceDeploymentArn=arn, hookId=hook_id, action="ROLLBACK")
    d = describe(arn)
    check(d["status"] == "ROLLBACK_IN_PROGRESS", "vetoed: rolling back", d)
    check(d["lifecycleHookDetails"][0]["status"] == "FAILED", "vetoed: hook FAILED", d)
    check(hook_id in d["rollback"]["reason"], "vetoed: reason names the hook", d["rollback"])
    final, _, _, _ = follow(arn)
    svc = service("vetoed")
    check(final["status"] == "ROLLBACK_SUCCESSFUL" and "finishedAt" in final, "vetoed: rolled back", final)
    check(final["rollback"]["serviceRevisionArn"] == final["sourceServiceRevisions"][0]["arn"], "vetoed: to source", final)
    check(svc["taskDefinition"].endswith("web:1"), "vetoed: service back on web:1", svc["taskDefinition"])
    primary = svc["deployments"]
    check(len(primary) == 1 and primary[0]["rolloutState"] == "COMPLETED" and "rolled back" in primary[0]["rolloutStateReason"]
          and primary[0]["taskDefinition"].endswith("web:1"), "vetoed: DescribeServices after", primary)
    SAW["pause_rollback"] = {"status": final["status"], "reason": final["rollback"]["reason"],
                             "rolloutStateReason": primary[0]["rolloutStateReason"]}


def check_hook_timeouts():
    seen = {}
    for action in ("CONTINUE", "ROLLBACK"):
        name = f"timeout-{action.lower()}"
        create(name, {"strategy": "BLUE_GREEN", "lifecycleHooks": [
            {"targetType": "PAUSE", "lifecycleStages": ["PRE_SCALE_UP"],
             "timeoutConfiguration": {"timeoutInMinutes": 1, "action": action}}]})
        arn = deploy(name)
        d = describe(arn)
        hook = d["lifecycleHookDetails"][0]
        check(d["lifecycleStage"] == "PRE_SCALE_UP" and hook["status"] == "AWAITING_ACTION"
              and abs((hook["expiresAt"] - d["startedAt"]).total_seconds() - 60) < 0.01, f"{name}: waiting", d)
        advance(59)
        check(describe(arn)["lifecycleStage"] == "PRE_SCALE_UP", f"{name}: still waiting at 59 s")
        advance(1)
        d = describe(arn)
        if action == "CONTINUE":
            check(d["status"] == "IN_PROGRESS" and d["lifecycleStage"] == "SCALE_UP", f"{name}: moved on", d)
        else:
            check(d["status"] == "ROLLBACK_IN_PROGRESS" and d["lifecycleHookDetails"][0]["status"] == "TIMED_OUT"
                  and hook["hookId"] in d["rollback"]["reason"], f"{name}: rolled back", d)
        seen[action] = (d["status"], d["lifecycleStage"])
    SAW["hook_timeouts"] = seen


def check_alarm_rollback():
    cloudwatch.put_metric_alarm(AlarmName="check-5xx", MetricName="HTTPCode_Target_5XX_Count", Namespace="AWS/ApplicationELB",
                                Statistic="Sum", Period=60, EvaluationPeriods=1, Threshold=1,
                                ComparisonOperator="GreaterThanOrEqualToThreshold")
    create("alarmed", {"strategy": "BLUE_GREEN", "bakeTimeInMinutes": 5,
                       "alarms": {"alarmNames": ["check-5xx"], "enable": True, "rollback": True}})
    arn = deploy("alarmed")
    d, _, _, _ = follow(arn, until=lambda d: d.get("lifecycleStage") == "BAKE_TIME")
    check(d["alarms"]["status"] == "MONITORING", "alarmed: monitoring", d["alarms"])
    advance(60)
    cloudwatch.set_alarm_state(AlarmName="check-5xx", StateValue="ALARM", StateReason="check")
    advance(STEP)
    d = describe(arn)
    check(d["status"] == "ROLLBACK_IN_PROGRESS" and d["alarms"]["status"] == "TRIGGERED"
          and d["alarms"]["triggeredAlarmNames"] == ["check-5xx"] and "check-5xx" in d["rollback"]["reason"],
          "alarmed: rolls back", d)
    final, _, _, _ = follow(arn)
    check(final["status"] == "ROLLBACK_SUCCESSFUL", "alarmed: rolled back", final)
    cloudwatch.set_alarm_state(AlarmName="check-5xx", StateValue="OK", StateReason="check")
    SAW["alarm"] = {"stage": final["lifecycleStage"], "alarms": final["alarms"], "reason": final["rollback"]["reason"]}


def check_bake_countdown():
    create("baking", {"strategy": "BLUE_GREEN", "bakeTimeInMinutes": 2})
    arn = deploy("baking")
    d, _, _, _ = follow(arn, until=lambda d: d.get("lifecycleStage") == "BAKE_TIME")
    entered = d["updatedAt"].timestamp()
    now = advance(0)
    now = advance(entered + 120 - 0.01 - now)
    check(describe(arn)["lifecycleStage"] == "BAKE_TIME", "baking: still baking just before 2 minutes", now - entered)
    now = advance(0.02)
    d = describe(arn)
    check(d["lifecycleStage"] == "CLEAN_UP", "baking: cleaned up at 2 minutes", d.get("lifecycleStage"))
    SAW["bake"] = {"bakedSecs": round(now - entered, 3)}


def check_stop():
    create("stopped", {"strategy": "ROLLING"})
    arn = deploy("stopped")
    follow(arn, until=lambda d: d.get("lifecycleStage") == "SCALE_UP")
    ecs.stop_service_deployment(serviceDeploymentArn=arn, stopType="ROLLBACK")
    d = describe(arn)
    check(d["status"] == "ROLLBACK_IN_PROGRESS"
          and d["rollback"]["reason"] == "Service deployment rolled back because of a stop request", "stop: rolling back", d)
    rolling_back = service("stopped")["deployments"]
    check(rolling_back[0]["status"] == "PRIMARY" and "rolling back" in rolling_back[0]["rolloutStateReason"]
          and rolling_back[1]["rolloutState"] == "FAILED", "stop: DescribeServices while rolling back", rolling_back)
    final, _, _, _ = follow(arn)
    check(final["status"] == "ROLLBACK_SUCCESSFUL", "stop: rolled back", final)
    check(service("stopped")["taskDefinition"].endswith("web:1"), "stop: service back on web:1")
    again = error_code(ecs.stop_service_deployment, serviceDeploymentArn=arn, stopType="ROLLBACK")
    check(again == "InvalidParameterException", "stop: a finished deployment can't be stopped", again)
    aborted = deploy("stopped", "web:3")
    ecs.stop_service_deployment(serviceDeploymentArn=aborted, stopType="ABORT")
    check(describe(aborted)["status"] == "STOPPED", "stop: ABORT stops", describe(aborted))
    unknown = error_code(ecs.stop_service_deployment, serviceDeploymentArn=arn + "x", stopType="ROLLBACK")
    check(unknown == "ServiceDeploymentNotFoundException", "stop: unknown ARN", unknown)
    SAW["stop"] = {"status": final["status"], "reason": final["rollback"]["reason"], "again": again, "abort": "STOPPED"}


def check_supersede_and_revisions():
    create("busy", {"strategy": "ROLLING"})
    first = deploy("busy", "web:2")
    advance(STEP)
    second = deploy("busy", "web:3")
    old, new = describe(first), describe(second)
    check(old["status"] == "STOPPED" and old["statusReason"] == "superseded by a newer deployment", "busy: superseded", old)
    check(len(new["sourceServiceRevisions"]) == 2 and new["lifecycleStage"] == "RECONCILE_SERVICE", "busy: two sources", new)
    ecs.update_service(cluster=CLUSTER, service="busy", desiredCount=3)
    ecs.update_service(cluster=CLUSTER, service="busy", deploymentConfiguration={"strategy": "ROLLING", "maximumPercent": 150})
    check(latest("busy") == second, "busy: desired count / configuration alone start none")
    listed = ecs.list_service_deployments(cluster=CLUSTER, service="busy")["serviceDeployments"]
    check([d["status"] for d in listed] == ["IN_PROGRESS", "STOPPED", "SUCCESSFUL"], "busy: newest first", listed)
    page = ecs.list_service_deployments(cluster=CLUSTER, service="busy", maxResults=2)
    rest = ecs.list_service_deployments(cluster=CLUSTER, service="busy", maxResults=2, nextToken=page["nextToken"])
    check([d["serviceDeploymentArn"] for d in page["serviceDeployments"] + rest["serviceDeployments"]]
          == [d["serviceDeploymentArn"] for d in listed] and "nextToken" not in rest, "busy: pages", (page, rest))
    # (The createdAt filter is not checked: boto3 sends the bound at a coarser precision than
    # the emulator keeps, so an exact "after this deployment" bound is flaky.)
    gone = error_code(ecs.list_service_deployments, cluster=CLUSTER, service="nobody")
    check(gone == "ServiceNotFoundException", "busy: unknown service", gone)
    stopped = ecs.list_service_deployments(cluster=CLUSTER, service="busy", status=["STOPPED"])["serviceDeployments"]
    check([d["serviceDeploymentArn"] for d in stopped] == [first], "busy: status filter", stopped)
    arns = [s["arn"] for s in new["sourceServiceRevisions"]] + [new["targetServiceRevision"]["arn"]]
    answer = ecs.describe_service_revisions(serviceRevisionArns=arns + [arns[0] + "0"])
    images = [[(c["containerName"], c["image"], c["imageDigest"]) for c in r["containerImages"]] for r in answer["serviceRevisions"]]
    expected = [[("app", f"nginx:1.{n}", "sha256:" + hashlib.sha256(f"nginx:1.{n}".encode()).hexdigest()),
                 ("sidecar", "envoy:1", "sha256:" + hashlib.sha256(b"envoy:1").hexdigest())] for n in (1, 2, 3)]
    check(images == expected, "revisions: container images", images)
    check([r["taskDefinition"].split("/")[-1] for r in answer["serviceRevisions"]] == ["web:1", "web:2", "web:3"],
          "revisions: task definitions", answer["serviceRevisions"])
    check(answer["failures"] == [{"arn": arns[0] + "0", "reason": "MISSING"}], "revisions: failures", answer["failures"])
    SAW["supersede"] = {"old": old["statusReason"], "sources": len(new["sourceServiceRevisions"]),
                        "firstStage": new["lifecycleStage"], "images": [r[0][1] for r in images]}


FULL_CONFIG = {
    "strategy": "CANARY", "bakeTimeInMinutes": 7, "maximumPercent": 200, "minimumHealthyPercent": 100,
    "canaryConfiguration": {"canaryPercent": 12.5, "canaryBakeTimeInMinutes": 3},
    "deploymentCircuitBreaker": {"enable": True, "rollback": True},
    "alarms": {"alarmNames": ["a", "b"], "enable": True, "rollback": False},
    "lifecycleHooks": [
        {"targetType": "AWS_LAMBDA", "hookTargetArn": "arn:aws:lambda:us-east-1:123456789012:function:hook",
         "roleArn": "arn:aws:iam::123456789012:role/hooks", "lifecycleStages": ["PRE_SCALE_UP", "BAKE_TIME"],
         "hookDetails": {"team": "web", "checks": [1, 2]},
         "timeoutConfiguration": {"timeoutInMinutes": 20, "action": "CONTINUE"}},
        {"targetType": "PAUSE", "lifecycleStages": ["POST_TEST_TRAFFIC_SHIFT"]},
    ],
}


def check_configuration_intact():
    create("configured", FULL_CONFIG)
    created = service("configured")["deploymentConfiguration"]
    check(created == FULL_CONFIG, "config: after CreateService", created)
    smaller = {"strategy": "LINEAR", "linearConfiguration": {"stepPercent": 20.0, "stepBakeTimeInMinutes": 0}}
    ecs.update_service(cluster=CLUSTER, service="configured", deploymentConfiguration=smaller)
    updated = service("configured")["deploymentConfiguration"]
    check(updated == smaller, "config: UpdateService replaces it whole", updated)
    future = dict(FULL_CONFIG, futureField={"x": 1}, alarms=dict(FULL_CONFIG["alarms"], newFlag=True))
    raw_ecs("UpdateService", {"cluster": CLUSTER, "service": "configured", "deploymentConfiguration": future})
    raw = raw_ecs("DescribeServices", {"cluster": CLUSTER, "services": ["configured"]})["services"][0]
    check(raw["deploymentConfiguration"] == future, "config: unknown members kept", raw["deploymentConfiguration"])
    lambda_deploy = describe(deploy("configured"))
    hooks = lambda_deploy["lifecycleHookDetails"]
    check(lambda_deploy["lifecycleStage"] == "PRE_SCALE_UP" and len(hooks) == 1 and hooks[0]["status"] == "IN_PROGRESS"
          and hooks[0]["targetType"] == "AWS_LAMBDA", "config: lambda hook at PRE_SCALE_UP", lambda_deploy)
    check(lambda_deploy["deploymentCircuitBreaker"] == {"status": "MONITORING", "failureCount": 0, "threshold": 10},
          "config: circuit breaker monitoring", lambda_deploy["deploymentCircuitBreaker"])
    SAW["config"] = {"created": "intact", "updated": "replaced", "unknown": "kept", "lambdaHook": hooks[0]["status"]}


def setup():
    control("clock", {"mode": "manual"})
    control("speed", {"stageSecs": STAGE_SECS})
    ecs.create_cluster(clusterName=CLUSTER)
    for n in (1, 2, 3):
        ecs.register_task_definition(family="web", containerDefinitions=[
            {"name": "app", "image": f"nginx:1.{n}", "memory": 128},
            {"name": "sidecar", "image": "envoy:1", "memory": 64}])


def main():
    setup()
    check_configuration_intact()
    check_strategies()
    check_pause_continue()
    check_pause_rollback()
    check_hook_timeouts()
    check_alarm_rollback()
    check_bake_countdown()
    check_stop()
    check_supersede_and_revisions()
    print(json.dumps(dict(SAW, ok=True)))


if __name__ == "__main__":
    main()
