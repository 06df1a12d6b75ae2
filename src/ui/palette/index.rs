//! The command palette's index: every command and every resource loaded so far (clusters,
//! services, task-definition families, log groups), searched fuzzily with nucleo's matcher,
//! recently used first.

pub(crate) mod entries;
#[cfg(test)]
pub(crate) mod tests;

use crate::model::{Model, Route};
use crate::ui::shell::command::UiCommand;
use nucleo_matcher::pattern::Atom;
use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32String};
use std::collections::HashMap;

pub use entries::{Fingerprint, fingerprint};

/// Most entries remembered as recently used.
pub const RECENT_MAX: usize = 30;
/// Score added to a recently used entry that matches: the most recent gets all of it, the
/// oldest one `RECENT_BONUS - RECENT_MAX + 1`. A matched character scores about 16, so a
/// recent entry wins among similar matches but not over a much better one.
const RECENT_BONUS: u32 = 48;

/// What an entry is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EntryKind {
    /// An app command (refresh, copy ARN…).
    Command,
    /// A top-level screen.
    Screen,
    /// An ECS cluster.
    Cluster,
    /// An ECS service.
    Service,
    /// A task-definition family.
    Family,
    /// A CloudWatch log group named by a task definition.
    LogGroup,
    /// A saved fleet.
    Fleet,
}

impl EntryKind {
    /// The tag shown before the entry.
    pub fn label(self) -> &'static str {
        match self {
            Self::Command => "command",
            Self::Screen => "screen",
            Self::Cluster => "cluster",
            Self::Service => "service",
            Self::Family => "family",
            Self::LogGroup => "log group",
            Self::Fleet => "fleet",
        }
    }
}

/// What choosing an entry does.
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    /// Runs a command.
    Command(UiCommand),
    /// Goes to a screen.
    Navigate(Route),
    /// Does what the action says (open a fleet).
    Act(crate::model::Action),
}

/// One thing the palette can find.
#[derive(Clone, Debug)]
pub struct Entry {
    /// Stable identity, kept in the recent list (`service:arn…`).
    pub key: String,
    /// What it is.
    pub kind: EntryKind,
    /// Its name.
    pub label: String,
    /// Where it is (cluster of a service, counts of a cluster), also searched.
    pub context: String,
    /// What choosing it does.
    pub target: Target,
    /// The label and context as the matcher reads them (converted once).
    label_chars: Utf32String,
    context_chars: Utf32String,
    /// Which characters each holds ([`char_mask`]): a word with a character missing there
    /// cannot match, and is not handed to the matcher.
    label_mask: u64,
    context_mask: u64,
}

impl Entry {
    /// An entry; `context` is shown after the label and searched with it.
    pub fn new(
        key: String,
        kind: EntryKind,
        label: String,
        context: String,
        target: Target,
    ) -> Self {
        Self {
            key,
            kind,
            label_chars: Utf32String::from(label.as_str()),
            context_chars: Utf32String::from(context.as_str()),
            label_mask: char_mask(label.chars()),
            context_mask: char_mask(context.chars()),
            label,
            context,
            target,
        }
    }
}

/// One search result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    /// Index of the entry.
    pub entry: usize,
    /// Match score, recent bonus included (higher is better).
    pub score: u32,
    /// Character positions of the label that matched, ascending (for highlighting).
    pub label_chars: Vec<u32>,
}

/// Everything the palette searches, and the matcher's reusable state.
pub struct Index {
    entries: Vec<Entry>,
    matcher: Matcher,
    /// The last query; `candidates` holds every entry it matched: a query typed on from it
    /// can only match some of those, so the next keystroke scans just them.
    last: Option<String>,
    candidates: Vec<usize>,
    /// Scores of one search, kept between searches: allocated (and touched) once, so a
    /// keystroke does not fault in fresh pages.
    scored: Vec<(u32, usize)>,
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index")
            .field("entries", &self.entries.len())
            .finish()
    }
}

impl Index {
    /// An index over `entries`.
    pub fn new(entries: Vec<Entry>) -> Self {
        let count = entries.len();
        let mut scored = vec![(0, 0); count];
        scored.clear();
        Self {
            entries,
            matcher: Matcher::new(Config::DEFAULT),
            last: None,
            candidates: (0..count).collect(),
            scored,
        }
    }

    /// Commands, screens and what `model` has loaded.
    pub fn from_model(model: &Model) -> Self {
        Self::new(crate::ui::palette::index::entries::from_model(model))
    }

