//! `ecsdeck fleet`: every service of several profiles × regions, what needs attention first
//! — the rows of the app's fleet screen. Exit 0 when none of the rows printed is unhealthy,
//! 1 when one is, 2 when a pair could not be read (its error and fix on stderr) or the
//! arguments are wrong.

use super::ConnectionArgs;
use super::output::{Output, print_json, print_table};
use crate::aws;
use crate::aws::fleet::{ImageCache, load_pairs};
use crate::model::Connection;
use crate::model::fleet::FleetDef;
use crate::model::fleet::fix::fix_of;
use crate::model::fleet::load::{FleetLoad, PairStatus};
use crate::model::fleet::search::FleetQuery;
use crate::model::untrusted_text::untrusted;
use clap::Args;
use serde::Serialize;
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::SystemTime;

/// Exit code when a pair failed or the arguments are wrong.
const EXIT_ERROR: u8 = 2;

/// `ecsdeck fleet`.
#[derive(Debug, Clone, Args)]
pub struct FleetArgs {
    /// A fleet saved in the app (Settings → Fleets), instead of --profiles and --regions.
    #[arg(long, conflicts_with_all = ["profiles", "regions"])]
    pub fleet: Option<String>,
    /// Profiles, comma-separated (default: --profile, else the default credential chain).
    #[arg(long, value_delimiter = ',')]
    pub profiles: Vec<String>,
    /// Regions, comma-separated (default: --region, else each profile's own region, else
    /// AWS_REGION or us-east-1).
    #[arg(long, value_delimiter = ',')]
    pub regions: Vec<String>,
    /// Only the services that need attention.
    #[arg(long)]
    pub unhealthy: bool,
    /// Only the services running this image: `api:2.4.0`, `team/api`, `sha256:…`.
    #[arg(long)]
    pub image: Option<String>,
    /// Only the rows matching, as the app's search box (`cluster:prod family:web …`).
    #[arg(long)]
    pub search: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub output: Output,
}

/// One printed row (every field, for `--output json`).
#[derive(Debug, Serialize)]
struct Row {
    profile: Option<String>,
    account: Option<String>,
    region: String,
    cluster: String,
    service: String,
    arn: String,
    status: String,
    running: i32,
    desired: i32,
    pending: i32,
    capacity: String,
    task_definition: String,
    /// None when not read (no image was asked for).
    images: Option<Vec<String>>,
    rollout_state: Option<String>,
    concerns: Vec<String>,
}

/// Runs `ecsdeck fleet`.
pub fn run(args: &FleetArgs, connection: &ConnectionArgs) -> ExitCode {
    let def = match fleet_of(args, connection) {
        Ok(def) => def,
        Err(why) => {
            eprintln!("error: {why}");
            return ExitCode::from(EXIT_ERROR);
        }
    };
    let mut words: Vec<String> = args.search.iter().cloned().collect();
    if let Some(image) = &args.image {
        if image.trim().is_empty() || image.contains(char::is_whitespace) {
            eprintln!("error: --image takes one image reference, like api:2.4.0");
            return ExitCode::from(EXIT_ERROR);
        }
        words.push(format!("image:{image}"));
    }
    let query = FleetQuery::parse(&words.join(" "));
    let pairs = def.pairs(connection.endpoint_url.as_deref());
    if pairs.is_empty() {
        eprintln!("error: the fleet has no profile × region: give --profiles and --regions");
        return ExitCode::from(EXIT_ERROR);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(EXIT_ERROR);
        }
    };
    let load = runtime.block_on(read(def.name.clone(), pairs, query.asks_images()));
    report(&load, &query, args)
}

/// The fleet the arguments name.
fn fleet_of(args: &FleetArgs, connection: &ConnectionArgs) -> Result<FleetDef, String> {
    if let Some(name) = &args.fleet {
        return saved_fleets()
            .into_iter()
            .find(|f| &f.name == name)
            .ok_or_else(|| format!("no fleet named {name} in the app's settings"));
    }
    let resolved = connection.resolve();
    let profiles = if args.profiles.is_empty() {
        resolved.profile.iter().cloned().collect()
    } else {
        args.profiles.clone()
    };
    if !args.regions.is_empty() {
        return Ok(FleetDef::of_lists(&profiles, &args.regions));
    }
    if let Some(region) = &connection.region {
        return Ok(FleetDef::of_lists(&profiles, std::slice::from_ref(region)));
    }
    // No --regions: each profile in its own region, else the resolved one.
    let known = aws::list_profiles(&aws::ProfileSource::default()).unwrap_or_default();
    let mut def = FleetDef::of_lists(&profiles, &[resolved.region]);
    for member in &mut def.members {
        let own = member
            .profile
            .as_ref()
            .and_then(|name| known.iter().find(|p| &p.name == name))
            .and_then(|p| p.region.clone());
        member.regions.extend(own);
    }
    Ok(def)
}

