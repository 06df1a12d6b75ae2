//! Filter semantics (text, regex, case, invert, severity), slices over a ring that moves, and
//! highlight spans.

use super::*;

fn buffer() -> LogBuffer {
    let mut buffer = LogBuffer::new(100);
    for (i, line) in [
        "INFO GET /health 200",
        "ERROR payment failed: card declined",
        "WARN slow query 1200ms",
        "info Payment accepted",
        r#"{"level":"error","msg":"Timeout talking to db"}"#,
    ]
    .iter()
    .enumerate()
    {
        buffer.push(i as i64, 0, line);
    }
    buffer
}

fn kept(filter: &LogFilter) -> Vec<i64> {
    let buffer = buffer();
    let compiled = filter.compile().expect("valid");
    let mut out = Vec::new();
    filter_slice(&buffer, &compiled, i64::MIN, i64::MAX, &mut out);
    out
}

#[test]
fn text_is_case_insensitive_unless_asked() {
    let mut filter = LogFilter {
        pattern: "payment".into(),
        ..LogFilter::default()
    };
    assert_eq!(kept(&filter), [1, 3]);
    filter.case_sensitive = true;
    assert_eq!(kept(&filter), [1]);
}

#[test]
fn text_is_literal_and_regex_is_a_regex() {
    let mut filter = LogFilter {
        pattern: "1200ms|200".into(),
        ..LogFilter::default()
    };
    assert_eq!(kept(&filter), Vec::<i64>::new(), "the | is a character");
    filter.regex = true;
    assert_eq!(kept(&filter), [0, 2]);
}

#[test]
fn invert_keeps_the_rest() {
    let filter = LogFilter {
        pattern: "payment".into(),
        invert: true,
        ..LogFilter::default()
    };
    assert_eq!(kept(&filter), [0, 2, 4]);
}

#[test]
fn minimum_severity_keeps_that_level_and_above() {
    let filter = LogFilter {
        min_severity: Severity::Warn,
        ..LogFilter::default()
    };
    assert_eq!(kept(&filter), [1, 2, 4]);
    let both = LogFilter {
        pattern: "timeout".into(),
        min_severity: Severity::Error,
        ..LogFilter::default()
    };
    assert_eq!(kept(&both), [4]);
}

#[test]
fn an_invalid_regex_is_an_error_message() {
    let filter = LogFilter {
        pattern: "([unclosed".into(),
        regex: true,
        ..LogFilter::default()
    };
    let error = filter.compile().expect_err("invalid");
    assert!(error.contains("unclosed"), "{error}");
}

#[test]
fn slices_cover_the_buffer_and_skip_what_was_evicted() {
    let mut buffer = LogBuffer::new(4);
    for i in 0..4 {
        buffer.push(i, 0, &format!("line {i}"));
    }
    let filter = LogFilter::default().compile().expect("valid");
    let mut out = Vec::new();
    let next = filter_slice(&buffer, &filter, 0, 2, &mut out);
    assert_eq!((next, out.as_slice()), (2, [0, 1].as_slice()));
    // Two more lines evict 0 and 1 before the next slice runs.
    buffer.push(4, 0, "line 4");
    buffer.push(5, 0, "line 5");
    let next = filter_slice(&buffer, &filter, next, i64::MAX, &mut out);
    assert_eq!(next, 6);
    assert_eq!(out, [0, 1, 2, 3, 4, 5]);
}

#[test]
fn highlight_spans_do_not_overlap_and_keep_term_colours() {
    let highlighter = Highlighter::new(&["error".into(), "db".into(), "error talking".into()]);
    let text = "Error talking to db; error again";
    let spans = highlighter.spans(text);
    let shown: Vec<(&str, usize)> = spans.iter().map(|(r, t)| (&text[r.clone()], *t)).collect();
    assert_eq!(shown, [("Error talking", 2), ("db", 1), ("error", 0)]);
    assert!(Highlighter::new(&[String::new()]).is_empty());
}
