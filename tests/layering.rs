//! The crate's layers import one way (ARCHITECTURE.md): each top-level module of `src/` may
//! name only the modules below it, and no file uses `#[path]`. Read from the sources as text,
//! so a new import that points up fails here, with the file and line.

use std::path::{Path, PathBuf};

/// What each layer may import from the crate (besides itself).
const ALLOWED: &[(&str, &[&str])] = &[
    ("app", &["ui", "jobs", "worker", "aws", "model"]),
    ("cli", &["worker", "jobs", "aws", "model"]),
    ("ui", &["jobs", "model"]),
    ("worker", &["aws", "model"]),
    ("jobs", &["model"]),
    ("aws", &["model"]),
    ("model", &[]),
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_import_points_down_and_no_file_uses_path_attributes() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let layers: Vec<&str> = ALLOWED.iter().map(|(layer, _)| *layer).collect();
    let mut wrong = Vec::new();
    for (layer, allowed) in ALLOWED {
        let mut files = Vec::new();
        rust_files(&root.join("src").join(layer), &mut files);
        assert!(!files.is_empty(), "no files under src/{layer}");
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            for (n, line) in text.lines().enumerate() {
                let at = format!("{}:{}", file.strip_prefix(&root).unwrap().display(), n + 1);
                if line.trim_start().starts_with("#[path") {
                    wrong.push(format!("{at}: #[path]"));
                }
                for other in &layers {
                    let named = line.contains(&format!("crate::{other}::"))
                        || line.contains(&format!("crate::{other};"))
                        || line.contains(&format!("crate::{other}}}"));
                    if named && other != layer && !allowed.contains(other) {
                        wrong.push(format!("{at}: {layer} imports {other}"));
                    }
                }
            }
        }
    }
    let mut core = Vec::new();
    rust_files(&root.join("crates/ecsdeck-core/src"), &mut core);
    for file in core {
        let text = std::fs::read_to_string(&file).unwrap();
        if text.lines().any(|l| l.trim_start().starts_with("#[path")) {
            wrong.push(format!("{}: #[path]", file.display()));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_model_and_the_settings_need_neither_egui_nor_the_sdk() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("src/app/settings.rs")];
    rust_files(&root.join("src/model"), &mut files);
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            assert!(
                !code.contains("egui::") && !code.contains("aws_sdk_"),
                "{}:{}: {line}",
                file.display(),
                n + 1
            );
        }
    }
}
