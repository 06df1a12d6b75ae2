//! Searching a fleet: words that must all match a row. A bare word matches the service,
//! cluster, task-definition family, an image, launch type or capacity provider, account,
//! region or profile; `service:`, `cluster:`, `family:`, `image:`, `launch:` (launch type or
//! capacity provider), `account:`, `region:` and `profile:` ask one of them.

use super::FleetService;
use super::image_ref::image_matches;
use super::load::PairState;

/// Which field a search word asks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    Any,
    Service,
    Cluster,
    Family,
    Image,
    Launch,
    Account,
    Region,
    Profile,
}

/// A parsed search.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FleetQuery {
    words: Vec<(Field, String)>,
}

impl FleetQuery {
    /// Parses what the user typed.
    pub fn parse(text: &str) -> Self {
        const PREFIXES: [(&str, Field); 8] = [
            ("service:", Field::Service),
            ("cluster:", Field::Cluster),
            ("family:", Field::Family),
            ("image:", Field::Image),
            ("launch:", Field::Launch),
            ("account:", Field::Account),
            ("region:", Field::Region),
            ("profile:", Field::Profile),
        ];
        let words = text
            .split_whitespace()
            .map(|word| {
                let lower = word.to_lowercase();
                PREFIXES
                    .iter()
                    .find(|(prefix, _)| lower.starts_with(prefix))
                    .map_or((Field::Any, word.to_owned()), |(p, f)| {
                        (*f, word[p.len()..].to_owned())
                    })
            })
            .filter(|(_, w)| !w.is_empty())
            .collect();
        Self { words }
    }

    /// Whether nothing is asked.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Whether `service` of `pair` matches every word.
    pub fn matches(&self, pair: &PairState, service: &FleetService) -> bool {
        self.words
            .iter()
            .all(|(field, word)| matches_word(*field, word, pair, service))
    }

    /// Whether the search asks for an image (the CLI then waits for images).
    pub fn asks_images(&self) -> bool {
        self.words
            .iter()
            .any(|(f, _)| matches!(f, Field::Image | Field::Any))
    }
}

fn contains(haystack: &str, needle: &str) -> bool {
    haystack.to_lowercase().contains(&needle.to_lowercase())
}

fn matches_word(field: Field, word: &str, pair: &PairState, service: &FleetService) -> bool {
    let images = || {
        pair.images
            .get(&service.task_definition)
            .is_some_and(|images| images.iter().any(|i| image_matches(i, word)))
    };
    let launch = || {
        service
            .launch_type
            .as_deref()
            .is_some_and(|l| contains(l, word))
            || service.capacity_providers.iter().any(|p| contains(p, word))
    };
    let profile = pair.connection.profile.as_deref().unwrap_or("default");
    match field {
        Field::Service => contains(&service.name, word),
        Field::Cluster => contains(service.cluster_name(), word),
        Field::Family => contains(service.family(), word),
        Field::Image => images(),
        Field::Launch => launch(),
        Field::Account => pair.account().is_some_and(|a| a.contains(word)),
        Field::Region => contains(&pair.connection.region, word),
        Field::Profile => contains(profile, word),
        Field::Any => {
            contains(&service.name, word)
                || contains(service.cluster_name(), word)
                || contains(service.family(), word)
                || images()
                || launch()
                || pair.account().is_some_and(|a| a.contains(word))
                || contains(&pair.connection.region, word)
                || contains(profile, word)
        }
    }
}
