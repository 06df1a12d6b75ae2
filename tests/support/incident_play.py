"""Plays one incident on an emulator someone else started, for the Rust tests of the incident
timeline: the seed of incident_check.py (cluster "incident": checkout behind a target group
with the checkout-5xx alarm, a scalable target and policy; images; worker), then a bad deploy
of checkout (oom-then-health) followed on the manual clock to its rollback and recovery.

Usage: .venv/bin/python tests/support/incident_play.py http://127.0.0.1:PORT [THRESHOLD]
(THRESHOLD: the circuit breaker's, 6 by default: three tasks out of memory, then three on
failed health checks — enough of each for a crash loop.)
Prints one JSON line: {"now": <emulator epoch secs>, "cluster": <arn>, "service": <arn>,
"deployment": <arn>, "started": <epoch secs>}.
"""

import json
import sys

import incident_check as rig


def main():
    rig.ENDPOINT = sys.argv[1].rstrip("/")
    rig.AWS = rig.clients()
    rig.seed()
    started_at = rig.advance(0)
    started = rig.post("/_ecsdeck/incident/bad-deploy",
                       {"cluster": rig.CLUSTER, "service": "checkout", "failure": "oom-then-health",
                        "threshold": int(sys.argv[2]) if len(sys.argv) > 2 else 6})
    final, statuses, _ = rig.follow(started["serviceDeploymentArn"], "checkout")
    now = rig.advance(2 * rig.STAGE_SECS + rig.STEP)  # the alarm back to OK, the count back
    service = rig.svc("checkout")
    print(json.dumps({"now": now, "cluster": service["clusterArn"], "service": service["serviceArn"],
                      "deployment": started["serviceDeploymentArn"], "started": started_at,
                      "statuses": statuses, "final": final["status"]}))


if __name__ == "__main__":
    main()
