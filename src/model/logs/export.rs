//! One tail line as text or JSON, for `ecsdeck logs` and the Logs page's export.

use super::buffer::LineMeta;
use super::tail::TailData;
use crate::model::time_format::rfc3339_ms;
use crate::model::untrusted_text::{json_safe, untrusted};
use std::io::Write;

/// How lines are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LineFormat {
    /// `TIME SOURCE MESSAGE`.
    #[default]
    Text,
    /// One JSON object per line (NDJSON) with the source's group, stream, task and level.
    Json,
}

impl LineFormat {
    /// JSON for `.json`, `.jsonl` and `.ndjson` files, else text.
    pub fn for_path(path: &std::path::Path) -> Self {
        match path.extension().and_then(|e| e.to_str()) {
            Some("json" | "jsonl" | "ndjson") => Self::Json,
            _ => Self::Text,
        }
    }
}

/// Writes one line of `data` (its meta and text) to `out`, with a newline. Control, bidi and
/// zero-width characters from the log become visible escapes: the output goes to terminals.
pub fn write_line(
    out: &mut impl Write,
    data: &TailData,
    meta: &LineMeta,
    text: &str,
    format: LineFormat,
) -> std::io::Result<()> {
    let source = data.source(meta.source);
    let time = rfc3339_ms(meta.timestamp_ms);
    match format {
        LineFormat::Text => writeln!(
            out,
            "{time} {} {}",
            untrusted(&source.map_or_else(|| "-".to_owned(), |s| s.label())),
            untrusted(text)
        ),
        LineFormat::Json => {
            let value = serde_json::json!({
                "timestamp": time,
                "timestamp_ms": meta.timestamp_ms,
                "group": source.map(|s| s.group.as_str()),
                "stream": source.map(|s| s.stream.as_str()),
                "service": source.and_then(|s| s.service.as_deref()),
                "container": source.and_then(|s| s.container.as_deref()),
                "task": source.map(|s| s.task_id()),
                "severity": meta.severity.label(),
                "message": text,
            });
            writeln!(out, "{}", json_safe(&value.to_string()))
        }
    }
}
