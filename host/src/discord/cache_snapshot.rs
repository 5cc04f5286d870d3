//! A shard's part of the guild cache as JSON, kept beside its saved session so that a process
//! resuming the session gets its cache back: after a RESUME Discord replays the events missed,
//! but sends no GUILD_CREATE, so what the cache held must come from here.
//!
//! Each guild is written in the shape of a GUILD_CREATE (`twilight_model::guild::Guild`): the
//! cached guild's fields, its roles, channels and threads, and who is connected to its voice
//! channels. Restoring feeds those through the cache's own GUILD_CREATE handling, so the
//! restored cache is what the original GUILD_CREATE plus every later event had built; the
//! replayed events then bring it up to date. Members are not cached by the host, so not kept.

use serde_json::{json, Value};
use twilight_cache_inmemory::DefaultInMemoryCache;
use twilight_model::{
    gateway::{
        event::Event,
        payload::incoming::{GuildCreate, GuildDelete, Ready},
    },
    guild::Guild,
    id::{marker::GuildMarker, Id},
};

/// Whether `guild` belongs to shard `shard` of `total` (Discord's formula).
pub(crate) fn on_shard(guild: Id<GuildMarker>, shard: u32, total: u32) -> bool {
    (guild.get() >> 22) % u64::from(total.max(1)) == u64::from(shard)
}

/// Every cached guild of shard `shard` of `total`, each as a GUILD_CREATE payload.
pub(crate) fn snapshot(cache: &DefaultInMemoryCache, shard: u32, total: u32) -> Vec<Value> {
    let ids: Vec<Id<GuildMarker>> = cache
        .iter()
        .guilds()
        .map(|g| *g.key())
        .filter(|id| on_shard(*id, shard, total))
        .collect();
    ids.into_iter()
        .filter_map(|id| guild_json(cache, id))
        .collect()
}

fn guild_json(cache: &DefaultInMemoryCache, id: Id<GuildMarker>) -> Option<Value> {
    let mut guild = serde_json::to_value(cache.guild(id)?.value()).ok()?;
    let roles: Vec<Value> = cache
        .guild_roles(id)
        .map(|ids| ids.iter().copied().collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|role| serde_json::to_value(cache.role(role)?.resource()).ok())
        .collect();
    let channels: Vec<Value> = cache
        .guild_channels(id)
        .map(|ids| ids.iter().copied().collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|channel| serde_json::to_value(cache.channel(channel)?.value()).ok())
        .collect();
    let voice_states: Vec<Value> = cache
        .guild_voice_states(id)
        .map(|users| users.iter().copied().collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|user| serde_json::to_value(cache.voice_state(user, id)?.value()).ok())
        .collect();
    let object = guild.as_object_mut()?;
    // Absent, not null: twilight's GUILD_CREATE parser reads some optional fields (`unavailable`)
    // as plain values when present.
    object.retain(|_, value| !value.is_null());
    object.insert("roles".to_owned(), json!(roles));
    // Threads are channels in the cache; a GUILD_CREATE's `channels` caches them the same way.
    object.insert("channels".to_owned(), json!(channels));
    object.insert("voice_states".to_owned(), json!(voice_states));
    Some(guild)
}

/// Puts the guilds of a snapshot back into the cache; returns how many. A guild that no
/// longer parses (a snapshot written by another twilight version) is skipped and logged: the
/// cache then learns it from the events, or from REST where the host needs it.
pub(crate) fn restore(cache: &DefaultInMemoryCache, guilds: &[Value]) -> usize {
    let mut restored = 0;
    for value in guilds {
        match serde_json::from_value::<Guild>(value.clone()) {
            Ok(guild) => {
                cache.update(&Event::GuildCreate(Box::new(GuildCreate::Available(guild))));
                restored += 1;
            }
            Err(e) => tracing::warn!(
                guild = %value["id"],
                "a saved guild did not parse ({e}); it is missing from the cache until Discord sends it again"
            ),
        }
    }
    restored
}

