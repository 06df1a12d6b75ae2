use super::*;
use serde_json::json;

fn clean() -> Value {
    json!({
        "family": "web",
        "memory": "1024",
        "executionRoleArn": "arn:aws:iam::123456789012:role/exec",
        "containerDefinitions": [{
            "name": "app",
            "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.4.2",
            "user": "1000",
            "readonlyRootFilesystem": true,
            "portMappings": [{"containerPort": 8080}],
            "healthCheck": {"command": ["CMD-SHELL", "true"]},
            "logConfiguration": {"logDriver": "awslogs", "options": {}},
            "environment": [{"name": "LOG_LEVEL", "value": "info"}]
        }]
    })
}

fn paths_after(edit: impl FnOnce(&mut Value)) -> Vec<String> {
    let mut value = clean();
    edit(&mut value);
    let doc = TaskDefDocument::from_value(value).expect("object");
    lint(&doc).into_iter().map(|f| f.path).collect()
}

fn container(v: &mut Value) -> &mut serde_json::Map<String, Value> {
    v["containerDefinitions"][0]
        .as_object_mut()
        .expect("container")
}

#[test]
fn a_careful_definition_has_no_warnings() {
    assert_eq!(paths_after(|_| {}), Vec::<String>::new());
}

#[test]
fn secret_looking_variables_in_plain_environment() {
    for name in [
        "DB_PASSWORD",
        "client_secret",
        "GITHUB_TOKEN",
        "STRIPE_API_KEY",
    ] {
        assert_eq!(
            paths_after(|v| v["containerDefinitions"][0]["environment"][0]["name"] = json!(name)),
            ["containerDefinitions[0].environment[0].name"],
            "{name}"
        );
    }
    assert_eq!(
        paths_after(
            |v| v["containerDefinitions"][0]["environment"][0]["name"] = json!("KEYBOARD_LAYOUT")
        ),
        Vec::<String>::new()
    );
}

#[test]
fn numeric_or_boolean_values_are_not_secrets() {
    assert_eq!(
        paths_after(|v| {
            v["containerDefinitions"][0]["environment"] = json!([
                {"name": "TOKEN_TTL_SECONDS", "value": "3600"},
                {"name": "SECRET_ROTATION_ENABLED", "value": "true"}
            ]);
        }),
        Vec::<String>::new()
    );
}

#[test]
fn latest_or_missing_tags() {
    for image in ["nginx", "nginx:latest", "registry.example.com:5000/app"] {
        assert_eq!(
            paths_after(|v| {
                container(v).insert("image".into(), json!(image));
            }),
            ["containerDefinitions[0].image"],
            "{image}"
        );
    }
    let digest = "nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    assert_eq!(
        paths_after(|v| {
            container(v).insert("image".into(), json!(digest));
        }),
        Vec::<String>::new()
    );
}

#[test]
fn health_check_logs_memory_and_execution_role() {
    assert_eq!(
        paths_after(|v| {
            container(v).shift_remove("healthCheck");
        }),
        ["containerDefinitions[0].healthCheck"]
    );
    // Not essential, or no port: no health-check warning.
    assert_eq!(
        paths_after(|v| {
            container(v).shift_remove("healthCheck");
            container(v).insert("essential".into(), json!(false));
        }),
        Vec::<String>::new()
    );
    assert_eq!(
        paths_after(|v| {
            container(v).shift_remove("logConfiguration");
        }),
        ["containerDefinitions[0].logConfiguration"]
    );
    assert_eq!(
        paths_after(|v| {
            v.as_object_mut().unwrap().shift_remove("memory");
        }),
        ["containerDefinitions[0].memory"]
    );
    assert_eq!(
        paths_after(|v| {
            v.as_object_mut().unwrap().shift_remove("executionRoleArn");
        }),
        ["executionRoleArn"]
    );
}

#[test]
fn root_user_and_writable_root_filesystem_except_on_windows() {
    assert_eq!(
        paths_after(|v| {
            container(v).shift_remove("user");
        }),
        ["containerDefinitions[0].user"]
    );
    assert_eq!(
        paths_after(|v| {
            container(v).insert("user".into(), json!("0:0"));
        }),
        ["containerDefinitions[0].user"]
    );
    assert_eq!(
        paths_after(|v| {
            container(v).shift_remove("readonlyRootFilesystem");
        }),
        ["containerDefinitions[0].readonlyRootFilesystem"]
    );
    assert_eq!(
        paths_after(|v| {
            v["runtimePlatform"] = json!({"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"});
            container(v).shift_remove("user");
            container(v).shift_remove("readonlyRootFilesystem");
        }),
        Vec::<String>::new()
    );
}
