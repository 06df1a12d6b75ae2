"""ECS tasks the incident engine (incident.py) starts and stops, with the stop details ECS
gives: stopCode, stoppedReason, stoppingAt, stoppedAt, and per container its exitCode,
reason and healthStatus.

moto's tasks carry none of these, and moto gives every task a single container whatever its
task definition holds. moto's serializer writes any attribute of a task or container that
botocore's model names (stop_code, stopped_at, exitCode, reason, ...), so the details are set
on moto's own objects and DescribeTasks, ListTasks and StopTask show them as ECS would.

CAUSES says how each kind of stop reads, in ECS's words:

  oom               EssentialContainerExited   "Essential container in task exited"; the
                    failing container exits 137: "OutOfMemoryError: Container killed due to
                    memory usage"
  elb-health        ServiceSchedulerInitiated  "Task failed ELB health checks in (target-group ARN)"
  container-health  ServiceSchedulerInitiated  "Task failed container health checks"; the
                    container is UNHEALTHY
  image-pull        TaskFailedToStart          "CannotPullContainerError: pull image manifest has
                    been retried 5 time(s): failed to resolve ref IMAGE: IMAGE: not found"; no
                    container ever started, so none has an exit code
  spot              SpotInterruption           "Your Spot Task was interrupted."
  user              UserInitiated              "Task stopped by user" (or the reason given)
  scale-in          ServiceSchedulerInitiated  "Scaling activity initiated by (deployment ecs-svc/ID)"

Times come from the deployment engine's clock (an incident's `at`), so a manual clock gives
the same timestamps in every run.
"""

import dataclasses
import uuid

from moto.ec2.models import ec2_backends
from moto.ecs import models as ecs_models

import deployments_moto as moto_side


@dataclasses.dataclass(frozen=True)
class Cause:
    stop_code: str
    reason: str  # a template: {tg}, {image}, {deployment}
    exit_code: int | None  # of the failing container; None: it never ran
    container_reason: str | None = None
    started: bool = True  # False: the task never got past pulling its image
    lag: float = 2.0  # stoppingAt this many seconds before stoppedAt (bounded by the start)
    unhealthy: bool = False


PULL_ERROR = ("CannotPullContainerError: pull image manifest has been retried 5 time(s): "
              "failed to resolve ref {image}: {image}: not found")

CAUSES = {
    "oom": Cause("EssentialContainerExited", "Essential container in task exited", 137,
                 "OutOfMemoryError: Container killed due to memory usage"),
    "elb-health": Cause("ServiceSchedulerInitiated", "Task failed ELB health checks in (target-group {tg})", 143,
                        lag=30.0),
    "container-health": Cause("ServiceSchedulerInitiated", "Task failed container health checks", 143,
                              lag=30.0, unhealthy=True),
    "image-pull": Cause("TaskFailedToStart", PULL_ERROR, None, PULL_ERROR, started=False),
    "spot": Cause("SpotInterruption", "Your Spot Task was interrupted.", 143, lag=30.0),
    "user": Cause("UserInitiated", "Task stopped by user", 143, lag=30.0),
    "scale-in": Cause("ServiceSchedulerInitiated", "Scaling activity initiated by (deployment {deployment})", 143,
                      lag=30.0),
}


def start(backend, service, task_def, started_by, at, pulling=False):
    """A task of `service` running `task_def`, started at `at` (still pulling its image when
    `pulling`). Placed like the service's tasks: its launch type, network and group."""
    cluster = backend.clusters[service.cluster_name]
    task = ecs_models.Task(cluster, task_def, _instance(backend, service), {}, backend,
                           group=f"service:{service.name}", launch_type=_launch_type(service),
                           started_by=started_by, networking_configuration=_network(service, task_def),
                           platform_version=_platform_version(service),
                           capacity_provider_name=_capacity_provider(service))
    # The incident owns this task's lifecycle: moto's state manager must not move it on.
    task._transitions = []
    task.last_status = "PENDING" if pulling else "RUNNING"
    task.cpu, task.memory = task_def.cpu, task_def.memory
    task.containers = [_container(task, task_def, c, pulling) for c in task_def.container_definitions]
    task.created_at = task.pull_started_at = task.connectivity_at = moto_side.to_datetime(at)
    task.connectivity, task.health_status = "CONNECTED", "UNKNOWN"
    if not pulling:
        task.pull_stopped_at = task.started_at = task.created_at
    backend.tasks.setdefault(cluster.name, {})[task.task_arn] = task
    return task


def _container(task, task_def, definition, pulling):
    container = ecs_models.Container(task_def)
    container.name, container.image = definition.get("name"), definition.get("image")
    container.cpu = str(definition.get("cpu", 0))
    container.memory = str(definition["memory"]) if definition.get("memory") else None
    container.task_arn = task.task_arn
    container.container_arn = task.task_arn.replace(":task/", ":container/") + f"/{uuid.uuid4()}"
    if "/" not in task.task_arn.split(":task/")[-1]:  # short task ARNs: put the cluster in
        container.container_arn = container.container_arn.replace(":container/", f":container/{task.cluster_name}/")
    container.last_status = "PENDING" if pulling else "RUNNING"
    container.exitCode, container.reason, container.health_status = None, None, "UNKNOWN"
    return container


