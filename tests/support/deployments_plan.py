"""The shape of an emulated ECS service deployment, read from its deploymentConfiguration:
which lifecycle stages it walks through, how long each lasts, how production traffic moves,
which lifecycle hooks fire where. Pure functions, kept apart from the engine
(deployments.py) so the sequences can be read, and checked, in one place.

Sequences (lifecycleStage values are botocore's ServiceDeploymentLifecycleStage enum):

  ROLLING (or no strategy):
    [RECONCILE_SERVICE] PRE_SCALE_UP SCALE_UP POST_SCALE_UP PRODUCTION_TRAFFIC_SHIFT
    POST_PRODUCTION_TRAFFIC_SHIFT CLEAN_UP
  BLUE_GREEN, LINEAR, CANARY:
    [RECONCILE_SERVICE] PRE_SCALE_UP SCALE_UP POST_SCALE_UP TEST_TRAFFIC_SHIFT
    POST_TEST_TRAFFIC_SHIFT PRODUCTION_TRAFFIC_SHIFT POST_PRODUCTION_TRAFFIC_SHIFT
    [BAKE_TIME] CLEAN_UP

RECONCILE_SERVICE comes first only when the deployment starts from more than one source
revision (it superseded one still in progress). BAKE_TIME lasts bakeTimeInMinutes and is left
out when that is 0 or absent. Rolling deployments have no bake time and no test traffic here.

Every stage lasts the engine's stageSecs, except BAKE_TIME and PRODUCTION_TRAFFIC_SHIFT. The
production shift is a list of steps (weight, hold): BLUE_GREEN and ROLLING move 0 -> 100 in
one step; LINEAR moves stepPercent per step holding stepBakeTimeInMinutes after each step
but the last; CANARY goes to canaryPercent, holds canaryBakeTimeInMinutes, then 100. The
final step (100 %) holds stageSecs, like any other stage (LINEAR's step bake "is not applied
after reaching 100 percent", as AWS documents).
"""

TRAFFIC_STRATEGIES = ("BLUE_GREEN", "LINEAR", "CANARY")

ROLLING_STAGES = [
    "PRE_SCALE_UP",
    "SCALE_UP",
    "POST_SCALE_UP",
    "PRODUCTION_TRAFFIC_SHIFT",
    "POST_PRODUCTION_TRAFFIC_SHIFT",
    "CLEAN_UP",
]

TRAFFIC_STAGES = [
    "PRE_SCALE_UP",
    "SCALE_UP",
    "POST_SCALE_UP",
    "TEST_TRAFFIC_SHIFT",
    "POST_TEST_TRAFFIC_SHIFT",
    "PRODUCTION_TRAFFIC_SHIFT",
    "POST_PRODUCTION_TRAFFIC_SHIFT",
    "BAKE_TIME",
    "CLEAN_UP",
]

# Where CloudWatch alarms can fail a deployment: from scale-up to the end of the bake time.
ALARM_WINDOW = {
    "SCALE_UP",
    "POST_SCALE_UP",
    "TEST_TRAFFIC_SHIFT",
    "POST_TEST_TRAFFIC_SHIFT",
    "PRODUCTION_TRAFFIC_SHIFT",
    "POST_PRODUCTION_TRAFFIC_SHIFT",
    "BAKE_TIME",
}

# AWS's documented defaults for the strategy settings.
LINEAR_DEFAULTS = {"stepPercent": 10.0, "stepBakeTimeInMinutes": 6}
CANARY_DEFAULTS = {"canaryPercent": 5.0, "canaryBakeTimeInMinutes": 10}
# Per the emulator's brief (AWS documents 1440 minutes and ROLLBACK).
HOOK_TIMEOUT_MINUTES = 60
HOOK_TIMEOUT_ACTION = "ROLLBACK"


def strategy(config):
    return (config or {}).get("strategy") or "ROLLING"


def has_test_traffic(config):
    return strategy(config) in TRAFFIC_STRATEGIES


def bake_secs(config):
    if not has_test_traffic(config):
        return 0
    return _number((config or {}).get("bakeTimeInMinutes"), 0) * 60


def stages(config, source_count):
    """The lifecycle stages a deployment with `source_count` source revisions walks through."""
    plan = list(TRAFFIC_STAGES if has_test_traffic(config) else ROLLING_STAGES)
    if "BAKE_TIME" in plan and bake_secs(config) <= 0:
        plan.remove("BAKE_TIME")
    if source_count > 1:
        plan.insert(0, "RECONCILE_SERVICE")
    return plan


def production_steps(config):
    """[(target production weight, hold secs or None for stageSecs)] of PRODUCTION_TRAFFIC_SHIFT."""
    kind = strategy(config)
    if kind == "LINEAR":
        linear = dict(LINEAR_DEFAULTS, **((config or {}).get("linearConfiguration") or {}))
        step = _number(linear["stepPercent"], 100)
        hold = _number(linear["stepBakeTimeInMinutes"], 0) * 60
        weights = _linear_weights(step)
        return [(w, hold) for w in weights[:-1]] + [(100.0, None)]
    if kind == "CANARY":
        canary = dict(CANARY_DEFAULTS, **((config or {}).get("canaryConfiguration") or {}))
        percent = _number(canary["canaryPercent"], 100)
        hold = _number(canary["canaryBakeTimeInMinutes"], 0) * 60
        if 0 < percent < 100:
            return [(float(percent), hold), (100.0, None)]
    return [(100.0, None)]


def _linear_weights(step):
    if step <= 0 or step >= 100:
        return [100.0]
    weights, k = [], 1
    while True:
        weight = min(100.0, round(k * step, 6))
        weights.append(weight)
        if weight >= 100.0:
            return weights
        k += 1


def hooks_at(config, stage):
    """The lifecycle hooks configured for `stage`, in configuration order."""
    return [h for h in (config or {}).get("lifecycleHooks") or [] if stage in (h.get("lifecycleStages") or [])]


def hook_timeout(hook):
    """(timeout secs, timeout action) of a configured hook."""
    timeout = hook.get("timeoutConfiguration") or {}
    minutes = _number(timeout.get("timeoutInMinutes"), HOOK_TIMEOUT_MINUTES)
    return minutes * 60, timeout.get("action") or HOOK_TIMEOUT_ACTION


def alarms_config(config):
    """(alarm names, rollback?) when alarms are enabled, else None."""
    alarms = (config or {}).get("alarms") or {}
    names = list(alarms.get("alarmNames") or [])
    if not alarms.get("enable") or not names:
        return None
    return names, bool(alarms.get("rollback"))


def circuit_breaker_enabled(config):
    return bool(((config or {}).get("deploymentCircuitBreaker") or {}).get("enable"))


def _number(value, default):
    return default if value is None or isinstance(value, bool) else float(value)
