//! One terminal of an exec session, shared by the thread that reads the plugin's PTY (it feeds
//! the screen) and the UI (it draws the screen and sends keys). The screen is a vt100 state
//! machine: bytes from the container are interpreted there and nowhere else, so a clipboard
//! write, a title or any other escape a remote program sends changes nothing outside it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::SystemTime;

/// Lines of scrollback a terminal keeps (the oldest are dropped beyond that).
pub const SCROLLBACK_LINES: usize = 10_000;
/// The size a terminal starts at, until the UI lays it out.
pub const DEFAULT_SIZE: (u16, u16) = (24, 80);

/// What the UI sends to the process behind a terminal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TerminalInput {
    /// Keys typed or text pasted, as bytes for the PTY.
    Bytes(Vec<u8>),
    /// The terminal was laid out at a new size (rows, columns).
    Resize(u16, u16),
    /// Stop: the user closed the session.
    Close,
}

/// How a session stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SessionState {
    /// Asking AWS for the session, then starting the plugin.
    Starting,
    /// The plugin runs.
    Running {
        /// Since when.
        since: SystemTime,
        /// The SSM session's ID.
        session_id: String,
    },
    /// It ended: why, in words (exit, timeout, network loss, the AWS error).
    Ended {
        /// When.
        at: SystemTime,
        /// Why.
        why: String,
        /// Whether the end was asked for (Close/Stop), not suffered.
        asked: bool,
    },
}

impl SessionState {
    /// Whether it can end any more (starting or running).
    pub fn is_live(&self) -> bool {
        !matches!(self, Self::Ended { .. })
    }
}

struct Inner {
    parser: Mutex<vt100::Parser>,
    state: Mutex<SessionState>,
    input: Mutex<Option<Sender<TerminalInput>>>,
    bytes_out: AtomicU64,
    size: Mutex<(u16, u16)>,
    /// Close was asked for, maybe before a process was attached: it must not start then.
    close_asked: std::sync::atomic::AtomicBool,
}

/// A terminal shared between its reader thread and the UI.
#[derive(Clone)]
pub struct SharedTerminal(Arc<Inner>);

impl Default for SharedTerminal {
    fn default() -> Self {
        Self::new()
    }
}

impl PartialEq for SharedTerminal {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl std::fmt::Debug for SharedTerminal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SharedTerminal")
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A reader thread that panicked leaves the screen as it was: still worth drawing.
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn parser_of(rows: u16, cols: u16) -> vt100::Parser {
    let rows = std::num::NonZeroU16::new(rows.max(1)).unwrap_or(vt100::Parser::DEFAULT_ROWS);
    let cols = std::num::NonZeroU16::new(cols.max(1)).unwrap_or(vt100::Parser::DEFAULT_COLS);
    vt100::Parser::new(rows, cols, SCROLLBACK_LINES)
}

impl SharedTerminal {
    /// An empty terminal of [`DEFAULT_SIZE`], starting.
    pub fn new() -> Self {
        let (rows, cols) = DEFAULT_SIZE;
        Self(Arc::new(Inner {
            parser: Mutex::new(parser_of(rows, cols)),
            state: Mutex::new(SessionState::Starting),
            input: Mutex::new(None),
            bytes_out: AtomicU64::new(0),
            size: Mutex::new(DEFAULT_SIZE),
            close_asked: std::sync::atomic::AtomicBool::new(false),
        }))
    }

    /// Feeds bytes the process wrote.
    pub fn process(&self, bytes: &[u8]) {
        lock(&self.0.parser).process(bytes);
    }

    /// The screen, locked for drawing or reading (held briefly: the reader waits meanwhile).
    pub fn screen(&self) -> MutexGuard<'_, vt100::Parser> {
        lock(&self.0.parser)
    }

    /// How it stands.
    pub fn state(&self) -> SessionState {
        lock(&self.0.state).clone()
    }

    /// Sets how it stands.
    pub fn set_state(&self, state: SessionState) {
        *lock(&self.0.state) = state;
    }

    /// Connects the process started for it: input goes there from now on.
    pub fn attach(&self, input: Sender<TerminalInput>) {
        *lock(&self.0.input) = Some(input);
    }

    /// Disconnects the process that ended (its input thread then stops).
    pub fn detach(&self) {
        *lock(&self.0.input) = None;
    }

