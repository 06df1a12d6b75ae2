use super::*;
use serde_json::json;

fn valid() -> Value {
    json!({
        "family": "web",
        "requiresCompatibilities": ["FARGATE"],
        "networkMode": "awsvpc",
        "cpu": "512",
        "memory": "1024",
        "executionRoleArn": "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
        "containerDefinitions": [{
            "name": "app",
            "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.4.2",
            "memory": 512,
            "memoryReservation": 256,
            "portMappings": [{"containerPort": 8080, "hostPort": 8080}],
            "healthCheck": {"command": ["CMD-SHELL", "curl -f http://localhost:8080/ || exit 1"], "interval": 30, "timeout": 5, "retries": 3},
            "secrets": [{"name": "DB", "valueFrom": "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"}]
        }]
    })
}

/// Applies `edit` to the valid document and returns the paths of the findings.
fn paths_after(edit: impl FnOnce(&mut Value)) -> Vec<String> {
    let mut value = valid();
    edit(&mut value);
    let doc = TaskDefDocument::from_value(value).expect("object");
    validate(&doc).into_iter().map(|f| f.path).collect()
}

#[test]
fn the_valid_definition_passes() {
    assert_eq!(paths_after(|_| {}), Vec::<String>::new());
}

#[test]
fn family_is_required_and_well_formed() {
    assert_eq!(
        paths_after(|v| {
            v.as_object_mut().unwrap().shift_remove("family");
        }),
        ["family"]
    );
    assert_eq!(
        paths_after(|v| v["family"] = json!("has space")),
        ["family"]
    );
}

#[test]
fn fargate_needs_awsvpc_and_a_published_size() {
    assert_eq!(
        paths_after(|v| v["networkMode"] = json!("bridge")),
        ["networkMode"]
    );
    assert_eq!(paths_after(|v| v["memory"] = json!("512")), ["memory"]);
    assert_eq!(
        paths_after(|v| {
            v["cpu"] = json!(1024);
            v["memory"] = json!("3 GB");
        }),
        Vec::<String>::new()
    );
    assert_eq!(
        paths_after(|v| {
            v.as_object_mut().unwrap().shift_remove("cpu");
        }),
        ["cpu"]
    );
    assert_eq!(paths_after(|v| v["cpu"] = json!("lots")), ["cpu"]);
    // EC2 has no size table.
    assert_eq!(
        paths_after(|v| {
            v["requiresCompatibilities"] = json!(["EC2"]);
            v["memory"] = json!("700");
        }),
        Vec::<String>::new()
    );
}

#[test]
fn the_fargate_size_table() {
    assert!(fargate_size_ok(256, 512) && fargate_size_ok(256, 2048) && !fargate_size_ok(256, 4096));
    assert!(fargate_size_ok(4096, 30720) && !fargate_size_ok(4096, 31744));
    assert!(fargate_size_ok(8192, 16384 + 4096) && !fargate_size_ok(8192, 16384 + 1024));
    assert!(fargate_size_ok(16384, 122880) && !fargate_size_ok(300, 1024));
    assert_eq!(
        (cpu_units("0.5 vCPU"), memory_mib("2GB")),
        (Some(512), Some(2048))
    );
}

#[test]
fn role_arns_are_checked() {
    assert_eq!(
        paths_after(|v| v["executionRoleArn"] = json!("ecsTaskExecutionRole")),
        ["executionRoleArn"]
    );
    assert_eq!(
        paths_after(|v| v["taskRoleArn"] = json!("arn:aws:iam::123456789012:role/app/web")),
        Vec::<String>::new()
    );
}

#[test]
fn containers_need_unique_names_an_image_and_one_essential() {
    assert_eq!(
        paths_after(|v| v["containerDefinitions"] = json!([])),
        ["containerDefinitions"]
    );
    assert_eq!(
        paths_after(|v| {
            let copy = v["containerDefinitions"][0].clone();
            v["containerDefinitions"].as_array_mut().unwrap().push(copy);
        }),
        ["containerDefinitions[1].name"]
    );
    assert_eq!(
        paths_after(|v| v["containerDefinitions"][0]["essential"] = json!(false)),
        ["containerDefinitions"]
    );
    assert_eq!(
        paths_after(|v| {
            v["containerDefinitions"][0]
                .as_object_mut()
                .unwrap()
                .shift_remove("image");
        }),
        ["containerDefinitions[0].image"]
    );
}

#[test]
fn image_references_follow_the_docker_syntax() {
    for good in [
        "nginx",
        "nginx:1.27",
        "public.ecr.aws/nginx/nginx:stable",
        "localhost:5000/team/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    ] {
        assert_eq!(
            paths_after(|v| v["containerDefinitions"][0]["image"] = json!(good)),
            Vec::<String>::new(),
            "{good}"
        );
    }
    for bad in ["Nginx:1", "nginx:", "my image", "repo:tag@sha256:short"] {
        assert_eq!(
            paths_after(|v| v["containerDefinitions"][0]["image"] = json!(bad)),
            ["containerDefinitions[0].image"],
            "{bad}"
        );
    }
}

#[test]
fn container_memory_fits_the_task_and_the_soft_limit_fits_the_hard_one() {
    assert_eq!(
        paths_after(|v| v["containerDefinitions"][0]["memory"] = json!(2048)),
        ["containerDefinitions[0].memory"]
    );
    assert_eq!(
        paths_after(|v| v["containerDefinitions"][0]["memoryReservation"] = json!(600)),
        ["containerDefinitions[0].memoryReservation"]
    );
}

#[test]
fn port_rules_follow_the_network_mode() {
    let host = "containerDefinitions[0].portMappings[0].hostPort";
    assert_eq!(
        paths_after(|v| v["containerDefinitions"][0]["portMappings"][0]["hostPort"] = json!(80)),
        [host]
    );
    assert_eq!(
        paths_after(|v| {
            v["requiresCompatibilities"] = json!(["EC2"]);
            v["networkMode"] = json!("bridge");
            v["containerDefinitions"][0]["portMappings"][0]["hostPort"] = json!(0);
        }),
        Vec::<String>::new()
    );
    assert_eq!(
        paths_after(
            |v| v["containerDefinitions"][0]["portMappings"][0]["containerPort"] = json!(70000)
        ),
        [
            "containerDefinitions[0].portMappings[0].containerPort",
            host
        ]
    );
}

#[test]
fn health_check_timings_have_ranges() {
    assert_eq!(
        paths_after(|v| v["containerDefinitions"][0]["healthCheck"]["interval"] = json!(1)),
        ["containerDefinitions[0].healthCheck.interval"]
    );
    assert_eq!(
        paths_after(|v| v["containerDefinitions"][0]["healthCheck"]["command"] = json!([])),
        ["containerDefinitions[0].healthCheck.command"]
    );
}

#[test]
fn secrets_reference_an_arn_or_a_parameter_name() {
    let at = "containerDefinitions[0].secrets[0].valueFrom";
    assert_eq!(
        paths_after(
            |v| v["containerDefinitions"][0]["secrets"][0]["valueFrom"] =
                json!("/prod/db/password")
        ),
        Vec::<String>::new()
    );
    assert_eq!(
        paths_after(
            |v| v["containerDefinitions"][0]["secrets"][0]["valueFrom"] =
                json!("hunter2 is my password")
        ),
        [at]
    );
}
