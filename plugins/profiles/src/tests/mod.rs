//! Harness tests: the module against the SDK's in-memory host (store, timers, clock, a scripted
//! economy), and the card's pixels decoded from the PNG.

mod card;
mod flows;
mod french;
mod stats;

use arsenal_plugin_api::{
    model::{
        guild::Permissions,
        id::{marker::UserMarker, Id},
    },
    protocol::{Arg, ArgValue, DiscordRequest, ReplyFile, ResolvedUser},
    testing::{TestHarness, CHANNEL_ID, GUILD_ID},
    Response,
};
use serde_json::{json, Value};

use crate::Profiles;

pub type Harness = TestHarness<Profiles>;

pub const ALICE: Id<UserMarker> = Id::new(21);
pub const BOB: Id<UserMarker> = Id::new(22);

pub fn text(name: &str, value: &str) -> Arg {
    Arg {
        name: name.to_owned(),
        value: ArgValue::String(value.to_owned()),
    }
}

/// `/profile <sub> <args>` by `user` (no special permissions).
pub fn run(h: &mut Harness, user: Id<UserMarker>, sub: &str, args: Vec<Arg>) -> Response {
    let invocation = h.slash_as(user, Permissions::empty(), "profile", &[sub], args);
    h.command(invocation).unwrap()
}

/// `/profile view` of `member` (yourself when `None`) by `user`.
pub fn view(h: &mut Harness, user: Id<UserMarker>, member: Option<Id<UserMarker>>) -> Response {
    let mut args = Vec::new();
    let mut invocation = h.slash_as(user, Permissions::empty(), "profile", &["view"], Vec::new());
    if let Some(member) = member {
        args.push(Arg {
            name: "member".to_owned(),
            value: ArgValue::User(member),
        });
        invocation.users.push(ResolvedUser {
            id: member,
            name: format!("user{member}"),
            bot: false,
        });
    }
    invocation.args = args;
    h.command(invocation).unwrap()
}

/// The text of a message answer, and whether it is ephemeral.
pub fn answer(response: &Response) -> (String, bool) {
    match response {
        Response::Message(reply) => (reply.content.clone().unwrap_or_default(), reply.ephemeral),
        other => panic!("expected a message, got {other:?}"),
    }
}

/// Everything a view shows as text: embed title, description and fields.
pub fn view_text(response: &Response) -> String {
    let Response::Message(reply) = response else {
        panic!("expected a message, got {response:?}");
    };
    let mut out = String::new();
    for embed in &reply.embeds {
        out.push_str(embed.title.as_deref().unwrap_or_default());
        out.push('\n');
        out.push_str(embed.description.as_deref().unwrap_or_default());
        for field in &embed.fields {
            out.push_str(&format!("\n{}: {}", field.name, field.value));
        }
    }
    out
}

/// The card attached to a view.
pub fn card_file(response: &Response) -> ReplyFile {
    let Response::Message(reply) = response else {
        panic!("expected a message, got {response:?}");
    };
    reply
        .attachments
        .first()
        .cloned()
        .unwrap_or_else(|| panic!("no card attached: {reply:?}"))
}

/// A member's message in the harness channel.
pub fn message(h: &mut Harness, id: u64, author: Id<UserMarker>, bot: bool) {
    let event = json!({
        "id": id.to_string(),
        "channel_id": CHANNEL_ID.to_string(),
        "guild_id": GUILD_ID.to_string(),
        "author": {"id": author.to_string(), "username": "member", "discriminator": "0", "avatar": null, "global_name": null, "bot": bot},
        "content": "hello",
        "timestamp": "2026-11-21T10:00:00.000000+00:00",
        "edited_timestamp": null,
        "tts": false,
        "mention_everyone": false,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": [],
        "pinned": false,
        "type": 0
    });
    h.event("MESSAGE_CREATE", &event).unwrap();
}

/// A voice state update: `channel` joined, or `None` to leave.
pub fn voice(h: &mut Harness, user: Id<UserMarker>, channel: Option<u64>) {
    let event = json!({
        "guild_id": GUILD_ID.to_string(), "channel_id": channel.map(|c| c.to_string()),
        "user_id": user.to_string(), "session_id": "s", "deaf": false, "mute": false,
        "self_deaf": false, "self_mute": false, "self_video": false, "suppress": false,
        "request_to_speak_timestamp": null
    });
    h.event("VOICE_STATE_UPDATE", &event).unwrap();
}

/// The announcements the module posted: (channel, text).
pub fn announcements(h: &Harness) -> Vec<(u64, String)> {
    h.discord_requests()
        .into_iter()
        .filter_map(|r| match r {
            DiscordRequest::SendMessage {
                channel_id,
                message,
            } => Some((channel_id.get(), message.content.unwrap_or_default())),
            _ => None,
        })
        .collect()
}

/// The stored statistics of `user`.
pub fn stored_stats(h: &Harness, user: Id<UserMarker>) -> Value {
    h.stored(&format!("stats:{GUILD_ID}:{user}"))
        .unwrap_or(Value::Null)
}
