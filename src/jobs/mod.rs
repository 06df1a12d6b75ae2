//! Local work off the UI thread, started one way: [`start`] names and starts every job's
//! thread (the draft store's file thread, the log filter), and one-off jobs (exports, chart
//! PNGs) deliver their one result through [`spawn_job`] / [`spawn_job_to`], waking the UI when
//! it is there. None of them touches AWS.

pub mod chart_png;
pub mod drafts;
pub mod incident_export;
pub mod journal_file;
pub mod jsonl;
pub mod log_export;
pub(crate) mod log_filter;
pub mod settings_file;
pub mod stopped_tasks;

use crate::model::messages::Repaint;
use std::sync::mpsc;

/// Starts `body` on a thread named `ecsdeck-<name>`; the error says which could not start.
pub fn start(
    name: &str,
    body: impl FnOnce() + Send + 'static,
) -> Result<std::thread::JoinHandle<()>, String> {
    std::thread::Builder::new()
        .name(format!("ecsdeck-{name}"))
        .spawn(body)
        .map_err(|e| format!("cannot start the {name} thread: {e}"))
}

/// Runs `work` as job `name`; the receiver gets its result (or why the job could not start),
/// and `wake` is called once it is there.
pub fn spawn_job<T: Send + 'static>(
    name: &str,
    wake: Repaint,
    work: impl FnOnce() -> Result<T, String> + Send + 'static,
) -> mpsc::Receiver<Result<T, String>> {
    let (tx, rx) = mpsc::channel();
    spawn_job_to(name, tx, wake, work);
    rx
}

/// Like [`spawn_job`], sending the result to `reply` (for a job started from a callback that
/// cannot hand a receiver back, such as a screenshot's).
pub fn spawn_job_to<T: Send + 'static>(
    name: &str,
    reply: mpsc::Sender<Result<T, String>>,
    wake: Repaint,
    work: impl FnOnce() -> Result<T, String> + Send + 'static,
) {
    let sender = reply.clone();
    let waker = wake.clone();
    let started = start(name, move || {
        // The receiver is gone only when the page was left; nothing to report then.
        let _ = sender.send(work());
        waker();
    });
    if let Err(e) = started {
        let _ = reply.send(Err(e));
        wake();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn a_job_delivers_its_result_and_wakes_the_ui_once() {
        let woken = Arc::new(AtomicUsize::new(0));
        let counter = woken.clone();
        let wake: Repaint = Arc::new(move || {
            counter.fetch_add(1, Ordering::SeqCst);
        });
        let rx = spawn_job("test-job", wake, || Ok::<_, String>(42));
        assert_eq!(rx.recv(), Ok(Ok(42)));
        // The wake comes right after the send, on the job's thread.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while woken.load(Ordering::SeqCst) == 0 && std::time::Instant::now() < deadline {
            std::thread::yield_now();
        }
        assert_eq!(woken.load(Ordering::SeqCst), 1);
        let failed = spawn_job("test-fail", Arc::new(|| {}), || {
            Err::<u8, _>("no".to_owned())
        });
        assert_eq!(failed.recv(), Ok(Err("no".to_owned())));
    }
}
