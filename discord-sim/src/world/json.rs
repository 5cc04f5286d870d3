//! Discord-shaped JSON for world records, as the REST API and the gateway return them.
//!
//! Every shape here is deserialized into the matching twilight-model type by the crate's tests
//! (and by the typed read API), which is what keeps these hand-built objects honest.

use super::{
    channel_kind, ChannelRecord, GuildRecord, MemberRecord, MessageRecord, RoleRecord, UserRecord,
    World,
};
use crate::clock::{iso, snowflake_ms};
use serde_json::{json, Value};

pub(crate) fn user(u: &UserRecord) -> Value {
    json!({
        "id": u.id.to_string(),
        "username": u.username,
        "discriminator": "0",
        "global_name": u.global_name,
        "avatar": null,
        "banner": null,
        "accent_color": null,
        "avatar_decoration_data": null,
        "bot": u.bot,
        "public_flags": 0,
        "flags": 0,
    })
}

pub(crate) fn role(r: &RoleRecord) -> Value {
    let mut v = json!({
        "id": r.id.to_string(),
        "name": r.name,
        "color": r.color,
        "colors": { "primary_color": r.color, "secondary_color": null, "tertiary_color": null },
        "hoist": r.hoist,
        "icon": null,
        "unicode_emoji": null,
        "position": r.position,
        "permissions": r.permissions.to_string(),
        "managed": r.bot_id.is_some(),
        "mentionable": r.mentionable,
        "flags": 0,
    });
    if let Some(bot) = r.bot_id {
        v["tags"] = json!({ "bot_id": bot.to_string() });
    }
    v
}

impl World {
    pub(crate) fn user_json(&self, id: u64) -> Value {
        self.users.get(&id).map_or_else(
            || {
                user(&UserRecord {
                    id,
                    username: "deleted-user".to_owned(),
                    global_name: None,
                    bot: false,
                })
            },
            user,
        )
    }

    /// A guild member; `with_user` adds the nested user object (absent in message authors).
    pub(crate) fn member_json(&self, m: &MemberRecord, with_user: bool) -> Value {
        let mut v = json!({
            "nick": m.nick,
            "avatar": null,
            "banner": null,
            "roles": m.roles.iter().map(u64::to_string).collect::<Vec<_>>(),
            "joined_at": iso(m.joined_at_ms),
            "premium_since": null,
            "deaf": m.deaf,
            "mute": m.mute,
            "flags": 0,
            "pending": m.pending,
            "communication_disabled_until": m.timeout_until_ms.filter(|t| *t > crate::clock::now_ms()).map(iso),
        });
        if with_user {
            v["user"] = self.user_json(m.user_id);
        }
        v
    }

    pub(crate) fn channel_json(&self, c: &ChannelRecord) -> Value {
        let mut v = json!({
            "id": c.id.to_string(),
            "type": c.kind,
            "flags": 0,
            "last_message_id": c.last_message_id.map(|id| id.to_string()),
        });
        if c.kind == channel_kind::DM {
            v["recipients"] = json!(c
                .recipients
                .iter()
                .map(|u| self.user_json(*u))
                .collect::<Vec<_>>());
            return v;
        }
        v["guild_id"] = json!(c.guild_id.map(|id| id.to_string()));
        v["name"] = json!(c.name);
        v["parent_id"] = json!(c.parent_id.map(|id| id.to_string()));
        v["nsfw"] = json!(c.nsfw);
        v["rate_limit_per_user"] = json!(c.rate_limit_per_user);
        if channel_kind::is_thread(c.kind) {
            v["owner_id"] = json!(c.owner_id.map(|id| id.to_string()));
            let count = self.messages.get(&c.id).map_or(0, |m| m.len());
            v["message_count"] = json!(count);
            v["member_count"] = json!(1);
            v["total_message_sent"] = json!(count);
            v["thread_metadata"] = json!({
                "archived": c.archived,
                "auto_archive_duration": c.auto_archive_duration,
                "archive_timestamp": iso(snowflake_ms(c.id)),
                "locked": c.locked,
                "create_timestamp": iso(snowflake_ms(c.id)),
            });
            return v;
        }
        v["position"] = json!(c.position);
        v["permission_overwrites"] = json!(c
            .overwrites
            .iter()
            .map(|o| json!({
                "id": o.id.to_string(),
                "type": o.kind,
                "allow": o.allow.to_string(),
                "deny": o.deny.to_string(),
            }))
            .collect::<Vec<_>>());
        match c.kind {
            channel_kind::GUILD_VOICE => {
                v["bitrate"] = json!(c.bitrate);
                v["user_limit"] = json!(c.user_limit);
                v["rtc_region"] = Value::Null;
            }
            channel_kind::GUILD_CATEGORY => {}
            _ => v["topic"] = json!(c.topic),
        }
        v
    }

