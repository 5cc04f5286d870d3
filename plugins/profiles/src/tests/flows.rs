//! Members' commands: choosing a bio, style and theme, viewing cards (the PNG decoded), privacy
//! against other members, economy's figures when it is loaded, misuse refused with nothing
//! stored, reset, the style preview and where achievements are announced.

use arsenal_plugin_api::{
    model::{guild::Permissions, id::Id},
    protocol::{Arg, ArgValue},
    testing::{CHANNEL_ID, GUILD_ID},
    Error,
};
use serde_json::json;
use tiny_skia::Pixmap;

use super::{
    announcements, answer, card::name_pixels, card::pixel, card_file, run, stored_stats, text,
    view, view_text, Harness, ALICE, BOB,
};
use crate::theme::Theme;

fn choice(name: &str, value: &str) -> Arg {
    text(name, value)
}

#[test]
fn a_member_sets_a_profile_and_views_the_card_in_their_theme() {
    let mut h = Harness::start().unwrap();
    let (reply, ephemeral) = answer(&run(
        &mut h,
        ALICE,
        "config",
        vec![
            text("bio", "I collect maps"),
            choice("style", "bold"),
            choice("theme", "sunset"),
        ],
    ));
    assert!(ephemeral);
    assert!(reply.starts_with("Your profile is saved."), "{reply}");
    assert!(reply.contains("**Theme:** Sunset"), "{reply}");
    // Writing a bio unlocks Storyteller, announced where the command ran.
    let said = announcements(&h);
    assert_eq!(said.len(), 1, "{said:?}");
    assert_eq!(said[0].0, CHANNEL_ID.get());
    assert!(
        said[0].1.contains("<@21> unlocked **Storyteller**"),
        "{said:?}"
    );

    let response = view(&mut h, ALICE, None);
    let shown = view_text(&response);
    assert!(shown.contains("user21's profile"), "{shown}");
    // The bio in the bold writing style.
    assert!(shown.contains("𝐈 𝐜𝐨𝐥𝐥𝐞𝐜𝐭 𝐦𝐚𝐩𝐬"), "{shown}");
    assert!(shown.contains("Messages: 0"), "{shown}");
    let (_, ephemeral) = answer(&response);
    assert!(!ephemeral, "the card is posted for everyone");

    let file = card_file(&response);
    assert_eq!(file.name, "profile.png");
    let pixmap = Pixmap::decode_png(&file.bytes).expect("a PNG");
    assert_eq!((pixmap.width(), pixmap.height()), (800, 300));
    let palette = Theme::Sunset.palette();
    assert_eq!(pixel(&pixmap, 794, 10), palette.background);
    assert_eq!(pixel(&pixmap, 7, 150), palette.accent);
    assert!(name_pixels(&pixmap, palette.text) > 150);
    let Response::Message(reply) = &response else {
        unreachable!()
    };
    assert_eq!(
        reply.embeds[0].image.as_ref().map(|i| i.url.as_str()),
        Some("attachment://profile.png")
    );
}

use arsenal_plugin_api::Response;

#[test]
fn hidden_fields_never_reach_other_members() {
    let mut h = Harness::start().unwrap();
    run(&mut h, ALICE, "config", vec![text("bio", "secret garden")]);
    run(&mut h, ALICE, "config", vec![choice("hide", "bio")]);
    let (reply, _) = answer(&run(
        &mut h,
        ALICE,
        "config",
        vec![choice("hide", "messages")],
    ));
    assert!(
        reply.contains("**Hidden from others:** Bio, Messages"),
        "{reply}"
    );

    let seen_by_bob = view(&mut h, BOB, Some(ALICE));
    let shown = view_text(&seen_by_bob);
    assert!(!shown.contains("secret garden"), "{shown}");
    assert!(!shown.contains("Messages"), "{shown}");
    assert!(shown.contains("Voice"), "{shown}");
    // No bio panel on the card: where it would be is background.
    let pixmap = Pixmap::decode_png(&card_file(&seen_by_bob).bytes).unwrap();
    let palette = Theme::Classic.palette();
    assert_eq!(
        pixel(&pixmap, 400, 165),
        palette.panel,
        "the stat boxes move up"
    );
    let own = view_text(&view(&mut h, ALICE, None));
    assert!(
        own.contains("secret garden") && own.contains("Messages"),
        "{own}"
    );

    // Shown again.
    run(&mut h, ALICE, "config", vec![choice("show", "bio")]);
    assert!(view_text(&view(&mut h, BOB, Some(ALICE))).contains("secret garden"));
}

