"""Incidents for the emulator: a bad deployment whose tasks fail until the circuit breaker
rolls it back, with what an incident cockpit reads along the way (stopped tasks, service
events, the deployment's rollback, an alarm's history, scaling activities, error logs).

POST /_ecsdeck/incident/bad-deploy (incident_api.py) starts one: it registers a bad revision of
the service's task definition (the failing container's image tag moved on), deploys it with
UpdateService, and marks the new service deployment bad (its `faults` is the Incident). From
then on the deployment engine (deployments.py) drives it, on its clock (real, or manual and
moved by POST /_ecsdeck/deployments/clock), through its usual stages up to SCALE_UP, where:

  * tasks come in waves instead of coming up: a wave starts min(desired count, failures still
    to come) tasks at once ("(service web) has started 2 tasks: (task a) (task b)."); they fail
    stageSecs later, each stopped with ECS's details (incident_tasks.py), and the next wave
    starts RESTART_SECS after. The failure mode says how each task fails, in order:
      oom-then-health  out of memory for the first half of the threshold, then failed ELB
                       health checks (container health checks when the service has no load
                       balancer)
      oom, elb-health, container-health, image-pull
                       every task the same way (elb-health needs a load balancer);
  * every failed task counts in the deployment's circuit breaker (failureCount) and in
    failedTasks; at the threshold (AWS's: half the desired count, at least 3, at most 200, or
    the request's `threshold`) the deployment fails and rolls back (deployments.py's
    trip_circuit_breaker): ROLLBACK_IN_PROGRESS, then ROLLBACK_SUCCESSFUL stageSecs later;
  * when the first wave fails, the incident's alarm goes OK -> ALARM (incident_alarms.py) and,
    when the service has a scalable target with a scaling policy, Application Auto Scaling
    sets the desired count one higher, up to MaxCapacity (incident_scaling.py);
  * each task writes its log lines, ERROR lines as it fails (incident_logs.py);
  * once the deployment has ended, the alarm goes back to OK stageSecs later and the desired
    count back to what it was stageSecs after that (the incident is then over).

If the deployment ends another way first (an alarm rollback, StopServiceDeployment, a newer
UpdateService), its tasks still running are stopped ("Scaling activity initiated by
(deployment ...)") and the recovery follows all the same. Everything runs under the deployment
engine's lock, inside its advance: deployments.py asks a bad deployment's `faults` for its next
event, and calls after_advance() once every deployment has reached "now".
"""

import copy
import itertools
import math
import re

import deployments as engine
import deployments_moto as moto_side
import incident_alarms as alarms
import incident_logs as logs
import incident_scaling as scaling
import incident_tasks as tasks
from deployments_state import CLOCK, ApiError

MODES = ("oom-then-health", "oom", "elb-health", "container-health", "image-pull")
RESTART_SECS = 5.0
INCIDENTS = []  # every incident since the last reset, oldest first
_ids = itertools.count(1)


