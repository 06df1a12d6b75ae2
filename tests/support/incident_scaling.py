"""Application Auto Scaling scaling activities for the emulator: DescribeScalingActivities,
which moto lacks, and the activities an incident makes when it scales a service.

moto 5.2.5 registers scalable targets and scaling policies but never scales anything and has
no DescribeScalingActivities. Activities are kept per Application Auto Scaling backend (so
moto's reset clears them) and only the incident engine records them (scale()), through the
service's registered scaling policy, as Application Auto Scaling words them:

  Description    "Setting desired count to 3."
  Cause          "monitor alarm TargetTracking-service/prod/web-AlarmHigh-... in state ALARM
                 triggered policy cpu-tracking" (a step scaling policy names the incident's
                 alarm instead)
  StatusCode     Successful
  StatusMessage  "Successfully set desired count to 3. Change successfully fulfilled by ecs."
  StartTime, EndTime (engine clock; the change takes a second)

DescribeScalingActivities answers newest first, filtered by ServiceNamespace (required),
ResourceId and ScalableDimension, paged by MaxResults (default 50) and NextToken.
"""

import json
import uuid

from moto.applicationautoscaling.exceptions import AWSValidationException
from moto.applicationautoscaling.models import applicationautoscaling_backends
from moto.applicationautoscaling.responses import ApplicationAutoScalingResponse

DIMENSION = "ecs:service:DesiredCount"


def activities(backend):
    return backend.__dict__.setdefault("_ecsdeck_scaling_activities", [])


def install():
    ApplicationAutoScalingResponse.describe_scaling_activities = describe_scaling_activities


def target(account, region, cluster, service):
    """(scalable target, its first scaling policy) of an ECS service; either may be None."""
    backend = applicationautoscaling_backends[account][region]
    resource = f"service/{cluster}/{service}"
    found = backend.targets.get(DIMENSION, {}).get(resource)
    policies = [p for p in backend.policies.values() if p.resource_id == resource and p.scalable_dimension == DIMENSION]
    return found, (policies[0] if policies else None)


def bounded(scalable, desired):
    """`desired` within the target's MinCapacity..MaxCapacity."""
    low = scalable.min_capacity if scalable.min_capacity is not None else 0
    high = scalable.max_capacity if scalable.max_capacity is not None else desired
    return max(low, min(high, desired))


def scale(account, region, cluster, service, desired, at, alarm_name, direction):
    """Records the activity of setting the service's desired count to `desired` at `at`,
    `direction` "out" or "in" choosing the policy alarm that caused it."""
    backend = applicationautoscaling_backends[account][region]
    scalable, policy = target(account, region, cluster, service)
    cause = f"monitor alarm {_alarm(policy, alarm_name, direction)} in state ALARM triggered policy {policy.policy_name}"
    activities(backend).append({
        "ActivityId": str(uuid.uuid4()),
        "ServiceNamespace": "ecs",
        "ResourceId": scalable.resource_id,
        "ScalableDimension": DIMENSION,
        "Description": f"Setting desired count to {desired}.",
        "Cause": cause,
        "StartTime": at,
        "EndTime": at + 1.0,
        "StatusCode": "Successful",
        "StatusMessage": f"Successfully set desired count to {desired}. Change successfully fulfilled by ecs.",
    })


def _alarm(policy, alarm_name, direction):
    """A target tracking policy acts on its own AlarmHigh / AlarmLow alarm."""
    suffix = "-AlarmHigh-" if direction == "out" else "-AlarmLow-"
    own = [a.name for a in getattr(policy, "alarms", []) if suffix in a.name]
    return own[0] if own else alarm_name


def describe_scaling_activities(self):
    """moto's ApplicationAutoScalingResponse.describe_scaling_activities (added by install())."""
    self._validate_params()
    namespace = self._get_param("ServiceNamespace")
    if not namespace:
        raise AWSValidationException("1 validation error detected: Value null at 'serviceNamespace' failed to "
                                     "satisfy constraint: Member must not be null")
    resource, dimension = self._get_param("ResourceId"), self._get_param("ScalableDimension")
    found = [a for a in activities(self.applicationautoscaling_backend)
             if a["ServiceNamespace"] == namespace and (not resource or a["ResourceId"] == resource)
             and (not dimension or a["ScalableDimension"] == dimension)]
    found.sort(key=lambda a: -a["StartTime"])
    size = self._get_int_param("MaxResults") or 50
    token = self._get_param("NextToken")
    start = int(token) if token and str(token).isdigit() else 0
    out = {"ScalingActivities": found[start:start + size]}
    if start + size < len(found):
        out["NextToken"] = str(start + size)
    return json.dumps(out)
