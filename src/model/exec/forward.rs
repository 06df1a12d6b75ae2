//! One port forward, shared by the relay that carries its connections (it counts bytes and
//! connections) and the UI (it shows them and asks to stop).

use super::terminal::SessionState;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

#[derive(Default)]
struct Inner {
    state: Mutex<Option<SessionState>>,
    local_addr: Mutex<Option<String>>,
    to_remote: AtomicU64,
    from_remote: AtomicU64,
    connections: AtomicU64,
    open_connections: AtomicU64,
    stop: AtomicBool,
    last_error: Mutex<Option<String>>,
}

/// A port forward shared between its relay and the UI.
#[derive(Clone, Default)]
pub struct SharedForward(Arc<Inner>);

impl PartialEq for SharedForward {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl std::fmt::Debug for SharedForward {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SharedForward")
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// `512 B`, `1.5 KiB`, `3.2 MiB`, `1.1 GiB`.
pub fn bytes_text(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// What the UI shows of a forward.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForwardStats {
    /// How it stands.
    pub state: SessionState,
    /// `127.0.0.1:15432`, once listening.
    pub local_addr: Option<String>,
    /// Bytes sent towards the task.
    pub to_remote: u64,
    /// Bytes received from the task.
    pub from_remote: u64,
    /// Connections accepted so far.
    pub connections: u64,
    /// Connections open now.
    pub open_connections: u64,
    /// The last connection's failure, if any.
    pub last_error: Option<String>,
}

impl SharedForward {
    /// Sets how it stands.
    pub fn set_state(&self, state: SessionState) {
        *lock(&self.0.state) = Some(state);
    }

    /// Sets the address it listens on.
    pub fn set_local_addr(&self, addr: String) {
        *lock(&self.0.local_addr) = Some(addr);
    }

    /// Counts bytes moved: towards the task, or back from it.
    pub fn count(&self, to_remote: bool, bytes: u64) {
        let counter = if to_remote {
            &self.0.to_remote
        } else {
            &self.0.from_remote
        };
        counter.fetch_add(bytes, Ordering::Relaxed);
    }

    /// A connection was accepted.
    pub fn connection_opened(&self) {
        self.0.connections.fetch_add(1, Ordering::Relaxed);
        self.0.open_connections.fetch_add(1, Ordering::Relaxed);
    }

    /// A connection closed, with its failure if it failed.
    pub fn connection_closed(&self, error: Option<String>) {
        self.0.open_connections.fetch_sub(1, Ordering::Relaxed);
        if error.is_some() {
            *lock(&self.0.last_error) = error;
        }
    }

    /// Asks the relay to stop.
    pub fn request_stop(&self) {
        self.0.stop.store(true, Ordering::Relaxed);
    }

    /// Whether a stop was asked for.
    pub fn stop_requested(&self) -> bool {
        self.0.stop.load(Ordering::Relaxed)
    }

    /// A snapshot for the UI.
    pub fn stats(&self) -> ForwardStats {
        ForwardStats {
            state: lock(&self.0.state)
                .clone()
                .unwrap_or(SessionState::Starting),
            local_addr: lock(&self.0.local_addr).clone(),
            to_remote: self.0.to_remote.load(Ordering::Relaxed),
            from_remote: self.0.from_remote.load(Ordering::Relaxed),
            connections: self.0.connections.load(Ordering::Relaxed),
            open_connections: self.0.open_connections.load(Ordering::Relaxed),
            last_error: lock(&self.0.last_error).clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_add_up_and_a_stop_is_seen() {
        let forward = SharedForward::default();
        forward.set_local_addr("127.0.0.1:15432".into());
        forward.connection_opened();
        forward.count(true, 10);
        forward.count(false, 25);
        forward.connection_closed(Some("reset".into()));
        let stats = forward.stats();
        assert_eq!((stats.to_remote, stats.from_remote), (10, 25));
        assert_eq!((stats.connections, stats.open_connections), (1, 0));
        assert_eq!(stats.last_error.as_deref(), Some("reset"));
        assert_eq!(stats.state, SessionState::Starting);
        assert!(!forward.stop_requested());
        forward.request_stop();
        assert!(forward.stop_requested());
    }

    #[test]
    fn bytes_read_as_people_count_them() {
        assert_eq!(bytes_text(512), "512 B");
        assert_eq!(bytes_text(1536), "1.5 KiB");
        assert_eq!(bytes_text(3 * 1024 * 1024), "3.0 MiB");
    }
}
