//! CloudWatch DescribeAlarms: the metric alarms a deployment can watch, with their states.

use super::Ecs;
use super::error::from_sdk;
use crate::model::AwsError;
use crate::model::metrics::alarms::{AlarmState, Alarms, MAX_ALARMS};
use aws_smithy_types::DateTime;
use std::time::SystemTime;

fn time(t: Option<&DateTime>) -> Option<SystemTime> {
    t.and_then(|t| SystemTime::try_from(*t).ok())
}

impl Ecs {
    /// The region's metric alarms, up to [`MAX_ALARMS`], by name.
    pub async fn alarms(&self) -> Result<Alarms, AwsError> {
        const OPERATION: &str = "DescribeAlarms";
        let client = self
            .metrics
            .as_ref()
            .ok_or_else(|| AwsError::internal(OPERATION, "no CloudWatch client"))?;
        let mut list = Vec::new();
        let mut token: Option<String> = None;
        let truncated = loop {
            let out = client
                .describe_alarms()
                .max_records(100)
                .set_next_token(token.take())
                .send()
                .await
                .map_err(|e| from_sdk(OPERATION, self.hint(), e))?;
            list.extend(out.metric_alarms().iter().map(|a| AlarmState {
                name: super::ecs_convert::free_text(a.alarm_name()).unwrap_or_default(),
                state: a.state_value().map_or("", |s| s.as_str()).to_owned(),
                reason: super::ecs_convert::free_text(a.state_reason()),
                updated_at: time(a.state_updated_timestamp()),
            }));
            match out.next_token() {
                Some(next) if list.len() < MAX_ALARMS => token = Some(next.to_owned()),
                Some(_) => break true,
                None => break false,
            }
        };
        list.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(Alarms { list, truncated })
    }
}
