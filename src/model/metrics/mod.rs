//! CloudWatch metric charts: time ranges, period choice within the API's and retention's
//! limits, and what to ask GetMetricData for.

pub mod alarms;
pub mod charts;
pub mod export;
pub mod lod;
pub mod markers;
pub mod spark_outline;
pub mod sparklines;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

/// Most queries one GetMetricData call accepts.
pub const MAX_QUERIES_PER_CALL: usize = 500;
/// Most datapoints one GetMetricData call returns (summed over its queries).
pub const MAX_DATAPOINTS_PER_CALL: usize = 100_800;
/// ECS publishes its metrics once a minute: no finer period is useful.
pub const MIN_PERIOD_SECS: u32 = 60;
/// How often a live chart reloads.
pub const LIVE_REFRESH_SECS: u64 = 60;
/// CloudWatch keeps nothing older than this (455 days).
pub const MAX_AGE_SECS: i64 = 455 * 86_400;

/// Periods offered, shortest first; longer spans use whole days.
const NICE_PERIODS_SECS: [u32; 12] = [
    60, 120, 300, 600, 900, 1_800, 3_600, 7_200, 10_800, 21_600, 43_200, 86_400,
];

/// Retention: up to this age (seconds) the period must be at least that many seconds.
const RETENTION: [(i64, u32); 3] = [
    (15 * 86_400, 60),     // 1-minute data for 15 days
    (63 * 86_400, 300),    // 5-minute data for 63 days
    (MAX_AGE_SECS, 3_600), // 1-hour data for 455 days
];

/// The time window of a chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MetricRange {
    /// The last `secs` seconds up to now.
    Last(u32),
    /// The last `minutes` minutes at 1-minute resolution, reloaded every minute.
    Live(u32),
    /// A fixed window, epoch seconds.
    Custom {
        /// Start, epoch seconds.
        start_secs: i64,
        /// End, epoch seconds.
        end_secs: i64,
    },
}

impl Default for MetricRange {
    fn default() -> Self {
        Self::Last(3 * 3_600)
    }
}

impl MetricRange {
    /// The presets of the range bar: 1 h, 3 h, 12 h, 24 h, 3 d, 7 d.
    pub const PRESETS: [Self; 6] = [
        Self::Last(3_600),
        Self::Last(3 * 3_600),
        Self::Last(12 * 3_600),
        Self::Last(24 * 3_600),
        Self::Last(3 * 86_400),
        Self::Last(7 * 86_400),
    ];

    /// `1h`, `3d`, `live 30m`, or the custom window's length.
    pub fn label(&self) -> String {
        match self {
            Self::Last(secs) => span_label(i64::from(*secs)),
            Self::Live(minutes) => format!("live {minutes}m"),
            Self::Custom {
                start_secs,
                end_secs,
            } => format!("custom {}", span_label(end_secs - start_secs)),
        }
    }

    /// Parses `1h`, `90m`, `3d`, `2w`, `live` or `live15m` (the CLI's `--range`).
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim().to_lowercase();
        if let Some(rest) = text.strip_prefix("live") {
            let minutes = if rest.is_empty() {
                30
            } else {
                parse_span_secs(rest)? / 60
            };
            return match minutes {
                1..=1_440 => Ok(Self::Live(minutes)),
                _ => Err(format!("a live range is 1 to 1440 minutes, not “{text}”")),
            };
        }
        let secs = parse_span_secs(&text)?;
        if i64::from(secs) > MAX_AGE_SECS {
            return Err("CloudWatch keeps metrics for 455 days at most".to_owned());
        }
        Ok(Self::Last(secs))
    }

    /// The window `[start, end)` in epoch seconds at `now_secs`.
    pub fn window(&self, now_secs: i64) -> (i64, i64) {
        match *self {
            Self::Last(secs) => (now_secs - i64::from(secs), now_secs),
            Self::Live(minutes) => (now_secs - i64::from(minutes) * 60, now_secs),
            Self::Custom {
                start_secs,
                end_secs,
            } => (start_secs, end_secs),
        }
    }

    /// How often a chart of this range is worth reloading, in seconds (None: never, a fixed
    /// window in the past does not change).
    pub fn refresh_secs(&self, period_secs: u32, now_secs: i64) -> Option<u64> {
        match *self {
            Self::Live(_) => Some(LIVE_REFRESH_SECS),
            Self::Last(_) => Some(u64::from(period_secs).max(LIVE_REFRESH_SECS)),
            Self::Custom { end_secs, .. } if end_secs > now_secs => {
                Some(u64::from(period_secs).max(LIVE_REFRESH_SECS))
            }
            Self::Custom { .. } => None,
        }
    }
}

