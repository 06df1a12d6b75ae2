//! The app's own log (standard error): env_logger's filter and format, with access keys,
//! secret-shaped tokens and environment values masked in every line — the AWS SDK describes
//! credentials and request bodies in detail at `debug` and `trace`.

use crate::model::connection::redact::redact_log_line;
use log::{Log, Metadata, Record};

/// Masks each record, then hands it to `inner`.
pub struct RedactingLogger<L> {
    inner: L,
}

impl<L: Log> RedactingLogger<L> {
    /// Wraps `inner`.
    pub fn new(inner: L) -> Self {
        Self { inner }
    }
}

impl<L: Log> Log for RedactingLogger<L> {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        self.inner.enabled(metadata)
    }

    fn log(&self, record: &Record<'_>) {
        if !self.inner.enabled(record.metadata()) {
            return;
        }
        let text = record.args().to_string();
        let masked = redact_log_line(&text);
        self.inner.log(
            &Record::builder()
                .metadata(record.metadata().clone())
                .args(format_args!("{masked}"))
                .module_path(record.module_path())
                .file(record.file())
                .line(record.line())
                .build(),
        );
    }

    fn flush(&self) {
        self.inner.flush();
    }
}

/// Installs the masked env_logger (`warn` unless `RUST_LOG` says otherwise); start-up only.
pub fn init() {
    let inner =
        env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).build();
    let level = inner.filter();
    if log::set_boxed_logger(Box::new(RedactingLogger::new(inner))).is_ok() {
        log::set_max_level(level);
    }
}
