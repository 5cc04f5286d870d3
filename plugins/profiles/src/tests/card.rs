//! The card's pixels: decoded from the PNG, its size, the theme's colours where the layout puts
//! them, the member's name drawn in its box (and nothing there without a name), and the example
//! card of the README kept current.

use tiny_skia::Pixmap;

use crate::{
    card::{self, Card, BAND_WIDTH, HEIGHT, NAME_BOX, WIDTH},
    theme::{Rgb, Theme},
};

fn card(name: &str, theme: Theme) -> Card {
    Card {
        name: name.to_owned(),
        subtitle: "Ocean · ★ 3 achievements".to_owned(),
        bio: Some(
            "I draw maps of places that do not exist, and sometimes of places that do.".to_owned(),
        ),
        stats: vec![
            ("Messages".to_owned(), "1234".to_owned()),
            ("Voice".to_owned(), "12 h 05".to_owned()),
        ],
        palette: theme.palette(),
    }
}

fn decode(png: &[u8]) -> Pixmap {
    Pixmap::decode_png(png).expect("the card is a PNG")
}

pub fn pixel(pixmap: &Pixmap, x: u32, y: u32) -> Rgb {
    let p = pixmap.pixel(x, y).expect("inside the card");
    assert_eq!(p.alpha(), 255, "the card is opaque");
    Rgb(p.red(), p.green(), p.blue())
}

/// Pixels of the name box close to `color` (anti-aliased edges aside).
pub fn name_pixels(pixmap: &Pixmap, color: Rgb) -> usize {
    let (left, top, right, bottom) = NAME_BOX;
    let near = |a: u8, b: u8| a.abs_diff(b) <= 8;
    (top..bottom)
        .flat_map(|y| (left..right).map(move |x| (x, y)))
        .filter(|&(x, y)| {
            let p = pixel(pixmap, x, y);
            near(p.0, color.0) && near(p.1, color.1) && near(p.2, color.2)
        })
        .count()
}

#[test]
fn every_theme_paints_its_background_and_accent() {
    for theme in Theme::ALL {
        let palette = theme.palette();
        let pixmap = decode(&card::render(&card("Alice", theme)).unwrap());
        assert_eq!((pixmap.width(), pixmap.height()), (WIDTH, HEIGHT));
        // The right margin is background; the band down the left is the accent.
        assert_eq!(
            pixel(&pixmap, WIDTH - 6, 10),
            palette.background,
            "{theme:?}"
        );
        assert_eq!(
            pixel(&pixmap, WIDTH - 6, HEIGHT - 6),
            palette.background,
            "{theme:?}"
        );
        assert_eq!(
            pixel(&pixmap, BAND_WIDTH / 2, HEIGHT / 2),
            palette.accent,
            "{theme:?}"
        );
        // The avatar's ring (accent) and disc (panel).
        assert_eq!(pixel(&pixmap, 100, 80 - 54), palette.accent, "{theme:?}");
        assert_eq!(pixel(&pixmap, 100 - 40, 80), palette.panel, "{theme:?}");
    }
}

#[test]
fn the_name_is_drawn_in_its_box() {
    let palette = Theme::Classic.palette();
    let named = decode(&card::render(&card("Alice", Theme::Classic)).unwrap());
    let unnamed = decode(&card::render(&card("", Theme::Classic)).unwrap());
    let drawn = name_pixels(&named, palette.text);
    assert!(
        drawn > 150,
        "only {drawn} text-coloured pixels in the name box"
    );
    assert_eq!(name_pixels(&unnamed, palette.text), 0);
    // A longer name covers more of the box; another name, other pixels.
    let longer = decode(&card::render(&card("Alice Wonderland", Theme::Classic)).unwrap());
    assert!(name_pixels(&longer, palette.text) > drawn);
    let other = decode(&card::render(&card("Bob", Theme::Classic)).unwrap());
    assert_ne!(named.data(), other.data());
}

#[test]
fn a_name_too_long_or_outside_the_font_does_not_break_the_card() {
    let long = "W".repeat(200);
    let pixmap = decode(&card::render(&card(&long, Theme::Gold)).unwrap());
    // Cut with an ellipsis before the right margin: the margin stays background.
    let palette = Theme::Gold.palette();
    for y in NAME_BOX.1..NAME_BOX.3 {
        assert_eq!(pixel(&pixmap, WIDTH - 6, y), palette.background);
    }
    // Emoji and scripts the font lacks are left out, not drawn as boxes.
    let emoji = decode(&card::render(&card("🦊🦊🦊", Theme::Gold)).unwrap());
    assert_eq!(name_pixels(&emoji, palette.text), 0);
    let mixed = decode(&card::render(&card("Zoé 🦊", Theme::Gold)).unwrap());
    assert!(name_pixels(&mixed, palette.text) > 100);
}

/// The README's example card (`plugins/profiles/example-card.png`) is what the code draws now.
/// `PROFILES_WRITE_EXAMPLE=1 cargo test -p arsenal-plugin-profiles example` rewrites it.
#[test]
fn the_example_card_is_current() {
    let example = Card {
        name: "Camille Durand".to_owned(),
        subtitle: "Ocean · ★ 4 achievements".to_owned(),
        bio: Some(
            "Cartographer of imaginary places, tea drinker, and weekend raid leader. Ask me about maps!"
                .to_owned(),
        ),
        stats: vec![
            ("Messages".to_owned(), "1,284".to_owned()),
            ("Voice".to_owned(), "12 h 05".to_owned()),
            ("Coins".to_owned(), "2,450".to_owned()),
            ("Level".to_owned(), "7".to_owned()),
        ],
        palette: Theme::Ocean.palette(),
    };
    let png = card::render(&example).unwrap();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/example-card.png");
    if std::env::var_os("PROFILES_WRITE_EXAMPLE").is_some() {
        std::fs::write(path, &png).unwrap();
    }
    let committed = std::fs::read(path).expect("example-card.png is committed");
    assert_eq!(
        decode(&committed).data(),
        decode(&png).data(),
        "the card drawing changed: rewrite the example with PROFILES_WRITE_EXAMPLE=1"
    );
}
