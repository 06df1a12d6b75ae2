use super::*;
use serde_json::json;

fn doc(value: Value) -> TaskDefDocument {
    TaskDefDocument::from_value(value).unwrap()
}

fn web(extra: Value) -> Value {
    let mut base = json!({"name": "web", "image": "repo/web:1.4.2", "essential": true,
        "portMappings": [{"containerPort": 8080, "hostPort": 8080, "protocol": "tcp"}],
        "environment": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
        "secrets": [{"name": "DB", "valueFrom": "arn:aws:secretsmanager:us-east-1:1:secret:db-a"}]});
    if let (Some(base), Some(extra)) = (base.as_object_mut(), extra.as_object()) {
        for (k, v) in extra {
            base.insert(k.clone(), v.clone());
        }
    }
    base
}

fn task(containers: Vec<Value>, extra: Value) -> TaskDefDocument {
    let mut root = json!({"family": "shop", "networkMode": "awsvpc", "cpu": "256",
        "memory": "512", "containerDefinitions": containers});
    if let (Some(root), Some(extra)) = (root.as_object_mut(), extra.as_object()) {
        for (k, v) in extra {
            root.insert(k.clone(), v.clone());
        }
    }
    doc(root)
}

fn sidecar() -> Value {
    json!({"name": "envoy", "image": "envoyproxy/envoy:v1.27.0", "essential": false})
}

fn paths(d: &TaskDefDiff) -> Vec<(&str, ChangeKind)> {
    d.changes
        .iter()
        .map(|c| (c.path.as_str(), c.kind))
        .collect()
}

#[test]
fn identical_definitions_and_server_fields_give_no_diff() {
    let a = task(vec![web(json!({}))], json!({}));
    assert!(diff(&a, &a).is_empty());
    let b = task(
        vec![web(json!({}))],
        json!({"taskDefinitionArn": "arn:x:task-definition/shop:9", "revision": 9,
               "status": "INACTIVE", "registeredAt": 1.7e9, "registeredBy": "arn:aws:iam::1:user/x",
               "requiresAttributes": [{"name": "x"}], "compatibilities": ["EC2", "FARGATE"]}),
    );
    let d = diff(&a, &b);
    assert!(d.is_empty(), "{:?}", d.changes);
    assert_eq!(d.summary(), "no differences");
}

#[test]
fn order_of_containers_env_secrets_and_sets_does_not_matter() {
    let a = task(
        vec![web(json!({})), sidecar()],
        json!({"requiresCompatibilities": ["FARGATE", "EC2"]}),
    );
    let b = task(
        vec![
            sidecar(),
            web(json!({"environment": [{"name": "B", "value": "2"}, {"name": "A", "value": "1"}]})),
        ],
        json!({"requiresCompatibilities": ["EC2", "FARGATE"]}),
    );
    assert!(diff(&a, &b).is_empty(), "{:?}", diff(&a, &b).changes);
}

#[test]
fn aws_defaults_equal_absent() {
    let explicit = task(
        vec![web(
            json!({"cpu": 0, "essential": true, "readonlyRootFilesystem": false,
            "mountPoints": [], "volumesFrom": [], "links": [],
            "portMappings": [{"containerPort": 8080, "hostPort": 8080, "protocol": "tcp"}]}),
        )],
        json!({"volumes": [], "placementConstraints": [], "cpu": 256, "memory": "0.5 GB"}),
    );
    let mut implicit_web = web(json!({"portMappings": [{"containerPort": 8080}]}));
    implicit_web.as_object_mut().unwrap().remove("essential");
    let implicit = task(vec![implicit_web], json!({"cpu": ".25 vCPU"}));
    let d = diff(&explicit, &implicit);
    assert!(d.is_empty(), "{:?}", d.changes);
}

#[test]
fn bridge_host_port_zero_is_dynamic_like_absent() {
    let port = |p: Value| {
        task(
            vec![web(json!({"portMappings": [p]}))],
            json!({"networkMode": "bridge"}),
        )
    };
    let zero = port(json!({"containerPort": 80, "hostPort": 0}));
    let absent = port(json!({"containerPort": 80}));
    let fixed = port(json!({"containerPort": 80, "hostPort": 80}));
    assert!(diff(&zero, &absent).is_empty());
    assert_eq!(
        paths(&diff(&absent, &fixed)),
        [(
            "containers[web].portMappings[80/tcp].hostPort",
            ChangeKind::Added
        )]
    );
}

#[test]
fn a_renamed_container_is_one_change() {
    let a = task(vec![web(json!({})), sidecar()], json!({}));
    let b = task(vec![web(json!({"name": "app"})), sidecar()], json!({}));
    let d = diff(&a, &b);
    assert_eq!(paths(&d), [("containers[web]", ChangeKind::Renamed)]);
    assert_eq!(d.summary(), "renamed web → app");
    // Renamed and changed is a removal and an addition.
    let c = task(
        vec![
            web(json!({"name": "app", "image": "repo/web:2"})),
            sidecar(),
        ],
        json!({}),
    );
    assert_eq!(
        paths(&diff(&a, &c)),
        [
            ("containers[web]", ChangeKind::Removed),
            ("containers[app]", ChangeKind::Added)
        ]
    );
}

