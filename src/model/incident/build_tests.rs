//! The timeline built from model-level fixtures shaped like a bad deploy: its deployment and
//! rollback, the crash loop of out-of-memory stops (diagnosed with the memory chart's
//! peak), the alarm, the scaling activity, a registration and the error minutes.

use super::build::{build_timeline, event_tone};
use super::diagnosis::{StopKind, TaskFacts};
use super::sources::{
    AlarmChange, ErrorCountSource, ErrorCounts, IncidentSources, Registration, ScalingActivity,
    StoppedSource,
};
use super::timeline::{EventTarget, EventTone, Lane};
use crate::model::ecs::rollout::ServiceDeploymentSummary;
use crate::model::ecs::{Container, Service, ServiceEvent, Task};
use crate::model::metrics::Window;
use crate::model::metrics::charts::{ChartData, MetricsData, SeriesData, Unit};
use crate::model::metrics::lod::Lod;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const START: i64 = 1_780_000_000 - 1_780_000_000 % 3_600;
const CLUSTER: &str = "arn:aws:ecs:us-east-1:123456789012:cluster/prod";
const SERVICE: &str = "arn:aws:ecs:us-east-1:123456789012:service/prod/web";
const GOOD: &str = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:41";
const BAD: &str = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:42";

fn at(minute: i64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs((START + minute * 60) as u64)
}

fn oom_task(n: i64) -> Task {
    Task {
        arn: format!("arn:aws:ecs:us-east-1:123456789012:task/prod/oom{n}"),
        cluster_arn: CLUSTER.into(),
        group: Some("service:web".into()),
        last_status: "STOPPED".into(),
        task_definition: BAD.into(),
        started_at: Some(at(10 + n)),
        stopped_at: Some(at(11 + n)),
        stop_code: Some("EssentialContainerExited".into()),
        stopped_reason: Some("Essential container in task exited".into()),
        containers: vec![Container {
            name: "web".into(),
            exit_code: Some(137),
            reason: Some("OutOfMemoryError: Container killed due to memory usage".into()),
            ..Container::default()
        }],
        ..Task::default()
    }
}

fn service() -> Service {
    let event = |minute, message: &str| ServiceEvent {
        id: format!("e{minute}"),
        created_at: Some(at(minute)),
        message: message.into(),
    };
    Service {
        arn: SERVICE.into(),
        name: "web".into(),
        cluster_arn: CLUSTER.into(),
        task_definition: GOOD.into(),
        events: vec![
            event(25, "(service web) has reached a steady state."),
            event(
                20,
                "(service web) deployment ecs-svc/2 deployment failed: tasks failed to start. Rolling back to taskDefinition web:41",
            ),
            event(
                10,
                "(service web) has started 2 tasks: (task oom0) (task oom1).",
            ),
        ],
        ..Service::default()
    }
}

fn memory_chart() -> MetricsData {
    let window = Window {
        start_secs: START,
        end_secs: START + 3_600,
        period_secs: 60,
    };
    let mut maximum = vec![Some(40.0); 60];
    maximum[12] = Some(99.5);
    MetricsData {
        window,
        charts: vec![ChartData {
            title: "Memory utilization".into(),
            unit: Unit::Percent,
            series: vec![SeriesData {
                label: "Maximum".into(),
                on_demand: false,
                lod: Lod::build(START, 60, &maximum),
                values: maximum,
            }],
        }],
        partial: false,
        calls: 1,
        notes: Vec::new(),
    }
}

