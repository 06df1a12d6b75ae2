//! "Deploy a new image": a new revision made from the one a service runs with only the named
//! containers' images changed — every other field, known to the app or not, kept as it is —
//! and the image references it works with (tag, ECR repository).

use super::task_def::TaskDefDocument;

/// A tag of an ECR repository, with when it was pushed.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ImageTag {
    /// The tag.
    pub tag: String,
    /// When the image was pushed.
    #[serde(with = "crate::model::time_format::opt")]
    pub pushed_at: Option<std::time::SystemTime>,
    /// The image's digest.
    pub digest: Option<String>,
}

/// The most images read from a repository for its tag list (newest first).
pub const MAX_IMAGES: usize = 300;

/// The key of a repository's tags: `ACCOUNT/REGION/REPOSITORY`.
pub fn repository_key(image: &str) -> Option<String> {
    let (account, region, repository) = ecr_repository(image)?;
    Some(format!("{account}/{region}/{repository}"))
}

/// One container's new image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageChange {
    /// Container name.
    pub container: String,
    /// The image reference to run.
    pub image: String,
}

/// Reads `CONTAINER=IMAGE` as typed on the command line.
pub fn parse_image_arg(text: &str) -> Result<ImageChange, String> {
    let (container, image) = text
        .split_once('=')
        .ok_or_else(|| format!("{text}: expected CONTAINER=IMAGE"))?;
    let (container, image) = (container.trim(), image.trim());
    if container.is_empty() || image.is_empty() {
        return Err(format!("{text}: expected CONTAINER=IMAGE"));
    }
    if image.chars().any(char::is_whitespace) {
        return Err(format!("{image}: an image reference has no spaces"));
    }
    Ok(ImageChange {
        container: container.to_owned(),
        image: image.to_owned(),
    })
}

/// Each container's name and image, in order.
pub fn container_images(doc: &TaskDefDocument) -> Vec<(String, String)> {
    (0..doc.containers().len())
        .map(|i| {
            (
                doc.container_text(i, "name").unwrap_or_default(),
                doc.container_text(i, "image").unwrap_or_default(),
            )
        })
        .collect()
}

/// `doc` with the images of `changes` set, or why not (a container it does not have, or no
/// change at all).
pub fn with_images(
    doc: &TaskDefDocument,
    changes: &[ImageChange],
) -> Result<TaskDefDocument, String> {
    let mut next = doc.clone();
    let images = container_images(doc);
    let mut changed = false;
    for change in changes {
        let Some(index) = images
            .iter()
            .position(|(name, _)| *name == change.container)
        else {
            let names: Vec<&str> = images.iter().map(|(n, _)| n.as_str()).collect();
            return Err(format!(
                "{} has no container {}; its containers: {}",
                doc.family().unwrap_or("the task definition"),
                change.container,
                names.join(", ")
            ));
        };
        changed |= images[index].1 != change.image;
        next.set_container_text(index, "image", Some(&change.image));
    }
    if !changed {
        return Err("every container already runs the image named: nothing to deploy".to_owned());
    }
    Ok(next)
}

/// The tag of an image reference (`latest` when none is written; None for a digest).
pub fn image_tag(image: &str) -> Option<&str> {
    if image.contains('@') {
        return None;
    }
    let name = image.rsplit('/').next().unwrap_or(image);
    Some(name.split_once(':').map_or("latest", |(_, tag)| tag))
}

/// The image with `tag` instead of its tag or digest.
pub fn with_tag(image: &str, tag: &str) -> String {
    let base = image.split('@').next().unwrap_or(image);
    let slash = base.rfind('/').map_or(0, |i| i + 1);
    let repository = match base[slash..].find(':') {
        Some(colon) => &base[..slash + colon],
        None => base,
    };
    format!("{repository}:{tag}")
}

/// An ECR image's registry account, region and repository
/// (`123456789012.dkr.ecr.us-east-1.amazonaws.com/team/api:2.4` → account, region, `team/api`).
pub fn ecr_repository(image: &str) -> Option<(String, String, String)> {
    let (host, path) = image.split_once('/')?;
    let mut parts = host.split('.');
    let account = parts.next()?;
    let (dkr, ecr, region) = (parts.next()?, parts.next()?, parts.next()?);
    if dkr != "dkr" || ecr != "ecr" || !account.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let path = path.split('@').next().unwrap_or(path);
    let slash = path.rfind('/').map_or(0, |i| i + 1);
    let repository = match path[slash..].find(':') {
        Some(colon) => &path[..slash + colon],
        None => path,
    };
    Some((account.to_owned(), region.to_owned(), repository.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> TaskDefDocument {
        TaskDefDocument::parse(
            r#"{"family":"api","taskDefinitionArn":"arn:aws:ecs:us-east-1:1:task-definition/api:7",
                "futureField":{"kept":true},
                "containerDefinitions":[
                  {"name":"app","image":"1.dkr.ecr.us-east-1.amazonaws.com/team/api:2.3.1","cpu":256},
                  {"name":"envoy","image":"public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29"}]}"#,
        )
        .expect("doc")
    }

    #[test]
    fn only_the_named_image_changes_and_unknown_fields_stay() {
        let change = parse_image_arg("app=1.dkr.ecr.us-east-1.amazonaws.com/team/api:2.4.0")
            .expect("parsed");
        let next = with_images(&doc(), &[change]).expect("changed");
        assert_eq!(
            container_images(&next)[0].1,
            "1.dkr.ecr.us-east-1.amazonaws.com/team/api:2.4.0"
        );
        assert_eq!(container_images(&next)[1], container_images(&doc())[1]);
        let input = next.register_input();
        assert_eq!(input["futureField"]["kept"], true);
        assert_eq!(input["containerDefinitions"][0]["cpu"], 256);
        assert!(!input.contains_key("taskDefinitionArn"));
    }

    #[test]
    fn unknown_containers_and_no_change_are_refused() {
        let err = with_images(&doc(), &[parse_image_arg("web=x:1").expect("parsed")])
            .expect_err("no web");
        assert_eq!(err, "api has no container web; its containers: app, envoy");
        let same = parse_image_arg("envoy=public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29")
            .expect("parsed");
        assert!(with_images(&doc(), &[same]).is_err());
        assert!(parse_image_arg("app").is_err());
        assert!(parse_image_arg("app=").is_err());
    }

    #[test]
    fn tags_and_ecr_repositories_are_read_from_the_reference() {
        assert_eq!(image_tag("nginx"), Some("latest"));
        assert_eq!(image_tag("localhost:5000/web:1.2"), Some("1.2"));
        assert_eq!(image_tag("web@sha256:abc"), None);
        assert_eq!(
            with_tag("localhost:5000/web:1.2", "1.3"),
            "localhost:5000/web:1.3"
        );
        assert_eq!(with_tag("web@sha256:abc", "2"), "web:2");
        assert_eq!(
            ecr_repository("123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/api:2.4"),
            Some(("123456789012".into(), "eu-west-1".into(), "team/api".into()))
        );
        assert_eq!(ecr_repository("docker.io/library/nginx:1"), None);
    }
}
