#!/usr/bin/env python3
"""Seed the demo's fleet: a second region of the demo account and a second account.

Usage: seed_fleet_demo.py --endpoint http://127.0.0.1:PORT

moto keeps one state per account: keys made with IAM inside an account (CreateAccessKey
with the x-moto-account-id header) act in that account. The demo account (123456789012,
profile "demo") gets eu-west-1: cluster prod-eu with three services, one of them with an
alarm in ALARM. Account 210987654321 (profile "demo-staging") gets us-east-1 and eu-west-1:
cluster staging with services on newer images, one on EC2 in a cluster with no container
instance (no capacity). Prints the second account's keys as `KEY SECRET` on stdout.
"""

import argparse

import boto3
from botocore.config import Config

DEMO_ACCOUNT = "123456789012"
STAGING_ACCOUNT = "210987654321"
CONFIG = Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=5, read_timeout=30)


def keys_in(endpoint, account):
    """An IAM user's keys in `account`."""
    iam = boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1", config=CONFIG,
                       aws_access_key_id="demo", aws_secret_access_key="demo")

    def in_account(request, **_):
        request.headers["x-moto-account-id"] = account

    iam.meta.events.register("before-sign.iam.*", in_account)
    iam.create_user(UserName="fleet-demo")
    key = iam.create_access_key(UserName="fleet-demo")["AccessKey"]
    return key["AccessKeyId"], key["SecretAccessKey"]


def cluster(endpoint, region, keys, name, services):
    """Cluster `name` with services (name, image, launch type, desired)."""
    ecs = boto3.client("ecs", endpoint_url=endpoint, region_name=region, config=CONFIG,
                       aws_access_key_id=keys[0], aws_secret_access_key=keys[1])
    ecs.create_cluster(clusterName=name)
    for service, image, launch, desired in services:
        family = image.rsplit("/", 1)[-1].split(":")[0]
        arn = ecs.register_task_definition(
            family=family, requiresCompatibilities=[launch], cpu="256", memory="512",
            networkMode="awsvpc",
            containerDefinitions=[{"name": family, "image": image, "essential": True}],
        )["taskDefinition"]["taskDefinitionArn"]
        ecs.create_service(cluster=name, serviceName=service, taskDefinition=arn,
                           desiredCount=desired, launchType=launch)


def firing_alarm(endpoint, region, keys, cluster_name, service):
    cw = boto3.client("cloudwatch", endpoint_url=endpoint, region_name=region, config=CONFIG,
                      aws_access_key_id=keys[0], aws_secret_access_key=keys[1])
    name = f"{service}-cpu-high"
    cw.put_metric_alarm(
        AlarmName=name, Namespace="AWS/ECS", MetricName="CPUUtilization", Statistic="Average",
        Dimensions=[{"Name": "ClusterName", "Value": cluster_name},
                    {"Name": "ServiceName", "Value": service}],
        Period=60, EvaluationPeriods=3, Threshold=85.0, ComparisonOperator="GreaterThanThreshold")
    cw.set_alarm_state(AlarmName=name, StateValue="ALARM",
                       StateReason="Threshold Crossed: 3 datapoints were greater than 85.0")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", required=True)
    endpoint = parser.parse_args().endpoint.rstrip("/")
    demo = ("demo", "demo")
    ecr = f"{DEMO_ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com"
    cluster(endpoint, "eu-west-1", demo, "prod-eu", [
        ("checkout-api", f"{ecr}/checkout-api:4.12.0", "FARGATE", 3),
        ("search-api", f"{ecr}/search-api:2.8.1", "FARGATE", 2),
        ("email-worker", f"{ecr}/email-worker:1.4.0", "FARGATE", 1),
    ])
    firing_alarm(endpoint, "eu-west-1", demo, "prod-eu", "search-api")
    staging = keys_in(endpoint, STAGING_ACCOUNT)
    for region in ("us-east-1", "eu-west-1"):
        ecr = f"{STAGING_ACCOUNT}.dkr.ecr.{region}.amazonaws.com"
        cluster(endpoint, region, staging, "staging", [
            ("checkout-api", f"{ecr}/checkout-api:4.13.0-rc1", "FARGATE", 1),
            ("search-api", f"{ecr}/search-api:2.9.0", "FARGATE", 1),
            ("report-builder", f"{ecr}/report-builder:0.9.2", "EC2", 1),
        ])
    print(f"{staging[0]} {staging[1]}")


if __name__ == "__main__":
    main()
