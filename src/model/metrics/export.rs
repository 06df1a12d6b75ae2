//! Charts as CSV (copy from the chart, `ecsdeck metrics --output csv`) and JSON.

use super::charts::MetricsData;
use crate::model::time_format::rfc3339;
use serde_json::{Value, json};
use std::time::{Duration, UNIX_EPOCH};

fn timestamp(secs: i64) -> String {
    let t = if secs >= 0 {
        UNIX_EPOCH + Duration::from_secs(secs.unsigned_abs())
    } else {
        UNIX_EPOCH - Duration::from_secs(secs.unsigned_abs())
    };
    rfc3339(t)
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// The series shown (on-demand ones only with `with_on_demand`) between `from_secs` and
/// `to_secs` as CSV: a `timestamp` column (RFC 3339, UTC), then one column per chart and
/// series; a gap is an empty cell.
pub fn to_csv(data: &MetricsData, from_secs: f64, to_secs: f64, with_on_demand: bool) -> String {
    let columns: Vec<(String, &Vec<Option<f64>>)> = data
        .charts
        .iter()
        .flat_map(|chart| {
            chart
                .series
                .iter()
                .filter(|s| with_on_demand || !s.on_demand)
                .map(|s| (format!("{} {}", chart.title, s.label), &s.values))
        })
        .collect();
    let mut out = String::from("timestamp");
    for (name, _) in &columns {
        out.push(',');
        out.push_str(&csv_field(name));
    }
    out.push('\n');
    let window = &data.window;
    for slot in 0..window.points() {
        let t =
            window.start_secs + i64::try_from(slot).unwrap_or(0) * i64::from(window.period_secs);
        if (t as f64) < from_secs || (t as f64) > to_secs {
            continue;
        }
        out.push_str(&timestamp(t));
        for (_, values) in &columns {
            out.push(',');
            if let Some(Some(v)) = values.get(slot) {
                out.push_str(&format!("{v}"));
            }
        }
        out.push('\n');
    }
    out
}

/// Every chart and series with its datapoints (gaps left out) as JSON.
pub fn to_json(data: &MetricsData) -> Value {
    let window = &data.window;
    let charts: Vec<Value> = data
        .charts
        .iter()
        .map(|chart| {
            let series: Vec<Value> = chart
                .series
                .iter()
                .map(|s| {
                    let points: Vec<Value> = s
                        .values
                        .iter()
                        .enumerate()
                        .filter_map(|(slot, v)| {
                            let t = window.start_secs
                                + i64::try_from(slot).ok()? * i64::from(window.period_secs);
                            v.map(|v| json!({"timestamp": timestamp(t), "value": v}))
                        })
                        .collect();
                    json!({"label": s.label, "points": points})
                })
                .collect();
            json!({"title": chart.title, "unit": format!("{:?}", chart.unit), "series": series})
        })
        .collect();
    json!({
        "start": timestamp(window.start_secs),
        "end": timestamp(window.end_secs),
        "period_secs": window.period_secs,
        "partial": data.partial,
        "charts": charts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::metrics::Window;
    use crate::model::metrics::charts::{ChartData, SeriesData, Unit};
    use crate::model::metrics::lod::Lod;

    fn data() -> MetricsData {
        let window = Window {
            start_secs: 1_800_000_000,
            end_secs: 1_800_000_180,
            period_secs: 60,
        };
        let series = |label: &str, values: Vec<Option<f64>>, on_demand| SeriesData {
            label: label.to_owned(),
            on_demand,
            lod: Lod::default(),
            values,
        };
        MetricsData {
            window,
            charts: vec![ChartData {
                title: "CPU utilization".to_owned(),
                unit: Unit::Percent,
                series: vec![
                    series("Average", vec![Some(1.5), None, Some(3.0)], false),
                    series("Minimum", vec![Some(1.0), None, Some(2.0)], true),
                ],
            }],
            partial: false,
            calls: 1,
            notes: Vec::new(),
        }
    }

    #[test]
    fn csv_has_gaps_as_empty_cells_and_honours_the_visible_range() {
        let csv = to_csv(&data(), 0.0, f64::MAX, false);
        assert_eq!(
            csv,
            "timestamp,CPU utilization Average\n\
             2027-01-15T08:00:00Z,1.5\n\
             2027-01-15T08:01:00Z,\n\
             2027-01-15T08:02:00Z,3\n"
        );
        let visible = to_csv(&data(), 1_800_000_060.0, 1_800_000_200.0, true);
        assert_eq!(
            visible,
            "timestamp,CPU utilization Average,CPU utilization Minimum\n\
             2027-01-15T08:01:00Z,,\n\
             2027-01-15T08:02:00Z,3,2\n"
        );
    }

    #[test]
    fn json_leaves_gaps_out() {
        let json = to_json(&data());
        let points = &json["charts"][0]["series"][0]["points"];
        assert_eq!(points.as_array().map(Vec::len), Some(2));
        assert_eq!(points[1]["timestamp"], "2027-01-15T08:02:00Z");
        assert_eq!(json["period_secs"], 60);
    }
}
