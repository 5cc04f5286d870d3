//! The profile card: an 800×300 PNG drawn with tiny-skia in the member's theme. A band of the
//! accent colour down the left, an avatar disc with the name's initial, the name, a subtitle
//! (theme, achievements), the bio in a panel and up to four statistic boxes. Everything drawn
//! comes in [`Card`], already filtered for privacy and translated for the viewer.

mod text;

use tiny_skia::{Color, FillRule, Paint, PathBuilder, Pixmap, Rect, Transform};

use crate::theme::{Palette, Rgb};
pub use text::Fonts;
use text::{Face, Run};

/// The card's width, in pixels.
pub const WIDTH: u32 = 800;
/// The card's height, in pixels.
pub const HEIGHT: u32 = 300;
/// The accent band down the left edge: x from 0 to this.
pub const BAND_WIDTH: u32 = 14;
/// Where the name is drawn: (left, top, right, bottom).
pub const NAME_BOX: (u32, u32, u32, u32) = (184, 28, 780, 78);

const NAME_SIZE: f32 = 40.0;
const NAME_BASELINE: f32 = 68.0;
const AVATAR: (f32, f32, f32) = (100.0, 80.0, 56.0);

/// What a card shows.
#[derive(Debug, Clone)]
pub struct Card {
    /// The member's display name.
    pub name: String,
    /// The line under the name (theme, achievements).
    pub subtitle: String,
    /// The bio, when shown.
    pub bio: Option<String>,
    /// Statistics shown: (label, value), at most four are drawn.
    pub stats: Vec<(String, String)>,
    /// The theme's colours.
    pub palette: Palette,
}

/// Draws `card` and encodes it as PNG.
///
/// # Errors
///
/// The font could not be read or the PNG not encoded (neither depends on the member's input).
pub fn render(card: &Card) -> Result<Vec<u8>, String> {
    let fonts = Fonts::load()?;
    let pixmap = draw(card, &fonts)?;
    pixmap
        .encode_png()
        .map_err(|e| format!("the card could not be encoded as PNG: {e}"))
}

