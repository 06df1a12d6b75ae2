//! Renders `icons/ecsdeck.svg` to the icon files the app and its packages use:
//! `icons/png/ecsdeck-{16..1024}.png`, `icons/ecsdeck.ico` (16–256) and `icons/ecsdeck.icns`.
//! Run from the repository root: `cargo run --manifest-path icons/render/Cargo.toml`.

use std::fs;
use std::io::BufWriter;
use std::path::Path;

const SIZES: [u32; 8] = [16, 24, 32, 48, 64, 128, 256, 512];
const LARGEST: u32 = 1024;

fn render(tree: &resvg::usvg::Tree, size: u32) -> Result<image::RgbaImage, String> {
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size, size).ok_or("empty size")?;
    let scale = size as f32 / tree.size().width();
    let transform = resvg::tiny_skia::Transform::from_scale(scale, scale);
    resvg::render(tree, transform, &mut pixmap.as_mut());
    // tiny-skia stores premultiplied alpha; PNG wants it straight.
    let mut rgba = Vec::with_capacity((size * size * 4) as usize);
    for p in pixmap.pixels() {
        let c = p.demultiply();
        rgba.extend_from_slice(&[c.red(), c.green(), c.blue(), c.alpha()]);
    }
    image::RgbaImage::from_raw(size, size, rgba).ok_or_else(|| "bad buffer".to_owned())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let icons = Path::new("icons");
    let svg = fs::read(icons.join("ecsdeck.svg"))?;
    let tree = resvg::usvg::Tree::from_data(&svg, &resvg::usvg::Options::default())?;
    fs::create_dir_all(icons.join("png"))?;
    let mut ico_frames = Vec::new();
    let mut icns = icns::IconFamily::new();
    for size in SIZES.into_iter().chain([LARGEST]) {
        let image = render(&tree, size)?;
        let path = icons.join("png").join(format!("ecsdeck-{size}.png"));
        image.save(&path)?;
        println!("{}", path.display());
        if size <= 256 {
            ico_frames.push(image::codecs::ico::IcoFrame::as_png(
                image.as_raw(),
                size,
                size,
                image::ExtendedColorType::Rgba8,
            )?);
        }
        if [16, 32, 64, 128, 256, 512, 1024].contains(&size) {
            let icon =
                icns::Image::from_data(icns::PixelFormat::RGBA, size, size, image.into_raw())?;
            icns.add_icon(&icon)?;
        }
    }
    let ico = fs::File::create(icons.join("ecsdeck.ico"))?;
    image::codecs::ico::IcoEncoder::new(BufWriter::new(ico)).encode_images(&ico_frames)?;
    println!("icons/ecsdeck.ico");
    icns.write(BufWriter::new(fs::File::create(
        icons.join("ecsdeck.icns"),
    )?))?;
    println!("icons/ecsdeck.icns");
    Ok(())
}
