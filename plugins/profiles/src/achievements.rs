//! Achievements: unlocked by what the module counts (messages, voice time) or by filling in the
//! profile, kept in the member's statistics, and announced in the server's language where they
//! happened or in the channel `/profile announce` chose.

use arsenal_plugin_api::prelude::*;

use crate::model::{self, Stats, Unlocked};

/// What an achievement measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// Messages sent.
    Messages,
    /// Seconds in voice channels.
    VoiceSeconds,
    /// A bio written (1 when there is one).
    Bio,
}

/// One achievement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Achievement {
    /// Stored id.
    pub id: &'static str,
    /// What it counts.
    pub metric: Metric,
    /// Unlocked when the count reaches this.
    pub threshold: u64,
    /// The text id of its name (its description is the `.description` attribute).
    pub text_id: &'static str,
}

/// Every achievement, in the order the profile lists them.
pub const ALL: [Achievement; 6] = [
    Achievement {
        id: "first_message",
        metric: Metric::Messages,
        threshold: 1,
        text_id: "achievement-first-message",
    },
    Achievement {
        id: "messages_100",
        metric: Metric::Messages,
        threshold: 100,
        text_id: "achievement-messages-100",
    },
    Achievement {
        id: "messages_1000",
        metric: Metric::Messages,
        threshold: 1000,
        text_id: "achievement-messages-1000",
    },
    Achievement {
        id: "voice_1h",
        metric: Metric::VoiceSeconds,
        threshold: 3600,
        text_id: "achievement-voice-1h",
    },
    Achievement {
        id: "voice_10h",
        metric: Metric::VoiceSeconds,
        threshold: 36_000,
        text_id: "achievement-voice-10h",
    },
    Achievement {
        id: "storyteller",
        metric: Metric::Bio,
        threshold: 1,
        text_id: "achievement-storyteller",
    },
];

/// The achievement stored as `id`.
#[must_use]
pub fn by_id(id: &str) -> Option<&'static Achievement> {
    ALL.iter().find(|a| a.id == id)
}

/// Records in `stats` the achievements of `metric` that `count` reaches and `stats` lacks, and
/// returns them.
pub fn unlock(
    stats: &mut Stats,
    metric: Metric,
    count: u64,
    now: u64,
) -> Vec<&'static Achievement> {
    let new: Vec<&'static Achievement> = ALL
        .iter()
        .filter(|a| a.metric == metric && count >= a.threshold && !stats.has(a.id))
        .collect();
    for achievement in &new {
        stats.achievements.push(Unlocked {
            id: achievement.id.to_owned(),
            at: now,
        });
    }
    new
}

/// Announces `unlocked` for `user`, in the server's chosen channel or else `here`, in the
/// server's language. An announcement Discord refuses (a channel deleted, a permission
/// removed) is logged and dropped: the achievement itself is already stored.
pub fn announce(
    ctx: &Context,
    guild: Id<GuildMarker>,
    here: Option<Id<ChannelMarker>>,
    user: Id<UserMarker>,
    unlocked: &[&'static Achievement],
) {
    if unlocked.is_empty() {
        return;
    }
    let config = match model::config(ctx, guild) {
        Ok(config) => config,
        Err(e) => {
            log::warn!("reading server {guild}'s settings to announce an achievement: {e}");
            return;
        }
    };
    if !config.announce {
        return;
    }
    let Some(channel) = config.announce_channel.or(here) else {
        return;
    };
    let tr = ctx.tr_guild(guild);
    let lines: Vec<String> = unlocked
        .iter()
        .map(|a| {
            tr!(
                tr,
                "profile-achievement-unlocked",
                user = format!("<@{user}>"),
                name = tr.t(a.text_id),
                description = tr.t(&format!("{}.description", a.text_id))
            )
        })
        .collect();
    let request = DiscordRequest::SendMessage {
        channel_id: channel,
        message: Reply::text(lines.join("\n")).mention_only([user]),
    };
    if let Err(e) = ctx.discord().execute_json(&request) {
        log::warn!("announcing an achievement in {channel} failed: {e}");
    }
}
