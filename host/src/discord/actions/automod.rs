//! Native AutoMod rules and raid protection (incident actions, verification level): the
//! requests the automod module makes, built with twilight-http. Incident actions have no
//! twilight-http builder yet, so that one request is sent raw, through the same client (its
//! rate limiter and token handling).

use arsenal_plugin_api::{
    abi::{AbiError, ErrorCode},
    protocol::{AutoModRule, AutoModTrigger, DiscordRequest},
};
use twilight_http::{
    request::{AuditLogReason, Method, RequestBuilder},
    Client,
};
use twilight_model::{
    guild::{
        auto_moderation::{
            AutoModerationAction, AutoModerationActionMetadata, AutoModerationActionType,
            AutoModerationEventType, AutoModerationKeywordPresetType,
            AutoModerationTriggerMetadata,
        },
        VerificationLevel,
    },
    util::Timestamp,
};

use super::{empty, invalid, model};

/// Runs one of the automod requests (the caller's match arm routes only those here).
///
/// # Errors
///
/// As [`super::execute`].
pub async fn execute(http: &Client, request: DiscordRequest) -> Result<String, AbiError> {
    match request {
        DiscordRequest::ListAutoModRules { guild_id } => {
            model(http.auto_moderation_rules(guild_id).await).await
        }
        DiscordRequest::CreateAutoModRule { guild_id, rule } => {
            check_caps(&rule)?;
            create(http, guild_id, &rule).await
        }
        DiscordRequest::UpdateAutoModRule {
            guild_id,
            rule_id,
            rule,
        } => {
            check_caps(&rule)?;
            let actions = actions(&rule);
            let metadata = trigger_metadata(&rule.trigger);
            let builder = http
                .update_auto_moderation_rule(guild_id, rule_id)
                .name(&rule.name)
                .enabled(rule.enabled)
                .exempt_roles(&rule.exempt_roles)
                .exempt_channels(&rule.exempt_channels)
                .actions(&actions)
                .trigger_metadata(&metadata);
            model(builder.await).await
        }
        DiscordRequest::DeleteAutoModRule { guild_id, rule_id } => {
            empty(http.delete_auto_moderation_rule(guild_id, rule_id).await)
        }
        DiscordRequest::SetIncidentActions {
            guild_id,
            invites_disabled_until_unix_secs,
            dms_disabled_until_unix_secs,
        } => {
            let body = serde_json::json!({
                "invites_disabled_until": iso(invites_disabled_until_unix_secs)?,
                "dms_disabled_until": iso(dms_disabled_until_unix_secs)?,
            });
            let request =
                RequestBuilder::raw(Method::Put, format!("guilds/{guild_id}/incident-actions"))
                    .json(&body)
                    .build()
                    .map_err(|e| invalid(&format!("incident actions: {e}")))?;
            model(http.request::<serde_json::Value>(request).await).await
        }
        DiscordRequest::SetVerificationLevel {
            guild_id,
            level,
            reason,
        } => {
            if level > 4 {
                return Err(invalid("a verification level is 0 to 4"));
            }
            let mut builder = http
                .update_guild(guild_id)
                .verification_level(Some(VerificationLevel::from(level)));
            if let Some(reason) = reason.as_deref() {
                builder = builder.reason(reason);
            }
            model(builder.await).await
        }
        other => Err(AbiError::new(
            ErrorCode::Unsupported,
            format!("not an automod request: {other:?}"),
        )),
    }
}

async fn create(
    http: &Client,
    guild_id: twilight_model::id::Id<twilight_model::id::marker::GuildMarker>,
    rule: &AutoModRule,
) -> Result<String, AbiError> {
    let mut builder = http
        .create_auto_moderation_rule(guild_id, &rule.name, AutoModerationEventType::MessageSend)
        .enabled(rule.enabled)
        .exempt_roles(&rule.exempt_roles)
        .exempt_channels(&rule.exempt_channels);
    builder = match rule.block_message.as_deref() {
        Some(text) => builder.action_block_message_with_explanation(text),
        None => builder.action_block_message(),
    };
    if let Some(channel) = rule.alert_channel {
        builder = builder.action_send_alert_message(channel);
    }
    match &rule.trigger {
        AutoModTrigger::Keyword {
            keywords,
            regex_patterns,
            allow_list,
        } => {
            let keywords = refs(keywords);
            let regexes = refs(regex_patterns);
            let allow = refs(allow_list);
            model(builder.with_keyword(&keywords, &regexes, &allow).await).await
        }
        AutoModTrigger::KeywordPreset {
            presets,
            allow_list,
        } => {
            let presets = preset_types(presets);
            let allow = refs(allow_list);
            model(builder.with_keyword_preset(&presets, &allow).await).await
        }
        AutoModTrigger::MentionSpam { limit } => {
            model(builder.with_mention_spam(*limit).await).await
        }
        other => Err(AbiError::new(
            ErrorCode::Unsupported,
            format!("this host cannot create AutoMod rules of kind {other:?}"),
        )),
    }
}

