//! A service's Application Auto Scaling target: the bounds it keeps the desired count in, and
//! the policies that move it.

use serde::Serialize;

/// One scaling policy.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScalingPolicy {
    /// Policy name.
    pub name: String,
    /// `TargetTrackingScaling`, `StepScaling`, …
    pub kind: String,
    /// The tracked metric (`ECSServiceAverageCPUUtilization`, or a custom metric's name).
    pub metric: Option<String>,
    /// The target value of a target-tracking policy.
    pub target: Option<f64>,
}

impl ScalingPolicy {
    /// `CPU 60%` / `memory 75%` / `ALB requests per target 1000` / the kind.
    pub fn label(&self) -> String {
        let metric = self.metric.as_deref().map(|m| match m {
            "ECSServiceAverageCPUUtilization" => "CPU".to_owned(),
            "ECSServiceAverageMemoryUtilization" => "memory".to_owned(),
            "ALBRequestCountPerTarget" => "requests per target".to_owned(),
            other => other.to_owned(),
        });
        let percent = self
            .metric
            .as_deref()
            .is_some_and(|m| m.ends_with("Utilization"));
        match (metric, self.target) {
            (Some(metric), Some(target)) if percent => format!("{metric} {target}%"),
            (Some(metric), Some(target)) => format!("{metric} {target}"),
            _ => self.kind.clone(),
        }
    }
}

/// The scalable target of a service.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScalingTarget {
    /// Application Auto Scaling resource id: `service/<cluster>/<service>`.
    pub resource_id: String,
    /// Lowest desired count auto scaling sets.
    pub min: i32,
    /// Highest desired count auto scaling sets.
    pub max: i32,
    /// True when scale-in or scale-out is suspended.
    pub suspended: bool,
    /// Policies attached.
    pub policies: Vec<ScalingPolicy>,
}

impl ScalingTarget {
    /// Why `desired` will not stay, if auto scaling will override it.
    pub fn override_warning(&self, desired: i32) -> Option<String> {
        if self.suspended || (self.min..=self.max).contains(&desired) {
            return None;
        }
        let to = desired.clamp(self.min, self.max);
        Some(format!(
            "Auto scaling keeps this service between {} and {} tasks: {desired} will be set back to {to}.",
            self.min, self.max
        ))
    }

    /// `min 2 · max 10 · CPU 60%`.
    pub fn summary(&self) -> String {
        let mut parts = vec![format!("min {} · max {}", self.min, self.max)];
        parts.extend(self.policies.iter().map(ScalingPolicy::label));
        if self.suspended {
            parts.push("suspended".to_owned());
        }
        parts.join(" · ")
    }
}

/// The Application Auto Scaling resource id of a service.
pub fn resource_id(cluster: &str, service: &str) -> String {
    let name = |arn: &str| arn.rsplit('/').next().unwrap_or(arn).to_owned();
    format!("service/{}/{}", name(cluster), name(service))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target() -> ScalingTarget {
        ScalingTarget {
            resource_id: "service/prod/api".into(),
            min: 2,
            max: 10,
            suspended: false,
            policies: vec![ScalingPolicy {
                name: "cpu".into(),
                kind: "TargetTrackingScaling".into(),
                metric: Some("ECSServiceAverageCPUUtilization".into()),
                target: Some(60.0),
            }],
        }
    }

    #[test]
    fn a_count_outside_the_bounds_is_flagged_and_inside_it_is_not() {
        let t = target();
        assert_eq!(t.override_warning(5), None);
        assert!(t.override_warning(0).unwrap().contains("set back to 2"));
        assert!(t.override_warning(20).unwrap().contains("set back to 10"));
        let suspended = ScalingTarget {
            suspended: true,
            ..target()
        };
        assert_eq!(suspended.override_warning(0), None);
        assert_eq!(t.summary(), "min 2 · max 10 · CPU 60%");
    }

    #[test]
    fn resource_ids_use_names() {
        assert_eq!(
            resource_id(
                "arn:aws:ecs:us-east-1:1:cluster/prod",
                "arn:aws:ecs:us-east-1:1:service/prod/api"
            ),
            "service/prod/api"
        );
        assert_eq!(resource_id("prod", "api"), "service/prod/api");
    }
}
