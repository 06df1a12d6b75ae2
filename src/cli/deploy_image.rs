//! `ecsdeck deploy --image CONTAINER=IMAGE`: a new revision made from the one the service
//! runs with only those images changed (every other field kept, unknown ones included), shown
//! as the semantic diff, registered once confirmed, then deployed like any revision.

use super::service::journal;
use crate::aws::Ecs;
use crate::model::AwsError;
use crate::model::changes::service_change::deploy_cli;
use crate::model::ecs::Service;
use crate::model::task_defs::editor::register_cli_command;
use crate::model::task_defs::new_image::{ImageChange, with_images};
use crate::model::task_defs::revisions::family_revision;
use crate::model::task_defs::td_diff::diff;
use crate::model::task_defs::td_diff_render::to_text;
use crate::model::untrusted_text::{untrusted, untrusted_block};
use serde_json::{Map, Value};

/// The revision to register, and the commands that do it all.
pub struct ImagePlan {
    /// RegisterTaskDefinition's input.
    pub input: Map<String, Value>,
    /// `aws ecs register-task-definition …` then `aws ecs update-service …`.
    pub cli: String,
}

/// Prints the change (the semantic diff of the new revision against the running one).
pub async fn plan(
    ecs: &Ecs,
    service: &Service,
    changes: &[ImageChange],
    connection: &crate::model::Connection,
    show_env: bool,
) -> Result<ImagePlan, AwsError> {
    let current = ecs.task_definition(&service.task_definition).await?;
    let next = with_images(&current, changes)
        .map_err(|why| AwsError::internal("RegisterTaskDefinition", why))?;
    let family = current.family().unwrap_or("the family").to_owned();
    let title = format!(
        "Deploy a new revision of {family} to {} (runs {}): new images",
        service.name,
        family_revision(&service.task_definition)
    );
    print!(
        "{}",
        untrusted_block(&to_text(&diff(&current, &next), &title, !show_env))
    );
    if !show_env {
        println!("(environment values masked; --show-env shows them)");
    }
    println!("Registers a new revision of {family} with these images, then deploys it.");
    let input = next.register_input();
    let text = serde_json::to_string(&Value::Object(input.clone())).unwrap_or_default();
    let cli = format!(
        "{} && {}",
        register_cli_command(&text, connection),
        deploy_cli(
            connection,
            &service.cluster_arn,
            &service.name,
            &format!("{family}:<new revision>"),
            false
        )
    );
    Ok(ImagePlan { input, cli })
}

/// Registers the planned revision (journalled); its ARN.
pub async fn register(
    ecs: &Ecs,
    connection: &crate::model::Connection,
    plan: &ImagePlan,
) -> Result<String, AwsError> {
    let registered = ecs
        .register_task_definition(&plan.input)
        .await
        .map(|doc| doc.text("taskDefinitionArn").unwrap_or_default());
    let family = plan
        .input
        .get("family")
        .and_then(Value::as_str)
        .unwrap_or_default();
    journal(
        connection,
        "RegisterTaskDefinition",
        family,
        "register a revision with new images",
        registered.as_deref(),
    );
    let arn = registered?;
    println!("Registered {}.", untrusted(family_revision(&arn)));
    Ok(arn)
}