fn refs(items: &[String]) -> Vec<&str> {
    items.iter().map(String::as_str).collect()
}

fn preset_types(presets: &[u8]) -> Vec<AutoModerationKeywordPresetType> {
    presets
        .iter()
        .map(|p| AutoModerationKeywordPresetType::from(*p))
        .collect()
}

/// The actions every rule of a module takes: block, with the explanation; alert the channel.
fn actions(rule: &AutoModRule) -> Vec<AutoModerationAction> {
    let mut actions = vec![AutoModerationAction {
        kind: AutoModerationActionType::BlockMessage,
        metadata: rule
            .block_message
            .clone()
            .map(|text| AutoModerationActionMetadata {
                channel_id: None,
                custom_message: Some(text),
                duration_seconds: None,
            }),
    }];
    if let Some(channel) = rule.alert_channel {
        actions.push(AutoModerationAction {
            kind: AutoModerationActionType::SendAlertMessage,
            metadata: Some(AutoModerationActionMetadata {
                channel_id: Some(channel),
                custom_message: None,
                duration_seconds: None,
            }),
        });
    }
    actions
}

fn trigger_metadata(trigger: &AutoModTrigger) -> AutoModerationTriggerMetadata {
    let mut metadata = AutoModerationTriggerMetadata {
        allow_list: None,
        keyword_filter: None,
        presets: None,
        mention_raid_protection_enabled: None,
        mention_total_limit: None,
        regex_patterns: None,
    };
    match trigger {
        AutoModTrigger::Keyword {
            keywords,
            regex_patterns,
            allow_list,
        } => {
            metadata.keyword_filter = Some(keywords.clone());
            metadata.regex_patterns = Some(regex_patterns.clone());
            metadata.allow_list = Some(allow_list.clone());
        }
        AutoModTrigger::KeywordPreset {
            presets,
            allow_list,
        } => {
            metadata.presets = Some(preset_types(presets));
            metadata.allow_list = Some(allow_list.clone());
        }
        AutoModTrigger::MentionSpam { limit } => metadata.mention_total_limit = Some(*limit),
        _ => {}
    }
    metadata
}

/// Discord's caps on a rule, checked before anything is sent, with what to change.
fn check_caps(rule: &AutoModRule) -> Result<(), AbiError> {
    let too_many = |what: &str, count: usize, max: usize| {
        invalid(&format!(
            "AutoMod rule {:?}: {count} {what}, Discord allows {max}",
            rule.name
        ))
    };
    let too_long = |what: &str, item: &str, max: usize| {
        invalid(&format!(
            "AutoMod rule {:?}: {what} {item:?} is longer than Discord's {max} characters",
            rule.name
        ))
    };
    let each = |items: &[String], what: &str, count_max: usize, len_max: usize| {
        if items.len() > count_max {
            return Err(too_many(what, items.len(), count_max));
        }
        match items.iter().find(|i| i.chars().count() > len_max) {
            Some(long) => Err(too_long(what, long, len_max)),
            None => Ok(()),
        }
    };
    if rule.name.chars().count() > 100 {
        return Err(too_long("the name", &rule.name, 100));
    }
    if let Some(text) = &rule.block_message {
        if text.chars().count() > 150 {
            return Err(too_long("the block message", text, 150));
        }
    }
    if rule.exempt_roles.len() > 20 {
        return Err(too_many("exempt roles", rule.exempt_roles.len(), 20));
    }
    if rule.exempt_channels.len() > 50 {
        return Err(too_many("exempt channels", rule.exempt_channels.len(), 50));
    }
    match &rule.trigger {
        AutoModTrigger::Keyword {
            keywords,
            regex_patterns,
            allow_list,
        } => {
            each(keywords, "keywords", 1000, 60)?;
            each(regex_patterns, "regexes", 10, 260)?;
            each(allow_list, "allow-list entries", 100, 60)
        }
        AutoModTrigger::KeywordPreset { allow_list, .. } => {
            each(allow_list, "allow-list entries", 1000, 60)
        }
        AutoModTrigger::MentionSpam { limit } if *limit > 50 => Err(invalid(&format!(
            "AutoMod rule {:?}: a mention limit of {limit}, Discord allows 1 to 50",
            rule.name
        ))),
        _ => Ok(()),
    }
}

