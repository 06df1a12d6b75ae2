//! The equivalent `aws` command line of an action, for "Copy as AWS CLI".

use crate::model::connection::Connection;

/// Quotes `text` for a POSIX shell.
pub fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// `aws ecs <command> [--profile P] --region R [--endpoint-url U]`.
pub fn aws_ecs(connection: &Connection, command: &str) -> String {
    let mut out = format!("aws ecs {command}");
    if let Some(profile) = &connection.profile {
        out.push_str(&format!(" --profile {}", quote(profile)));
    }
    out.push_str(&format!(" --region {}", quote(&connection.region)));
    if let Some(endpoint) = &connection.endpoint_url {
        out.push_str(&format!(" --endpoint-url {}", quote(endpoint)));
    }
    out
}
