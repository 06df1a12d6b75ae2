"""Speaks Smithy RPC v2 CBOR to the emulator like aws-sdk-cloudwatch does, and checks the
bridge: request timestamps in, CBOR tag-1 timestamps and typed values out, errors keep
their `__type`. Prints one JSON line with what it saw; exits 1 on any mismatch."""

import datetime as dt
import json
import sys
import urllib.error
import urllib.request

import cbor2

ENDPOINT = sys.argv[1]
AUTH = ("AWS4-HMAC-SHA256 Credential=AKIDTESTTESTTEST/20260101/us-east-1/monitoring/aws4_request, "
        "SignedHeaders=host, Signature=0")


def call(operation, body):
    request = urllib.request.Request(
        f"{ENDPOINT}/service/GraniteServiceVersion20100801/operation/{operation}",
        data=cbor2.dumps(body, datetime_as_timestamp=True),
        headers={"Content-Type": "application/cbor", "smithy-protocol": "rpc-v2-cbor", "Authorization": AUTH},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request) as reply:
            return reply.status, dict(reply.headers), cbor2.loads(reply.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), cbor2.loads(error.read())


def check(condition, what):
    if not condition:
        print(json.dumps({"failed": what}))
        sys.exit(1)


now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
metric = {"Namespace": "AWS/ECS", "MetricName": "CPUUtilization",
          "Dimensions": [{"Name": "ClusterName", "Value": "prod"}, {"Name": "ServiceName", "Value": "api"}]}
status, headers, _ = call("PutMetricData", {"Namespace": "AWS/ECS", "MetricData": [
    {**{k: v for k, v in metric.items() if k != "Namespace"}, "Timestamp": now - dt.timedelta(minutes=m), "Value": float(m)}
    for m in (1, 2, 3)]})
check(status == 200, f"PutMetricData status {status}")
check(headers.get("smithy-protocol") == "rpc-v2-cbor", "smithy-protocol header")

status, _, reply = call("GetMetricData", {
    "StartTime": now - dt.timedelta(hours=1), "EndTime": now + dt.timedelta(minutes=1),
    "MetricDataQueries": [{"Id": "cpu", "MetricStat": {"Metric": metric, "Period": 60, "Stat": "Average"}}]})
check(status == 200, f"GetMetricData status {status}")
result = reply["MetricDataResults"][0]
check(all(isinstance(t, dt.datetime) for t in result["Timestamps"]), "timestamps decode as CBOR tag 1")
check(sorted(result["Values"]) == [1.0, 2.0, 3.0], f"values {result['Values']}")
check(all(isinstance(v, float) for v in result["Values"]), "doubles stay doubles")

status, _, error = call("SetAlarmState", {"AlarmName": "no-such-alarm", "StateValue": "OK", "StateReason": "test"})
check(status == 404 or (status >= 400 and error.get("__type")), f"error keeps __type: {status} {error}")
status, _, broken = call("GetMetricData", {"MetricDataQueries": []})
check(status == 500 and broken.get("__type") == "InternalFailure", f"a moto crash is a CBOR error: {status} {broken}")

print(json.dumps({"points": len(result["Values"]), "error_type": error["__type"]}))
