//! The family list's extra columns for the whole region: every ACTIVE revision listed once
//! (counts, newest), the newest of each family described (when it was registered), and every
//! service of every cluster described (who runs which family). A part that fails is named
//! in the overview; only the listing of revisions failing fails it whole.

use super::Ecs;
use super::ecs::DESCRIBE_CONCURRENCY;
use super::error::from_sdk;
use super::task_defs::DESCRIBE_TASK_DEF_CONCURRENCY;
use crate::model::AwsError;
use crate::model::ecs::short_id;
use crate::model::task_defs::family_overview::{FamilyOverview, MAX_DESCRIBED_FAMILIES};
use crate::model::task_defs::revisions::RevisionSummary;
use aws_sdk_ecs::types::TaskDefinitionStatus;
use futures::{StreamExt, stream};

impl Ecs {
    /// Every family's newest revision, active count, newest registration and services.
    pub async fn family_overview(&self) -> Result<FamilyOverview, AwsError> {
        let arns: Vec<String> = self
            .client
            .list_task_definitions()
            .status(TaskDefinitionStatus::Active)
            .max_results(100)
            .into_paginator()
            .items()
            .send()
            .try_collect()
            .await
            .map_err(|e| from_sdk("ListTaskDefinitions", self.hint(), e))?;
        let mut overview = FamilyOverview::from_active_arns(&arns);
        let (registered, users) = futures::join!(
            self.newest_registrations(&overview),
            self.services_by_cluster()
        );
        for (family, at) in registered.0 {
            if let Some(facts) = overview.families.get_mut(&family) {
                facts.newest_registered_at = at;
            }
        }
        overview.undescribed = registered.1;
        overview.problems.extend(registered.2);
        match users {
            Ok(per_cluster) => {
                for (cluster, services) in per_cluster {
                    match services {
                        Ok(list) => overview.add_services(&list),
                        Err(e) => overview
                            .problems
                            .push((format!("services of {}", short_id(&cluster)), e)),
                    }
                }
            }
            Err(e) => overview.problems.push(("clusters".to_owned(), e)),
        }
        Ok(overview)
    }

    /// When each family's newest revision was registered, for up to
    /// [`MAX_DESCRIBED_FAMILIES`] families; how many were left out; the first failure.
    async fn newest_registrations(
        &self,
        overview: &FamilyOverview,
    ) -> (
        Vec<(String, Option<std::time::SystemTime>)>,
        usize,
        Option<(String, AwsError)>,
    ) {
        let newest: Vec<String> = overview
            .families
            .iter()
            .map(|(family, facts)| format!("{family}:{}", facts.newest_revision))
            .collect();
        let left_out = newest.len().saturating_sub(MAX_DESCRIBED_FAMILIES);
        let calls: Vec<_> = newest
            .iter()
            .take(MAX_DESCRIBED_FAMILIES)
            .map(|reference| async move { self.task_definition(reference).await })
            .collect();
        let results: Vec<_> = stream::iter(calls)
            .buffered(DESCRIBE_TASK_DEF_CONCURRENCY)
            .collect()
            .await;
        let mut problem = None;
        let mut out = Vec::new();
        for result in results {
            match result {
                Ok(doc) => {
                    if let Some(summary) = RevisionSummary::from_document(&doc) {
                        out.push((summary.family, summary.registered_at));
                    }
                }
                Err(e) => {
                    problem.get_or_insert(("registration times".to_owned(), e));
                }
            }
        }
        (out, left_out, problem)
    }

    /// Every cluster's services, described, cluster by cluster.
    async fn services_by_cluster(
        &self,
    ) -> Result<Vec<(String, Result<Vec<crate::model::ecs::Service>, AwsError>)>, AwsError> {
        let clusters = self.cluster_arns().await?;
        let calls: Vec<_> = clusters
            .into_iter()
            .map(|cluster| async move {
                let services = self.services(&cluster).await;
                (cluster, services)
            })
            .collect();
        Ok(stream::iter(calls)
            .buffered(DESCRIBE_CONCURRENCY)
            .collect()
            .await)
    }
}
