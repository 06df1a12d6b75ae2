//! The facts an exec preflight is judged from, each read on its own: a failed read becomes a
//! ✖ (or a skipped check) naming its AWS error, never a failed preflight — except the task
//! itself, without which there is nothing to check.

use crate::aws::Ecs;
use crate::aws::error::from_sdk;
use crate::model::AwsError;
use crate::model::ecs::Task;
use crate::model::exec::ExecTarget;
use crate::model::exec::plugin::PluginProbe;
use crate::model::exec::preflight::{ExecConfig, ExecFacts, Permissions, SSM_MESSAGES_ACTIONS};
use aws_sdk_ecs::types::ClusterField;
use aws_sdk_iam::types::PolicyEvaluationDecisionType;

impl Ecs {
    /// Reads everything the preflight of `target` needs; `plugin` is what the caller found on
    /// this machine.
    pub async fn exec_facts(
        &self,
        target: &ExecTarget,
        plugin: PluginProbe,
    ) -> Result<ExecFacts, AwsError> {
        let task = self.describe_task(&target.cluster, &target.task).await?;
        let (service, agent_version, cluster_config, task_role) = futures::join!(
            self.service_exec(&target.cluster, &task),
            self.agent_version(&target.cluster, &task),
            self.exec_config(&target.cluster),
            self.task_role(&task.task_definition),
        );
        let permissions = match &task_role {
            Ok(Some(role)) => Some(self.simulate_ssm_messages(role).await),
            _ => None,
        };
        Ok(ExecFacts {
            task,
            container: target.container.clone(),
            service,
            agent_version,
            cluster_config,
            plugin,
            task_role,
            permissions,
        })
    }

    async fn service_exec(&self, cluster: &str, task: &Task) -> Option<(String, Option<bool>)> {
        let name = task.service_name()?;
        let exec = self
            .describe_service(cluster, name)
            .await
            .ok()
            .map(|s| s.enable_execute_command);
        Some((name.to_owned(), exec))
    }

    async fn agent_version(&self, cluster: &str, task: &Task) -> Option<Result<String, AwsError>> {
        const OPERATION: &str = "DescribeContainerInstances";
        let instance = task.container_instance_arn.as_deref()?;
        let read = async {
            let out = self
                .client
                .describe_container_instances()
                .cluster(cluster)
                .container_instances(instance)
                .send()
                .await
                .map_err(|e| from_sdk(OPERATION, self.hint(), e))?;
            out.container_instances()
                .first()
                .and_then(|i| i.version_info())
                .and_then(|v| v.agent_version())
                .map(str::to_owned)
                .ok_or_else(|| AwsError::internal(OPERATION, "ECS did not say the agent's version"))
        };
        Some(read.await)
    }

    async fn exec_config(&self, cluster: &str) -> Result<Option<ExecConfig>, AwsError> {
        const OPERATION: &str = "DescribeClusters";
        let out = self
            .client
            .describe_clusters()
            .clusters(cluster)
            .include(ClusterField::Configurations)
            .send()
            .await
            .map_err(|e| from_sdk(OPERATION, self.hint(), e))?;
        let cluster = out.clusters().first().ok_or_else(|| AwsError {
            operation: OPERATION.to_owned(),
            code: "MISSING".to_owned(),
            message: format!("cluster {cluster} was not found"),
            request_id: None,
            kind: crate::model::ErrorKind::NotFound,
        })?;
        Ok(cluster
            .configuration()
            .and_then(|c| c.execute_command_configuration())
            .map(|c| {
                let log = c.log_configuration();
                ExecConfig {
                    kms_key_id: c.kms_key_id().map(str::to_owned),
                    logging: c.logging().map(|l| l.as_str().to_owned()),
                    log_group: log
                        .and_then(|l| l.cloud_watch_log_group_name())
                        .map(str::to_owned),
                    s3_bucket: log.and_then(|l| l.s3_bucket_name()).map(str::to_owned),
                }
            }))
    }

    async fn task_role(&self, task_definition: &str) -> Result<Option<String>, AwsError> {
        let document = self.task_definition(task_definition).await?;
        Ok(document.text("taskRoleArn").filter(|r| !r.is_empty()))
    }

    /// IAM SimulatePrincipalPolicy of the ssmmessages actions on the task role; a caller who
    /// may not simulate gets why, not a failure.
    async fn simulate_ssm_messages(&self, role: &str) -> Permissions {
        const OPERATION: &str = "SimulatePrincipalPolicy";
        let Some(iam) = &self.iam else {
            return Permissions::Skipped("no IAM client for this connection".to_owned());
        };
        let out = iam
            .simulate_principal_policy()
            .policy_source_arn(role)
            .set_action_names(Some(
                SSM_MESSAGES_ACTIONS
                    .iter()
                    .map(|a| (*a).to_owned())
                    .collect(),
            ))
            .send()
            .await
            .map_err(|e| from_sdk(OPERATION, self.hint(), e));
        match out {
            Ok(out) => Permissions::Simulated(
                out.evaluation_results()
                    .iter()
                    .map(|r| {
                        (
                            r.eval_action_name().to_owned(),
                            *r.eval_decision() == PolicyEvaluationDecisionType::Allowed,
                        )
                    })
                    .collect(),
            ),
            Err(e) => {
                Permissions::Skipped(format!("iam:{OPERATION} failed: {} {}", e.code, e.message))
            }
        }
    }
}
