//! Why tasks stopped, grouped by cause, so a failing rollout says "image pull failed (3 tasks)"
//! rather than listing three near-identical messages.

use super::Task;
use std::collections::BTreeMap;

/// A cause of a task stopping.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Cause {
    /// The image could not be pulled (wrong tag, no access to the registry, no network).
    ImagePull,
    /// Secrets, log group, ENI or volume could not be set up before the containers started.
    ResourceInit,
    /// A container ran out of memory (OOM kill, exit code 137 with OutOfMemory).
    OutOfMemory,
    /// A container or load-balancer health check failed.
    HealthCheck,
    /// An essential container exited, with its exit code when known.
    EssentialExit(Option<i32>),
    /// Not enough CPU, memory, ports or ENIs on the cluster.
    Capacity,
    /// Stopped on purpose: scaling in, a deployment replacing it, a user.
    Expected,
    /// Anything else.
    Other,
}

impl Cause {
    /// A short label.
    pub fn label(&self) -> String {
        match self {
            Self::ImagePull => "Image pull failed".to_owned(),
            Self::ResourceInit => "Task resources could not be set up".to_owned(),
            Self::OutOfMemory => "Out of memory".to_owned(),
            Self::HealthCheck => "Health check failed".to_owned(),
            Self::EssentialExit(Some(code)) => {
                format!("Essential container exited with code {code}")
            }
            Self::EssentialExit(None) => "Essential container exited".to_owned(),
            Self::Capacity => "Not enough capacity".to_owned(),
            Self::Expected => "Stopped on purpose".to_owned(),
            Self::Other => "Other".to_owned(),
        }
    }

    /// What usually fixes it.
    pub fn hint(&self) -> &'static str {
        match self {
            Self::ImagePull => {
                "Check the image tag exists and the execution role can pull it (ECR permissions, VPC endpoints or NAT)."
            }
            Self::ResourceInit => {
                "Check the execution role can read the secrets and write the log group, and the subnets have free IPs."
            }
            Self::OutOfMemory => {
                "Raise the container's memory limit or fix the leak; the container was killed by the kernel."
            }
            Self::HealthCheck => {
                "The app did not answer its health check in time: check the path, port and start period."
            }
            Self::EssentialExit(_) => "The app exited on its own: its logs say why.",
            Self::Capacity => {
                "Add capacity (instances or capacity provider) or lower the task size."
            }
            Self::Expected => "",
            Self::Other => "",
        }
    }
}

/// The cause of one stopped task, from its stop reason and its containers.
pub fn cause_of(task: &Task) -> Cause {
    let reason = task.stopped_reason.as_deref().unwrap_or("");
    let container_reasons: Vec<&str> = task
        .containers
        .iter()
        .filter_map(|c| c.reason.as_deref())
        .collect();
    let any = |needle: &str| {
        reason.contains(needle) || container_reasons.iter().any(|r| r.contains(needle))
    };
    if any("CannotPullContainerError") || any("pull image") {
        Cause::ImagePull
    } else if any("ResourceInitializationError") || any("ResourceNotFoundException") {
        Cause::ResourceInit
    } else if any("OutOfMemory") || any("OOM") {
        Cause::OutOfMemory
    } else if reason.contains("health check") || reason.contains("health checks") {
        Cause::HealthCheck
    } else if reason.contains("Essential container in task exited") {
        let code = task
            .containers
            .iter()
            .find(|c| c.exit_code.is_some_and(|code| code != 0))
            .and_then(|c| c.exit_code);
        if code == Some(137) && any("memory") {
            Cause::OutOfMemory
        } else {
            Cause::EssentialExit(code)
        }
    } else if reason.contains("RESOURCE:") || reason.contains("insufficient") {
        Cause::Capacity
    } else if reason.contains("Scaling activity")
        || reason.contains("Task stopped by user")
        || reason.contains("replaced by")
        || reason.contains("Deployment")
    {
        Cause::Expected
    } else {
        Cause::Other
    }
}

/// One group of stopped tasks.
#[derive(Clone, Debug, PartialEq)]
pub struct StoppedGroup {
    /// The cause.
    pub cause: Cause,
    /// How many tasks.
    pub count: usize,
    /// The newest task's reason, as an example.
    pub example: String,
}