#[test]
fn an_added_sidecar_a_new_image_and_more_env_read_in_one_line() {
    let a = task(vec![web(json!({}))], json!({}));
    let b = task(
        vec![
            web(json!({"image": "repo/web:1.5.0", "environment": [
                {"name": "A", "value": "1"}, {"name": "B", "value": "2"},
                {"name": "C", "value": "3"}, {"name": "D", "value": "4"}]})),
            sidecar(),
        ],
        json!({"memory": "1024"}),
    );
    let d = diff(&a, &b);
    assert_eq!(
        d.summary(),
        "image web: 1.4.2 → 1.5.0; +container envoy; +2 env; memory 512 → 1024"
    );
    let env = d
        .changes
        .iter()
        .find(|c| c.path == "containers[web].environment[C]")
        .unwrap();
    assert!(env.is_env_value());
    assert_eq!(env.new, Some(json!(3)));
}

#[test]
fn a_changed_secret_arn_and_a_changed_protocol_are_shown() {
    let a = task(vec![web(json!({}))], json!({}));
    let b = task(
        vec![web(json!({
            "secrets": [{"name": "DB", "valueFrom": "arn:aws:secretsmanager:us-east-1:1:secret:db-b"}],
            "portMappings": [{"containerPort": 8080, "protocol": "udp"}]}))],
        json!({}),
    );
    let d = diff(&a, &b);
    assert_eq!(
        paths(&d),
        [
            (
                "containers[web].portMappings[8080/tcp]",
                ChangeKind::Removed
            ),
            ("containers[web].portMappings[8080/udp]", ChangeKind::Added),
            ("containers[web].secrets[DB]", ChangeKind::Changed),
        ]
    );
    let secret = &d.changes[2];
    assert!(!secret.is_env_value(), "secret references are never masked");
    assert_eq!(d.summary(), "~1 secret; 2 other changes");
}

#[test]
fn a_different_repository_is_shown_in_full() {
    assert_eq!(image_change("repo/a:1", "repo/a:2"), "1 → 2");
    assert_eq!(
        image_change("repo/a:1", "other/a:1"),
        "repo/a:1 → other/a:1"
    );
    assert_eq!(image_change("repo/a", "repo/a:2"), "latest → 2");
}

#[test]
fn a_whole_new_environment_counts_variable_by_variable() {
    let mut bare = web(json!({}));
    bare.as_object_mut().unwrap().remove("environment");
    let a = task(vec![bare], json!({}));
    let b = task(vec![web(json!({}))], json!({}));
    let d = diff(&a, &b);
    assert_eq!(
        paths(&d),
        [
            ("containers[web].environment[A]", ChangeKind::Added),
            ("containers[web].environment[B]", ChangeKind::Added)
        ]
    );
    assert!(d.changes.iter().all(Change::is_env_value));
    assert_eq!(d.summary(), "+2 env");
}

#[test]
fn other_keyed_lists_are_not_taken_for_containers() {
    let a = task(vec![web(json!({}))], json!({}));
    let b = task(
        vec![web(json!({}))],
        json!({"volumes": [{"name": "data", "host": {"sourcePath": "/data"}}]}),
    );
    let d = diff(&a, &b);
    assert_eq!(paths(&d), [("volumes[data]", ChangeKind::Added)]);
    assert_eq!(d.summary(), "1 other change");
}

#[test]
fn volumes_mount_points_and_tags_match_by_identity_not_position() {
    let a = task(
        vec![web(json!({"mountPoints": [
            {"sourceVolume": "data", "containerPath": "/data"},
            {"sourceVolume": "tmp", "containerPath": "/tmp", "readOnly": false}]}))],
        json!({"volumes": [{"name": "data"}, {"name": "tmp"}],
               "tags": [{"key": "team", "value": "a"}, {"key": "env", "value": "prod"}]}),
    );
    let b = task(
        vec![web(json!({"mountPoints": [
            {"containerPath": "/tmp", "sourceVolume": "tmp", "readOnly": true},
            {"containerPath": "/data", "sourceVolume": "data"}]}))],
        json!({"volumes": [{"name": "tmp"}, {"name": "data"}],
               "tags": [{"key": "env", "value": "prod"}, {"key": "team", "value": "b"}]}),
    );
    let d = diff(&a, &b);
    assert_eq!(
        paths(&d),
        [
            (
                "containers[web].mountPoints[/tmp].readOnly",
                ChangeKind::Changed
            ),
            ("tags[team]", ChangeKind::Changed),
        ]
    );
}
