//! A fault-injecting HTTP proxy between the SDK and the emulator: it forwards each request
//! unchanged, except that calls matching a rule get the rule's fault instead: an AWS error at
//! any HTTP status (throttling, 500, 503), added latency, a connection reset before the call
//! reaches the emulator, a response lost after it did, or a body cut off halfway. It can also
//! play a dead endpoint. Errors are written in the protocol of the call: JSON for ECS and
//! CloudWatch Logs (awsJson), CBOR for CloudWatch (rpc-v2-cbor). Rules change while it runs. Deterministic: a seeded generator decides
//! which calls fail. Given Live Tail scripts, it answers StartLiveTail itself (see
//! `live_tail_script`).

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::live_tail_script::{Step, serve_session};

/// What happens to a call a rule picks.
#[derive(Clone, Debug, PartialEq)]
pub enum Fault {
    /// An AWS JSON error answered by the proxy: `ThrottlingException` at 400,
    /// `ServiceUnavailableException` at 503…
    Error {
        /// HTTP status.
        status: u16,
        /// The error code (`__type`).
        code: String,
    },
    /// Forwarded after this pause.
    Latency(Duration),
    /// The connection closes before the call reaches the emulator.
    Reset,
    /// The call reaches the emulator and takes effect; the connection closes before its answer.
    LoseResponse,
    /// The answer's head promises the whole body; half of it comes, then the connection closes.
    Truncate,
}

/// A fault for calls whose `X-Amz-Target` ends with `operation` (empty: every call).
#[derive(Clone, Debug)]
pub struct Rule {
    /// Operation name, e.g. `FilterLogEvents`; empty matches every call.
    pub operation: String,
    /// Share of matching calls that fail, 0.0–1.0.
    pub rate: f64,
    /// What they get.
    pub fault: Fault,
}

impl Rule {
    /// `rate` of the calls to `operation` throttled.
    pub fn throttle(operation: &str, rate: f64) -> Self {
        Self::error(operation, rate, "ThrottlingException")
    }

    /// `rate` of the calls to `operation` answered with the error `code` at HTTP 400.
    pub fn error(operation: &str, rate: f64, code: &str) -> Self {
        Self::status(operation, rate, 400, code)
    }

    /// `rate` of the calls to `operation` answered with the error `code` at HTTP `status`.
    pub fn status(operation: &str, rate: f64, status: u16, code: &str) -> Self {
        Self::fault(
            operation,
            rate,
            Fault::Error {
                status,
                code: code.into(),
            },
        )
    }

    /// `rate` of the calls to `operation` get `fault`.
    pub fn fault(operation: &str, rate: f64, fault: Fault) -> Self {
        Self {
            operation: operation.into(),
            rate,
            fault,
        }
    }
}

/// Counts, for assertions.
#[derive(Default)]
pub struct Counts {
    /// Calls forwarded.
    pub forwarded: AtomicU64,
    /// Calls answered with a fault.
    pub faulted: AtomicU64,
    /// Request bodies of the StartLiveTail calls answered from scripts.
    pub live_calls: Mutex<Vec<String>>,
    /// Every call by operation (`DescribeServices`), faulted or forwarded.
    pub by_operation: Mutex<std::collections::HashMap<String, u64>>,
}

impl Counts {
    /// Calls seen of `operation`.
    pub fn of(&self, operation: &str) -> u64 {
        self.by_operation
            .lock()
            .expect("lock")
            .get(operation)
            .copied()
            .unwrap_or(0)
    }
}

/// A running proxy; stops accepting when dropped.
pub struct FaultProxy {
    /// `http://127.0.0.1:PORT`.
    pub endpoint: String,
    /// Calls seen.
    pub counts: Arc<Counts>,
    port: u16,
    stopped: Arc<AtomicBool>,
    state: Arc<State>,
}

impl FaultProxy {
    /// Starts a proxy to `127.0.0.1:upstream_port` applying `rules`.
    pub fn start(upstream_port: u16, rules: Vec<Rule>) -> Self {
        Self::with_live_tail(upstream_port, rules, Vec::new())
    }

