//! Settings → Fleets: the saved fleets edited as a draft (names, regions typed as lists,
//! profiles chosen from the AWS config), saved together once they are valid.

use crate::model::fleet::{FleetDef, FleetMember};
use crate::model::{Action, Model};
use egui::{RichText, Ui};

/// A fleet being edited: region lists as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FleetDraft {
    /// Name.
    pub name: String,
    /// The fleet's regions, comma- or space-separated.
    pub regions: String,
    /// Profiles (`None`: the default chain) and their own regions as typed.
    pub members: Vec<(Option<String>, String)>,
}

impl FleetDraft {
    fn of(def: &FleetDef) -> Self {
        Self {
            name: def.name.clone(),
            regions: def.regions.join(", "),
            members: def
                .members
                .iter()
                .map(|m| (m.profile.clone(), m.regions.join(", ")))
                .collect(),
        }
    }

    fn def(&self) -> FleetDef {
        FleetDef {
            name: self.name.trim().to_owned(),
            regions: split_regions(&self.regions),
            members: self
                .members
                .iter()
                .map(|(profile, regions)| FleetMember {
                    profile: profile.clone(),
                    regions: split_regions(regions),
                })
                .collect(),
        }
    }
}

/// `us-east-1, eu-west-1` → the regions.
fn split_regions(text: &str) -> Vec<String> {
    text.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|r| !r.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Why `fleets` cannot be saved, if so.
pub fn invalid(fleets: &[FleetDef]) -> Option<String> {
    for (index, fleet) in fleets.iter().enumerate() {
        if fleet.name.is_empty() {
            return Some(format!("fleet {} has no name", index + 1));
        }
        if fleets[..index].iter().any(|f| f.name == fleet.name) {
            return Some(format!("two fleets are named {}", fleet.name));
        }
        let well_formed = |r: &String| {
            r.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && r.contains('-')
        };
        let all_regions = fleet
            .regions
            .iter()
            .chain(fleet.members.iter().flat_map(|m| &m.regions));
        if let Some(bad) = all_regions.clone().find(|r| !well_formed(r)) {
            return Some(format!(
                "{}: {bad} is not a region name (like eu-west-1)",
                fleet.name
            ));
        }
        if fleet.pairs(None).is_empty() {
            return Some(format!("{}: add a profile and a region", fleet.name));
        }
    }
    None
}

/// The editor's draft (None: the saved fleets, untouched).
#[derive(Debug, Default)]
pub struct FleetsForm {
    /// The fleets as edited.
    pub draft: Option<Vec<FleetDraft>>,
}

/// The Fleets section of Settings.
pub fn fleets_settings_ui(
    model: &Model,
    form: &mut FleetsForm,
    ui: &mut Ui,
    actions: &mut Vec<Action>,
) {
    ui.weak("A fleet is profiles × regions shown together on the Fleet screen (and by ecsdeck fleet --fleet NAME).");
    let profiles: Vec<String> = model
        .profiles
        .value()
        .map(|list| list.iter().map(|p| p.name.clone()).collect())
        .unwrap_or_default();
    let drafts = form
        .draft
        .get_or_insert_with(|| model.fleets.iter().map(FleetDraft::of).collect());
    let mut remove = None;
    for (index, draft) in drafts.iter_mut().enumerate() {
        ui.push_id(("fleet", index), |ui| {
            if fleet_ui(draft, &profiles, ui) {
                remove = Some(index);
            }
        });
        ui.add_space(6.0);
    }
    if let Some(index) = remove {
        drafts.remove(index);
    }
    let edited: Vec<FleetDef> = drafts.iter().map(FleetDraft::def).collect();
    let problem = invalid(&edited);
    let changed = edited != model.fleets;
    let (mut add, mut save, mut discard) = (false, false, false);
    ui.horizontal(|ui| {
        add = ui.button("+ New fleet").clicked();
        save = ui
            .add_enabled(
                changed && problem.is_none(),
                egui::Button::new("Save fleets"),
            )
            .clicked();
        discard = changed && ui.button("Discard changes").clicked();
    });
    if add {
        drafts.push(FleetDraft {
            name: format!("Fleet {}", drafts.len() + 1),
            regions: model.connection.region.clone(),
            members: vec![(model.connection.profile.clone(), String::new())],
        });
    }
    if save {
        actions.push(Action::SetFleets(edited));
    }
    if save || discard {
        form.draft = None;
    }
    if let Some(problem) = problem {
        ui.label(RichText::new(problem).color(ui.visuals().warn_fg_color));
    }
}

/// One fleet's fields; true when the user asked to remove it.
fn fleet_ui(draft: &mut FleetDraft, profiles: &[String], ui: &mut Ui) -> bool {
    let mut remove_fleet = false;
    ui.horizontal(|ui| {
        let label = ui.label("Fleet name").id;
        ui.add(egui::TextEdit::singleline(&mut draft.name).desired_width(160.0))
            .labelled_by(label);
        let label = ui.label("Regions").id;
        ui.add(
            egui::TextEdit::singleline(&mut draft.regions)
                .hint_text("us-east-1, eu-west-1")
                .desired_width(260.0),
        )
        .labelled_by(label);
        remove_fleet = ui.button("Remove fleet").clicked();
    });
    let mut remove = None;
    for (index, (profile, regions)) in draft.members.iter_mut().enumerate() {
        ui.horizontal(|ui| {
            ui.add_space(24.0);
            let label = ui.label("Profile").id;
            let shown = profile
                .clone()
                .unwrap_or_else(|| "default chain".to_owned());
            egui::ComboBox::from_id_salt(("member-profile", index))
                .selected_text(shown)
                .show_ui(ui, |ui| {
                    ui.selectable_value(profile, None, "default chain");
                    for name in profiles {
                        ui.selectable_value(profile, Some(name.clone()), name);
                    }
                })
                .response
                .labelled_by(label);
            let label = ui.label("Own regions").id;
            ui.add(
                egui::TextEdit::singleline(regions)
                    .hint_text("empty: the fleet's")
                    .desired_width(220.0),
            )
            .labelled_by(label);
            if ui.button("Remove").clicked() {
                remove = Some(index);
            }
        });
    }
    if let Some(index) = remove {
        draft.members.remove(index);
    }
    ui.horizontal(|ui| {
        ui.add_space(24.0);
        if ui.button("+ Add profile").clicked() {
            draft.members.push((None, String::new()));
        }
    });
    remove_fleet
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_becomes_a_fleet_and_bad_ones_say_why() {
        let draft = FleetDraft {
            name: " all ".into(),
            regions: "us-east-1, eu-west-1  ap-south-1".into(),
            members: vec![
                (Some("prod".into()), String::new()),
                (None, "eu-west-1".into()),
            ],
        };
        let fleet = draft.def();
        assert_eq!(fleet.name, "all");
        assert_eq!(fleet.regions, ["us-east-1", "eu-west-1", "ap-south-1"]);
        assert_eq!(fleet.members[1].regions, ["eu-west-1"]);
        assert_eq!(FleetDraft::of(&fleet).def(), fleet);
        assert_eq!(invalid(std::slice::from_ref(&fleet)), None);
        let twice = [fleet.clone(), fleet.clone()];
        assert_eq!(invalid(&twice).as_deref(), Some("two fleets are named all"));
        let mut bad = fleet.clone();
        bad.regions = vec!["Frankfurt".into()];
        assert!(
            invalid(&[bad])
                .unwrap()
                .contains("Frankfurt is not a region")
        );
        let mut empty = fleet;
        empty.members.clear();
        assert_eq!(
            invalid(&[empty]).as_deref(),
            Some("all: add a profile and a region")
        );
    }
}
