//! What the module shows: the giveaway message (prize, end, requirements, bonus entries, the
//! seed's commitment, the entry button with its count), the end's announcement and the
//! published entrant list, and the start form. Posted texts are in the server's language.

use arsenal_plugin_api::{
    prelude::*,
    protocol::{MessageRef, Modal},
};
use serde_json::json;

use crate::model::{Giveaway, Status};

/// The module's components: the entry button on the giveaway message (routed by the message it
/// sits on), the leave button on the ephemeral answer (naming the giveaway), the start form.
#[derive(Debug, Clone, PartialEq, Eq, CustomId)]
#[custom_id(module = "giveaways")]
pub enum Ui {
    #[custom_id(tag = "e")]
    Enter,
    #[custom_id(tag = "l")]
    Leave { giveaway: Id<MessageMarker> },
    #[custom_id(tag = "f")]
    Form,
}

/// The form's inputs.
pub const FORM_PRIZE: &str = "prize";
pub const FORM_DURATION: &str = "duration";
pub const FORM_WINNERS: &str = "winners";
pub const FORM_DESCRIPTION: &str = "description";

const DESCRIPTION_MAX: usize = 4096;
const GOLD: u32 = 0x00F1_C40F;
const GREY: u32 = 0x0099_AAB5;

pub fn target(giveaway: &Giveaway) -> MessageRef {
    MessageRef {
        channel_id: giveaway.channel,
        message_id: giveaway.message,
    }
}

/// `<t:…:R>` for a unix time in ms.
pub fn relative(ms: u64) -> String {
    format!("<t:{}:R>", ms / 1000)
}

