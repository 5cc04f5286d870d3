//! Harness tests: the module against the SDK's in-memory host and a small fake Discord that
//! keeps the server's roles, its members' roles and the panels' messages and reactions.

mod decisions;
mod members;
mod panels;

use std::{
    collections::BTreeMap,
    sync::{Arc, Mutex},
};

use arsenal_plugin_api::{
    model::{
        guild::Permissions,
        id::{
            marker::{ChannelMarker, MessageMarker, RoleMarker, UserMarker},
            Id,
        },
    },
    protocol::{Arg, ArgValue, ComponentInvocation, DiscordError, DiscordRequest, Invoker},
    testing::{TestHarness, ADMIN_ID, GUILD_ID},
    Response,
};
use serde_json::{json, Value};

use crate::ReactionRoles;

pub const BOT: Id<UserMarker> = Id::new(99);
pub const BOB: Id<UserMarker> = Id::new(20);
pub const GAMER: Id<RoleMarker> = Id::new(201);
pub const ARTIST: Id<RoleMarker> = Id::new(202);
pub const MUSIC: Id<RoleMarker> = Id::new(203);
pub const MEMBER: Id<RoleMarker> = Id::new(204);
pub const MUTED: Id<RoleMarker> = Id::new(205);
pub const BOOSTER: Id<RoleMarker> = Id::new(206);
pub const BOT_ROLE: Id<RoleMarker> = Id::new(300);
pub const ADMIN: Id<RoleMarker> = Id::new(400);
pub const PANELS: Id<ChannelMarker> = Id::new(600);

/// What the fake Discord holds.
pub struct World {
    next_id: u64,
    /// (id, name, position, managed, permissions)
    pub roles: Vec<(Id<RoleMarker>, &'static str, i64, bool, Permissions)>,
    pub members: BTreeMap<Id<UserMarker>, Vec<Id<RoleMarker>>>,
    /// Message id → the bot's reactions on it.
    pub messages: BTreeMap<u64, Vec<String>>,
}

impl Default for World {
    fn default() -> Self {
        let roles = vec![
            (
                GUILD_ID.cast(),
                "@everyone",
                0,
                false,
                Permissions::VIEW_CHANNEL,
            ),
            (GAMER, "Gamer", 1, false, Permissions::empty()),
            (ARTIST, "Artist", 1, false, Permissions::empty()),
            (MUSIC, "Music", 2, false, Permissions::empty()),
            (MEMBER, "Member", 1, false, Permissions::empty()),
            (MUTED, "Muted", 1, false, Permissions::empty()),
            (BOOSTER, "Server Booster", 1, true, Permissions::empty()),
            (BOT_ROLE, "Arsenal", 5, true, Permissions::MANAGE_ROLES),
            (ADMIN, "Admin", 10, false, Permissions::ADMINISTRATOR),
        ];
        let members = BTreeMap::from([(BOT, vec![BOT_ROLE]), (BOB, vec![MEMBER])]);
        Self {
            next_id: 1000,
            roles,
            members,
            messages: BTreeMap::new(),
        }
    }
}

/// Answers the plugin's Discord requests like Discord would, for what this module uses.
#[derive(Clone, Default)]
pub struct Fake(pub Arc<Mutex<World>>);

fn unknown(what: &str, code: u64) -> DiscordError {
    DiscordError::new(404, Some(code), format!("Unknown {what}"))
}

impl Fake {
    fn answer(&self, request: &DiscordRequest) -> Result<Value, DiscordError> {
        let mut world = self.0.lock().unwrap();
        Ok(match request {
            DiscordRequest::GetBotUser => json!({ "id": BOT.to_string(), "username": "Arsenal" }),
            DiscordRequest::GetRoles { .. } => Value::Array(
                world
                    .roles
                    .iter()
                    .map(|(id, name, position, managed, permissions)| {
                        json!({ "id": id.to_string(), "name": name, "position": position,
                                "managed": managed, "permissions": permissions.bits().to_string() })
                    })
                    .collect(),
            ),
            DiscordRequest::GetMember { user_id, .. } => {
                let roles = world
                    .members
                    .get(user_id)
                    .ok_or_else(|| unknown("Member", 10007))?;
                json!({ "roles": roles, "user": { "id": user_id.to_string(), "bot": *user_id == BOT } })
            }
            DiscordRequest::AddRole {
                user_id, role_id, ..
            }
            | DiscordRequest::RemoveRole {
                user_id, role_id, ..
            } => {
                if !world.roles.iter().any(|r| r.0 == *role_id) {
                    return Err(unknown("Role", 10011));
                }
                let adding = matches!(request, DiscordRequest::AddRole { .. });
                let roles = world
                    .members
                    .get_mut(user_id)
                    .ok_or_else(|| unknown("Member", 10007))?;
                roles.retain(|r| r != role_id);
                if adding {
                    roles.push(*role_id);
                }
                Value::Null
            }
            DiscordRequest::SendMessage { .. } => {
                world.next_id += 1;
                let id = world.next_id;
                world.messages.insert(id, Vec::new());
                json!({ "id": id.to_string() })
            }
            DiscordRequest::EditMessage { target, .. } => {
                if !world.messages.contains_key(&target.message_id.get()) {
                    return Err(unknown("Message", 10008));
                }
                json!({ "id": target.message_id.to_string() })
            }
            DiscordRequest::DeleteMessage { target } => {
                world
                    .messages
                    .remove(&target.message_id.get())
                    .ok_or_else(|| unknown("Message", 10008))?;
                Value::Null
            }
            DiscordRequest::AddReaction { target, emoji } => {
                let reactions = world
                    .messages
                    .get_mut(&target.message_id.get())
                    .ok_or_else(|| unknown("Message", 10008))?;
                if !reactions.contains(emoji) {
                    reactions.push(emoji.clone());
                }
                Value::Null
            }
            DiscordRequest::RemoveReaction { .. } => Value::Null,
            DiscordRequest::GetMessage { target } => {
                let reactions = world
                    .messages
                    .get(&target.message_id.get())
                    .ok_or_else(|| unknown("Message", 10008))?;
                let reactions: Vec<Value> = reactions
                    .iter()
                    .map(|emoji| {
                        let emoji = match emoji.split_once(':') {
                            Some((name, id)) => json!({ "id": id, "name": name }),
                            None => json!({ "id": null, "name": emoji }),
                        };
                        json!({ "count": 1, "me": true, "emoji": emoji })
                    })
                    .collect();
                json!({ "id": target.message_id.to_string(), "reactions": reactions })
            }
            _ => Value::Null,
        })
    }

