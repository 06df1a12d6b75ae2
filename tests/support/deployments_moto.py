"""Where the deployment engine meets moto's ECS and CloudWatch state.

moto keeps services as plain objects and serializes whatever attributes they carry, so the
engine works through them: it reads a service's fields into a service revision, writes the
`deployments` list and `events` DescribeServices shows, puts a rolled-back revision's fields
back, and reads alarm states from moto's CloudWatch. It also hooks moto's create_service and
update_service, which is where a deployment starts: the hooks run inside moto's request
handling, before moto serializes its answer, so CreateService and UpdateService already
return the engine's view. What moto drops or mangles is fixed here:

  * create_service ignores deploymentConfiguration, capacityProviderStrategy,
    serviceConnectConfiguration, volumeConfigurations and enableExecuteCommand (update_service
    setattr's every parameter, so it keeps them);
  * update_service stores taskDefinition as passed ("web:3"), not as the ARN ECS returns;
  * update_service without desiredCount drops the service's tasks from the cluster's
    running/pending counts (the engine keeps those counts in step with its deployments);
  * moto's request parser and serializer both drop members botocore's model does not know,
    so the raw deploymentConfiguration of the request is stored (the API layer puts it back
    into the JSON answers; see deployments_api.py).
"""

import datetime as dt
import hashlib
import json
import threading

from moto.ecs import models as ecs_models

# The JSON body of the CreateService/UpdateService request being handled, set by the API
# layer for moto's backend calls (None when moto is called some other way).
REQUEST = threading.local()

# Fields create_service drops (checked against moto 5.2.5), as (request key, attribute).
CREATE_DROPS = [
    ("capacityProviderStrategy", "capacity_provider_strategy"),
    ("serviceConnectConfiguration", "service_connect_configuration"),
    ("volumeConfigurations", "volume_configurations"),
    ("enableExecuteCommand", "enable_execute_command"),
]

# A service revision's fields, as (ServiceRevision key, moto Service attribute).
REVISION_FIELDS = [
    ("launchType", "launch_type"),
    ("platformVersion", "platform_version"),
    ("capacityProviderStrategy", "capacity_provider_strategy"),
    ("loadBalancers", "load_balancers"),
    ("serviceRegistries", "service_registries"),
    ("networkConfiguration", "network_configuration"),
    ("serviceConnectConfiguration", "service_connect_configuration"),
    ("volumeConfigurations", "volume_configurations"),
]


def raw_request():
    return getattr(REQUEST, "body", None) or {}


def install_backend_hooks(on_created, on_updated):
    """Calls on_created(backend, service, request) after moto's create_service and
    on_updated(backend, service, request, before, before_desired) after update_service,
    `before` being comparable() of the service before the update."""
    backend_cls = ecs_models.EC2ContainerServiceBackend
    original_create = backend_cls.create_service
    original_update = backend_cls.update_service

    def create_service(self, *args, **kwargs):
        service = original_create(self, *args, **kwargs)
        request = raw_request()
        apply_create_drops(service, request)
        on_created(self, service, request)
        return service

    def update_service(self, service_properties):
        request = raw_request()
        cluster = service_properties.get("cluster", "default")
        name = service_properties.get("service", "").split("/")[-1]
        current = self._get_service(cluster, name)
        before, before_desired = comparable(self, current), current.desired_count
        counted = current.running_count, current.pending_count
        service = original_update(self, service_properties)
        if service_properties.get("desired_count") is None:
            _recount(self, service, *counted)
        if "deploymentConfiguration" in request:
            service.deployment_configuration = request["deploymentConfiguration"]
        normalise_task_definition(self, service)
        on_updated(self, service, request, before, before_desired)
        return service

    backend_cls.create_service = create_service
    backend_cls.update_service = update_service


def _recount(backend, service, running, pending):
    """moto's update_service takes the service's tasks off the cluster's counts and puts them
    back only when desiredCount is given: put them back otherwise too."""
    cluster = backend.clusters.get(service.cluster_name)
    if cluster is not None:
        backend.update_cluster_resources(cluster, running, task_state="RUNNING")
        backend.update_cluster_resources(cluster, pending, task_state="PENDING")


def apply_create_drops(service, request):
    for key, attribute in CREATE_DROPS:
        if key in request:
            setattr(service, attribute, request[key])
    if "deploymentConfiguration" in request:
        service.deployment_configuration = request["deploymentConfiguration"]


