//! Design tokens: every colour and size the views use. Knows nothing of the app.

use egui::Color32;

/// Space between sections.
pub const SECTION_GAP: f32 = 8.0;
/// Height of a table row.
pub const ROW_HEIGHT: f32 = 20.0;
/// Height of a table header.
pub const HEADER_HEIGHT: f32 = 22.0;
/// Default width of a detail pane.
pub const DETAIL_WIDTH: f32 = 420.0;

/// How a status reads, independent of colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    /// Healthy, running, completed.
    Good,
    /// In progress, pending, draining.
    Busy,
    /// Failed, stopped unexpectedly, unhealthy.
    Bad,
    /// Inactive, unknown.
    Muted,
    /// Needs attention but does not block (lint warnings).
    Warn,
}

impl Tone {
    /// Colour for this tone, readable on the current background.
    pub fn color(self, dark_mode: bool) -> Color32 {
        match (self, dark_mode) {
            (Self::Good, true) => Color32::from_rgb(0x5f, 0xd0, 0x8a),
            (Self::Good, false) => Color32::from_rgb(0x1a, 0x7f, 0x37),
            (Self::Busy, true) => Color32::from_rgb(0x6c, 0xb6, 0xff),
            (Self::Busy, false) => Color32::from_rgb(0x09, 0x69, 0xda),
            (Self::Bad, true) => Color32::from_rgb(0xff, 0x7b, 0x72),
            (Self::Bad, false) => Color32::from_rgb(0xcf, 0x22, 0x2e),
            (Self::Muted, true) => Color32::from_gray(150),
            (Self::Muted, false) => Color32::from_gray(110),
            (Self::Warn, true) => Color32::from_rgb(0xe3, 0xb3, 0x41),
            (Self::Warn, false) => Color32::from_rgb(0x9a, 0x67, 0x00),
        }
    }

    /// A glyph that carries the same meaning without colour (colour-blind users).
    pub fn glyph(self) -> &'static str {
        match self {
            Self::Good => "●",
            Self::Busy => "◐",
            Self::Bad => "✖",
            Self::Muted => "○",
            Self::Warn => "!",
        }
    }
}

/// The tone of an ECS status word (task, service, deployment, health, agent).
pub fn tone_of(status: &str) -> Tone {
    match status {
        "ACTIVE"
        | "RUNNING"
        | "HEALTHY"
        | "COMPLETED"
        | "PRIMARY"
        | "connected"
        | "SUCCESSFUL"
        | "SUCCEEDED"
        | "OK"
        | "MONITORING_COMPLETE" => Tone::Good,
        "PENDING"
        | "PROVISIONING"
        | "ACTIVATING"
        | "IN_PROGRESS"
        | "DRAINING"
        | "DEPROVISIONING"
        | "DEACTIVATING"
        | "STOPPING"
        | "REGISTERING"
        | "MONITORING"
        | "STOP_REQUESTED"
        | "ROLLBACK_REQUESTED"
        | "ROLLBACK_IN_PROGRESS" => Tone::Busy,
        "AWAITING_ACTION" | "INSUFFICIENT_DATA" | "ROLLBACK_SUCCESSFUL" | "TIMED_OUT" => Tone::Warn,
        "FAILED"
        | "UNHEALTHY"
        | "disconnected"
        | "REGISTRATION_FAILED"
        | "ALARM"
        | "TRIGGERED"
        | "ROLLBACK_FAILED" => Tone::Bad,
        _ => Tone::Muted,
    }
}

/// Background of the credentials / offline banner.
pub fn banner_fill(dark_mode: bool) -> Color32 {
    if dark_mode {
        Color32::from_rgb(0x4a, 0x1f, 0x1f)
    } else {
        Color32::from_rgb(0xff, 0xeb, 0xe9)
    }
}

/// Background of an in-place error box.
pub fn error_fill(dark_mode: bool) -> Color32 {
    if dark_mode {
        Color32::from_rgb(0x3a, 0x22, 0x22)
    } else {
        Color32::from_rgb(0xff, 0xf0, 0xee)
    }
}

/// The bundled fonts, with Hack as the last fallback of the proportional family so status
/// glyphs (● ◐ ▲ ▼) render the same on every OS without system fonts.
pub fn install_fonts(ctx: &egui::Context) {
    let mut fonts = egui::FontDefinitions::default();
    if let Some(proportional) = fonts.families.get_mut(&egui::FontFamily::Proportional) {
        proportional.push("Hack".to_owned());
    }
    ctx.set_fonts(fonts);
}

/// Height of a metric chart.
pub const CHART_HEIGHT: f32 = 190.0;
/// Size of a sparkline in a table cell.
pub const SPARKLINE_SIZE: egui::Vec2 = egui::vec2(
    crate::model::metrics::spark_outline::SPARK_SIZE[0],
    crate::model::metrics::spark_outline::SPARK_SIZE[1],
);

