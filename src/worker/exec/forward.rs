//! A port forward: the user's local port is ours, relayed to the plugin on a private port, so
//! every byte and connection is counted; the plugin carries them through SSM to the task.
//! The local port is taken before AWS is asked, so a port in use costs no session.

use crate::aws::Ecs;
use crate::model::connection::Connection;
use crate::model::exec::ForwardSpec;
use crate::model::exec::forward::SharedForward;
use crate::model::exec::plugin::forward_launch;
use crate::model::exec::terminal::SessionState;
use crate::model::messages::Repaint;
use crate::model::{AwsError, ErrorKind};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// How often the relay looks at the plugin and for a stop.
const POLL: Duration = Duration::from_millis(200);
/// How long a connection waits for the plugin to listen.
const PLUGIN_LISTEN_WAIT: Duration = Duration::from_secs(15);
/// Lines of the plugin's output kept (the last says why it ended).
const KEPT_LINES: usize = 20;

fn local_error(message: String) -> AwsError {
    AwsError {
        operation: "StartSession".to_owned(),
        code: "LocalPort".to_owned(),
        message,
        request_id: None,
        kind: ErrorKind::Internal,
    }
}

/// Opens the forward and leaves its relay running; answers the SSM session's ID.
pub async fn open(
    ecs: &Ecs,
    connection: &Connection,
    spec: &ForwardSpec,
    forward: &SharedForward,
    plugin: (&Path, &str),
    repaint: Repaint,
) -> Result<String, AwsError> {
    let local_port = spec.local_port.unwrap_or(0);
    let listener = TcpListener::bind(("127.0.0.1", local_port))
        .await
        .map_err(|e| local_error(format!("cannot listen on 127.0.0.1:{local_port}: {e}")))?;
    let local_addr = listener
        .local_addr()
        .map_err(|e| local_error(e.to_string()))?;
    let plugin_port = std::net::TcpListener::bind(("127.0.0.1", 0))
        .and_then(|l| l.local_addr())
        .map_err(|e| local_error(format!("no free port for the plugin: {e}")))?
        .port();
    let ssm_target = ecs.ssm_target(&spec.target).await?;
    let parameters = spec.document_parameters(plugin_port);
    let grant = ecs
        .start_port_forward(&ssm_target, spec.document(), &parameters)
        .await?;
    let sent = (ssm_target.as_str(), spec.document(), &parameters);
    let launch = forward_launch(&grant, sent, connection, plugin.1);
    let (child, output) = match spawn_plugin(plugin.0, &launch.args, &launch.env) {
        Ok(started) => started,
        Err(e) => {
            // Opened in AWS but never carried: end it there too, as the AWS CLI does.
            let _ = ecs.terminate_session(&grant.session_id).await;
            return Err(local_error(format!(
                "{} did not start: {e}",
                plugin.0.display()
            )));
        }
    };
    forward.set_local_addr(local_addr.to_string());
    forward.set_state(SessionState::Running {
        since: SystemTime::now(),
        session_id: grant.session_id.clone(),
    });
    let relay = Relay {
        forward: forward.clone(),
        plugin_port,
        ecs: ecs.clone(),
        session_id: grant.session_id.clone(),
        repaint,
    };
    tokio::spawn(relay.run(listener, child, output));
    Ok(grant.session_id)
}

type Output = Arc<Mutex<Vec<String>>>;

fn spawn_plugin(
    plugin: &Path,
    args: &[String],
    env: &[(String, String)],
) -> std::io::Result<(Child, Output)> {
    let mut child = Command::new(plugin)
        .args(args)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let output: Output = Arc::default();
    let streams: [Option<Box<dyn std::io::Read + Send>>; 2] = [
        child.stdout.take().map(|s| Box::new(s) as _),
        child.stderr.take().map(|s| Box::new(s) as _),
    ];
    for stream in streams.into_iter().flatten() {
        let output = output.clone();
        std::thread::Builder::new()
            .name("ecsdeck-forward-out".into())
            .spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    let line = crate::model::untrusted_text::untrusted(line.trim()).into_owned();
                    if line.is_empty() {
                        continue;
                    }
                    let mut kept = output.lock().unwrap_or_else(|p| p.into_inner());
                    kept.push(line.chars().take(300).collect());
                    let excess = kept.len().saturating_sub(KEPT_LINES);
                    kept.drain(..excess);
                }
            })?;
    }
    Ok((child, output))
}

struct Relay {
    forward: SharedForward,
    plugin_port: u16,
    ecs: Ecs,
    session_id: String,
    repaint: Repaint,
}

impl Relay {
    async fn run(self, listener: TcpListener, mut child: Child, output: Output) {
        let (why, asked) = loop {
            tokio::select! {
                accepted = listener.accept() => {
                    if let Ok((stream, _)) = accepted {
                        self.forward.connection_opened();
                        tokio::spawn(connect_and_pump(stream, self.plugin_port, self.forward.clone()));
                    }
                }
                () = tokio::time::sleep(POLL) => {
                    if self.forward.stop_requested() {
                        let _ = child.kill();
                        let _ = child.wait();
                        let _ = self.ecs.terminate_session(&self.session_id).await;
                        break ("forward stopped".to_owned(), true);
                    }
                    if let Ok(Some(status)) = child.try_wait() {
                        let last = output.lock().ok().and_then(|o| o.last().cloned());
                        break (match last {
                            Some(line) => format!("the plugin ended: {line} ({status})"),
                            None => format!("the plugin ended ({status})"),
                        }, false);
                    }
                }
            }
        };
        self.forward.set_state(SessionState::Ended {
            at: SystemTime::now(),
            why,
            asked,
        });
        (self.repaint)();
    }
}

async fn connect_and_pump(client: TcpStream, plugin_port: u16, forward: SharedForward) {
    let started = tokio::time::Instant::now();
    let upstream = loop {
        match TcpStream::connect(("127.0.0.1", plugin_port)).await {
            Ok(stream) => break Ok(stream),
            Err(e) if started.elapsed() > PLUGIN_LISTEN_WAIT => break Err(e),
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    };
    let upstream = match upstream {
        Ok(stream) => stream,
        Err(e) => {
            forward.connection_closed(Some(format!("the plugin is not listening: {e}")));
            return;
        }
    };
    let (client_read, client_write) = client.into_split();
    let (up_read, up_write) = upstream.into_split();
    let (sent, received) = tokio::join!(
        pump(client_read, up_write, &forward, true),
        pump(up_read, client_write, &forward, false),
    );
    let error = sent.err().or(received.err()).map(|e| e.to_string());
    forward.connection_closed(error);
}

async fn pump(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    forward: &SharedForward,
    to_remote: bool,
) -> std::io::Result<()> {
    let mut buffer = vec![0u8; 16 * 1024];
    loop {
        let n = from.read(&mut buffer).await?;
        if n == 0 {
            return to.shutdown().await;
        }
        to.write_all(&buffer[..n]).await?;
        forward.count(to_remote, n as u64);
    }
}
