//! Property tests over generated task definitions: whatever fields a definition carries
//! (known, unknown, nested, numbers or strings), a round trip through the document is
//! lossless and a form edit changes exactly the field it targets.

use ecsdeck::model::task_defs::draft::Draft;
use ecsdeck::model::task_defs::editor::Editor;
use ecsdeck::model::task_defs::task_def::{ScalarKind, TaskDefDocument, changed_paths};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// Any JSON value a future ECS field might hold, a few levels deep.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i32>().prop_map(Value::from),
        "[a-zA-Z0-9 _:/.-]{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z][a-zA-Z]{0,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn container() -> impl Strategy<Value = Value> {
    (
        "[a-z][a-z0-9-]{0,10}",
        "[a-z]{1,8}(:[0-9]\\.[0-9])?",
        prop::option::of(prop_oneof![
            (0u32..4096).prop_map(Value::from),
            (0u32..4096).prop_map(|n| Value::from(n.to_string()))
        ]),
        prop::collection::vec(("[A-Z_]{1,8}", "[a-z0-9]{0,6}"), 0..4),
        prop::collection::btree_map("x[A-Z][a-z]{0,6}", any_json(), 0..3),
    )
        .prop_map(|(name, image, cpu, env, unknown)| {
            let mut c = Map::new();
            c.insert("name".into(), Value::from(name));
            c.insert("image".into(), Value::from(image));
            if let Some(cpu) = cpu {
                c.insert("cpu".into(), cpu);
            }
            if !env.is_empty() {
                let list = env
                    .into_iter()
                    .map(|(n, v)| json!({"name": n, "value": v}))
                    .collect();
                c.insert("environment".into(), Value::Array(list));
            }
            c.extend(unknown);
            Value::Object(c)
        })
}

fn task_definition() -> impl Strategy<Value = Value> {
    (
        "[a-z][a-z0-9-]{0,12}",
        prop::collection::vec(container(), 1..5),
        prop::option::of(prop_oneof![
            Just(Value::from("256")),
            Just(Value::from(1024)),
            Just(Value::from("1 vCPU"))
        ]),
        prop::collection::btree_map("future[A-Z][a-z]{0,6}", any_json(), 0..3),
        any::<bool>(),
    )
        .prop_map(|(family, containers, cpu, unknown, described)| {
            let mut root = Map::new();
            root.insert("family".into(), Value::from(family));
            root.insert("containerDefinitions".into(), Value::Array(containers));
            if let Some(cpu) = cpu {
                root.insert("cpu".into(), cpu);
            }
            root.extend(unknown);
            if described {
                root.insert("revision".into(), Value::from(7));
                json!({"taskDefinition": Value::Object(root), "tags": []})
            } else {
                Value::Object(root)
            }
        })
}

fn root_of(value: &Value) -> Value {
    value
        .get("taskDefinition")
        .cloned()
        .unwrap_or_else(|| value.clone())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn parsing_and_writing_back_is_lossless(definition in task_definition()) {
        let text = serde_json::to_string_pretty(&definition).unwrap();
        let doc = TaskDefDocument::parse(&text).unwrap();
        let written: Value = serde_json::from_str(&doc.to_pretty_json()).unwrap();
        prop_assert_eq!(&written, &root_of(&definition));
        // Key order survives too.
        prop_assert_eq!(doc.to_pretty_json(), serde_json::to_string_pretty(&root_of(&definition)).unwrap());
    }

    #[test]
    fn a_form_edit_changes_exactly_its_field(
        definition in task_definition(),
        pick in any::<prop::sample::Index>(),
        image in "[a-z]{1,8}:[0-9]\\.[0-9]\\.[0-9]",
        cpu in 1u32..4096,
    ) {
        let text = serde_json::to_string_pretty(&definition).unwrap();
        let mut editor = Editor::open(Draft { id: "p".into(), text, ..Draft::default() });
        let before = Value::Object(editor.doc().as_map().clone());
        let index = pick.index(editor.doc().containers().len());
        let old_cpu = editor.doc().at(&format!("/containerDefinitions/{index}/cpu")).cloned();
        editor.edit(|doc| {
            doc.set_container_text(index, "image", Some(&image));
            doc.set_text_at(&format!("/containerDefinitions/{index}/cpu"), &cpu.to_string(), ScalarKind::Int);
        });
        let after: Value = serde_json::from_str(editor.json_text()).unwrap();
        let mut changes = changed_paths(&before, &after);
        changes.sort();
        let mut expected: Vec<String> = Vec::new();
        if before["containerDefinitions"][index]["cpu"] != after["containerDefinitions"][index]["cpu"] {
            expected.push(format!("containerDefinitions[{index}].cpu"));
        }
        if before["containerDefinitions"][index]["image"] != after["containerDefinitions"][index]["image"] {
            expected.push(format!("containerDefinitions[{index}].image"));
        }
        expected.sort();
        prop_assert_eq!(changes, expected);
        // The type the document used is kept: a string stays a string.
        let new_cpu = &after["containerDefinitions"][index]["cpu"];
        match old_cpu {
            Some(Value::String(_)) => prop_assert!(new_cpu.is_string()),
            _ => prop_assert!(new_cpu.is_number()),
        }
    }
}