    pub fn roles_of(&self, user: Id<UserMarker>) -> Vec<Id<RoleMarker>> {
        self.0
            .lock()
            .unwrap()
            .members
            .get(&user)
            .cloned()
            .unwrap_or_default()
    }

    pub fn give(&self, user: Id<UserMarker>, roles: &[Id<RoleMarker>]) {
        self.0.lock().unwrap().members.insert(user, roles.to_vec());
    }
}

pub type Harness = TestHarness<ReactionRoles>;

pub fn start() -> (Harness, Fake) {
    let harness = Harness::start().unwrap();
    let fake = Fake::default();
    let answering = fake.clone();
    harness.on_discord(move |request| answering.answer(request));
    (harness, fake)
}

pub fn arg(name: &str, value: ArgValue) -> Arg {
    Arg {
        name: name.to_owned(),
        value,
    }
}

pub fn text(value: &str) -> ArgValue {
    ArgValue::String(value.to_owned())
}

/// `/rr <sub> …` by the administrator: the answer's text, or the refusal's.
pub fn rr(harness: &mut Harness, sub: &str, args: Vec<Arg>) -> Result<String, String> {
    let invocation = harness.slash_as(ADMIN_ID, Permissions::ADMINISTRATOR, "rr", &[sub], args);
    match harness.command(invocation) {
        Ok(response) => Ok(said(&response)),
        Err(error) => Err(error.message.to_string()),
    }
}

/// Posts a panel in #panels; returns its message id.
pub fn create(harness: &mut Harness, roles: &str, style: &str, mode: &str) -> Id<MessageMarker> {
    let answer = rr(
        harness,
        "create",
        vec![
            arg("channel", ArgValue::Channel(PANELS)),
            arg("roles", text(roles)),
            arg("style", text(style)),
            arg("mode", text(mode)),
        ],
    )
    .unwrap_or_else(|refusal| panic!("create refused: {refusal}"));
    let id = answer
        .split('`')
        .nth(1)
        .and_then(|id| id.parse::<u64>().ok())
        .unwrap_or_else(|| panic!("no message id in {answer:?}"));
    Id::new(id)
}

/// The member `user` with their current roles in the fake, as a press carries them.
pub fn member(fake: &Fake, user: Id<UserMarker>) -> Invoker {
    let mut invoker = Harness::invoker(user, Permissions::empty());
    invoker.roles = fake.roles_of(user);
    invoker
}

/// `user` presses the button `custom_id` (or chooses `values` in the menu) on `message`.
pub fn press(
    harness: &mut Harness,
    fake: &Fake,
    user: Id<UserMarker>,
    message: Id<MessageMarker>,
    custom_id: &str,
    values: &[&str],
) -> String {
    let response = harness
        .component(ComponentInvocation {
            custom_id: custom_id.to_owned(),
            values: values.iter().map(|v| (*v).to_owned()).collect(),
            message_id: message,
            invoker: member(fake, user),
        })
        .unwrap();
    assert!(
        matches!(&response, Response::Message(reply) if reply.ephemeral),
        "{response:?}"
    );
    said(&response)
}

/// A MESSAGE_REACTION_ADD or _REMOVE payload by `user` (with their member on an add).
pub fn reaction(
    fake: &Fake,
    user: Id<UserMarker>,
    message: Id<MessageMarker>,
    emoji: Value,
    with_member: bool,
) -> Value {
    let mut event = json!({
        "user_id": user.to_string(),
        "channel_id": PANELS.to_string(),
        "message_id": message.to_string(),
        "guild_id": GUILD_ID.to_string(),
        "emoji": emoji,
        "burst": false,
        "type": 0,
    });
    if with_member {
        event["member"] = json!({
            "roles": fake.roles_of(user),
            "user": { "id": user.to_string(), "username": "bob", "discriminator": "0",
                      "avatar": null, "global_name": null, "bot": user == BOT },
            "joined_at": "2026-01-01T00:00:00.000000+00:00",
            "deaf": false, "mute": false, "flags": 0, "pending": false,
        });
    }
    event
}

pub fn unicode(name: &str) -> Value {
    json!({ "id": null, "name": name })
}

/// The text of a message response.
pub fn said(response: &Response) -> String {
    match response {
        Response::Message(reply) | Response::Update(reply) => {
            reply.content.clone().unwrap_or_default()
        }
        other => format!("{other:?}"),
    }
}

/// The Discord requests made since `from`.
pub fn requests_since(harness: &Harness, from: usize) -> Vec<DiscordRequest> {
    harness.discord_requests().into_iter().skip(from).collect()
}

/// The panel message last posted or edited.
pub fn last_panel_message(harness: &Harness) -> arsenal_plugin_api::protocol::Reply {
    harness
        .discord_requests()
        .into_iter()
        .rev()
        .find_map(|request| match request {
            DiscordRequest::SendMessage { message, .. }
            | DiscordRequest::EditMessage { message, .. } => Some(message),
            _ => None,
        })
        .expect("a panel message was sent")
}

#[test]
fn every_command_is_declared_with_its_options() {
    // The manifest the host reads (events filled from the handlers).
    let manifest = arsenal_plugin_api::sdk::manifest::<ReactionRoles>();
    let spec = serde_json::to_value(&manifest.commands[0]).unwrap();
    let subs: Vec<&str> = spec["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        subs,
        ["create", "add", "remove", "settings", "fix", "delete", "list"]
    );
    assert_eq!(
        spec["default_member_permissions"],
        Permissions::MANAGE_ROLES.bits().to_string()
    );
    assert!(manifest.events.contains(&"MESSAGE_REACTION_ADD".to_owned()));
    assert!(manifest
        .events
        .contains(&"MESSAGE_REACTION_REMOVE".to_owned()));
}

#[test]
fn every_text_exists_in_english_and_french() {
    arsenal_plugin_api::testing::assert_translated::<ReactionRoles>();
}

#[test]
fn members_are_answered_in_their_language_and_panels_in_the_servers() {
    let (mut harness, fake) = start();
    harness.set_guild_locale(Some("fr"));
    let mut invocation = harness.slash_as(
        ADMIN_ID,
        Permissions::ADMINISTRATOR,
        "rr",
        &["create"],
        vec![
            arg("channel", ArgValue::Channel(PANELS)),
            arg("roles", text("<@&201> <@&202>")),
            arg("max", ArgValue::Integer(1)),
        ],
    );
    invocation.invoker.locale = Some("en-US".into());
    let answer = said(&harness.command(invocation).unwrap());
    assert!(
        answer.starts_with("Panel posted in <#600> with 2 roles"),
        "{answer}"
    );
    let posted = last_panel_message(&harness);
    let embed = &posted.embeds[0];
    assert_eq!(embed.title.as_deref(), Some("Choisissez vos rôles"));
    assert!(
        embed
            .description
            .as_deref()
            .unwrap()
            .contains("Au plus 1 de ces rôles"),
        "{embed:?}"
    );
    let message = Id::new(answer.split('`').nth(1).unwrap().parse().unwrap());
    let mut invoker = member(&fake, BOB);
    invoker.locale = Some("fr".into());
    let response = harness
        .component(ComponentInvocation {
            custom_id: "r:201".to_owned(),
            values: Vec::new(),
            message_id: message,
            invoker: invoker.clone(),
        })
        .unwrap();
    assert_eq!(said(&response), "Vous avez maintenant <@&201>.");
    invoker.roles = fake.roles_of(BOB);
    let response = harness
        .component(ComponentInvocation {
            custom_id: "r:202".to_owned(),
            values: Vec::new(),
            message_id: message,
            invoker,
        })
        .unwrap();
    assert_eq!(
        said(&response),
        "Ce panneau vous permet au plus un de ses rôles : rendez-en un d'abord."
    );
}