/// Unix seconds as Discord's ISO 8601 timestamp (`None` stays `null`).
fn iso(secs: Option<i64>) -> Result<Option<String>, AbiError> {
    secs.map(|s| {
        Timestamp::from_secs(s)
            .map(|t| t.iso_8601().to_string())
            .map_err(|e| invalid(&format!("bad time {s}: {e}")))
    })
    .transpose()
}

/// The automod requests' servers and channels, for the scope check.
#[must_use]
pub fn targets(
    request: &DiscordRequest,
) -> Option<(
    twilight_model::id::Id<twilight_model::id::marker::GuildMarker>,
    Vec<twilight_model::id::Id<twilight_model::id::marker::ChannelMarker>>,
)> {
    match request {
        DiscordRequest::CreateAutoModRule { guild_id, rule }
        | DiscordRequest::UpdateAutoModRule { guild_id, rule, .. } => Some((
            *guild_id,
            rule.exempt_channels
                .iter()
                .copied()
                .chain(rule.alert_channel)
                .collect(),
        )),
        DiscordRequest::ListAutoModRules { guild_id }
        | DiscordRequest::DeleteAutoModRule { guild_id, .. }
        | DiscordRequest::SetIncidentActions { guild_id, .. }
        | DiscordRequest::SetVerificationLevel { guild_id, .. } => Some((*guild_id, Vec::new())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keyword_rule(keywords: Vec<String>) -> AutoModRule {
        AutoModRule {
            name: "words".into(),
            trigger: AutoModTrigger::Keyword {
                keywords,
                regex_patterns: Vec::new(),
                allow_list: Vec::new(),
            },
            enabled: true,
            block_message: None,
            alert_channel: None,
            exempt_roles: Vec::new(),
            exempt_channels: Vec::new(),
        }
    }

    #[test]
    fn discords_caps_are_checked_before_sending() {
        assert!(check_caps(&keyword_rule(vec!["ok".into(); 1000])).is_ok());
        let error = check_caps(&keyword_rule(vec!["ok".into(); 1001])).unwrap_err();
        assert!(
            error.message.contains("1001 keywords, Discord allows 1000"),
            "{}",
            error.message
        );
        let error = check_caps(&keyword_rule(vec!["x".repeat(61)])).unwrap_err();
        assert!(
            error.message.contains("longer than Discord's 60"),
            "{}",
            error.message
        );
    }

    #[test]
    fn the_scope_check_sees_the_server_and_every_channel_a_rule_names() {
        use twilight_model::id::Id;
        let mut rule = keyword_rule(vec!["x".into()]);
        rule.exempt_channels = vec![Id::new(5)];
        rule.alert_channel = Some(Id::new(6));
        let request = DiscordRequest::CreateAutoModRule {
            guild_id: Id::new(1),
            rule,
        };
        assert_eq!(
            targets(&request),
            Some((Id::new(1), vec![Id::new(5), Id::new(6)]))
        );
        let pause = DiscordRequest::SetIncidentActions {
            guild_id: Id::new(2),
            invites_disabled_until_unix_secs: None,
            dms_disabled_until_unix_secs: None,
        };
        assert_eq!(targets(&pause), Some((Id::new(2), Vec::new())));
        assert_eq!(targets(&DiscordRequest::GetBotUser), None);
    }

    #[test]
    fn times_are_discords_timestamps() {
        assert_eq!(
            iso(Some(1_800_000_000)).unwrap().as_deref(),
            Some("2027-01-15T08:00:00.000000+00:00")
        );
        assert_eq!(iso(None).unwrap(), None);
    }
}
