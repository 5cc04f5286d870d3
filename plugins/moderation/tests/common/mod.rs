//! A small fake guild for the harness tests: it answers the module's Discord reads and records
//! its actions; plus helpers to run commands as its members.

// Test helpers: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, dead_code)]

use std::{
    collections::{BTreeMap, BTreeSet},
    sync::{Arc, Mutex},
};

use arsenal_plugin_api::{
    model::{guild::Permissions, id::Id},
    protocol::{Arg, ArgValue, CommandInvocation, DiscordError, DiscordRequest},
    testing::{TestHarness, GUILD_ID},
    Response,
};
use moderation::Moderation;
use serde_json::{json, Value};

pub const OWNER: u64 = 1000;
pub const ALICE: u64 = 10; // Admin
pub const MODERATOR: u64 = 11;
pub const BOB: u64 = 12;
pub const CAROL: u64 = 13;
pub const BOT: u64 = 99;
pub const LOGS: u64 = 500;

/// Roles: (id, name, position, permissions).
pub const ROLES: [(u64, &str, i64, u64); 4] = [
    (20, "Member", 1, 0),
    (21, "Moderator", 2, Permissions::MODERATE_MEMBERS.bits()),
    (22, "Arsenal", 3, Permissions::BAN_MEMBERS.bits()),
    (23, "Admin", 4, Permissions::ADMINISTRATOR.bits()),
];

#[derive(Default)]
pub struct Guild {
    pub members: BTreeMap<u64, Vec<u64>>,
    pub closed_dms: BTreeSet<u64>,
    /// Discord refuses every action of this name with this answer.
    pub refuse: Option<(&'static str, DiscordError)>,
}

pub fn id_of(value: impl ToString) -> u64 {
    value.to_string().parse().unwrap_or(0)
}

pub fn answer(guild: &Mutex<Guild>, request: &DiscordRequest) -> Result<Value, DiscordError> {
    let mut g = guild.lock().unwrap();
    let action = serde_json::to_value(request).unwrap()["action"]
        .as_str()
        .unwrap_or("")
        .to_owned();
    if let Some((refused, message)) = &g.refuse {
        if *refused == action {
            return Err(message.clone());
        }
    }
    let member = |roles: &Vec<u64>, user: u64| json!({"user": {"id": user.to_string(), "username": format!("user{user}")}, "roles": roles.iter().map(u64::to_string).collect::<Vec<_>>()});
    match request {
        DiscordRequest::GetBotUser => Ok(json!({"id": BOT.to_string(), "username": "Arsenal"})),
        DiscordRequest::GetGuild { .. } => Ok(json!({"id": GUILD_ID.to_string(), "name": "Test Guild", "owner_id": OWNER.to_string()})),
        DiscordRequest::GetRoles { .. } => Ok(Value::Array(
            ROLES.iter().map(|(id, name, position, permissions)| json!({"id": id.to_string(), "name": name, "position": position, "permissions": permissions.to_string()})).collect(),
        )),
        DiscordRequest::GetMember { user_id, .. } => g
            .members
            .get(&user_id.get())
            .map(|roles| member(roles, user_id.get()))
            .ok_or_else(|| DiscordError::new(404, Some(10007), "Unknown Member")),
        DiscordRequest::SendDirectMessage { user_id, .. } if g.closed_dms.contains(&user_id.get()) => {
            Err(DiscordError::new(403, Some(50007), "Cannot send messages to this user"))
        }
        DiscordRequest::KickMember { user_id, .. } | DiscordRequest::BanMember { user_id, .. } => {
            g.members.remove(&user_id.get());
            Ok(Value::Null)
        }
        _ => Ok(json!({"id": "1"})),
    }
}

pub fn start() -> (TestHarness<Moderation>, Arc<Mutex<Guild>>) {
    let harness = TestHarness::<Moderation>::start().unwrap();
    let mut guild = Guild::default();
    for (user, roles) in [
        (OWNER, vec![23]),
        (ALICE, vec![23]),
        (MODERATOR, vec![21]),
        (BOB, vec![20]),
        (CAROL, vec![20]),
        (BOT, vec![22]),
    ] {
        guild.members.insert(user, roles);
    }
    let guild = Arc::new(Mutex::new(guild));
    let shared = Arc::clone(&guild);
    harness.on_discord(move |request| answer(&shared, request));
    (harness, guild)
}

pub fn user(name: &str, id: u64) -> Arg {
    Arg {
        name: name.into(),
        value: ArgValue::User(Id::new(id)),
    }
}

pub fn text(name: &str, value: &str) -> Arg {
    Arg {
        name: name.into(),
        value: ArgValue::String(value.into()),
    }
}

pub fn int(name: &str, value: i64) -> Arg {
    Arg {
        name: name.into(),
        value: ArgValue::Integer(value),
    }
}

/// `/name args` by `who` with their roles, as the host would send it.
pub fn run(
    h: &mut TestHarness<Moderation>,
    who: u64,
    name: &str,
    sub: &[&str],
    args: Vec<Arg>,
) -> Response {
    run_in(h, None, who, name, sub, args)
}

/// [`run`] by a member whose Discord client is set to `locale`.
pub fn run_in(
    h: &mut TestHarness<Moderation>,
    locale: Option<&str>,
    who: u64,
    name: &str,
    sub: &[&str],
    args: Vec<Arg>,
) -> Response {
    let mut invocation: CommandInvocation =
        h.slash_as(Id::new(who), Permissions::ADMINISTRATOR, name, sub, args);
    invocation.invoker.locale = locale.map(str::to_owned);
    invocation.invoker.roles = match who {
        ALICE | OWNER => vec![Id::new(23)],
        MODERATOR => vec![Id::new(21)],
        _ => vec![Id::new(20)],
    };
    h.command(invocation).unwrap()
}

pub fn said(response: &Response) -> (String, bool) {
    match response {
        Response::Message(reply) => (reply.content.clone().unwrap_or_default(), reply.ephemeral),
        other => panic!("not a message: {other:?}"),
    }
}

pub fn actions(h: &TestHarness<Moderation>, action: &str) -> Vec<Value> {
    h.discord_requests()
        .iter()
        .map(|r| serde_json::to_value(r).unwrap())
        .filter(|v| v["action"] == action)
        .collect()
}
