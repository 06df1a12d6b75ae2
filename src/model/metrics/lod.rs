//! Levels of detail for a time series, so a plot draws about one point per pixel whatever the
//! zoom: built once when data arrives (off the UI thread), sliced each frame in O(width).

/// A point `[x, y]`: x in epoch seconds, y NaN in a gap (egui_plot breaks the line there).
pub type PlotPoint = [f64; 2];

/// Coarser levels stop at this many points.
const SMALLEST_LEVEL: usize = 64;

/// A series at full resolution and at successive halvings, each keeping every bucket's lowest
/// and highest value (in time order), so spikes survive decimation.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Lod {
    levels: Vec<Vec<PlotPoint>>,
}

impl Lod {
    /// Builds the levels for values on a grid from `start_secs`, one every `period_secs`.
    pub fn build(start_secs: i64, period_secs: u32, values: &[Option<f64>]) -> Self {
        let raw: Vec<PlotPoint> = values
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let x = start_secs as f64 + (i as f64) * f64::from(period_secs);
                [x, v.unwrap_or(f64::NAN)]
            })
            .collect();
        let mut levels = vec![raw];
        while let Some(last) = levels.last() {
            if last.len() <= SMALLEST_LEVEL {
                break;
            }
            // Level 1 buckets 4 raw points into 2; later levels merge 2 buckets (4 points) into 1.
            let next = decimate(last);
            if next.len() >= last.len() {
                break;
            }
            levels.push(next);
        }
        Self { levels }
    }

    /// All points at full resolution.
    pub fn raw(&self) -> &[PlotPoint] {
        self.levels.first().map_or(&[], Vec::as_slice)
    }

    /// Number of levels (tests, benchmarks).
    pub fn level_count(&self) -> usize {
        self.levels.len()
    }

    /// The finest level with at most `max_points` points between `x_min` and `x_max`, sliced
    /// to that range plus one point either side so lines reach the edges.
    pub fn visible(&self, x_min: f64, x_max: f64, max_points: usize) -> &[PlotPoint] {
        let mut chosen: &[PlotPoint] = &[];
        for level in &self.levels {
            let from = level.partition_point(|p| p[0] < x_min).saturating_sub(1);
            let to = (level.partition_point(|p| p[0] <= x_max) + 1).min(level.len());
            chosen = level.get(from..to).unwrap_or(&[]);
            if chosen.len() <= max_points.max(2) {
                break;
            }
        }
        chosen
    }
}

/// Each run of 4 points becomes its lowest and highest point in time order; an all-gap run
/// stays a gap.
fn decimate(points: &[PlotPoint]) -> Vec<PlotPoint> {
    let mut out = Vec::with_capacity(points.len() / 2 + 2);
    for bucket in points.chunks(4) {
        let finite = bucket.iter().filter(|p| p[1].is_finite());
        let low = finite.clone().min_by(|a, b| a[1].total_cmp(&b[1]));
        let high = finite.max_by(|a, b| a[1].total_cmp(&b[1]));
        match (low, high) {
            (Some(low), Some(high)) if low[0] <= high[0] => out.extend([*low, *high]),
            (Some(low), Some(high)) => out.extend([*high, *low]),
            _ => {
                let first = bucket.first().map_or(0.0, |p| p[0]);
                let last = bucket.last().map_or(first, |p| p[0]);
                out.extend([[first, f64::NAN], [last, f64::NAN]]);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(n: usize) -> Vec<Option<f64>> {
        (0..n).map(|i| Some((i % 50) as f64)).collect()
    }

    #[test]
    fn levels_halve_until_small() {
        let lod = Lod::build(0, 60, &series(10_080));
        assert_eq!(lod.raw().len(), 10_080);
        assert_eq!(lod.levels[1].len(), 5_040);
        assert_eq!(lod.levels[2].len(), 2_520);
        assert!(lod.levels.last().is_some_and(|l| l.len() <= SMALLEST_LEVEL));
    }

    #[test]
    fn visible_picks_the_finest_level_that_fits_and_slices_it() {
        let lod = Lod::build(0, 60, &series(10_080));
        let all = lod.visible(0.0, 604_800.0, 2_000);
        assert!(all.len() <= 2_000 && all.len() > 1_000, "{}", all.len());
        // Zoomed to one hour: raw points, from one before the range to one after.
        let hour = lod.visible(3_600.0, 7_200.0, 2_000);
        assert_eq!(hour.len(), 63);
        assert_eq!(hour.first().map(|p| p[0]), Some(3_540.0));
        assert_eq!(hour.last().map(|p| p[0]), Some(7_260.0));
    }

    #[test]
    fn spikes_survive_and_gaps_stay_gaps() {
        let mut values = vec![Some(1.0); 4_096];
        values[1_234] = Some(99.0);
        for v in &mut values[2_000..2_400] {
            *v = None;
        }
        let lod = Lod::build(0, 60, &values);
        for level in &lod.levels {
            let max = level
                .iter()
                .filter(|p| p[1].is_finite())
                .map(|p| p[1])
                .fold(f64::MIN, f64::max);
            assert_eq!(max, 99.0);
            assert!(level.iter().any(|p| p[1].is_nan()), "the gap is kept");
            assert!(level.windows(2).all(|w| w[0][0] <= w[1][0]), "time order");
        }
        // A gap is NaN, never zero.
        assert!(lod.raw().iter().all(|p| p[1] != 0.0));
    }

    #[test]
    fn empty_and_tiny_series() {
        assert!(Lod::build(0, 60, &[]).visible(0.0, 1.0, 10).is_empty());
        let one = Lod::build(120, 60, &[Some(5.0)]);
        assert_eq!(one.visible(0.0, 1_000.0, 10), &[[120.0, 5.0]]);
    }
}
