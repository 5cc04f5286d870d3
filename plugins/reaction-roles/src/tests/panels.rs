//! Administrators making, changing and looking after panels.

use arsenal_plugin_api::{
    model::channel::message::Component, protocol::AutocompleteInvocation, testing::GUILD_ID,
};

use super::*;
use crate::model::Panel;

fn stored(harness: &Harness, message: Id<MessageMarker>) -> Option<Panel> {
    harness
        .stored(&Panel::key(GUILD_ID, message))
        .map(|value| serde_json::from_value(value).unwrap())
}

#[test]
fn a_button_panel_is_posted_with_a_button_per_role_and_stored() {
    let (mut harness, _fake) = start();
    let message = create(&mut harness, "🎮 <@&201> <@&202>", "buttons", "normal");
    let posted = last_panel_message(&harness);
    let Component::ActionRow(row) = &posted.components[0] else {
        panic!("{posted:?}")
    };
    let buttons: Vec<(Option<String>, Option<String>)> = row
        .components
        .iter()
        .map(|c| match c {
            Component::Button(b) => (b.label.clone(), b.custom_id.clone()),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        buttons,
        [
            (Some("Gamer".to_owned()), Some("r:201".to_owned())),
            (Some("Artist".to_owned()), Some("r:202".to_owned()))
        ]
    );
    let embed = &posted.embeds[0];
    assert_eq!(embed.title.as_deref(), Some("Pick your roles"));
    assert!(embed.description.as_deref().unwrap().contains("🎮 <@&201>"));
    let panel = stored(&harness, message).expect("the panel is stored");
    assert_eq!((panel.channel, panel.entries.len()), (PANELS, 2));
}

#[test]
fn a_role_above_the_bot_is_named_and_nothing_is_posted() {
    let (mut harness, _fake) = start();
    let refusal = rr(
        &mut harness,
        "create",
        vec![
            arg("channel", ArgValue::Channel(PANELS)),
            arg("roles", text("🎮 <@&201> 👑 <@&400>")),
        ],
    )
    .unwrap_err();
    assert!(
        refusal.contains("I cannot hand out Admin") && refusal.contains("(Arsenal)"),
        "{refusal}"
    );
    for (roles, expected) in [
        ("<@&206>", "Server Booster is managed"),
        ("<@&1>", "@everyone cannot"),
        ("<@&999>", "Role 999 is not one of this server's roles"),
        ("🎮 gamer", "I could not read `gamer`"),
        ("<@&201> <@&201>", "<@&201> is named twice"),
    ] {
        let refusal = rr(
            &mut harness,
            "create",
            vec![
                arg("channel", ArgValue::Channel(PANELS)),
                arg("roles", text(roles)),
            ],
        )
        .unwrap_err();
        assert!(refusal.contains(expected), "{roles}: {refusal}");
    }
    let sent = harness
        .discord_requests()
        .iter()
        .filter(|r| matches!(r, DiscordRequest::SendMessage { .. }))
        .count();
    assert_eq!(sent, 0);
    assert!(harness.stored("panel:1:1001").is_none());
}

#[test]
fn without_manage_roles_the_bot_says_so() {
    let (mut harness, fake) = start();
    fake.0.lock().unwrap().roles.retain(|r| r.0 != BOT_ROLE);
    fake.give(BOT, &[]);
    let refusal = rr(
        &mut harness,
        "create",
        vec![
            arg("channel", ArgValue::Channel(PANELS)),
            arg("roles", text("<@&201>")),
        ],
    )
    .unwrap_err();
    assert!(
        refusal.contains("I need the Manage Roles permission"),
        "{refusal}"
    );
}

#[test]
fn a_reaction_panel_needs_an_emoji_per_role_and_gets_its_reactions() {
    let (mut harness, fake) = start();
    let refusal = rr(
        &mut harness,
        "create",
        vec![
            arg("channel", ArgValue::Channel(PANELS)),
            arg("roles", text("🎮 <@&201> <@&202>")),
            arg("style", text("reactions")),
        ],
    )
    .unwrap_err();
    assert!(refusal.contains("<@&202> needs an emoji"), "{refusal}");
    let message = create(
        &mut harness,
        "🎮 <@&201> <:blob:77> <@&202>",
        "reactions",
        "normal",
    );
    let reactions = fake.0.lock().unwrap().messages[&message.get()].clone();
    assert_eq!(reactions, ["🎮", "blob:77"]);
    assert!(last_panel_message(&harness).components.is_empty());
}

#[test]
fn fix_adds_back_only_the_missing_reactions() {
    let (mut harness, fake) = start();
    let message = create(
        &mut harness,
        "🎮 <@&201> 🎨 <@&202> 🎵 <@&203>",
        "reactions",
        "normal",
    );
    // Someone with Manage Messages cleared two of the bot's reactions.
    fake.0
        .lock()
        .unwrap()
        .messages
        .insert(message.get(), vec!["🎨".to_owned()]);
    let before = harness.discord_requests().len();
    let answer = rr(
        &mut harness,
        "fix",
        vec![arg("panel", text(&message.to_string()))],
    )
    .unwrap();
    assert!(
        answer.contains("2 missing reactions added back"),
        "{answer}"
    );
    let added: Vec<String> = requests_since(&harness, before)
        .into_iter()
        .filter_map(|r| match r {
            DiscordRequest::AddReaction { emoji, .. } => Some(emoji),
            _ => None,
        })
        .collect();
    assert_eq!(added, ["🎮", "🎵"]);
    let answer = rr(
        &mut harness,
        "fix",
        vec![arg("panel", text(&message.to_string()))],
    )
    .unwrap();
    assert!(answer.contains("no reaction was missing"), "{answer}");
}

#[test]
fn fix_names_deleted_roles_and_a_gone_message() {
    let (mut harness, fake) = start();
    let message = create(&mut harness, "<@&201> <@&202>", "buttons", "normal");
    fake.0.lock().unwrap().roles.retain(|r| r.0 != ARTIST);
    let answer = rr(
        &mut harness,
        "fix",
        vec![arg("panel", text(&message.to_string()))],
    )
    .unwrap();
    assert!(answer.contains("Role 202 was deleted"), "{answer}");
    fake.0.lock().unwrap().messages.clear();
    let refusal = rr(
        &mut harness,
        "fix",
        vec![arg("panel", text(&message.to_string()))],
    )
    .unwrap_err();
    assert!(refusal.contains("is gone"), "{refusal}");
}

#[test]
fn add_remove_and_settings_change_the_posted_panel() {
    let (mut harness, _fake) = start();
    let message = create(&mut harness, "<@&201> <@&202>", "menu", "normal");
    let id = message.to_string();
    let menu_max = |harness: &Harness| {
        let reply = last_panel_message(harness);
        let Component::ActionRow(row) = &reply.components[0] else {
            panic!()
        };
        let Component::SelectMenu(menu) = &row.components[0] else {
            panic!()
        };
        (menu.options.as_ref().map_or(0, Vec::len), menu.max_values)
    };
    assert_eq!(menu_max(&harness), (2, Some(2)));
    let answer = rr(
        &mut harness,
        "add",
        vec![
            arg("panel", text(&id)),
            arg("role", ArgValue::Role(MUSIC)),
            arg("emoji", text("🎵")),
        ],
    )
    .unwrap();
    assert!(
        answer.contains("<@&203> is on the panel (3 roles)"),
        "{answer}"
    );
    assert_eq!(menu_max(&harness), (3, Some(3)));
    let refusal = rr(
        &mut harness,
        "add",
        vec![arg("panel", text(&id)), arg("role", ArgValue::Role(ADMIN))],
    )
    .unwrap_err();
    assert!(refusal.contains("I cannot hand out Admin"), "{refusal}");
    rr(
        &mut harness,
        "settings",
        vec![arg("panel", text(&id)), arg("mode", text("unique"))],
    )
    .unwrap();
    assert_eq!(menu_max(&harness), (3, Some(1)));
    let answer = rr(
        &mut harness,
        "settings",
        vec![
            arg("panel", text(&id)),
            arg("require", ArgValue::Role(MEMBER)),
        ],
    )
    .unwrap();
    assert!(
        answer.contains("unique") && answer.contains("Required: <@&204>"),
        "{answer}"
    );
    let answer = rr(
        &mut harness,
        "settings",
        vec![
            arg("panel", text(&id)),
            arg("require", ArgValue::Role(MEMBER)),
        ],
    )
    .unwrap();
    assert!(answer.contains("Required: none"), "{answer}");
    rr(
        &mut harness,
        "remove",
        vec![arg("panel", text(&id)), arg("role", ArgValue::Role(GAMER))],
    )
    .unwrap();
    rr(
        &mut harness,
        "remove",
        vec![arg("panel", text(&id)), arg("role", ArgValue::Role(ARTIST))],
    )
    .unwrap();
    let refusal = rr(
        &mut harness,
        "remove",
        vec![arg("panel", text(&id)), arg("role", ArgValue::Role(MUSIC))],
    )
    .unwrap_err();
    assert!(refusal.contains("keeps at least one role"), "{refusal}");
    assert_eq!(menu_max(&harness), (1, Some(1)));
}

#[test]
fn panels_are_listed_suggested_and_deleted_per_server() {
    let (mut harness, fake) = start();
    assert!(rr(&mut harness, "list", vec![])
        .unwrap()
        .contains("no panel yet"));
    let first = create(&mut harness, "<@&201>", "buttons", "verify");
    let second = create(&mut harness, "🎵 <@&203>", "reactions", "binding");
    let list = rr(&mut harness, "list", vec![]).unwrap();
    assert!(list.starts_with("2 panels:"), "{list}");
    assert!(
        list.contains(&format!("`{first}` in <#600>")) && list.contains("binding"),
        "{list}"
    );
    let suggestions = harness
        .call(
            "autocomplete",
            &serde_json::to_string(&AutocompleteInvocation {
                name: "rr".to_owned(),
                subcommand: vec!["fix".to_owned()],
                focused: "panel".to_owned(),
                partial: second.to_string(),
                invoker: Harness::invoker(ADMIN_ID, Permissions::ADMINISTRATOR),
            })
            .unwrap(),
        )
        .unwrap();
    let suggestions: Vec<Value> = serde_json::from_str(&suggestions).unwrap();
    assert_eq!(suggestions.len(), 1, "{suggestions:?}");
    assert_eq!(suggestions[0]["value"], second.to_string());
    let answer = rr(
        &mut harness,
        "delete",
        vec![arg("panel", text(&first.to_string()))],
    )
    .unwrap();
    assert!(answer.contains("deleted"), "{answer}");
    assert!(!fake.0.lock().unwrap().messages.contains_key(&first.get()));
    assert!(stored(&harness, first).is_none());
    // Another server's id, or no id at all, names no panel.
    let refusal = rr(&mut harness, "delete", vec![arg("panel", text("12x"))]).unwrap_err();
    assert!(refusal.contains("is not a message id"), "{refusal}");
    let refusal = rr(
        &mut harness,
        "delete",
        vec![arg("panel", text(&first.to_string()))],
    )
    .unwrap_err();
    assert!(refusal.contains("No panel in this server"), "{refusal}");
}

#[test]
fn a_deleted_panel_message_forgets_its_panel() {
    let (mut harness, _fake) = start();
    let message = create(&mut harness, "<@&201>", "buttons", "normal");
    harness
        .event(
            "MESSAGE_DELETE",
            &json!({ "id": message.to_string(), "channel_id": PANELS.to_string(), "guild_id": "1" }),
        )
        .unwrap();
    assert!(stored(&harness, message).is_none());
}
