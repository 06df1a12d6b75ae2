//! `UiCommand`: one enum owns every command's label and shortcut; menus, buttons and keys use it.

use egui::{Key, KeyboardShortcut, Modifiers};

/// Every command the user can give from the shell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, strum::EnumIter)]
pub enum UiCommand {
    /// Find any command or loaded resource by name.
    OpenPalette,
    /// List every keyboard shortcut.
    ShowShortcuts,
    /// Reload what is on screen.
    Refresh,
    /// Pause or resume auto-refresh.
    ToggleAutoRefresh,
    /// Go one level up.
    GoUp,
    /// Put the cursor in the current list's filter.
    FocusFilter,
    /// Copy the selected resource's ARN.
    CopyArn,
    /// Open the selected resource in the AWS console.
    OpenInConsole,
    /// Show every change the app made to AWS.
    OpenJournal,
    /// The settings screen.
    OpenSettings,
    /// Follow any CloudWatch log group.
    TailLogGroup,
    /// Open the logs, charts or comparison on screen in a window of their own.
    PopOut,
    /// Dark colours.
    ThemeDark,
    /// Light colours.
    ThemeLight,
    /// Colours that follow the operating system.
    ThemeSystem,
    /// Make everything larger.
    ZoomIn,
    /// Make everything smaller.
    ZoomOut,
    /// Back to 100 %.
    ZoomReset,
    /// j and k move in lists, as in vim.
    ToggleVimKeys,
}

const REFRESH_KEYS: &[KeyboardShortcut] = &[
    KeyboardShortcut::new(Modifiers::NONE, Key::F5),
    KeyboardShortcut::new(Modifiers::COMMAND, Key::R),
];
const UP_KEYS: &[KeyboardShortcut] = &[
    KeyboardShortcut::new(Modifiers::NONE, Key::Escape),
    KeyboardShortcut::new(Modifiers::NONE, Key::Backspace),
];
const FILTER_KEYS: &[KeyboardShortcut] = &[
    KeyboardShortcut::new(Modifiers::COMMAND, Key::F),
    KeyboardShortcut::new(Modifiers::NONE, Key::Slash),
];
const COPY_ARN_KEYS: &[KeyboardShortcut] = &[KeyboardShortcut::new(
    Modifiers::COMMAND.plus(Modifiers::SHIFT),
    Key::C,
)];
const CONSOLE_KEYS: &[KeyboardShortcut] = &[KeyboardShortcut::new(
    Modifiers::COMMAND.plus(Modifiers::SHIFT),
    Key::O,
)];
const LOG_GROUP_KEYS: &[KeyboardShortcut] = &[KeyboardShortcut::new(
    Modifiers::COMMAND.plus(Modifiers::SHIFT),
    Key::L,
)];
const PALETTE_KEYS: &[KeyboardShortcut] = &[
    KeyboardShortcut::new(Modifiers::COMMAND, Key::K),
    KeyboardShortcut::new(Modifiers::COMMAND, Key::P),
];
const SHORTCUTS_KEYS: &[KeyboardShortcut] =
    &[KeyboardShortcut::new(Modifiers::NONE, Key::Questionmark)];
const SETTINGS_KEYS: &[KeyboardShortcut] = &[KeyboardShortcut::new(Modifiers::COMMAND, Key::Comma)];
const POP_OUT_KEYS: &[KeyboardShortcut] = &[KeyboardShortcut::new(
    Modifiers::COMMAND.plus(Modifiers::SHIFT),
    Key::N,
)];
const ZOOM_IN_KEYS: &[KeyboardShortcut] = &[egui::gui_zoom::kb_shortcuts::ZOOM_IN];
const ZOOM_OUT_KEYS: &[KeyboardShortcut] = &[egui::gui_zoom::kb_shortcuts::ZOOM_OUT];
const ZOOM_RESET_KEYS: &[KeyboardShortcut] = &[egui::gui_zoom::kb_shortcuts::ZOOM_RESET];
const AUTO_REFRESH_KEYS: &[KeyboardShortcut] = &[KeyboardShortcut::new(
    Modifiers::COMMAND.plus(Modifiers::SHIFT),
    Key::R,
)];

impl UiCommand {
    /// Every command, in menu order (the order of the variants).
    pub fn all() -> impl Iterator<Item = Self> {
        <Self as strum::IntoEnumIterator>::iter()
    }

