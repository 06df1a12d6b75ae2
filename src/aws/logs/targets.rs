//! From a tail target (a task, services, a log group) to the log queries that read it: the
//! tasks are described, their task definitions read, and each container's log
//! configuration resolved to its CloudWatch group and stream.

use crate::aws::Ecs;
use crate::aws::ecs_convert as convert;
use crate::aws::error::from_sdk;
use crate::model::ecs::{Task, short_id};
use crate::model::logs::poll::LogQuery;
use crate::model::logs::source::{LogTarget, StreamSelection, resolve_containers};
use crate::model::logs::tail::{TailQuery, TailTarget};
use crate::model::{AwsError, ErrorKind, TaskScope};
use std::collections::{BTreeMap, HashMap};

/// Most stream names one FilterLogEvents call takes.
const MAX_STREAM_NAMES: usize = 100;

/// The queries of a target, and what could not be included.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResolvedTail {
    /// One query per service, container and log group.
    pub queries: Vec<TailQuery>,
    /// Containers whose logs go elsewhere, and similar notes.
    pub notices: Vec<String>,
}

/// Streams of one (service, container, group), gathered over the target's tasks.
#[derive(Default)]
struct Gathered {
    names: Vec<String>,
    prefix: Option<String>,
    whole_group: Option<String>,
}

impl Ecs {
    /// The log queries of `target`, with the server-side `filter_pattern`.
    pub async fn resolve_tail(
        &self,
        target: &TailTarget,
        filter_pattern: Option<&str>,
    ) -> Result<ResolvedTail, AwsError> {
        let filter_pattern = filter_pattern.filter(|p| !p.trim().is_empty());
        match target {
            TailTarget::Group { group, prefix } => Ok(ResolvedTail {
                queries: vec![TailQuery {
                    query: LogQuery {
                        group: group.clone(),
                        streams: match prefix {
                            Some(p) if !p.is_empty() => StreamSelection::Prefix(p.clone()),
                            _ => StreamSelection::WholeGroup("a whole log group".into()),
                        },
                        filter_pattern: filter_pattern.map(str::to_owned),
                    },
                    service: None,
                    container: None,
                }],
                notices: Vec::new(),
            }),
            TailTarget::Task {
                cluster,
                task,
                container,
            } => {
                let task = self.describe_task(cluster, task).await?;
                let mut resolved = ResolvedTail::default();
                let mut gathered = BTreeMap::new();
                self.gather(&task, container.as_deref(), &mut gathered, &mut resolved)
                    .await?;
                resolved.queries = queries(gathered, filter_pattern);
                Ok(resolved)
            }
            TailTarget::Services { cluster, services } => {
                let mut resolved = ResolvedTail::default();
                let mut gathered = BTreeMap::new();
                let mut definitions = HashMap::new();
                for service in services {
                    let name = short_id(service).to_owned();
                    let tasks = self.tasks(&TaskScope::service(cluster, service)).await?;
                    let running: Vec<&Task> = tasks
                        .iter()
                        .filter(|t| t.desired_status != "STOPPED" && t.last_status != "STOPPED")
                        .collect();
                    if running.is_empty() {
                        // No task to name streams after: every stream of the service's
                        // containers, so its next task's lines show up too.
                        let described = self.describe_service(cluster, service).await?;
                        resolved.notices.push(format!(
                            "{name} has no running task: showing every stream of its containers."
                        ));
                        let def = self
                            .cached_definition(&described.task_definition, &mut definitions)
                            .await?;
                        add_targets(&name, None, &def, None, &mut gathered, &mut resolved);
                        continue;
                    }
                    for task in running {
                        let def = self
                            .cached_definition(&task.task_definition, &mut definitions)
                            .await?;
                        add_targets(
                            &name,
                            Some(task.id()),
                            &def,
                            None,
                            &mut gathered,
                            &mut resolved,
                        );
                    }
                }
                resolved.queries = queries(gathered, filter_pattern);
                Ok(resolved)
            }
        }
    }

    async fn gather(
        &self,
        task: &Task,
        container: Option<&str>,
        gathered: &mut BTreeMap<(Option<String>, String, String), Gathered>,
        resolved: &mut ResolvedTail,
    ) -> Result<(), AwsError> {
        let def = self
            .cached_definition(&task.task_definition, &mut HashMap::new())
            .await?;
        let service = task.service_name().unwrap_or_default().to_owned();
        add_targets(
            &service,
            Some(task.id()),
            &def,
            container,
            gathered,
            resolved,
        );
        if let Some(name) = container
            && !def
                .iter()
                .any(|c| c.get("name").and_then(|n| n.as_str()) == Some(name))
        {
            return Err(AwsError {
                operation: "DescribeTaskDefinition".into(),
                code: "ContainerNotFound".into(),
                message: format!("the task has no container named {name}"),
                request_id: None,
                kind: ErrorKind::NotFound,
            });
        }
        Ok(())
    }

