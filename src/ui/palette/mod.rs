//! The command palette (Ctrl/Cmd+K or Ctrl/Cmd+P): type a few letters of any command or
//! loaded resource, move with the arrows, Enter to go there.

pub mod index;

use super::shell::command::UiCommand;
use super::widgets::icons::ResourceIcon;
use crate::model::{Action, Model};
use egui::text::{LayoutJob, TextFormat};
use egui::{Key, Modifiers, RichText, Ui};
use index::{EntryKind, Fingerprint, Hit, Index, Target};

/// Results kept per search (the list scrolls).
const RESULTS_MAX: usize = 50;
/// Height of the result list.
const LIST_HEIGHT: f32 = 360.0;
/// Width of the palette.
const WIDTH: f32 = 620.0;

/// The palette's state while open, and the recent list.
#[derive(Debug, Default)]
pub struct PaletteView {
    /// Shown.
    pub open: bool,
    /// What was typed.
    pub query: String,
    /// Entry keys, most recently chosen first (kept in the settings).
    pub recent: Vec<String>,
    selected: usize,
    index: Option<(Fingerprint, Index)>,
    hits: Vec<Hit>,
    /// The query the hits are for.
    searched: Option<String>,
}

impl PaletteView {
    /// Opens the palette with an empty query.
    pub fn open(&mut self) {
        self.open = true;
        self.query.clear();
        self.selected = 0;
        self.searched = None;
    }
}

/// The palette, when open: what is chosen becomes an action or a command.
pub fn palette_ui(
    model: &Model,
    view: &mut PaletteView,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
    commands: &mut Vec<UiCommand>,
) {
    if !view.open {
        return;
    }
    let fingerprint = crate::ui::palette::index::fingerprint(model);
    if view.index.as_ref().is_none_or(|(f, _)| *f != fingerprint) {
        view.index = Some((fingerprint, Index::from_model(model)));
        view.searched = None;
    }
    // Arrows move the choice, not the text cursor.
    let keys = ui.input_mut(|i| {
        (
            i.consume_key(Modifiers::NONE, Key::ArrowDown),
            i.consume_key(Modifiers::NONE, Key::ArrowUp),
            i.key_pressed(Key::Enter),
        )
    });
    let mut chosen = None;
    let id = egui::Id::unique("command-palette");
    let area = egui::Modal::default_area(id).anchor(egui::Align2::CENTER_TOP, [0.0, 72.0]);
    let modal = egui::Modal::new(id)
        .area(area)
        .show(ui.ctx(), |ui| palette_body_ui(view, keys, &mut chosen, ui));
    if let Some(i) = chosen
        && let (Some(hit), Some((_, index))) = (view.hits.get(i), view.index.as_ref())
    {
        let entry = &index.entries()[hit.entry];
        crate::ui::palette::index::remember(&mut view.recent, &entry.key);
        match &entry.target {
            Target::Command(command) => commands.push(*command),
            Target::Navigate(route) => actions.push(Action::Navigate(route.clone())),
            Target::Act(action) => actions.push(action.clone()),
        }
        view.open = false;
    } else if modal.should_close() {
        view.open = false;
    }
}

