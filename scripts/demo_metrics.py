"""CloudWatch metrics for the ECS Deck demo: what ECS (and Container Insights) would publish.

  demo_metrics.py seed --endpoint URL   24 hours of per-minute AWS/ECS CPU and memory for every
                                        service and cluster (reservation for EC2 clusters), the
                                        last 3 hours of Container Insights for clusters that
                                        have it on, and a deployment of checkout-api in prod
  demo_metrics.py feed --endpoint URL   then a new point every minute for everything, with a
                                        CPU spike in checkout-api for 30 minutes after its
                                        deployment; exits when the emulator goes away

Values follow a daily wave (busiest mid-afternoon UTC) around a per-service level, with noise
and, for memory, a slow climb reset by each deployment. Deterministic per service and minute.
"""

import argparse
import datetime as dt
import hashlib
import math
import random
import sys
import time

import boto3
from botocore.config import Config

SPIKE_CLUSTER, SPIKE_SERVICE = "prod", "checkout-api"
SPIKE_MINUTES = 30
HISTORY_MINUTES = 24 * 60
INSIGHTS_MINUTES = 3 * 60
BATCH = 1000


def clients(endpoint, region):
    config = Config(retries={"max_attempts": 2, "mode": "standard"}, connect_timeout=5, read_timeout=60)
    session = boto3.session.Session(aws_access_key_id="demo", aws_secret_access_key="demo", region_name=region)
    return (session.client("ecs", endpoint_url=endpoint, config=config),
            session.client("cloudwatch", endpoint_url=endpoint, config=config))


def level(name, low, high):
    digest = hashlib.sha1(name.encode()).digest()
    return low + (high - low) * digest[0] / 255.0


def noise(name, minute):
    return random.Random(f"{name}/{minute}").uniform(-1.0, 1.0)


def cpu_at(name, minute, spike_from):
    day = math.sin((minute % 1440) / 1440.0 * math.tau - math.pi / 2 - 0.8)
    value = level(name, 12, 55) * (1.0 + 0.35 * day) + 4.0 * noise(name + "cpu", minute)
    if spike_from is not None and 0 <= minute - spike_from < SPIKE_MINUTES:
        value += 45.0 * math.exp(-(minute - spike_from) / 12.0) + 20.0
    return max(0.5, min(100.0, value))


def memory_at(name, minute, deployed_at):
    since = (minute - deployed_at) % 2880 if deployed_at is not None else minute % 2880
    value = level(name, 35, 62) + 12.0 * since / 2880.0 + 1.5 * noise(name + "mem", minute)
    return max(1.0, min(100.0, value))


def stat_set(value, spread, samples):
    low, high = max(0.0, value - spread), min(100.0, value + spread)
    return {"SampleCount": float(samples), "Sum": value * samples, "Minimum": low, "Maximum": high}


