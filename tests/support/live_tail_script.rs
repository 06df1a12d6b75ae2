//! Scripted Live Tail sessions, answered by the fault proxy in place of the emulator (moto's
//! StartLiveTail sends one snapshot and closes): each StartLiveTail call streams the next
//! script as real event-stream frames (`application/vnd.amazon.eventstream`, chunked), so
//! the SDK's own decoder reads them.

use aws_smithy_types::event_stream::{Header, HeaderValue, Message};
use std::io::Write;
use std::net::TcpStream;
use std::time::Duration;

/// One event of an update: (stream, message); its timestamp and ingestion time are the
/// moment it is sent.
pub type ScriptEvent = (String, String);

/// One step of a session. Events name the first log group of the request, as AWS does.
#[derive(Clone, Debug)]
pub enum Step {
    /// Pause.
    Wait(Duration),
    /// `sessionStart`.
    Start,
    /// One `sessionUpdate` with these events, sampled or not.
    Update {
        /// Events.
        events: Vec<ScriptEvent>,
        /// AWS's `sampled` flag.
        sampled: bool,
    },
    /// A steady log on `stream`: one event per `every_ms` of epoch time (message
    /// `tick <epoch ms>`, timestamp and ingestion time that ms), every event ingested since
    /// the session opened, sent in one update each 100 ms — until the client goes away. Every
    /// session feeds the same events, as sessions following one stream would.
    Feed {
        /// Stream name.
        stream: String,
        /// Interval between events, ms.
        every_ms: i64,
    },
    /// A `SessionTimeoutException` (AWS's 3-hour limit), which ends the stream.
    Timeout,
    /// Keep the stream open (until the client goes away).
    Hold,
}

fn now_ms() -> i64 {
    ecsdeck::model::time_format::epoch_ms(std::time::SystemTime::now())
}

fn frame(message: Message) -> Vec<u8> {
    let mut bytes = Vec::new();
    aws_smithy_eventstream::frame::write_message_to(&message, &mut bytes).expect("frame");
    bytes
}

fn header(name: &'static str, value: &'static str) -> Header {
    Header::new(name, HeaderValue::String(value.into()))
}

fn event(kind: &'static str, payload: String) -> Vec<u8> {
    frame(Message::new_from_parts(
        vec![
            header(":message-type", "event"),
            header(":event-type", kind),
            header(":content-type", "application/json"),
        ],
        payload.into_bytes(),
    ))
}

/// (stream, timestamp = ingestion ms, message).
type Sent = (String, i64, String);

fn update_payload(group: &str, events: &[Sent], sampled: bool) -> String {
    let results: Vec<serde_json::Value> = events
        .iter()
        .map(|(stream, at_ms, message)| {
            serde_json::json!({
                "logGroupIdentifier": group,
                "logStreamName": stream,
                "timestamp": at_ms,
                "ingestionTime": at_ms,
                "message": message,
            })
        })
        .collect();
    serde_json::json!({
        "sessionMetadata": { "sampled": sampled },
        "sessionResults": results,
    })
    .to_string()
}

fn chunk(client: &mut TcpStream, bytes: &[u8]) -> std::io::Result<()> {
    write!(client, "{:x}\r\n", bytes.len())?;
    client.write_all(bytes)?;
    client.write_all(b"\r\n")?;
    client.flush()
}

/// Streams one session to `client` as an HTTP response to a StartLiveTail `request` body,
/// then ends it.
pub fn serve_session(client: &mut TcpStream, request: &str, steps: &[Step]) -> std::io::Result<()> {
    let opened_ms = now_ms();
    let request: serde_json::Value = serde_json::from_str(request).unwrap_or_default();
    let group = request["logGroupIdentifiers"][0]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    write!(
        client,
        "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.amazon.eventstream\r\n\
         x-amzn-RequestId: live-tail-script\r\nTransfer-Encoding: chunked\r\n\r\n"
    )?;
    for step in steps {
        match step {
            Step::Wait(pause) => std::thread::sleep(*pause),
            Step::Start => chunk(
                client,
                &event(
                    "sessionStart",
                    r#"{"requestId":"r-1","sessionId":"s-1","logGroupIdentifiers":[]}"#.into(),
                ),
            )?,
            Step::Update { events, sampled } => {
                let at_ms = now_ms();
                let sent: Vec<Sent> = events
                    .iter()
                    .map(|(stream, message)| (stream.clone(), at_ms, message.clone()))
                    .collect();
                chunk(
                    client,
                    &event("sessionUpdate", update_payload(&group, &sent, *sampled)),
                )?;
            }
            Step::Feed { stream, every_ms } => {
                // The first event ingested after the session opened.
                let mut next_ms = (opened_ms / every_ms + 1) * every_ms;
                loop {
                    std::thread::sleep(Duration::from_millis(100));
                    let now = now_ms();
                    let mut sent = Vec::new();
                    while next_ms <= now {
                        sent.push((stream.clone(), next_ms, format!("tick {next_ms}")));
                        next_ms += every_ms;
                    }
                    // Fails once the client has gone.
                    chunk(
                        client,
                        &event("sessionUpdate", update_payload(&group, &sent, false)),
                    )?;
                }
            }
            Step::Timeout => {
                let message = Message::new_from_parts(
                    vec![
                        header(":message-type", "exception"),
                        header(":exception-type", "SessionTimeoutException"),
                        header(":content-type", "application/json"),
                    ],
                    br#"{"message":"Session timed out after 3 hours"}"#.to_vec(),
                );
                chunk(client, &frame(message))?;
            }
            Step::Hold => loop {
                std::thread::sleep(Duration::from_millis(1_000));
                // An empty update each second, as AWS sends; fails once the client left.
                chunk(
                    client,
                    &event("sessionUpdate", update_payload(&group, &[], false)),
                )?;
            },
        }
    }
    chunk(client, &[])
}