fn sources() -> IncidentSources {
    let history = vec![ServiceDeploymentSummary {
        arn: "arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/bad".into(),
        status: "ROLLBACK_SUCCESSFUL".into(),
        target_revision: Some(BAD.into()),
        started_at: Some(at(9)),
        finished_at: Some(at(21)),
        reason: Some("circuit breaker: 3 tasks failed".into()),
    }];
    let mut stopped: Vec<StoppedSource> = (0..4)
        .map(|n| StoppedSource {
            task: oom_task(n),
            recorded: n == 0,
        })
        .collect();
    // Outside the window's services: not part of this timeline's rows once filtered by the
    // reader; here it is a standalone task, which still gets its own row.
    stopped.push(StoppedSource {
        task: Task {
            arn: "arn:aws:ecs:us-east-1:123456789012:task/prod/planned".into(),
            group: Some("service:web".into()),
            last_status: "STOPPED".into(),
            stopped_at: Some(at(30)),
            stop_code: Some("ServiceSchedulerInitiated".into()),
            stopped_reason: Some("Scaling activity initiated by (deployment ecs-svc/1)".into()),
            containers: vec![Container {
                name: "web".into(),
                exit_code: Some(143),
                ..Container::default()
            }],
            ..Task::default()
        },
        recorded: false,
    });
    IncidentSources {
        start_secs: START,
        end_secs: START + 3_600,
        services: vec![service()],
        histories: [(SERVICE.to_owned(), history)].into(),
        stopped,
        facts: [(
            BAD.to_owned(),
            TaskFacts {
                memory_limits_mib: vec![("web".into(), 512)],
                ..TaskFacts::default()
            },
        )]
        .into(),
        scaling: vec![ScalingActivity {
            service: "web".into(),
            started_at: Some(at(12)),
            ended_at: Some(at(13)),
            description: "Setting desired count to 3.".into(),
            cause: "monitor alarm web-5xx in state ALARM triggered policy web-scale-out".into(),
            status: "Successful".into(),
            status_message: None,
        }],
        alarms: vec![AlarmChange {
            alarm: "web-5xx".into(),
            at: Some(at(12)),
            from: Some("OK".into()),
            to: Some("ALARM".into()),
            summary: "Alarm updated from OK to ALARM".into(),
        }],
        registrations: vec![
            Registration {
                arn: BAD.into(),
                at: Some(at(8)),
                by: Some("arn:aws:iam::123456789012:role/deployer".into()),
            },
            // Before the window: left out.
            Registration {
                arn: GOOD.into(),
                at: Some(at(-600)),
                by: None,
            },
        ],
        errors: ErrorCounts {
            per_minute: [(START + 11 * 60, 12), (START + 12 * 60, 30)].into(),
            source: ErrorCountSource::Insights,
            groups: vec!["/ecs/web".into()],
            note: None,
        },
        charts: Some(memory_chart()),
        stages: Vec::new(),
        changes: [(
            (GOOD.to_owned(), BAD.to_owned()),
            "image web: 1.4.2 → 1.4.3".to_owned(),
        )]
        .into(),
        health_check_paths: Default::default(),
        stages_seen: Vec::new(),
        problems: Vec::new(),
    }
}

#[test]
fn every_source_lands_on_its_lane_in_time_order() {
    let timeline = build_timeline(sources());
    let lanes = |lane| timeline.lane(lane).count();
    assert!(lanes(Lane::Deployments) >= 2, "{:#?}", timeline.events);
    assert_eq!(lanes(Lane::Events), 3);
    assert_eq!(lanes(Lane::Stops), 2, "a crash loop row and a planned stop");
    assert_eq!(lanes(Lane::Scaling), 1);
    assert_eq!(lanes(Lane::Alarms), 1);
    assert_eq!(
        lanes(Lane::Registrations),
        1,
        "the old registration is outside"
    );
    let times: Vec<i64> = timeline.events.iter().map(|e| e.at_secs).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]));
    let alarm = timeline.lane(Lane::Alarms).next().unwrap().1;
    assert_eq!(alarm.title, "web-5xx: OK → ALARM");
    assert_eq!(alarm.tone, EventTone::Bad);
}

#[test]
fn the_deployment_spans_to_its_rollback_and_opens_what_changed() {
    let timeline = build_timeline(sources());
    let (_, started) = timeline
        .lane(Lane::Deployments)
        .find(|(_, e)| e.title.contains("deploy"))
        .unwrap();
    assert_eq!(started.at_secs, START + 9 * 60);
    assert_eq!(started.until_secs, Some(START + 21 * 60));
    assert!(
        started
            .detail
            .iter()
            .any(|d| d == "status ROLLBACK_SUCCESSFUL")
    );
    assert!(
        started
            .detail
            .iter()
            .any(|d| d == "changed: image web: 1.4.2 → 1.4.3"),
        "{:?}",
        started.detail
    );
    assert!(matches!(started.target, EventTarget::Deployment(_)));
    assert!(
        timeline
            .lane(Lane::Deployments)
            .any(|(_, e)| e.tone == EventTone::Warn),
        "the rollback is marked"
    );
    assert!(!timeline.markers.is_empty(), "the charts get the markers");
}