class Incident:
    """One bad deployment of one service and what follows from it."""

    def __init__(self, record, mode, task_def, lb, alarm, threshold):
        self.id = f"incident-{next(_ids)}"
        self.record, self.mode, self.task_def = record, mode, task_def
        self.target_group, self.port, self.container = lb
        self.image = _image_of(task_def, self.container)
        self.alarm, self.threshold = alarm, threshold
        self.deployment = None
        self.failures, self.live, self.stopped = 0, [], []
        self.wave_at = self.next_wave = None
        self.desired_before, self.scaled = record.service.desired_count, False
        self.recovery, self.over = None, False

    # --- Called by the deployment engine while the deployment is IN_PROGRESS ---------------

    def next_event(self, d):
        """(time, action(d, at)) of the incident's next event in its deployment, or None."""
        if d.status != "IN_PROGRESS" or d.stage != "SCALE_UP":
            return None
        if self.live:
            return self.wave_at + CLOCK.stage_secs, self._end_wave
        start = d.stage_entered if self.next_wave is None else self.next_wave
        return max(start, d.stage_entered), self._start_wave

    def kind(self, index):
        """How the index-th task (from 0) fails."""
        if self.mode == "oom-then-health":
            return "oom" if index < math.ceil(self.threshold / 2) else self._health()
        return self._health() if self.mode == "elb-health" else self.mode

    def _health(self):
        return "elb-health" if self.target_group else "container-health"

    def _start_wave(self, d, at):
        backend, service = self._service()
        count = max(1, min(d.target.requested, self.threshold - self.failures))
        kinds = [self.kind(self.failures + k) for k in range(count)]
        self.live = [(self._start_task(backend, service, d, at, kind), kind) for kind in kinds]
        self.wave_at, d.updated_at = at, at
        d.record.event(f"has started {count} tasks: {_task_list(t for t, _ in self.live)}.", at)

    def _start_task(self, backend, service, d, at, kind):
        task = tasks.start(backend, service, self.task_def, d.ecs_id, at, pulling=kind == "image-pull")
        if kind != "image-pull":
            logs.started(self.record.account, self.record.region, self._log_target(task), at, self.image, self.port)
        return task

    def _end_wave(self, d, at):
        failed = [(task, kind) for task, kind in self.live if task.desired_status != "STOPPED"]
        self.live = []
        for task, kind in failed:
            self._fail(task, kind, at)
        _announce_stops(d, [t for t, k in failed if k in ("elb-health", "container-health")], at)
        first = self.failures == 0 and bool(failed)
        self.failures += len(failed)
        d.failed_tasks, d.updated_at = self.failures, at
        if first:
            self._alarm_and_scale_out(at)
        if self.failures >= self.threshold:
            engine.trip_circuit_breaker(d, at)
        else:
            self.next_wave = at + RESTART_SECS

    def _fail(self, task, kind, at):
        started = task.created_at.timestamp()
        tasks.stop(task, kind, at, failing=self.container, tg=self.target_group, image=self.image)
        self.stopped.append(task.task_arn)
        if kind == "elb-health":
            self.record.event(f"(task {task.id}) (port {self.port}) is unhealthy in (target-group "
                              f"{self.target_group}) due to (reason Health checks failed with these codes: [503]).", at)
        elif kind == "container-health":
            self.record.event(f"(task {task.id}) failed container health checks.", at)
        logs.failed(self.record.account, self.record.region, self._log_target(task), kind, started, at, self.port)

    def _alarm_and_scale_out(self, at):
        if self.alarm:
            alarms.transition(self.record.account, self.record.region, self.alarm, "ALARM", at)
        self.scaled = self._scale(self.desired_before + 1, at, "out")

    # --- After the deployment has ended (deployments.AFTER_ADVANCE) --------------------------

    def after_advance(self, now):
        d = self.deployment
        if not self.over and self._service()[1] is None:
            self.over = True  # the service is gone (deleted, or moto reset): nothing follows
        if self.over or d is None or d.status == "IN_PROGRESS" or d.status == "PENDING":
            return
        if self.live:
            self._settle(d)
        if d.finished_at is None:
            return  # still rolling back
        if self.recovery is None:
            secs = CLOCK.stage_secs
            self.recovery = [(d.finished_at + secs, self._alarm_ok), (d.finished_at + 2 * secs, self._scale_in)]
        while self.recovery and self.recovery[0][0] <= now:
            at, action = self.recovery.pop(0)
            action(at)
        self.over = not self.recovery

    def _settle(self, d):
        """The deployment ended with tasks still running: ECS stops them."""
        at = d.rollback["startedAt"] if d.rollback else (d.finished_at or d.updated_at)
        ecs_id = d.rollback_ecs_id or d.ecs_id
        stopping = [task for task, _ in self.live if task.desired_status != "STOPPED"]
        self.live = []
        for task in stopping:
            tasks.stop(task, "scale-in", at, deployment=ecs_id)
            self.stopped.append(task.task_arn)
        _announce_stops(d, stopping, at)

    def _alarm_ok(self, at):
        if self.alarm:
            alarms.transition(self.record.account, self.record.region, self.alarm, "OK", at)

    def _scale_in(self, at):
        if self.scaled:
            self._scale(self.desired_before, at, "in")

    def _scale(self, desired, at, direction):
        """Application Auto Scaling moving the desired count; False when it can't (no target or
        policy, or already there)."""
        r = self.record
        scalable, policy = scaling.target(r.account, r.region, r.cluster, r.name)
        _, service = self._service()
        if scalable is None or policy is None or service is None:
            return False
        desired = scaling.bounded(scalable, desired)
        if desired == service.desired_count:
            return False
        scaling.scale(r.account, r.region, r.cluster, r.name, desired, at, self.alarm, direction)
        engine.scale_service(r, desired, at)
        return True

    # --- Helpers -------------------------------------------------------------------------------

    def _service(self):
        r = self.record
        return moto_side.find_service(r.account, r.region, r.cluster, r.name, r.service)

    def _log_target(self, task):
        return logs.target(self.task_def, self.container, task.id)

    def describe(self):
        d = self.deployment
        return {
            "id": self.id, "cluster": self.record.cluster, "service": self.record.name, "failure": self.mode,
            "serviceDeploymentArn": d.arn if d else None, "deploymentStatus": d.status if d else None,
            "taskDefinition": self.task_def.arn, "image": self.image, "threshold": self.threshold,
            "failures": self.failures, "runningTasks": [t.task_arn for t, _ in self.live],
            "stoppedTasks": list(self.stopped), "alarmName": self.alarm, "targetGroupArn": self.target_group,
            "scaledOut": self.scaled, "over": self.over,
        }


