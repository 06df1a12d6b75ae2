//! Container image references (`[registry/]repository[:tag][@digest]`) and the fleet's
//! question "where is this image running?": `api:2.4.0`, `api`, `…/team/api`, `sha256:ab12…`
//! or `api@sha256:ab12…`.

/// An image reference taken apart.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImageRef<'a> {
    /// Registry host (`123456789012.dkr.ecr.eu-west-1.amazonaws.com`), if named.
    pub registry: Option<&'a str>,
    /// Repository path (`team/api`).
    pub repository: &'a str,
    /// Tag, if any.
    pub tag: Option<&'a str>,
    /// Digest (`sha256:…`), if any.
    pub digest: Option<&'a str>,
}

impl<'a> ImageRef<'a> {
    /// Parses `image` the way Docker does: the first path part is a registry when it holds a
    /// `.` or `:` or is `localhost`.
    pub fn parse(image: &'a str) -> Self {
        let (named, digest) = match image.split_once('@') {
            Some((named, digest)) => (named, Some(digest)),
            None => (image, None),
        };
        let (registry, path) = match named.split_once('/') {
            Some((first, rest))
                if first.contains('.') || first.contains(':') || first == "localhost" =>
            {
                (Some(first), rest)
            }
            _ => (None, named),
        };
        let last_slash = path.rfind('/').map_or(0, |i| i + 1);
        let (repository, tag) = match path[last_slash..].rfind(':') {
            Some(i) => (&path[..last_slash + i], Some(&path[last_slash + i + 1..])),
            None => (path, None),
        };
        Self {
            registry,
            repository,
            tag,
            digest,
        }
    }

    /// The repository's last part (`api` of `team/api`).
    pub fn name(&self) -> &'a str {
        self.repository
            .rsplit_once('/')
            .map_or(self.repository, |(_, name)| name)
    }
}

/// Whether `image` is what `query` asks for: a digest (prefix) with an optional repository,
/// a repository with a tag (both exact), or part of a repository's name.
pub fn image_matches(image: &str, query: &str) -> bool {
    let query = query.trim();
    if query.is_empty() {
        return false;
    }
    let image = ImageRef::parse(image);
    if let Some(digest) = query
        .strip_prefix('@')
        .or_else(|| query.starts_with("sha256:").then_some(query))
    {
        return image.digest.is_some_and(|d| d.starts_with(digest));
    }
    let wanted = ImageRef::parse(query);
    let repository_matches = |exact: bool| {
        let full = match image.registry {
            Some(registry) => format!("{registry}/{}", image.repository),
            None => image.repository.to_owned(),
        };
        let asked = match wanted.registry {
            Some(registry) => format!("{registry}/{}", wanted.repository),
            None => wanted.repository.to_owned(),
        };
        if exact {
            full == asked
                || image.repository == asked
                || image.repository.ends_with(&format!("/{asked}"))
        } else {
            full.to_lowercase().contains(&asked.to_lowercase())
        }
    };
    match (wanted.digest, wanted.tag) {
        (Some(digest), _) => {
            repository_matches(true) && image.digest.is_some_and(|d| d.starts_with(digest))
        }
        (None, Some(tag)) => repository_matches(true) && image.tag == Some(tag),
        (None, None) => repository_matches(false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ECR: &str = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/api:2.4.0";

    #[test]
    fn references_come_apart_as_docker_reads_them() {
        let image = ImageRef::parse(ECR);
        assert_eq!(
            image.registry,
            Some("123456789012.dkr.ecr.eu-west-1.amazonaws.com")
        );
        assert_eq!(image.repository, "team/api");
        assert_eq!(image.name(), "api");
        assert_eq!(image.tag, Some("2.4.0"));
        let local = ImageRef::parse("localhost:5000/web@sha256:abcd");
        assert_eq!(local.registry, Some("localhost:5000"));
        assert_eq!(local.repository, "web");
        assert_eq!(local.tag, None);
        assert_eq!(local.digest, Some("sha256:abcd"));
        let hub = ImageRef::parse("nginx:1.27");
        assert_eq!(
            (hub.registry, hub.repository, hub.tag),
            (None, "nginx", Some("1.27"))
        );
    }

    #[test]
    fn a_tag_asks_for_that_repository_and_tag_exactly() {
        assert!(image_matches(ECR, "api:2.4.0"));
        assert!(image_matches(ECR, "team/api:2.4.0"));
        assert!(image_matches(ECR, ECR));
        assert!(!image_matches(ECR, "api:2.4"), "tags are exact");
        assert!(!image_matches(ECR, "pi:2.4.0"), "names are whole");
        assert!(!image_matches(
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/my-api:2.4.0",
            "api:2.4.0"
        ));
    }

    #[test]
    fn a_bare_name_finds_every_tag_and_a_digest_finds_pinned_images() {
        assert!(image_matches(ECR, "api"));
        assert!(image_matches(ECR, "TEAM/A"));
        assert!(!image_matches(ECR, "worker"));
        let pinned = "web@sha256:0123456789abcdef";
        assert!(image_matches(pinned, "sha256:0123"));
        assert!(image_matches(pinned, "@sha256:0123"));
        assert!(image_matches(pinned, "web@sha256:0123"));
        assert!(!image_matches(pinned, "api@sha256:0123"));
        assert!(!image_matches(ECR, "sha256:0123"));
        assert!(!image_matches(ECR, "  "));
    }
}
