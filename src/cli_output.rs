//! Plain output of the headless commands: aligned tables and pretty JSON.

use crate::model::AwsError;
use serde::Serialize;

/// Prints `rows` under `headers`, each column as wide as its widest cell.
pub(crate) fn print_table(headers: &[&str], rows: Vec<Vec<String>>) {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.len()).collect();
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<String>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        println!("{}", padded.join("  ").trim_end());
    };
    line(headers.iter().map(|h| (*h).to_owned()).collect());
    for row in rows {
        line(row);
    }
}

/// Prints `value` as pretty JSON.
pub(crate) fn print_json<T: Serialize>(value: &T) -> Result<(), AwsError> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| AwsError::internal("output", e.to_string()))?;
    println!("{text}");
    Ok(())
}

/// `-` for a missing value.
pub(crate) fn opt(value: Option<&str>) -> String {
    value.unwrap_or("-").to_owned()
}
