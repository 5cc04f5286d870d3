//! The message cache: what a message said, kept so that its edit or deletion can be logged
//! with the old content, even after a reload or a restart.
//!
//! One store key per message, `m:<guild>:<channel>:<message>`, written once when the message
//! arrives (and again on an edit). A per-channel bucket would rewrite every message of the
//! channel on each new one: the journal grows by the bucket's size per message instead of by
//! one message (README, "Logs": measured with `cargo run --release -p arsenal-plugin-logs
//! --example cache_writes`). Bounded two ways: at most [`MAX_PER_CHANNEL`] messages per channel
//! (the oldest goes in the same store transaction as the newest), and no content older than the
//! server's retention: it is removed when its channel gets a new message, by the hourly sweep
//! (a durable timer per server), and never shown once expired even before it is removed.

use std::collections::{hash_map::Entry, HashMap, VecDeque};

use arsenal_plugin_api::prelude::*;
use serde::{Deserialize, Serialize};

/// The most messages kept per channel.
pub const MAX_PER_CHANNEL: usize = 1000;
/// Messages deleted per store transaction when sweeping.
const SWEEP_BATCH: usize = 500;

/// What a message said when it was seen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CachedMessage {
    /// Its author.
    #[serde(rename = "a")]
    pub author: Id<UserMarker>,
    /// The author's display name then.
    #[serde(rename = "n")]
    pub name: String,
    /// Its text.
    #[serde(rename = "c")]
    pub content: String,
    /// Its attachments' file names.
    #[serde(rename = "f", default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<String>,
    /// When it was seen (Unix ms, the host's clock).
    #[serde(rename = "t")]
    pub at: u64,
}

/// The store key of one cached message.
#[must_use]
pub fn key(
    guild: Id<GuildMarker>,
    channel: Id<ChannelMarker>,
    message: Id<MessageMarker>,
) -> String {
    format!("m:{guild}:{channel}:{message}")
}

fn channel_prefix(guild: Id<GuildMarker>, channel: Id<ChannelMarker>) -> String {
    format!("m:{guild}:{channel}:")
}

fn guild_prefix(guild: Id<GuildMarker>) -> String {
    format!("m:{guild}:")
}

/// The message id at the end of a cache key.
fn message_of(key: &str) -> Option<Id<MessageMarker>> {
    key.rsplit(':')
        .next()?
        .parse()
        .ok()
        .and_then(Id::new_checked)
}

/// Which messages each channel holds, oldest first: an in-memory index of the store's keys,
/// read from the store the first time a channel is written to by this instance.
#[derive(Debug, Default)]
pub struct MessageCache {
    channels: HashMap<Id<ChannelMarker>, VecDeque<(Id<MessageMarker>, u64)>>,
}

impl MessageCache {
    fn index(
        &mut self,
        ctx: &Context,
        guild: Id<GuildMarker>,
        channel: Id<ChannelMarker>,
    ) -> Result<&mut VecDeque<(Id<MessageMarker>, u64)>> {
        match self.channels.entry(channel) {
            Entry::Occupied(held) => Ok(held.into_mut()),
            Entry::Vacant(slot) => {
                let mut held: Vec<(Id<MessageMarker>, u64)> = ctx
                    .store()
                    .list::<CachedMessage>(&channel_prefix(guild, channel))?
                    .into_iter()
                    .filter_map(|(key, message)| Some((message_of(&key)?, message.at)))
                    .collect();
                held.sort_unstable();
                Ok(slot.insert(held.into()))
            }
        }
    }

