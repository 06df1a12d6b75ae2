//! An exec session in the operating system's terminal instead of a tab: the window runs
//! `ecsdeck exec` for the same container, so the CLI opens the session itself (its preflight,
//! its journal entry) and no token ever crosses a command line or a file.

use super::ExecSpec;

/// Set (to any value) in the environment of `ecsdeck exec` started in a window of its own on
/// Windows: it opens a console there (the binary is a GUI program; see app::console).
pub const NEW_CONSOLE: &str = "ECSDECK_NEW_CONSOLE";
use crate::model::connection::{Connection, without_userinfo};

/// The arguments after the program: `exec --hold --cluster … --task … --container …`, the
/// connection, the plugin set in the app, `--read-write` when the app lifted read-only for
/// this connection (the user confirmed it there), and the command after `--`.
pub fn exec_arguments(
    spec: &ExecSpec,
    connection: &Connection,
    plugin: Option<&str>,
    read_write: bool,
) -> Vec<String> {
    let mut args: Vec<String> = [
        "exec",
        "--hold",
        "--cluster",
        &spec.target.cluster,
        "--task",
        &spec.target.task,
        "--container",
        &spec.target.container,
        "--region",
        &connection.region,
    ]
    .iter()
    .map(|a| (*a).to_owned())
    .collect();
    if let Some(profile) = &connection.profile {
        args.extend(["--profile".to_owned(), profile.clone()]);
    }
    if let Some(endpoint) = &connection.endpoint_url {
        args.extend(["--endpoint-url".to_owned(), without_userinfo(endpoint)]);
    }
    if let Some(plugin) = plugin {
        args.extend(["--plugin".to_owned(), plugin.to_owned()]);
    }
    if read_write {
        args.push("--read-write".to_owned());
    }
    args.extend(["--".to_owned(), spec.command.clone()]);
    args
}

/// One command line for a POSIX shell (macOS Terminal's `do script`).
pub fn shell_line(program: &str, args: &[String]) -> String {
    std::iter::once(program)
        .chain(args.iter().map(String::as_str))
        .map(crate::model::changes::aws_cli::quote)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::exec::ExecTarget;

    fn spec() -> ExecSpec {
        ExecSpec {
            target: ExecTarget {
                cluster: "arn:aws:ecs:us-east-1:1:cluster/prod".into(),
                task: "arn:aws:ecs:us-east-1:1:task/prod/abc".into(),
                container: "web".into(),
            },
            service: None,
            command: "rails console".into(),
        }
    }

    #[test]
    fn the_window_runs_the_cli_for_the_same_place_with_no_secret() {
        let connection = Connection {
            profile: Some("prod-admin".into()),
            region: "eu-west-1".into(),
            endpoint_url: Some("http://user:pw@127.0.0.1:5000".into()),
        };
        let args = exec_arguments(&spec(), &connection, Some("/opt/smp"), true);
        assert_eq!(
            args,
            [
                "exec",
                "--hold",
                "--cluster",
                "arn:aws:ecs:us-east-1:1:cluster/prod",
                "--task",
                "arn:aws:ecs:us-east-1:1:task/prod/abc",
                "--container",
                "web",
                "--region",
                "eu-west-1",
                "--profile",
                "prod-admin",
                "--endpoint-url",
                "http://127.0.0.1:5000",
                "--plugin",
                "/opt/smp",
                "--read-write",
                "--",
                "rails console"
            ]
        );
        assert_eq!(
            shell_line("/Applications/ECS Deck.app/ecsdeck", &args[..2]),
            "'/Applications/ECS Deck.app/ecsdeck' 'exec' '--hold'"
        );
        let plain = exec_arguments(&spec(), &Connection::default(), None, false);
        assert!(
            !plain
                .iter()
                .any(|a| a == "--read-write" || a == "--profile")
        );
    }
}
