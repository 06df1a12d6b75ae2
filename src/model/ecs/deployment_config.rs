//! A service's deployment configuration as ECS runs it today: the strategy (rolling,
//! blue/green, linear, canary) and its parameters, the rollback monitors (circuit breaker,
//! CloudWatch alarms) and the lifecycle hooks — and how each is written for a person.

use serde::{Deserialize, Serialize};

/// The strategies ECS deploys with, as the API spells them.
pub const STRATEGIES: [&str; 4] = ["ROLLING", "BLUE_GREEN", "LINEAR", "CANARY"];

/// One step of traffic shifting: linear (each step) or canary (the first step).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TrafficStep {
    /// Percent of production traffic moved by the step.
    pub percent: Option<f64>,
    /// Minutes to wait after the step.
    pub bake_minutes: Option<i32>,
}

/// CloudWatch alarms watched during a deployment.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeploymentAlarms {
    /// Alarm names.
    pub names: Vec<String>,
    /// Watched at all.
    pub enable: bool,
    /// Roll back when one goes into ALARM.
    pub rollback: bool,
}

/// A lifecycle hook: a Lambda function, or a pause until someone continues.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LifecycleHook {
    /// AWS_LAMBDA or PAUSE.
    pub target_type: String,
    /// The Lambda function (none for a pause).
    pub target_arn: Option<String>,
    /// The role ECS invokes it with.
    pub role_arn: Option<String>,
    /// The lifecycle stages it runs at.
    pub stages: Vec<String>,
    /// Minutes before the timeout action is taken.
    pub timeout_minutes: Option<i32>,
    /// CONTINUE or ROLLBACK when it times out.
    pub timeout_action: Option<String>,
    /// The hook's `hookDetails`, as the API's JSON (passed to the function, never edited).
    #[serde(default)]
    pub details: Option<serde_json::Value>,
}

impl LifecycleHook {
    /// "pause" or the function's name.
    pub fn label(&self) -> String {
        match (self.target_type.as_str(), &self.target_arn) {
            ("PAUSE", _) => "pause".to_owned(),
            (_, Some(arn)) => format!("Lambda {}", arn.rsplit(':').next().unwrap_or(arn)),
            (kind, None) => kind.to_lowercase(),
        }
    }
}

/// Deployment configuration of a service.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DeploymentConfig {
    /// Lower bound on healthy tasks during a deployment, percent of desired.
    pub minimum_healthy_percent: Option<i32>,
    /// Upper bound on tasks during a deployment, percent of desired.
    pub maximum_percent: Option<i32>,
    /// Deployment circuit breaker enabled.
    pub circuit_breaker_enable: bool,
    /// Roll back when the circuit breaker trips.
    pub circuit_breaker_rollback: bool,
    /// ROLLING, BLUE_GREEN, LINEAR or CANARY; None when ECS left it out (rolling).
    #[serde(default)]
    pub strategy: Option<String>,
    /// Minutes both revisions run after production traffic moved (blue/green, linear, canary).
    #[serde(default)]
    pub bake_time_minutes: Option<i32>,
    /// Linear steps.
    #[serde(default)]
    pub linear: Option<TrafficStep>,
    /// The canary step.
    #[serde(default)]
    pub canary: Option<TrafficStep>,
    /// Alarms that stop the deployment.
    #[serde(default)]
    pub alarms: Option<DeploymentAlarms>,
    /// Lifecycle hooks, in the order ECS lists them.
    #[serde(default)]
    pub lifecycle_hooks: Vec<LifecycleHook>,
    /// Fields the app neither shows nor edits (early success criteria…) as the API's JSON, so
    /// the equivalent `aws` command sends them back too.
    #[serde(default)]
    pub other: serde_json::Map<String, serde_json::Value>,
}

/// `12.5` → "12.5", `10.0` → "10".
pub fn percent_text(percent: f64) -> String {
    if percent.fract() == 0.0 {
        format!("{percent:.0}")
    } else {
        format!("{percent}")
    }
}

fn minutes_text(minutes: Option<i32>) -> String {
    match minutes {
        Some(1) => "1 minute".to_owned(),
        Some(m) => format!("{m} minutes"),
        None => "default".to_owned(),
    }
}