/// The query box, the hits (moved through with `keys`: down, up, enter) and the key help;
/// `chosen` is set to the hit picked.
fn palette_body_ui(
    view: &mut PaletteView,
    (down, up, enter): (bool, bool, bool),
    chosen: &mut Option<usize>,
    ui: &mut Ui,
) {
    ui.set_width(WIDTH);
    let input = ui
        .horizontal(|ui| {
            let label = ui.strong("Go to").id;
            ui.add(
                egui::TextEdit::singleline(&mut view.query)
                    .id_salt("palette-query")
                    .desired_width(f32::INFINITY)
                    .hint_text("a service, cluster, family, log group or command…"),
            )
            .labelled_by(label)
        })
        .inner;
    if !input.has_focus() {
        input.request_focus();
    }
    let Some((_, index)) = view.index.as_mut() else {
        return;
    };
    if view.searched.as_deref() != Some(view.query.as_str()) {
        view.hits = index.search(&view.query, &view.recent, RESULTS_MAX);
        view.searched = Some(view.query.clone());
        view.selected = 0;
    }
    let last = view.hits.len().saturating_sub(1);
    if down {
        view.selected = (view.selected + 1).min(last);
    }
    if up {
        view.selected = view.selected.saturating_sub(1);
    }
    if enter && !view.hits.is_empty() {
        *chosen = Some(view.selected.min(last));
    }
    ui.add_space(4.0);
    if view.hits.is_empty() {
        ui.weak(format!(
            "Nothing matches “{}”. Only what has been loaded is searched: open a cluster \
             to find its services.",
            view.query.trim()
        ));
        return;
    }
    egui::ScrollArea::vertical()
        .max_height(LIST_HEIGHT)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            for (i, hit) in view.hits.iter().enumerate() {
                let response = hit_ui(ui, index, hit, i == view.selected);
                if response.clicked() {
                    *chosen = Some(i);
                }
                if i == view.selected && (up || down) {
                    response.scroll_to_me(None);
                }
            }
        });
    ui.add_space(2.0);
    ui.label(
        RichText::new("↑↓ choose · Enter go · Esc close · words match names or places")
            .weak()
            .small(),
    );
}

/// One result: the name with its matched letters marked, where it is, and what it is (or
/// a command's shortcut).
fn hit_ui(ui: &mut Ui, index: &Index, hit: &Hit, selected: bool) -> egui::Response {
    let entry = &index.entries()[hit.entry];
    let style = ui.style();
    let font = egui::TextStyle::Body.resolve(style);
    let normal = style.visuals.text_color();
    let strong = style.visuals.strong_text_color();
    let mut label = LayoutJob::default();
    let chars: Vec<char> = entry.label.chars().collect();
    let marked = |i: usize| hit.label_chars.binary_search(&(i as u32)).is_ok();
    let mut start = 0;
    while start < chars.len() {
        let on = marked(start);
        let end = (start + 1..chars.len())
            .find(|i| marked(*i) != on)
            .unwrap_or(chars.len());
        let text: String = chars[start..end].iter().collect();
        let mut format = TextFormat::simple(font.clone(), if on { strong } else { normal });
        if on {
            format.underline = egui::Stroke::new(1.0, strong);
        }
        label.append(&text, 0.0, format);
        start = end;
    }
    let right = match (entry.kind, &entry.target) {
        (EntryKind::Command, Target::Command(command)) => command
            .shortcuts()
            .first()
            .map(|s| crate::ui::shell::command::key_text(ui.ctx(), s))
            .unwrap_or_else(|| entry.kind.label().to_owned()),
        _ => entry.kind.label().to_owned(),
    };
    let icon = match entry.kind {
        EntryKind::Cluster => Some(ResourceIcon::Cluster),
        EntryKind::Service => Some(ResourceIcon::Service),
        EntryKind::Family => Some(ResourceIcon::Revision),
        EntryKind::LogGroup => Some(ResourceIcon::Log),
        EntryKind::Command | EntryKind::Screen | EntryKind::Fleet => None,
    };
    // Every row keeps the icon's column, so names line up.
    let icon = match icon {
        Some(icon) => crate::ui::widgets::icons::atom(icon),
        None => crate::ui::widgets::icons::blank_atom(),
    };
    let button = if entry.context.is_empty() {
        egui::Button::selectable(selected, (icon, label))
    } else {
        let context = RichText::new(entry.context.as_str()).weak();
        egui::Button::selectable(selected, (icon, label, context))
    };
    ui.add(
        button
            .right_text(RichText::new(right).weak())
            .min_size(egui::vec2(ui.available_width(), 0.0)),
    )
}