/// Stopped tasks grouped by cause, unexpected causes first and bigger groups before smaller.
pub fn group(tasks: &[Task]) -> Vec<StoppedGroup> {
    let mut groups: BTreeMap<Cause, (usize, Option<&Task>)> = BTreeMap::new();
    for task in tasks.iter().filter(|t| t.last_status == "STOPPED") {
        let entry = groups.entry(cause_of(task)).or_default();
        entry.0 += 1;
        if entry
            .1
            .is_none_or(|newest| task.stopped_at > newest.stopped_at)
        {
            entry.1 = Some(task);
        }
    }
    let mut out: Vec<StoppedGroup> = groups
        .into_iter()
        .map(|(cause, (count, newest))| {
            let example = newest
                .and_then(|t| {
                    t.containers
                        .iter()
                        .find_map(|c| c.reason.clone())
                        .filter(|_| {
                            matches!(
                                cause_of(t),
                                Cause::ImagePull | Cause::OutOfMemory | Cause::ResourceInit
                            )
                        })
                        .or_else(|| t.stopped_reason.clone())
                })
                .unwrap_or_default();
            StoppedGroup {
                cause,
                count,
                example,
            }
        })
        .collect();
    out.sort_by_key(|g| (g.cause == Cause::Expected, std::cmp::Reverse(g.count)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ecs::Container;
    use std::time::{Duration, UNIX_EPOCH};

    fn stopped(reason: &str, containers: Vec<Container>, at: u64) -> Task {
        Task {
            last_status: "STOPPED".into(),
            stopped_reason: Some(reason.into()),
            stopped_at: Some(UNIX_EPOCH + Duration::from_secs(at)),
            containers,
            ..Task::default()
        }
    }

    fn container(exit_code: Option<i32>, reason: Option<&str>) -> Container {
        Container {
            name: "app".into(),
            exit_code,
            reason: reason.map(str::to_owned),
            ..Container::default()
        }
    }

    #[test]
    fn each_kind_of_failure_is_recognised() {
        let pull = stopped(
            "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref repo/app:1.9: not found",
            vec![],
            1,
        );
        assert_eq!(cause_of(&pull), Cause::ImagePull);
        let oom = stopped(
            "Essential container in task exited",
            vec![container(
                Some(137),
                Some("OutOfMemoryError: Container killed due to memory usage"),
            )],
            2,
        );
        assert_eq!(cause_of(&oom), Cause::OutOfMemory);
        let exit = stopped(
            "Essential container in task exited",
            vec![container(Some(1), None)],
            3,
        );
        assert_eq!(cause_of(&exit), Cause::EssentialExit(Some(1)));
        let health = stopped(
            "Task failed ELB health checks in (target-group arn:…/web-tg)",
            vec![],
            4,
        );
        assert_eq!(cause_of(&health), Cause::HealthCheck);
        let init = stopped(
            "ResourceInitializationError: unable to pull secrets or registry auth: AccessDeniedException",
            vec![],
            5,
        );
        assert_eq!(cause_of(&init), Cause::ResourceInit);
        let scaling = stopped(
            "Scaling activity initiated by (deployment ecs-svc/123)",
            vec![],
            6,
        );
        assert_eq!(cause_of(&scaling), Cause::Expected);
        let user = stopped("Task stopped by user", vec![], 7);
        assert_eq!(cause_of(&user), Cause::Expected);
        assert_eq!(cause_of(&stopped("something new", vec![], 8)), Cause::Other);
    }

    #[test]
    fn groups_put_failures_first_and_show_the_newest_example() {
        let tasks = vec![
            stopped(
                "Scaling activity initiated by (deployment ecs-svc/1)",
                vec![],
                1,
            ),
            stopped(
                "Scaling activity initiated by (deployment ecs-svc/1)",
                vec![],
                2,
            ),
            stopped(
                "Scaling activity initiated by (deployment ecs-svc/1)",
                vec![],
                3,
            ),
            stopped("CannotPullContainerError: old", vec![], 4),
            stopped("CannotPullContainerError: newest", vec![], 9),
            stopped(
                "Essential container in task exited",
                vec![container(Some(2), None)],
                5,
            ),
            Task {
                last_status: "RUNNING".into(),
                ..Task::default()
            },
        ];
        let groups = group(&tasks);
        let summary: Vec<(String, usize)> =
            groups.iter().map(|g| (g.cause.label(), g.count)).collect();
        assert_eq!(
            summary,
            [
                ("Image pull failed".to_owned(), 2),
                ("Essential container exited with code 2".to_owned(), 1),
                ("Stopped on purpose".to_owned(), 3),
            ]
        );
        assert_eq!(groups[0].example, "CannotPullContainerError: newest");
        assert!(!groups[0].cause.hint().is_empty());
    }
}
