//! Harness tests: the module's logic through the same ABI path a loaded library takes.

mod french;
mod money;
mod parsing;
mod requests;
mod shop_levels;

use arsenal_plugin_api::{
    model::{
        guild::Permissions,
        id::{marker::UserMarker, Id},
    },
    protocol::{Arg, ArgValue, DiscordError, DiscordRequest},
    testing::{TestHarness, ADMIN_ID, GUILD_ID},
    Reply, Response,
};
use serde_json::{json, Value};

use crate::Economy;

pub const BOB: Id<UserMarker> = Id::new(20);
pub const CAROL: Id<UserMarker> = Id::new(30);
/// Members with ids from here on are bots in [`start`]'s fake Discord.
pub const A_BOT: Id<UserMarker> = Id::new(900);
/// Not a member in [`start`]'s fake Discord.
pub const STRANGER: Id<UserMarker> = Id::new(999);

/// A harness whose Discord knows members: ids ≥ 900 are bots, 999 is not a member.
pub fn start() -> TestHarness<Economy> {
    let harness = TestHarness::<Economy>::start().unwrap();
    harness.on_discord(|request| match request {
        DiscordRequest::GetMember { user_id, .. } if *user_id == STRANGER => {
            Err(DiscordError::new(404, Some(10007), "Unknown Member"))
        }
        DiscordRequest::GetMember { user_id, .. } => Ok(json!({
            "user": {"id": user_id.to_string(), "username": "x", "bot": user_id.get() >= 900}
        })),
        _ => Ok(Value::Null),
    });
    harness
}

pub fn arg(name: &str, value: ArgValue) -> Arg {
    Arg {
        name: name.to_owned(),
        value,
    }
}

pub fn int(name: &str, value: i64) -> Arg {
    arg(name, ArgValue::Integer(value))
}

pub fn text(name: &str, value: &str) -> Arg {
    arg(name, ArgValue::String(value.to_owned()))
}

pub fn user(value: Id<UserMarker>) -> Arg {
    arg("member", ArgValue::User(value))
}

/// Runs `/economy <path…>` as `who` (admins get Manage Server) and returns (text, ephemeral).
pub fn run(
    harness: &mut TestHarness<Economy>,
    who: Id<UserMarker>,
    path: &[&str],
    args: Vec<Arg>,
) -> (String, bool) {
    let permissions = if who == ADMIN_ID {
        Permissions::ADMINISTRATOR
    } else {
        Permissions::SEND_MESSAGES
    };
    let invocation = harness.slash_as(who, permissions, "economy", path, args);
    match harness.command(invocation).unwrap() {
        Response::Message(Reply {
            content, ephemeral, ..
        }) => (content.unwrap_or_default(), ephemeral),
        other => panic!("unexpected answer {other:?}"),
    }
}

pub fn wallet(harness: &TestHarness<Economy>, who: Id<UserMarker>) -> i64 {
    harness
        .stored(&format!("guild:{GUILD_ID}:user:{who}"))
        .and_then(|a| a["wallet"].as_i64())
        .unwrap_or(0)
}

pub fn give(harness: &TestHarness<Economy>, who: Id<UserMarker>, wallet: i64) {
    harness.set_stored(
        &format!("guild:{GUILD_ID}:user:{who}"),
        json!({"v": 1, "wallet": wallet}),
    );
}
/// The derived `/economy` declares to Discord exactly what the hand-built one did
/// (`spec_before_derive.json` is that one, serialized), and adds the host-enforced permissions.
#[test]
fn the_derived_command_is_the_one_discord_saw_before() {
    use arsenal_plugin_api::Plugin;

    let manifest = Economy::manifest();
    let [spec] = manifest.commands.as_slice() else {
        panic!("one command expected: {:?}", manifest.commands);
    };
    let mut derived = serde_json::to_value(spec).unwrap();
    let required = derived
        .as_object_mut()
        .and_then(|spec| spec.remove("subcommand_permissions"));
    let before: Value = serde_json::from_str(include_str!("spec_before_derive.json")).unwrap();
    assert_eq!(derived, before);
    let manage = Permissions::MANAGE_GUILD.bits().to_string();
    let expected: serde_json::Map<String, Value> = [
        "admin",
        "config currency",
        "config daily",
        "config levelrole",
        "config work",
        "config xp",
        "shop add",
        "shop remove",
    ]
    .iter()
    .map(|path| ((*path).to_owned(), Value::String(manage.clone())))
    .collect();
    assert_eq!(required, Some(Value::Object(expected)));
    let everyone = Permissions::SEND_MESSAGES;
    for path in [&["shop", "buy"][..], &["config", "show"], &["pay"]] {
        let path: Vec<String> = path.iter().map(|s| (*s).to_owned()).collect();
        assert!(
            everyone.contains(spec.required_permissions(&path)),
            "{path:?}"
        );
    }
    let admin = vec!["admin".to_owned(), "set".to_owned()];
    assert_eq!(spec.required_permissions(&admin), Permissions::MANAGE_GUILD);
}
