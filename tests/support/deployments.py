"""Service deployments and service revisions for the emulator, over moto's own services.

moto implements neither, yet the app's deployment history, rollback and progress views need
them, and the tests need deployments that move through their lifecycle stages on demand. This
engine keeps, per ECS-controlled service, its service revisions and service deployments:
CreateService records revision 1 and a deployment of it that succeeded at once; an
UpdateService that changes what the tasks run (task definition, network, load balancers,
capacity providers, launch type, platform version, Service Connect, volumes, registries) or
forces a new deployment records a new revision and starts a deployment towards it, stopping
("superseded") any still in progress. deployments_plan.py says which stages each strategy
walks through and how long they last.

No thread runs it: before the emulator answers any ECS request, every deployment in progress
is advanced to "now" of the engine's clock, processing each stage boundary, traffic step and
hook timeout in time order. The clock is real time by default (the demo), or manual, moved by
the tests (see deployments_api.py for the control endpoints).

What it simulates, and what not:
  * task counts ramp (the target revision up to the desired count during SCALE_UP, the
    sources down to 0 during CLEAN_UP); no tasks are started or stopped in moto;
  * traffic weights are reported, nothing routes traffic; rolling deployments have no test
    traffic and no bake time;
  * lifecycle hooks: a PAUSE hook waits for ContinueServiceDeployment or its timeout; an
    AWS_LAMBDA hook is IN_PROGRESS for stageSecs, then SUCCEEDED: no Lambda is invoked;
  * alarms: named CloudWatch alarms in state ALARM in moto (SetAlarmState) between SCALE_UP
    and the end of BAKE_TIME fail the deployment, rolling it back when alarms.rollback is
    set; an alarm is noticed at the first advance after it fires;
  * the circuit breaker only reports MONITORING / MONITORING_COMPLETE / DISABLED: no task
    ever fails, except in a deployment an incident marked bad (incident.py: its `faults`
    start and fail tasks, hold it in SCALE_UP and trip the breaker; see trip_circuit_breaker);
  * a rollback lasts stageSecs, puts the rolled-back revision's fields back on the service
    and shows as ECS does in DescribeServices (a new PRIMARY "rolling back", the failed one
    ACTIVE and FAILED);
  * hooks still unresolved when a deployment ends another way are marked FAILED.

The pieces: deployments_plan.py (stage sequences and timings), deployments_state.py (the
records and the clock), this module (how deployments move), deployments_view.py (what
DescribeServices shows of them), deployments_moto.py (moto's services and alarms, and the
hooks in create_service/update_service) and deployments_api.py (the ECS operations and the
control endpoints, as WSGI middleware).
"""

import functools
import math
import threading

import deployments_moto as moto_side
import deployments_plan as plan
from deployments_state import (CLOCK, DEPLOYMENTS, REVISIONS, SERVICES, ApiError, Deployment, Revision,
                               ServiceRecord, Share, new_ecs_id, new_token)
from deployments_view import mirror

# Held around every ECS request (the advance, moto's handling, the engine's reaction).
LOCK = threading.RLock()

ACTIVE = ("PENDING", "IN_PROGRESS", "ROLLBACK_IN_PROGRESS")
UNRESOLVED = ("AWAITING_ACTION", "IN_PROGRESS")
SUCCEEDED_REASON = "Service deployment completed successfully."
STOP_ROLLBACK_REASON = "Service deployment rolled back because of a stop request"
STOP_ABORT_REASON = "Service deployment stopped because of a stop request"
SUPERSEDED_REASON = "superseded by a newer deployment"
BREAKER_REASON = "Service deployment rolled back because the circuit breaker threshold was exceeded"

_in_progress = []  # the deployments advance_all moves on
# Called as hook(now) once advance_all has moved every deployment to `now` (incident.py's
# timeline after a deployment has ended).
AFTER_ADVANCE = []


# --- Services appearing and changing (called from inside moto's handling) ------------------