#[test]
fn coins_and_level_come_from_economy_when_it_is_loaded() {
    let mut h = Harness::start().unwrap();
    // Not loaded: the card leaves them out.
    let shown = view_text(&view(&mut h, ALICE, None));
    assert!(
        !shown.contains("Coins") && !shown.contains("Level"),
        "{shown}"
    );

    h.answer_module("economy", |method, payload| match method {
        "member.stats" if payload["user_id"] == "21" => {
            Ok(json!({"balance": 120, "bank": 1000, "level": 4, "xp": 950}))
        }
        _ => Err(Error::invalid("not scripted")),
    });
    let shown = view_text(&view(&mut h, BOB, Some(ALICE)));
    assert!(shown.contains("Coins: 1120"), "{shown}");
    assert!(shown.contains("Level: 4"), "{shown}");
    let asks = h.module_requests();
    assert_eq!(asks.last().map(|a| a.method.as_str()), Some("member.stats"));

    // Hidden balance: not even asked for when level is hidden too.
    run(&mut h, ALICE, "config", vec![choice("hide", "balance")]);
    run(&mut h, ALICE, "config", vec![choice("hide", "level")]);
    let before = h.module_requests().len();
    let shown = view_text(&view(&mut h, BOB, Some(ALICE)));
    assert!(
        !shown.contains("Coins") && !shown.contains("Level"),
        "{shown}"
    );
    assert_eq!(h.module_requests().len(), before);
}

#[test]
fn misuse_is_refused_clearly_and_stores_nothing() {
    let mut h = Harness::start().unwrap();
    let long = "a".repeat(301);
    let (reply, ephemeral) = answer(&run(&mut h, ALICE, "config", vec![text("bio", &long)]));
    assert!(ephemeral);
    assert!(
        reply.contains("`bio` must be at most 300 characters"),
        "{reply}"
    );
    let (reply, _) = answer(&run(&mut h, ALICE, "config", vec![text("bio", "   ")]));
    assert!(reply.contains("give `-`"), "{reply}");
    let (reply, _) = answer(&run(
        &mut h,
        ALICE,
        "config",
        vec![choice("hide", "voice"), choice("show", "voice")],
    ));
    assert!(reply.contains("both hide and show Voice"), "{reply}");
    let (reply, _) = answer(&run(
        &mut h,
        ALICE,
        "config",
        vec![choice("theme", "plaid")],
    ));
    assert!(!reply.is_empty());
    assert_eq!(h.stored(&format!("profile:{GUILD_ID}:{ALICE}")), None);

    // From a direct message.
    let mut dm = h.slash_as(
        ALICE,
        Permissions::empty(),
        "profile",
        &["view"],
        Vec::new(),
    );
    dm.invoker.guild_id = None;
    let (reply, ephemeral) = answer(&h.command(dm).unwrap());
    assert!(
        ephemeral && reply.contains("not in direct messages"),
        "{reply}"
    );

    // Announce needs Manage Server (the host checks; so does the module).
    let (reply, _) = answer(&run(
        &mut h,
        ALICE,
        "announce",
        vec![Arg {
            name: "enabled".to_owned(),
            value: ArgValue::Boolean(false),
        }],
    ));
    assert!(reply.contains("Manage Server"), "{reply}");
    assert_eq!(h.stored(&format!("config:{GUILD_ID}")), None);
}

