use super::*;
use std::collections::BTreeSet;

fn service(name: &str, cluster: &str) -> Entry {
    let arn = format!("arn:aws:ecs:us-east-1:123456789012:service/{cluster}/{name}");
    Entry::new(
        format!("service:{arn}"),
        EntryKind::Service,
        name.to_owned(),
        cluster.to_owned(),
        Target::Navigate(Route::Service {
            cluster: format!("arn:aws:ecs:us-east-1:123456789012:cluster/{cluster}"),
            service: arn,
        }),
    )
}

fn command(command: UiCommand) -> Entry {
    Entry::new(
        format!("command:{command:?}"),
        EntryKind::Command,
        command.label().to_owned(),
        String::new(),
        Target::Command(command),
    )
}

fn index() -> Index {
    Index::new(vec![
        command(UiCommand::Refresh),
        command(UiCommand::CopyArn),
        service("checkout-api", "prod"),
        service("checkout-worker", "prod"),
        service("catalog-api", "prod"),
        service("checkout-api", "staging"),
        service("payments", "prod"),
    ])
}

fn labels(index: &Index, hits: &[Hit]) -> Vec<String> {
    hits.iter()
        .map(|h| {
            let e = &index.entries()[h.entry];
            format!("{} {}", e.label, e.context)
        })
        .collect()
}

#[test]
fn fuzzy_text_finds_a_service_and_marks_the_matched_characters() {
    let mut index = index();
    let hits = index.search("chkapi", &[], 10);
    let found = labels(&index, &hits);
    assert_eq!(
        &found[..2],
        ["checkout-api prod", "checkout-api staging"],
        "{found:?}"
    );
    assert!(
        !found.iter().any(|l| l.starts_with("payments")),
        "{found:?}"
    );
    // c, h, k of "checkout", then a, p, i of "api".
    assert_eq!(hits[0].label_chars, vec![0, 1, 4, 9, 10, 11]);
}

#[test]
fn a_second_word_may_match_where_the_entry_is() {
    let mut index = index();
    let hits = index.search("staging checkout", &[], 10);
    assert_eq!(labels(&index, &hits), ["checkout-api staging"]);
    // One word names the thing itself: not every service of a cluster.
    assert!(index.search("staging", &[], 10).is_empty());
    let hits = index.search("copy", &[], 10);
    assert_eq!(labels(&index, &hits), ["Copy ARN "]);
}

#[test]
fn recently_used_entries_come_first() {
    let mut index = index();
    let staging = index.entries()[5].key.clone();
    let payments = index.entries()[6].key.clone();
    let recent = vec![payments.clone(), staging.clone()];
    // No query: recent ones in order, then commands (not every resource).
    let hits = index.search("", &recent, 10);
    assert_eq!(
        labels(&index, &hits),
        [
            "payments prod",
            "checkout-api staging",
            "Refresh ",
            "Copy ARN "
        ]
    );
    // Two equal matches: the recent one first.
    let hits = index.search("checkout-api", &recent, 10);
    assert_eq!(labels(&index, &hits)[0], "checkout-api staging");
    // A recent entry that matches much worse does not beat a close match.
    let hits = index.search("checkout-worker", &recent, 10);
    assert_eq!(labels(&index, &hits)[0], "checkout-worker prod");
}

#[test]
fn limit_keeps_the_best_and_no_match_gives_nothing() {
    let mut index = index();
    let hits = index.search("c", &[], 2);
    assert_eq!(hits.len(), 2);
    let all = index.search("c", &[], 100);
    assert_eq!(hits, all[..2]);
    assert!(index.search("zzzz", &[], 10).is_empty());
}

#[test]
fn remember_moves_to_the_front_without_duplicates_and_keeps_a_bounded_list() {
    let mut recent = Vec::new();
    for i in 0..RECENT_MAX + 5 {
        remember(&mut recent, &format!("k{i}"));
    }
    remember(&mut recent, "k10");
    assert_eq!(recent.len(), RECENT_MAX);
    assert_eq!(recent[0], "k10");
    assert_eq!(recent.iter().filter(|k| *k == "k10").count(), 1);
}

#[test]
fn an_empty_model_offers_commands_and_screens_but_not_the_palette_itself() {
    let index = Index::from_model(&Model::default());
    let kinds: BTreeSet<EntryKind> = index.entries().iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        BTreeSet::from([EntryKind::Command, EntryKind::Screen])
    );
    assert!(
        !index
            .entries()
            .iter()
            .any(|e| e.target == Target::Command(UiCommand::OpenPalette))
    );
}

#[test]
fn typing_on_narrows_to_what_the_last_query_matched_and_gives_the_same_results() {
    let mut typed = index();
    for query in [
        "c",
        "ch",
        "chk",
        "chk ",
        "chk a",
        "chk api",
        "chk api!",
        "chk api!w",
    ] {
        let narrowed = typed.search(query, &[], 10);
        let fresh = index().search(query, &[], 10);
        assert_eq!(narrowed, fresh, "{query:?}");
    }
    // `!worker` excludes: typing it on must not keep only what `!w` left.
    let mut typed = index();
    typed.search("checkout !w", &[], 10);
    let hits = typed.search("checkout !wx", &[], 10);
    assert_eq!(hits.len(), 3, "{:?}", labels(&typed, &hits));
    assert!(!narrows("ab", "a") && narrows("a", "ab") && !narrows("!a", "!ab"));
}