#[test]
fn out_of_memory_stops_are_one_crash_loop_row_diagnosed_with_the_peak() {
    let timeline = build_timeline(sources());
    let row = timeline
        .stops
        .iter()
        .find(|r| r.group.crash_loop)
        .expect("a crash loop row");
    assert_eq!(row.group.count(), 4);
    assert_eq!(row.diagnosis.kind, StopKind::OutOfMemory);
    assert_eq!(row.label(), "Out of memory (web) ×4, crash loop");
    assert_eq!(row.recorded(), 1, "one task only the recorder had");
    // Task oom1 ran in minutes 11–12, where the memory chart's maximum peaked at 99.5 %.
    let second = &row.tasks[1];
    assert!(
        second.diagnosis.title.contains("limit 512 MiB") && second.diagnosis.title.contains("peak"),
        "{}",
        second.diagnosis.title
    );
    let planned = timeline.stops.iter().find(|r| !r.group.crash_loop).unwrap();
    assert!(!planned.diagnosis.kind.is_failure());
    let (_, event) = timeline
        .lane(Lane::Stops)
        .find(|(_, e)| e.tone == EventTone::Bad)
        .unwrap();
    assert_eq!(event.until_secs, Some(START + 14 * 60));
    assert!(matches!(event.target, EventTarget::Stops(i) if timeline.stops[i].group.crash_loop));
}

#[test]
fn the_error_rate_has_every_minute_of_the_window() {
    let timeline = build_timeline(sources());
    let rate = &timeline.error_rate;
    assert_eq!(rate.minutes.len(), 60);
    assert_eq!(rate.peak(), Some((START + 12 * 60, 30)));
    assert_eq!(rate.total_between(START, START + 3_600), 42);
    assert_eq!(rate.counts.source, ErrorCountSource::Insights);
}

#[test]
fn failed_load_balancer_health_checks_name_the_target_groups_path() {
    const TG: &str = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/1";
    let mut s = sources();
    s.services[0].load_balancers = vec![crate::model::ecs::LoadBalancer {
        target_group_arn: Some(TG.into()),
        ..Default::default()
    }];
    s.services[0].health_check_grace_period_secs = Some(15);
    s.health_check_paths.insert(TG.into(), "/healthz".into());
    let mut task = oom_task(20);
    task.stop_code = Some("ServiceSchedulerInitiated".into());
    task.stopped_reason = Some(format!(
        "Task failed ELB health checks in (target-group {TG})"
    ));
    task.containers[0].exit_code = Some(143);
    task.containers[0].reason = None;
    s.stopped = vec![StoppedSource {
        task,
        recorded: false,
    }];
    let timeline = build_timeline(s);
    let row = &timeline.stops[0];
    assert_eq!(row.diagnosis.kind, StopKind::LoadBalancerHealthCheck);
    assert!(
        row.diagnosis.fix.contains("health check /healthz")
            && row.diagnosis.fix.contains("(now 15 s)"),
        "{}",
        row.diagnosis.fix
    );
}

#[test]
fn recorded_tasks_join_only_for_these_services_and_this_window() {
    let mut s = sources();
    s.stopped.clear();
    let mut other = oom_task(7);
    other.group = Some("service:api".into());
    let mut old = oom_task(8);
    old.stopped_at = Some(at(-120));
    s.add_recorded([oom_task(1), other, old]);
    assert_eq!(s.stopped.len(), 1);
    assert!(s.stopped[0].recorded);
    s.add_recorded([oom_task(1)]);
    assert_eq!(
        s.stopped.len(),
        1,
        "a task ECS or the recorder gave once is kept once"
    );
}

#[test]
fn a_deployment_under_way_shows_the_stage_it_is_in() {
    let mut s = sources();
    s.stages = vec![super::sources::StageNow {
        service: "web".into(),
        deployment: "arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/next".into(),
        stage: "BAKE_TIME".into(),
        status: "IN_PROGRESS".into(),
        since: Some(at(40)),
    }];
    let timeline = build_timeline(s);
    let (_, stage) = timeline
        .lane(Lane::Deployments)
        .find(|(_, e)| e.title == "web: now at BAKE_TIME")
        .expect("the stage on the deployment lane");
    assert_eq!(stage.at_secs, START + 40 * 60);
    assert_eq!(stage.tone, EventTone::Info);
}

