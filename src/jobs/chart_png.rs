//! Saves charts as PNG: the window's screenshot cropped to the charts, encoded and written on
//! a thread of its own so the UI never waits for the encoder or the disk.

use egui::{ColorImage, Rect};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

/// The crop of `image` (physical pixels) to `rect` (points), clamped to the image.
pub fn crop(image: &ColorImage, rect: Rect, pixels_per_point: f32) -> Option<ColorImage> {
    let [width, height] = image.size;
    let to_px = |v: f32, max: usize| ((v * pixels_per_point).round().max(0.0) as usize).min(max);
    let (x0, x1) = (to_px(rect.min.x, width), to_px(rect.max.x, width));
    let (y0, y1) = (to_px(rect.min.y, height), to_px(rect.max.y, height));
    (x1 > x0 && y1 > y0).then(|| image.region_by_pixels([x0, y0], [x1 - x0, y1 - y0]))
}

/// Encodes `image` as PNG into `path` (written beside it, then renamed, so a failed write
/// never leaves half a file).
pub fn write_png(image: &ColorImage, path: &Path) -> Result<(), String> {
    let [width, height] = image.size;
    let rgba: Vec<u8> = image.pixels.iter().flat_map(|c| c.to_array()).collect();
    let buffer = image::RgbaImage::from_raw(
        u32::try_from(width).map_err(|e| e.to_string())?,
        u32::try_from(height).map_err(|e| e.to_string())?,
        rgba,
    )
    .ok_or("the screenshot has the wrong size")?;
    let mut png = std::io::Cursor::new(Vec::new());
    buffer
        .write_to(&mut png, image::ImageFormat::Png)
        .map_err(|e| format!("cannot encode the chart: {e}"))?;
    super::drafts::write_atomically(path, png.get_ref())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Crops and saves as a job; `reply` gets the path written or why not, then `wake` is called.
pub fn save_in_background(
    (image, rect, pixels_per_point): (std::sync::Arc<ColorImage>, Rect, f32),
    path: PathBuf,
    reply: mpsc::Sender<Result<PathBuf, String>>,
    wake: crate::model::messages::Repaint,
) {
    super::spawn_job_to("png-export", reply, wake, move || {
        crop(&image, rect, pixels_per_point)
            .ok_or_else(|| "the charts were not on screen".to_owned())
            .and_then(|cropped| write_png(&cropped, &path))
            .map(|()| path)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::{Color32, pos2};

    #[test]
    fn crops_in_physical_pixels_and_writes_a_png_that_reads_back() {
        let mut image = ColorImage::filled([40, 30], Color32::BLACK);
        image[(20, 10)] = Color32::RED;
        // 2 pixels per point: points (5,5)-(15,10) are pixels (10,10)-(30,20).
        let cropped = crop(
            &image,
            Rect::from_min_max(pos2(5.0, 5.0), pos2(15.0, 10.0)),
            2.0,
        )
        .expect("inside");
        assert_eq!(cropped.size, [20, 10]);
        assert_eq!(cropped[(10, 0)], Color32::RED);
        // Off the image: clamped; wholly off: nothing.
        let clamped = crop(
            &image,
            Rect::from_min_max(pos2(10.0, 10.0), pos2(100.0, 100.0)),
            1.0,
        );
        assert_eq!(clamped.map(|c| c.size), Some([30, 20]));
        assert!(
            crop(
                &image,
                Rect::from_min_max(pos2(50.0, 50.0), pos2(60.0, 60.0)),
                1.0
            )
            .is_none()
        );

        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("chart.png");
        write_png(&cropped, &path).expect("written");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "an export is the user's alone");
        }
        let back = image::open(&path).expect("png").to_rgba8();
        assert_eq!(back.dimensions(), (20, 10));
        assert_eq!(back.get_pixel(10, 0).0, [255, 0, 0, 255]);
        assert!(!path.with_extension("png.partial").exists());
        let bad = write_png(&cropped, &dir.path().join("missing/dir/chart.png"));
        assert!(bad.is_err_and(|e| e.contains("cannot write")));
    }
}