    /// Asks the session to end: now if its process runs, else as soon as one is attached.
    pub fn close(&self) {
        self.0.close_asked.store(true, Ordering::Relaxed);
        self.send(TerminalInput::Close);
    }

    /// Whether an end was asked for and not yet followed by a reconnect.
    pub fn close_asked(&self) -> bool {
        self.0.close_asked.load(Ordering::Relaxed)
    }

    /// A new opening (Reconnect) starts from a clean slate.
    pub fn reopen(&self) {
        self.0.close_asked.store(false, Ordering::Relaxed);
    }

    /// Sends input to the process; false when none is attached or it is gone.
    pub fn send(&self, input: TerminalInput) -> bool {
        let typed = match &input {
            TerminalInput::Bytes(bytes) => bytes.len() as u64,
            _ => 0,
        };
        let sent = lock(&self.0.input)
            .as_ref()
            .is_some_and(|tx| tx.send(input).is_ok());
        if sent {
            self.0.bytes_out.fetch_add(typed, Ordering::Relaxed);
        }
        sent
    }

    /// Sets the screen's size (rows, columns) and tells the process, when it changed.
    pub fn resize(&self, rows: u16, cols: u16) {
        let (rows, cols) = (rows.max(2), cols.max(10));
        {
            let mut size = lock(&self.0.size);
            if *size == (rows, cols) {
                return;
            }
            *size = (rows, cols);
        }
        if let (Some(r), Some(c)) = (
            std::num::NonZeroU16::new(rows),
            std::num::NonZeroU16::new(cols),
        ) {
            lock(&self.0.parser).set_size(r, c);
        }
        self.send(TerminalInput::Resize(rows, cols));
    }

    /// The size now (rows, columns).
    pub fn size(&self) -> (u16, u16) {
        *lock(&self.0.size)
    }

    /// Bytes typed or pasted into it.
    pub fn bytes_typed(&self) -> u64 {
        self.0.bytes_out.load(Ordering::Relaxed)
    }

    /// The whole screen as text (tests, copying all).
    pub fn contents(&self) -> String {
        lock(&self.0.parser).screen().contents()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_escapes_change_the_screen_only() {
        let terminal = SharedTerminal::new();
        // Colour, a title and an OSC 52 clipboard write: the text is all that shows.
        terminal.process(b"\x1b[31mred\x1b[0m \x1b]0;evil title\x07\x1b]52;c;ZXZpbA==\x07ok\r\n");
        assert!(
            terminal.contents().starts_with("red ok"),
            "{}",
            terminal.contents()
        );
        let screen = terminal.screen();
        assert_eq!(
            screen.screen().cell(0, 0).map(vt100::Cell::fgcolor),
            Some(vt100::Color::Idx(1))
        );
    }

    #[test]
    fn input_goes_to_the_attached_process_and_a_resize_is_sent_once() {
        let terminal = SharedTerminal::new();
        assert!(!terminal.send(TerminalInput::Bytes(b"ls\r".to_vec())));
        let (tx, rx) = std::sync::mpsc::channel();
        terminal.attach(tx);
        assert!(terminal.send(TerminalInput::Bytes(b"ls\r".to_vec())));
        terminal.resize(30, 100);
        terminal.resize(30, 100);
        let sent: Vec<TerminalInput> = rx.try_iter().collect();
        assert_eq!(
            sent,
            [
                TerminalInput::Bytes(b"ls\r".to_vec()),
                TerminalInput::Resize(30, 100)
            ]
        );
        assert_eq!(
            terminal.screen().screen().size(),
            (
                std::num::NonZeroU16::new(30).unwrap(),
                std::num::NonZeroU16::new(100).unwrap()
            )
        );
        assert_eq!(terminal.bytes_typed(), 3);
    }

    #[test]
    fn scrollback_is_bounded() {
        let terminal = SharedTerminal::new();
        for i in 0..(SCROLLBACK_LINES + 500) {
            terminal.process(format!("line {i}\r\n").as_bytes());
        }
        let mut screen = terminal.screen();
        screen.screen_mut().set_scrollback(usize::MAX);
        assert_eq!(screen.screen().scrollback(), SCROLLBACK_LINES);
    }
}
