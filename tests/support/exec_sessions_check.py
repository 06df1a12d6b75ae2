"""Checks the emulator's ECS Exec and SSM sessions (exec_sessions.py) through the real AWS
APIs with boto3: it starts the emulator itself on a free port, then

  * a Fargate service without exec: its task has runtime ids but no agent, ExecuteCommand
    is ECS's InvalidParameterException; turning exec on (UpdateService) shows on the
    service, and a task started after it has enableExecuteCommand, platform 1.4.0 and a
    RUNNING ExecuteCommandAgent;
  * ExecuteCommand answers a session (id, wss stream URL, token); an unknown container and
    task are refused; the agent control (STOPPED with a reason) refuses exec again;
  * SSM StartSession on the container's target with a port-forwarding document answers a
    session; a wrong runtime id is TargetNotConnected; TerminateSession marks it ended; the
    sessions list holds no token;
  * IAM SimulatePrincipalPolicy: a role allowing ssmmessages:* is allowed each action, a role
    without it implicitly denied, a Deny statement explicitly denied; the deny control makes
    the call AccessDenied.

Usage: .venv/bin/python tests/support/exec_sessions_check.py
Prints one JSON line with what it saw; exits 1 with {"failed": ...} on any mismatch.
"""

import json
import os
import subprocess
import sys
import urllib.request

import boto3
import botocore.exceptions

HERE = os.path.dirname(os.path.abspath(__file__))
SAW = {}
ACTIONS = ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
           "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"]


def check(condition, what, detail=None):
    if not condition:
        print(json.dumps({"failed": what, "detail": detail, "saw": SAW}, default=str))
        sys.exit(1)


