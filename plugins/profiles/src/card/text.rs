//! Text on the card: the shipped DejaVu Sans subsets (Latin, Latin-1, Latin Extended-A and
//! common punctuation; licence in `fonts/LICENSE`), rasterised glyph by glyph with ab_glyph and
//! blended into the pixmap. Characters the subset lacks (emoji, other scripts) are left out
//! rather than drawn as empty boxes.

use ab_glyph::{point, Font, FontRef, GlyphId, PxScale, ScaleFont};
use tiny_skia::{Pixmap, PremultipliedColorU8};

use crate::theme::Rgb;

static REGULAR: &[u8] = include_bytes!("../../fonts/DejaVuSans-subset.ttf");
static BOLD: &[u8] = include_bytes!("../../fonts/DejaVuSans-Bold-subset.ttf");

/// The two faces the card uses.
pub struct Fonts {
    regular: FontRef<'static>,
    bold: FontRef<'static>,
}

/// Which face to draw with.
#[derive(Debug, Clone, Copy)]
pub enum Face {
    Regular,
    Bold,
}

/// One run of text to draw.
#[derive(Debug, Clone, Copy)]
pub struct Run<'a> {
    pub text: &'a str,
    pub face: Face,
    pub size: f32,
    pub color: Rgb,
}

impl Fonts {
    /// Parses the shipped fonts.
    ///
    /// # Errors
    ///
    /// The font files are damaged (a build problem, not a member's).
    pub fn load() -> Result<Self, String> {
        let parse = |bytes: &'static [u8]| {
            FontRef::try_from_slice(bytes).map_err(|e| format!("the card font is damaged: {e}"))
        };
        Ok(Self {
            regular: parse(REGULAR)?,
            bold: parse(BOLD)?,
        })
    }

    fn font(&self, face: Face) -> &FontRef<'static> {
        match face {
            Face::Regular => &self.regular,
            Face::Bold => &self.bold,
        }
    }

    /// The glyphs of `text` the font has, with their advances (kerning included).
    fn layout(&self, face: Face, size: f32, text: &str) -> Vec<(GlyphId, f32)> {
        let font = self.font(face);
        let scaled = font.as_scaled(PxScale::from(size));
        let mut glyphs: Vec<(GlyphId, f32)> = Vec::new();
        for c in text.chars() {
            let id = font.glyph_id(c);
            if id.0 == 0 {
                continue;
            }
            if let Some((previous, advance)) = glyphs.last_mut() {
                *advance += scaled.kern(*previous, id);
            }
            glyphs.push((id, scaled.h_advance(id)));
        }
        glyphs
    }

    /// How wide `text` is drawn, in pixels.
    #[must_use]
    pub fn width(&self, face: Face, size: f32, text: &str) -> f32 {
        self.layout(face, size, text).iter().map(|(_, a)| a).sum()
    }

    /// `text` cut with an ellipsis to fit `max` pixels.
    #[must_use]
    pub fn fit(&self, face: Face, size: f32, text: &str, max: f32) -> String {
        if self.width(face, size, text) <= max {
            return text.to_owned();
        }
        let mut cut: String = text.to_owned();
        while !cut.is_empty() && self.width(face, size, &format!("{cut}…")) > max {
            cut.pop();
        }
        format!("{}…", cut.trim_end())
    }

    /// `text` wrapped at spaces into at most `lines` lines of `max` pixels, the last one cut
    /// with an ellipsis when the text does not fit.
    #[must_use]
    pub fn wrap(&self, face: Face, size: f32, text: &str, max: f32, lines: usize) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut current = String::new();
        let words: Vec<&str> = text.split_whitespace().collect();
        let mut rest = words.as_slice();
        while let Some((word, tail)) = rest.split_first() {
            let candidate = if current.is_empty() {
                (*word).to_owned()
            } else {
                format!("{current} {word}")
            };
            if self.width(face, size, &candidate) <= max || current.is_empty() {
                current = candidate;
                rest = tail;
                continue;
            }
            out.push(std::mem::take(&mut current));
            if out.len() == lines {
                break;
            }
        }
        if !current.is_empty() && out.len() < lines {
            out.push(current);
        }
        if !rest.is_empty() || out.iter().any(|line| self.width(face, size, line) > max) {
            if let Some(last) = out.last_mut() {
                let more = if rest.is_empty() {
                    last.clone()
                } else {
                    format!("{last} {}", rest.join(" "))
                };
                *last = self.fit(face, size, &more, max);
            }
        }
        out
    }

    /// Draws `run` with its baseline at (`x`, `baseline`), clipped at `max_x`.
    pub fn draw(&self, pixmap: &mut Pixmap, run: Run<'_>, x: f32, baseline: f32, max_x: f32) {
        let font = self.font(run.face);
        let mut pen = x;
        for (id, advance) in self.layout(run.face, run.size, run.text) {
            if pen >= max_x {
                break;
            }
            let glyph = id.with_scale_and_position(PxScale::from(run.size), point(pen, baseline));
            pen += advance;
            let Some(outlined) = font.outline_glyph(glyph) else {
                continue; // a space
            };
            let bounds = outlined.px_bounds();
            // Glyph bounds are small whole pixel counts: the casts cannot overflow.
            #[allow(clippy::cast_possible_truncation)]
            let (left, top) = (bounds.min.x as i32, bounds.min.y as i32);
            outlined.draw(|gx, gy, coverage| {
                let (Ok(gx), Ok(gy)) = (i32::try_from(gx), i32::try_from(gy)) else {
                    return;
                };
                blend(pixmap, left + gx, top + gy, run.color, coverage);
            });
        }
    }
}

/// Mixes `color` into the (opaque) pixel at (`x`, `y`) by `coverage`.
fn blend(pixmap: &mut Pixmap, x: i32, y: i32, color: Rgb, coverage: f32) {
    let (Ok(x), Ok(y)) = (u32::try_from(x), u32::try_from(y)) else {
        return;
    };
    if x >= pixmap.width() || y >= pixmap.height() {
        return;
    }
    let width = pixmap.width();
    let index = (y * width + x) as usize;
    let Some(pixel) = pixmap.pixels_mut().get_mut(index) else {
        return;
    };
    let coverage = coverage.clamp(0.0, 1.0);
    // Channels stay within 0..=255: the casts cannot truncate.
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_lossless
    )]
    let mix = |under: u8, over: u8| -> u8 {
        (f32::from(over) * coverage + f32::from(under) * (1.0 - coverage)).round() as u8
    };
    let mixed = PremultipliedColorU8::from_rgba(
        mix(pixel.red(), color.0),
        mix(pixel.green(), color.1),
        mix(pixel.blue(), color.2),
        255,
    );
    if let Some(mixed) = mixed {
        *pixel = mixed;
    }
}
