//! Links to the same resource in the AWS web console.

use super::short_id;

fn base(region: &str) -> String {
    format!("https://{region}.console.aws.amazon.com/ecs/v2")
}

/// The cluster list.
pub fn clusters_url(region: &str) -> String {
    format!("{}/clusters?region={region}", base(region))
}

/// A cluster (by ARN or name).
pub fn cluster_url(region: &str, cluster: &str) -> String {
    format!(
        "{}/clusters/{}/services?region={region}",
        base(region),
        short_id(cluster)
    )
}

/// A service (by ARN or name) of a cluster.
pub fn service_url(region: &str, cluster: &str, service: &str) -> String {
    format!(
        "{}/clusters/{}/services/{}/health?region={region}",
        base(region),
        short_id(cluster),
        short_id(service)
    )
}

/// A task (by ARN or id) of a cluster.
pub fn task_url(region: &str, cluster: &str, task: &str) -> String {
    format!(
        "{}/clusters/{}/tasks/{}/configuration?region={region}",
        base(region),
        short_id(cluster),
        short_id(task)
    )
}

/// A container instance (by ARN or id) of a cluster.
pub fn container_instance_url(region: &str, cluster: &str, instance: &str) -> String {
    format!(
        "{}/clusters/{}/infrastructure/container-instances/{}?region={region}",
        base(region),
        short_id(cluster),
        short_id(instance)
    )
}

/// A task-definition revision (by ARN or `family:revision`), or a family's revision list.
pub fn task_definition_url(region: &str, arn: &str) -> String {
    match crate::model::task_defs::revisions::parse_arn(arn) {
        Some((family, revision)) => format!(
            "{}/task-definitions/{family}/{revision}/containers?region={region}",
            base(region)
        ),
        None => format!(
            "{}/task-definitions/{}?region={region}",
            base(region),
            short_id(arn)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_use_names_not_arns() {
        assert_eq!(
            service_url(
                "eu-west-1",
                "arn:aws:ecs:eu-west-1:1:cluster/prod",
                "arn:aws:ecs:eu-west-1:1:service/prod/api"
            ),
            "https://eu-west-1.console.aws.amazon.com/ecs/v2/clusters/prod/services/api/health?region=eu-west-1"
        );
        assert!(
            task_url("us-east-1", "prod", "arn:aws:ecs:us-east-1:1:task/prod/abc")
                .ends_with("/tasks/abc/configuration?region=us-east-1")
        );
    }
}