#[test]
fn each_stage_the_app_saw_is_marked_and_the_current_one_once() {
    use super::stages_seen::StageSeen;
    const NEXT: &str = "arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/next";
    let seen = |stage: &str, minute, status: &str, service: &str| StageSeen {
        deployment: NEXT.into(),
        service_arn: service.into(),
        stage: stage.into(),
        status: status.into(),
        at: at(minute),
        at_from_ecs: minute != 38,
    };
    let mut s = sources();
    s.stages_seen = vec![
        seen("SCALE_UP", 32, "IN_PROGRESS", SERVICE),
        seen("TEST_TRAFFIC_SHIFT", 35, "IN_PROGRESS", SERVICE),
        seen("BAKE_TIME", 38, "IN_PROGRESS", SERVICE),
        // Another service of the cluster: not on this timeline.
        seen(
            "SCALE_UP",
            33,
            "IN_PROGRESS",
            "arn:aws:ecs:us-east-1:123456789012:service/prod/api",
        ),
    ];
    s.stages = vec![super::sources::StageNow {
        service: "web".into(),
        deployment: NEXT.into(),
        stage: "BAKE_TIME".into(),
        status: "IN_PROGRESS".into(),
        since: Some(at(38)),
    }];
    let timeline = build_timeline(s);
    let stages: Vec<(&str, i64)> = timeline
        .lane(Lane::Deployments)
        .filter(|(_, e)| e.at_secs >= START + 30 * 60)
        .map(|(_, e)| (e.title.as_str(), (e.at_secs - START) / 60))
        .collect();
    assert_eq!(
        stages,
        [
            ("web: SCALE_UP", 32),
            ("web: TEST_TRAFFIC_SHIFT", 35),
            ("web: now at BAKE_TIME", 38)
        ]
    );
    let (_, first) = timeline
        .lane(Lane::Deployments)
        .find(|(_, e)| e.title == "web: SCALE_UP")
        .unwrap();
    assert!(first.detail[0].contains("updatedAt"), "{:?}", first.detail);
}

#[test]
fn service_events_read_by_their_words() {
    assert_eq!(
        event_tone("(service web) has reached a steady state."),
        EventTone::Good
    );
    assert_eq!(
        event_tone("(service web) (port 8080) is unhealthy in target-group web-tg"),
        EventTone::Bad
    );
    assert_eq!(
        event_tone("Rolling back to taskDefinition web:41"),
        EventTone::Warn
    );
    assert_eq!(
        event_tone("(service web) has started 2 tasks"),
        EventTone::Info
    );
}

#[test]
fn a_failed_source_is_named_and_the_rest_still_build() {
    let mut s = sources();
    s.failed(
        "alarm history",
        crate::model::AwsError::internal("DescribeAlarmHistory", "AccessDenied"),
    );
    s.alarms.clear();
    let timeline = build_timeline(s);
    assert_eq!(timeline.problems.len(), 1);
    assert_eq!(timeline.problems[0].source, "alarm history");
    assert!(timeline.lane(Lane::Stops).count() > 0);
}

#[test]
fn the_report_has_the_range_causes_deployments_and_timeline_in_every_format() {
    let timeline = build_timeline(sources());
    let report = super::report::report("web", CLUSTER, &timeline);
    assert_eq!(report.cluster, "prod");
    assert_eq!(report.stopped_tasks, 5);
    assert_eq!(report.error_lines, 42);
    let first = &report.stop_causes[0];
    assert_eq!((first.cause.as_str(), first.count), ("Out of memory", 4));
    assert!(first.crash_loop && !first.fix.is_empty());
    assert!(
        report
            .deployments
            .iter()
            .any(|d| d.changed.as_deref() == Some("image web: 1.4.2 → 1.4.3"))
    );
    let markdown = super::report::to_markdown(&report);
    assert!(markdown.starts_with("# Incident report: web (prod)"));
    assert!(markdown.contains("### Out of memory ×4 (web), crash loop"));
    assert!(markdown.contains("| Time (UTC) | Lane | Service | Event |"));
    assert!(markdown.contains("web-5xx: OK → ALARM"));
    assert!(markdown.contains("**Fix:**"));
    let text = super::report::to_text(&report);
    assert!(text.contains("WHY TASKS STOPPED") && text.contains("(crash loop)"));
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["stop_causes"][0]["count"], 4);
    assert_eq!(
        json["timeline"].as_array().unwrap().len(),
        timeline.events.len()
    );
}

#[test]
fn a_pipe_in_an_event_does_not_break_the_markdown_table() {
    let mut s = sources();
    s.services[0].events[0].message = "a | b\nc".into();
    let report = super::report::report("web", CLUSTER, &build_timeline(s));
    let markdown = super::report::to_markdown(&report);
    assert!(markdown.contains("a \\| b c"), "{markdown}");
}