    /// A proxy that also answers the n-th StartLiveTail call with `sessions[n]` (calls
    /// beyond the scripts go to the emulator).
    pub fn with_live_tail(upstream_port: u16, rules: Vec<Rule>, sessions: Vec<Vec<Step>>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let counts = Arc::new(Counts::default());
        let state = Arc::new(State {
            rules: Mutex::new(rules),
            seed: Mutex::new(0x9e37_79b9_7f4a_7c15_u64),
            counts: counts.clone(),
            sessions: Mutex::new(sessions.into()),
            down: AtomicBool::new(false),
        });
        let shared = state.clone();
        let stopped = Arc::new(AtomicBool::new(false));
        let stop = stopped.clone();
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { return };
                if stop.load(Ordering::Relaxed) {
                    return;
                }
                let state = state.clone();
                std::thread::spawn(move || {
                    let _ = serve(client, upstream_port, &state);
                });
            }
        });
        Self {
            endpoint: format!("http://127.0.0.1:{port}"),
            counts,
            port,
            stopped,
            state: shared,
        }
    }

    /// Replaces the rules (faults start or stop mid-test).
    pub fn set_rules(&self, rules: Vec<Rule>) {
        *self.state.rules.lock().expect("lock") = rules;
    }

    /// While down, every call's connection closes unanswered, as a dead endpoint's would.
    pub fn set_down(&self, down: bool) {
        self.state.down.store(down, Ordering::Relaxed);
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        // Wake the accept loop so its thread ends with the test.
        self.stopped.store(true, Ordering::Relaxed);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

struct State {
    rules: Mutex<Vec<Rule>>,
    seed: Mutex<u64>,
    counts: Arc<Counts>,
    sessions: Mutex<VecDeque<Vec<Step>>>,
    down: AtomicBool,
}

fn serve(client: TcpStream, upstream_port: u16, state: &State) -> std::io::Result<()> {
    let mut reader = BufReader::new(client.try_clone()?);
    let mut client = client;
    let mut upstream: Option<(TcpStream, BufReader<TcpStream>)> = None;
    loop {
        let Some((head, body)) = read_message(&mut reader)? else {
            return Ok(());
        };
        // awsJson names the operation in X-Amz-Target; rpc-v2-cbor (CloudWatch) in the path,
        // `/service/GraniteServiceVersion20100801/operation/GetMetricData`.
        let cbor = header(&head, "smithy-protocol").is_some_and(|p| p == "rpc-v2-cbor");
        let target = match header(&head, "x-amz-target") {
            Some(target) => target,
            None => head
                .split_whitespace()
                .nth(1)
                .and_then(|path| path.rsplit_once("/operation/"))
                .map(|(_, operation)| format!(".{operation}"))
                .unwrap_or_default(),
        };
        let operation = target.rsplit('.').next().unwrap_or_default().to_owned();
        *state
            .counts
            .by_operation
            .lock()
            .expect("lock")
            .entry(operation)
            .or_default() += 1;
        if target.ends_with("StartLiveTail") {
            let script = state.sessions.lock().expect("lock").pop_front();
            if let Some(steps) = script {
                let body = String::from_utf8_lossy(&body).into_owned();
                state
                    .counts
                    .live_calls
                    .lock()
                    .expect("lock")
                    .push(body.clone());
                // The stream ends with the session: so does the connection.
                let _ = serve_session(&mut client, &body, &steps);
                let _ = client.shutdown(Shutdown::Both);
                return Ok(());
            }
        }
        if state.down.load(Ordering::Relaxed) {
            state.counts.faulted.fetch_add(1, Ordering::Relaxed);
            let _ = client.shutdown(Shutdown::Both);
            return Ok(());
        }
        let fault = should_fail(state, &target);
        if fault.is_some() {
            state.counts.faulted.fetch_add(1, Ordering::Relaxed);
        }
        match &fault {
            Some(Fault::Error { status, code }) if cbor => {
                let message = format!("injected {code}");
                let mut body = vec![0xa2]; // a map of two text pairs
                for text in ["__type", code.as_str(), "message", message.as_str()] {
                    cbor_text(&mut body, text);
                }
                write!(
                    client,
                    "HTTP/1.1 {status} Injected\r\nContent-Type: application/cbor\r\n\
                     smithy-protocol: rpc-v2-cbor\r\nx-amzn-RequestId: fault-proxy\r\n\
                     Content-Length: {}\r\n\r\n",
                    body.len()
                )?;
                client.write_all(&body)?;
                continue;
            }
            Some(Fault::Error { status, code }) => {
                let body = format!(r#"{{"__type":"{code}","message":"injected {code}"}}"#);
                write!(
                    client,
                    "HTTP/1.1 {status} Injected\r\nContent-Type: application/x-amz-json-1.1\r\n\
                     x-amzn-RequestId: fault-proxy\r\nContent-Length: {}\r\n\r\n{body}",
                    body.len()
                )?;
                continue;
            }
            Some(Fault::Reset) => {
                let _ = client.shutdown(Shutdown::Both);
                return Ok(());
            }
            Some(Fault::Latency(pause)) => std::thread::sleep(*pause),
            Some(Fault::LoseResponse | Fault::Truncate) | None => {}
        }
        state.counts.forwarded.fetch_add(1, Ordering::Relaxed);
        if upstream.is_none() {
            let stream = TcpStream::connect(("127.0.0.1", upstream_port))?;
            let reader = BufReader::new(stream.try_clone()?);
            upstream = Some((stream, reader));
        }
        let Some((up, up_reader)) = upstream.as_mut() else {
            return Ok(());
        };
        up.write_all(head.as_bytes())?;
        up.write_all(&body)?;
        let Some((response_head, response_body)) = read_message(up_reader)? else {
            let _ = client.shutdown(Shutdown::Both);
            return Ok(());
        };
        match fault {
            Some(Fault::LoseResponse) => {
                let _ = client.shutdown(Shutdown::Both);
                return Ok(());
            }
            Some(Fault::Truncate) => {
                client.write_all(response_head.as_bytes())?;
                client.write_all(&response_body[..response_body.len() / 2])?;
                let _ = client.shutdown(Shutdown::Both);
                return Ok(());
            }
            _ => {
                client.write_all(response_head.as_bytes())?;
                client.write_all(&response_body)?;
            }
        }
    }
}

/// Appends `text` as a CBOR text string (major type 3; short strings only).
fn cbor_text(out: &mut Vec<u8>, text: &str) {
    let len = text.len();
    if len < 24 {
        out.push(0x60 | len as u8);
    } else {
        out.push(0x78);
        out.push(u8::try_from(len).expect("a short string"));
    }
    out.extend_from_slice(text.as_bytes());
}

/// The fault for `target`, if this call is to get one.
fn should_fail(state: &State, target: &str) -> Option<Fault> {
    let rules = state.rules.lock().expect("lock");
    let rule = rules.iter().find(|r| target.ends_with(&r.operation))?;
    let mut seed = state.seed.lock().expect("lock");
    // xorshift64*: the same sequence of faults on every run.
    *seed ^= *seed >> 12;
    *seed ^= *seed << 25;
    *seed ^= *seed >> 27;
    let draw = (seed.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64;
    (draw < rule.rate).then(|| rule.fault.clone())
}

fn header(head: &str, name: &str) -> Option<String> {
    head.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.trim()
            .eq_ignore_ascii_case(name)
            .then(|| value.trim().to_owned())
    })
}

/// One HTTP/1.1 message: its head (with the blank line) and body, re-framed with a
/// Content-Length when it was chunked. `None` at a clean end of the connection.
fn read_message(reader: &mut impl BufRead) -> std::io::Result<Option<(String, Vec<u8>)>> {
    let mut head = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        let end = line == "\r\n";
        head.push_str(&line);
        if end {
            break;
        }
    }
    let mut body = Vec::new();
    if header(&head, "transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        loop {
            let mut size = String::new();
            reader.read_line(&mut size)?;
            let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
            let mut chunk = vec![0; size + 2];
            reader.read_exact(&mut chunk)?;
            if size == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..size]);
        }
        let kept: Vec<&str> = head
            .split("\r\n")
            .filter(|l| !l.to_ascii_lowercase().starts_with("transfer-encoding"))
            .filter(|l| !l.is_empty())
            .collect();
        head = format!(
            "{}\r\nContent-Length: {}\r\n\r\n",
            kept.join("\r\n"),
            body.len()
        );
    } else if let Some(length) = header(&head, "content-length").and_then(|v| v.parse().ok()) {
        body = vec![0; length];
        reader.read_exact(&mut body)?;
    }
    Ok(Some((head, body)))
}