def normalise_task_definition(backend, service):
    if service.task_definition and ":task-definition/" not in service.task_definition:
        service.task_definition = backend.describe_task_definition(service.task_definition).arn


def comparable(backend, service):
    """What makes an UpdateService start a new deployment when it changes."""
    fields = {key: getattr(service, attr, None) or None for key, attr in REVISION_FIELDS}
    task_definition = service.task_definition
    if task_definition and ":task-definition/" not in task_definition:
        task_definition = backend.describe_task_definition(task_definition).arn
    fields["taskDefinition"] = task_definition
    return json.loads(json.dumps(fields, sort_keys=True, default=str))


def revision_fields(backend, service):
    """The ServiceRevision members (but ARN and createdAt) of the service as it is now."""
    fields = {"serviceArn": service.arn, "clusterArn": service.cluster_arn}
    fields["taskDefinition"] = service.task_definition
    for key, attribute in REVISION_FIELDS:
        value = getattr(service, attribute, None)
        if value not in (None, {}, []):
            fields[key] = _copy(value)
    task_def = _task_definition(backend, service.task_definition)
    family = _platform_family(service, task_def)
    if family:
        fields["platformFamily"] = family
    fields["containerImages"] = container_images(task_def)
    return fields


def container_images(task_def):
    images = []
    for container in (task_def.container_definitions if task_def else []):
        image = container.get("image") or ""
        digest = "sha256:" + hashlib.sha256(image.encode()).hexdigest()
        images.append({"containerName": container.get("name"), "image": image, "imageDigest": digest})
    return images


def restore_revision(service, fields):
    """Puts a revision's fields back on the service (a rollback)."""
    service.task_definition = fields["taskDefinition"]
    for key, attribute in REVISION_FIELDS:
        setattr(service, attribute, _copy(fields.get(key)))
    if service.network_configuration is None:
        service.network_configuration = {}
    if service.load_balancers is None:
        service.load_balancers = []
    if service.service_registries is None:
        service.service_registries = []


def find_service(account, region, cluster, name, expected=None):
    """moto's service object, or None when gone (or, with `expected`, replaced)."""
    try:
        backend = ecs_models.ecs_backends[account][region]
    except KeyError:
        return None, None
    service = backend.services.get(f"{cluster}:{name}")
    if service is None or (expected is not None and service is not expected):
        return backend, None
    return backend, service


def write_deployments(backend, service, entries, deployment_arn, revisions):
    """Replaces the service's `deployments`, currentServiceDeployment and
    currentServiceRevisions, and keeps its counts (and the cluster's) in step."""
    service.deployments = entries
    service.current_service_deployment = deployment_arn
    service.current_service_revisions = revisions
    running = sum(e["runningCount"] for e in entries)
    pending = sum(e["pendingCount"] for e in entries)
    cluster = backend.clusters.get(service.cluster_name)
    if cluster is not None:
        backend.update_cluster_resources(cluster, running - service.running_count, task_state="RUNNING")
        backend.update_cluster_resources(cluster, pending - service.pending_count, task_state="PENDING")
    service.running_count = running
    service.pending_count = pending


def add_event(service, event_id, message, at):
    """ECS lists a service's events newest first."""
    service.events.insert(0, {"id": event_id, "createdAt": to_datetime(at), "message": message})
    del service.events[100:]


def alarms_in_alarm(account, region, names):
    from moto.cloudwatch.models import cloudwatch_backends

    try:
        alarms = cloudwatch_backends[account][region].alarms
    except KeyError:
        return []
    return [n for n in names if n in alarms and alarms[n].state_value == "ALARM"]


def to_datetime(at):
    return dt.datetime.fromtimestamp(at, tz=dt.timezone.utc)


def family_revision(task_definition_arn):
    return (task_definition_arn or "").split("/")[-1]


def _task_definition(backend, arn):
    try:
        return backend.describe_task_definition(arn) if arn else None
    except Exception:  # deregistered and deleted since: no images to show
        return None


def _platform_family(service, task_def):
    platform = getattr(task_def, "runtime_platform", None) or {}
    family = platform.get("operatingSystemFamily")
    if family:
        return family
    uses_fargate = service.launch_type == "FARGATE" or any(
        "FARGATE" in (s.get("capacityProvider") or "") for s in getattr(service, "capacity_provider_strategy", None) or []
    )
    return "Linux" if uses_fargate else None


def _copy(value):
    return json.loads(json.dumps(value, default=str)) if value is not None else None