def _task_list(task_objects):
    return " ".join(f"(task {t.id})" for t in task_objects)


def _announce_stops(d, stopped, at):
    if stopped:
        d.record.event(f"has stopped {len(stopped)} running tasks: {_task_list(stopped)}.", at)


def _image_of(task_def, container):
    return next((c.get("image") for c in task_def.container_definitions if c.get("name") == container), "")


# --- Starting an incident ----------------------------------------------------------------------


def bad_deploy(backend, service, request):
    """Registers the bad revision, deploys it and marks the deployment bad; the Incident."""
    record = engine.record_for(backend.account_id, backend.region_name, service.cluster_name, service.name)
    if record is None or record.service is not service:
        raise ApiError("InvalidParameterException", "the service is not deployed by the ECS deployment controller")
    mode = request.get("failure") or "oom-then-health"
    _check_ready(backend, service, mode)
    current = backend.describe_task_definition(service.task_definition)
    lb = _load_balancer(service, current)
    if mode == "elb-health" and not lb[0]:
        raise ApiError("InvalidParameterException", "failure elb-health needs a service with a target group")
    alarm, threshold = _alarm_name(backend, service, request), _threshold(service, request)
    bad = _register_bad_revision(backend, current, lb[2], request.get("image"))
    incident = Incident(record, mode, bad, lb, alarm, threshold)
    _deploy(backend, service, incident)
    INCIDENTS.append(incident)
    return incident


def _check_ready(backend, service, mode):
    if mode not in MODES:
        raise ApiError("InvalidParameterException", f"failure must be one of {', '.join(MODES)}")
    breaker = (getattr(service, "deployment_configuration", None) or {}).get("deploymentCircuitBreaker") or {}
    if not (breaker.get("enable") and breaker.get("rollback")):
        raise ApiError("InvalidParameterException", "the service needs deploymentConfiguration."
                       "deploymentCircuitBreaker {enable: true, rollback: true} for its bad deployment to roll back")
    if service.desired_count < 1:
        raise ApiError("InvalidParameterException", "the service's desired count is 0: no task would start")
    task_def = backend.describe_task_definition(service.task_definition)
    network = (service.network_configuration or {}).get("awsvpcConfiguration") or {}
    if task_def.network_mode == "awsvpc" and not network.get("subnets"):
        raise ApiError("InvalidParameterException", "an awsvpc task definition needs the service's "
                       "networkConfiguration.awsvpcConfiguration.subnets")