fn draw(card: &Card, fonts: &Fonts) -> Result<Pixmap, String> {
    let palette = card.palette;
    let mut pixmap =
        Pixmap::new(WIDTH, HEIGHT).ok_or_else(|| "the card's size is invalid".to_owned())?;
    pixmap.fill(color(palette.background));
    fill_rect(
        &mut pixmap,
        0.0,
        0.0,
        BAND_WIDTH as f32,
        HEIGHT as f32,
        palette.accent,
    );

    // The avatar: an accent ring, a panel disc, the name's initial.
    let (cx, cy, r) = AVATAR;
    fill_circle(&mut pixmap, cx, cy, r, palette.accent);
    fill_circle(&mut pixmap, cx, cy, r - 5.0, palette.panel);
    let initial: String = card
        .name
        .chars()
        .find(|c| c.is_alphanumeric())
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_default();
    let initial_width = fonts.width(Face::Bold, 48.0, &initial);
    fonts.draw(
        &mut pixmap,
        Run {
            text: &initial,
            face: Face::Bold,
            size: 48.0,
            color: palette.text,
        },
        cx - initial_width / 2.0,
        cy + 17.0,
        cx + r,
    );

    let (left, _, right, _) = NAME_BOX;
    let (left, right) = (left as f32, right as f32);
    let name = fonts.fit(Face::Bold, NAME_SIZE, &card.name, right - left);
    fonts.draw(
        &mut pixmap,
        Run {
            text: &name,
            face: Face::Bold,
            size: NAME_SIZE,
            color: palette.text,
        },
        left,
        NAME_BASELINE,
        right,
    );
    let subtitle = fonts.fit(Face::Regular, 18.0, &card.subtitle, right - left);
    fonts.draw(
        &mut pixmap,
        Run {
            text: &subtitle,
            face: Face::Regular,
            size: 18.0,
            color: palette.muted,
        },
        left,
        106.0,
        right,
    );

    let mut top = 150.0;
    if let Some(bio) = card.bio.as_deref().filter(|bio| !bio.trim().is_empty()) {
        let lines = fonts.wrap(Face::Regular, 17.0, bio, 716.0, 2);
        let height = if lines.len() > 1 { 62.0 } else { 40.0 };
        fill_rounded(&mut pixmap, 34.0, top, 746.0, height, 10.0, palette.panel);
        for (line, baseline) in lines.iter().zip([top + 26.0, top + 49.0]) {
            fonts.draw(
                &mut pixmap,
                Run {
                    text: line,
                    face: Face::Regular,
                    size: 17.0,
                    color: palette.text,
                },
                50.0,
                baseline,
                766.0,
            );
        }
        top += height + 14.0;
    }

    let shown = card.stats.iter().take(4).collect::<Vec<_>>();
    if !shown.is_empty() {
        let gap = 12.0;
        let count = shown.len() as f32;
        let width = (746.0 - gap * (count - 1.0)) / count;
        let height = (HEIGHT as f32 - 16.0 - top).clamp(44.0, 66.0);
        for (i, (label, value)) in shown.into_iter().enumerate() {
            let x = 34.0 + (width + gap) * i as f32;
            fill_rounded(&mut pixmap, x, top, width, height, 10.0, palette.panel);
            fill_rect(
                &mut pixmap,
                x,
                top + 8.0,
                4.0,
                height - 16.0,
                palette.accent,
            );
            let label = fonts.fit(Face::Regular, 14.0, label, width - 28.0);
            let value = fonts.fit(Face::Bold, 22.0, value, width - 28.0);
            fonts.draw(
                &mut pixmap,
                Run {
                    text: &label,
                    face: Face::Regular,
                    size: 14.0,
                    color: palette.muted,
                },
                x + 16.0,
                top + 22.0,
                x + width,
            );
            fonts.draw(
                &mut pixmap,
                Run {
                    text: &value,
                    face: Face::Bold,
                    size: 22.0,
                    color: palette.text,
                },
                x + 16.0,
                top + height - 14.0,
                x + width,
            );
        }
    }
    Ok(pixmap)
}

fn color(rgb: Rgb) -> Color {
    Color::from_rgba8(rgb.0, rgb.1, rgb.2, 255)
}

fn paint(rgb: Rgb) -> Paint<'static> {
    let mut paint = Paint::default();
    paint.set_color(color(rgb));
    paint.anti_alias = true;
    paint
}

fn fill_rect(pixmap: &mut Pixmap, x: f32, y: f32, width: f32, height: f32, rgb: Rgb) {
    if let Some(rect) = Rect::from_xywh(x, y, width, height) {
        pixmap.fill_rect(rect, &paint(rgb), Transform::identity(), None);
    }
}

fn fill_circle(pixmap: &mut Pixmap, cx: f32, cy: f32, r: f32, rgb: Rgb) {
    if let Some(path) = PathBuilder::from_circle(cx, cy, r) {
        pixmap.fill_path(
            &path,
            &paint(rgb),
            FillRule::Winding,
            Transform::identity(),
            None,
        );
    }
}

fn fill_rounded(pixmap: &mut Pixmap, x: f32, y: f32, w: f32, h: f32, r: f32, rgb: Rgb) {
    let mut path = PathBuilder::new();
    path.move_to(x + r, y);
    path.line_to(x + w - r, y);
    path.quad_to(x + w, y, x + w, y + r);
    path.line_to(x + w, y + h - r);
    path.quad_to(x + w, y + h, x + w - r, y + h);
    path.line_to(x + r, y + h);
    path.quad_to(x, y + h, x, y + h - r);
    path.line_to(x, y + r);
    path.quad_to(x, y, x + r, y);
    path.close();
    if let Some(path) = path.finish() {
        pixmap.fill_path(
            &path,
            &paint(rgb),
            FillRule::Winding,
            Transform::identity(),
            None,
        );
    }
}