def stop(task, cause_name, at, failing=None, **words):
    """Stops the task at `at` for `cause_name` (a CAUSES key), `failing` naming the container
    the cause hits (default: the first essential one). `words` fill the reason's template;
    `reason` replaces it (StopTask's own reason)."""
    cause = CAUSES[cause_name]
    reason = words.pop("reason", None) or cause.reason.format(**_template(task, words))
    started = task.started_at.timestamp() if getattr(task, "started_at", None) else task.created_at.timestamp()
    task.desired_status, task.last_status = "STOPPED", "STOPPED"
    task.stop_code, task.stopped_reason = cause.stop_code, reason
    task.stopping_at = moto_side.to_datetime(max(started, at - cause.lag))
    task.stopped_at = task.execution_stopped_at = moto_side.to_datetime(at)
    if not cause.started:
        task.pull_stopped_at = task.stopped_at
    task.health_status = "UNHEALTHY" if cause.unhealthy else "UNKNOWN"
    hit = failing or _essential(task)
    ran = cause.started and getattr(task, "started_at", None) is not None
    for container in task.containers:
        _stop_container(container, cause, container.name == hit, reason, ran)
    _release_network(task)
    return task


def _stop_container(container, cause, hit, reason, ran):
    container.last_status = "STOPPED"
    if not ran:  # it never started: no exit code; a failed pull says why
        container.exitCode = None
        container.reason = reason if hit and not cause.started else None
        return
    container.exitCode = cause.exit_code if hit else 0
    container.reason = cause.container_reason if hit else None
    if hit and cause.unhealthy:
        container.health_status = "UNHEALTHY"


def _template(task, words):
    """Default words for a reason template: the failing container's image."""
    filled = {"tg": "unknown", "deployment": task.started_by, "image": task.containers[0].image}
    filled.update(words)
    return filled


def _essential(task):
    return task.containers[0].name if task.containers else None


def stop_existing(backend, cluster, task_ref, cause_name, at, reason=None, **words):
    """StopTask-like, for a task moto started: moto frees its resources, then the details
    (`words` fill the cause's reason template, as for stop())."""
    task = backend.stop_task(cluster, task_ref, reason or "")
    task._transitions = []
    if not getattr(task, "created_at", None):
        task.created_at = moto_side.to_datetime(at)
    if not getattr(task, "started_at", None):
        task.started_at = task.created_at
    _fill_containers(backend, task)
    return stop(task, cause_name, at, reason=reason, **words)


def _fill_containers(backend, task):
    """moto's tasks have one container, named after the first definition: name them all."""
    task_def = backend.describe_task_definition(task.task_definition_arn)
    if len(task.containers) == len(task_def.container_definitions):
        return
    task.containers = [_container(task, task_def, c, False) for c in task_def.container_definitions]


def find(backend, cluster, task_ref):
    """moto's task object for an ARN or ID in `cluster`, or None."""
    task_id = task_ref.split("/")[-1]
    for arn, task in backend.tasks.get(cluster, {}).items():
        if arn.split("/")[-1] == task_id:
            return task
    return None


def _network(service, task_def):
    if task_def.network_mode != "awsvpc":
        return None
    network = moto_side._copy(service.network_configuration) or {}
    if "awsvpcConfiguration" not in network:
        return None  # moto refuses the task: incident_api checks this before it starts
    network["awsvpcConfiguration"].setdefault("securityGroups", [])
    return network


def _instance(backend, service):
    """The first active container instance for a task not on Fargate (no resources are held:
    the task does not live long)."""
    if _launch_type(service) == "FARGATE":
        return None
    for instance in backend.container_instances.get(service.cluster_name, {}).values():
        if instance.status == "ACTIVE":
            return instance.container_instance_arn
    return None


def _launch_type(service):
    """What ECS reports for a service's tasks (moto would say "" for a capacity provider)."""
    provider = _capacity_provider(service) or ""
    if service.launch_type:
        return service.launch_type
    return "FARGATE" if provider.startswith("FARGATE") else ("EC2" if provider else "")


def _platform_version(service):
    """A Fargate task runs a real platform version, LATEST resolved."""
    version = getattr(service, "platform_version", None)
    if _launch_type(service) == "FARGATE" and version in (None, "", "LATEST"):
        return "1.4.0"
    return version


def _capacity_provider(service):
    strategy = getattr(service, "capacity_provider_strategy", None) or []
    return strategy[0].get("capacityProvider") if strategy else None


def _release_network(task):
    """ECS detaches and deletes a stopped task's network interface."""
    for attachment in task.attachments:
        attachment["status"] = "DELETED"
        eni = next((d["value"] for d in attachment["details"] if d["name"] == "networkInterfaceId"), None)
        if eni:
            try:
                ec2_backends[task._account_id][task.region_name].delete_network_interface(eni)
            except Exception:  # already gone: nothing to release
                pass
