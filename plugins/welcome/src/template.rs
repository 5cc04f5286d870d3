//! Greeting templates: the placeholders a server's texts may use, and the random pick among
//! several templates.
//!
//! `{user}` (a mention), `{name}` (display name), `{username}`, `{server}` (the server's name)
//! and `{count}` (its member count). The last two come from one `GetGuildWithCounts` request,
//! made only when a template uses them: the module sees no GUILD_CREATE from before it was
//! loaded (a hot load or reload starts mid-session), and a count kept from join and leave
//! events would drift whenever an event was missed, so Discord's own figures are read per
//! greeting. Discord's count is approximate (refreshed every few minutes on large servers),
//! which is what the big bots show too.

use arsenal_plugin_api::prelude::*;
use serde::Deserialize;

/// What the placeholders become for one member.
#[derive(Debug, Clone)]
pub struct Member<'a> {
    pub id: Id<UserMarker>,
    /// Global display name, else the username.
    pub name: &'a str,
    pub username: &'a str,
}

/// The server's name and member count, when a template needs them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ServerFacts {
    pub name: String,
    #[serde(rename = "approximate_member_count", default)]
    pub count: Option<u64>,
}

/// Whether `template` needs [`ServerFacts`].
pub fn needs_server(template: &str) -> bool {
    template.contains("{server}") || template.contains("{count}")
}

/// Reads the server's name and member count.
///
/// # Errors
///
/// Discord's refusal or an answer without a name.
pub fn server_facts(ctx: &Context, guild: Id<GuildMarker>) -> Result<ServerFacts> {
    ctx.discord()
        .execute(&DiscordRequest::GetGuildWithCounts { guild_id: guild })
}

/// `template` with its placeholders filled; `{server}`/`{count}` stay as typed without `server`.
pub fn render(template: &str, member: &Member<'_>, server: Option<&ServerFacts>) -> String {
    let mut text = template
        .replace("{user}", &format!("<@{}>", member.id))
        .replace("{name}", member.name)
        .replace("{username}", member.username);
    if let Some(server) = server {
        text = text.replace("{server}", &server.name);
        if let Some(count) = server.count {
            text = text.replace("{count}", &count.to_string());
        }
    }
    text
}

/// Picks one of `count` templates for `member` at `now_ms`: the same inputs always give the
/// same pick (tests set the clock), different members and moments spread evenly. SplitMix64's
/// finaliser, so no random-number state is kept anywhere.
pub fn pick(count: usize, member: Id<UserMarker>, now_ms: u64) -> usize {
    if count <= 1 {
        return 0;
    }
    let mut z = member.get() ^ now_ms.rotate_left(32);
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    // `count` ≤ MAX_TEMPLATES: the conversions cannot truncate.
    usize::try_from(z % count as u64).unwrap_or(0)
}

/// The account's creation time in Unix ms, from its snowflake id.
pub fn account_created_ms(user: Id<UserMarker>) -> u64 {
    const DISCORD_EPOCH_MS: u64 = 1_420_070_400_000;
    (user.get() >> 22) + DISCORD_EPOCH_MS
}
