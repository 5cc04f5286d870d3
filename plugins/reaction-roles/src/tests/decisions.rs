//! Every mode and rule of [`decide`], without a host.

use arsenal_plugin_api::testing::GUILD_ID;

use super::*;
use crate::{
    decide::{decide, Change, Gesture, Outcome, Refusal, Unchanged},
    model::{Entry, Mode, Panel, Style},
};

fn panel(mode: Mode) -> Panel {
    Panel {
        v: 1,
        guild: GUILD_ID,
        channel: PANELS,
        message: Id::new(5),
        style: Style::Reactions,
        mode,
        max: None,
        required: Vec::new(),
        forbidden: Vec::new(),
        title: "Roles".to_owned(),
        description: None,
        entries: [(GAMER, "🎮"), (ARTIST, "🎨"), (MUSIC, "🎵")]
            .into_iter()
            .map(|(role, emoji)| Entry {
                role,
                emoji: Some(emoji.to_owned()),
                label: String::new(),
            })
            .collect(),
    }
}

fn change(add: &[Id<RoleMarker>], remove: &[Id<RoleMarker>]) -> Outcome {
    Outcome::Change(Change {
        add: add.to_vec(),
        remove: remove.to_vec(),
    })
}

#[test]
fn normal_toggles_with_buttons_and_follows_reactions() {
    let p = panel(Mode::Normal);
    assert_eq!(
        decide(&p, &[], &Gesture::Press(GAMER)),
        change(&[GAMER], &[])
    );
    assert_eq!(
        decide(&p, &[GAMER], &Gesture::Press(GAMER)),
        change(&[], &[GAMER])
    );
    assert_eq!(
        decide(&p, &[ARTIST], &Gesture::React(GAMER)),
        change(&[GAMER], &[])
    );
    assert_eq!(
        decide(&p, &[GAMER], &Gesture::Unreact(GAMER)),
        change(&[], &[GAMER])
    );
    assert_eq!(
        decide(&p, &[GAMER], &Gesture::React(GAMER)),
        Outcome::Unchanged(Unchanged::AlreadyHas(GAMER))
    );
    // A role that is not on the panel (a stale button) does nothing.
    assert_eq!(
        decide(&p, &[], &Gesture::Press(MEMBER)),
        Outcome::Unchanged(Unchanged::Nothing)
    );
}

#[test]
fn unique_swaps_the_panels_role() {
    let p = panel(Mode::Unique);
    assert_eq!(
        decide(&p, &[GAMER, MEMBER], &Gesture::React(ARTIST)),
        change(&[ARTIST], &[GAMER])
    );
    assert_eq!(
        decide(&p, &[GAMER], &Gesture::Press(ARTIST)),
        change(&[ARTIST], &[GAMER])
    );
    // A menu choosing two keeps the first only.
    assert_eq!(
        decide(&p, &[MUSIC], &Gesture::Choose(vec![GAMER, ARTIST])),
        change(&[GAMER], &[MUSIC])
    );
}

#[test]
fn verify_only_gives() {
    let p = panel(Mode::Verify);
    assert_eq!(
        decide(&p, &[], &Gesture::Press(GAMER)),
        change(&[GAMER], &[])
    );
    assert_eq!(
        decide(&p, &[GAMER], &Gesture::Press(GAMER)),
        Outcome::Unchanged(Unchanged::AlreadyHas(GAMER))
    );
    assert_eq!(
        decide(&p, &[GAMER], &Gesture::Unreact(GAMER)),
        Outcome::Unchanged(Unchanged::Nothing)
    );
    assert_eq!(
        decide(&p, &[GAMER], &Gesture::Choose(vec![ARTIST])),
        change(&[ARTIST], &[])
    );
}

#[test]
fn drop_only_takes() {
    let p = panel(Mode::Drop);
    assert_eq!(
        decide(&p, &[GAMER], &Gesture::Press(GAMER)),
        change(&[], &[GAMER])
    );
    assert_eq!(
        decide(&p, &[], &Gesture::Press(GAMER)),
        Outcome::Unchanged(Unchanged::DoesNotHave(GAMER))
    );
    assert_eq!(
        decide(&p, &[GAMER], &Gesture::React(GAMER)),
        change(&[], &[GAMER])
    );
    assert_eq!(
        decide(&p, &[], &Gesture::Unreact(GAMER)),
        Outcome::Unchanged(Unchanged::Nothing)
    );
}

#[test]
fn reversed_takes_on_reaction_and_gives_back_on_unreaction() {
    let p = panel(Mode::Reversed);
    assert_eq!(
        decide(&p, &[GAMER], &Gesture::React(GAMER)),
        change(&[], &[GAMER])
    );
    assert_eq!(
        decide(&p, &[], &Gesture::Unreact(GAMER)),
        change(&[GAMER], &[])
    );
    assert_eq!(
        decide(&p, &[GAMER, ARTIST], &Gesture::Choose(vec![GAMER])),
        change(&[MUSIC], &[GAMER])
    );
}