    /// All entries.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The best `limit` entries for `query`; `recent` holds entry keys, most recent first.
    /// An empty query lists the recent entries, then commands and screens.
    pub fn search(&mut self, query: &str, recent: &[String], limit: usize) -> Vec<Hit> {
        let recent_rank: HashMap<&str, usize> = recent
            .iter()
            .take(RECENT_MAX)
            .enumerate()
            .map(|(rank, key)| (key.as_str(), rank))
            .collect();
        let bonus = |entry: &Entry| {
            recent_rank
                .get(entry.key.as_str())
                .map_or(0, |rank| RECENT_BONUS - *rank as u32)
        };
        let pattern = Pattern::parse(query, CaseMatching::Smart, Normalization::Never);
        if pattern.atoms.is_empty() {
            return self.browse(&recent_rank, limit);
        }
        if !self
            .last
            .as_deref()
            .is_some_and(|last| narrows(last, query))
        {
            self.candidates.clear();
            self.candidates.extend(0..self.entries.len());
        }
        let atoms: Vec<(Atom, u64)> = pattern
            .atoms
            .iter()
            .map(|a| (a.clone(), char_mask(a.needle_text().chars())))
            .collect();
        let Self {
            entries,
            matcher,
            candidates,
            scored,
            ..
        } = self;
        scored.clear();
        scored.extend(candidates.iter().filter_map(|i| {
            let entry = &entries[*i];
            let score = score(&atoms, entry, matcher)?;
            Some((score + bonus(entry), *i))
        }));
        // `scored` is in candidate order, which is ascending.
        candidates.clear();
        candidates.extend(scored.iter().map(|(_, i)| *i));
        self.last = Some(query.to_owned());
        let scored = &mut self.scored;
        let entries = &self.entries;
        let order = |a: &(u32, usize), b: &(u32, usize)| {
            let (ea, eb) = (&entries[a.1], &entries[b.1]);
            b.0.cmp(&a.0)
                .then(ea.label.len().cmp(&eb.label.len()))
                .then(ea.kind.cmp(&eb.kind))
                .then(a.1.cmp(&b.1))
        };
        if scored.len() > limit {
            scored.select_nth_unstable_by(limit, order);
        }
        let shown = limit.min(scored.len());
        let top = &mut scored[..shown];
        top.sort_unstable_by(order);
        top.iter()
            .map(|&(score, i)| Hit {
                entry: i,
                score,
                label_chars: label_indices(&pattern.atoms, &self.entries[i], &mut self.matcher),
            })
            .collect()
    }

    /// No query: recent entries in order, then commands and screens.
    fn browse(&self, recent_rank: &HashMap<&str, usize>, limit: usize) -> Vec<Hit> {
        let mut recent: Vec<(usize, usize)> = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| recent_rank.get(e.key.as_str()).map(|rank| (*rank, i)))
            .collect();
        recent.sort_unstable();
        let rest = self.entries.iter().enumerate().filter(|(_, e)| {
            matches!(e.kind, EntryKind::Command | EntryKind::Screen)
                && !recent_rank.contains_key(e.key.as_str())
        });
        recent
            .into_iter()
            .map(|(_, i)| i)
            .chain(rest.map(|(i, _)| i))
            .take(limit)
            .map(|entry| Hit {
                entry,
                score: 0,
                label_chars: Vec::new(),
            })
            .collect()
    }
}

/// Whether everything `query` matches is among what `last` matched: it is `last` typed on,
/// and neither uses syntax that can widen a match (`!word`, `^`, `$`, `'`, `\`).
fn narrows(last: &str, query: &str) -> bool {
    let plain = |q: &str| !q.contains(['!', '^', '$', '\'', '\\']);
    query.starts_with(last) && plain(last) && plain(query)
}

/// A bit per character, case folded: letters and digits their own, anything else shares.
fn char_mask(chars: impl Iterator<Item = char>) -> u64 {
    chars.fold(0, |mask, c| {
        let bit = match c.to_ascii_lowercase() {
            c @ 'a'..='z' => c as u32 - 'a' as u32,
            c @ '0'..='9' => 26 + c as u32 - '0' as u32,
            c => 36 + (c as u32 % 28),
        };
        mask | 1 << bit
    })
}

/// A one-word query matches labels; with several words, each must match the label or,
/// failing that, the context (so a cluster name narrows services).
fn score(atoms: &[(Atom, u64)], entry: &Entry, matcher: &mut Matcher) -> Option<u32> {
    // One word names the thing itself; with more, a word may name where it is.
    let with_context = atoms.len() > 1;
    let mut total = 0;
    for (atom, mask) in atoms {
        let may = |field: u64| atom.negative || mask & !field == 0;
        let label = if may(entry.label_mask) {
            atom.score(entry.label_chars.slice(..), matcher)
        } else {
            None
        };
        let mut context = || {
            if with_context && may(entry.context_mask) {
                atom.score(entry.context_chars.slice(..), matcher)
            } else {
                None
            }
        };
        total += u32::from(if atom.negative {
            // `!word`: neither may match.
            label.and_then(|_| context())?
        } else {
            label.or_else(context)?
        });
    }
    Some(total)
}

/// Positions in the label of the characters the query matched there, ascending.
fn label_indices(atoms: &[Atom], entry: &Entry, matcher: &mut Matcher) -> Vec<u32> {
    let mut indices = Vec::new();
    for atom in atoms.iter().filter(|a| !a.negative) {
        atom.indices(entry.label_chars.slice(..), matcher, &mut indices);
    }
    indices.sort_unstable();
    indices.dedup();
    indices
}

/// The palette key of the resource `route` shows, if it is one the palette lists (so that
/// visiting a service by any way puts it among the recent ones).
pub fn route_key(route: &Route) -> Option<String> {
    match route {
        Route::Cluster { cluster, .. } => Some(format!("cluster:{cluster}")),
        Route::Service { service, .. } => Some(format!("service:{service}")),
        Route::Family { family } => Some(format!("family:{family}")),
        Route::Logs(crate::model::logs::tail::TailTarget::Group {
            group,
            prefix: None,
        }) => Some(format!("group:{group}")),
        _ => None,
    }
}

/// Puts `key` first in `recent`, keeping at most [`RECENT_MAX`].
pub fn remember(recent: &mut Vec<String>, key: &str) {
    recent.retain(|k| k != key);
    recent.insert(0, key.to_owned());
    recent.truncate(RECENT_MAX);
}