/// `90s` → `1m`, `3600` → `1h`, `86400` → `24h`, `259200` → `3d`, for labels.
pub fn span_label(secs: i64) -> String {
    match secs {
        s if s > 86_400 && s % 86_400 == 0 => format!("{}d", s / 86_400),
        s if s >= 3_600 && s % 3_600 == 0 => format!("{}h", s / 3_600),
        s if s >= 60 => format!("{}m", s / 60),
        s => format!("{s}s"),
    }
}

fn parse_span_secs(text: &str) -> Result<u32, String> {
    let bad = || format!("“{text}” is not a time span (examples: 90m, 3h, 7d)");
    let split = text.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
    let (digits, unit) = text.split_at(split);
    let count: u32 = digits.parse().map_err(|_| bad())?;
    let unit_secs = match unit {
        "m" | "min" => 60,
        "h" => 3_600,
        "d" => 86_400,
        "w" => 7 * 86_400,
        _ => return Err(bad()),
    };
    count
        .checked_mul(unit_secs)
        .filter(|secs| *secs > 0)
        .ok_or_else(bad)
}

/// Why a window can't be charted.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RangeError {
    /// The whole window lies after now.
    #[error("this range is in the future: CloudWatch has no data after now")]
    Future,
    /// End before start.
    #[error("the range ends before it starts")]
    Empty,
    /// Older than CloudWatch keeps.
    #[error("CloudWatch keeps metrics for 455 days; this range is older")]
    TooOld,
}

/// The window actually requested: aligned to whole periods, never after now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    /// Start, epoch seconds (a multiple of the period).
    pub start_secs: i64,
    /// End, epoch seconds (a multiple of the period, after start).
    pub end_secs: i64,
    /// Seconds per datapoint.
    pub period_secs: u32,
}

impl Window {
    /// Datapoints per series.
    pub fn points(&self) -> usize {
        usize::try_from((self.end_secs - self.start_secs) / i64::from(self.period_secs))
            .unwrap_or(0)
    }
}

/// The smallest period CloudWatch still keeps for data `age_secs` old.
pub fn retention_min_period(age_secs: i64) -> Option<u32> {
    RETENTION
        .iter()
        .find(|(max_age, _)| age_secs <= *max_age)
        .map(|(_, period)| *period)
}

/// Chooses the period for `range` at `now_secs` drawn `width_px` wide: the finest period with
/// no more points than pixels, at least 1 minute, at least what retention keeps for the
/// window's oldest point, and within one call's datapoint limit.
pub fn choose_period(range: &MetricRange, now_secs: i64, width_px: u32) -> Result<u32, RangeError> {
    let (start, end) = checked_span(range, now_secs)?;
    let max_points = i64::from(width_px.max(10)).min(MAX_DATAPOINTS_PER_CALL as i64);
    let by_width = u32::try_from((end - start + max_points - 1) / max_points).unwrap_or(u32::MAX);
    Ok(nice_period(by_width.max(retention_floor(start, now_secs)?)))
}

/// The window requested for `range` at `now_secs` with (at least) `period_secs`: aligned to
/// whole periods and never after now; the period is raised to what retention still keeps.
pub fn window(range: &MetricRange, now_secs: i64, period_secs: u32) -> Result<Window, RangeError> {
    let (start, end) = checked_span(range, now_secs)?;
    let period_secs = nice_period(period_secs.max(retention_floor(start, now_secs)?));
    let period = i64::from(period_secs);
    let start_secs = start.div_euclid(period) * period;
    let end_secs = (end + period - 1).div_euclid(period) * period;
    Ok(Window {
        start_secs,
        end_secs: end_secs.max(start_secs + period),
        period_secs,
    })
}