def estate(ecs):
    """[(cluster name, service name, desired, EC2 cluster?, insights?, deployed minute)]."""
    rows = []
    clusters = ecs.list_clusters()["clusterArns"]
    described = ecs.describe_clusters(clusters=clusters, include=["SETTINGS"])["clusters"] if clusters else []
    for cluster in described:
        name = cluster["clusterName"]
        insights = any(s.get("name") == "containerInsights" and s.get("value") in ("enabled", "enhanced")
                       for s in cluster.get("settings", []))
        ec2 = cluster.get("registeredContainerInstancesCount", 0) > 0
        arns = ecs.list_services(cluster=name)["serviceArns"]
        for start in range(0, len(arns), 10):
            for svc in ecs.describe_services(cluster=name, services=arns[start:start + 10])["services"]:
                primary = [d for d in svc.get("deployments", []) if d.get("status") == "PRIMARY"]
                created = primary[0].get("createdAt") if primary else None
                deployed = int(created.timestamp() // 60) if isinstance(created, dt.datetime) else None
                rows.append((name, svc["serviceName"], svc.get("desiredCount", 0), ec2, insights, deployed))
    return rows


def ecs_points(rows, minute, spike):
    """AWS/ECS datapoints of one minute for every service and cluster."""
    at = dt.datetime.fromtimestamp(minute * 60, dt.timezone.utc)
    points, per_cluster = [], {}
    for cluster, service, desired, ec2, _, deployed in rows:
        if not desired:
            continue  # ECS publishes nothing for a service without tasks
        spike_from = spike if (cluster, service) == (SPIKE_CLUSTER, SPIKE_SERVICE) else None
        key = f"{cluster}/{service}"
        cpu, memory = cpu_at(key, minute, spike_from), memory_at(key, minute, deployed)
        dims = [{"Name": "ClusterName", "Value": cluster}, {"Name": "ServiceName", "Value": service}]
        points.append({"MetricName": "CPUUtilization", "Dimensions": dims, "Timestamp": at,
                       "StatisticValues": stat_set(cpu, 6.0 + cpu / 10, desired), "Unit": "Percent"})
        points.append({"MetricName": "MemoryUtilization", "Dimensions": dims, "Timestamp": at,
                       "StatisticValues": stat_set(memory, 3.0, desired), "Unit": "Percent"})
        per_cluster.setdefault(cluster, (ec2, []))[1].append((cpu, memory, desired))
    for cluster, (ec2, values) in per_cluster.items():
        tasks = sum(d for _, _, d in values)
        cpu = sum(c * d for c, _, d in values) / tasks
        memory = sum(m * d for _, m, d in values) / tasks
        dims = [{"Name": "ClusterName", "Value": cluster}]
        metrics = [("CPUUtilization", cpu), ("MemoryUtilization", memory)]
        if ec2:
            metrics += [("CPUReservation", min(100.0, 40 + tasks * 1.5)),
                        ("MemoryReservation", min(100.0, 50 + tasks * 1.2))]
        for metric, value in metrics:
            points.append({"MetricName": metric, "Dimensions": dims, "Timestamp": at,
                           "StatisticValues": stat_set(value, 5.0, tasks), "Unit": "Percent"})
    return points


def insights_points(rows, minute, spike):
    """ECS/ContainerInsights datapoints of one minute for clusters that have it on."""
    at = dt.datetime.fromtimestamp(minute * 60, dt.timezone.utc)
    points = []
    for cluster, service, desired, _, insights, deployed in rows:
        if not insights or not desired:
            continue
        key = f"{cluster}/{service}"
        spike_from = spike if (cluster, service) == (SPIKE_CLUSTER, SPIKE_SERVICE) else None
        cpu = cpu_at(key, minute, spike_from)
        dims = [{"Name": "ClusterName", "Value": cluster}, {"Name": "ServiceName", "Value": service}]
        for metric, value in (("RunningTaskCount", desired),
                              ("NetworkRxBytes", 2e5 * cpu * (1 + 0.1 * noise(key + "rx", minute))),
                              ("NetworkTxBytes", 1.2e5 * cpu * (1 + 0.1 * noise(key + "tx", minute))),
                              ("StorageReadBytes", 2e3 * level(key, 1, 50)),
                              ("StorageWriteBytes", 5e3 * level(key + "w", 1, 50))):
            points.append({"MetricName": metric, "Dimensions": dims, "Timestamp": at, "Value": value})
        points.append({"MetricName": "RunningTaskCount", "Timestamp": at, "Value": desired,
                       "Dimensions": [{"Name": "ClusterName", "Value": cluster}]})
        if service in ("checkout-api", "web-frontend"):
            for task in range(desired):
                task_id = hashlib.sha1(f"{key}/task/{task}".encode()).hexdigest()[:32]
                task_dims = [{"Name": "ClusterName", "Value": cluster},
                             {"Name": "TaskDefinitionFamily", "Value": service},
                             {"Name": "TaskId", "Value": task_id}]
                share = cpu * (1 + 0.25 * noise(task_id, minute))
                points.append({"MetricName": "CpuUtilized", "Dimensions": task_dims, "Timestamp": at,
                               "Value": 10.24 * share})
                points.append({"MetricName": "MemoryUtilized", "Dimensions": task_dims, "Timestamp": at,
                               "Value": 20.48 * memory_at(task_id, minute, deployed)})
    return points


def put(cloudwatch, namespace, points):
    for start in range(0, len(points), BATCH):
        cloudwatch.put_metric_data(Namespace=namespace, MetricData=points[start:start + BATCH])


def deploy_spike_service(ecs):
    """A new deployment of checkout-api: its marker starts the demo's CPU spike."""
    try:
        ecs.update_service(cluster=SPIKE_CLUSTER, service=SPIKE_SERVICE, forceNewDeployment=True)
    except Exception as error:  # the estate may be scaled differently; the rest still works
        print(f"demo_metrics: no deployment of {SPIKE_SERVICE}: {error}", file=sys.stderr)


def spike_minute(rows):
    for cluster, service, _, _, _, deployed in rows:
        if (cluster, service) == (SPIKE_CLUSTER, SPIKE_SERVICE):
            return deployed
    return None


def seed(endpoint, region):
    started = time.time()
    ecs, cloudwatch = clients(endpoint, region)
    deploy_spike_service(ecs)
    rows = estate(ecs)
    spike = spike_minute(rows)
    now = int(time.time() // 60)
    ecs_batch, insights_batch, count = [], [], 0
    for minute in range(now - HISTORY_MINUTES, now):
        ecs_batch += ecs_points(rows, minute, spike)
        if minute >= now - INSIGHTS_MINUTES:
            insights_batch += insights_points(rows, minute, spike)
        if len(ecs_batch) >= 20 * BATCH:
            put(cloudwatch, "AWS/ECS", ecs_batch)
            count += len(ecs_batch)
            ecs_batch = []
    put(cloudwatch, "AWS/ECS", ecs_batch)
    put(cloudwatch, "ECS/ContainerInsights", insights_batch)
    count += len(ecs_batch) + len(insights_batch)
    print(f"demo_metrics: {count} datapoints for {len(rows)} services in {time.time() - started:.1f} s",
          file=sys.stderr)


def feed(endpoint, region):
    ecs, cloudwatch = clients(endpoint, region)
    failures = 0
    last = int(time.time() // 60)
    while failures < 3:
        time.sleep(max(1.0, (last + 1) * 60 - time.time() + 2))
        minute = int(time.time() // 60)
        try:
            rows = estate(ecs)
            spike = spike_minute(rows)
            for m in range(last, minute):
                put(cloudwatch, "AWS/ECS", ecs_points(rows, m, spike))
                put(cloudwatch, "ECS/ContainerInsights", insights_points(rows, m, spike))
            last = minute
            failures = 0
        except Exception as error:  # the emulator stopped: the demo is over
            failures += 1
            print(f"demo_metrics: {error}", file=sys.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["seed", "feed"])
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--region", default="us-east-1")
    args = parser.parse_args()
    (seed if args.command == "seed" else feed)(args.endpoint, args.region)


if __name__ == "__main__":
    main()
