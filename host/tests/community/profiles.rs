//! Profiles end to end, through the real host against the simulator: a member sets a bio,
//! style and theme (Storyteller announced), talks (First words announced where she talked) and
//! sits in voice while the module is reloaded (no message count or voice second lost), hides
//! her bio, and another member's `/profile view` gets the card as an uploaded PNG, decoded here:
//! its size, the theme's colours and her name drawn, the bio absent from the embed. After a
//! restart everything is still there, the wallet the economy module holds shows as her coins
//! (asked through the host), and `!profile view` uploads the card too. Ends by
//! checking Discord would have accepted every request.

use std::time::Duration;

use arsenal_host::plugins::Trigger;
use serde_json::{json, Value};
use twilight_model::{
    channel::Message,
    id::{
        marker::{ChannelMarker, UserMarker},
        Id,
    },
};

use crate::common::{
    bot::{Bot, WAIT},
    plugin,
};

/// The Ocean theme's background, accent and text colours (plugins/profiles/src/theme.rs).
const OCEAN_BACKGROUND: [u8; 3] = [0x0B, 0x25, 0x45];
const OCEAN_ACCENT: [u8; 3] = [0x1F, 0xC8, 0xC8];
const OCEAN_TEXT: [u8; 3] = [0xE8, 0xF7, 0xFF];
/// Where the card draws the name: (left, top, right, bottom) (plugins/profiles/src/card/mod.rs).
const NAME_BOX: (usize, usize, usize, usize) = (184, 28, 780, 78);

fn stats(bot: &Bot, user: Id<UserMarker>) -> Value {
    bot.app()
        .store
        .get(
            "plugin.profiles",
            &format!("stats:{}:{user}", bot.ids.guild),
        )
        .expect("store")
        .map_or(Value::Null, |v| v.value)
}

