"""Tail delay: how long after an event is written it is printed by `ecsdeck logs --follow`
and by `awslogs get --watch`, both following the same log group of the local emulator.

  .venv/bin/python scripts/bench_tail_delay.py [--seconds 60] [--rate 5]

Needs the release binary (cargo build --release). Installs awslogs 0.15.0 into .venv if it is
missing. A writer puts one probe event every 1/rate s with the current time as its timestamp;
each tool's output is read line by line and a probe's delay is the time it was read minus the
time it was put. Against the emulator both poll (its Live Tail closes at once).
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import threading
import time

import boto3

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GROUP, STREAM = "/bench/delay", "app/probe"
PROBE = re.compile(r"probe (\d+) written")


def start_emulator():
    proc = subprocess.Popen([sys.executable, os.path.join(ROOT, "tests/support/aws_emulator.py"),
                             "--host", "127.0.0.1", "--port", "0"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = proc.stdout.readline()
    if not line.startswith("READY "):
        sys.exit("the emulator did not start")
    return proc, f"http://127.0.0.1:{line.split()[1]}"


def ensure_awslogs():
    exe = os.path.join(os.path.dirname(sys.executable), "awslogs")
    if not os.path.exists(exe):
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "awslogs==0.15.0"], check=True)
    return exe


def follow(name, command, env, put_at, seen, stop):
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)

    def read():
        for line in proc.stdout:
            now = time.time()
            found = PROBE.search(line)
            if not found:
                continue
            probe = int(found.group(1))
            if probe in put_at and probe not in seen[name]:
                seen[name][probe] = now - put_at[probe]

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    stop.wait()
    proc.terminate()
    proc.wait()


def summary(name, delays, sent):
    values = sorted(delays.values())
    if not values:
        return f"{name}: no probe arrived"
    p95 = values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]
    return (f"{name}: {len(values)}/{sent} probes; delay median {statistics.median(values):.2f} s, "
            f"p95 {p95:.2f} s, max {values[-1]:.2f} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--rate", type=float, default=5)
    args = parser.parse_args()
    binary = os.path.join(ROOT, "target/release/ecsdeck")
    if not os.path.exists(binary):
        sys.exit("build the app first: cargo build --release")
    awslogs = ensure_awslogs()
    emulator, endpoint = start_emulator()
    env = dict(os.environ, AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench",
               AWS_DEFAULT_REGION="us-east-1", AWS_REGION="us-east-1")
    for key in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
        env.pop(key, None)
    logs = boto3.client("logs", endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="bench", aws_secret_access_key="bench")
    logs.create_log_group(logGroupName=GROUP)
    logs.create_log_stream(logGroupName=GROUP, logStreamName=STREAM)
    put_at, seen, stop = {}, {"ecsdeck": {}, "awslogs": {}}, threading.Event()
    tools = [
        ("ecsdeck", [binary, "--endpoint-url", endpoint, "--region", "us-east-1", "logs", "--group", GROUP,
                     "--since", "1m", "--follow"]),
        ("awslogs", [awslogs, "get", GROUP, "ALL", "--watch", "--start", "1m", "--aws-endpoint-url", endpoint,
                     "--aws-region", "us-east-1"]),
    ]
    threads = [threading.Thread(target=follow, args=(name, cmd, env, put_at, seen, stop)) for name, cmd in tools]
    for thread in threads:
        thread.start()
    time.sleep(5)  # both started and caught up
    probe, started = 0, time.time()
    while time.time() - started < args.seconds:
        now = time.time()
        put_at[probe] = now
        logs.put_log_events(logGroupName=GROUP, logStreamName=STREAM,
                            logEvents=[{"timestamp": int(now * 1000), "message": f"probe {probe} written"}])
        probe += 1
        time.sleep(max(0.0, started + probe / args.rate - time.time()))
    time.sleep(10)  # the last probes arrive
    stop.set()
    for thread in threads:
        thread.join()
    emulator.stdin.close()
    emulator.wait()
    for name in ("ecsdeck", "awslogs"):
        print(summary(name, seen[name], probe))


if __name__ == "__main__":
    main()
