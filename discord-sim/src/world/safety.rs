//! A guild's safety settings: native AutoMod rules (with Discord's per-guild caps), incident
//! actions (paused invites and DMs) and the verification level.
//!
//! Rules are kept as the JSON Discord answers with. Discord's caps beyond what the OpenAPI
//! description states: at most 6 keyword rules and one rule of each other trigger type per
//! guild; a rule's trigger type never changes; Manage Server is needed for all of it.

use super::World;
use crate::ApiError;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use twilight_model::guild::Permissions;

/// Trigger types (Discord's numbers).
pub(crate) mod trigger {
    pub const KEYWORD: u64 = 1;
    pub const SPAM: u64 = 3;
    pub const KEYWORD_PRESET: u64 = 4;
    pub const MENTION_SPAM: u64 = 5;
    pub const MEMBER_PROFILE: u64 = 6;
}

/// Keyword rules a guild may have; every other trigger type allows one.
pub const MAX_KEYWORD_RULES: usize = 6;

#[derive(Clone, Debug, Default)]
pub(crate) struct GuildSafety {
    pub verification_level: u8,
    pub invites_disabled_until: Option<String>,
    pub dms_disabled_until: Option<String>,
    /// Rule id → the rule as Discord returns it.
    pub automod_rules: BTreeMap<u64, Value>,
}

fn id_of(v: &Value) -> Option<u64> {
    v.as_str()
        .and_then(|s| s.parse().ok())
        .or_else(|| v.as_u64())
}

fn rule_type(rule: &Value) -> u64 {
    rule.get("trigger_type")
        .and_then(Value::as_u64)
        .unwrap_or(0)
}

/// Fills the trigger metadata Discord always returns for a trigger type.
fn complete_metadata(kind: u64, given: Option<&Value>) -> Value {
    let given = given
        .filter(|v| v.is_object())
        .cloned()
        .unwrap_or(json!({}));
    let field = |name: &str, default: Value| {
        given
            .get(name)
            .filter(|v| !v.is_null())
            .cloned()
            .unwrap_or(default)
    };
    match kind {
        trigger::KEYWORD => json!({
            "keyword_filter": field("keyword_filter", json!([])),
            "regex_patterns": field("regex_patterns", json!([])),
            "allow_list": field("allow_list", json!([])),
        }),
        trigger::KEYWORD_PRESET => json!({
            "presets": field("presets", json!([])),
            "allow_list": field("allow_list", json!([])),
        }),
        trigger::MENTION_SPAM => json!({
            "mention_total_limit": field("mention_total_limit", json!(0)),
            "mention_raid_protection_enabled": field("mention_raid_protection_enabled", json!(false)),
        }),
        _ => json!({}),
    }
}

/// What tests read of a guild's safety settings.
impl World {
    /// The guild's native AutoMod rules, as Discord would list them.
    pub fn automod_rules_of(
        &self,
        guild: twilight_model::id::Id<twilight_model::id::marker::GuildMarker>,
    ) -> Vec<Value> {
        self.guilds
            .get(&guild.get())
            .map(|g| g.safety.automod_rules.values().cloned().collect())
            .unwrap_or_default()
    }

    /// The guild's verification level (0 to 4).
    pub fn verification_level(
        &self,
        guild: twilight_model::id::Id<twilight_model::id::marker::GuildMarker>,
    ) -> u8 {
        self.guilds
            .get(&guild.get())
            .map_or(0, |g| g.safety.verification_level)
    }

    /// Until when invites are paused (Discord's timestamp), if they are.
    pub fn invites_paused_until(
        &self,
        guild: twilight_model::id::Id<twilight_model::id::marker::GuildMarker>,
    ) -> Option<String> {
        self.guilds
            .get(&guild.get())
            .and_then(|g| g.safety.invites_disabled_until.clone())
    }

    /// Gives the bot's managed role `permission` too (a server granting the bot more).
    pub fn grant_bot(
        &mut self,
        guild: twilight_model::id::Id<twilight_model::id::marker::GuildMarker>,
        permission: Permissions,
    ) {
        if let Some(g) = self.guilds.get_mut(&guild.get()) {
            for role in g.roles.values_mut().filter(|r| r.bot_id.is_some()) {
                role.permissions |= permission.bits();
            }
        }
    }
}

