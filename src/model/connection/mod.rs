//! Where the app connects: profiles, regions, and credentials masked in what is shown
//! or written.

pub mod profiles;
pub mod redact;
pub mod regions;

use serde::{Deserialize, Serialize};

/// Profile, region and endpoint: everything that selects which AWS we talk to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct Connection {
    /// Named profile; None means the default credential chain.
    pub profile: Option<String>,
    /// Region code, e.g. `us-east-1`.
    pub region: String,
    /// Endpoint override (LocalStack, moto); None means AWS.
    pub endpoint_url: Option<String>,
}

impl Connection {
    /// The same connection with any `user:password@` taken out of the endpoint (for what is
    /// stored or compared with stored pins).
    pub fn without_secrets(&self) -> Self {
        Self {
            endpoint_url: self.endpoint_url.as_deref().map(without_userinfo),
            ..self.clone()
        }
    }

    /// Where the data comes from, for the status bar.
    pub fn source_label(&self) -> String {
        let profile = self.profile.as_deref().unwrap_or("default chain");
        match &self.endpoint_url {
            Some(url) => format!("{profile} · {} · {}", self.region, without_userinfo(url)),
            None => format!("{profile} · {}", self.region),
        }
    }
}

/// `http://user:pass@host:1/x` → `http://host:1/x`: credentials never reach the disk.
pub fn without_userinfo(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://{}", &rest[at + 1..]),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_bar_never_shows_an_endpoint_password() {
        let connection = Connection {
            profile: Some("dev".into()),
            region: "eu-west-1".into(),
            endpoint_url: Some("http://admin:hunter2@127.0.0.1:4566/".into()),
        };
        assert_eq!(
            connection.source_label(),
            "dev · eu-west-1 · http://127.0.0.1:4566/"
        );
        assert_eq!(
            connection.without_secrets().endpoint_url.as_deref(),
            Some("http://127.0.0.1:4566/")
        );
    }
}
