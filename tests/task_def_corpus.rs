//! Form-level edits over a corpus of real-world-shaped task definitions
//! (`tests/fixtures/task-definitions/`): parsing and writing back is lossless, and an edit
//! changes exactly the field it names — every field the form does not model survives.

use ecsdeck::model::task_defs::task_def::{SERVER_MANAGED, TaskDefDocument, changed_paths};
use serde_json::Value;
use std::path::PathBuf;

fn corpus() -> Vec<(String, Value)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/task-definitions");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("corpus directory")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("read");
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, serde_json::from_str(&text).expect("valid JSON"))
        })
        .collect()
}

/// What the document must equal: the definition itself, with describe's tags folded in.
fn expected(original: &Value) -> Value {
    match original.get("taskDefinition") {
        Some(definition) => {
            let mut definition = definition.clone();
            if let Some(tags) = original
                .get("tags")
                .filter(|t| t.as_array().is_some_and(|a| !a.is_empty()))
            {
                definition
                    .as_object_mut()
                    .unwrap()
                    .entry("tags")
                    .or_insert_with(|| tags.clone());
            }
            definition
        }
        None => original.clone(),
    }
}

fn as_value(doc: &TaskDefDocument) -> Value {
    Value::Object(doc.as_map().clone())
}

#[test]
fn the_corpus_has_at_least_20_definitions_of_both_shapes() {
    let corpus = corpus();
    assert!(corpus.len() >= 20, "{} definitions", corpus.len());
    assert!(
        corpus
            .iter()
            .any(|(_, v)| v.get("taskDefinition").is_some())
    );
    assert!(
        corpus
            .iter()
            .any(|(_, v)| v.get("taskDefinition").is_none())
    );
}

#[test]
fn parsing_and_writing_back_is_lossless() {
    for (name, original) in corpus() {
        let doc = TaskDefDocument::from_value(original.clone()).expect(&name);
        assert_eq!(as_value(&doc), expected(&original), "{name}");
        let reparsed = TaskDefDocument::parse(&doc.to_pretty_json()).expect(&name);
        assert_eq!(reparsed, doc, "{name}: text round trip");
    }
}

#[test]
fn each_form_edit_changes_exactly_its_field() {
    for (name, original) in corpus() {
        let base = TaskDefDocument::from_value(original).expect(&name);
        let before = as_value(&base);
        for index in 0..base.containers().len() {
            // Writing back what is there changes nothing, whatever the JSON type.
            let mut doc = base.clone();
            for key in [
                "name",
                "image",
                "cpu",
                "memory",
                "memoryReservation",
                "essential",
                "user",
            ] {
                let current = doc.container_text(index, key);
                if current.is_some() {
                    doc.set_container_text(index, key, current.as_deref());
                }
            }
            assert!(
                changed_paths(&before, &as_value(&doc)).is_empty(),
                "{name}[{index}]: no-op edit"
            );

            let mut doc = base.clone();
            doc.set_container_text(index, "image", Some("registry.example.com/edited:9.9.9"));
            let expected_path = format!("containerDefinitions[{index}].image");
            assert_eq!(
                changed_paths(&before, &as_value(&doc)),
                [expected_path],
                "{name}"
            );

            let mut doc = base.clone();
            let env_len = doc.environment(index).len();
            doc.set_environment_var(index, "ECSDECK_TEST", Some("1"));
            let changes = changed_paths(&before, &as_value(&doc));
            let added = if env_len == 0
                && before["containerDefinitions"][index]
                    .get("environment")
                    .is_none()
            {
                format!("containerDefinitions[{index}].environment")
            } else {
                format!("containerDefinitions[{index}].environment[{env_len}]")
            };
            assert_eq!(changes, [added], "{name}: env edit");
        }
        let mut doc = base.clone();
        let family = doc.family().map(str::to_owned).unwrap_or_default();
        doc.set_text("family", Some(&format!("{family}-copy")));
        assert_eq!(
            changed_paths(&before, &as_value(&doc)),
            ["family"],
            "{name}"
        );
    }
}

#[test]
fn register_input_drops_server_fields_and_keeps_the_rest() {
    for (name, original) in corpus() {
        let doc = TaskDefDocument::from_value(original).expect(&name);
        let input = doc.register_input();
        for key in SERVER_MANAGED {
            assert!(!input.contains_key(*key), "{name}: {key}");
        }
        for (key, value) in doc.as_map() {
            if !SERVER_MANAGED.contains(&key.as_str()) {
                assert_eq!(input.get(key), Some(value), "{name}: {key} kept");
            }
        }
    }
}

#[test]
fn every_corpus_definition_passes_validation() {
    for (name, original) in corpus() {
        let doc = TaskDefDocument::from_value(original).expect(&name);
        let findings = ecsdeck::model::task_defs::task_def_validate::validate(&doc);
        assert!(findings.is_empty(), "{name}: {findings:#?}");
    }
}

#[test]
fn lint_flags_the_plain_text_password_and_only_there() {
    for (name, original) in corpus() {
        let doc = TaskDefDocument::from_value(original).expect(&name);
        let secrets: Vec<String> = ecsdeck::model::task_defs::task_def_lint::lint(&doc)
            .into_iter()
            .filter(|f| f.path.contains(".environment["))
            .map(|f| f.path)
            .collect();
        if name.starts_with("08-") {
            assert_eq!(secrets.len(), 1, "{name}: {secrets:?}");
        } else {
            assert!(secrets.is_empty(), "{name}: {secrets:?}");
        }
    }
}
