//! A service whose tasks log to CloudWatch (awslogs): cluster, container instance, task
//! definition, running tasks, and their log group and streams, plus a writer of events.

use aws_sdk_cloudwatchlogs::types::InputLogEvent;
use aws_sdk_ecs::types::{ContainerDefinition, LaunchType, LogConfiguration, LogDriver, Resource};

/// What `log_service` created.
pub struct LogService {
    /// Cluster ARN.
    pub cluster: String,
    /// Service name.
    pub service: String,
    /// Task ARNs.
    pub tasks: Vec<String>,
    /// Log group of the `app` container.
    pub group: String,
    /// The `app` container's stream of each task (`ecs/app/TASK_ID`), in task order.
    pub streams: Vec<String>,
}

/// Epoch ms now.
pub fn now_ms() -> i64 {
    ecsdeck::model::time_format::epoch_ms(std::time::SystemTime::now())
}

/// A cluster `cluster` with service `service` running `tasks` tasks of a definition with an
/// `app` container logging through awslogs to `/ecs/SERVICE` (prefix `ecs`) and an `envoy`
/// container with no log configuration. The group and streams are created; set
/// `create_group` false to leave the group missing.
pub async fn log_service(
    emulator: &super::Emulator,
    cluster: &str,
    service: &str,
    tasks: usize,
    create_group: bool,
) -> LogService {
    let ecs = emulator.ecs_client();
    let cluster_arn = ecs
        .create_cluster()
        .cluster_name(cluster)
        .send()
        .await
        .expect("cluster")
        .cluster()
        .and_then(|c| c.cluster_arn())
        .expect("arn")
        .to_owned();
    let instance_id = emulator.run_ec2_instance();
    let document = format!(r#"{{"instanceId": "{instance_id}", "region": "us-east-1"}}"#);
    let resource = |name: &str, value: i32| {
        Resource::builder()
            .name(name)
            .r#type("INTEGER")
            .integer_value(value)
            .build()
    };
    ecs.register_container_instance()
        .cluster(cluster)
        .instance_identity_document(document)
        .total_resources(resource("CPU", 1_000_000))
        .total_resources(resource("MEMORY", 1_000_000))
        .send()
        .await
        .expect("container instance");
    let group = format!("/ecs/{service}");
    let logging = LogConfiguration::builder()
        .log_driver(LogDriver::Awslogs)
        .options("awslogs-group", &group)
        .options("awslogs-region", "us-east-1")
        .options("awslogs-stream-prefix", "ecs")
        .build()
        .expect("log configuration");
    let app = ContainerDefinition::builder()
        .name("app")
        .image("registry.example.com/app:1")
        .memory(8)
        .essential(true)
        .log_configuration(logging)
        .build();
    let envoy = ContainerDefinition::builder()
        .name("envoy")
        .image("envoyproxy/envoy:v1.31")
        .memory(8)
        .essential(false)
        .build();
    ecs.register_task_definition()
        .family(service)
        .container_definitions(app)
        .container_definitions(envoy)
        .send()
        .await
        .expect("register");
    ecs.create_service()
        .cluster(cluster)
        .service_name(service)
        .task_definition(service)
        .desired_count(tasks as i32)
        .launch_type(LaunchType::Ec2)
        .send()
        .await
        .expect("service");
    let mut arns = Vec::new();
    while arns.len() < tasks {
        let count = (tasks - arns.len()).min(10) as i32;
        let run = ecs
            .run_task()
            .cluster(cluster)
            .task_definition(service)
            .count(count)
            .group(format!("service:{service}"))
            .launch_type(LaunchType::Ec2)
            .send()
            .await
            .expect("run tasks");
        arns.extend(
            run.tasks()
                .iter()
                .filter_map(|t| t.task_arn())
                .map(str::to_owned),
        );
    }
    let streams: Vec<String> = arns
        .iter()
        .map(|a| format!("ecs/app/{}", a.rsplit('/').next().unwrap_or(a)))
        .collect();
    if create_group {
        create_streams(emulator, &group, &streams).await;
    }
    LogService {
        cluster: cluster_arn,
        service: service.to_owned(),
        tasks: arns,
        group,
        streams,
    }
}

/// Creates `group` (if missing) and `streams` in it.
pub async fn create_streams(emulator: &super::Emulator, group: &str, streams: &[String]) {
    let logs = emulator.logs_client();
    let _ = logs.create_log_group().log_group_name(group).send().await;
    for stream in streams {
        logs.create_log_stream()
            .log_group_name(group)
            .log_stream_name(stream)
            .send()
            .await
            .expect("stream");
    }
}

/// Writes `(timestamp_ms, message)` events to a stream.
pub async fn put(
    logs: &aws_sdk_cloudwatchlogs::Client,
    group: &str,
    stream: &str,
    events: impl IntoIterator<Item = (i64, String)>,
) {
    let events: Vec<InputLogEvent> = events
        .into_iter()
        .map(|(t, m)| {
            InputLogEvent::builder()
                .timestamp(t)
                .message(m)
                .build()
                .expect("event")
        })
        .collect();
    logs.put_log_events()
        .log_group_name(group)
        .log_stream_name(stream)
        .set_log_events(Some(events))
        .send()
        .await
        .expect("PutLogEvents");
}
