//! Plain output of the headless commands: one list printer (aligned columns or every field as
//! JSON), pretty JSON, and `-` for what is missing.

use crate::model::AwsError;
use crate::model::untrusted_text::{json_safe, untrusted, untrusted_block};
use clap::ValueEnum;
use serde::Serialize;

/// Output format of the headless list commands.
#[derive(Debug, Clone, Copy, Default, ValueEnum)]
pub enum Output {
    /// Aligned columns.
    #[default]
    Table,
    /// JSON array with every field.
    Json,
}

/// One column of a list: its header and how a row's cell reads.
pub(crate) struct Column<T> {
    /// The header, in capitals.
    pub header: &'static str,
    /// The cell of one row.
    pub cell: fn(&T) -> String,
}

/// Prints `items` as `output`: every field as JSON, or `columns` aligned.
pub(crate) fn print_list<T: Serialize>(
    items: &[T],
    output: Output,
    columns: &[Column<T>],
) -> Result<(), AwsError> {
    match output {
        Output::Json => print_json(&items),
        Output::Table => {
            let headers: Vec<&str> = columns.iter().map(|c| c.header).collect();
            let rows = items
                .iter()
                .map(|item| columns.iter().map(|c| (c.cell)(item)).collect())
                .collect();
            print_table(&headers, rows);
            Ok(())
        }
    }
}

/// Prints `rows` under `headers`, each column as wide as its widest cell.
pub(crate) fn print_table(headers: &[&str], rows: Vec<Vec<String>>) {
    // Cells come from AWS: escaped before widths are measured, and before a terminal sees them.
    let rows: Vec<Vec<String>> = rows
        .into_iter()
        .map(|row| row.iter().map(|c| untrusted(c).into_owned()).collect())
        .collect();
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
    println!("{}", json_safe(&text));
    Ok(())
}

/// Prints text that holds AWS data (several lines), hostile characters escaped.
pub(crate) fn print_untrusted(text: &str) {
    print!("{}", untrusted_block(text));
}

/// `-` for a missing value.
pub(crate) fn opt(value: Option<&str>) -> String {
    value.unwrap_or("-").to_owned()
}