impl DeploymentConfig {
    /// The strategy ECS uses: the one set, else ROLLING.
    pub fn strategy_name(&self) -> &str {
        self.strategy.as_deref().unwrap_or("ROLLING")
    }

    /// True for the strategies that shift traffic between two revisions.
    pub fn shifts_traffic(&self) -> bool {
        matches!(self.strategy_name(), "BLUE_GREEN" | "LINEAR" | "CANARY")
    }

    /// "Blue/green", "Linear: 10 % every 5 minutes"…: the strategy and its steps in words.
    pub fn strategy_text(&self) -> String {
        let step = |s: &Option<TrafficStep>| s.clone().unwrap_or_default();
        match self.strategy_name() {
            "ROLLING" => "Rolling update".to_owned(),
            "BLUE_GREEN" => "Blue/green: all traffic at once".to_owned(),
            "LINEAR" => {
                let s = step(&self.linear);
                format!(
                    "Linear: {} % of traffic per step, {} after each",
                    s.percent.map_or_else(|| "?".to_owned(), percent_text),
                    minutes_text(s.bake_minutes)
                )
            }
            "CANARY" => {
                let s = step(&self.canary);
                format!(
                    "Canary: {} % first, the rest after {}",
                    s.percent.map_or_else(|| "?".to_owned(), percent_text),
                    minutes_text(s.bake_minutes)
                )
            }
            other => other.to_owned(),
        }
    }

    /// "on, with rollback", "on, no rollback" or "off".
    pub fn circuit_breaker_text(&self) -> &'static str {
        match (self.circuit_breaker_enable, self.circuit_breaker_rollback) {
            (false, _) => "off",
            (true, true) => "on, with rollback",
            (true, false) => "on, no rollback",
        }
    }

    /// "none", or the alarm names with what happens when one fires.
    pub fn alarms_text(&self) -> String {
        match &self.alarms {
            Some(a) if a.enable && !a.names.is_empty() => format!(
                "{} ({})",
                a.names.join(", "),
                if a.rollback {
                    "roll back when one fires"
                } else {
                    "fail without rollback"
                }
            ),
            Some(a) if !a.names.is_empty() => format!("{} (not watched)", a.names.join(", ")),
            _ => "none".to_owned(),
        }
    }

    /// "10 minutes" or "-" where the strategy has no bake time.
    pub fn bake_time_text(&self) -> String {
        if self.shifts_traffic() || self.bake_time_minutes.is_some() {
            minutes_text(self.bake_time_minutes)
        } else {
            "-".to_owned()
        }
    }
}

impl DeploymentConfig {
    /// The configuration as the API's JSON (`aws ecs update-service --deployment-configuration`):
    /// every field the service has, so the command replaces nothing with nothing.
    pub fn to_api_json(&self) -> serde_json::Value {
        use serde_json::{Map, Value, json};
        let mut out = Map::new();
        let mut put = |key: &str, value: Value| {
            if !value.is_null() {
                out.insert(key.to_owned(), value);
            }
        };
        put("strategy", json!(self.strategy));
        put("minimumHealthyPercent", json!(self.minimum_healthy_percent));
        put("maximumPercent", json!(self.maximum_percent));
        put(
            "deploymentCircuitBreaker",
            json!({"enable": self.circuit_breaker_enable, "rollback": self.circuit_breaker_rollback}),
        );
        put("bakeTimeInMinutes", json!(self.bake_time_minutes));
        if let Some(step) = &self.linear {
            put(
                "linearConfiguration",
                json!({"stepPercent": step.percent, "stepBakeTimeInMinutes": step.bake_minutes}),
            );
        }
        if let Some(step) = &self.canary {
            put(
                "canaryConfiguration",
                json!({"canaryPercent": step.percent, "canaryBakeTimeInMinutes": step.bake_minutes}),
            );
        }
        if let Some(a) = &self.alarms {
            put(
                "alarms",
                json!({"alarmNames": a.names, "enable": a.enable, "rollback": a.rollback}),
            );
        }
        if !self.lifecycle_hooks.is_empty() {
            put(
                "lifecycleHooks",
                Value::Array(
                    self.lifecycle_hooks
                        .iter()
                        .map(LifecycleHook::to_api_json)
                        .collect(),
                ),
            );
        }
        for (key, value) in &self.other {
            out.insert(key.clone(), value.clone());
        }
        strip_nulls(Value::Object(out))
    }
}