def service_created(backend, service, request):
    if service.deployment_controller.get("type", "ECS") != "ECS":
        return
    at = CLOCK.now()
    record = ServiceRecord(backend, service)
    SERVICES[(record.account, record.region, record.cluster, record.name)] = record
    revision = Revision(record, moto_side.revision_fields(backend, service), at)
    ecs_id = service.deployments[0]["id"] if service.deployments else new_ecs_id()
    config = getattr(service, "deployment_configuration", None)
    test = 100.0 if plan.has_test_traffic(config) else None
    target = Share(revision, service.desired_count, prod=100.0, test=test)
    deployment = Deployment(record, target, [], config, at, ecs_id)
    revision.ecs_id = ecs_id
    deployment.status, deployment.status_reason = "SUCCESSFUL", SUCCEEDED_REASON
    deployment.started_at = deployment.finished_at = at
    _complete_monitors(deployment)
    record.deployments.append(deployment)
    DEPLOYMENTS[deployment.arn] = deployment
    record.current = record.stable = revision
    mirror(deployment, at)


def service_updated(backend, service, request, before, before_desired):
    if service.deployment_controller.get("type", "ECS") != "ECS":
        return
    at = CLOCK.now()
    record = record_for(backend.account_id, backend.region_name, service.cluster_name, service.name)
    if record is None or record.service is not service:
        return
    changed = moto_side.comparable(backend, service) != before
    if changed or request.get("forceNewDeployment"):
        _start_deployment(record, backend, service, at, before_desired)
    elif service.desired_count != before_desired:
        _resize(record.deployments[-1], service.desired_count, at)
    mirror(record.deployments[-1], at)


def _resize(d, desired, at):
    """A desired count changed mid-deployment: the revision taking the tasks follows it."""
    if d.status == "ROLLBACK_IN_PROGRESS":
        d.rollback_share.ramp(desired, at, CLOCK.stage_secs)
    elif d.status == "IN_PROGRESS" and "SCALE_UP" in d.stages[:d.stage_index + 1]:
        if d.faults is not None:
            d.target.request(desired)
        else:
            d.target.ramp(desired, at, CLOCK.stage_secs)


def scale_service(record, desired, at):
    """Application Auto Scaling setting the service's desired count at `at` (incident.py)."""
    record.service.desired_count = desired
    _resize(record.deployments[-1], desired, at)
    mirror(record.deployments[-1], at)


def record_for(account, region, cluster, name):
    return SERVICES.get((account, region, cluster, name))


def _start_deployment(record, backend, service, at, before_desired):
    sources = _source_shares(record, at, before_desired)
    for older in record.deployments:
        if older.status in ACTIVE:
            _stop(older, at, SUPERSEDED_REASON)
    revision = Revision(record, moto_side.revision_fields(backend, service), at)
    config = getattr(service, "deployment_configuration", None)
    has_test = plan.has_test_traffic(config)
    _split(sources, "prod", 100.0)
    _split(sources, "test", 100.0 if has_test else None)
    target = Share(revision, 0, prod=0.0, test=0.0 if has_test else None)
    deployment = Deployment(record, target, sources, config, at, new_ecs_id())
    revision.ecs_id, revision.ecs_created = deployment.ecs_id, at
    record.deployments.append(deployment)
    record.current = revision
    DEPLOYMENTS[deployment.arn] = deployment
    _in_progress.append(deployment)


def _source_shares(record, at, before_desired):
    """The revisions whose tasks run now: all of the latest deployment's when it did not end
    on one revision (in progress, or stopped), else the service's current revision."""
    latest = record.deployments[-1] if record.deployments else None
    if latest is not None and (latest.status in ACTIVE or latest.status == "STOPPED"):
        shares = {}
        for share in latest.sources + [latest.target]:
            shares.setdefault(share.revision.arn, Share(share.revision, share.running(at)))
        return list(shares.values())
    return [Share(record.current, before_desired)]


def _split(shares, weight, total):
    for share in shares:
        setattr(share, weight, None if total is None else total / len(shares))


# --- Advancing ------------------------------------------------------------------------------


def reset():
    """Forgets everything (moto's state was reset)."""
    SERVICES.clear()
    DEPLOYMENTS.clear()
    REVISIONS.clear()
    del _in_progress[:]


