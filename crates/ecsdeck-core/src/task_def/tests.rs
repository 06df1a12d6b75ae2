use super::*;
use serde_json::json;

const DESCRIBED: &str = r#"{
  "taskDefinition": {
    "taskDefinitionArn": "arn:aws:ecs:us-east-1:123456789012:task-definition/web:7",
    "family": "web",
    "containerDefinitions": [
      {"name": "app", "image": "repo/web:1.4.2", "cpu": 256, "essential": true,
       "environment": [{"name": "LOG_LEVEL", "value": "info"}, {"name": "PORT", "value": "8080"}],
       "futureContainerField": {"x": [1, 2]}}
    ],
    "revision": 7,
    "status": "ACTIVE",
    "cpu": 512,
    "memory": "1024",
    "requiresAttributes": [{"name": "ecs.capability.task-eni"}],
    "compatibilities": ["EC2", "FARGATE"],
    "registeredAt": "2026-10-03T14:22:07.123000+00:00",
    "registeredBy": "arn:aws:iam::123456789012:role/deployer"
  },
  "tags": [{"key": "team", "value": "payments"}]
}"#;

fn doc() -> TaskDefDocument {
    TaskDefDocument::parse(DESCRIBED).expect("parses")
}

#[test]
fn describe_output_unwraps_and_keeps_its_tags() {
    let doc = doc();
    assert_eq!(doc.family(), Some("web"));
    assert_eq!(
        doc.as_map()["tags"],
        json!([{"key": "team", "value": "payments"}])
    );
    assert_eq!(doc.containers().len(), 1);
}

#[test]
fn only_a_describe_response_is_unwrapped_and_a_written_out_document_reads_back_the_same() {
    let nested = r#"{"taskDefinition": {"taskDefinition": {"family": "x"}, "tags": [{"key": "a", "value": "b"}]}}"#;
    let doc = TaskDefDocument::parse(nested).unwrap();
    assert_eq!(
        Value::Object(doc.as_map().clone()),
        json!({"family": "x", "tags": [{"key": "a", "value": "b"}]})
    );
    assert_eq!(
        TaskDefDocument::parse(&doc.to_pretty_json())
            .unwrap()
            .as_map(),
        doc.as_map()
    );
    // A key a response does not have: the object is the definition itself, nothing dropped.
    let own = r#"{"family": "y", "taskDefinition": {"family": "x"}}"#;
    let doc = TaskDefDocument::parse(own).unwrap();
    assert_eq!(doc.family(), Some("y"));
    assert_eq!(doc.as_map()["taskDefinition"], json!({"family": "x"}));
}

#[test]
fn register_input_strips_exactly_the_server_managed_fields() {
    let input = doc().register_input();
    for key in SERVER_MANAGED {
        assert!(!input.contains_key(*key), "{key} must be stripped");
    }
    let keys: Vec<&str> = input.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["family", "containerDefinitions", "cpu", "memory", "tags"]
    );
}

#[test]
fn numbers_and_strings_are_both_read_and_keep_their_type_when_edited() {
    let mut doc = doc();
    assert_eq!(doc.text("cpu").as_deref(), Some("512"));
    assert_eq!(doc.text("memory").as_deref(), Some("1024"));
    doc.set_text("cpu", Some("1024"));
    doc.set_text("memory", Some("2048"));
    assert_eq!(doc.as_map()["cpu"], json!(1024));
    assert_eq!(doc.as_map()["memory"], json!("2048"));
    assert_eq!(doc.container_text(0, "cpu").as_deref(), Some("256"));
}

#[test]
fn an_edit_changes_only_its_own_field() {
    let before = Value::Object(doc().as_map().clone());
    let mut doc = doc();
    assert!(doc.set_container_text(0, "image", Some("repo/web:1.5.0")));
    assert!(doc.set_environment_var(0, "LOG_LEVEL", Some("debug")));
    assert!(doc.set_environment_var(0, "NEW_FLAG", Some("1")));
    let after = Value::Object(doc.as_map().clone());
    assert_eq!(
        changed_paths(&before, &after),
        [
            "containerDefinitions[0].image",
            "containerDefinitions[0].environment[0].value",
            "containerDefinitions[0].environment[2]",
        ]
    );
    assert_eq!(
        after["containerDefinitions"][0]["futureContainerField"],
        json!({"x": [1, 2]})
    );
    // Setting a value to what it already is changes nothing.
    doc.set_text("family", Some("web"));
    assert!(changed_paths(&after, &Value::Object(doc.as_map().clone())).is_empty());
}

#[test]
fn removing_fields_and_variables() {
    let mut doc = doc();
    assert!(doc.set_environment_var(0, "PORT", None));
    assert_eq!(
        doc.environment(0),
        [("LOG_LEVEL".to_owned(), "info".to_owned())]
    );
    doc.set_text("memory", None);
    assert!(!doc.as_map().contains_key("memory"));
    assert!(
        !doc.set_container_text(5, "image", Some("x")),
        "no such container"
    );
}