    /// Menu and palette label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Refresh => "Refresh",
            Self::GoUp => "Go up",
            Self::ToggleAutoRefresh => "Pause/resume auto-refresh",
            Self::FocusFilter => "Filter list",
            Self::CopyArn => "Copy ARN",
            Self::OpenInConsole => "Open in AWS console",
            Self::OpenJournal => "Action journal",
            Self::TailLogGroup => "Tail a log group…",
            Self::OpenPalette => "Go to anything…",
            Self::ShowShortcuts => "Keyboard shortcuts",
            Self::ThemeDark => "Theme: dark",
            Self::ThemeLight => "Theme: light",
            Self::ThemeSystem => "Theme: follow the system",
            Self::ZoomIn => "Zoom in",
            Self::ZoomOut => "Zoom out",
            Self::ZoomReset => "Reset zoom",
            Self::ToggleVimKeys => "Vim keys (j/k) on/off",
            Self::OpenSettings => "Settings",
            Self::PopOut => "Open in a new window",
        }
    }

    /// Keyboard shortcuts, the first one shown in menus and tooltips.
    pub fn shortcuts(self) -> &'static [KeyboardShortcut] {
        match self {
            Self::Refresh => REFRESH_KEYS,
            Self::GoUp => UP_KEYS,
            Self::ToggleAutoRefresh => AUTO_REFRESH_KEYS,
            Self::FocusFilter => FILTER_KEYS,
            Self::CopyArn => COPY_ARN_KEYS,
            Self::OpenInConsole => CONSOLE_KEYS,
            Self::OpenJournal => &[],
            Self::TailLogGroup => LOG_GROUP_KEYS,
            Self::OpenPalette => PALETTE_KEYS,
            Self::ShowShortcuts => SHORTCUTS_KEYS,
            Self::OpenSettings => SETTINGS_KEYS,
            Self::PopOut => POP_OUT_KEYS,
            Self::ZoomIn => ZOOM_IN_KEYS,
            Self::ZoomOut => ZOOM_OUT_KEYS,
            Self::ZoomReset => ZOOM_RESET_KEYS,
            Self::ThemeDark | Self::ThemeLight | Self::ThemeSystem | Self::ToggleVimKeys => &[],
        }
    }

    /// Whether plain keys (no modifier) of this command must not fire while typing.
    pub fn yields_to_text_input(self) -> bool {
        matches!(self, Self::GoUp | Self::FocusFilter | Self::ShowShortcuts)
    }

    /// Whether egui itself acts on this command's keys (zoom): they are shown, not matched.
    pub fn keys_handled_by_egui(self) -> bool {
        matches!(self, Self::ZoomIn | Self::ZoomOut | Self::ZoomReset)
    }

    /// Most modifiers among this command's shortcuts.
    pub fn modifier_count(self) -> u32 {
        self.shortcuts()
            .iter()
            .map(|s| {
                let m = s.modifiers;
                u32::from(m.alt)
                    + u32::from(m.ctrl)
                    + u32::from(m.shift)
                    + u32::from(m.mac_cmd)
                    + u32::from(m.command)
            })
            .max()
            .unwrap_or(0)
    }

    /// `Label (Ctrl+R)`, for tooltips.
    pub fn tooltip(self, ctx: &egui::Context) -> String {
        match self.shortcuts().first() {
            Some(shortcut) => format!("{} ({})", self.label(), key_text(ctx, shortcut)),
            None => self.label().to_owned(),
        }
    }
}

/// A shortcut as menus and the help show it: `Ctrl+Shift+L`, `?`, `Ctrl+/` (egui's own
/// formatting spells out symbol keys: `Questionmark`).
pub fn key_text(ctx: &egui::Context, shortcut: &KeyboardShortcut) -> String {
    let mac = ctx.os().is_mac();
    let names = if mac {
        egui::ModifierNames::SYMBOLS
    } else {
        egui::ModifierNames {
            is_short: true,
            ..egui::ModifierNames::NAMES
        }
    };
    shortcut.format(&names, mac)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_has_its_own_label_and_no_two_share_a_shortcut() {
        let commands: Vec<UiCommand> = UiCommand::all().collect();
        assert!(commands.len() >= 19, "{commands:?}");
        for (i, a) in commands.iter().enumerate() {
            assert!(!a.label().is_empty(), "{a:?}");
            for b in &commands[i + 1..] {
                assert_ne!(a.label(), b.label(), "{a:?} and {b:?}");
                for key in a.shortcuts() {
                    assert!(
                        !b.shortcuts().contains(key),
                        "{a:?} and {b:?} share {key:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_menu_starts_with_the_palette_and_ends_with_vim_keys() {
        assert_eq!(UiCommand::all().next(), Some(UiCommand::OpenPalette));
        assert_eq!(UiCommand::all().last(), Some(UiCommand::ToggleVimKeys));
    }
}