def advance_all(now):
    for deployment in list(_in_progress):
        advance(deployment, now)
    for hook in AFTER_ADVANCE:
        hook(now)


def advance(deployment, now):
    """Processes the deployment's events up to `now`, in time order."""
    record = deployment.record
    _, service = moto_side.find_service(record.account, record.region, record.cluster, record.name, record.service)
    if service is None:  # deleted by a moto reset, or replaced by a new service of that name
        _forget(deployment)
        return
    if deployment.status == "PENDING":
        _begin(deployment, deployment.created_at)
    while deployment.status in ("IN_PROGRESS", "ROLLBACK_IN_PROGRESS"):
        if _check_alarms(deployment, deployment.cursor):
            continue
        event = _next_event(deployment)
        if event is None or max(event[0], deployment.cursor) > now:
            break
        deployment.cursor = max(event[0], deployment.cursor)
        event[1](deployment, deployment.cursor)
    deployment.cursor = max(deployment.cursor, now)
    _check_alarms(deployment, deployment.cursor)
    if record.deployments and record.deployments[-1] is deployment:
        mirror(deployment, deployment.cursor)


def _forget(deployment):
    if deployment in _in_progress:
        _in_progress.remove(deployment)


def _begin(d, at):
    d.status, d.started_at = "IN_PROGRESS", at
    _enter_stage(d, 0, at)


def _next_event(d):
    """(time, action) of the deployment's next event, or None while it only waits."""
    secs = CLOCK.stage_secs
    if d.status == "ROLLBACK_IN_PROGRESS":
        return d.rollback["startedAt"] + secs, _finish_rollback
    events = []
    for hook in d.hooks:
        if hook["status"] == "IN_PROGRESS" and hook["_entered"] + secs < hook["expiresAt"]:
            events.append((hook["_entered"] + secs, functools.partial(_hook_succeeded, hook=hook)))
        elif hook["status"] in UNRESOLVED:
            events.append((hook["expiresAt"], functools.partial(_hook_timed_out, hook=hook)))
    if d.stage == "PRODUCTION_TRAFFIC_SHIFT" and d.step_index < len(d.steps) - 1:
        events.append((d.step_started + _hold(d.steps[d.step_index]), _next_step))
    elif not any(h["status"] in UNRESOLVED for h in d.hooks):
        events.append((_stage_end(d), _exit_stage))
    fault = d.faults.next_event(d) if d.faults is not None else None
    if fault is not None:
        events.append(fault)
    return min(events, key=lambda e: e[0]) if events else None


def _hold(step):
    return CLOCK.stage_secs if step[1] is None else step[1]


def _stage_end(d):
    if d.faults is not None and d.stage == "SCALE_UP":
        return math.inf  # its tasks never come up: only the circuit breaker ends it
    if d.stage == "PRODUCTION_TRAFFIC_SHIFT":
        return d.step_started + _hold(d.steps[-1])
    if d.stage == "BAKE_TIME":
        return d.stage_entered + plan.bake_secs(d.config)
    return d.stage_entered + CLOCK.stage_secs


def _enter_stage(d, index, at):
    d.stage_index, d.stage, d.stage_entered, d.updated_at = index, d.stages[index], at, at
    effect = STAGE_EFFECTS.get(d.stage)
    if effect:
        effect(d, at)
    d.hooks = [_new_hook(d, hook, at) for hook in plan.hooks_at(d.config, d.stage)]


def _new_hook(d, hook, at):
    timeout, action = plan.hook_timeout(hook)
    kind = hook.get("targetType") or "AWS_LAMBDA"
    detail = {"hookId": new_token("hook"), "targetType": kind}
    if hook.get("hookTargetArn"):
        detail["targetArn"] = hook["hookTargetArn"]
    detail.update(status="AWAITING_ACTION" if kind == "PAUSE" else "IN_PROGRESS")
    detail.update(expiresAt=at + timeout, timeoutAction=action, _entered=at)
    if kind == "PAUSE":
        d.record.event(f"deployment {d.ecs_id} is paused at {d.stage}: lifecycle hook {detail['hookId']} "
                       "awaits ContinueServiceDeployment.", at)
    return detail