impl World {
    pub(crate) fn automod_rules(&self, guild: u64) -> Result<Vec<Value>, ApiError> {
        self.require_guild(guild, self.bot_user_id, Permissions::MANAGE_GUILD)?;
        Ok(self
            .guild(guild)?
            .safety
            .automod_rules
            .values()
            .cloned()
            .collect())
    }

    pub(crate) fn automod_rule(&self, guild: u64, rule: u64) -> Result<Value, ApiError> {
        self.require_guild(guild, self.bot_user_id, Permissions::MANAGE_GUILD)?;
        self.guild(guild)?
            .safety
            .automod_rules
            .get(&rule)
            .cloned()
            .ok_or_else(ApiError::not_found)
    }

    /// `POST /guilds/{id}/auto-moderation/rules` with a body the OpenAPI check passed.
    pub(crate) fn create_automod_rule(
        &mut self,
        guild: u64,
        body: &Value,
    ) -> Result<Value, ApiError> {
        let bot = self.bot_user_id;
        self.require_guild(guild, bot, Permissions::MANAGE_GUILD)?;
        let kind = rule_type(body);
        let same = self
            .guild(guild)?
            .safety
            .automod_rules
            .values()
            .filter(|r| rule_type(r) == kind)
            .count();
        let cap = if kind == trigger::KEYWORD {
            MAX_KEYWORD_RULES
        } else {
            1
        };
        if same >= cap {
            return Err(ApiError::invalid_field(
                "trigger_type",
                "AUTO_MODERATION_MAX_RULES_OF_TYPE_EXCEEDED",
                "Maximum number of rules of this type reached.",
            ));
        }
        if kind == trigger::KEYWORD_PRESET
            && body
                .pointer("/trigger_metadata/presets")
                .and_then(Value::as_array)
                .is_none_or(Vec::is_empty)
        {
            return Err(ApiError::invalid_field(
                "trigger_metadata.presets",
                "BASE_TYPE_REQUIRED",
                "This field is required",
            ));
        }
        if !matches!(
            kind,
            trigger::KEYWORD
                | trigger::SPAM
                | trigger::KEYWORD_PRESET
                | trigger::MENTION_SPAM
                | trigger::MEMBER_PROFILE
        ) {
            return Err(ApiError::invalid_field(
                "trigger_type",
                "BASE_TYPE_CHOICES",
                "Value must be one of {1, 3, 4, 5, 6}.",
            ));
        }
        self.check_rule_targets(guild, body)?;
        let id = self.next_id();
        let rule = json!({
            "id": id.to_string(),
            "guild_id": guild.to_string(),
            "creator_id": bot.to_string(),
            "name": body.get("name").cloned().unwrap_or(json!("")),
            "event_type": body.get("event_type").cloned().unwrap_or(json!(1)),
            "actions": body.get("actions").filter(|v| !v.is_null()).cloned().unwrap_or(json!([])),
            "trigger_type": kind,
            "enabled": body.get("enabled").and_then(Value::as_bool).unwrap_or(false),
            "exempt_roles": body.get("exempt_roles").filter(|v| !v.is_null()).cloned().unwrap_or(json!([])),
            "exempt_channels": body.get("exempt_channels").filter(|v| !v.is_null()).cloned().unwrap_or(json!([])),
            "trigger_metadata": complete_metadata(kind, body.get("trigger_metadata")),
        });
        self.guild_mut(guild)?
            .safety
            .automod_rules
            .insert(id, rule.clone());
        Ok(rule)
    }

    /// `PATCH …/rules/{rule_id}`: the given fields replace the rule's; the trigger type stays.
    pub(crate) fn update_automod_rule(
        &mut self,
        guild: u64,
        rule_id: u64,
        body: &Value,
    ) -> Result<Value, ApiError> {
        self.require_guild(guild, self.bot_user_id, Permissions::MANAGE_GUILD)?;
        let mut rule = self.automod_rule(guild, rule_id)?;
        let kind = rule_type(&rule);
        if body
            .get("trigger_type")
            .and_then(Value::as_u64)
            .is_some_and(|t| t != kind)
        {
            return Err(ApiError::invalid_field(
                "trigger_type",
                "AUTO_MODERATION_TRIGGER_TYPE_IMMUTABLE",
                "A rule's trigger type cannot be changed.",
            ));
        }
        self.check_rule_targets(guild, body)?;
        for field in [
            "name",
            "event_type",
            "actions",
            "enabled",
            "exempt_roles",
            "exempt_channels",
        ] {
            if let Some(value) = body.get(field).filter(|v| !v.is_null()) {
                rule[field] = value.clone();
            }
        }
        if let Some(metadata) = body.get("trigger_metadata").filter(|v| !v.is_null()) {
            rule["trigger_metadata"] = complete_metadata(kind, Some(metadata));
        }
        self.guild_mut(guild)?
            .safety
            .automod_rules
            .insert(rule_id, rule.clone());
        Ok(rule)
    }