/// Polls the stored statistics of `user` until `done` accepts them (store writes do not wake
/// the simulator's `wait_for`).
async fn wait_stats(bot: &Bot, user: Id<UserMarker>, done: impl Fn(&Value) -> bool) -> Value {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let stats = stats(bot, user);
        if done(&stats) {
            return stats;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "statistics never got there: {stats}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Waits for a message of the bot in `channel` containing `needle`.
async fn bot_said(bot: &Bot, channel: Id<ChannelMarker>, needle: &str) -> Message {
    let me = bot.ids.bot;
    bot.sim
        .wait_for(WAIT, |w| {
            w.messages(channel)
                .into_iter()
                .find(|m| m.author.id == me && m.content.contains(needle))
        })
        .await
        .unwrap_or_else(|| panic!("the bot never said {needle:?} in {channel}"))
}

/// Runs `/profile <options>` as `user` and returns the answer's message once it has content or
/// an embed.
async fn profile(bot: &Bot, user: Id<UserMarker>, options: Value) -> (Message, bool) {
    let handle = bot
        .sim
        .run_slash_command(user, bot.ids.bot_commands, "profile", options)
        .await;
    let outcome = handle
        .wait_until(WAIT, |o| {
            o.message
                .as_ref()
                .is_some_and(|m| !m.content.is_empty() || !m.embeds.is_empty())
        })
        .await
        .expect("/profile is answered");
    let ephemeral = outcome.is_ephemeral();
    (outcome.message.expect("a message"), ephemeral)
}

/// Decodes a PNG into (width, height, RGBA bytes).
fn decode(bytes: &[u8]) -> (usize, usize, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().expect("a PNG header");
    let mut buffer = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buffer).expect("a PNG frame");
    assert_eq!(info.color_type, png::ColorType::Rgba, "the card is RGBA");
    buffer.truncate(info.buffer_size());
    (info.width as usize, info.height as usize, buffer)
}

fn rgb(pixels: &[u8], width: usize, x: usize, y: usize) -> [u8; 3] {
    let at = (y * width + x) * 4;
    [pixels[at], pixels[at + 1], pixels[at + 2]]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn profiles_count_announce_and_draw_cards_through_reloads_and_restarts() {
    let mut bot = Bot::start_with(&[
        ("profiles", plugin("profiles")),
        ("economy", plugin("economy")),
    ])
    .await;
    let ids = bot.ids;

    let (message, ephemeral) = profile(
        &bot,
        ids.alice,
        json!([{"name": "config", "type": 1, "options": [
            {"name": "bio", "value": "Cartographer of imaginary places"},
            {"name": "style", "value": "bold"},
            {"name": "theme", "value": "ocean"},
        ]}]),
    )
    .await;
    assert!(ephemeral, "settings answers are ephemeral");
    assert!(
        message.content.starts_with("Your profile is saved."),
        "{}",
        message.content
    );
    bot_said(&bot, ids.bot_commands, "unlocked **Storyteller**").await;

    // Misuse: hiding and showing the same field is refused, ephemeral, nothing changes.
    let (message, ephemeral) = profile(
        &bot,
        ids.alice,
        json!([{"name": "config", "type": 1, "options": [
            {"name": "hide", "value": "voice"},
            {"name": "show", "value": "voice"},
        ]}]),
    )
    .await;
    assert!(
        ephemeral && message.content.contains("both hide and show Voice"),
        "{}",
        message.content
    );

    // Alice talks; her first message is announced where she said it.
    bot.sim
        .send_message(ids.alice, ids.general, "hello all")
        .await;
    bot_said(&bot, ids.general, "unlocked **First words**").await;
    // She joins voice, keeps talking while the module is reloaded: nothing is lost.
    bot.sim.join_voice(ids.alice, ids.lounge).await;
    wait_stats(&bot, ids.alice, |s| s["voice_since"].is_u64()).await;
    let manager = bot.app().manager.clone();
    let reload = tokio::spawn(async move { manager.reload("profiles", Trigger::Command).await });
    for n in 0..4 {
        bot.sim
            .send_message(ids.alice, ids.general, &format!("message {n}"))
            .await;
    }
    reload.await.expect("reload task").expect("reload");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    bot.sim.leave_voice(ids.alice, ids.guild).await;
    wait_stats(&bot, ids.alice, |s| {
        s["voice_since"].is_null() && s["voice_seconds"].as_u64() >= Some(1)
    })
    .await;

    // She hides her bio; Bob views her profile: the card is uploaded with the answer.
    profile(
        &bot,
        ids.alice,
        json!([{"name": "config", "type": 1, "options": [{"name": "hide", "value": "bio"}]}]),
    )
    .await;
    let (message, ephemeral) = profile(
        &bot,
        ids.bob,
        json!([{"name": "view", "type": 1, "options": [{"name": "member", "value": ids.alice.to_string()}]}]),
    )
    .await;
    assert!(!ephemeral, "the card is posted for everyone");
    let embed = &message.embeds[0];
    assert!(
        embed.description.is_none(),
        "the hidden bio leaked: {embed:?}"
    );
    let field = |name: &str| {
        embed
            .fields
            .iter()
            .find(|f| f.name == name)
            .map(|f| f.value.clone())
    };
    // 1 + 4 messages, the ones sent during the reload included.
    assert_eq!(field("Messages").as_deref(), Some("5"), "{embed:?}");
    assert_eq!(
        embed.image.as_ref().map(|i| i.url.as_str()),
        Some("attachment://profile.png")
    );
    let png = bot
        .sim
        .with_world(|w| w.attachment_bytes(message.id, "profile.png"))
        .expect("the card was uploaded with the answer");
    let (width, height, pixels) = decode(&png);
    assert_eq!((width, height), (800, 300));
    assert_eq!(rgb(&pixels, width, 794, 10), OCEAN_BACKGROUND);
    assert_eq!(rgb(&pixels, width, 7, 150), OCEAN_ACCENT);
    let (left, top, right, bottom) = NAME_BOX;
    let name_pixels = (top..bottom)
        .flat_map(|y| (left..right).map(move |x| (x, y)))
        .filter(|&(x, y)| rgb(&pixels, width, x, y) == OCEAN_TEXT)
        .count();
    assert!(
        name_pixels > 100,
        "the name was not drawn ({name_pixels} pixels)"
    );

    // After a restart: the profile, the counts and the achievements are all still there.
    bot.restart().await;
    let (message, _) = profile(&bot, ids.alice, json!([{"name": "view", "type": 1}])).await;
    let embed = &message.embeds[0];
    assert!(
        embed
            .description
            .as_deref()
            .is_some_and(|d| d.contains("𝐂𝐚𝐫𝐭𝐨𝐠𝐫𝐚𝐩𝐡𝐞𝐫")),
        "her own view shows her bold bio: {embed:?}"
    );
    let achievements = embed
        .fields
        .iter()
        .find(|f| f.name == "Achievements")
        .map(|f| f.value.clone())
        .unwrap_or_default();
    assert!(
        achievements.contains("Storyteller") && achievements.contains("First words"),
        "{achievements}"
    );
    assert!(bot
        .sim
        .with_world(|w| w.attachment_bytes(message.id, "profile.png"))
        .is_some());

    // Coins come from the economy module, asked through the host: the wallet an admin sets is
    // what the profile shows.
    let (text, _) = bot
        .slash(
            ids.alice,
            "economy",
            json!([{"name": "admin", "type": 2, "options": [{"name": "set", "type": 1, "options": [
                {"name": "member", "value": ids.alice.to_string()},
                {"name": "amount", "value": 2450},
            ]}]}]),
        )
        .await;
    assert!(text.contains("2450") || text.contains("2,450"), "{text}");
    let (message, _) = profile(&bot, ids.alice, json!([{"name": "view", "type": 1}])).await;
    let coins = message.embeds[0]
        .fields
        .iter()
        .find(|f| f.name == "Coins")
        .map(|f| f.value.clone());
    assert_eq!(coins.as_deref(), Some("2450"), "{:?}", message.embeds[0]);

    // The prefix form uploads the card with its reply too.
    bot.prefix(ids.bob, &format!("!profile view <@{}>", ids.alice))
        .await;
    let me = ids.bot;
    let uploaded = bot.sim.with_world(|w| {
        w.messages(ids.bot_commands)
            .into_iter()
            .filter(|m| m.author.id == me && m.reference.is_some())
            .find_map(|m| w.attachment_bytes(m.id, "profile.png"))
    });
    let (width, height, _) = decode(&uploaded.expect("the prefix reply carries the card"));
    assert_eq!((width, height), (800, 300));

    bot.stop().await;
}
