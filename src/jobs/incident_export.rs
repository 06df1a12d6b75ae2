//! Writes an incident export on a thread of its own: a folder with the report as Markdown
//! and JSON, the cockpit's charts and lanes as PNG (the window's screenshot cropped to
//! them), and the log lines around each marked event, one file each under `logs/`.

use super::chart_png::{crop, write_png};
use super::drafts::write_atomically;
use egui::{ColorImage, Rect};
use std::path::{Path, PathBuf};
use std::sync::{Arc, mpsc};

/// Everything one export writes.
#[derive(Debug)]
pub struct ExportContent {
    /// The folder (created if missing).
    pub dir: PathBuf,
    /// `report.md`.
    pub report_md: String,
    /// `report.json`.
    pub report_json: String,
    /// `timeline.png`: the screenshot, the charts' area (points) and pixels per point.
    pub picture: Option<(Arc<ColorImage>, Rect, f32)>,
    /// `logs/NAME` → text.
    pub logs: Vec<(String, String)>,
}

/// What was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exported {
    /// The folder.
    pub dir: PathBuf,
    /// The files, relative to it.
    pub files: Vec<String>,
}

fn put(dir: &Path, name: &str, bytes: &[u8], files: &mut Vec<String>) -> Result<(), String> {
    let path = dir.join(name);
    write_atomically(&path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    files.push(name.to_owned());
    Ok(())
}

/// Writes `content`; the files written, or why not.
pub fn write(content: ExportContent) -> Result<Exported, String> {
    let dir = content.dir;
    std::fs::create_dir_all(dir.join("logs"))
        .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let mut files = Vec::new();
    put(&dir, "report.md", content.report_md.as_bytes(), &mut files)?;
    put(
        &dir,
        "report.json",
        content.report_json.as_bytes(),
        &mut files,
    )?;
    if let Some((image, rect, ppp)) = content.picture {
        let cropped = crop(&image, rect, ppp).ok_or("the charts were not on screen")?;
        write_png(&cropped, &dir.join("timeline.png"))?;
        files.push("timeline.png".to_owned());
    }
    for (name, text) in &content.logs {
        put(&dir, &format!("logs/{name}"), text.as_bytes(), &mut files)?;
    }
    Ok(Exported { dir, files })
}

/// Writes `content` as a job; `reply` gets the result, then `wake` is called.
pub fn write_in_background(
    content: ExportContent,
    reply: mpsc::Sender<Result<Exported, String>>,
    wake: crate::model::messages::Repaint,
) {
    super::spawn_job_to("incident-export", reply, wake, move || write(content))
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::{Color32, pos2};

    #[test]
    fn the_folder_holds_the_report_the_picture_and_a_file_per_mark() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("incident-web");
        let image = Arc::new(ColorImage::filled([20, 20], Color32::RED));
        let done = write(ExportContent {
            dir: target.clone(),
            report_md: "# Incident report".into(),
            report_json: "{}".into(),
            picture: Some((
                image,
                Rect::from_min_max(pos2(0.0, 0.0), pos2(10.0, 10.0)),
                1.0,
            )),
            logs: vec![("20261206-101300-deploy-web-43.log".into(), "line\n".into())],
        })
        .unwrap();
        assert_eq!(
            done.files,
            [
                "report.md",
                "report.json",
                "timeline.png",
                "logs/20261206-101300-deploy-web-43.log"
            ]
        );
        assert_eq!(
            std::fs::read_to_string(target.join("report.md")).unwrap(),
            "# Incident report"
        );
        let png = image::open(target.join("timeline.png")).unwrap();
        assert_eq!((png.width(), png.height()), (10, 10));
    }

    #[test]
    fn a_folder_that_cannot_be_made_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a-file");
        std::fs::write(&file, "x").unwrap();
        let error = write(ExportContent {
            dir: file.join("sub"),
            report_md: String::new(),
            report_json: String::new(),
            picture: None,
            logs: Vec::new(),
        })
        .unwrap_err();
        assert!(error.starts_with("cannot create"), "{error}");
    }
}
