//! What a task definition, its service and the memory chart add to a stopped task's own
//! record before it is diagnosed.

use super::diagnosis::TaskFacts;
use crate::model::ecs::Service;
use crate::model::metrics::charts::MetricsData;
use ecsdeck_core::task_def::TaskDefDocument;
use serde_json::Value;
use std::collections::BTreeMap;

/// The facts of a revision: memory limits, health checks, essential containers, stop timeouts.
pub fn facts_of_revision(document: &TaskDefDocument) -> TaskFacts {
    let mut facts = TaskFacts {
        task_memory_mib: document.text("memory").and_then(|m| m.trim().parse().ok()),
        ..TaskFacts::default()
    };
    for container in document.containers() {
        let Some(name) = container.get("name").and_then(Value::as_str) else {
            continue;
        };
        if let Some(limit) = number(container.get("memory")) {
            facts.memory_limits_mib.push((name.to_owned(), limit));
        }
        if container.get("essential").and_then(Value::as_bool) != Some(false) {
            facts.essential.push(name.to_owned());
        }
        if let Some(command) = container
            .get("healthCheck")
            .and_then(|h| h.get("command"))
            .and_then(Value::as_array)
        {
            let words: Vec<&str> = command.iter().filter_map(Value::as_str).collect();
            // ["CMD-SHELL", "curl -f …"] reads as the shell line alone.
            let shown = match words.as_slice() {
                ["CMD-SHELL", rest @ ..] | ["CMD", rest @ ..] => rest.join(" "),
                all => all.join(" "),
            };
            facts.health_checks.push((name.to_owned(), shown));
        }
        if let Some(timeout) = number(container.get("stopTimeout")) {
            facts.stop_timeout_secs =
                Some(facts.stop_timeout_secs.map_or(timeout, |t| t.max(timeout)));
        }
    }
    facts
}

fn number(value: Option<&Value>) -> Option<u32> {
    match value? {
        Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Adds the service's grace period and its target groups' health-check paths (`paths`, by
/// target group ARN) to `facts`.
pub fn with_service(
    mut facts: TaskFacts,
    service: Option<&Service>,
    paths: &BTreeMap<String, String>,
) -> TaskFacts {
    if let Some(service) = service {
        facts.grace_period_secs = service.health_check_grace_period_secs;
        let mut own: Vec<&str> = service
            .load_balancers
            .iter()
            .filter_map(|lb| paths.get(lb.target_group_arn.as_deref()?))
            .map(String::as_str)
            .collect();
        own.sort_unstable();
        own.dedup();
        if !own.is_empty() {
            facts.health_check_path = Some(own.join(" or "));
        }
    }
    facts
}

/// The highest memory utilisation (the Maximum series of the memory chart) between
/// `from_secs` and `to_secs`, percent; None when the chart has no datapoint there.
pub fn memory_peak(charts: &MetricsData, from_secs: i64, to_secs: i64) -> Option<f64> {
    let chart = charts
        .charts
        .iter()
        .find(|c| c.title.starts_with("Memory utilization"))?;
    let series = chart.series.iter().find(|s| s.label == "Maximum")?;
    let period = i64::from(charts.window.period_secs.max(1));
    // The datapoint of a period holds the minute the task stopped in: include it.
    let first = (from_secs - charts.window.start_secs)
        .div_euclid(period)
        .max(0);
    let last = (to_secs - charts.window.start_secs).div_euclid(period);
    (first..=last)
        .filter_map(|slot| usize::try_from(slot).ok())
        .filter_map(|slot| series.values.get(slot).copied().flatten())
        .reduce(f64::max)
}