/// Start and end of the window, end clamped to now; errors for future, empty and too old.
fn checked_span(range: &MetricRange, now_secs: i64) -> Result<(i64, i64), RangeError> {
    let (start, end) = range.window(now_secs);
    if start >= now_secs {
        return Err(RangeError::Future);
    }
    if end <= start {
        return Err(RangeError::Empty);
    }
    Ok((start, end.min(now_secs)))
}

fn retention_floor(start_secs: i64, now_secs: i64) -> Result<u32, RangeError> {
    retention_min_period(now_secs - start_secs).ok_or(RangeError::TooOld)
}

/// The smallest offered period of at least `needed_secs` (and at least a minute).
fn nice_period(needed_secs: u32) -> u32 {
    let needed = needed_secs.max(MIN_PERIOD_SECS);
    NICE_PERIODS_SECS
        .iter()
        .copied()
        .find(|p| *p >= needed)
        .unwrap_or_else(|| needed.div_ceil(86_400).saturating_mul(86_400))
}

/// How many queries fit one GetMetricData call when each returns `points` datapoints.
pub fn queries_per_call(points: usize) -> usize {
    (MAX_DATAPOINTS_PER_CALL / points.max(1)).clamp(1, MAX_QUERIES_PER_CALL)
}

/// GetMetricData calls needed for `queries` queries of `points` datapoints each.
pub fn calls_needed(queries: usize, points: usize) -> usize {
    queries.div_ceil(queries_per_call(points))
}

/// A statistic of a metric.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Stat {
    /// Mean over the period.
    Average,
    /// Highest over the period.
    Maximum,
    /// Lowest over the period.
    Minimum,
    /// Total over the period.
    Sum,
}

impl Stat {
    /// The API's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Average => "Average",
            Self::Maximum => "Maximum",
            Self::Minimum => "Minimum",
            Self::Sum => "Sum",
        }
    }
}

/// One metric statistic to fetch.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MetricQuery {
    /// `AWS/ECS` or `ECS/ContainerInsights`.
    pub namespace: String,
    /// `CPUUtilization`…
    pub metric: String,
    /// Dimension name and value pairs.
    pub dimensions: Vec<(String, String)>,
    /// Which statistic.
    pub stat: Stat,
}

impl MetricQuery {
    /// A query of `metric` in `namespace`.
    pub fn new(namespace: &str, metric: &str, dimensions: &[(&str, &str)], stat: Stat) -> Self {
        Self {
            namespace: namespace.to_owned(),
            metric: metric.to_owned(),
            dimensions: dimensions
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
            stat,
        }
    }

    /// The value of one dimension.
    pub fn dimension(&self, name: &str) -> Option<&str> {
        self.dimensions
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What one query returned: timestamps (epoch seconds) and values, in any order.
#[derive(Clone, Debug, PartialEq)]
pub struct QueryResult {
    /// Epoch seconds.
    pub timestamps: Vec<i64>,
    /// Values, one per timestamp.
    pub values: Vec<f64>,
    /// False when CloudWatch said the answer is partial (`PartialData`).
    pub complete: bool,
}

impl Default for QueryResult {
    /// No datapoints, and nothing said to be missing.
    fn default() -> Self {
        Self {
            timestamps: Vec::new(),
            values: Vec::new(),
            complete: true,
        }
    }
}

/// Puts a query's datapoints on the window's grid: one slot per period, `None` where
/// CloudWatch had no datapoint (a gap, never a zero). Points off the window are ignored.
pub fn align(result: &QueryResult, window: &Window) -> Vec<Option<f64>> {
    let mut slots = vec![None; window.points()];
    let period = i64::from(window.period_secs);
    for (t, v) in result.timestamps.iter().zip(&result.values) {
        let offset = t - window.start_secs;
        if offset < 0 || !v.is_finite() {
            continue;
        }
        if let Some(slot) = usize::try_from(offset / period)
            .ok()
            .and_then(|i| slots.get_mut(i))
        {
            *slot = Some(*v);
        }
    }
    slots
}
