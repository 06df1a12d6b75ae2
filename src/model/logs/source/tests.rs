//! Stream-name resolution for awslogs and FireLens, and what is said for everything else.

use super::*;
use serde_json::json;

fn one(container: Value, task: Option<&str>) -> LogTarget {
    let def = json!({ "containerDefinitions": [container] });
    resolve(&def, task).remove(0).1
}

fn cloudwatch(target: LogTarget) -> CloudWatchTarget {
    match target {
        LogTarget::CloudWatch(t) => t,
        LogTarget::Elsewhere(why) => panic!("not CloudWatch: {why}"),
    }
}

#[test]
fn awslogs_streams_are_prefix_container_task() {
    let web = json!({"name": "web", "logConfiguration": {"logDriver": "awslogs", "options": {
        "awslogs-group": "/ecs/web", "awslogs-region": "eu-west-1", "awslogs-stream-prefix": "ecs"}}});
    let task = cloudwatch(one(web.clone(), Some("0123abcd")));
    assert_eq!(task.group, "/ecs/web");
    assert_eq!(task.region.as_deref(), Some("eu-west-1"));
    assert_eq!(
        task.streams,
        StreamSelection::Exact("ecs/web/0123abcd".into())
    );
    let service = cloudwatch(one(web, None));
    assert_eq!(service.streams, StreamSelection::Prefix("ecs/web/".into()));
}

#[test]
fn awslogs_without_a_prefix_reads_the_whole_group_and_says_why() {
    let web = json!({"name": "web", "logConfiguration": {"logDriver": "awslogs",
        "options": {"awslogs-group": "/ecs/web"}}});
    let target = cloudwatch(one(web, Some("t")));
    assert!(
        matches!(target.streams, StreamSelection::WholeGroup(ref why) if why.contains("Docker"))
    );
    assert_eq!(target.region, None);
}

#[test]
fn firelens_to_cloudwatch_uses_its_group_and_tag_streams() {
    let app = json!({"name": "app", "logConfiguration": {"logDriver": "awsfirelens", "options": {
        "Name": "cloudwatch_logs", "region": "us-east-1", "log_group_name": "/firelens/app",
        "log_stream_prefix": "fb-"}}});
    let target = cloudwatch(one(app.clone(), Some("9f9f")));
    assert_eq!(target.group, "/firelens/app");
    assert_eq!(
        target.streams,
        StreamSelection::Exact("fb-app-firelens-9f9f".into())
    );
    assert_eq!(task_of_stream("fb-app-firelens-9f9f"), "9f9f");
    let named = json!({"name": "app", "logConfiguration": {"logDriver": "awsfirelens", "options": {
        "Name": "cloudwatch", "log_group_name": "/g", "log_stream_name": "fixed"}}});
    assert_eq!(
        cloudwatch(one(named, None)).streams,
        StreamSelection::Exact("fixed".into())
    );
}

#[test]
fn other_destinations_are_named_plainly() {
    let cases = [
        (json!({"name": "a"}), "no log configuration"),
        (
            json!({"name": "a", "logConfiguration": {"logDriver": "splunk", "options": {}}}),
            "splunk driver",
        ),
        (
            json!({"name": "a", "logConfiguration": {"logDriver": "awsfirelens",
            "options": {"Name": "datadog"}}}),
            "FireLens to datadog",
        ),
        (
            json!({"name": "a", "logConfiguration": {"logDriver": "awslogs", "options": {}}}),
            "without an awslogs-group",
        ),
    ];
    for (container, says) in cases {
        match one(container, None) {
            LogTarget::Elsewhere(why) => assert!(why.contains(says), "{why}"),
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn task_ids_come_from_stream_names() {
    assert_eq!(task_of_stream("ecs/web/0123abcd"), "0123abcd");
    assert_eq!(task_of_stream("plain"), "plain");
    assert!(resolve(&json!({}), None).is_empty());
}

#[test]
fn selections_include_their_streams_only() {
    assert!(StreamSelection::Prefix("ecs/web/".into()).includes("ecs/web/1"));
    assert!(!StreamSelection::Prefix("ecs/web/".into()).includes("ecs/sidecar/1"));
    assert!(StreamSelection::Exact("a".into()).includes("a"));
    assert!(!StreamSelection::Exact("a".into()).includes("ab"));
    assert!(StreamSelection::WholeGroup(String::new()).includes("anything"));
}