#[test]
fn reset_erases_the_choices_but_keeps_statistics() {
    let mut h = Harness::start().unwrap();
    run(
        &mut h,
        ALICE,
        "config",
        vec![text("bio", "hello"), choice("theme", "gold")],
    );
    assert!(stored_stats(&h, ALICE)["achievements"][0]["id"] == "storyteller");
    let (reply, ephemeral) = answer(&run(&mut h, ALICE, "reset", Vec::new()));
    assert!(ephemeral && reply.contains("are erased"), "{reply}");
    assert_eq!(h.stored(&format!("profile:{GUILD_ID}:{ALICE}")), None);
    assert_eq!(
        stored_stats(&h, ALICE)["achievements"][0]["id"],
        "storyteller"
    );
    let (reply, _) = answer(&run(&mut h, ALICE, "reset", Vec::new()));
    assert!(reply.contains("nothing to erase"), "{reply}");
    // "-" erases only the bio.
    run(
        &mut h,
        ALICE,
        "config",
        vec![text("bio", "again"), choice("theme", "ocean")],
    );
    let (reply, _) = answer(&run(&mut h, ALICE, "config", vec![text("bio", "-")]));
    assert!(
        reply.contains("**Bio:** none yet") && reply.contains("Ocean"),
        "{reply}"
    );
}

#[test]
fn test_style_previews_text_in_every_style() {
    let mut h = Harness::start().unwrap();
    let (reply, ephemeral) = answer(&run(
        &mut h,
        ALICE,
        "test_style",
        vec![
            choice("style", "double_struck"),
            text("text", "Hi Paris 42"),
        ],
    ));
    assert!(ephemeral);
    assert!(
        reply.starts_with("**Double-struck:** ℍ𝕚 ℙ𝕒𝕣𝕚𝕤 𝟜𝟚"),
        "{reply}"
    );
    assert!(reply.contains("Small caps — Hᴇʟʟᴏ"), "{reply}");
    assert!(reply.contains("Wide — Ｈｅｌｌｏ"), "{reply}");
    // Without text: the member's bio.
    run(&mut h, ALICE, "config", vec![text("bio", "café")]);
    let (reply, _) = answer(&run(
        &mut h,
        ALICE,
        "test_style",
        vec![choice("style", "script")],
    ));
    assert!(reply.starts_with("**Script:** 𝓬𝓪𝓯é"), "{reply}");
}

#[test]
fn achievements_go_where_the_server_chose_or_nowhere() {
    let mut h = Harness::start().unwrap();
    let admin = |h: &mut Harness, args: Vec<Arg>| {
        let invocation = h.slash_as(
            Id::new(10),
            Permissions::MANAGE_GUILD,
            "profile",
            &["announce"],
            args,
        );
        answer(&h.command(invocation).unwrap()).0
    };
    let reply = admin(
        &mut h,
        vec![Arg {
            name: "channel".to_owned(),
            value: ArgValue::Channel(Id::new(777)),
        }],
    );
    assert_eq!(reply, "Achievements are announced in <#777>.");
    run(&mut h, ALICE, "config", vec![text("bio", "hi")]);
    assert_eq!(announcements(&h).last().map(|a| a.0), Some(777));

    let reply = admin(
        &mut h,
        vec![Arg {
            name: "enabled".to_owned(),
            value: ArgValue::Boolean(false),
        }],
    );
    assert!(reply.contains("not announced"), "{reply}");
    let before = announcements(&h).len();
    run(&mut h, BOB, "config", vec![text("bio", "hey")]);
    assert_eq!(announcements(&h).len(), before);
    // Still unlocked, only not announced.
    assert_eq!(
        stored_stats(&h, BOB)["achievements"][0]["id"],
        "storyteller"
    );
}
