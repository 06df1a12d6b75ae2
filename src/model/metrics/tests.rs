use super::*;

const NOW: i64 = 1_800_000_000; // 2027-01-15T08:00:00Z
const DAY: i64 = 86_400;

#[test]
fn period_for_every_preset_and_width() {
    // (range secs, width px) → period secs
    let cases = [
        (3_600, 1_000, 60),
        (3_600, 30, 120),
        (3 * 3_600, 1_000, 60),
        (3 * 3_600, 400, 60),
        (3 * 3_600, 100, 120),
        (12 * 3_600, 1_000, 60),
        (12 * 3_600, 600, 120),
        (24 * 3_600, 1_440, 60),
        (24 * 3_600, 1_000, 120),
        (24 * 3_600, 300, 300),
        (3 * DAY, 1_000, 300),
        (3 * DAY, 2_000, 300),
        (3 * DAY, 4_320, 60),
        (7 * DAY, 1_000, 900),
        (7 * DAY, 2_000, 600),
        (7 * DAY, 10_080, 60),
        (7 * DAY, 100, 7_200),
    ];
    for (span, width, expected) in cases {
        let range = MetricRange::Last(u32::try_from(span).expect("span"));
        let period = choose_period(&range, NOW, width).expect("period");
        assert_eq!(period, expected, "{span} s over {width} px");
        let window = window(&range, NOW, period).expect("window");
        assert!(
            window.points() <= width as usize + 1,
            "{span} s over {width} px: {}",
            window.points()
        );
        assert_eq!(window.start_secs % i64::from(period), 0);
        assert_eq!(window.end_secs % i64::from(period), 0);
        assert!(window.end_secs >= NOW && window.end_secs - NOW < i64::from(period));
    }
}

#[test]
fn live_is_one_minute_and_refreshes_every_minute() {
    let range = MetricRange::Live(30);
    assert_eq!(choose_period(&range, NOW, 800), Ok(60));
    assert_eq!(range.refresh_secs(60, NOW), Some(60));
    assert_eq!(window(&range, NOW, 60).map(|w| w.points()), Ok(30));
}

#[test]
fn retention_raises_the_period_for_old_data() {
    assert_eq!(retention_min_period(DAY), Some(60));
    assert_eq!(retention_min_period(15 * DAY), Some(60));
    assert_eq!(retention_min_period(15 * DAY + 1), Some(300));
    assert_eq!(retention_min_period(63 * DAY), Some(300));
    assert_eq!(retention_min_period(63 * DAY + 1), Some(3_600));
    assert_eq!(retention_min_period(455 * DAY), Some(3_600));
    assert_eq!(retention_min_period(455 * DAY + 1), None);
    // One hour, 20 days ago: 1-minute data is gone, so 5-minute even on a wide plot.
    let old = MetricRange::Custom {
        start_secs: NOW - 20 * DAY,
        end_secs: NOW - 20 * DAY + 3_600,
    };
    assert_eq!(choose_period(&old, NOW, 2_000), Ok(300));
    // 100 days ago: hourly.
    let older = MetricRange::Custom {
        start_secs: NOW - 100 * DAY,
        end_secs: NOW - 99 * DAY,
    };
    assert_eq!(choose_period(&older, NOW, 2_000), Ok(3_600));
    // A period asked for below retention is raised.
    assert_eq!(window(&older, NOW, 60).map(|w| w.period_secs), Ok(3_600));
    let ancient = MetricRange::Custom {
        start_secs: NOW - 500 * DAY,
        end_secs: NOW - 499 * DAY,
    };
    assert_eq!(choose_period(&ancient, NOW, 800), Err(RangeError::TooOld));
}

#[test]
fn future_and_empty_ranges_are_refused_and_partly_future_is_clamped() {
    let future = MetricRange::Custom {
        start_secs: NOW + 60,
        end_secs: NOW + 3_600,
    };
    assert_eq!(choose_period(&future, NOW, 800), Err(RangeError::Future));
    let backwards = MetricRange::Custom {
        start_secs: NOW - 60,
        end_secs: NOW - 120,
    };
    assert_eq!(choose_period(&backwards, NOW, 800), Err(RangeError::Empty));
    let straddling = MetricRange::Custom {
        start_secs: NOW - 3_600,
        end_secs: NOW + 3_600,
    };
    let w = window(&straddling, NOW, 60).expect("window");
    assert_eq!((w.start_secs, w.end_secs), (NOW - 3_600, NOW));
    assert_eq!(straddling.refresh_secs(60, NOW), Some(60));
    let past = MetricRange::Custom {
        start_secs: NOW - 7_200,
        end_secs: NOW - 3_600,
    };
    assert_eq!(past.refresh_secs(60, NOW), None);
}

#[test]
fn a_long_custom_range_uses_whole_days() {
    let year = MetricRange::Custom {
        start_secs: NOW - 400 * DAY,
        end_secs: NOW,
    };
    // 400 days over 100 px: 4 days a point.
    assert_eq!(choose_period(&year, NOW, 100), Ok(4 * 86_400));
}

#[test]
fn batching_follows_the_api_limits() {
    assert_eq!(queries_per_call(60), 500);
    assert_eq!(queries_per_call(1_440), 70);
    assert_eq!(queries_per_call(1_000_000), 1);
    assert_eq!(calls_needed(1_200, 60), 3);
    assert_eq!(calls_needed(1_000, 60), 2);
    assert_eq!(calls_needed(0, 60), 0);
    assert_eq!(calls_needed(6, 10_080), 1);
}

#[test]
fn ranges_parse_and_label() {
    assert_eq!(MetricRange::parse("3h"), Ok(MetricRange::Last(10_800)));
    assert_eq!(MetricRange::parse("90m"), Ok(MetricRange::Last(5_400)));
    assert_eq!(MetricRange::parse("7d"), Ok(MetricRange::Last(604_800)));
    assert_eq!(MetricRange::parse("2w"), Ok(MetricRange::Last(1_209_600)));
    assert_eq!(MetricRange::parse("live"), Ok(MetricRange::Live(30)));
    assert_eq!(MetricRange::parse("live15m"), Ok(MetricRange::Live(15)));
    assert!(MetricRange::parse("3x").is_err());
    assert!(MetricRange::parse("0h").is_err());
    assert!(MetricRange::parse("h").is_err());
    assert!(MetricRange::parse("500d").is_err());
    let labels: Vec<String> = MetricRange::PRESETS
        .iter()
        .map(MetricRange::label)
        .collect();
    assert_eq!(labels, ["1h", "3h", "12h", "24h", "3d", "7d"]);
    assert_eq!(MetricRange::Live(30).label(), "live 30m");
}

#[test]
fn alignment_puts_points_on_the_grid_and_leaves_gaps() {
    let window = Window {
        start_secs: NOW,
        end_secs: NOW + 300,
        period_secs: 60,
    };
    let result = QueryResult {
        // Out of order, one off-grid, one before and one after the window, one NaN.
        timestamps: vec![NOW + 240, NOW, NOW + 130, NOW - 60, NOW + 300, NOW + 60],
        values: vec![5.0, 1.0, 3.0, 9.0, 9.0, f64::NAN],
        complete: true,
    };
    assert_eq!(
        align(&result, &window),
        vec![Some(1.0), None, Some(3.0), None, Some(5.0)]
    );
    assert_eq!(align(&QueryResult::default(), &window), vec![None; 5]);
}
