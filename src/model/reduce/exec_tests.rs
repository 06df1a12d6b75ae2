//! `reduce` for exec sessions and port forwards (model level, no AWS): confirmed like every
//! change, refused in read-only mode, a session per opening (a reconnect reuses its terminal),
//! the preflight loaded with the plugin's path and checked only when asked.

use super::*;
use crate::model::exec::sessions::SessionKind;
use crate::model::exec::terminal::TerminalInput;
use crate::model::exec::{ExecSpec, ExecTarget, ForwardSpec};
use crate::model::{Connection, MutationKind, Route};
use std::time::Duration;

fn t(secs: u64) -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000 + secs)
}

fn model(profile: &str) -> Model {
    let mut m = Model::new(
        Connection {
            profile: Some(profile.into()),
            region: "us-east-1".into(),
            endpoint_url: None,
        },
        true,
        15,
    );
    m.change_rules.patterns = vec!["*prod*".into()];
    m
}

fn act(m: &mut Model, action: Action) -> Vec<WorkerCommand> {
    reduce(m, Msg::Action(action), t(0))
}

fn target() -> ExecTarget {
    ExecTarget {
        cluster: "arn:aws:ecs:us-east-1:123456789012:cluster/prod".into(),
        task: "arn:aws:ecs:us-east-1:123456789012:task/prod/0a1b2c3d4e5f".into(),
        container: "web".into(),
    }
}

fn open(reconnect: Option<u64>) -> Action {
    Action::OpenExec {
        spec: Box::new(ExecSpec {
            target: target(),
            service: Some("checkout-api".into()),
            command: "/bin/sh".into(),
        }),
        reconnect,
    }
}

fn started(out: &[WorkerCommand]) -> Vec<(RequestId, Request)> {
    crate::model::reduce::mutation_tests::started(out)
}

#[test]
fn an_exec_is_confirmed_with_its_destination_and_cli_then_opens_a_session() {
    let mut m = model("dev");
    assert!(
        started(&act(&mut m, open(None))).is_empty(),
        "nothing before confirming"
    );
    let proposal = m.proposal.clone().expect("a confirmation");
    assert_eq!(proposal.destination.profile, "dev");
    assert_eq!(proposal.destination.region, "us-east-1");
    let cli = proposal.cli.expect("the equivalent command");
    assert!(
        cli.starts_with("aws ecs execute-command --profile 'dev' --region 'us-east-1'"),
        "{cli}"
    );
    assert!(
        cli.contains("--container 'web' --interactive --command '/bin/sh'"),
        "{cli}"
    );
    let sent = started(&act(&mut m, Action::ConfirmChange));
    let [(id, Request::OpenExec { spec, .. })] = &sent[..] else {
        panic!("{sent:?}");
    };
    assert_eq!(spec.command, "/bin/sh");
    assert_eq!(m.route, Route::Sessions);
    assert_eq!(m.sessions.list.len(), 1);
    assert_eq!(m.sessions.focus, Some(m.sessions.list[0].id));
    assert_eq!(
        m.sessions.list[0].title(),
        "prod › checkout-api › 0a1b2c3d › web"
    );
    // The answer is the change's outcome (and journal entry); the session id is its result.
    let event = Event {
        id: *id,
        generation: m.generation,
        response: Response::SessionOpened(Ok("ecs-execute-command-1".into())),
    };
    reduce(&mut m, Msg::Event(event), t(1));
    let outcome = m.outcome.clone().expect("an outcome");
    assert!(matches!(outcome.kind, MutationKind::ExecuteCommand { .. }));
    assert_eq!(outcome.result, Ok("ecs-execute-command-1".to_owned()));
    assert_eq!(
        outcome.summary,
        "open `/bin/sh` in prod › checkout-api › 0a1b2c3d › web"
    );
    assert!(m.mutation.is_none());
}

#[test]
fn read_only_refuses_exec_and_forwarding_with_the_rule() {
    let mut m = model("prod-admin");
    let out = act(&mut m, open(None));
    assert!(started(&out).is_empty());
    assert!(m.proposal.is_none(), "refused at once, not offered");
    let error = m
        .outcome
        .clone()
        .expect("a refusal")
        .result
        .expect_err("refused");
    assert_eq!(error.code, "ReadOnly");
    assert!(
        error
            .message
            .contains("profile prod-admin matches read-only pattern *prod*")
    );
    assert!(m.sessions.list.is_empty());

    let forward = Action::StartForward(Box::new(ForwardSpec {
        target: target(),
        service: None,
        remote_port: 5432,
        host: Some("db.internal".into()),
        local_port: None,
    }));
    assert!(started(&act(&mut m, forward.clone())).is_empty());
    assert_eq!(
        m.outcome.clone().expect("a refusal").kind.operation(),
        "StartSession"
    );
    // Lifted as for every change: read-only off (confirmed) lets it through.
    act(&mut m, Action::SetReadOnly(false));
    act(&mut m, Action::ConfirmChange);
    act(&mut m, forward);
    let sent = started(&act(&mut m, Action::ConfirmChange));
    assert!(
        matches!(&sent[..], [(_, Request::StartForward { spec, .. })] if spec.remote_port == 5432)
    );
    assert!(matches!(
        m.sessions.list[0].kind,
        SessionKind::Forward { .. }
    ));
}