    /// Keeps `message`, dropping in the same store transaction the channel's expired messages
    /// and the oldest ones past [`MAX_PER_CHANNEL`].
    ///
    /// # Errors
    ///
    /// When the store cannot be read or written.
    pub fn remember(
        &mut self,
        ctx: &Context,
        guild: Id<GuildMarker>,
        channel: Id<ChannelMarker>,
        id: Id<MessageMarker>,
        message: &CachedMessage,
        retention_ms: u64,
    ) -> Result<()> {
        let now = ctx.now();
        let index = self.index(ctx, guild, channel)?;
        let fresh = index
            .iter()
            .position(|(_, at)| at.saturating_add(retention_ms) > now);
        let mut evict = fresh.unwrap_or(index.len());
        // Room for the new one.
        evict = evict.max((index.len() + 1).saturating_sub(MAX_PER_CHANNEL));
        let evicted: Vec<Id<MessageMarker>> = index.iter().take(evict).map(|(id, _)| *id).collect();
        let new_key = key(guild, channel, id);
        ctx.store().transaction(|txn| {
            txn.set(&new_key, message)?;
            for old in &evicted {
                txn.delete(&key(guild, channel, *old));
            }
            Ok(())
        })?;
        index.drain(..evict);
        if !index.iter().any(|(held, _)| *held == id) {
            index.push_back((id, message.at));
        }
        Ok(())
    }

    /// What `id` said, unless it is unknown or older than the retention.
    ///
    /// # Errors
    ///
    /// When the store cannot be read.
    pub fn get(
        ctx: &Context,
        guild: Id<GuildMarker>,
        channel: Id<ChannelMarker>,
        id: Id<MessageMarker>,
        retention_ms: u64,
    ) -> Result<Option<CachedMessage>> {
        let found: Option<CachedMessage> = ctx.store().get(&key(guild, channel, id))?;
        Ok(found.filter(|m| m.at.saturating_add(retention_ms) > ctx.now()))
    }

    /// Replaces what `id` said (an edit), keeping when it was first seen.
    ///
    /// # Errors
    ///
    /// When the store cannot be written.
    pub fn replace(
        ctx: &Context,
        guild: Id<GuildMarker>,
        channel: Id<ChannelMarker>,
        id: Id<MessageMarker>,
        message: &CachedMessage,
    ) -> Result<()> {
        ctx.store().set(&key(guild, channel, id), message)
    }

    /// Removes `ids` from the cache (in one store transaction) and returns what each said, if
    /// known and not expired.
    ///
    /// # Errors
    ///
    /// When the store cannot be read or written.
    pub fn take(
        &mut self,
        ctx: &Context,
        guild: Id<GuildMarker>,
        channel: Id<ChannelMarker>,
        ids: &[Id<MessageMarker>],
        retention_ms: u64,
    ) -> Result<Vec<(Id<MessageMarker>, Option<CachedMessage>)>> {
        let now = ctx.now();
        let taken = ctx.store().transaction(|txn| {
            let mut taken = Vec::with_capacity(ids.len());
            for id in ids {
                let key = key(guild, channel, *id);
                let found: Option<CachedMessage> = txn.get(&key)?;
                if found.is_some() {
                    txn.delete(&key);
                }
                taken.push((
                    *id,
                    found.filter(|m| m.at.saturating_add(retention_ms) > now),
                ));
            }
            Ok(taken)
        })?;
        if let Some(index) = self.channels.get_mut(&channel) {
            index.retain(|(held, _)| !ids.contains(held));
        }
        Ok(taken)
    }

    /// Removes every message of `guild` seen `retention_ms` ago or earlier (`0`: all of them);
    /// returns how many.
    ///
    /// # Errors
    ///
    /// When the store cannot be read or written.
    pub fn sweep(
        &mut self,
        ctx: &Context,
        guild: Id<GuildMarker>,
        retention_ms: u64,
    ) -> Result<usize> {
        let now = ctx.now();
        let expired: Vec<String> = ctx
            .store()
            .list::<CachedMessage>(&guild_prefix(guild))?
            .into_iter()
            .filter(|(_, m)| retention_ms == 0 || m.at.saturating_add(retention_ms) <= now)
            .map(|(key, _)| key)
            .collect();
        for batch in expired.chunks(SWEEP_BATCH) {
            ctx.store().transaction(|txn| {
                for key in batch {
                    txn.delete(key);
                }
                Ok(())
            })?;
        }
        // The index is rebuilt from the store on the next write.
        self.channels.clear();
        Ok(expired.len())
    }
}
