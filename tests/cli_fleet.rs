//! `ecsdeck fleet` against the emulator (two accounts, two regions, moto's state; the
//! profiles of tests/support/fleet_seed.rs): the rows of every pair, what needs attention
//! first; `--unhealthy`, `--image` and `--search`; the exit codes (0 nothing unhealthy among
//! the rows, 1 something is, 2 a pair failed); and the calls made, counted by a proxy in
//! front of the emulator: the fewest the API's page and batch sizes allow.

use crate::support;

use aws_sdk_ecs::types::LaunchType;
use std::process::Output;
use support::Emulator;
use support::fault_proxy::FaultProxy;
use support::fleet_seed::{PROD_ACCOUNT, STAGING_ACCOUNT, cluster_with, ecs_client, seed_fleet};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn fleet(emulator: &Emulator, endpoint: &str, args: &[&str]) -> Output {
    emulator
        .ecsdeck_at(endpoint, &[&["fleet"], args].concat())
        .output()
        .expect("run ecsdeck fleet")
}

fn rows(output: &Output) -> Vec<serde_json::Value> {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", text(&output.stdout), text(&output.stderr)))
}

fn names(rows: &[serde_json::Value]) -> Vec<String> {
    rows.iter()
        .map(|r| {
            format!(
                "{}/{}/{}",
                r["region"].as_str().unwrap(),
                r["cluster"].as_str().unwrap(),
                r["service"].as_str().unwrap()
            )
        })
        .collect()
}

