//! Text from AWS and from logs is untrusted: a log line or a stopped reason can carry escape
//! sequences that move a terminal's cursor or retitle it, and bidi or zero-width characters
//! that make text read differently from what it is. Before a terminal or the app shows such
//! text, those characters become visible escapes (`\x1b`, `\u{202e}`).

use std::borrow::Cow;

/// Whether `c` can move the cursor, retitle a terminal, reorder text or hide itself: C0
/// controls (but tab and newline), DEL, C1 controls, and bidi and zero-width formatting.
pub fn is_hostile(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}'
        | '\u{b}'..='\u{1f}'
        | '\u{7f}'..='\u{9f}'
        | '\u{61c}'
        | '\u{200b}'..='\u{200f}'
        | '\u{2028}'..='\u{202e}'
        | '\u{2060}'..='\u{2069}'
        | '\u{feff}')
}

fn escape(c: char, out: &mut String) {
    use std::fmt::Write;
    let code = u32::from(c);
    // Writing to a String cannot fail.
    let _ = if code <= 0xff {
        write!(out, "\\x{code:02x}")
    } else {
        write!(out, "\\u{{{code:04x}}}")
    };
}

fn escaped(text: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(|c| !keep(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if keep(c) {
            out.push(c);
        } else {
            escape(c, &mut out);
        }
    }
    Cow::Owned(out)
}

/// One line of untrusted text made safe to show: hostile characters and line breaks escaped.
pub fn untrusted(text: &str) -> Cow<'_, str> {
    escaped(text, |c| !is_hostile(c) && c != '\n')
}

/// Untrusted text of several lines: line breaks and tabs kept, hostile characters escaped.
pub fn untrusted_block(text: &str) -> Cow<'_, str> {
    escaped(text, |c| !is_hostile(c))
}

/// A JSON document with every hostile character written as a `\uXXXX` escape: still the same
/// JSON (they can only occur inside strings), and safe for a terminal.
pub fn json_safe(json: &str) -> Cow<'_, str> {
    if !json.chars().any(is_hostile) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if is_hostile(c) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests;