def _scale_up(d, at):
    desired = d.record.service.desired_count
    if d.faults is not None:  # the incident starts (and fails) the tasks itself
        d.target.request(desired)
        return
    d.target.ramp(desired, at, CLOCK.stage_secs)
    if desired:
        d.record.event(f"has started {desired} tasks.", at)


def _test_shift(d, at):
    if d.target.test is not None:
        d.target.test = 100.0
        _split(d.sources, "test", 0.0)


def _production_shift(d, at):
    d.steps, d.step_index, d.step_started = plan.production_steps(d.config), 0, at
    _set_production(d, d.steps[0][0])


def _clean_up(d, at):
    stopping = sum(s.running(at) for s in d.sources)
    for share in d.sources:
        share.ramp(0, at, CLOCK.stage_secs)
    if stopping:
        d.record.event(f"has stopped {stopping} running tasks.", at)


STAGE_EFFECTS = {
    "SCALE_UP": _scale_up,
    "TEST_TRAFFIC_SHIFT": _test_shift,
    "PRODUCTION_TRAFFIC_SHIFT": _production_shift,
    "CLEAN_UP": _clean_up,
}


def _set_production(d, weight):
    d.target.prod = weight
    _split(d.sources, "prod", 100.0 - weight)


def _next_step(d, at):
    d.step_index, d.step_started, d.updated_at = d.step_index + 1, at, at
    _set_production(d, d.steps[d.step_index][0])


def _exit_stage(d, at):
    for share in d.shares():
        share.settle(at)
    if d.stage_index + 1 < len(d.stages):
        _enter_stage(d, d.stage_index + 1, at)
    else:
        _succeed(d, at)


def _hook_succeeded(d, at, hook):
    hook["status"], d.updated_at = "SUCCEEDED", at


def _hook_timed_out(d, at, hook):
    hook["status"], d.updated_at = "TIMED_OUT", at
    if hook["timeoutAction"] == "ROLLBACK":
        _start_rollback(d, at, f"Service deployment rolled back because lifecycle hook {hook['hookId']} "
                               f"({hook['targetType']}) timed out at {d.stage}")


def _check_alarms(d, at):
    """Notes alarms in ALARM; True when they started a rollback."""
    if d.status != "IN_PROGRESS" or not d.alarm_names or d.stage not in plan.ALARM_WINDOW:
        return False
    firing = moto_side.alarms_in_alarm(d.record.account, d.record.region, d.alarm_names)
    if not firing:
        return False
    d.triggered += [name for name in firing if name not in d.triggered]
    d.alarms_status, d.updated_at = "TRIGGERED", at
    if d.alarm_rollback:
        _start_rollback(d, at, "Service deployment rolled back because the CloudWatch alarm(s) "
                               f"{', '.join(firing)} went into ALARM state")
        return True
    return False


# --- Endings ------------------------------------------------------------------------------


def _succeed(d, at):
    d.status, d.status_reason, d.finished_at, d.updated_at = "SUCCESSFUL", SUCCEEDED_REASON, at, at
    _complete_monitors(d)
    d.record.stable = d.target.revision
    d.record.event(f"deployment {d.ecs_id} deployment completed.", at)
    d.record.event("has reached a steady state.", at)
    _forget(d)


def trip_circuit_breaker(d, at):
    """The failed tasks reached the breaker's threshold: the deployment fails and rolls back
    (incident.py only starts deployments whose breaker has rollback on)."""
    d.breaker_status, d.updated_at = "TRIGGERED", at
    d.record.event(f"deployment {d.ecs_id} deployment failed: tasks failed to start.", at)
    _start_rollback(d, at, BREAKER_REASON, announce="rolling back to deployment {id}.")