/// Line colours of a chart's series, in order (Average, Maximum, Minimum, Reserved, tasks…),
/// chosen to stay apart for the common colour-vision deficiencies (Okabe–Ito).
pub fn series_color(index: usize, dark_mode: bool) -> Color32 {
    const DARK: [Color32; 8] = [
        Color32::from_rgb(0x56, 0xb4, 0xe9),
        Color32::from_rgb(0xe6, 0x9f, 0x00),
        Color32::from_rgb(0x00, 0x9e, 0x73),
        Color32::from_rgb(0xcc, 0x79, 0xa7),
        Color32::from_rgb(0xf0, 0xe4, 0x42),
        Color32::from_rgb(0xd5, 0x5e, 0x00),
        Color32::from_rgb(0x99, 0x99, 0x99),
        Color32::from_rgb(0x00, 0x72, 0xb2),
    ];
    const LIGHT: [Color32; 8] = [
        Color32::from_rgb(0x00, 0x72, 0xb2),
        Color32::from_rgb(0xd5, 0x5e, 0x00),
        Color32::from_rgb(0x00, 0x9e, 0x73),
        Color32::from_rgb(0xcc, 0x79, 0xa7),
        Color32::from_rgb(0x8a, 0x7a, 0x00),
        Color32::from_rgb(0xe6, 0x9f, 0x00),
        Color32::from_rgb(0x66, 0x66, 0x66),
        Color32::from_rgb(0x56, 0xb4, 0xe9),
    ];
    let palette = if dark_mode { &DARK } else { &LIGHT };
    palette[index % palette.len()]
}

/// How a log line's severity reads (colour plus the level word itself).
pub fn severity_tone(severity: crate::model::logs::severity::Severity) -> Option<Tone> {
    use crate::model::logs::severity::Severity;
    match severity {
        Severity::Unknown | Severity::Info => None,
        Severity::Trace | Severity::Debug => Some(Tone::Muted),
        Severity::Warn => Some(Tone::Warn),
        Severity::Error | Severity::Fatal => Some(Tone::Bad),
    }
}

/// Background of highlight term `index` in log lines; the text stays readable on each.
pub fn highlight_fill(index: usize, dark_mode: bool) -> Color32 {
    const DARK: [Color32; 5] = [
        Color32::from_rgb(0x7a, 0x5c, 0x00),
        Color32::from_rgb(0x00, 0x5f, 0x73),
        Color32::from_rgb(0x6e, 0x2f, 0x6b),
        Color32::from_rgb(0x2d, 0x5f, 0x1f),
        Color32::from_rgb(0x7a, 0x33, 0x1a),
    ];
    const LIGHT: [Color32; 5] = [
        Color32::from_rgb(0xff, 0xe0, 0x66),
        Color32::from_rgb(0x9e, 0xe6, 0xf5),
        Color32::from_rgb(0xf3, 0xb8, 0xf0),
        Color32::from_rgb(0xb9, 0xeb, 0xa4),
        Color32::from_rgb(0xff, 0xc2, 0xa8),
    ];
    let palette = if dark_mode { &DARK } else { &LIGHT };
    palette[index % palette.len()]
}

/// Monospace size of log lines.
pub const LOG_FONT_SIZE: f32 = 12.5;
/// Height of one log line row.
pub const LOG_ROW_HEIGHT: f32 = 17.0;

#[cfg(test)]
mod tests {
    use super::*;

    const TONES: [Tone; 5] = [Tone::Good, Tone::Busy, Tone::Bad, Tone::Muted, Tone::Warn];

    /// WCAG relative luminance of an sRGB colour.
    fn luminance(c: Color32) -> f32 {
        let channel = |v: u8| {
            let v = f32::from(v) / 255.0;
            if v <= 0.039_28 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(c.r()) + 0.7152 * channel(c.g()) + 0.0722 * channel(c.b())
    }

    fn contrast(a: Color32, b: Color32) -> f32 {
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    #[test]
    fn every_status_reads_without_colour() {
        // Colour-blind users tell statuses apart by the glyph (and the word beside it).
        let glyphs: std::collections::HashSet<&str> = TONES.iter().map(|t| t.glyph()).collect();
        assert_eq!(glyphs.len(), TONES.len());
    }

    #[test]
    fn every_status_colour_stands_out_from_the_background_in_both_themes() {
        for (dark, visuals) in [
            (true, egui::Visuals::dark()),
            (false, egui::Visuals::light()),
        ] {
            for tone in TONES {
                let ratio = contrast(tone.color(dark), visuals.panel_fill);
                // WCAG 2.1's 4.5:1 for text.
                assert!(ratio >= 4.5, "{tone:?} dark={dark}: {ratio:.2}");
            }
        }
    }
}
