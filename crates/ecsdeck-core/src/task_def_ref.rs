//! Task-definition references as the command line takes them: `FAMILY` (its newest ACTIVE
//! revision), `FAMILY:REV`, or a full ARN. Checked before any call, so a typo gets a clear
//! message instead of an AWS error.

use std::fmt;
use std::str::FromStr;

/// Longest family name ECS accepts.
pub const FAMILY_MAX_CHARS: usize = 255;

/// A parsed reference.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TaskDefRef {
    /// `web`: the family's newest ACTIVE revision.
    Family(String),
    /// `web:42`.
    Revision {
        /// Family name.
        family: String,
        /// Revision number, from 1.
        revision: u32,
    },
    /// `arn:aws:ecs:us-east-1:123456789012:task-definition/web:42`.
    Arn {
        /// `aws`, `aws-cn`, `aws-us-gov`, …
        partition: String,
        /// Region, e.g. `eu-west-1`.
        region: String,
        /// Twelve-digit account id.
        account: String,
        /// Family name.
        family: String,
        /// Revision number, from 1.
        revision: u32,
    },
}

/// Why a reference was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RefError {
    /// Nothing was given.
    #[error("the reference is empty: give FAMILY, FAMILY:REVISION or a task-definition ARN")]
    Empty,
    /// The family name has characters or a length ECS does not allow.
    #[error("\"{0}\" is not a family name: up to 255 letters, digits, hyphens and underscores")]
    Family(String),
    /// The revision is not a whole number from 1.
    #[error("\"{0}\" is not a revision: a whole number from 1")]
    Revision(String),
    /// An ARN of the wrong shape or service.
    #[error(
        "not a task-definition ARN ({0}): expected arn:PARTITION:ecs:REGION:ACCOUNT:task-definition/FAMILY:REVISION"
    )]
    Arn(&'static str),
}

impl TaskDefRef {
    /// Parses `text`; surrounding whitespace (from a paste) is ignored.
    pub fn parse(text: &str) -> Result<Self, RefError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(RefError::Empty);
        }
        if let Some(rest) = text.strip_prefix("arn:") {
            return parse_arn(rest);
        }
        match text.split_once(':') {
            None => Ok(Self::Family(family(text)?)),
            Some((name, revision_text)) => Ok(Self::Revision {
                family: family(name)?,
                revision: revision(revision_text)?,
            }),
        }
    }

    /// The family named.
    pub fn family(&self) -> &str {
        match self {
            Self::Family(family) | Self::Revision { family, .. } | Self::Arn { family, .. } => {
                family
            }
        }
    }

    /// The revision named, if one is.
    pub fn revision(&self) -> Option<u32> {
        match self {
            Self::Family(_) => None,
            Self::Revision { revision, .. } | Self::Arn { revision, .. } => Some(*revision),
        }
    }
}

impl fmt::Display for TaskDefRef {
    /// The form DescribeTaskDefinition takes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Family(family) => f.write_str(family),
            Self::Revision { family, revision } => write!(f, "{family}:{revision}"),
            Self::Arn {
                partition,
                region,
                account,
                family,
                revision,
            } => write!(
                f,
                "arn:{partition}:ecs:{region}:{account}:task-definition/{family}:{revision}"
            ),
        }
    }
}

impl FromStr for TaskDefRef {
    type Err = RefError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

fn family(name: &str) -> Result<String, RefError> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    if name.is_empty() || name.len() > FAMILY_MAX_CHARS || !name.chars().all(allowed) {
        return Err(RefError::Family(shorten(name)));
    }
    Ok(name.to_owned())
}

fn revision(text: &str) -> Result<u32, RefError> {
    // `parse` alone would take "+3"; ECS wants digits.
    let number = text
        .bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| text.parse::<u32>().ok())
        .flatten();
    match number {
        Some(n) if n >= 1 => Ok(n),
        _ => Err(RefError::Revision(shorten(text))),
    }
}

/// `rest` is what follows `arn:`.
fn parse_arn(rest: &str) -> Result<TaskDefRef, RefError> {
    let mut parts = rest.splitn(5, ':');
    let (Some(partition), Some(service), Some(region), Some(account), Some(resource)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return Err(RefError::Arn("too few parts"));
    };
    let lower = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    if !partition.starts_with("aws") || !lower(partition) {
        return Err(RefError::Arn("unknown partition"));
    }
    if service != "ecs" {
        return Err(RefError::Arn("not an ECS ARN"));
    }
    if !lower(region) {
        return Err(RefError::Arn("no region"));
    }
    if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
        return Err(RefError::Arn("the account is not 12 digits"));
    }
    let Some(family_revision) = resource.strip_prefix("task-definition/") else {
        return Err(RefError::Arn("not a task definition"));
    };
    let Some((name, revision_text)) = family_revision.split_once(':') else {
        return Err(RefError::Arn("no revision"));
    };
    Ok(TaskDefRef::Arn {
        partition: partition.to_owned(),
        region: region.to_owned(),
        account: account.to_owned(),
        family: family(name)?,
        revision: revision(revision_text)?,
    })
}

/// At most 60 characters of `text` for a message (a pasted file should not fill the screen).
fn shorten(text: &str) -> String {
    match text.char_indices().nth(60) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests;
