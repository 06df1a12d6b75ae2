//! Command-palette search over 20,000 resources, one search per keystroke as a user types
//! (the palette searches on the UI thread, so each keystroke must stay within a frame).
//! Run: `cargo run --release --example palette_search`.

use ecsdeck::model::Route;
use ecsdeck::ui::palette::index::{Entry, EntryKind, Index, Target};
use ecsdeck::ui::shell::command::UiCommand;
use std::time::{Duration, Instant};

const CLUSTERS: usize = 40;
const SERVICES_PER_CLUSTER: usize = 450;
const FAMILIES: usize = 1_800;
const LOG_GROUPS: usize = 160;
const ROUNDS: usize = 30;

const WORDS: [&str; 24] = [
    "checkout",
    "payments",
    "orders",
    "catalog",
    "search",
    "ledger",
    "billing",
    "auth",
    "profile",
    "inventory",
    "shipping",
    "pricing",
    "reviews",
    "notify",
    "gateway",
    "ingest",
    "reports",
    "media",
    "thumbs",
    "session",
    "cart",
    "fraud",
    "tax",
    "email",
];
const ROLES: [&str; 5] = ["api", "worker", "consumer", "cron", "web"];
const ENVS: [&str; 4] = ["prod", "staging", "dev", "perf"];

fn name(i: usize) -> String {
    format!(
        "{}-{}-{}",
        WORDS[i % WORDS.len()],
        WORDS[(i / WORDS.len() + 7) % WORDS.len()],
        ROLES[(i / 3) % ROLES.len()]
    )
}

fn entries() -> Vec<Entry> {
    let mut out: Vec<Entry> = UiCommand::all()
        .map(|c| {
            Entry::new(
                format!("command:{c:?}"),
                EntryKind::Command,
                c.label().to_owned(),
                String::new(),
                Target::Command(c),
            )
        })
        .collect();
    for c in 0..CLUSTERS {
        let cluster = format!("{}-{}-{c}", ENVS[c % ENVS.len()], WORDS[c % WORDS.len()]);
        let arn = format!("arn:aws:ecs:us-east-1:123456789012:cluster/{cluster}");
        out.push(Entry::new(
            format!("cluster:{arn}"),
            EntryKind::Cluster,
            cluster.clone(),
            format!("{SERVICES_PER_CLUSTER} services, 1200 tasks"),
            Target::Navigate(Route::Clusters),
        ));
        for s in 0..SERVICES_PER_CLUSTER {
            let service = name(c * SERVICES_PER_CLUSTER + s);
            out.push(Entry::new(
                format!("service:{arn}/{service}-{s}"),
                EntryKind::Service,
                format!("{service}-{s}"),
                cluster.clone(),
                Target::Navigate(Route::Clusters),
            ));
        }
    }
    for f in 0..FAMILIES {
        out.push(Entry::new(
            format!("family:{}", name(f)),
            EntryKind::Family,
            format!("{}-{f}", name(f)),
            String::new(),
            Target::Navigate(Route::TaskDefinitions),
        ));
    }
    for g in 0..LOG_GROUPS {
        out.push(Entry::new(
            format!("group:/ecs/{}", name(g)),
            EntryKind::LogGroup,
            format!("/ecs/{}", name(g)),
            "tail".to_owned(),
            Target::Navigate(Route::Clusters),
        ));
    }
    out
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    let started = Instant::now();
    let entries = entries();
    let count = entries.len();
    let mut index = Index::new(entries);
    println!(
        "index: {count} entries built in {:.1} ms",
        started.elapsed().as_secs_f64() * 1e3
    );
    let recent: Vec<String> = index
        .entries()
        .iter()
        .step_by(997)
        .map(|e| e.key.clone())
        .collect();
    let typed = [
        "checkout api",
        "chkapi",
        "prod pay wrk",
        "/ecs/ledger",
        "tail log",
        "staging-ord",
        "zzqx",
    ];
    // The first keystroke after the palette opens (the index was just built).
    let at = Instant::now();
    let first = index.search("s", &recent, 50).len();
    println!(
        "first keystroke: {:.2} ms ({first} results)",
        at.elapsed().as_secs_f64() * 1e3
    );
    let mut times = Vec::new();
    let mut results = 0;
    let mut worst: Vec<(Duration, String)> = Vec::new();
    for _ in 0..ROUNDS {
        for query in typed {
            // Every prefix, as the user types it.
            for end in query.char_indices().map(|(i, c)| i + c.len_utf8()) {
                let at = Instant::now();
                results += index.search(&query[..end], &recent, 50).len();
                let took = at.elapsed();
                times.push(took);
                worst.push((took, query[..end].to_owned()));
            }
        }
    }
    worst.sort_unstable_by_key(|w| std::cmp::Reverse(w.0));
    worst.dedup_by(|a, b| a.1 == b.1);
    let slowest: Vec<String> = worst
        .iter()
        .take(5)
        .map(|(d, q)| format!("{q:?} {:.2} ms", d.as_secs_f64() * 1e3))
        .collect();
    println!("slowest: {}", slowest.join(", "));
    times.sort_unstable();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "search per keystroke over {count} entries: median {:.2} ms, p99 {:.2} ms, max {:.2} ms \
         ({} searches, {results} results)",
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.99)),
        ms(times[times.len() - 1]),
        times.len()
    );
}