    pub(crate) fn message_json(&self, m: &MessageRecord) -> Value {
        let author_member = m
            .guild_id
            .and_then(|g| self.guilds.get(&g))
            .and_then(|g| g.members.get(&m.author_id))
            .filter(|_| m.webhook_id.is_none());
        let mentions: Vec<Value> = m.mentions.iter().map(|u| self.user_json(*u)).collect();
        let mut v = json!({
            "id": m.id.to_string(),
            "channel_id": m.channel_id.to_string(),
            "author": self.user_json(m.author_id),
            "content": m.content,
            "timestamp": iso(snowflake_ms(m.id)),
            "edited_timestamp": m.edited_ms.map(iso),
            "tts": m.tts,
            "mention_everyone": m.mention_everyone,
            "mentions": mentions,
            "mention_roles": m.mention_roles.iter().map(u64::to_string).collect::<Vec<_>>(),
            "attachments": m.attachments.iter().map(|a| self.attachment_json(m, a)).collect::<Vec<_>>(),
            "embeds": m.embeds,
            "components": m.components,
            "pinned": m.pinned,
            "type": m.kind,
            "flags": m.flags,
        });
        if let Some(g) = m.guild_id {
            v["guild_id"] = json!(g.to_string());
        }
        if let Some(member) = author_member {
            v["member"] = self.member_json(member, false);
        }
        if let Some(w) = m.webhook_id {
            v["webhook_id"] = json!(w.to_string());
            v["application_id"] = json!(self.app.id.to_string());
        }
        if let Some(meta) = &m.interaction_metadata {
            v["interaction_metadata"] = meta.clone();
        }
        if let Some(r) = &m.reference {
            v["message_reference"] = r.clone();
        }
        if !m.reactions.is_empty() {
            v["reactions"] = json!(m
                .reactions
                .iter()
                .map(|r| json!({
                    "count": r.users.len(),
                    "count_details": { "burst": 0, "normal": r.users.len() },
                    "me": r.users.contains(&self.bot_user_id),
                    "me_burst": false,
                    "burst_colors": [],
                    "emoji": emoji_json(&r.emoji),
                }))
                .collect::<Vec<_>>());
        }
        v
    }

    fn attachment_json(&self, m: &MessageRecord, a: &super::AttachmentRecord) -> Value {
        let url = format!(
            "{}/attachments/{}/{}/{}",
            self.cdn_base, m.channel_id, a.id, a.filename
        );
        json!({
            "id": a.id.to_string(),
            "filename": a.filename,
            "description": a.description,
            "content_type": a.content_type,
            "size": a.bytes.len(),
            "url": url,
            "proxy_url": url,
        })
    }

