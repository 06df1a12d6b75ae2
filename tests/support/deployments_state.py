"""The records of the deployment engine (deployments.py): the clock, the ids, and per service
its revisions and deployments, each deployment with the part every revision plays in it
(its task counts and traffic weights). Kept apart so the engine's module is only about how
deployments move, and the API layer (deployments_api.py) can read records without it.
"""

import base64
import copy
import hashlib
import itertools
import time

import deployments_moto as moto_side
import deployments_plan as plan


class Clock:
    """Real time, or a manual time that only moves when told to."""

    def __init__(self):
        self.manual = None
        self.stage_secs = 15.0

    def now(self):
        return self.manual if self.manual is not None else time.time()

    def set_mode(self, mode):
        if mode == "manual" and self.manual is None:
            self.manual = time.time()
        elif mode == "real":
            self.manual = None

    def advance(self, secs):
        self.manual += secs


CLOCK = Clock()
SERVICES = {}  # (account, region, cluster, service name) -> ServiceRecord
DEPLOYMENTS = {}  # service deployment ARN -> Deployment
REVISIONS = {}  # service revision ARN -> Revision
_ids = itertools.count(1)


def _digest(kind):
    return hashlib.sha256(f"ecsdeck-{kind}-{next(_ids)}".encode()).digest()


def new_token(kind):
    """Random-looking, but the same sequence in every run of the emulator."""
    return base64.urlsafe_b64encode(_digest(kind)).decode()[:21]


def new_number(kind):
    return str(int.from_bytes(_digest(kind)[:8], "big") % 10**19)


def new_ecs_id():
    return f"ecs-svc/{new_number('ecs-svc')}"


class ServiceRecord:
    """A service's revisions and deployments, and the revisions it runs and last settled on."""

    def __init__(self, backend, service):
        self.account, self.region = backend.account_id, backend.region_name
        self.cluster, self.name = service.cluster_name, service.name
        self.service = service
        self.deployments = []
        self.current = self.stable = None

    def arn_for(self, kind, ident):
        partition = self.service.arn.split(":")[1]
        return f"arn:{partition}:ecs:{self.region}:{self.account}:{kind}/{self.cluster}/{self.name}/{ident}"

    def event(self, message, at):
        moto_side.add_event(self.service, new_uuid(), f"(service {self.name}) {message}", at)


def new_uuid():
    h = _digest("event").hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


class Revision:
    """What a service's tasks run: captured from the service when a deployment starts."""

    def __init__(self, record, fields, at):
        self.arn = record.arn_for("service-revision", new_number("revision"))
        self.fields = fields
        self.created_at = at
        # The ECS deployment (ecs-svc/...) that runs this revision in DescribeServices.
        self.ecs_id, self.ecs_created = None, at
        REVISIONS[self.arn] = self

    def describe(self):
        return dict({"serviceRevisionArn": self.arn}, **copy.deepcopy(self.fields), createdAt=self.created_at)


class Share:
    """A revision's part in a deployment: its tasks (ramping linearly between two times) and
    its production and test traffic weights (test None when the strategy has none)."""

    def __init__(self, revision, tasks, prod=0.0, test=None):
        self.revision = revision
        self.requested = tasks
        self._from = self._to = tasks
        self._start = self._end = 0.0
        self.prod, self.test = prod, test

    def running(self, at):
        if at >= self._end or self._end <= self._start:
            return self._to
        fraction = max(0.0, (at - self._start) / (self._end - self._start))
        return int(self._from + (self._to - self._from) * fraction)

    def pending(self, at):
        return max(0, self.requested - self.running(at))

    def request(self, requested):
        """Asks for `requested` tasks without any of them coming up (a failing deployment's
        tasks never reach RUNNING: see incident.py)."""
        self.requested = requested

    def ramp(self, requested, at, secs):
        self._from, self._to = self.running(at), requested
        self._start, self._end = at, at + secs
        self.requested = requested

    def settle(self, at):
        """The ramp's goal reached (its stage is over)."""
        self._from, self._end = self._to, min(self._end, at)

    def freeze(self, at):
        """Stays where it is now (its deployment stopped)."""
        self._from = self._to = self.running(at)
        self._end = at

    def summary(self, at):
        out = {
            "arn": self.revision.arn,
            "requestedTaskCount": self.requested,
            "runningTaskCount": self.running(at),
            "pendingTaskCount": self.pending(at),
            "requestedProductionTrafficWeight": float(self.prod),
        }
        if self.test is not None:
            out["requestedTestTrafficWeight"] = float(self.test)
        return out