/// `<@1>, <@2>`.
pub fn users(users: &[Id<UserMarker>]) -> String {
    users
        .iter()
        .map(|user| format!("<@{user}>"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The requirement and bonus lines, as members read them.
pub fn rules(giveaway: &Giveaway, tr: &Tr) -> Vec<String> {
    let mut lines = Vec::new();
    let needs = &giveaway.requirements;
    if let Some(role) = needs.role {
        lines.push(tr!(tr, "giveaway-rule-role", role = format!("<@&{role}>")));
    }
    if let Some(secs) = needs.min_account_age_secs {
        lines.push(tr!(tr, "giveaway-rule-age", days = secs.div_ceil(86_400)));
    }
    if let Some(level) = needs.min_level {
        lines.push(tr!(tr, "giveaway-rule-level", level = level));
    }
    for bonus in &giveaway.bonus {
        lines.push(tr!(
            tr,
            "giveaway-rule-bonus",
            role = format!("<@&{}>", bonus.role),
            extra = bonus.extra
        ));
    }
    lines
}

/// The giveaway message as posted, refreshed and ended.
pub fn message(giveaway: &Giveaway, tr: &Tr) -> Reply {
    let mut lines = Vec::new();
    if let Some(description) = &giveaway.description {
        lines.push(description.clone());
        lines.push(String::new());
    }
    match giveaway.status {
        Status::Open => {
            lines.push(tr!(
                tr,
                "giveaway-ends",
                when = relative(giveaway.ends_at_ms)
            ));
            lines.push(tr!(
                tr,
                "giveaway-winner-count",
                count = giveaway.winner_count
            ));
        }
        Status::Ended => {
            let ended = giveaway.ended_at_ms.unwrap_or(giveaway.ends_at_ms);
            lines.push(tr!(tr, "giveaway-ended-at", when = relative(ended)));
            lines.push(if giveaway.winners.is_empty() {
                tr.t("giveaway-no-winner")
            } else {
                tr!(tr, "giveaway-winners", winners = users(&giveaway.winners))
            });
        }
    }
    lines.push(tr!(
        tr,
        "giveaway-hosted-by",
        host = format!("<@{}>", giveaway.host)
    ));
    lines.push(tr!(tr, "giveaway-entrants", count = giveaway.entrants));
    let rules = rules(giveaway, tr);
    if !rules.is_empty() {
        lines.push(String::new());
        lines.extend(rules);
    }
    lines.push(String::new());
    lines.push(tr!(
        tr,
        "giveaway-commitment",
        hash = giveaway.commitment.clone()
    ));
    if giveaway.status == Status::Ended {
        lines.push(tr!(tr, "giveaway-seed", seed = giveaway.seed.clone()));
    }
    let description: String = lines.join("\n").chars().take(DESCRIPTION_MAX).collect();
    let (title, color) = match giveaway.status {
        Status::Open => (format!("🎉 {}", giveaway.prize), GOLD),
        Status::Ended => (
            tr!(tr, "giveaway-title-ended", prize = giveaway.prize.clone()),
            GREY,
        ),
    };
    let embed = EmbedBuilder::new()
        .title(title.chars().take(256).collect::<String>())
        .description(description)
        .color(color)
        .build();
    let label = tr!(tr, "giveaway-enter-button", count = giveaway.entrants);
    let button = Button::success(label, &Ui::Enter).emoji("🎉");
    let button = match giveaway.status {
        Status::Open => button,
        Status::Ended => button.disabled(),
    };
    Reply::default()
        .embed(embed)
        .buttons([button])
        .no_mentions()
}

/// The published entrant list: a header with the seed, then `user_id weight` per line, sorted
/// by user id: exactly what the draw used.
pub fn entrant_file(giveaway: &Giveaway, entrants: &[(u64, u32)]) -> String {
    let mut sorted = entrants.to_vec();
    sorted.sort_unstable();
    let mut out = format!(
        "# giveaway {message} in server {guild}: {prize}\n\
         # commitment (shown at start) = sha256(seed): {commitment}\n\
         # seed: {seed}\n\
         # winners so far, in draw order: {winners}\n\
         # next counter: {counter}\n\
         # user_id weight (sorted by user_id; the tickets are each id repeated weight times)\n",
        message = giveaway.message,
        guild = giveaway.guild,
        prize = giveaway.prize.replace('\n', " "),
        commitment = giveaway.commitment,
        seed = giveaway.seed,
        winners = giveaway
            .winners
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" "),
        counter = giveaway.next_counter,
    );
    for (user, weight) in sorted {
        out.push_str(&format!("{user} {weight}\n"));
    }
    out
}

/// The announcement of a draw: the new winners (pinged), the seed, where to check.
pub fn announcement(giveaway: &Giveaway, new: &[Id<UserMarker>], reroll: bool, tr: &Tr) -> Reply {
    let link = format!(
        "https://discord.com/channels/{}/{}/{}",
        giveaway.guild, giveaway.channel, giveaway.message
    );
    let mut text = match (new.is_empty(), reroll) {
        (true, false) => tr!(tr, "giveaway-announce-none", prize = giveaway.prize.clone()),
        (true, true) => tr!(tr, "giveaway-reroll-none", prize = giveaway.prize.clone()),
        (false, false) => tr!(
            tr,
            "giveaway-announce",
            winners = users(new),
            prize = giveaway.prize.clone()
        ),
        (false, true) => tr!(
            tr,
            "giveaway-reroll-announce",
            winners = users(new),
            prize = giveaway.prize.clone()
        ),
    };
    text.push('\n');
    text.push_str(&tr!(
        tr,
        "giveaway-announce-proof",
        seed = giveaway.seed.clone(),
        link = link
    ));
    let text: String = text.chars().take(2000).collect();
    Reply::text(text).mention_only(new.iter().copied())
}

/// The start form (slash commands only), labels in the member's language.
///
/// # Errors
///
/// Only if the components do not build (a bug).
pub fn form(tr: &Tr) -> Result<Modal> {
    let input = |id: &str, label: String, style: u8, required: bool, max: u16| {
        json!({ "type": 1, "components": [{
            "type": 4, "custom_id": id, "style": style, "label": label,
            "required": required, "max_length": max
        }]})
    };
    let rows = json!([
        input(FORM_PRIZE, tr.t("giveaway-form-prize"), 1, true, 200),
        input(FORM_DURATION, tr.t("giveaway-form-duration"), 1, true, 20),
        input(FORM_WINNERS, tr.t("giveaway-form-winners"), 1, false, 2),
        input(
            FORM_DESCRIPTION,
            tr.t("giveaway-form-description"),
            2,
            false,
            1000
        ),
    ]);
    Ok(Modal {
        custom_id: Ui::Form.custom_id(),
        title: tr.t("giveaway-form-title").chars().take(45).collect(),
        components: serde_json::from_value(rows)?,
    })
}