const PAIRS: [&str; 4] = [
    "--profiles",
    "prod,staging",
    "--regions",
    "us-east-1,eu-west-1",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_fleet_lists_every_pair_what_needs_attention_first() {
    let emulator = Emulator::start();
    seed_fleet(&emulator).await;
    let endpoint = emulator.endpoint.clone();
    let all = fleet(
        &emulator,
        &endpoint,
        &[&PAIRS[..], &["--output", "json"]].concat(),
    );
    assert_eq!(all.status.code(), Some(1), "{}", text(&all.stderr));
    let listed = rows(&all);
    assert_eq!(
        names(&listed),
        [
            "us-east-1/prod/orders",
            "us-east-1/prod/batch",
            "eu-west-1/prod-eu/api",
            "us-east-1/prod/web",
            "us-east-1/staging/web",
        ]
    );
    assert_eq!(listed[0]["concerns"][0], "in alarm: orders-cpu-high");
    assert_eq!(
        listed[1]["concerns"][0],
        "no capacity: cluster has no container instances"
    );
    assert_eq!(listed[0]["account"], PROD_ACCOUNT);
    assert_eq!(listed[4]["account"], STAGING_ACCOUNT);
    assert_eq!(listed[4]["profile"], "staging");
    assert!(listed[2]["concerns"].as_array().unwrap().is_empty());

    let unhealthy = fleet(
        &emulator,
        &endpoint,
        &[&PAIRS[..], &["--unhealthy", "--output", "json"]].concat(),
    );
    assert_eq!(unhealthy.status.code(), Some(1));
    assert_eq!(rows(&unhealthy).len(), 2);

    // "Where is api:2.4.0 running?": both prod services, healthy.
    let image = fleet(
        &emulator,
        &endpoint,
        &[&PAIRS[..], &["--image", "api:2.4.0", "--output", "json"]].concat(),
    );
    assert_eq!(image.status.code(), Some(0), "{}", text(&image.stderr));
    let found = rows(&image);
    assert_eq!(
        names(&found),
        ["eu-west-1/prod-eu/api", "us-east-1/prod/web"]
    );
    assert!(
        found[1]["images"][0]
            .as_str()
            .unwrap()
            .ends_with("team/api:2.4.0")
    );

    // Two profiles on one account and region: listed once, the second said to be the same.
    let twice = fleet(
        &emulator,
        &endpoint,
        &[
            "--profiles",
            "prod,default",
            "--regions",
            "us-east-1",
            "--output",
            "json",
        ],
    );
    assert_eq!(twice.status.code(), Some(1));
    assert_eq!(rows(&twice).len(), 3);
    // Whichever answered first lists it; the other says so.
    let stderr = text(&twice.stderr);
    let said = |a: &str, b: &str| {
        stderr.contains(&format!(
            "note: {a} · us-east-1: the same account and region as {b} · us-east-1"
        ))
    };
    assert!(
        said("default", "prod") || said("prod", "default"),
        "{stderr}"
    );
    assert!(
        rows(&twice)[0]["images"].is_null(),
        "images not read, not empty"
    );

    let table = fleet(
        &emulator,
        &endpoint,
        &[&PAIRS[..], &["--search", "cluster:staging"]].concat(),
    );
    let printed = text(&table.stdout);
    assert!(printed.starts_with("PROFILE"), "{printed}");
    assert!(
        printed.contains("staging  222222222222  us-east-1  staging  web"),
        "{printed}"
    );
    assert_eq!(printed.lines().count(), 2, "{printed}");
    assert_eq!(table.status.code(), Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pair_that_fails_is_named_with_its_fix_and_the_rest_still_print() {
    let emulator = Emulator::start();
    let seeded = seed_fleet(&emulator).await;
    let endpoint = emulator.endpoint.clone();
    let out = fleet(
        &emulator,
        &endpoint,
        &[
            "--profiles",
            "prod,expired",
            "--regions",
            "us-east-1",
            "--output",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(rows(&out).len(), 3, "prod's rows still print");
    let stderr = text(&out.stderr);
    assert!(stderr.contains("error: expired · us-east-1:"), "{stderr}");
    assert!(
        stderr.contains("fix: the credential_process of profile expired failed"),
        "{stderr}"
    );
    // A fleet saved by the app, by name.
    let settings = emulator.cli_settings_path();
    std::fs::create_dir_all(settings.parent().unwrap()).unwrap();
    let saved = serde_json::json!({ "fleets": [seeded.fleet] });
    std::fs::write(&settings, saved.to_string()).unwrap();
    let by_name = fleet(
        &emulator,
        &endpoint,
        &["--fleet", "all", "--output", "json"],
    );
    assert_eq!(by_name.status.code(), Some(2), "its expired pair fails");
    assert_eq!(rows(&by_name).len(), 5);
    let unknown = fleet(&emulator, &endpoint, &["--fleet", "nope"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(text(&unknown.stderr).contains("no fleet named nope"));
    let both = fleet(
        &emulator,
        &endpoint,
        &["--fleet", "x", "--regions", "us-east-1"],
    );
    assert_eq!(
        both.status.code(),
        Some(2),
        "clap refuses --fleet with --regions"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_calls_are_the_fewest_the_page_and_batch_sizes_allow() {
    let emulator = Emulator::start();
    seed_fleet(&emulator).await;
    // 101 services in one more cluster: 11 DescribeServices. (moto answers a list in one
    // page whatever its size; that every page is followed is tests/pagination.rs's, with
    // aws-smithy-mocks.)
    let prod = ecs_client(
        &emulator,
        "us-east-1",
        (
            support::emulator::TEST_KEY_ID,
            support::emulator::TEST_SECRET,
        ),
    );
    let bulk: Vec<(String, &str, LaunchType, i32)> = (0..101)
        .map(|i| (format!("bulk-{i:03}"), "bulk:1.0.0", LaunchType::Fargate, 0))
        .collect();
    let bulk: Vec<(&str, &str, LaunchType, i32)> = bulk
        .iter()
        .map(|(n, i, l, d)| (n.as_str(), *i, l.clone(), *d))
        .collect();
    cluster_with(&prod, "bulk", &bulk).await;
    let proxy = FaultProxy::start(emulator.port, Vec::new());
    let out = fleet(
        &emulator,
        &proxy.endpoint,
        &[&PAIRS[..], &["--output", "json"]].concat(),
    );
    assert_eq!(rows(&out).len(), 106, "{}", text(&out.stderr));
    // Per pair: ListClusters 1; DescribeClusters 1 when it has clusters; per cluster
    // ListServices 1 (one page here) and DescribeServices ⌈n/10⌉; DescribeAlarms 1.
    let counts = &proxy.counts;
    assert_eq!(counts.of("ListClusters"), 4);
    assert_eq!(counts.of("DescribeClusters"), 3);
    assert_eq!(counts.of("ListServices"), 4);
    assert_eq!(counts.of("DescribeServices"), 11 + 1 + 1 + 1);
    assert_eq!(counts.of("DescribeAlarms"), 4);
    assert_eq!(
        counts.of("DescribeTaskDefinition"),
        0,
        "no image asked: none read"
    );
    let before = counts.forwarded.load(std::sync::atomic::Ordering::Relaxed);
    let image = fleet(
        &emulator,
        &proxy.endpoint,
        &[&PAIRS[..], &["--image", "bulk", "--output", "json"]].concat(),
    );
    assert_eq!(rows(&image).len(), 101);
    // One DescribeTaskDefinition per distinct revision: web, batch, orders, bulk; api; web.
    assert_eq!(counts.of("DescribeTaskDefinition"), 6);
    let after = counts.forwarded.load(std::sync::atomic::Ordering::Relaxed);
    assert_eq!(after - before, 4 + 3 + 4 + 14 + 4 + 6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alarms_that_cannot_be_read_leave_the_services_and_say_so() {
    use support::fault_proxy::Rule;
    let emulator = Emulator::start();
    seed_fleet(&emulator).await;
    let denied = Rule::error("DescribeAlarms", 1.0, "AccessDeniedException");
    let proxy = FaultProxy::start(emulator.port, vec![denied]);
    let out = fleet(
        &emulator,
        &proxy.endpoint,
        &[&PAIRS[..], &["--output", "json"]].concat(),
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "a partial read is not a clean bill of health"
    );
    assert_eq!(rows(&out).len(), 5, "every service still listed");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(
            "error: prod · us-east-1: not read: DescribeAlarms failed: AccessDeniedException"
        ),
        "{stderr}"
    );
}