#[test]
fn syntax_errors_say_where() {
    let error =
        TaskDefDocument::parse("{\n  \"family\": \"web\",\n  \"cpu\": ,\n}").expect_err("bad json");
    assert_eq!((error.line, error.column), (3, 10));
    assert!(!error.message.contains("at line"), "{}", error.message);
    let error = TaskDefDocument::parse("[1, 2]").expect_err("not an object");
    assert!(error.message.contains("JSON object"));
}

#[test]
fn key_order_survives_a_round_trip() {
    let text = TaskDefDocument::parse(DESCRIBED)
        .expect("parses")
        .to_pretty_json();
    let family = text.find("\"family\"").expect("family");
    let containers = text.find("\"containerDefinitions\"").expect("containers");
    let revision = text.find("\"revision\"").expect("revision");
    assert!(family < containers && containers < revision, "{text}");
}

#[test]
fn pointer_edits_create_nested_fields_keep_types_and_prune_empties() {
    let mut doc = TaskDefDocument::parse(
        r#"{"family": "web", "containerDefinitions": [{"name": "web", "cpu": "128",
            "portMappings": [{"containerPort": 80}]}]}"#,
    )
    .unwrap();
    assert!(doc.set_text_at(
        "/containerDefinitions/0/healthCheck/interval",
        "30",
        ScalarKind::Int
    ));
    assert_eq!(
        doc.at("/containerDefinitions/0/healthCheck/interval"),
        Some(&serde_json::json!(30))
    );
    // A string field stays a string, a number stays a number.
    doc.set_text_at("/containerDefinitions/0/cpu", "256", ScalarKind::Int);
    assert_eq!(
        doc.at("/containerDefinitions/0/cpu"),
        Some(&serde_json::json!("256"))
    );
    doc.set_text_at(
        "/containerDefinitions/0/portMappings/0/containerPort",
        "8080",
        ScalarKind::Int,
    );
    assert_eq!(
        doc.text_at("/containerDefinitions/0/portMappings/0/containerPort"),
        "8080"
    );
    assert!(
        doc.at("/containerDefinitions/0/portMappings/0/containerPort")
            .unwrap()
            .is_number()
    );
    // Text that is not a number yet is kept as typed.
    doc.set_text_at(
        "/containerDefinitions/0/healthCheck/retries",
        "3x",
        ScalarKind::Int,
    );
    assert_eq!(
        doc.at("/containerDefinitions/0/healthCheck/retries"),
        Some(&serde_json::json!("3x"))
    );
    // Clearing every field of an object clears the object.
    doc.set_text_at(
        "/containerDefinitions/0/healthCheck/retries",
        "",
        ScalarKind::Int,
    );
    doc.set_text_at(
        "/containerDefinitions/0/healthCheck/interval",
        "",
        ScalarKind::Int,
    );
    assert!(doc.at("/containerDefinitions/0/healthCheck").is_none());
    // Lists: push, move, remove; an emptied list goes away.
    let env = "/containerDefinitions/0/environment";
    doc.push_at(env, serde_json::json!({"name": "A", "value": "1"}));
    doc.push_at(env, serde_json::json!({"name": "B", "value": "2"}));
    assert!(doc.move_item(env, 1, 0));
    assert_eq!(
        doc.text_at("/containerDefinitions/0/environment/0/name"),
        "B"
    );
    doc.remove_at(env, 0);
    doc.remove_at(env, 0);
    assert!(doc.at(env).is_none());
    // A path through a scalar is refused.
    assert!(!doc.set_at("/family/x", Some(serde_json::json!(1))));
    doc.set_strings_at(
        "/containerDefinitions/0/command",
        &["sh".into(), "-c".into()],
    );
    assert_eq!(
        doc.strings_at("/containerDefinitions/0/command"),
        ["sh", "-c"]
    );
}

#[test]
fn renaming_an_option_keeps_its_place_and_refuses_a_taken_name() {
    let mut doc = TaskDefDocument::parse(
        r#"{"containerDefinitions": [{"name": "app", "logConfiguration": {"logDriver": "awsfirelens",
            "options": {"Name": "cloudwatch", "region": "us-east-1", "log_group_name": "/app"}}}]}"#,
    )
    .unwrap();
    let options = "/containerDefinitions/0/logConfiguration/options";
    assert!(doc.rename_key_at(options, "region", "aws_region"));
    let keys: Vec<&String> = doc
        .at(options)
        .unwrap()
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(keys, ["Name", "aws_region", "log_group_name"]);
    assert!(!doc.rename_key_at(options, "Name", "log_group_name"));
    assert!(!doc.rename_key_at(options, "Name", ""));
    assert_eq!(pointer_token("a/b~c"), "a~1b~0c");
    assert!(doc.set_at(
        &format!("{options}/{}", pointer_token("a/b")),
        Some(json!("x"))
    ));
    assert_eq!(doc.at(options).unwrap()["a/b"], "x");
}
