//! The action journal: every change the app made to AWS, newest first.

use crate::model::changes::journal::JournalEntry;
use crate::model::time_format::short_utc;
use crate::ui::task_defs::state::FileRequest;
use crate::ui::widgets::table::{CellStyle, Column, SortKey, TableState, table_ui};
use egui::{RichText, Ui};

/// The journal as last read, and its table.
#[derive(Debug, Default)]
pub struct JournalView {
    /// Entries, newest first; None until read (or after a new entry).
    pub entries: Option<Result<Vec<JournalEntry>, String>>,
    /// Bumped on every read, so the table re-sorts.
    pub version: u64,
    /// The table.
    pub table: TableState,
    requested: bool,
}

impl JournalView {
    /// Forgets the entries so the next visit reads the file again.
    pub fn invalidate(&mut self) {
        self.entries = None;
        self.requested = false;
    }

    /// Stores what the file thread read.
    pub fn set(&mut self, entries: Result<Vec<JournalEntry>, String>) {
        self.entries = Some(entries);
        self.version += 1;
    }
}

fn columns() -> [Column<JournalEntry>; 6] {
    [
        Column {
            title: "When (UTC)",
            width: 140.0,
            text: |e| e.at.map_or_else(|| "-".to_owned(), short_utc),
            sort: |e| SortKey::Time(e.at),
            style: CellStyle::Plain,
        },
        Column {
            title: "Profile · region",
            width: 150.0,
            text: |e| {
                format!(
                    "{} · {}",
                    e.profile.as_deref().unwrap_or("default"),
                    e.region
                )
            },
            sort: |e| SortKey::Text(e.region.clone()),
            style: CellStyle::Plain,
        },
        Column {
            title: "Operation",
            width: 170.0,
            text: |e| e.operation.clone(),
            sort: |e| SortKey::text(&e.operation),
            style: CellStyle::Plain,
        },
        Column {
            title: "Resource",
            width: 200.0,
            text: |e| {
                e.resource
                    .rsplit('/')
                    .next()
                    .unwrap_or(&e.resource)
                    .to_owned()
            },
            sort: |e| SortKey::text(&e.resource),
            style: CellStyle::Plain,
        },
        Column {
            title: "What",
            width: 240.0,
            text: |e| e.summary.clone(),
            sort: |e| SortKey::text(&e.summary),
            style: CellStyle::Plain,
        },
        Column {
            title: "Result",
            width: 240.0,
            text: |e| e.result.clone(),
            sort: |e| SortKey::text(&e.result),
            style: CellStyle::Plain,
        },
    ]
}

/// The journal page.
pub fn journal_ui(view: &mut JournalView, ui: &mut Ui, requests: &mut Vec<FileRequest>) {
    ui.label(RichText::new("Action journal").strong().size(16.0));
    ui.label(
        RichText::new(
            "Every change ECS Deck made to AWS, newest first, kept on this machine (no secrets).",
        )
        .weak(),
    );
    if !view.requested {
        view.requested = true;
        requests.push(FileRequest::ReadJournal);
    }
    match &view.entries {
        None => {
            ui.spinner();
        }
        Some(Err(why)) => {
            ui.label(
                RichText::new(why)
                    .color(crate::ui::widgets::theme::Tone::Bad.color(ui.visuals().dark_mode)),
            );
        }
        Some(Ok(entries)) if entries.is_empty() => {
            ui.label("No changes made yet.");
        }
        Some(Ok(entries)) => {
            let version = view.version;
            table_ui(
                ui,
                "journal",
                &mut view.table,
                entries,
                version,
                |e| &e.summary,
                &columns(),
            );
        }
    }
}