def _start_rollback(d, at, reason, announce=None):
    back = d.rollback_share
    d.status, d.status_reason, d.updated_at = "ROLLBACK_IN_PROGRESS", reason, at
    d.rollback = {"reason": reason, "startedAt": at, "serviceRevisionArn": back.revision.arn}
    d.rollback_ecs_id = new_ecs_id()
    back.revision.ecs_id, back.revision.ecs_created = d.rollback_ecs_id, at
    desired = d.record.service.desired_count
    for share in d.shares():
        share.ramp(desired if share is back else 0, at, CLOCK.stage_secs)
        share.prod = 100.0 if share is back else 0.0
        share.test = None if share.test is None else share.prod
    _fail_unresolved_hooks(d)
    moto_side.restore_revision(d.record.service, back.revision.fields)
    d.record.current = back.revision
    to = moto_side.family_revision(back.revision.fields["taskDefinition"])
    if announce is None:
        announce = "rolling back to deployment {id} ({to}): {reason}."
    d.record.event(announce.format(id=d.rollback_ecs_id, to=to, reason=reason), at)


def _finish_rollback(d, at):
    d.status, d.finished_at, d.updated_at = "ROLLBACK_SUCCESSFUL", at, at
    for share in d.shares():
        share.settle(at)
    _complete_monitors(d)
    d.record.stable = d.rollback_share.revision
    d.record.event(f"deployment {d.rollback_ecs_id} deployment completed.", at)
    d.record.event("has reached a steady state.", at)
    _forget(d)


def _stop(d, at, reason):
    d.status, d.status_reason, d.updated_at = "STOPPED", reason, at
    d.stopped_at = d.finished_at = at
    for share in d.shares():
        share.freeze(at)
    _complete_monitors(d)
    _fail_unresolved_hooks(d)
    _forget(d)


def _fail_unresolved_hooks(d):
    for hook in d.hooks:
        if hook["status"] in UNRESOLVED:
            hook["status"] = "FAILED"


def _complete_monitors(d):
    if d.alarms_status == "MONITORING":
        d.alarms_status = "MONITORING_COMPLETE"
    if d.breaker_status == "MONITORING":
        d.breaker_status = "MONITORING_COMPLETE"


# --- Requests on a deployment ----------------------------------------------------------------


def stop(arn, stop_type):
    d = _deployment(arn)
    if d.status not in ("PENDING", "IN_PROGRESS"):
        raise ApiError("InvalidParameterException",
                       f"The service deployment {arn} is {d.status} and can't be stopped. "
                       "Only a PENDING or IN_PROGRESS service deployment can be stopped.")
    at = CLOCK.now()
    if d.status == "PENDING":
        _begin(d, at)
    if stop_type == "ABORT":
        _stop(d, at, STOP_ABORT_REASON)
        d.record.event(f"deployment {d.ecs_id} was stopped: {STOP_ABORT_REASON}.", at)
    else:
        d.stopped_at = at
        _start_rollback(d, at, STOP_ROLLBACK_REASON)
    mirror(d, at)


def continue_deployment(arn, hook_id, action):
    d = _deployment(arn)
    hook = next((h for h in d.hooks if h["hookId"] == hook_id), None)
    if d.status != "IN_PROGRESS" or hook is None or hook["status"] != "AWAITING_ACTION":
        raise ApiError("InvalidParameterException",
                       f"The service deployment {arn} is not waiting for lifecycle hook {hook_id}.")
    at = CLOCK.now()
    d.updated_at = at
    if action == "ROLLBACK":
        hook["status"] = "FAILED"
        _start_rollback(d, at, f"Service deployment rolled back because lifecycle hook {hook_id} "
                               f"({hook['targetType']}) at {d.stage} asked to roll back")
    else:
        hook["status"] = "SUCCEEDED"
    advance(d, at)
    mirror(d, at)


def _deployment(arn):
    d = DEPLOYMENTS.get(arn)
    if d is None:
        raise ApiError("ServiceDeploymentNotFoundException", f"The service deployment {arn} does not exist.")
    return d


def install(app):
    """Hooks moto's services and returns `app` behind the deployments API."""
    import deployments_api

    moto_side.install_backend_hooks(service_created, service_updated)
    return deployments_api.DeploymentsApi(app)