def _load_balancer(service, task_def):
    """(target group ARN or None, container port, failing container's name)."""
    for lb in service.load_balancers or []:
        if lb.get("targetGroupArn"):
            return lb["targetGroupArn"], lb.get("containerPort") or 80, lb.get("containerName") or _first(task_def)
    port = next((m.get("containerPort") for m in task_def.container_definitions[0].get("portMappings") or []), 80)
    return None, port, _first(task_def)


def _first(task_def):
    return task_def.container_definitions[0].get("name")


def _alarm_name(backend, service, request):
    """The request's alarmName, else an alarm about the service: named after it, or with its
    ServiceName dimension (not the alarms Application Auto Scaling made for itself)."""
    from moto.cloudwatch.models import cloudwatch_backends

    found = cloudwatch_backends[backend.account_id][backend.region_name].alarms
    name = request.get("alarmName")
    if name:
        if name not in found:
            raise ApiError("ResourceNotFoundException", f"no CloudWatch alarm named {name}")
        return name
    for alarm in found.values():
        if alarm.name.startswith("TargetTracking-"):
            continue
        dims = {d.name: d.value for d in alarm.dimensions}
        if alarm.name.startswith(f"{service.name}-") or dims.get("ServiceName") == service.name:
            return alarm.name
    return None


def _threshold(service, request):
    """The request's threshold, else the circuit breaker's: half the desired count, 3 to 200."""
    given = request.get("threshold")
    if given is not None:
        if not isinstance(given, int) or isinstance(given, bool) or given < 1:
            raise ApiError("InvalidParameterException", "threshold must be an integer >= 1")
        return given
    return min(200, max(3, math.ceil(0.5 * service.desired_count)))


def _register_bad_revision(backend, task_def, container, image=None):
    """The next revision of the family, the failing container's image moved on (or `image`)."""
    definitions = copy.deepcopy(task_def.container_definitions)
    for definition in definitions:
        if definition.get("name") == container:
            definition["image"] = image or _next_image(definition.get("image") or "app")
    return backend.register_task_definition(
        task_def.family, definitions, volumes=copy.deepcopy(task_def.volumes), network_mode=task_def.network_mode,
        tags=copy.deepcopy(task_def.tags), placement_constraints=copy.deepcopy(task_def.placement_constraints),
        requires_compatibilities=task_def.requires_compatibilities, cpu=task_def.cpu, memory=task_def.memory,
        task_role_arn=getattr(task_def, "task_role_arn", None),
        execution_role_arn=getattr(task_def, "execution_role_arn", None),
        runtime_platform=task_def.runtime_platform, ephemeral_storage=task_def.ephemeral_storage)


def _next_image(image):
    """The next version of an image tag: web:1.4.2 -> web:1.4.3, web:latest -> web:latest-next."""
    repo, colon, tag = image.rpartition(":")
    if not colon or "/" in tag:
        return f"{image}:next"
    number = re.search(r"(\d+)$", tag)
    if number is None:
        return f"{repo}:{tag}-next"
    return f"{repo}:{tag[:number.start()]}{int(number.group(1)) + 1}"


def _deploy(backend, service, incident):
    """UpdateService to the bad revision; the deployment it starts is the incident's."""
    backend.update_service({"cluster": service.cluster_name, "service": service.name,
                            "task_definition": incident.task_def.arn})
    d = incident.record.deployments[-1]
    if d.status != "PENDING" or d.target.revision.fields["taskDefinition"] != incident.task_def.arn:
        raise ApiError("ServerException", "the UpdateService started no deployment")
    d.faults, d.breaker_threshold = incident, incident.threshold
    incident.deployment = d


# --- The engine's side -------------------------------------------------------------------------


def after_advance(now):
    for incident in INCIDENTS:
        incident.after_advance(now)


def live():
    return any(not i.over for i in INCIDENTS)


def reset():
    """Forgets every incident (moto's state was reset)."""
    del INCIDENTS[:]


def install(app):
    """Adds the AWS operations moto lacks, hooks the engine, returns `app` behind the API."""
    import incident_api

    alarms.install()
    scaling.install()
    engine.AFTER_ADVANCE.append(after_advance)
    return incident_api.IncidentApi(app)
