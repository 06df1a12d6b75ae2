//! The client-side filter of a tail (text or regex, case, invert, minimum severity) and the
//! highlight spans of several terms at once. Filtering a million lines runs on a worker
//! thread in slices (`filter_slice`), so the UI never waits for it.

#[cfg(test)]
pub(crate) mod tests;

use super::buffer::{LineMeta, LogBuffer};
use super::severity::Severity;
use regex::{Regex, RegexBuilder};
use std::ops::Range;

/// What the user typed in the filter bar.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct LogFilter {
    /// Text to look for; empty keeps every line.
    pub pattern: String,
    /// `pattern` is a regular expression.
    pub regex: bool,
    /// Match case.
    pub case_sensitive: bool,
    /// Keep the lines that do not match.
    pub invert: bool,
    /// Keep only lines at least this severe (`Unknown` keeps all).
    pub min_severity: Severity,
}

/// A filter ready to run.
#[derive(Clone, Debug)]
pub struct CompiledFilter {
    matcher: Option<Regex>,
    invert: bool,
    min_severity: Severity,
}

/// Compiles `pattern` as typed: a regex, or literal text.
fn compile_pattern(pattern: &str, regex: bool, case_sensitive: bool) -> Result<Regex, String> {
    let source = if regex {
        pattern.to_owned()
    } else {
        regex::escape(pattern)
    };
    RegexBuilder::new(&source)
        .case_insensitive(!case_sensitive)
        // A pathological pattern fails to compile rather than eating memory.
        .size_limit(1 << 20)
        .build()
        .map_err(|e| match e {
            regex::Error::Syntax(text) => text,
            other => other.to_string(),
        })
}

impl LogFilter {
    /// Whether this filter keeps every line (nothing to run).
    pub fn is_everything(&self) -> bool {
        self.pattern.is_empty() && self.min_severity == Severity::Unknown
    }

    /// Compiles the filter; an invalid regex gives its error message (shown inline while the
    /// previous filter stays in force).
    pub fn compile(&self) -> Result<CompiledFilter, String> {
        let matcher = if self.pattern.is_empty() {
            None
        } else {
            Some(compile_pattern(
                &self.pattern,
                self.regex,
                self.case_sensitive,
            )?)
        };
        Ok(CompiledFilter {
            matcher,
            invert: self.invert,
            min_severity: self.min_severity,
        })
    }
}

impl CompiledFilter {
    /// Whether the line is kept.
    pub fn keeps(&self, meta: &LineMeta, text: &str) -> bool {
        if meta.severity < self.min_severity {
            return false;
        }
        match &self.matcher {
            None => true,
            Some(re) => re.is_match(text) != self.invert,
        }
    }
}

/// Appends to `out` the absolute indices in `from..to` of lines `filter` keeps; returns where
/// the next slice starts (`to`, or the buffer's first index if `from` was evicted meanwhile).
pub fn filter_slice(
    buffer: &LogBuffer,
    filter: &CompiledFilter,
    from: i64,
    to: i64,
    out: &mut Vec<i64>,
) -> i64 {
    let from = from.max(buffer.first_index());
    let to = to.min(buffer.end_index());
    for (index, meta, text) in buffer.iter_from(from) {
        if index >= to {
            break;
        }
        if filter.keeps(meta, text) {
            out.push(index);
        }
    }
    to.max(from)
}

/// Several terms highlighted at once, each in its own colour.
#[derive(Clone, Debug, Default)]
pub struct Highlighter {
    terms: Vec<Regex>,
}

impl Highlighter {
    /// Highlights each non-empty term (literal text, case-insensitive); term `i` gets colour
    /// `i`.
    pub fn new(terms: &[String]) -> Self {
        Self {
            terms: terms
                .iter()
                .filter(|t| !t.is_empty())
                .filter_map(|t| compile_pattern(t, false, false).ok())
                .collect(),
        }
    }

    /// Whether there is nothing to highlight.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Non-overlapping spans of `text` to highlight, in order, with their term's index: where
    /// terms overlap, the one starting first wins, then the longer.
    pub fn spans(&self, text: &str) -> Vec<(Range<usize>, usize)> {
        let mut found: Vec<(Range<usize>, usize)> = self
            .terms
            .iter()
            .enumerate()
            .flat_map(|(term, re)| re.find_iter(text).map(move |m| (m.range(), term)))
            .collect();
        found.sort_by_key(|(range, term)| (range.start, std::cmp::Reverse(range.end), *term));
        let mut spans: Vec<(Range<usize>, usize)> = Vec::with_capacity(found.len());
        for (range, term) in found {
            if spans.last().is_none_or(|(last, _)| range.start >= last.end) {
                spans.push((range, term));
            }
        }
        spans
    }
}