    /// The container definitions of a task definition, read once per resolution.
    async fn cached_definition(
        &self,
        arn: &str,
        cache: &mut HashMap<String, Vec<serde_json::Value>>,
    ) -> Result<Vec<serde_json::Value>, AwsError> {
        if let Some(found) = cache.get(arn) {
            return Ok(found.clone());
        }
        let doc = self.task_definition(arn).await?;
        let containers = doc.containers().to_vec();
        cache.insert(arn.to_owned(), containers.clone());
        Ok(containers)
    }

    /// One task, described.
    pub async fn describe_task(&self, cluster: &str, task: &str) -> Result<Task, AwsError> {
        const OPERATION: &str = "DescribeTasks";
        let out = self
            .client
            .describe_tasks()
            .cluster(cluster)
            .tasks(task)
            .send()
            .await
            .map_err(|e| from_sdk(OPERATION, self.hint(), e))?;
        out.tasks()
            .first()
            .map(convert::task)
            .ok_or_else(|| AwsError {
                operation: OPERATION.into(),
                code: out
                    .failures()
                    .first()
                    .and_then(|f| f.reason())
                    .unwrap_or("MISSING")
                    .into(),
                message: format!("task {} was not found", short_id(task)),
                request_id: None,
                kind: ErrorKind::NotFound,
            })
    }
}

/// Adds the log targets of a task (or, with no task id, of every task) of `service`.
fn add_targets(
    service: &str,
    task_id: Option<&str>,
    containers: &[serde_json::Value],
    only: Option<&str>,
    gathered: &mut BTreeMap<(Option<String>, String, String), Gathered>,
    resolved: &mut ResolvedTail,
) {
    let service = (!service.is_empty()).then(|| service.to_owned());
    for (container, target) in resolve_containers(containers, task_id) {
        if only.is_some_and(|c| c != container) {
            continue;
        }
        match target {
            LogTarget::Elsewhere(why) => {
                if !resolved.notices.contains(&why) {
                    resolved.notices.push(why);
                }
            }
            LogTarget::CloudWatch(cw) => {
                let entry = gathered
                    .entry((service.clone(), container.clone(), cw.group.clone()))
                    .or_default();
                match cw.streams {
                    StreamSelection::Exact(name) => {
                        if !entry.names.contains(&name) {
                            entry.names.push(name);
                        }
                    }
                    StreamSelection::Names(names) => entry.names.extend(names),
                    StreamSelection::Prefix(prefix) => entry.prefix = Some(prefix),
                    StreamSelection::WholeGroup(why) => entry.whole_group = Some(why),
                }
            }
        }
    }
}

/// One query per gathered (service, container, group): the task streams by name when they fit
/// one call, else the container's prefix, else the whole group.
fn queries(
    gathered: BTreeMap<(Option<String>, String, String), Gathered>,
    filter_pattern: Option<&str>,
) -> Vec<TailQuery> {
    gathered
        .into_iter()
        .map(|((service, container, group), g)| {
            let streams = if let Some(why) = g.whole_group {
                StreamSelection::WholeGroup(why)
            } else if let Some(prefix) = g.prefix {
                StreamSelection::Prefix(prefix)
            } else if g.names.len() == 1 {
                StreamSelection::Exact(g.names.into_iter().next().unwrap_or_default())
            } else if g.names.len() <= MAX_STREAM_NAMES {
                StreamSelection::Names(g.names)
            } else {
                StreamSelection::Prefix(common_prefix(&g.names))
            };
            TailQuery {
                query: LogQuery {
                    group,
                    streams,
                    filter_pattern: filter_pattern.map(str::to_owned),
                },
                service,
                container: Some(container),
            }
        })
        .collect()
}

/// The longest prefix all `names` share, cut back to a `/` (`ecs/app/`).
fn common_prefix(names: &[String]) -> String {
    let Some(first) = names.first() else {
        return String::new();
    };
    let mut len = first.len();
    for name in names.iter().skip(1) {
        len = first
            .bytes()
            .zip(name.bytes())
            .take(len)
            .take_while(|(a, b)| a == b)
            .count();
    }
    while !first.is_char_boundary(len) {
        len -= 1;
    }
    let shared = &first[..len];
    match shared.rfind('/') {
        Some(slash) => shared[..=slash].to_owned(),
        None => shared.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_task_streams_share_the_container_prefix() {
        let names: Vec<String> = (0..3).map(|i| format!("ecs/app/task{i}")).collect();
        assert_eq!(common_prefix(&names), "ecs/app/");
        assert_eq!(common_prefix(&["abc".to_owned()]), "abc");
    }
}