/// The fleets saved by the app.
fn saved_fleets() -> Vec<FleetDef> {
    let Some(path) = crate::jobs::settings_file::default_path() else {
        return Vec::new();
    };
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) else {
        return Vec::new();
    };
    value
        .get("fleets")
        .cloned()
        .and_then(|fleets| serde_json::from_value(fleets).ok())
        .unwrap_or_default()
}

/// Reads every pair at once.
async fn read(name: String, pairs: Vec<Connection>, images: bool) -> FleetLoad {
    let load = Mutex::new(FleetLoad::new(
        crate::model::RequestId(0),
        name,
        pairs.clone(),
        SystemTime::now(),
    ));
    let send = |pair: usize, part| {
        let mut load = load
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        load.apply(pair, part, SystemTime::now());
    };
    let source = aws::ProfileSource::default();
    let connect = |connection: Connection| {
        let source = source.clone();
        async move { aws::connect(&connection, &source).await }
    };
    load_pairs(pairs, connect, &ImageCache::default(), images, &send).await;
    let mut load = load
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    load.rank();
    load
}

/// Prints the rows and any failed pair; the exit code.
fn report(load: &FleetLoad, query: &FleetQuery, args: &FleetArgs) -> ExitCode {
    let images_read = query.asks_images();
    let rows: Vec<Row> = load
        .rows
        .iter()
        .filter(|row| !args.unhealthy || !row.concerns.is_empty())
        .filter_map(|row| {
            let (pair, service) = load.service(row)?;
            query.matches(pair, service).then(|| Row {
                profile: pair.connection.profile.clone(),
                account: pair.account().map(str::to_owned),
                region: pair.connection.region.clone(),
                cluster: service.cluster_name().to_owned(),
                service: service.name.clone(),
                arn: service.arn.clone(),
                status: service.status.clone(),
                running: service.running,
                desired: service.desired,
                pending: service.pending,
                capacity: service.capacity_label(),
                task_definition: service.family_revision().to_owned(),
                images: images_read.then(|| {
                    pair.images
                        .get(&service.task_definition)
                        .cloned()
                        .unwrap_or_default()
                }),
                rollout_state: service.rollout_state.clone(),
                concerns: row.concerns.iter().map(|c| c.label()).collect(),
            })
        })
        .collect();
    let printed = match args.output {
        Output::Json => print_json(&rows).is_ok(),
        Output::Table => {
            print_rows(&rows);
            true
        }
    };
    let failed = failed_pairs(load);
    if failed > 0 || !printed {
        ExitCode::from(EXIT_ERROR)
    } else if rows.iter().any(|r| !r.concerns.is_empty()) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn print_rows(rows: &[Row]) {
    let headers = [
        "PROFILE",
        "ACCOUNT",
        "REGION",
        "CLUSTER",
        "SERVICE",
        "TASKS",
        "CAPACITY",
        "REVISION",
        "ATTENTION",
    ];
    let cells = rows
        .iter()
        .map(|r| {
            vec![
                r.profile.clone().unwrap_or_else(|| "default".to_owned()),
                r.account.clone().unwrap_or_else(|| "-".to_owned()),
                r.region.clone(),
                r.cluster.clone(),
                r.service.clone(),
                format!("{}/{}", r.running, r.desired),
                r.capacity.clone(),
                r.task_definition.clone(),
                if r.concerns.is_empty() {
                    "-".to_owned()
                } else {
                    r.concerns.join("; ")
                },
            ]
        })
        .collect();
    print_table(&headers, cells);
}

/// Names each pair that failed (with its fix) or was read in part on stderr, and each that
/// was the same account and region as another; how many failed or were read in part.
fn failed_pairs(load: &FleetLoad) -> usize {
    let profiles = aws::list_profiles(&aws::ProfileSource::default()).unwrap_or_default();
    let mut failed = 0;
    for (index, pair) in load.pairs.iter().enumerate() {
        match &pair.status {
            PairStatus::Failed(error) => {
                failed += 1;
                let fix = fix_of(load, index, &profiles).unwrap_or_default();
                eprintln!("error: {}: {}", pair.label(), untrusted(&error.to_string()));
                eprintln!("  fix: {}", untrusted(&fix));
            }
            PairStatus::SameAs(other) => {
                let other = load
                    .pairs
                    .get(*other)
                    .map(|p| p.label())
                    .unwrap_or_default();
                eprintln!(
                    "note: {}: the same account and region as {other}: listed once",
                    pair.label()
                );
            }
            PairStatus::Loading | PairStatus::Loaded => {}
        }
        for warning in &pair.warnings {
            failed += 1;
            eprintln!(
                "error: {}: not read: {}",
                pair.label(),
                untrusted(&warning.to_string())
            );
        }
    }
    failed
}