    pub(crate) fn delete_automod_rule(&mut self, guild: u64, rule: u64) -> Result<(), ApiError> {
        self.require_guild(guild, self.bot_user_id, Permissions::MANAGE_GUILD)?;
        self.guild_mut(guild)?
            .safety
            .automod_rules
            .remove(&rule)
            .map(drop)
            .ok_or_else(ApiError::not_found)
    }

    /// Exempt roles and channels, and alert channels, must be the guild's own.
    fn check_rule_targets(&self, guild: u64, body: &Value) -> Result<(), ApiError> {
        let ids = |field: &str| -> Vec<u64> {
            body.get(field)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(id_of)
                .collect()
        };
        let g = self.guild(guild)?;
        if let Some(role) = ids("exempt_roles")
            .into_iter()
            .find(|r| !g.roles.contains_key(r))
        {
            return Err(ApiError::invalid_field(
                "exempt_roles",
                "AUTO_MODERATION_INVALID_EXEMPT_ROLE",
                &format!("Unknown role {role}"),
            ));
        }
        let alert_channels = body
            .get("actions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|a| a.pointer("/metadata/channel_id").and_then(id_of));
        for channel in ids("exempt_channels").into_iter().chain(alert_channels) {
            if self.channels.get(&channel).and_then(|c| c.guild_id) != Some(guild) {
                return Err(ApiError::invalid_field(
                    "exempt_channels",
                    "AUTO_MODERATION_INVALID_CHANNEL",
                    &format!("Unknown channel {channel}"),
                ));
            }
        }
        Ok(())
    }

    /// `PUT /guilds/{id}/incident-actions` (Manage Server; at most 24 hours ahead).
    pub(crate) fn set_incident_actions(
        &mut self,
        guild: u64,
        body: &Value,
    ) -> Result<Value, ApiError> {
        self.require_guild(guild, self.bot_user_id, Permissions::MANAGE_GUILD)?;
        let until = |field: &str| -> Result<Option<String>, ApiError> {
            let Some(text) = body.get(field).and_then(Value::as_str) else {
                return Ok(None);
            };
            let at = twilight_model::util::Timestamp::parse(text).map_err(|_| {
                ApiError::invalid_field(field, "DATE_TIME_TYPE_PARSE", "Could not parse date.")
            })?;
            let ms = u64::try_from(at.as_micros() / 1000).unwrap_or(0);
            if ms > crate::clock::now_ms() + 24 * 3600 * 1000 + 60_000 {
                return Err(ApiError::invalid_field(
                    field,
                    "GUILD_INCIDENT_ACTIONS_TOO_LONG",
                    "Cannot be more than 24 hours in the future.",
                ));
            }
            Ok(Some(text.to_owned()))
        };
        let invites = until("invites_disabled_until")?;
        let dms = until("dms_disabled_until")?;
        let safety = &mut self.guild_mut(guild)?.safety;
        safety.invites_disabled_until = invites;
        safety.dms_disabled_until = dms;
        Ok(json!({
            "invites_disabled_until": safety.invites_disabled_until,
            "dms_disabled_until": safety.dms_disabled_until,
        }))
    }

    /// The fields of `PATCH /guilds/{id}` the simulator models: name, verification level.
    pub(crate) fn update_guild_settings(
        &mut self,
        guild: u64,
        body: &Value,
    ) -> Result<(), ApiError> {
        self.require_guild(guild, self.bot_user_id, Permissions::MANAGE_GUILD)?;
        let g = self.guild_mut(guild)?;
        if let Some(level) = body.get("verification_level").and_then(Value::as_u64) {
            g.safety.verification_level = u8::try_from(level.min(4)).unwrap_or(4);
        }
        if let Some(name) = body.get("name").and_then(Value::as_str) {
            g.name = name.to_owned();
        }
        Ok(())
    }
}
