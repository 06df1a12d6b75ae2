//! Severity of a log line, read from its text without a full parse: a JSON `level`/`severity`
//! field (names or pino/bunyan numbers), else the first level word near the start
//! (`ERROR`, `[warn]`, `level=info`), else a glog prefix (`E1201 …`). Ingest runs this on
//! every line, so it looks at a bounded head of the line and allocates nothing.

/// How severe a line is; `Unknown` when nothing says.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// No level found.
    #[default]
    Unknown,
    /// TRACE.
    Trace,
    /// DEBUG.
    Debug,
    /// INFO, NOTICE.
    Info,
    /// WARN, WARNING.
    Warn,
    /// ERROR, ERR, SEVERE.
    Error,
    /// FATAL, CRITICAL, PANIC, EMERG, ALERT.
    Fatal,
}

impl Severity {
    /// Every level, least severe first.
    pub const ALL: [Severity; 7] = [
        Severity::Unknown,
        Severity::Trace,
        Severity::Debug,
        Severity::Info,
        Severity::Warn,
        Severity::Error,
        Severity::Fatal,
    ];

    /// Short upper-case name, as shown in the view.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Unknown => "-",
            Severity::Trace => "TRACE",
            Severity::Debug => "DEBUG",
            Severity::Info => "INFO",
            Severity::Warn => "WARN",
            Severity::Error => "ERROR",
            Severity::Fatal => "FATAL",
        }
    }
}

/// How far into a plain-text line a level word is looked for: loggers put it early, and a
/// word like "error" deep in a message is not the line's level.
const TEXT_HEAD_BYTES: usize = 80;
/// How far into a JSON line its level field is looked for.
const JSON_HEAD_BYTES: usize = 2_048;
/// Keys that hold a JSON line's level.
const JSON_KEYS: [&[u8]; 6] = [
    b"\"level\"",
    b"\"severity\"",
    b"\"lvl\"",
    b"\"loglevel\"",
    b"\"log.level\"",
    b"\"levelname\"",
];

/// The severity of `line`.
pub fn detect(line: &str) -> Severity {
    let bytes = line.as_bytes();
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    if bytes.get(start) == Some(&b'{')
        && let Some(severity) = json_level(&bytes[..bytes.len().min(JSON_HEAD_BYTES)])
    {
        return severity;
    }
    let head = &bytes[..bytes.len().min(TEXT_HEAD_BYTES)];
    word_level(head)
        .or_else(|| glog_level(&bytes[start..]))
        .unwrap_or_default()
}

/// The level a word names (any case), if it names one.
pub fn level_word(word: &[u8]) -> Option<Severity> {
    if word.len() < 3 || word.len() > 8 {
        return None;
    }
    let mut upper = [0u8; 8];
    for (u, b) in upper.iter_mut().zip(word) {
        *u = b.to_ascii_uppercase();
    }
    Some(match &upper[..word.len()] {
        b"TRACE" | b"TRC" => Severity::Trace,
        b"DEBUG" | b"DBG" => Severity::Debug,
        b"INFO" | b"INF" | b"NOTICE" => Severity::Info,
        b"WARN" | b"WARNING" | b"WRN" => Severity::Warn,
        b"ERROR" | b"ERR" | b"SEVERE" => Severity::Error,
        b"FATAL" | b"CRITICAL" | b"CRIT" | b"PANIC" | b"EMERG" | b"ALERT" => Severity::Fatal,
        _ => return None,
    })
}

/// The first level word among the words of `head`.
fn word_level(head: &[u8]) -> Option<Severity> {
    head.split(|b| !b.is_ascii_alphabetic())
        .filter(|w| !w.is_empty())
        .find_map(level_word)
}

/// glog/klog: `E1201 10:00:00.000000 …` (I, W, E or F, then month and day).
fn glog_level(line: &[u8]) -> Option<Severity> {
    let (first, rest) = line.split_first()?;
    let digits = rest.get(..4)?;
    if !digits.iter().all(u8::is_ascii_digit) || rest.get(4) != Some(&b' ') {
        return None;
    }
    Some(match first {
        b'I' => Severity::Info,
        b'W' => Severity::Warn,
        b'E' => Severity::Error,
        b'F' => Severity::Fatal,
        _ => return None,
    })
}