def start_emulator():
    process = subprocess.Popen([sys.executable, os.path.join(HERE, "aws_emulator.py"), "--port", "0"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=None if os.environ.get("EMULATOR_STDERR") else subprocess.DEVNULL, text=True)
    line = process.stdout.readline().strip()
    check(line.startswith("READY "), "emulator did not start", line)
    return process, f"http://127.0.0.1:{line.split()[1]}"


def control(endpoint, name, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"{endpoint}/_ecsdeck/exec/{name}", data=data,
                                     method="GET" if body is None else "POST")
    with urllib.request.urlopen(request) as answer:
        return json.loads(answer.read())


def error_code(call):
    try:
        call()
    except botocore.exceptions.ClientError as error:
        return error.response["Error"]["Code"]
    return None


def seed(ec2, ecs):
    vpc = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
    subnet = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"][0]["SubnetId"]
    group = ec2.create_security_group(GroupName="exec", Description="exec", VpcId=vpc)["GroupId"]
    ecs.create_cluster(clusterName="prod")
    ecs.register_task_definition(
        family="api", networkMode="awsvpc", requiresCompatibilities=["FARGATE"], cpu="256", memory="512",
        taskRoleArn="arn:aws:iam::123456789012:role/api-task",
        containerDefinitions=[{"name": "web", "image": "web:1", "memory": 512}, {"name": "sidecar", "image": "s:1", "memory": 64}])
    network = {"awsvpcConfiguration": {"subnets": [subnet], "securityGroups": [group]}}
    ecs.create_service(cluster="prod", serviceName="api", taskDefinition="api", desiredCount=0,
                       launchType="FARGATE", networkConfiguration=network)
    return network


def run_task(ecs, network):
    arn = ecs.run_task(cluster="prod", taskDefinition="api", launchType="FARGATE", group="service:api",
                       startedBy="ecs-svc/1", networkConfiguration=network)["tasks"][0]["taskArn"]
    return ecs.describe_tasks(cluster="prod", tasks=[arn])["tasks"][0]


def check_exec(endpoint, ecs, network):
    before = run_task(ecs, network)
    check(not before["enableExecuteCommand"], "a task of a service without exec has exec off", before)
    check(all(c.get("runtimeId") and not c.get("managedAgents") for c in before["containers"]),
          "runtime ids without agents", before["containers"])
    check(error_code(lambda: ecs.execute_command(cluster="prod", task=before["taskArn"], container="web",
                                                 interactive=True, command="/bin/sh")) == "InvalidParameterException",
          "exec refused while off")
    service = ecs.update_service(cluster="prod", service="api", enableExecuteCommand=True)["service"]
    check(service["enableExecuteCommand"], "UpdateService turns exec on", service)
    check(ecs.describe_services(cluster="prod", services=["api"])["services"][0]["enableExecuteCommand"],
          "DescribeServices says exec is on")
    task = run_task(ecs, network)
    agents = [c["managedAgents"][0]["lastStatus"] for c in task["containers"]]
    check(task["enableExecuteCommand"] and agents and set(agents) == {"RUNNING"}, "a new task has exec and agents", task)
    check(task.get("platformVersion") == "1.4.0", "Fargate platform 1.4.0", task.get("platformVersion"))
    answer = ecs.execute_command(cluster="prod", task=task["taskArn"], container="web", interactive=True,
                                 command="/bin/sh")
    session = answer["session"]
    check(session["streamUrl"].startswith("wss://ssmmessages.us-east-1.amazonaws.com/v1/data-channel/")
          and session["tokenValue"] and answer["containerName"] == "web", "a session", answer)
    check(error_code(lambda: ecs.execute_command(cluster="prod", task=task["taskArn"], container="nope",
                                                 interactive=True, command="sh")) == "InvalidParameterException",
          "an unknown container is refused")
    check(error_code(lambda: ecs.execute_command(cluster="prod", task="0" * 32, container="web",
                                                 interactive=True, command="sh")) == "InvalidParameterException",
          "an unknown task is refused")
    SAW["exec"] = {"sessionId": session["sessionId"], "before": before["enableExecuteCommand"]}
    return task


def check_agent_control(endpoint, ecs, task):
    control(endpoint, "agent", {"task": task["taskArn"], "container": "web", "status": "STOPPED",
                                "reason": "Unable to reach ssmmessages"})
    described = ecs.describe_tasks(cluster="prod", tasks=[task["taskArn"]])["tasks"][0]
    web = next(c for c in described["containers"] if c["name"] == "web")
    check(web["managedAgents"][0] == {**web["managedAgents"][0], "lastStatus": "STOPPED",
                                      "reason": "Unable to reach ssmmessages"}, "the agent stopped", web)
    check(error_code(lambda: ecs.execute_command(cluster="prod", task=task["taskArn"], container="web",
                                                 interactive=True, command="sh")) == "InvalidParameterException",
          "exec refused with the agent stopped")
    control(endpoint, "agent", {"task": task["taskArn"], "status": "RUNNING"})
    control(endpoint, "agent", {"task": task["taskArn"], "container": "web", "status": "RUNNING"})


def check_ssm(endpoint, ssm, task):
    web = next(c for c in task["containers"] if c["name"] == "web")
    target = f"ecs:prod_{task['taskArn'].rsplit('/', 1)[-1]}_{web['runtimeId']}"
    answer = ssm.start_session(Target=target, DocumentName="AWS-StartPortForwardingSessionToRemoteHost",
                               Parameters={"host": ["db.internal"], "portNumber": ["5432"], "localPortNumber": ["15432"]})
    check(answer["SessionId"] and answer["TokenValue"] and answer["StreamUrl"].startswith("wss://"), "SSM session", answer)
    check(error_code(lambda: ssm.start_session(Target=target + "x", DocumentName="AWS-StartPortForwardingSession",
                                               Parameters={"portNumber": ["80"]})) == "TargetNotConnected",
          "a wrong runtime id is not connected")
    ssm.terminate_session(SessionId=answer["SessionId"])
    sessions = control(endpoint, "sessions")["sessions"]
    forward = next(s for s in sessions if s["sessionId"] == answer["SessionId"])
    check(forward["terminated"] and forward["parameters"]["host"] == ["db.internal"], "the forward ended", forward)
    check("AAEAA" not in json.dumps(sessions), "no token in the sessions list", sessions)
    SAW["sessions"] = len(sessions)


def check_iam(endpoint, iam):
    trust = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                                 "Principal": {"Service": "ecs-tasks.amazonaws.com"}}]})
    allowed = iam.create_role(RoleName="api-task", AssumeRolePolicyDocument=trust)["Role"]["Arn"]
    iam.put_role_policy(RoleName="api-task", PolicyName="exec", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ssmmessages:*", "Resource": "*"}]}))
    bare = iam.create_role(RoleName="bare-task", AssumeRolePolicyDocument=trust)["Role"]["Arn"]
    denied = iam.create_role(RoleName="denied-task", AssumeRolePolicyDocument=trust)["Role"]["Arn"]
    iam.put_role_policy(RoleName="denied-task", PolicyName="mixed", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "ssmmessages:*", "Resource": "*"},
            {"Effect": "Deny", "Action": "ssmmessages:OpenDataChannel", "Resource": "*"}]}))

    def decisions(arn):
        results = iam.simulate_principal_policy(PolicySourceArn=arn, ActionNames=ACTIONS)["EvaluationResults"]
        return [r["EvalDecision"] for r in results]

    check(decisions(allowed) == ["allowed"] * 4, "a role with ssmmessages:* is allowed", decisions(allowed))
    check(decisions(bare) == ["implicitDeny"] * 4, "a bare role is denied", decisions(bare))
    check(decisions(denied)[3] == "explicitDeny", "a Deny wins", decisions(denied))
    control(endpoint, "simulate", {"deny": True})
    check(error_code(lambda: decisions(allowed)) == "AccessDenied", "the deny control")
    control(endpoint, "simulate", {"deny": False})
    SAW["iam"] = decisions(denied)


def main():
    process, endpoint = start_emulator()
    kwargs = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="AKIDTESTTESTTEST",
                  aws_secret_access_key="secret")
    ecs = boto3.client("ecs", **kwargs)
    # Tasks stay where they are (moto moves them one step per DescribeTasks otherwise).
    urllib.request.urlopen(urllib.request.Request(
        f"{endpoint}/moto-api/state-manager/set-transition", method="POST", data=json.dumps(
            {"model_name": "ecs::task", "transition": {"progression": "manual", "times": 1000000}}).encode()))
    try:
        network = seed(boto3.client("ec2", **kwargs), ecs)
        task = check_exec(endpoint, ecs, network)
        check_ssm(endpoint, boto3.client("ssm", **kwargs), task)
        check_agent_control(endpoint, ecs, task)
        check_iam(endpoint, boto3.client("iam", **kwargs))
    finally:
        process.stdin.close()
        process.wait(timeout=10)
    print(json.dumps({"ok": True, "saw": SAW}))


if __name__ == "__main__":
    main()
