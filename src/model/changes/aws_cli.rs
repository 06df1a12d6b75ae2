//! The equivalent `aws` command line of an action, for "Copy as AWS CLI".

use crate::model::connection::{Connection, without_userinfo};

/// Quotes `text` for a POSIX shell.
pub fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// `aws <service> <command> [--profile P] --region R [--endpoint-url U]`: every copied command
/// is built here, so none of them can reach another profile's, region's or endpoint's AWS.
/// The endpoint loses any `user:password@`.
pub fn aws_command(connection: &Connection, service: &str, command: &str) -> String {
    let mut out = format!("aws {service} {command}");
    if let Some(profile) = &connection.profile {
        out.push_str(&format!(" --profile {}", quote(profile)));
    }
    out.push_str(&format!(" --region {}", quote(&connection.region)));
    if let Some(endpoint) = &connection.endpoint_url {
        out.push_str(&format!(
            " --endpoint-url {}",
            quote(&without_userinfo(endpoint))
        ));
    }
    out
}

/// `aws ecs <command> …` ([`aws_command`]).
pub fn aws_ecs(connection: &Connection, command: &str) -> String {
    aws_command(connection, "ecs", command)
}

/// `aws application-autoscaling register-scalable-target …` for a service's bounds.
pub fn scaling_bounds_cli(
    connection: &Connection,
    resource_id: &str,
    min: i32,
    max: i32,
) -> String {
    format!(
        "{} --service-namespace ecs --scalable-dimension ecs:service:DesiredCount \
         --resource-id {} --min-capacity {min} --max-capacity {max}",
        aws_command(
            connection,
            "application-autoscaling",
            "register-scalable-target"
        ),
        quote(resource_id)
    )
}

/// `aws ecs continue-service-deployment … --action CONTINUE|ROLLBACK`.
pub fn continue_cli(
    connection: &Connection,
    deployment: &str,
    hook_id: &str,
    roll_back: bool,
) -> String {
    format!(
        "{} --service-deployment-arn {} --hook-id {} --action {}",
        aws_ecs(connection, "continue-service-deployment"),
        quote(deployment),
        quote(hook_id),
        if roll_back { "ROLLBACK" } else { "CONTINUE" }
    )
}

/// `aws ecs stop-service-deployment … --stop-type ROLLBACK`.
pub fn roll_back_cli(connection: &Connection, deployment: &str) -> String {
    format!(
        "{} --service-deployment-arn {} --stop-type ROLLBACK",
        aws_ecs(connection, "stop-service-deployment"),
        quote(deployment)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_names_profile_region_and_endpoint_without_its_password() {
        let connection = Connection {
            profile: Some("prod".into()),
            region: "eu-west-1".into(),
            endpoint_url: Some("http://user:secret@127.0.0.1:5000".into()),
        };
        for command in [
            aws_ecs(&connection, "stop-task"),
            scaling_bounds_cli(&connection, "service/c/s", 1, 4),
            roll_back_cli(&connection, "arn:d"),
        ] {
            assert!(command.contains(" --profile 'prod'"), "{command}");
            assert!(command.contains(" --region 'eu-west-1'"), "{command}");
            assert!(
                command.contains(" --endpoint-url 'http://127.0.0.1:5000'"),
                "{command}"
            );
            assert!(!command.contains("secret"), "{command}");
        }
        let default_chain = Connection {
            profile: None,
            region: "us-east-1".into(),
            endpoint_url: None,
        };
        assert_eq!(
            scaling_bounds_cli(&default_chain, "service/c/s", 1, 4),
            "aws application-autoscaling register-scalable-target --region 'us-east-1' \
             --service-namespace ecs --scalable-dimension ecs:service:DesiredCount \
             --resource-id 'service/c/s' --min-capacity 1 --max-capacity 4"
        );
    }
}
