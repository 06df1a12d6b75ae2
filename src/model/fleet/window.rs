//! A fleet row opened in a window of its own: another ECS Deck process on the row's profile,
//! region and endpoint, showing its service, saving no settings (the main window's stay
//! as they are), read-only when this one was started read-only.

use super::load::FleetLoad;
use crate::model::connection::without_userinfo;

/// The command-line arguments of that window, or None when the row is not there.
pub fn window_arguments(
    load: &FleetLoad,
    pair: usize,
    service: usize,
    forced_read_only: bool,
) -> Option<Vec<String>> {
    let state = load.pairs.get(pair)?;
    let row = state.services.get(service)?;
    let connection = &state.connection;
    let mut args = Vec::new();
    if let Some(profile) = &connection.profile {
        args.extend(["--profile".to_owned(), profile.clone()]);
    }
    args.extend(["--region".to_owned(), connection.region.clone()]);
    // Never a password on a command line (other users can read it).
    if let Some(endpoint) = &connection.endpoint_url {
        args.extend(["--endpoint-url".to_owned(), without_userinfo(endpoint)]);
    }
    args.extend([
        "--open-cluster".to_owned(),
        row.cluster_arn.clone(),
        "--open-service".to_owned(),
        row.arn.clone(),
        "--transient".to_owned(),
    ]);
    if forced_read_only {
        args.push("--read-only".to_owned());
    }
    Some(args)
}