impl LifecycleHook {
    /// The hook as the API's JSON.
    pub fn to_api_json(&self) -> serde_json::Value {
        let mut hook = serde_json::json!({
            "targetType": self.target_type,
            "hookTargetArn": self.target_arn,
            "roleArn": self.role_arn,
            "lifecycleStages": self.stages,
            "hookDetails": self.details,
        });
        if self.timeout_minutes.is_some() || self.timeout_action.is_some() {
            hook["timeoutConfiguration"] = serde_json::json!({
                "timeoutInMinutes": self.timeout_minutes,
                "action": self.timeout_action,
            });
        }
        strip_nulls(hook)
    }
}

/// The value without null members: the API's JSON leaves an unset field out.
fn strip_nulls(value: serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(map) => serde_json::Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, strip_nulls(v)))
                .collect(),
        ),
        serde_json::Value::Array(items) => {
            serde_json::Value::Array(items.into_iter().map(strip_nulls).collect())
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strategies_in_words() {
        let mut config = DeploymentConfig::default();
        assert_eq!(config.strategy_text(), "Rolling update");
        assert_eq!(config.bake_time_text(), "-");
        config.strategy = Some("LINEAR".into());
        config.linear = Some(TrafficStep {
            percent: Some(12.5),
            bake_minutes: Some(3),
        });
        config.bake_time_minutes = Some(10);
        assert_eq!(
            config.strategy_text(),
            "Linear: 12.5 % of traffic per step, 3 minutes after each"
        );
        assert_eq!(config.bake_time_text(), "10 minutes");
        config.strategy = Some("CANARY".into());
        config.canary = Some(TrafficStep {
            percent: Some(10.0),
            bake_minutes: Some(1),
        });
        assert_eq!(
            config.strategy_text(),
            "Canary: 10 % first, the rest after 1 minute"
        );
    }

    #[test]
    fn alarms_and_hooks_in_words() {
        let config = DeploymentConfig {
            alarms: Some(DeploymentAlarms {
                names: vec!["api-5xx".into(), "api-p99".into()],
                enable: true,
                rollback: true,
            }),
            ..DeploymentConfig::default()
        };
        assert_eq!(
            config.alarms_text(),
            "api-5xx, api-p99 (roll back when one fires)"
        );
        let hook = LifecycleHook {
            target_type: "AWS_LAMBDA".into(),
            target_arn: Some("arn:aws:lambda:us-east-1:1:function:smoke-test".into()),
            ..LifecycleHook::default()
        };
        assert_eq!(hook.label(), "Lambda smoke-test");
    }

    #[test]
    fn api_json_has_every_field_set_and_no_nulls() {
        let config = DeploymentConfig {
            strategy: Some("CANARY".into()),
            canary: Some(TrafficStep {
                percent: Some(10.0),
                bake_minutes: None,
            }),
            lifecycle_hooks: vec![LifecycleHook {
                target_type: "PAUSE".into(),
                stages: vec!["POST_TEST_TRAFFIC_SHIFT".into()],
                timeout_minutes: Some(30),
                details: Some(serde_json::json!({"ticket": "CHG-1"})),
                ..LifecycleHook::default()
            }],
            other: serde_json::json!({"earlySuccessCriteria": {"enable": true}})
                .as_object()
                .cloned()
                .unwrap_or_default(),
            ..DeploymentConfig::default()
        };
        assert_eq!(
            config.to_api_json(),
            serde_json::json!({
                "strategy": "CANARY",
                "deploymentCircuitBreaker": {"enable": false, "rollback": false},
                "canaryConfiguration": {"canaryPercent": 10.0},
                "lifecycleHooks": [{
                    "targetType": "PAUSE",
                    "lifecycleStages": ["POST_TEST_TRAFFIC_SHIFT"],
                    "hookDetails": {"ticket": "CHG-1"},
                    "timeoutConfiguration": {"timeoutInMinutes": 30}
                }],
                "earlySuccessCriteria": {"enable": true}
            })
        );
    }
}
