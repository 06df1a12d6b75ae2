//! The CloudWatch alarms about the services of a timeline, and their state changes
//! (DescribeAlarms, then DescribeAlarmHistory for each).

use crate::aws::Ecs;
use crate::aws::ecs_convert::{free_text, time};
use crate::aws::error::from_sdk;
use crate::model::AwsError;
use crate::model::ecs::short_id;
use crate::model::incident::sources::AlarmChange;
use aws_sdk_cloudwatch::types::HistoryItemType;
use aws_smithy_types::DateTime;

/// Most alarms whose history one timeline reads.
pub const MAX_ALARMS: usize = 10;
/// Most history items read per alarm.
const ITEMS_PER_ALARM: i32 = 100;
/// Most alarms looked through to find those about the services.
const ALARMS_SCANNED: usize = 1_000;

/// Whether an alarm is about one of `services` (names) in `cluster` (name): its dimensions
/// name the service (and the cluster, if any), or its name starts with the service's. Alarms
/// Application Auto Scaling made for itself are left out: their effect is the scaling lane.
pub fn about_services(
    name: &str,
    dimensions: &[(String, String)],
    cluster: &str,
    services: &[&str],
) -> bool {
    if name.starts_with("TargetTracking-") {
        return false;
    }
    let dim = |key: &str| {
        dimensions
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    let cluster_matches = dim("ClusterName").is_none_or(|c| c == cluster);
    match dim("ServiceName") {
        Some(service) => cluster_matches && services.contains(&service),
        None if services.is_empty() => dim("ClusterName") == Some(cluster),
        None => services
            .iter()
            .any(|s| name.starts_with(&format!("{s}-")) || name == *s),
    }
}

/// `OK`, `ALARM` from a StateUpdate's history data (`{"oldState":{"stateValue":"OK"},…}`),
/// else from its summary (`Alarm updated from OK to ALARM`).
pub fn states_of(data: Option<&str>, summary: &str) -> (Option<String>, Option<String>) {
    let parsed: Option<serde_json::Value> = data.and_then(|d| serde_json::from_str(d).ok());
    let state = |key: &str| {
        parsed
            .as_ref()
            .and_then(|v| v.get(key)?.get("stateValue")?.as_str().map(str::to_owned))
    };
    if let (Some(from), Some(to)) = (state("oldState"), state("newState")) {
        return (Some(from), Some(to));
    }
    let words: Vec<&str> = summary.split_whitespace().collect();
    let after = |word: &str| {
        words
            .iter()
            .position(|w| *w == word)
            .and_then(|i| words.get(i + 1))
            .map(|w| w.trim_end_matches('.').to_owned())
    };
    (after("from"), after("to"))
}

impl Ecs {
    /// State changes in `[start_secs, end_secs]` of the alarms about `services` (ARNs; empty:
    /// the cluster's), oldest first.
    pub async fn alarm_changes(
        &self,
        cluster: &str,
        services: &[String],
        start_secs: i64,
        end_secs: i64,
    ) -> Result<Vec<AlarmChange>, AwsError> {
        let Some(client) = &self.metrics else {
            return Ok(Vec::new());
        };
        let names: Vec<&str> = services.iter().map(|s| short_id(s)).collect();
        let alarms = self.alarms_about(short_id(cluster), &names).await?;
        let mut changes = Vec::new();
        for alarm in alarms.iter().take(MAX_ALARMS) {
            let out = client
                .describe_alarm_history()
                .alarm_name(alarm)
                .history_item_type(HistoryItemType::StateUpdate)
                .start_date(DateTime::from_secs(start_secs))
                .end_date(DateTime::from_secs(end_secs))
                .max_records(ITEMS_PER_ALARM)
                .send()
                .await
                .map_err(|e| from_sdk("DescribeAlarmHistory", self.hint(), e))?;
            changes.extend(out.alarm_history_items().iter().map(|item| {
                let summary = free_text(item.history_summary()).unwrap_or_default();
                let (from, to) = states_of(item.history_data(), &summary);
                AlarmChange {
                    alarm: alarm.clone(),
                    at: time(item.timestamp()),
                    from,
                    to,
                    summary,
                }
            }));
        }
        changes.sort_by_key(|c| c.at);
        Ok(changes)
    }

    /// Names of the metric alarms about `services` in `cluster` (names).
    async fn alarms_about(
        &self,
        cluster: &str,
        services: &[&str],
    ) -> Result<Vec<String>, AwsError> {
        let Some(client) = &self.metrics else {
            return Ok(Vec::new());
        };
        let mut found = Vec::new();
        let mut scanned = 0;
        let mut token: Option<String> = None;
        loop {
            let out = client
                .describe_alarms()
                .max_records(100)
                .set_next_token(token.take())
                .send()
                .await
                .map_err(|e| from_sdk("DescribeAlarms", self.hint(), e))?;
            for alarm in out.metric_alarms() {
                let name = alarm.alarm_name().unwrap_or_default();
                let dims: Vec<(String, String)> = alarm
                    .dimensions()
                    .iter()
                    .map(|d| {
                        (
                            d.name().unwrap_or_default().to_owned(),
                            d.value().unwrap_or_default().to_owned(),
                        )
                    })
                    .collect();
                if about_services(name, &dims, cluster, services) {
                    found.push(name.to_owned());
                }
            }
            scanned += out.metric_alarms().len();
            match out.next_token() {
                Some(next) if scanned < ALARMS_SCANNED => token = Some(next.to_owned()),
                _ => break,
            }
        }
        found.sort();
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dims(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn alarms_about_a_service_by_dimension_or_name() {
        let web = ["web"];
        let by_dim = dims(&[("ClusterName", "prod"), ("ServiceName", "web")]);
        assert!(about_services("High CPU", &by_dim, "prod", &web));
        assert!(!about_services("High CPU", &by_dim, "staging", &web));
        assert!(about_services(
            "web-5xx",
            &dims(&[("LoadBalancer", "app/x")]),
            "prod",
            &web
        ));
        assert!(!about_services("webhook-5xx", &[], "prod", &web));
        assert!(!about_services(
            "TargetTracking-service/prod/web-AlarmHigh-1",
            &by_dim,
            "prod",
            &web
        ));
        // A cluster's timeline: alarms on the cluster.
        assert!(about_services(
            "prod-cpu",
            &dims(&[("ClusterName", "prod")]),
            "prod",
            &[]
        ));
    }

    #[test]
    fn states_come_from_the_history_data_or_the_summary() {
        let data =
            r#"{"version":"1.0","oldState":{"stateValue":"OK"},"newState":{"stateValue":"ALARM"}}"#;
        assert_eq!(
            states_of(Some(data), ""),
            (Some("OK".into()), Some("ALARM".into()))
        );
        assert_eq!(
            states_of(None, "Alarm updated from ALARM to OK"),
            (Some("ALARM".into()), Some("OK".into()))
        );
        assert_eq!(states_of(Some("not json"), "Alarm created"), (None, None));
    }
}