class Deployment:
    """One service deployment: its revisions, status, stage, hooks and monitors."""

    def __init__(self, record, target, sources, config, at, ecs_id):
        self.record = record
        self.arn = record.arn_for("service-deployment", new_token("deployment"))
        self.target, self.sources = target, sources
        self.config = copy.deepcopy(config)
        self.stages = plan.stages(config, len(sources))
        stable = next((s for s in sources if s.revision is record.stable), None)
        self.rollback_share = stable or (sources[0] if sources else None)
        self.ecs_id = ecs_id
        self.status, self.status_reason = "PENDING", None
        self.stage, self.stage_index, self.stage_entered = None, -1, None
        self.steps, self.step_index, self.step_started = [], 0, None
        self.hooks = []
        self.created_at = self.updated_at = self.cursor = at
        self.started_at = self.finished_at = self.stopped_at = None
        self.rollback, self.rollback_ecs_id = None, None
        alarms = plan.alarms_config(config)
        self.alarm_names, self.alarm_rollback = alarms or ([], False)
        self.alarms_status = "MONITORING" if alarms else "DISABLED"
        self.triggered = []
        self.breaker_status = "MONITORING" if plan.circuit_breaker_enabled(config) else "DISABLED"
        self.failed_tasks, self.breaker_threshold = 0, 10
        # The incident (incident.py) whose tasks fail in this deployment; None for every
        # deployment not started by POST /_ecsdeck/incident/bad-deploy.
        self.faults = None

    def shares(self):
        return [self.target] + self.sources

    def describe(self, at):
        out = {
            "serviceDeploymentArn": self.arn,
            "serviceArn": self.record.service.arn,
            "clusterArn": self.record.service.cluster_arn,
            "createdAt": self.created_at,
            "startedAt": self.started_at,
            "finishedAt": self.finished_at,
            "stoppedAt": self.stopped_at,
            "updatedAt": self.updated_at,
            "sourceServiceRevisions": [s.summary(at) for s in self.sources],
            "targetServiceRevision": self.target.summary(at),
            "status": self.status,
            "statusReason": self.status_reason,
            "lifecycleStage": self.stage,
            "lifecycleHookDetails": [{k: v for k, v in h.items() if not k.startswith("_")} for h in self.hooks],
            "deploymentConfiguration": copy.deepcopy(self.config),
            "rollback": dict(self.rollback) if self.rollback else None,
            "deploymentCircuitBreaker": {"status": self.breaker_status, "failureCount": self.failed_tasks,
                                         "threshold": self.breaker_threshold},
            "alarms": self._alarms(),
        }
        return {k: v for k, v in out.items() if v is not None}

    def brief(self):
        out = {
            "serviceDeploymentArn": self.arn,
            "serviceArn": self.record.service.arn,
            "clusterArn": self.record.service.cluster_arn,
            "startedAt": self.started_at,
            "createdAt": self.created_at,
            "finishedAt": self.finished_at,
            "targetServiceRevisionArn": self.target.revision.arn,
            "status": self.status,
            "statusReason": self.status_reason,
        }
        return {k: v for k, v in out.items() if v is not None}

    def _alarms(self):
        out = {"status": self.alarms_status}
        if self.alarm_names:
            out["alarmNames"] = list(self.alarm_names)
        if self.triggered:
            out["triggeredAlarmNames"] = list(self.triggered)
        return out


class ApiError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code, self.message = code, message
