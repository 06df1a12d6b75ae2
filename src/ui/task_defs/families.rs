//! The family list's rows and columns: each family with its newest revision, how many are
//! active, when the newest was registered and the services running it (the region-wide
//! overview, read in the background; "…" until it arrives).

use super::FamilyFilter;
use super::state::TaskDefsView;
use crate::model::Model;
use crate::model::task_defs::family_overview::{FamilyFacts, FamilyOverview};
use crate::model::task_defs::revisions::Family;
use crate::ui::widgets::table::{CellStyle, Column, SortKey};
use crate::ui::widgets::time_text;

/// One row of the family list.
#[derive(Clone, Debug, PartialEq)]
pub struct FamilyRow {
    /// Family name.
    pub name: String,
    /// True when at least one revision is ACTIVE.
    pub active: bool,
    /// What the overview knows of it (None: not read yet, or it failed).
    pub facts: Option<FamilyFacts>,
}

/// What a fact column shows before the overview has arrived.
const PENDING: &str = "…";

fn fact_text(row: &FamilyRow, text: impl Fn(&FamilyFacts) -> String) -> String {
    row.facts.as_ref().map_or_else(|| PENDING.to_owned(), text)
}

fn fact_int(row: &FamilyRow, value: impl Fn(&FamilyFacts) -> u32) -> SortKey {
    SortKey::Int(row.facts.as_ref().map_or(-1, |f| i64::from(value(f))))
}

/// The family list's columns.
pub fn family_columns() -> [Column<FamilyRow>; 6] {
    [
        Column {
            title: "Family",
            width: 220.0,
            text: |f| f.name.clone(),
            sort: |f| SortKey::text(&f.name),
            style: CellStyle::Plain,
        },
        Column {
            title: "Status",
            width: 80.0,
            text: |f| if f.active { "ACTIVE" } else { "INACTIVE" }.to_owned(),
            sort: |f| SortKey::Int(i64::from(f.active)),
            style: CellStyle::Status,
        },
        Column {
            title: "Newest",
            width: 60.0,
            text: |f| fact_text(f, |x| revision_text(x.newest_revision)),
            sort: |f| fact_int(f, |x| x.newest_revision),
            style: CellStyle::Plain,
        },
        Column {
            title: "Active revisions",
            width: 110.0,
            text: |f| fact_text(f, |x| x.active_revisions.to_string()),
            sort: |f| fact_int(f, |x| x.active_revisions),
            style: CellStyle::Plain,
        },
        Column {
            title: "Newest registered",
            width: 135.0,
            text: |f| fact_text(f, |x| time_text(x.newest_registered_at)),
            sort: |f| SortKey::Time(f.facts.as_ref().and_then(|x| x.newest_registered_at)),
            style: CellStyle::Plain,
        },
        Column {
            title: "Services",
            width: 260.0,
            text: |f| fact_text(f, services_text),
            sort: |f| SortKey::Text(fact_text(f, services_text)),
            style: CellStyle::Plain,
        },
    ]
}

fn revision_text(revision: u32) -> String {
    if revision == 0 {
        "-".to_owned()
    } else {
        format!(":{revision}")
    }
}

fn services_text(facts: &FamilyFacts) -> String {
    let text = facts.services_text();
    if text.is_empty() {
        "-".to_owned()
    } else {
        text
    }
}

/// The rows the filter keeps, built again only when the list, the overview or the filter
/// changed; returns the version the table sorts and filters by.
pub fn refilter(model: &Model, view: &mut TaskDefsView, families: (&[Family], u64)) -> u64 {
    let filter = view.family_filter;
    let overview = model.store.family_overview.value();
    let overview_version = model
        .store
        .family_overview
        .fetched()
        .map_or(0, |f| f.version);
    let cache_key = (families.1, overview_version, filter);
    if view.filtered_for != Some(cache_key) {
        view.filtered = rows(families.0, overview.map(|o| &**o), filter);
        view.filtered_for = Some(cache_key);
    }
    // One number per (list, overview, filter): the table's caches follow it.
    (families.1 * 1_000_003 + overview_version) * 3 + filter as u64
}

fn rows(
    families: &[Family],
    overview: Option<&FamilyOverview>,
    filter: FamilyFilter,
) -> Vec<FamilyRow> {
    families
        .iter()
        .filter(|f| match filter {
            FamilyFilter::Active => f.active,
            FamilyFilter::Inactive => !f.active,
            FamilyFilter::All => true,
        })
        .map(|f| FamilyRow {
            name: f.name.clone(),
            active: f.active,
            facts: overview.map(|o| o.families.get(&f.name).cloned().unwrap_or_default()),
        })
        .collect()
}
