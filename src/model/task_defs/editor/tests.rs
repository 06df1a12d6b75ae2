use super::*;

const BASE: &str = r#"{"taskDefinition": {
  "taskDefinitionArn": "arn:aws:ecs:us-east-1:123456789012:task-definition/web:3",
  "family": "web", "revision": 3, "status": "ACTIVE",
  "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"],
  "cpu": "256", "memory": "512",
  "executionRoleArn": "arn:aws:iam::123456789012:role/exec",
  "futureField": {"kept": true},
  "containerDefinitions": [{"name": "web", "image": "nginx:1.27", "essential": true,
    "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/web"}}}]
}}"#;

fn editor() -> Editor {
    let base = TaskDefDocument::parse(BASE).unwrap();
    Editor::from_revision("web-1".into(), &base, "demo · us-east-1".into())
}

#[test]
fn a_form_edit_updates_the_json_and_keeps_unknown_fields() {
    let mut e = editor();
    assert!(e.edit(|doc| {
        doc.set_container_text(0, "image", Some("nginx:1.28"));
    }));
    assert_eq!(e.edits(), 1);
    assert!(e.json_text().contains("nginx:1.28"));
    assert!(e.json_text().contains("futureField"));
    // An edit that changes nothing is not counted.
    e.edit(|doc| {
        doc.set_container_text(0, "image", Some("nginx:1.28"));
    });
    assert_eq!(e.edits(), 1);
}

#[test]
fn invalid_json_keeps_the_text_and_locks_the_form() {
    let mut e = editor();
    let broken = e.json_text().replacen("\"family\"", "\"family\" \"x\"", 1);
    e.set_json_text(broken.clone());
    let error = e.parse_error().expect("parse error");
    assert!(error.line > 1, "{error:?}");
    // The form refuses to overwrite the text the user is fixing.
    assert!(!e.edit(|doc| doc.set_text("cpu", Some("512"))));
    assert_eq!(e.json_text(), broken);
    assert_eq!(e.to_draft().text, broken);
    assert!(
        e.register_input()
            .unwrap_err()
            .contains("JSON has an error")
    );
    // Fixed text is parsed again and the form works.
    let fixed = broken.replacen("\"family\" \"x\"", "\"family\"", 1);
    e.set_json_text(fixed);
    assert!(e.parse_error().is_none());
    assert!(e.edit(|doc| doc.set_text("cpu", Some("512"))));
}

#[test]
fn findings_follow_edits_and_are_found_by_path() {
    let mut e = editor();
    assert!(e.errors().is_empty(), "{:?}", e.errors());
    e.edit(|doc| {
        doc.set_environment_var(0, "DB_PASSWORD", Some("hunter2"));
        doc.set_text("memory", Some("300"));
    });
    assert!(
        e.findings_at("containerDefinitions[0]")
            .any(|(error, f)| !error && f.path.contains("environment")),
        "{:?}",
        e.warnings()
    );
    assert!(e.findings_at("memory").any(|(error, _)| error));
    assert!(e.findings_at("containerDefinitions[1]").next().is_none());
    assert!(e.register_input().is_err());
}

#[test]
fn register_input_strips_server_fields_and_the_diff_shows_the_change() {
    let mut e = editor();
    e.edit(|doc| {
        doc.set_container_text(0, "image", Some("nginx:1.28"));
    });
    let input: Value = serde_json::from_str(&e.register_input().unwrap()).unwrap();
    assert!(input.get("taskDefinitionArn").is_none());
    assert!(input.get("revision").is_none());
    assert_eq!(input["futureField"]["kept"], true);
    let diff = e.diff_text();
    assert!(diff.contains("-      \"image\": \"nginx:1.27\""), "{diff}");
    assert!(diff.contains("+      \"image\": \"nginx:1.28\""), "{diff}");
    // Server-managed fields are not part of the diff.
    assert!(!diff.contains("revision"), "{diff}");
}

#[test]
fn cli_commands_quote_for_the_shell() {
    let connection = Connection {
        profile: Some("ops".into()),
        region: "eu-west-1".into(),
        endpoint_url: None,
    };
    let command = register_cli_command(r#"{"family": "it's"}"#, &connection);
    assert_eq!(
        command,
        r#"aws ecs register-task-definition --profile 'ops' --region 'eu-west-1' --cli-input-json '{"family":"it'\''s"}'"#
    );
    let command = deregister_cli_command("arn:x:task-definition/web:3", &connection);
    assert!(command.ends_with("--task-definition 'arn:x:task-definition/web:3'"));
}

#[test]
fn aws_errors_are_pinned_to_the_field_they_name() {
    let e = editor();
    let doc = e.doc();
    assert_eq!(
        aws_error_path(
            doc,
            "Invalid setting for container 'web'. Image is required."
        ),
        Some("containerDefinitions[0]".into())
    );
    assert_eq!(
        aws_error_path(doc, "Invalid 'cpu' setting for task."),
        Some("cpu".into())
    );
    assert_eq!(
        aws_error_path(
            doc,
            "Task definition does not support launch_type FARGATE: networkMode must be awsvpc"
        ),
        Some("networkMode".into())
    );
    // `memoryReservation` is not `memory`; nothing named means nothing pinned.
    assert_eq!(aws_error_path(doc, "memoryReservation too low"), None);
    assert_eq!(aws_error_path(doc, "Rate exceeded"), None);
}

#[test]
fn a_two_megabyte_definition_is_edited_without_loss() {
    let env: Vec<Value> = (0..400)
        .map(|i| serde_json::json!({"name": format!("VAR_{i}"), "value": "x".repeat(40)}))
        .collect();
    let containers: Vec<Value> = (0..100)
        .map(|i| {
            serde_json::json!({"name": format!("c{i}"), "image": format!("repo/c{i}:1.0.{i}"),
                "essential": i == 0, "memory": 128, "environment": env})
        })
        .collect();
    let text = serde_json::to_string_pretty(&serde_json::json!({
        "family": "huge", "networkMode": "bridge", "containerDefinitions": containers
    }))
    .unwrap();
    assert!(text.len() > 2_000_000, "{} bytes", text.len());
    let mut e = Editor::open(crate::model::task_defs::draft::Draft {
        id: "huge".into(),
        text: text.clone(),
        ..Default::default()
    });
    assert!(e.parse_error().is_none());
    assert!(e.errors().is_empty(), "{:?}", e.errors().first());
    assert_eq!(e.json_text(), text, "opened as written");
    e.edit(|doc| {
        doc.set_container_text(99, "image", Some("repo/c99:2.0.0"));
    });
    let before: Value = serde_json::from_str(&text).unwrap();
    let after: Value = serde_json::from_str(e.json_text()).unwrap();
    assert_eq!(
        crate::model::task_defs::task_def::changed_paths(&before, &after),
        ["containerDefinitions[99].image"]
    );
}
