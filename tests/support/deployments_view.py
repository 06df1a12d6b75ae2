"""What DescribeServices shows of the deployment engine's state: ECS's older view of a rollout,
the service's `deployments` list (a PRIMARY for the revision taking over, an ACTIVE per
revision still running, rolloutState and rolloutStateReason as ECS words them, a rollback as
a new PRIMARY "rolling back" with the failed one ACTIVE and FAILED), plus
currentServiceDeployment and currentServiceRevisions, and the service's counts.
"""

import copy

import deployments_moto as moto_side


def mirror(d, at):
    """Writes the deployment as the service's `deployments` list (ECS's older view)."""
    backend, service = moto_side.find_service(d.record.account, d.record.region, d.record.cluster,
                                              d.record.name, d.record.service)
    if service is None or d.record.deployments[-1] is not d:
        return
    entries = _entries(d, at)
    revisions = [{"arn": arn, "requestedTaskCount": e["desiredCount"], "runningTaskCount": e["runningCount"],
                  "pendingTaskCount": e["pendingCount"]} for arn, e in entries]
    moto_side.write_deployments(backend, service, [e for _, e in entries], d.arn, revisions)


def _entries(d, at):
    """[(revision ARN, ECS deployment entry)], PRIMARY first."""
    desired = d.record.service.desired_count
    settled = {"desired": desired, "running": desired, "pending": 0}
    if d.status in ("PENDING", "IN_PROGRESS"):
        primary = _entry(d, d.target, "PRIMARY", "IN_PROGRESS", f"ECS deployment {d.ecs_id} in progress.", at)
        return [primary] + [_active(d, s, at) for s in d.sources]
    if d.status == "SUCCESSFUL":
        return [_entry(d, d.target, "PRIMARY", "COMPLETED", f"ECS deployment {d.ecs_id} completed.", at, **settled)]
    back = d.rollback_share
    to = moto_side.family_revision(back.revision.fields["taskDefinition"])
    reason = d.rollback["reason"] if d.rollback else d.status_reason
    if d.status == "ROLLBACK_IN_PROGRESS":
        primary = _entry(d, back, "PRIMARY", "IN_PROGRESS",
                         f"ECS deployment {d.rollback_ecs_id} rolling back to {to}: {reason}.", at)
        failed = _entry(d, d.target, "ACTIVE", "FAILED", _failed_reason(d, reason), at)
        return [primary, failed] + [_active(d, s, at) for s in d.sources if s is not back]
    if d.status == "ROLLBACK_SUCCESSFUL":
        return [_entry(d, back, "PRIMARY", "COMPLETED",
                       f"ECS deployment {d.rollback_ecs_id} completed: rolled back to {to} ({reason}).", at, **settled)]
    primary = _entry(d, d.target, "PRIMARY", "FAILED", f"ECS deployment {d.ecs_id} stopped: {reason}.", at)
    return [primary] + [_active(d, s, at) for s in d.sources if s.running(at)]


def _failed_reason(d, reason):
    if d.breaker_status == "TRIGGERED":  # ECS's own words when the circuit breaker trips
        return "ECS deployment circuit breaker: tasks failed to start."
    return f"ECS deployment {d.ecs_id} failed: {reason}."


def _active(d, share, at):
    return _entry(d, share, "ACTIVE", "COMPLETED", f"ECS deployment {share.revision.ecs_id} completed.", at)


def _entry(d, share, status, rollout, reason, at, desired=None, running=None, pending=None):
    fields = share.revision.fields
    entry = {
        "id": share.revision.ecs_id,
        "status": status,
        "taskDefinition": fields["taskDefinition"],
        "desiredCount": share.requested if desired is None else desired,
        "pendingCount": share.pending(at) if pending is None else pending,
        "runningCount": share.running(at) if running is None else running,
        "failedTasks": d.failed_tasks if share is d.target else 0,
        "createdAt": moto_side.to_datetime(share.revision.ecs_created),
        "updatedAt": moto_side.to_datetime(d.updated_at),
        "rolloutState": rollout,
        "rolloutStateReason": reason,
    }
    for key in ("launchType", "platformVersion", "platformFamily", "networkConfiguration",
                "capacityProviderStrategy", "serviceConnectConfiguration", "volumeConfigurations"):
        if key in fields:
            entry[key] = copy.deepcopy(fields[key])
    return share.revision.arn, entry
