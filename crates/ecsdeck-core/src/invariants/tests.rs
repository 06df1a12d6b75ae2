//! The always-on half of the fuzzing: every seed and regression input of `fuzz/` replayed, and
//! proptest properties over generated definitions, lines and references.

use super::*;
use proptest::prelude::*;
use serde_json::{Value, json};
use std::path::Path;

/// Runs `check` over every file in `fuzz/<kind>/<target>/`; returns how many.
fn replay(target: &str, check: fn(&[u8])) -> usize {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let mut count = 0;
    for kind in ["seeds", "regressions"] {
        let Ok(entries) = std::fs::read_dir(fuzz.join(kind).join(target)) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.file_name().is_some_and(|n| n == ".keep") {
                continue;
            }
            check(&std::fs::read(&path).unwrap());
            count += 1;
        }
    }
    count
}

#[test]
fn fuzz_seeds_and_regressions_hold() {
    assert!(replay("task_def_pipeline", task_def_pipeline) >= 3);
    assert!(replay("log_severity", log_severity) >= 5);
    assert!(replay("task_def_ref", task_def_ref) >= 3);
}

/// A value a field might hold: strings, numbers (cpu/memory come both ways), nulls, lists.
fn field_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        "[a-zA-Z0-9 :/._-]{0,10}".prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        (0u32..70_000).prop_map(|n| Value::from(n.to_string())),
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        prop::collection::vec("[a-z]{1,4}".prop_map(Value::from), 0..3).prop_map(Value::Array),
    ]
}

/// Containers from a small set of names (so two definitions share some), with fields the
/// normaliser and diff know about and ones they do not.
fn container() -> impl Strategy<Value = Value> {
    let keys = prop::sample::select(vec![
        "image",
        "cpu",
        "memory",
        "essential",
        "command",
        "entryPoint",
        "portMappings",
        "dependsOn",
        "healthCheck",
        "futureField",
    ]);
    (
        prop::sample::select(vec!["web", "sidecar", "log-router", "app"]),
        prop::collection::btree_map(keys, field_value(), 0..6),
        prop::collection::vec(("[A-Z_]{1,6}", "[a-z0-9]{0,6}"), 0..4),
        prop::collection::vec(("[A-Z_]{1,6}", "arn:aws:ssm:[a-z0-9:/-]{0,12}"), 0..2),
    )
        .prop_map(|(name, fields, env, secrets)| {
            let mut object: serde_json::Map<String, Value> =
                fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
            object.insert("name".into(), json!(name));
            object.insert(
                "environment".into(),
                env.into_iter()
                    .map(|(n, v)| json!({"name": n, "value": v}))
                    .collect(),
            );
            object.insert(
                "secrets".into(),
                secrets
                    .into_iter()
                    .map(|(n, v)| json!({"name": n, "valueFrom": v}))
                    .collect(),
            );
            Value::Object(object)
        })
}

/// A task definition, bare or wrapped as describe-task-definition prints it.
fn definition() -> impl Strategy<Value = Value> {
    (
        "[a-z][a-z0-9-]{0,8}",
        prop::collection::vec(container(), 0..4),
        field_value(),
        field_value(),
        prop::sample::select(vec!["awsvpc", "bridge", "host", "none", "weird"]),
        any::<bool>(),
    )
        .prop_map(|(family, containers, cpu, memory, mode, wrapped)| {
            let doc = json!({
                "family": family,
                "containerDefinitions": containers,
                "cpu": cpu,
                "memory": memory,
                "networkMode": mode,
                "requiresCompatibilities": ["FARGATE"],
            });
            if wrapped {
                json!({"taskDefinition": doc})
            } else {
                doc
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn the_task_definition_pipeline_holds(a in definition(), b in definition()) {
        task_def_pipeline(format!("{a}{PAIR_SEPARATOR}{b}").as_bytes());
        task_def_pipeline(a.to_string().as_bytes());
    }

    #[test]
    fn any_text_goes_through_the_pipeline(text in "\\PC{0,200}") {
        task_def_pipeline(text.as_bytes());
    }

    #[test]
    fn severity_takes_any_line(line in prop::collection::vec(any::<u8>(), 0..300)) {
        log_severity(&line);
    }

    #[test]
    fn references_hold(text in "\\PC{0,100}") {
        task_def_ref(text.as_bytes());
    }
}
