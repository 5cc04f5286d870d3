//! Statistics from gateway events: messages counted in memory and written in batches, voice
//! time written at each join and leave.
//!
//! A message costs no store write: counts wait in memory and are written together by the
//! `flush` timer (at most [`FLUSH_AFTER_MS`] after the first waiting message), when
//! [`FLUSH_AT`] are waiting, before the instance is dropped (reload, unload, shutdown), and at
//! once for a member whose count reaches an achievement. A crash of the whole host can lose
//! what was waiting: at most 30 seconds or 100 messages of counts. The member's stored count is
//! read once per instance, to see thresholds coming without reading at every message.
//! Voice joins and leaves are rare and written each time: `voice_since` is stored, so a session
//! spanning a reload or restart is counted whole.

use std::collections::HashMap;

use arsenal_plugin_api::{
    model::{channel::Message, voice::VoiceState},
    prelude::*,
};

use crate::{
    achievements::{self, Metric},
    model::{stats_key, Stats},
};

/// Waiting messages that trigger a write of every count.
pub const FLUSH_AT: u64 = 100;
/// Longest a count waits in memory.
pub const FLUSH_AFTER_MS: u64 = 30_000;
/// The flush timer's key.
pub const FLUSH_TIMER: &str = "flush";

type Member = (Id<GuildMarker>, Id<UserMarker>);

/// A member's count as this instance knows it.
#[derive(Debug, Clone, Copy, Default)]
struct Counter {
    /// Messages stored when last read or written.
    stored: u64,
    /// Messages counted since, not yet written.
    waiting: u64,
}

/// The counts waiting to be written.
#[derive(Debug, Default)]
pub struct Counters {
    members: HashMap<Member, Counter>,
    waiting: u64,
    timer_set: bool,
}

impl Counters {
    /// Messages counted for a member and not yet written (added to the stored count when the
    /// profile is shown).
    #[must_use]
    pub fn waiting(&self, guild: Id<GuildMarker>, user: Id<UserMarker>) -> u64 {
        self.members.get(&(guild, user)).map_or(0, |c| c.waiting)
    }

    /// Counts `message` (members' messages in servers; bots, webhooks and DMs are not counted).
    ///
    /// # Errors
    ///
    /// The store's (reading the member's count, writing a batch).
    pub fn message(&mut self, ctx: &Context, message: &Message) -> Result<()> {
        let Some(guild) = message.guild_id else {
            return Ok(());
        };
        if message.author.bot || message.webhook_id.is_some() {
            return Ok(());
        }
        let key = (guild, message.author.id);
        let counter = match self.members.get_mut(&key) {
            Some(counter) => counter,
            None => {
                let stored: Option<Stats> = ctx.store().get(&stats_key(guild, key.1))?;
                self.members.entry(key).or_insert(Counter {
                    stored: stored.map_or(0, |s| s.messages),
                    waiting: 0,
                })
            }
        };
        counter.waiting += 1;
        self.waiting += 1;
        let total = counter.stored + counter.waiting;
        let reaches = achievements::ALL
            .iter()
            .any(|a| a.metric == Metric::Messages && a.threshold == total);
        if reaches {
            let unlocked = self.write(ctx, key)?;
            achievements::announce(ctx, guild, Some(message.channel_id), key.1, &unlocked);
            return Ok(());
        }
        if self.waiting >= FLUSH_AT {
            return self.flush(ctx);
        }
        if !self.timer_set {
            ctx.timers()
                .schedule(FLUSH_TIMER, ctx.now() + FLUSH_AFTER_MS, &())?;
            self.timer_set = true;
        }
        Ok(())
    }

    /// Writes every waiting count.
    ///
    /// # Errors
    ///
    /// The store's; counts not yet written stay waiting.
    pub fn flush(&mut self, ctx: &Context) -> Result<()> {
        self.timer_set = false;
        let waiting: Vec<Member> = self
            .members
            .iter()
            .filter(|(_, c)| c.waiting > 0)
            .map(|(key, _)| *key)
            .collect();
        for key in waiting {
            let unlocked = self.write(ctx, key)?;
            // Only reachable for counts read before an achievement was added: announce
            // nowhere in particular (the server's channel, when it chose one).
            achievements::announce(ctx, key.0, None, key.1, &unlocked);
        }
        Ok(())
    }

    /// Adds one member's waiting count to the store and records the achievements it reaches.
    fn write(
        &mut self,
        ctx: &Context,
        key: Member,
    ) -> Result<Vec<&'static achievements::Achievement>> {
        let Some(counter) = self.members.get(&key).copied() else {
            return Ok(Vec::new());
        };
        let now = ctx.now();
        let (stats, unlocked) = ctx.store().transaction(|txn| {
            let mut stats: Stats = txn.get(&stats_key(key.0, key.1))?.unwrap_or_default();
            stats.messages += counter.waiting;
            let count = stats.messages;
            let unlocked = achievements::unlock(&mut stats, Metric::Messages, count, now);
            txn.set(&stats_key(key.0, key.1), &stats)?;
            Ok((stats, unlocked))
        })?;
        self.waiting = self.waiting.saturating_sub(counter.waiting);
        self.members.insert(
            key,
            Counter {
                stored: stats.messages,
                waiting: 0,
            },
        );
        Ok(unlocked)
    }
}

/// Starts or ends a member's voice session. Mute, deafen and moves between channels change
/// nothing; a leave adds the session's seconds and may unlock a voice achievement, announced
/// in the channel left (its text chat) unless the server chose one.
///
/// # Errors
///
/// The store's.
pub fn voice(ctx: &Context, state: &VoiceState) -> Result<()> {
    let Some(guild) = state.guild_id else {
        return Ok(());
    };
    if state.member.as_ref().is_some_and(|m| m.user.bot) {
        return Ok(());
    }
    let now = ctx.now();
    let key = stats_key(guild, state.user_id);
    let (left, unlocked) = ctx.store().transaction(|txn| {
        let mut stats: Stats = txn.get(&key)?.unwrap_or_default();
        let mut left = None;
        let mut unlocked = Vec::new();
        match (state.channel_id, stats.voice_since) {
            (Some(channel), None) => {
                stats.voice_since = Some(now);
                stats.voice_channel = Some(channel);
            }
            (None, Some(_)) => {
                stats.voice_seconds = stats.voice_seconds_at(now);
                stats.voice_since = None;
                left = stats.voice_channel.take();
                let seconds = stats.voice_seconds;
                unlocked = achievements::unlock(&mut stats, Metric::VoiceSeconds, seconds, now);
            }
            (Some(channel), Some(_)) => {
                if stats.voice_channel == Some(channel) {
                    return Ok((None, Vec::new()));
                }
                stats.voice_channel = Some(channel);
            }
            (None, None) => return Ok((None, Vec::new())),
        }
        txn.set(&key, &stats)?;
        Ok((left, unlocked))
    })?;
    achievements::announce(ctx, guild, left, state.user_id, &unlocked);
    Ok(())
}