/// The level in a JSON object's level field: a string naming it, or a pino/bunyan number
/// (10 trace … 60 fatal).
fn json_level(head: &[u8]) -> Option<Severity> {
    JSON_KEYS.iter().find_map(|key| {
        let at = find(head, key)? + key.len();
        let rest = skip_space(&head[at..]);
        let rest = skip_space(rest.strip_prefix(b":")?);
        if let Some(value) = rest.strip_prefix(b"\"") {
            let end = value.iter().position(|&b| b == b'"')?;
            level_word(&value[..end])
        } else {
            let end = rest
                .iter()
                .position(|b| !b.is_ascii_digit())
                .unwrap_or(rest.len());
            let number: u32 = std::str::from_utf8(&rest[..end]).ok()?.parse().ok()?;
            Some(match number {
                0..=10 => Severity::Trace,
                11..=20 => Severity::Debug,
                21..=30 => Severity::Info,
                31..=40 => Severity::Warn,
                41..=50 => Severity::Error,
                _ => Severity::Fatal,
            })
        }
    })
}

fn skip_space(bytes: &[u8]) -> &[u8] {
    let n = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    &bytes[n..]
}

/// Where `needle` first occurs in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_levels() {
        let cases = [
            ("2026-12-01T10:00:00Z INFO  [main] started", Severity::Info),
            ("2026-12-01 10:00:00,123 WARNING db slow", Severity::Warn),
            ("[error] upstream timed out", Severity::Error),
            ("level=debug msg=\"cache miss\"", Severity::Debug),
            ("FATAL: out of memory", Severity::Fatal),
            (
                "E1201 10:00:00.000000    1 reflector.go:1] failed",
                Severity::Error,
            ),
            ("W1201 10:00:00.000000    1 x.go:1] slow", Severity::Warn),
            ("GET /health 200 3ms", Severity::Unknown),
            // The first level word wins: the line is INFO, its message mentions an error.
            ("INFO retrying after error", Severity::Info),
        ];
        for (line, want) in cases {
            assert_eq!(detect(line), want, "{line}");
        }
    }

    #[test]
    fn a_level_word_deep_in_a_message_is_not_the_level() {
        let line = format!("{} error", "x".repeat(100));
        assert_eq!(detect(&line), Severity::Unknown);
    }

    #[test]
    fn words_inside_words_do_not_count() {
        assert_eq!(detect("informational errands"), Severity::Unknown);
        assert_eq!(detect("Errored"), Severity::Unknown);
    }

    #[test]
    fn json_level_fields() {
        let cases = [
            (r#"{"level":"error","msg":"boom"}"#, Severity::Error),
            (r#"{"msg":"ok","severity": "WARNING"}"#, Severity::Warn),
            (r#"{"time":1,"level":30,"msg":"pino info"}"#, Severity::Info),
            (r#"{"level":50}"#, Severity::Error),
            (r#"{"log.level":"debug"}"#, Severity::Debug),
            // No level field: the text rules still apply to what's there.
            (r#"{"msg":"ERROR in handler"}"#, Severity::Error),
            (r#"{"msg":"hello"}"#, Severity::Unknown),
        ];
        for (line, want) in cases {
            assert_eq!(detect(line), want, "{line}");
        }
    }

    #[test]
    fn garbage_and_empty_lines_are_unknown() {
        assert_eq!(detect(""), Severity::Unknown);
        assert_eq!(detect("\u{fffd}\u{fffd}\u{1}\u{2}"), Severity::Unknown);
        assert_eq!(detect(r#"{"level":"#), Severity::Unknown);
        assert_eq!(detect("E12"), Severity::Unknown);
    }

    #[test]
    fn severities_order_from_least_to_most_severe() {
        assert!(Severity::Warn < Severity::Error);
        assert!(Severity::ALL.windows(2).all(|w| w[0] < w[1]));
    }
}
