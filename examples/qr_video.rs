//! Writes a short Y4M video of a QR code, for Chromium's fake camera in the end-to-end tests
//! (`--use-file-for-fake-video-capture`): `cargo run --example qr_video -- TEXT OUT.y4m`.

use std::io::Write;

use qrcode::{Color, EcLevel, QrCode};

const WIDTH: usize = 640;
const HEIGHT: usize = 480;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(text), Some(out)) = (args.next(), args.next()) else {
        return Err("usage: qr_video TEXT OUT.y4m".into());
    };
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)?;
    let modules = code.width();
    let colors = code.to_colors();
    // The largest whole number of pixels a module that fits, with a 4-module quiet zone.
    let scale = (HEIGHT - 16) / (modules + 8);
    let left = (WIDTH - modules * scale) / 2;
    let top = (HEIGHT - modules * scale) / 2;
    // Luma: white paper, black modules; chroma neutral (a grey picture).
    let mut luma = vec![235u8; WIDTH * HEIGHT];
    for (index, color) in colors.iter().enumerate() {
        if *color != Color::Dark {
            continue;
        }
        let (x, y) = (index % modules, index / modules);
        for row in top + y * scale..top + (y + 1) * scale {
            let start = row * WIDTH + left + x * scale;
            luma[start..start + scale].fill(16);
        }
    }
    let chroma = vec![128u8; WIDTH * HEIGHT / 4];
    let mut file = std::io::BufWriter::new(std::fs::File::create(out)?);
    writeln!(file, "YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg")?;
    for _ in 0..10 {
        file.write_all(b"FRAME\n")?;
        file.write_all(&luma)?;
        file.write_all(&chroma)?;
        file.write_all(&chroma)?;
    }
    file.flush()?;
    Ok(())
}
