//! ECR DescribeImages: a repository's tags with when each was pushed, for "Deploy image…".
//! Optional by design: where the call is denied or the registry is another region's, the
//! dialog says so and the image is typed instead.

use super::Ecs;
use super::error::from_sdk;
use crate::model::AwsError;
use crate::model::task_defs::new_image::{ImageTag, MAX_IMAGES};
use aws_sdk_ecr::types::{DescribeImagesFilter, TagStatus};
use std::time::SystemTime;

impl Ecs {
    /// The tags of `key` (`ACCOUNT/REGION/REPOSITORY`), newest push first, from up to
    /// [`MAX_IMAGES`] images.
    pub async fn image_tags(&self, key: &str) -> Result<Vec<ImageTag>, AwsError> {
        const OPERATION: &str = "DescribeImages";
        let client = self
            .ecr
            .as_ref()
            .ok_or_else(|| AwsError::internal(OPERATION, "no ECR client"))?;
        let mut parts = key.splitn(3, '/');
        let (Some(account), Some(region), Some(repository)) =
            (parts.next(), parts.next(), parts.next())
        else {
            return Err(AwsError::internal(
                OPERATION,
                format!("{key}: not ACCOUNT/REGION/REPOSITORY"),
            ));
        };
        let here = client.config().region().map(|r| r.as_ref().to_owned());
        if here.as_deref() != Some(region) {
            return Err(AwsError::internal(
                OPERATION,
                format!(
                    "{repository} is in {region}; tags are listed for this region's registries only"
                ),
            ));
        }
        let mut tags = Vec::new();
        let mut token: Option<String> = None;
        let mut images = 0;
        loop {
            let out = client
                .describe_images()
                .registry_id(account)
                .repository_name(repository)
                .filter(
                    DescribeImagesFilter::builder()
                        .tag_status(TagStatus::Tagged)
                        .build(),
                )
                .max_results(100)
                .set_next_token(token.take())
                .send()
                .await
                .map_err(|e| from_sdk(OPERATION, self.hint(), e))?;
            for image in out.image_details() {
                images += 1;
                let pushed_at = image
                    .image_pushed_at()
                    .and_then(|t| SystemTime::try_from(*t).ok());
                for tag in image.image_tags() {
                    tags.push(ImageTag {
                        tag: crate::model::untrusted_text::untrusted(tag).into_owned(),
                        pushed_at,
                        digest: image.image_digest().map(str::to_owned),
                    });
                }
            }
            match out.next_token() {
                Some(next) if images < MAX_IMAGES => token = Some(next.to_owned()),
                _ => break,
            }
        }
        tags.sort_by(|a, b| {
            b.pushed_at
                .cmp(&a.pushed_at)
                .then_with(|| a.tag.cmp(&b.tag))
        });
        Ok(tags)
    }
}
