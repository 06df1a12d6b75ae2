use super::tests::{act, answer, model, t};
use super::*;
use crate::model::logs::tail::{HistoryLoaded, TailMode, TailStatus, TailTarget};

fn target() -> TailTarget {
    TailTarget::Group {
        group: "/ecs/api".into(),
        prefix: None,
    }
}

fn started(model: &mut Model) -> RequestId {
    let spec = crate::model::reduce::logs::default_spec(target(), t(0));
    let commands = act(model, Action::StartTail(spec), t(0));
    commands
        .iter()
        .find_map(|c| match c {
            WorkerCommand::Start {
                id,
                request: Request::Tail { .. },
                ..
            } => Some(*id),
            _ => None,
        })
        .expect("a tail request")
}

fn history_request(commands: &[WorkerCommand]) -> Option<(RequestId, Option<i64>)> {
    commands.iter().find_map(|c| match c {
        WorkerCommand::Start {
            id,
            request: Request::TailHistory { back_to_ms, .. },
            ..
        } => Some((*id, *back_to_ms)),
        _ => None,
    })
}

#[test]
fn restarting_a_tail_cancels_the_old_one_and_drops_its_statuses() {
    let mut model = model();
    let first = started(&mut model);
    let second = started(&mut model);
    assert_ne!(first, second);
    let status = TailStatus {
        mode: TailMode::LiveTail,
        ..TailStatus::default()
    };
    answer(
        &mut model,
        first,
        Response::TailStatus(Box::new(status.clone())),
        t(1),
    );
    assert_eq!(
        model.dropped_responses, 1,
        "the stopped tail's report is stale"
    );
    answer(
        &mut model,
        second,
        Response::TailStatus(Box::new(status)),
        t(1),
    );
    let tail = model.log_tail.as_ref().expect("tail");
    assert_eq!(tail.status.mode, TailMode::LiveTail);
    assert!(tail.running);
}

#[test]
fn older_lines_load_one_request_at_a_time_until_there_are_no_more() {
    let mut model = model();
    started(&mut model);
    let commands = act(&mut model, Action::LoadOlderLogs { back_to_ms: None }, t(1));
    let (id, back_to) = history_request(&commands).expect("a history request");
    assert_eq!(back_to, None);
    // While it runs, asking again (the list stays at its top) sends nothing.
    let again = act(&mut model, Action::LoadOlderLogs { back_to_ms: None }, t(1));
    assert!(history_request(&again).is_none());
    let loaded = HistoryLoaded {
        lines: 5_000,
        covered_from_ms: 1_000,
        exhausted: false,
        buffer_full: false,
    };
    answer(&mut model, id, Response::TailHistory(Ok(loaded)), t(2));
    let older = &model.log_tail.as_ref().expect("tail").older;
    assert_eq!(older.loading, None);
    assert!(matches!(&older.last, Some(Ok(l)) if l.lines == 5_000));

    // A jump loads back to its time; then the search is exhausted and nothing more is sent.
    let commands = act(
        &mut model,
        Action::LoadOlderLogs {
            back_to_ms: Some(500),
        },
        t(3),
    );
    let (id, back_to) = history_request(&commands).expect("a history request");
    assert_eq!(back_to, Some(500));
    let done = HistoryLoaded {
        exhausted: true,
        ..HistoryLoaded::default()
    };
    answer(&mut model, id, Response::TailHistory(Ok(done)), t(4));
    let more = act(&mut model, Action::LoadOlderLogs { back_to_ms: None }, t(5));
    assert!(history_request(&more).is_none(), "no more to load");
}

#[test]
fn a_history_answer_for_a_replaced_tail_is_dropped() {
    let mut model = model();
    started(&mut model);
    let commands = act(&mut model, Action::LoadOlderLogs { back_to_ms: None }, t(1));
    let (id, _) = history_request(&commands).expect("a history request");
    started(&mut model);
    let error = AwsError::internal("FilterLogEvents", "late");
    answer(&mut model, id, Response::TailHistory(Err(error)), t(2));
    assert_eq!(model.dropped_responses, 1);
    assert!(model.log_tail.as_ref().expect("tail").older.last.is_none());
}
