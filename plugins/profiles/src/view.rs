//! `/profile view`: the card (PNG) and an embed beside it with the bio in the member's writing
//! style and the achievements. Fields the member hid never reach another member's view; balance
//! and level come from the economy module through the host when it is loaded.

use arsenal_plugin_api::{model::channel::message::Embed, prelude::*};
use serde::Deserialize;

use crate::{
    achievements,
    card::{self, Card},
    command::View,
    model::{profile_key, stats_key, Field, Profile, Stats},
    Profiles,
};

/// The card's file name, as the embed refers to it.
pub const CARD_FILE: &str = "profile.png";

/// What economy answers to `member.stats`.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct EconomyStats {
    /// Coins in the wallet.
    pub balance: i64,
    /// Coins in the bank.
    #[serde(default)]
    pub bank: i64,
    /// Level (economy also sends `xp`, which the card does not show).
    pub level: u32,
}

/// Asks economy for a member's coins and level; `None` when it is not loaded or fails (the card
/// then leaves them out).
fn economy(ctx: &Context, user: Id<UserMarker>) -> Option<EconomyStats> {
    let asked: Result<EconomyStats> = ctx.modules().ask(
        "economy",
        "member.stats",
        &json!({ "user_id": user.to_string() }),
    );
    match asked {
        Ok(stats) => Some(stats),
        Err(e) => {
            if !matches!(e.module_failure(), Some(ModuleFailure::NotLoaded)) {
                log::warn!("economy did not give member {user}'s stats: {e}");
            }
            None
        }
    }
}

/// `2 h 05 min` (or the viewer's language's form).
fn voice_time(tr: &Tr<'_>, seconds: u64) -> String {
    let minutes = seconds / 60;
    tr!(
        tr,
        "profile-voice-time",
        hours = minutes / 60,
        minutes = format!("{:02}", minutes % 60)
    )
}

/// Answers `/profile view`.
///
/// # Errors
///
/// The store's.
pub fn view(
    plugin: &Profiles,
    ctx: &Context,
    tr: &Tr<'_>,
    guild: Id<GuildMarker>,
    invoker: &arsenal_plugin_api::protocol::Invoker,
    view: View,
) -> Result<Response> {
    let (user, name) = match view.member {
        Some(member) => (member.id, member.name),
        None => (invoker.user_id, invoker.user_name.clone()),
    };
    let own = user == invoker.user_id;
    let profile: Profile = ctx
        .store()
        .get(&profile_key(guild, user))?
        .unwrap_or_default();
    let mut stats: Stats = ctx
        .store()
        .get(&stats_key(guild, user))?
        .unwrap_or_default();
    stats.messages += plugin.counters.waiting(guild, user);
    let shows = |field| profile.shows(field, own);
    let wants_economy = shows(Field::Balance) || shows(Field::Level);
    let economy = if wants_economy {
        economy(ctx, user)
    } else {
        None
    };

    let mut shown_stats = Vec::new();
    if shows(Field::Messages) {
        shown_stats.push((tr.t("profile-field-messages"), stats.messages.to_string()));
    }
    if shows(Field::Voice) {
        shown_stats.push((
            tr.t("profile-field-voice"),
            voice_time(tr, stats.voice_seconds_at(ctx.now())),
        ));
    }
    if let Some(economy) = economy {
        if shows(Field::Balance) {
            shown_stats.push((
                tr.t("profile-field-balance"),
                (economy.balance.saturating_add(economy.bank)).to_string(),
            ));
        }
        if shows(Field::Level) {
            shown_stats.push((tr.t("profile-field-level"), economy.level.to_string()));
        }
    }
    let mut subtitle = tr.t(profile.theme.text_id());
    if shows(Field::Achievements) {
        subtitle = tr!(
            tr,
            "profile-subtitle",
            theme = subtitle,
            count = stats.achievements.len()
        );
    }
    let bio = profile.bio.clone().filter(|_| shows(Field::Bio));
    let palette = profile.theme.palette();
    let mut embed = EmbedBuilder::new()
        .title(tr!(tr, "profile-view-title", name = name.clone()))
        .color(palette.accent.packed());
    if let Some(bio) = &bio {
        embed = embed.description(profile.style.apply(bio));
    }
    // The card's statistics as text too (screen readers, clients that hide images).
    for (label, value) in &shown_stats {
        embed = embed.field(label.clone(), value.clone(), true);
    }
    let card = Card {
        name: name.clone(),
        subtitle,
        bio: bio.clone(),
        stats: shown_stats,
        palette,
    };
    if shows(Field::Achievements) && !stats.achievements.is_empty() {
        let names: Vec<String> = stats
            .achievements
            .iter()
            .filter_map(|a| achievements::by_id(&a.id))
            .map(|a| format!("🏆 {}", tr.t(a.text_id)))
            .collect();
        embed = embed.field(tr.t("profile-field-achievements"), names.join("\n"), false);
    }
    let mut reply = Reply::default().no_mentions();
    match card::render(&card) {
        Ok(png) => {
            embed = embed.image(format!("attachment://{CARD_FILE}"));
            reply = reply.file(ReplyFile::new(CARD_FILE, png).description(tr!(
                tr,
                "profile-card-alt",
                name = name.clone()
            )));
        }
        Err(e) => log::error!("drawing a profile card failed: {e}"),
    }
    let embed: Embed = embed.build();
    Ok(Response::Message(reply.embed(embed)))
}