/// On a new session's READY: forgets the cached guilds of its shard that READY does not list.
/// A snapshot restored for a resume that Discord refused (INVALID_SESSION, then IDENTIFY) may
/// hold servers the bot left meanwhile; the new session's GUILD_CREATEs refresh the others.
pub(crate) fn forget_unlisted(cache: &DefaultInMemoryCache, ready: &Ready) {
    let (shard, total) = ready.shard.map_or((0, 1), |s| (s.number(), s.total()));
    let listed: std::collections::HashSet<Id<GuildMarker>> =
        ready.guilds.iter().map(|g| g.id).collect();
    let gone: Vec<Id<GuildMarker>> = cache
        .iter()
        .guilds()
        .map(|g| *g.key())
        .filter(|id| on_shard(*id, shard, total) && !listed.contains(id))
        .collect();
    for id in gone {
        cache.update(&Event::GuildDelete(GuildDelete {
            id,
            unavailable: None,
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use twilight_cache_inmemory::ResourceType;

    /// A guild `id` with role `id + 1` and channel `id + 2`.
    fn guild_create(id: u64) -> Value {
        let (role, channel) = ((id + 1).to_string(), (id + 2).to_string());
        let mut guild = json!({
            "id": id.to_string(), "name": "home", "owner_id": "5",
            "afk_timeout": 300, "default_message_notifications": 0,
            "explicit_content_filter": 0, "features": [], "icon": null, "large": false,
            "mfa_level": 0, "nsfw_level": 0, "preferred_locale": "fr",
            "premium_progress_bar_enabled": false, "premium_tier": 0,
            "system_channel_flags": 0, "verification_level": 0, "afk_channel_id": null,
            "application_id": null, "banner": null, "description": null,
            "discovery_splash": null, "joined_at": null, "max_members": null,
        });
        let more = json!({
            "public_updates_channel_id": null, "rules_channel_id": null, "splash": null,
            "system_channel_id": null, "vanity_url_code": null, "emojis": [], "stickers": [],
            "roles": [{ "id": role, "name": "admin", "permissions": "8", "position": 1,
                        "color": 0, "colors": { "primary_color": 0 }, "hoist": false,
                        "managed": false, "mentionable": false,
                        "flags": 0 }],
            "channels": [{ "id": channel, "type": 0, "name": "general",
                           "guild_id": id.to_string(), "position": 0,
                           "permission_overwrites": [] }],
        });
        let voice = json!([{ "channel_id": channel, "user_id": "5", "session_id": "x",
                             "deaf": false, "mute": false, "self_deaf": false,
                             "self_mute": false, "self_video": false, "suppress": false,
                             "request_to_speak_timestamp": null }]);
        let object = guild.as_object_mut().unwrap();
        object.extend(more.as_object().unwrap().clone());
        object.insert("voice_states".to_owned(), voice);
        guild
    }

    fn cache() -> DefaultInMemoryCache {
        DefaultInMemoryCache::builder()
            .resource_types(
                ResourceType::GUILD
                    | ResourceType::ROLE
                    | ResourceType::CHANNEL
                    | ResourceType::VOICE_STATE,
            )
            .build()
    }

    #[test]
    fn a_snapshot_restores_guild_roles_channels_and_voice_states() {
        // Guild ids whose shard (of 2) is 0 and 1.
        let (on_0, on_1) = (4_194_304 * 2, 4_194_304 * 3);
        let original = cache();
        for id in [on_0, on_1] {
            let guild: Guild = serde_json::from_value(guild_create(id)).unwrap();
            original.update(&Event::GuildCreate(Box::new(GuildCreate::Available(guild))));
        }
        let saved = snapshot(&original, 0, 2);
        assert_eq!(saved.len(), 1, "only shard 0's guild");
        // Through the store's JSON, as a restart reads it.
        let saved: Vec<Value> =
            serde_json::from_str(&serde_json::to_string(&saved).unwrap()).unwrap();

        let restored = cache();
        serde_json::from_value::<Guild>(saved[0].clone())
            .expect("a saved guild parses as a GUILD_CREATE guild");
        assert_eq!(restore(&restored, &saved), 1);
        let guild = Id::new(on_0);
        assert_eq!(restored.guild(guild).unwrap().preferred_locale(), "fr");
        assert!(restored.guild(Id::new(on_1)).is_none());
        assert_eq!(
            restored.role(Id::new(on_0 + 1)).unwrap().resource().name,
            "admin"
        );
        assert_eq!(
            restored.channel(Id::new(on_0 + 2)).unwrap().name.as_deref(),
            Some("general")
        );
        assert!(restored.voice_state(Id::new(5), guild).is_some());
        assert_eq!(restored.guild_channels(guild).unwrap().len(), 1);

        // The resume refused, a new session's READY lists no such guild: forgotten.
        let ready: Ready = serde_json::from_value(json!({
            "application": { "id": "1", "flags": 0 }, "guilds": [],
            "resume_gateway_url": "ws://x", "session_id": "s", "shard": [0, 2],
            "user": { "id": "2", "username": "bot", "discriminator": "0", "avatar": null,
                      "bot": true, "mfa_enabled": true }, "v": 10
        }))
        .unwrap();
        forget_unlisted(&restored, &ready);
        assert!(restored.guild(guild).is_none());
        assert!(restored.channel(Id::new(on_0 + 2)).is_none());
    }
}
