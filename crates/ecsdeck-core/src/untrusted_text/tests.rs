use super::*;
use proptest::prelude::*;

#[test]
fn escapes_move_no_cursor_retitle_no_terminal_and_reverse_no_text() {
    let hostile = "ok\u{1b}[2J\u{1b}]0;pwned\u{7}\r\u{9b}31m\u{202e}evil\u{200b}\u{7f}";
    let safe = untrusted(hostile);
    assert_eq!(
        safe,
        "ok\\x1b[2J\\x1b]0;pwned\\x07\\x0d\\x9b31m\\u{202e}evil\\u{200b}\\x7f"
    );
    assert!(!safe.chars().any(is_hostile));
    assert_eq!(untrusted("two\nlines"), "two\\x0alines");
    assert_eq!(untrusted_block("two\n\tlines"), "two\n\tlines");
    assert!(matches!(
        untrusted("plain text ✓ ünïcödé"),
        Cow::Borrowed(_)
    ));
}

#[test]
fn json_stays_the_same_json() {
    let value = serde_json::json!({"message": "a\u{1b}[31mb\u{202e}c\u{9b}"});
    let text = serde_json::to_string(&value).unwrap();
    let safe = json_safe(&text);
    assert!(!safe.chars().any(is_hostile), "{safe}");
    let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
    assert_eq!(back, value);
}

proptest! {
    #[test]
    fn nothing_hostile_survives_and_clean_text_is_untouched(text in any::<String>()) {
        prop_assert!(!untrusted(&text).chars().any(|c| is_hostile(c) || c == '\n'));
        prop_assert!(!untrusted_block(&text).chars().any(is_hostile));
        if !text.chars().any(|c| is_hostile(c) || c == '\n') {
            prop_assert_eq!(untrusted(&text), text.as_str());
        }
    }
}
