"""Checks that metric_index answers GetMetricData exactly as moto does, over random data:
several metrics and dimensions, raw values and statistic sets, unordered timestamps, every
statistic, several periods and windows, both scan orders. Prints `OK <queries compared>`."""

import datetime as dt
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from moto.cloudwatch import models as cw  # noqa: E402

import metric_index  # noqa: E402


def main():
    rng = random.Random(7)
    backend = cw.CloudWatchBackend("us-east-1", "123456789012")
    base = dt.datetime(2026, 11, 30, tzinfo=dt.timezone.utc)
    services = ["web", "api", "worker"]
    data = []
    for _ in range(1_500):
        service = rng.choice(services)
        member = {
            "MetricName": rng.choice(["CPUUtilization", "MemoryUtilization"]),
            "Dimensions": [{"Name": "ClusterName", "Value": "prod"}, {"Name": "ServiceName", "Value": service}],
            "Timestamp": base + dt.timedelta(seconds=rng.randrange(0, 6 * 3600)),
        }
        if rng.random() < 0.5:
            member["Value"] = rng.uniform(0, 100)
        else:
            low, high = sorted(rng.uniform(0, 100) for _ in range(2))
            member["StatisticValues"] = {"SampleCount": 4, "Sum": (low + high) * 2, "Minimum": low, "Maximum": high}
        data.append(member)
    compared = 0
    for chunk in range(0, len(data), 500):
        backend.put_metric_data("AWS/ECS", data[chunk:chunk + 500])
        for period, hours in ((60, 1), (300, 6), (3600, 6)):
            start = base + dt.timedelta(minutes=rng.randrange(0, 120))
            end = start + dt.timedelta(hours=hours)
            queries = [
                {
                    "Id": f"q{i}",
                    "MetricStat": {
                        "Metric": {
                            "Namespace": "AWS/ECS",
                            "MetricName": metric,
                            # In the order they were put: moto's Dimension ordering is
                            # broken, so it matches only that order (the index, like
                            # CloudWatch, treats them as a set).
                            "Dimensions": [
                                {"Name": "ClusterName", "Value": "prod"},
                                {"Name": "ServiceName", "Value": service},
                            ],
                        },
                        "Period": period,
                        "Stat": stat,
                    },
                }
                for i, (metric, service, stat) in enumerate(
                    (m, s, st)
                    for m in ("CPUUtilization", "MemoryUtilization")
                    for s in services + ["missing"]
                    for st in ("Average", "Maximum", "Minimum", "Sum", "SampleCount")
                )
            ]
            for scan in ("TimestampAscending", "TimestampDescending"):
                expected = metric_index._ORIGINAL(backend, queries, start, end, scan)
                actual = metric_index.get_metric_data(backend, queries, start, end, scan)
                if expected != actual:
                    for e, a in zip(expected, actual):
                        if e != a:
                            print("MISMATCH", e["id"], e["values"][:5], a["values"][:5], file=sys.stderr)
                            break
                    sys.exit(1)
                compared += len(queries)
    print(f"OK {compared}")


if __name__ == "__main__":
    main()