#[test]
fn a_reconnect_reuses_the_terminal_and_closing_a_tab_ends_the_session() {
    let mut m = model("dev");
    act(&mut m, open(None));
    act(&mut m, Action::ConfirmChange);
    let first = m.sessions.list[0].clone();
    let SessionKind::Exec { terminal, .. } = &first.kind else {
        panic!("an exec session");
    };
    let (tx, rx) = std::sync::mpsc::channel();
    terminal.attach(tx);
    m.mutation = None;
    act(&mut m, open(Some(first.id)));
    let sent = started(&act(&mut m, Action::ConfirmChange));
    let [
        (
            _,
            Request::OpenExec {
                terminal: again, ..
            },
        ),
    ] = &sent[..]
    else {
        panic!("{sent:?}");
    };
    assert!(again == terminal, "the same terminal");
    assert_eq!(m.sessions.list.len(), 1, "no second tab");
    assert!(terminal.contents().contains("[reconnecting]"));
    act(&mut m, Action::RemoveSession(first.id));
    assert!(m.sessions.list.is_empty());
    assert_eq!(rx.try_iter().last(), Some(TerminalInput::Close));
}

#[test]
fn the_preflight_loads_with_the_plugin_path_and_only_when_asked_again() {
    let mut m = model("dev");
    act(
        &mut m,
        Action::SetSessionPlugin(Some("/opt/smp/session-manager-plugin".into())),
    );
    let out = act(
        &mut m,
        Action::Navigate(Route::Exec {
            target: target(),
            service: None,
        }),
    );
    let preflight = out.iter().find_map(|c| match c {
        WorkerCommand::Start {
            request: Request::ExecPreflight { target, plugin },
            ..
        } => Some((target.clone(), plugin.clone())),
        _ => None,
    });
    assert_eq!(
        preflight,
        Some((target(), Some("/opt/smp/session-manager-plugin".to_owned())))
    );
    assert_eq!(
        m.refresh_interval_for(&ResourceKey::ExecPreflight(target())),
        Duration::MAX
    );
}

#[test]
fn a_terminal_window_is_confirmed_and_carries_the_app_s_lifted_read_only() {
    let mut m = model("prod-admin");
    let window = Action::OpenExecWindow(Box::new(ExecSpec {
        target: target(),
        service: None,
        command: "/bin/sh".into(),
    }));
    assert!(
        started(&act(&mut m, window.clone())).is_empty(),
        "refused: read-only"
    );
    act(&mut m, Action::SetReadOnly(false));
    act(&mut m, Action::ConfirmChange);
    act(&mut m, window);
    let proposal = m.proposal.clone().expect("a confirmation");
    assert!(
        proposal.title.contains("in a terminal window"),
        "{}",
        proposal.title
    );
    let sent = started(&act(&mut m, Action::ConfirmChange));
    let [(_, Request::OpenExecWindow { read_write, .. })] = &sent[..] else {
        panic!("{sent:?}");
    };
    assert!(
        *read_write,
        "the window's CLI may change what the app was allowed to"
    );
    assert!(
        m.sessions.list.is_empty(),
        "the window is the OS's, not a tab"
    );
    assert_eq!(m.route, Route::Clusters, "the page stays where it was");
}

#[test]
fn a_session_opening_when_the_connection_changes_goes_on_with_its_own() {
    let mut m = model("dev");
    act(&mut m, open(None));
    let sent = started(&act(&mut m, Action::ConfirmChange));
    let [(id, Request::OpenExec { .. })] = &sent[..] else {
        panic!("{sent:?}");
    };
    let opened_on = m.connection.clone();
    let out = act(
        &mut m,
        Action::SetConnection(Connection {
            profile: Some("dev".into()),
            region: "eu-west-1".into(),
            endpoint_url: None,
        }),
    );
    assert!(out.contains(&WorkerCommand::CancelAll));
    // The worker leaves a session's opening alone; the app says where it goes on.
    let outcome = m.outcome.clone().expect("an outcome");
    assert_eq!(outcome.id, *id);
    assert_eq!(
        outcome.result,
        Ok("goes on opening with dev · us-east-1: see Sessions".to_owned())
    );
    assert_eq!(m.sessions.list.len(), 1, "the session stays");
    assert_eq!(m.sessions.list[0].connection, opened_on);
    // Its late answer belongs to the old generation: dropped, the session untouched.
    let dropped = m.dropped_responses;
    let event = Event {
        id: *id,
        generation: m.generation - 1,
        response: Response::SessionOpened(Ok("ecs-execute-command-1".into())),
    };
    reduce(&mut m, Msg::Event(event), t(1));
    assert_eq!(m.dropped_responses, dropped + 1);
    assert_eq!(m.sessions.list.len(), 1);
}

#[test]
fn only_openings_of_sessions_outlive_their_connection_in_the_worker() {
    let request = Request::OpenExecWindow {
        spec: Box::new(ExecSpec {
            target: target(),
            service: None,
            command: "/bin/sh".into(),
        }),
        terminal: None,
        plugin: None,
        read_write: false,
    };
    assert!(request.opens_session());
    assert!(
        !Request::StopTask {
            cluster: "c".into(),
            task: "t".into(),
            reason: "r".into(),
        }
        .opens_session()
    );
}
