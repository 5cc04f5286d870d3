//! Discord's native AutoMod first: the word list, keyword presets and mention spam become
//! Discord rules that block a message before anyone sees it. This module keeps at most three
//! rules per server (one of each kind, within Discord's caps of 6 keyword rules and one preset
//! and one mention-spam rule), remembers their ids, and brings them in line with the settings
//! after every change: created when a rule is switched on, updated in place, deleted when off.
//! A rule deleted by hand in Discord is created again at the next change.

use arsenal_plugin_api::{
    model::id::marker::AutoModerationRuleMarker,
    prelude::*,
    protocol::{AutoModRule, AutoModTrigger},
};
use serde::{Deserialize, Serialize};

use crate::config::{self, GuildConfig, Level, RuleKind, WordList, VERSION};

fn v1() -> u32 {
    VERSION
}

/// The Discord rules this module keeps for a server.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NativeState {
    #[serde(default = "v1")]
    pub v: u32,
    #[serde(default)]
    pub keywords: Option<Id<AutoModerationRuleMarker>>,
    #[serde(default)]
    pub presets: Option<Id<AutoModerationRuleMarker>>,
    #[serde(default)]
    pub mentions: Option<Id<AutoModerationRuleMarker>>,
    /// Why the last sync failed (shown by `status`); `None` after a sync that worked.
    #[serde(default)]
    pub last_error: Option<String>,
}

impl NativeState {
    fn slot(&mut self, rule: RuleKind) -> &mut Option<Id<AutoModerationRuleMarker>> {
        match rule {
            RuleKind::NativePresets => &mut self.presets,
            RuleKind::NativeMentions => &mut self.mentions,
            _ => &mut self.keywords,
        }
    }

    /// The rule id kept for `rule`.
    #[must_use]
    pub fn id(&self, rule: RuleKind) -> Option<Id<AutoModerationRuleMarker>> {
        match rule {
            RuleKind::NativePresets => self.presets,
            RuleKind::NativeMentions => self.mentions,
            RuleKind::NativeKeywords => self.keywords,
            _ => None,
        }
    }
}

/// Reads what is kept for `guild`.
///
/// # Errors
///
/// A store failure.
pub fn load(ctx: &Context, guild: Id<GuildMarker>) -> Result<NativeState> {
    Ok(ctx
        .store()
        .get(&config::native_key(guild))?
        .unwrap_or_default())
}

/// Discord's presets: 1 profanity, 2 sexual content, 3 slurs.
fn presets(level: Level) -> Vec<u8> {
    if level == Level::High {
        vec![1, 2, 3]
    } else {
        vec![2, 3]
    }
}

/// The rule `kind` should be in Discord, or `None` when it should not exist.
#[must_use]
pub fn desired(
    kind: RuleKind,
    config: &GuildConfig,
    words: &WordList,
    block_message: &str,
) -> Option<AutoModRule> {
    if !config.effective(kind).enabled {
        return None;
    }
    let (name, trigger) = match kind {
        RuleKind::NativeKeywords => {
            if words.words.is_empty() && words.regexes.is_empty() {
                return None;
            }
            (
                "Arsenal automod: words",
                AutoModTrigger::Keyword {
                    keywords: words.words.clone(),
                    regex_patterns: words.regexes.clone(),
                    allow_list: Vec::new(),
                },
            )
        }
        RuleKind::NativePresets => (
            "Arsenal automod: presets",
            AutoModTrigger::KeywordPreset {
                presets: presets(config.level),
                allow_list: Vec::new(),
            },
        ),
        RuleKind::NativeMentions => (
            "Arsenal automod: mention spam",
            AutoModTrigger::MentionSpam {
                limit: u8::try_from(config.effective(kind).limit.clamp(1, 50)).unwrap_or(50),
            },
        ),
        _ => return None,
    };
    Some(AutoModRule {
        name: name.to_owned(),
        trigger,
        enabled: true,
        block_message: Some(block_message.chars().take(150).collect()),
        alert_channel: config.log_channel,
        exempt_roles: config.exempt_roles.clone(),
        exempt_channels: config.exempt_channels.clone(),
    })
}

#[derive(Deserialize)]
struct CreatedRule {
    id: Id<AutoModerationRuleMarker>,
}

/// What a sync did, for the answer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// The native rules now active in Discord.
    pub active: Vec<RuleKind>,
}

/// Brings Discord's rules for `guild` in line with `config` and `words`.
///
/// # Errors
///
/// Discord's refusal (most often: the bot lacks Manage Server), also kept for `status`; what
/// was done before the refusal is kept.
pub fn sync(
    ctx: &Context,
    guild: Id<GuildMarker>,
    config: &GuildConfig,
    words: &WordList,
) -> Result<SyncReport> {
    let mut state = load(ctx, guild)?;
    let block = ctx.tr_guild(guild).t("automod-native-block");
    let mut report = SyncReport::default();
    let mut outcome = Ok(());
    for kind in [
        RuleKind::NativeKeywords,
        RuleKind::NativePresets,
        RuleKind::NativeMentions,
    ] {
        match sync_one(
            ctx,
            guild,
            kind,
            desired(kind, config, words, &block),
            &mut state,
        ) {
            Ok(true) => report.active.push(kind),
            Ok(false) => {}
            Err(e) => {
                outcome = Err(e);
                break;
            }
        }
    }
    state.v = VERSION;
    state.last_error = outcome.as_ref().err().map(ToString::to_string);
    ctx.store().set(&config::native_key(guild), &state)?;
    outcome.map(|()| report)
}

/// One rule: create, update or delete it. `Ok(true)` when it is active afterwards.
fn sync_one(
    ctx: &Context,
    guild: Id<GuildMarker>,
    kind: RuleKind,
    want: Option<AutoModRule>,
    state: &mut NativeState,
) -> Result<bool> {
    let discord = ctx.discord();
    let slot = state.slot(kind);
    match (want, *slot) {
        (None, None) => Ok(false),
        (None, Some(rule_id)) => {
            match discord.execute::<serde_json::Value>(&DiscordRequest::DeleteAutoModRule {
                guild_id: guild,
                rule_id,
            }) {
                Ok(_) => {}
                Err(e) if e.is_not_found() => {}
                Err(e) => return Err(e),
            }
            *slot = None;
            Ok(false)
        }
        (Some(rule), Some(rule_id)) => {
            let update = DiscordRequest::UpdateAutoModRule {
                guild_id: guild,
                rule_id,
                rule: rule.clone(),
            };
            match discord.execute::<serde_json::Value>(&update) {
                Ok(_) => Ok(true),
                // Deleted by hand in Discord: create it again.
                Err(e) if e.is_not_found() => {
                    *slot = Some(create(ctx, guild, rule)?);
                    Ok(true)
                }
                Err(e) => Err(e),
            }
        }
        (Some(rule), None) => {
            *slot = Some(create(ctx, guild, rule)?);
            Ok(true)
        }
    }
}

fn create(
    ctx: &Context,
    guild: Id<GuildMarker>,
    rule: AutoModRule,
) -> Result<Id<AutoModerationRuleMarker>> {
    let created: CreatedRule = ctx.discord().execute(&DiscordRequest::CreateAutoModRule {
        guild_id: guild,
        rule,
    })?;
    Ok(created.id)
}
