//! One-off work on a thread of its own (file exports), its result sent back on a channel the
//! UI polls without waiting.

use std::sync::mpsc;

/// Runs `work` on a new thread named `name`; the receiver gets its result (or why the
/// thread could not start).
pub fn spawn_job<T: Send + 'static>(
    name: &str,
    work: impl FnOnce() -> Result<T, String> + Send + 'static,
) -> mpsc::Receiver<Result<T, String>> {
    let (tx, rx) = mpsc::channel();
    let job = move || {
        // The receiver is gone only when the page was left; nothing to report then.
        let _ = tx.send(work());
    };
    if let Err(e) = std::thread::Builder::new().name(name.into()).spawn(job) {
        let (tx, failed) = mpsc::channel();
        let _ = tx.send(Err(format!("cannot start the {name} thread: {e}")));
        return failed;
    }
    rx
}