    /// The guild object of `GET /guilds/{id}`; `gateway` adds what GUILD_CREATE carries
    /// (channels, threads, members, voice states).
    pub(crate) fn guild_json(&self, g: &GuildRecord, gateway: bool, voice: bool) -> Value {
        let mut v = json!({
            "id": g.id.to_string(),
            "name": g.name,
            "icon": null,
            "splash": null,
            "discovery_splash": null,
            "banner": null,
            "description": null,
            "owner_id": g.owner_id.to_string(),
            "region": "deprecated",
            "afk_channel_id": null,
            "afk_timeout": 300,
            "widget_enabled": false,
            "verification_level": g.safety.verification_level,
            "default_message_notifications": 1,
            "explicit_content_filter": 0,
            "roles": g.roles.values().map(role).collect::<Vec<_>>(),
            "emojis": [],
            "stickers": [],
            "features": [],
            "mfa_level": 0,
            "application_id": null,
            "system_channel_id": null,
            "system_channel_flags": 0,
            "rules_channel_id": null,
            "public_updates_channel_id": null,
            "safety_alerts_channel_id": null,
            "vanity_url_code": null,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": self.guild_locale(g.id),
            "max_members": 500000,
            "max_video_channel_users": 25,
            "nsfw_level": 0,
            "nsfw": false,
            "premium_progress_bar_enabled": false,
        });
        if gateway {
            let channels = self.channels.values().filter(|c| c.guild_id == Some(g.id));
            let (threads, channels): (Vec<_>, Vec<_>) =
                channels.partition(|c| channel_kind::is_thread(c.kind));
            v["channels"] = json!(channels
                .iter()
                .map(|c| self.channel_json(c))
                .collect::<Vec<_>>());
            v["threads"] = json!(threads
                .iter()
                .filter(|c| !c.archived)
                .map(|c| self.channel_json(c))
                .collect::<Vec<_>>());
            v["members"] = json!(g
                .members
                .values()
                .map(|m| self.member_json(m, true))
                .collect::<Vec<_>>());
            v["member_count"] = json!(g.members.len());
            v["voice_states"] = if voice {
                json!(g
                    .voice
                    .iter()
                    .map(|(user, vs)| self.voice_state_json(g, *user, Some(vs), false))
                    .collect::<Vec<_>>())
            } else {
                json!([])
            };
            v["presences"] = json!([]);
            v["stage_instances"] = json!([]);
            v["guild_scheduled_events"] = json!([]);
            v["soundboard_sounds"] = json!([]);
            v["large"] = json!(false);
            v["unavailable"] = json!(false);
            v["joined_at"] = json!(g
                .members
                .get(&self.bot_user_id)
                .map(|m| iso(m.joined_at_ms)));
        }
        v
    }

    /// A voice state; `None` means "left voice" (channel_id null).
    pub(crate) fn voice_state_json(
        &self,
        g: &GuildRecord,
        user: u64,
        vs: Option<&super::VoiceRecord>,
        with_member: bool,
    ) -> Value {
        let mut v = json!({
            "guild_id": g.id.to_string(),
            "channel_id": vs.map(|s| s.channel_id.to_string()),
            "user_id": user.to_string(),
            "session_id": vs.map_or_else(|| format!("sim-voice-{user}"), |s| s.session_id.clone()),
            "deaf": false,
            "mute": false,
            "self_deaf": false,
            "self_mute": false,
            "self_stream": false,
            "self_video": false,
            "suppress": false,
            "request_to_speak_timestamp": null,
        });
        if with_member {
            if let Some(m) = g.members.get(&user) {
                v["member"] = self.member_json(m, true);
            }
        }
        v
    }

    /// The application object of `GET /applications/@me` (with owner or team).
    pub(crate) fn application_json(&self) -> Value {
        let mut v = json!({
            "id": self.app.id.to_string(),
            "name": self.app.name,
            "icon": null,
            "description": "Simulated application",
            "summary": "",
            "type": null,
            "bot_public": true,
            "bot_require_code_grant": false,
            "verify_key": "0".repeat(64),
            "flags": 0,
            "hook": true,
            "is_monetized": false,
            "is_verified": false,
            "is_discoverable": false,
            "storefront_available": false,
            "redirect_uris": [],
            "tags": [],
            "approximate_guild_count": self.guilds.len(),
            "bot": self.user_json(self.bot_user_id),
            "owner": self.user_json(self.app.owner_id),
            "team": null,
        });
        if let Some(team_owner) = self.app.team.first() {
            let team_id = self.app.id + 1;
            v["owner"] = json!({
                "id": team_id.to_string(), "username": format!("team{team_id}"), "discriminator": "0000",
                "avatar": null, "flags": 1024, "global_name": null,
            });
            v["team"] = json!({
                "id": team_id.to_string(),
                "name": format!("{} team", self.app.name),
                "icon": null,
                "owner_user_id": team_owner.to_string(),
                "members": self.app.team.iter().map(|u| json!({
                    "membership_state": 2,
                    "permissions": ["*"],
                    "role": "admin",
                    "team_id": team_id.to_string(),
                    "user": self.user_json(*u),
                })).collect::<Vec<_>>(),
            });
        }
        v
    }
}

pub(crate) fn emoji_json(e: &super::EmojiKey) -> Value {
    match e.id {
        Some(id) => json!({ "id": id.to_string(), "name": e.name, "animated": e.animated }),
        None => json!({ "id": null, "name": e.name }),
    }
}