#[test]
fn binding_is_chosen_once() {
    let p = panel(Mode::Binding);
    assert_eq!(
        decide(&p, &[], &Gesture::React(GAMER)),
        change(&[GAMER], &[])
    );
    for gesture in [
        Gesture::React(ARTIST),
        Gesture::Press(ARTIST),
        Gesture::Press(GAMER),
        Gesture::Choose(vec![ARTIST]),
    ] {
        assert_eq!(
            decide(&p, &[GAMER], &gesture),
            Outcome::Refused(Refusal::Locked(GAMER)),
            "{gesture:?}"
        );
    }
    assert_eq!(
        decide(&p, &[GAMER], &Gesture::Unreact(GAMER)),
        Outcome::Unchanged(Unchanged::Nothing)
    );
}

#[test]
fn the_maximum_counts_the_panels_roles_only() {
    let mut p = panel(Mode::Normal);
    p.max = Some(2);
    assert_eq!(
        decide(&p, &[GAMER, ARTIST, MEMBER], &Gesture::React(MUSIC)),
        Outcome::Refused(Refusal::Limit(2))
    );
    assert_eq!(
        decide(&p, &[GAMER, MEMBER, MUTED], &Gesture::Press(MUSIC)),
        change(&[MUSIC], &[])
    );
    // Giving one up is always allowed, and a menu may swap within the maximum.
    assert_eq!(
        decide(&p, &[GAMER, ARTIST], &Gesture::Press(GAMER)),
        change(&[], &[GAMER])
    );
    assert_eq!(
        decide(&p, &[GAMER, ARTIST], &Gesture::Choose(vec![GAMER, MUSIC])),
        change(&[MUSIC], &[ARTIST])
    );
    assert_eq!(
        decide(&p, &[], &Gesture::Choose(vec![GAMER, ARTIST, MUSIC])),
        Outcome::Refused(Refusal::Limit(2))
    );
}

#[test]
fn required_and_forbidden_roles_gate_the_panel() {
    let mut p = panel(Mode::Normal);
    p.required = vec![MEMBER];
    p.forbidden = vec![MUTED];
    assert_eq!(
        decide(&p, &[], &Gesture::React(GAMER)),
        Outcome::Refused(Refusal::MissingRequired(vec![MEMBER]))
    );
    assert_eq!(
        decide(&p, &[MEMBER, MUTED], &Gesture::React(GAMER)),
        Outcome::Refused(Refusal::Forbidden(MUTED))
    );
    assert_eq!(
        decide(&p, &[MEMBER], &Gesture::React(GAMER)),
        change(&[GAMER], &[])
    );
}

#[test]
fn a_menu_choice_becomes_the_members_roles() {
    let p = panel(Mode::Normal);
    assert_eq!(
        decide(&p, &[GAMER, MEMBER], &Gesture::Choose(vec![ARTIST, MUSIC])),
        change(&[ARTIST, MUSIC], &[GAMER])
    );
    assert_eq!(
        decide(&p, &[GAMER], &Gesture::Choose(vec![GAMER, MEMBER])),
        Outcome::Unchanged(Unchanged::Nothing)
    );
}

#[test]
fn the_roles_text_reads_emojis_and_mentions() {
    use crate::emoji::{parse_pairs, Pair, SpecError};
    let pairs = parse_pairs("🎮 <@&201>, <:blob:77><@&202>  <@&203>").unwrap();
    assert_eq!(
        pairs,
        vec![
            Pair {
                emoji: Some("🎮".to_owned()),
                role: GAMER
            },
            Pair {
                emoji: Some("blob:77".to_owned()),
                role: ARTIST
            },
            Pair {
                emoji: None,
                role: MUSIC
            },
        ]
    );
    assert_eq!(
        parse_pairs("<a:dance:9> <@&201>").unwrap()[0]
            .emoji
            .as_deref(),
        Some("a:dance:9")
    );
    assert_eq!(
        parse_pairs("🎮 Gamer"),
        Err(SpecError::UnknownWord("Gamer".to_owned()))
    );
    assert_eq!(
        parse_pairs("🎮 🎨 <@&201>"),
        Err(SpecError::EmojiWithoutRole("🎮".to_owned()))
    );
    assert_eq!(parse_pairs(" , "), Err(SpecError::Empty));
}

#[test]
fn reactions_match_stored_emojis() {
    use crate::emoji::{display, matches, same};
    use arsenal_plugin_api::model::channel::message::EmojiReactionType;
    let custom = EmojiReactionType::Custom {
        animated: false,
        id: Id::new(77),
        name: Some("renamed".to_owned()),
    };
    assert!(matches("blob:77", &custom));
    assert!(!matches("🎮", &custom));
    let heart = EmojiReactionType::Unicode {
        name: "❤\u{fe0f}".to_owned(),
    };
    assert!(matches("❤", &heart));
    assert!(same("a:blob:77", "blob:77"));
    assert_eq!(display("blob:77"), "<:blob:77>");
    assert_eq!(display("a:blob:77"), "<a:blob:77>");
    assert_eq!(display("🎮"), "🎮");
}
