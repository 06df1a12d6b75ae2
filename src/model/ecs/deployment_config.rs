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
    /// "pause at Post test traffic shift · after 60 min: rollback".
    pub fn describe(&self) -> String {
        let stages: Vec<String> = self
            .stages
            .iter()
            .map(|s| super::service_deployment::stage_label(s))
            .collect();
        let timeout = match (self.timeout_minutes, self.timeout_action.as_deref()) {
            (Some(m), Some(action)) => format!(" · after {m} min: {}", action.to_lowercase()),
            (Some(m), None) => format!(" · times out after {m} min"),
            (None, Some(action)) => format!(" · at timeout: {}", action.to_lowercase()),
            (None, None) => String::new(),
        };
        format!("{} at {}{timeout}", self.label(), stages.join(", "))
    }

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

    /// The configuration in words, field by field, under the service's `controller`.
    pub fn rows(&self, controller: &str) -> Vec<(&'static str, String)> {
        let percent = |v: Option<i32>| v.map_or_else(|| "default".to_owned(), |p| format!("{p} %"));
        vec![
            ("Controller", controller.to_owned()),
            ("Strategy", self.strategy_text()),
            ("Bake time", self.bake_time_text()),
            ("Minimum healthy", percent(self.minimum_healthy_percent)),
            ("Maximum", percent(self.maximum_percent)),
            ("Circuit breaker", self.circuit_breaker_text().to_owned()),
        ]
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

/// What of a service a deployment configuration is checked against.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ServiceTraits {
    /// ECS, CODE_DEPLOY or EXTERNAL.
    pub controller: String,
    /// It has a load balancer (target group).
    pub load_balanced: bool,
    /// It uses Service Connect.
    pub service_connect: bool,
}

fn in_range(value: Option<f64>, low: f64, high: f64) -> bool {
    value.is_none_or(|v| (low..=high).contains(&v))
}

impl DeploymentConfig {
    /// Why ECS would reject this configuration for a service with `traits`; empty when it
    /// would not. Checked before anything is sent, with ECS's own limits.
    pub fn problems(&self, traits: &ServiceTraits) -> Vec<String> {
        let mut out = Vec::new();
        let strategy = self.strategy_name();
        if !STRATEGIES.contains(&strategy) {
            out.push(format!(
                "strategy {strategy} is not one of {}",
                STRATEGIES.join(", ")
            ));
        }
        if strategy != "ROLLING" && !traits.controller.is_empty() && traits.controller != "ECS" {
            out.push(format!(
                "the service's deployment controller is {}: ECS deployment strategies need the ECS controller",
                traits.controller
            ));
        }
        if self.shifts_traffic() && !traits.load_balanced && !traits.service_connect {
            out.push(format!(
                "{} shifts traffic: the service needs a load balancer or Service Connect",
                self.strategy_text().split(':').next().unwrap_or(strategy)
            ));
        }
        let minutes = |m: Option<i32>| m.is_none_or(|m| (0..=1440).contains(&m));
        if !minutes(self.bake_time_minutes) {
            out.push("bake time must be 0–1440 minutes".to_owned());
        }
        if strategy == "LINEAR" {
            let step = self.linear.clone().unwrap_or_default();
            if !in_range(step.percent, 3.0, 100.0) {
                out.push("linear step must be 3–100 % of traffic".to_owned());
            }
            if !minutes(step.bake_minutes) {
                out.push("the wait after each linear step must be 0–1440 minutes".to_owned());
            }
        }
        if strategy == "CANARY" {
            let step = self.canary.clone().unwrap_or_default();
            if !in_range(step.percent, 0.1, 100.0) {
                out.push("canary must be 0.1–100 % of traffic".to_owned());
            }
            if !minutes(step.bake_minutes) {
                out.push("the canary's wait must be 0–1440 minutes".to_owned());
            }
        }
        if let Some(min) = self.minimum_healthy_percent
            && !(0..=100).contains(&min)
        {
            out.push("minimum healthy must be 0–100 %".to_owned());
        }
        if let (Some(min), Some(max)) = (self.minimum_healthy_percent, self.maximum_percent)
            && max < min
        {
            out.push(format!(
                "maximum ({max} %) must not be below minimum healthy ({min} %)"
            ));
        }
        if self.maximum_percent.is_some_and(|max| max <= 0) {
            out.push("maximum must be above 0 %".to_owned());
        }
        if let Some(alarms) = &self.alarms
            && alarms.enable
            && alarms.names.is_empty()
        {
            out.push("watching alarms needs at least one alarm name".to_owned());
        }
        out
    }

    /// The fields that differ from `before`, in words: (field, before, after).
    pub fn changes_from(&self, before: &DeploymentConfig) -> Vec<(&'static str, String, String)> {
        let percent = |v: Option<i32>| v.map_or_else(|| "default".to_owned(), |p| format!("{p} %"));
        let on = |b: bool| if b { "on" } else { "off" }.to_owned();
        [
            ("Strategy", before.strategy_text(), self.strategy_text()),
            ("Bake time", before.bake_time_text(), self.bake_time_text()),
            (
                "Minimum healthy",
                percent(before.minimum_healthy_percent),
                percent(self.minimum_healthy_percent),
            ),
            (
                "Maximum",
                percent(before.maximum_percent),
                percent(self.maximum_percent),
            ),
            (
                "Circuit breaker",
                on(before.circuit_breaker_enable),
                on(self.circuit_breaker_enable),
            ),
            (
                "Roll back on failure",
                on(before.circuit_breaker_rollback),
                on(self.circuit_breaker_rollback),
            ),
            ("Alarms", before.alarms_text(), self.alarms_text()),
        ]
        .into_iter()
        .filter(|(_, b, a)| b != a)
        .collect()
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
    fn problems_are_the_ones_ecs_would_reject() {
        let lb = ServiceTraits {
            controller: "ECS".into(),
            load_balanced: true,
            service_connect: false,
        };
        let mut config = DeploymentConfig {
            strategy: Some("LINEAR".into()),
            linear: Some(TrafficStep {
                percent: Some(2.0),
                bake_minutes: Some(5),
            }),
            ..DeploymentConfig::default()
        };
        assert_eq!(
            config.problems(&lb),
            ["linear step must be 3–100 % of traffic"]
        );
        config.linear = Some(TrafficStep {
            percent: Some(10.0),
            bake_minutes: Some(5),
        });
        assert!(config.problems(&lb).is_empty());
        let bare = ServiceTraits {
            controller: "ECS".into(),
            ..ServiceTraits::default()
        };
        assert_eq!(
            config.problems(&bare),
            ["Linear shifts traffic: the service needs a load balancer or Service Connect"]
        );
        config.minimum_healthy_percent = Some(100);
        config.maximum_percent = Some(50);
        config.alarms = Some(DeploymentAlarms {
            enable: true,
            ..DeploymentAlarms::default()
        });
        let problems = config.problems(&ServiceTraits {
            controller: "CODE_DEPLOY".into(),
            service_connect: true,
            ..ServiceTraits::default()
        });
        assert_eq!(problems.len(), 3, "{problems:?}");
    }

    #[test]
    fn changes_name_only_what_differs() {
        let before = DeploymentConfig::default();
        let after = DeploymentConfig {
            strategy: Some("BLUE_GREEN".into()),
            bake_time_minutes: Some(10),
            ..DeploymentConfig::default()
        };
        let fields: Vec<&str> = after.changes_from(&before).iter().map(|c| c.0).collect();
        assert_eq!(fields, ["Strategy", "Bake time"]);
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
