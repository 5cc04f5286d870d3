//! The main gateway's op 4 VOICE_STATE_UPDATE, answered as Discord does: joining (or moving)
//! sends the bot's VOICE_STATE_UPDATE (with its `session_id`) and a VOICE_SERVER_UPDATE (a
//! `token` and the voice gateway's `endpoint`) on the guild's shard; `channel_id: null` leaves
//! (VOICE_STATE_UPDATE with a null channel, and the voice server closes the session).
//!
//! Discord answers nothing at all when the bot may not connect (or names a channel that is not a
//! voice channel of that guild); a client then times out. The simulator does the same and logs
//! why at `warn`, so a test's timeout has an explanation in its output.

use super::Grant;
use crate::world::channel_kind;
use crate::{Shared, Simulator};
use serde_json::{json, Value};
use twilight_model::guild::Permissions;
use twilight_model::id::{
    marker::{ChannelMarker, GuildMarker, UserMarker},
    Id,
};

fn id(value: &Value) -> Option<u64> {
    value.as_str()?.parse().ok()
}

/// Handles one op 4 payload from identified shard `shard` of `total`.
pub(crate) fn voice_state_update(shared: &Shared, d: &Value, shard: u32, total: u32) {
    let Some(guild) = id(&d["guild_id"]) else {
        tracing::warn!(payload = %d, "discord-sim: op 4 without a valid guild_id ignored");
        return;
    };
    crate::lock(&shared.voice.state)
        .voice_updates
        .push((shard, guild));
    let home = ((guild >> 22) % u64::from(total.max(1))) as u32;
    if home != shard {
        tracing::warn!(%guild, shard, home, "discord-sim: op 4 sent on a shard that does not hold the guild ignored (as Discord does)");
        return;
    }
    if d["channel_id"].is_null() {
        shared.voice.end_session(guild);
        shared.with_world(|w| {
            let bot = w.bot_user_id;
            let connected = w
                .guilds
                .get(&guild)
                .is_some_and(|g| g.voice.contains_key(&bot));
            if connected {
                let _ = w.voice_update(guild, bot, None);
            }
        });
        return;
    }
    let Some(channel) = id(&d["channel_id"]) else {
        tracing::warn!(payload = %d, "discord-sim: op 4 with an invalid channel_id ignored");
        return;
    };
    if let Err(reason) = join(shared, guild, channel) {
        tracing::warn!(%guild, %channel, %reason, "discord-sim: op 4 join ignored (as Discord does)");
    }
}

/// What a join handed out: the VOICE_STATE_UPDATE's session and the VOICE_SERVER_UPDATE's
/// token and endpoint (what songbird's `ConnectionInfo` needs).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VoiceGrant {
    pub endpoint: String,
    pub token: String,
    pub session_id: String,
    pub user_id: Id<UserMarker>,
}

/// The bot joins (or moves to) `channel`: world updated, both events dispatched, grant kept.
fn join(shared: &Shared, guild: u64, channel: u64) -> Result<VoiceGrant, String> {
    let token: String = super::random_key()
        .map_err(|e| format!("no randomness for a voice token: {e}"))?[..12]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let endpoint = shared.voice.endpoint();
    shared.with_world(|w| -> Result<VoiceGrant, String> {
        let c = w.channel(channel).map_err(|e| e.to_string())?;
        if c.guild_id != Some(guild) || c.kind != channel_kind::GUILD_VOICE {
            return Err(format!(
                "channel {channel} is not a voice channel of guild {guild}"
            ));
        }
        let bot = w.bot_user_id;
        let allowed = Permissions::from_bits_truncate(w.channel_permissions(channel, bot));
        if !allowed.contains(Permissions::VIEW_CHANNEL | Permissions::CONNECT) {
            return Err(format!("the bot may not connect to {channel}"));
        }
        w.voice_update(guild, bot, Some(channel))
            .map_err(|e| e.to_string())?;
        let session_id = w
            .guilds
            .get(&guild)
            .and_then(|g| g.voice.get(&bot))
            .map(|v| v.session_id.clone())
            .unwrap_or_default();
        // The grant exists before VOICE_SERVER_UPDATE is dispatched (on return from this
        // closure), so the bot can never dial the voice gateway ahead of it.
        shared.voice.with_state(|s| {
            s.grants.insert(
                guild,
                Grant {
                    guild,
                    channel,
                    user: bot,
                    session_id: session_id.clone(),
                    token: token.clone(),
                },
            );
        });
        w.emit(
            Some(guild),
            "VOICE_SERVER_UPDATE",
            json!({ "token": token, "guild_id": guild.to_string(), "endpoint": endpoint }),
            0,
        );
        Ok(VoiceGrant {
            endpoint: endpoint.clone(),
            token: token.clone(),
            session_id,
            user_id: Id::new(bot),
        })
    })
}

impl Simulator {
    /// The bot joins `channel` exactly as if a shard had sent op 4 (the same events are
    /// dispatched), returning what those events carry. For benchmarks that drive many voice
    /// connections without a gateway client; tests should send op 4 through their shard.
    ///
    /// # Errors
    ///
    /// Not a voice channel of `guild`, or the bot may not connect there.
    pub fn bot_joins_voice(
        &self,
        guild: Id<GuildMarker>,
        channel: Id<ChannelMarker>,
    ) -> Result<VoiceGrant, String> {
        join(&self.shared, guild.get(), channel.get())
    }
}
