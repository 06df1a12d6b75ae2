//! Keys and clipboard events as the bytes a terminal program expects (xterm's encoding).

use egui::{Event, Key, Modifiers};

/// What a terminal does with one input event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyAction {
    /// Send these bytes to the program.
    Send(Vec<u8>),
    /// Copy the selection to the clipboard.
    Copy,
    /// Nothing.
    None,
}

/// The bytes of `event`; `app_cursor` is the program's application-cursor mode (arrows as
/// `ESC O A`), `bracketed` its bracketed-paste mode, `selection` whether text is selected
/// (then the platform's copy shortcut copies instead of interrupting).
pub fn key_action(event: &Event, app_cursor: bool, bracketed: bool, selection: bool) -> KeyAction {
    match event {
        Event::Text(text) => KeyAction::Send(text.as_bytes().to_vec()),
        Event::Paste(text) => KeyAction::Send(paste_bytes(text, bracketed)),
        // Ctrl+C (Cmd+C on macOS): copies a selection; without one, Ctrl+C interrupts.
        Event::Copy if selection => KeyAction::Copy,
        Event::Copy if cfg!(target_os = "macos") => KeyAction::None,
        Event::Copy => KeyAction::Send(vec![0x03]),
        Event::Cut if cfg!(target_os = "macos") => KeyAction::None,
        Event::Cut => KeyAction::Send(vec![0x18]),
        Event::Key {
            key,
            pressed: true,
            modifiers,
            ..
        } => key_bytes(*key, *modifiers, app_cursor),
        _ => KeyAction::None,
    }
}

/// Pasted text: line breaks as Enter, wrapped in the bracketed-paste markers when the program
/// asked for them (so a shell does not run pasted lines one by one).
fn paste_bytes(text: &str, bracketed: bool) -> Vec<u8> {
    let body = text.replace("\r\n", "\r").replace('\n', "\r");
    if bracketed {
        // A paste must not end the bracket early.
        let body = body.replace("\x1b[201~", "");
        format!("\x1b[200~{body}\x1b[201~").into_bytes()
    } else {
        body.into_bytes()
    }
}

fn key_bytes(key: Key, modifiers: Modifiers, app_cursor: bool) -> KeyAction {
    if modifiers.ctrl && modifiers.shift && key == Key::C {
        return KeyAction::Copy;
    }
    if modifiers.ctrl
        && !modifiers.alt
        && let Some(byte) = control_byte(key)
    {
        return KeyAction::Send(vec![byte]);
    }
    let arrow = |c: char| {
        if app_cursor {
            format!("\x1bO{c}")
        } else {
            format!("\x1b[{c}")
        }
    };
    let text = match key {
        Key::Enter => "\r".to_owned(),
        Key::Tab if modifiers.shift => "\x1b[Z".to_owned(),
        Key::Tab => "\t".to_owned(),
        Key::Backspace => "\x7f".to_owned(),
        Key::Escape => "\x1b".to_owned(),
        Key::ArrowUp => arrow('A'),
        Key::ArrowDown => arrow('B'),
        Key::ArrowRight => arrow('C'),
        Key::ArrowLeft => arrow('D'),
        Key::Home => "\x1b[H".to_owned(),
        Key::End => "\x1b[F".to_owned(),
        Key::PageUp => "\x1b[5~".to_owned(),
        Key::PageDown => "\x1b[6~".to_owned(),
        Key::Insert => "\x1b[2~".to_owned(),
        Key::Delete => "\x1b[3~".to_owned(),
        Key::F1 => "\x1bOP".to_owned(),
        Key::F2 => "\x1bOQ".to_owned(),
        Key::F3 => "\x1bOR".to_owned(),
        Key::F4 => "\x1bOS".to_owned(),
        Key::F5 => "\x1b[15~".to_owned(),
        Key::F6 => "\x1b[17~".to_owned(),
        Key::F7 => "\x1b[18~".to_owned(),
        Key::F8 => "\x1b[19~".to_owned(),
        Key::F9 => "\x1b[20~".to_owned(),
        Key::F10 => "\x1b[21~".to_owned(),
        Key::F11 => "\x1b[23~".to_owned(),
        Key::F12 => "\x1b[24~".to_owned(),
        _ => return KeyAction::None,
    };
    KeyAction::Send(text.into_bytes())
}

/// Ctrl+A … Ctrl+Z and the few punctuation controls.
fn control_byte(key: Key) -> Option<u8> {
    let name = key.symbol_or_name();
    let mut chars = name.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_ascii_alphabetic() => Some(c.to_ascii_uppercase() as u8 - b'@'),
        (Some('['), None) => Some(0x1b),
        (Some('\\'), None) => Some(0x1c),
        (Some(']'), None) => Some(0x1d),
        _ => match key {
            Key::Space => Some(0x00),
            _ => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(key: Key, modifiers: Modifiers) -> Event {
        Event::Key {
            key,
            physical_key: None,
            pressed: true,
            repeat: false,
            modifiers,
        }
    }

    fn sent(event: &Event) -> Vec<u8> {
        match key_action(event, false, false, false) {
            KeyAction::Send(bytes) => bytes,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn keys_are_encoded_as_xterm_does() {
        assert_eq!(sent(&press(Key::Enter, Modifiers::NONE)), b"\r");
        assert_eq!(sent(&press(Key::Backspace, Modifiers::NONE)), b"\x7f");
        assert_eq!(sent(&press(Key::ArrowUp, Modifiers::NONE)), b"\x1b[A");
        assert_eq!(
            key_action(&press(Key::ArrowUp, Modifiers::NONE), true, false, false),
            KeyAction::Send(b"\x1bOA".to_vec())
        );
        assert_eq!(sent(&press(Key::D, Modifiers::CTRL)), [0x04]);
        assert_eq!(sent(&press(Key::Z, Modifiers::CTRL)), [0x1a]);
        assert_eq!(sent(&Event::Text("ls".into())), b"ls");
        assert_eq!(sent(&press(Key::Delete, Modifiers::NONE)), b"\x1b[3~");
        assert_eq!(
            key_action(&press(Key::A, Modifiers::NONE), false, false, false),
            KeyAction::None,
            "plain letters arrive as text"
        );
    }

    #[test]
    fn copy_copies_a_selection_and_interrupts_without_one() {
        assert_eq!(
            key_action(&Event::Copy, false, false, true),
            KeyAction::Copy
        );
        if !cfg!(target_os = "macos") {
            assert_eq!(sent(&Event::Copy), [0x03]);
        }
        assert_eq!(
            key_action(
                &press(Key::C, Modifiers::CTRL | Modifiers::SHIFT),
                false,
                false,
                false
            ),
            KeyAction::Copy
        );
    }

    #[test]
    fn a_paste_is_bracketed_when_the_program_asks() {
        assert_eq!(sent(&Event::Paste("a\nb".into())), b"a\rb");
        assert_eq!(
            key_action(&Event::Paste("a\x1b[201~b".into()), false, true, false),
            KeyAction::Send(b"\x1b[200~ab\x1b[201~".to_vec())
        );
    }
}
