//! The semantic diff on the corpus: golden summaries for neighbouring pairs (checked in under
//! `tests/fixtures/diff-summaries.txt`; `UPDATE_GOLDEN=1` rewrites them), and properties over
//! generated definitions.

use ecsdeck::model::task_defs::task_def::TaskDefDocument;
use ecsdeck::model::task_defs::td_diff::diff;
use ecsdeck::model::task_defs::td_normalise::normalise;
use proptest::prelude::*;
use serde_json::{Value, json};

fn corpus() -> Vec<(String, TaskDefDocument)> {
    let dir = format!(
        "{}/tests/fixtures/task-definitions",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let doc = TaskDefDocument::parse(&std::fs::read_to_string(&p).unwrap()).unwrap();
            (name, doc)
        })
        .collect()
}

#[test]
fn golden_summaries_of_neighbouring_corpus_pairs() {
    let corpus = corpus();
    let mut lines = Vec::new();
    for pair in corpus.windows(2) {
        let d = diff(&pair[0].1, &pair[1].1);
        lines.push(format!("{} → {}: {}", pair[0].0, pair[1].0, d.summary()));
    }
    // Hand-made next revisions of corpus files (tests/fixtures/diff-pairs/<name>.next.json).
    let pairs = format!("{}/tests/fixtures/diff-pairs", env!("CARGO_MANIFEST_DIR"));
    let mut nexts: Vec<_> = std::fs::read_dir(&pairs)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    nexts.sort();
    for next in nexts {
        let file = next.file_name().unwrap().to_string_lossy().into_owned();
        let base_name = file.replace(".next.json", ".json");
        let base = &corpus
            .iter()
            .find(|(n, _)| *n == base_name)
            .expect("base file")
            .1;
        let doc = TaskDefDocument::parse(&std::fs::read_to_string(&next).unwrap()).unwrap();
        lines.push(format!(
            "{base_name} → {file}: {}",
            diff(base, &doc).summary()
        ));
    }
    for (name, doc) in &corpus {
        // Every definition against its own register input: only server fields differ.
        let input = TaskDefDocument::from_value(Value::Object(doc.register_input())).unwrap();
        let d = diff(doc, &input);
        assert!(d.is_empty(), "{name}: {:?}", d.changes);
    }
    let actual = lines.join("\n") + "\n";
    let path = format!(
        "{}/tests/fixtures/diff-summaries.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path).expect("golden file (UPDATE_GOLDEN=1 writes it)");
    assert_eq!(actual, expected);
}

/// Definitions with a few containers whose lists come in any order and with defaults written
/// out or left implicit.
fn definition() -> impl Strategy<Value = (Value, Value)> {
    let container = (
        "[a-z]{1,6}",
        "[a-z]{1,6}:[0-9]",
        prop::collection::btree_map("[A-Z]{1,4}", "[a-z0-9]{0,4}", 0..5),
        any::<bool>(),
        prop::option::of(1u16..9000),
    );
    (prop::collection::vec(container, 1..4), any::<u64>()).prop_map(|(containers, seed)| {
        let mut seen = std::collections::HashSet::new();
        let containers: Vec<_> = containers
            .into_iter()
            .filter(|c| seen.insert(c.0.clone()))
            .collect();
        let build = |shuffle: bool| {
            let list: Vec<Value> = containers
                .iter()
                .map(|(name, image, env, explicit, port)| {
                    let mut env: Vec<Value> = env
                        .iter()
                        .map(|(k, v)| json!({"name": k, "value": v}))
                        .collect();
                    if shuffle {
                        env.reverse();
                    }
                    let mut c = json!({"name": name, "image": image, "environment": env});
                    if let Some(port) = port {
                        c["portMappings"] = if shuffle && *explicit {
                            json!([{"containerPort": port, "hostPort": port, "protocol": "tcp"}])
                        } else {
                            json!([{"containerPort": port}])
                        };
                    }
                    if shuffle && *explicit {
                        c["essential"] = json!(true);
                        c["mountPoints"] = json!([]);
                    }
                    c
                })
                .collect();
            let mut list = list;
            if shuffle && seed % 2 == 1 {
                list.reverse();
            }
            json!({"family": "p", "networkMode": "awsvpc", "containerDefinitions": list})
        };
        (build(false), build(true))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn a_definition_equals_itself_and_its_reordered_explicit_form((plain, shuffled) in definition()) {
        let a = TaskDefDocument::from_value(plain).unwrap();
        let b = TaskDefDocument::from_value(shuffled).unwrap();
        prop_assert!(diff(&a, &a).is_empty());
        prop_assert!(diff(&a, &b).is_empty(), "{:?}", diff(&a, &b).changes);
    }

    #[test]
    fn empty_diff_iff_equal_normal_forms(
        (a, _) in definition(),
        (b, _) in definition(),
    ) {
        let a = TaskDefDocument::from_value(a).unwrap();
        let b = TaskDefDocument::from_value(b).unwrap();
        prop_assert_eq!(diff(&a, &b).is_empty(), normalise(&a) == normalise(&b));
    }
}
