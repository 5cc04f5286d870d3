//! The suggestion message (an embed in the status's colour, and the two vote buttons showing the
//! counts), its copy for the log channel, the author's direct message, and the buttons'
//! `custom_id`s. Posted messages are in the server's language; the buttons name only the
//! suggestion's number, so a vote finds its suggestion after any restart or reload.

use arsenal_plugin_api::prelude::*;

use crate::model::{clip, Status, Suggestion, Votes};

/// The vote buttons: `v:<number>:<up>`.
#[derive(Debug, Clone, PartialEq, Eq, CustomId)]
#[custom_id(module = "suggestions")]
pub enum Ballot {
    #[custom_id(tag = "v")]
    Vote { number: u64, up: bool },
}

/// Discord's limit on an embed description.
const DESCRIPTION: usize = 4096;
/// Discord's limit on an embed field's value.
const FIELD: usize = 1024;

/// `Suggestion #12`.
fn title(tr: &Tr, number: u64) -> String {
    tr!(tr, "suggestions-title", number = number)
}

/// Who suggested it, as members see it.
pub fn author_text(tr: &Tr, suggestion: &Suggestion) -> String {
    if suggestion.anonymous {
        tr.t("suggestions-anonymous")
    } else {
        format!("<@{}>", suggestion.author)
    }
}

/// `Approved by @alice`, or `Pending`.
fn status_text(tr: &Tr, suggestion: &Suggestion) -> String {
    let status = tr.t(&format!("suggestions-status-{}", suggestion.status.name()));
    match suggestion.decided_by {
        Some(by) if suggestion.status != Status::Pending => {
            tr!(
                tr,
                "suggestions-status-by",
                status = status,
                by = format!("<@{by}>")
            )
        }
        _ => status,
    }
}

/// The embed shared by the suggestion and its log copy.
fn embed(tr: &Tr, suggestion: &Suggestion, votes: &Votes) -> EmbedBuilder {
    let (up, down) = votes.counts();
    let mut embed = EmbedBuilder::new()
        .title(title(tr, suggestion.number))
        .description(clip(&suggestion.content, DESCRIPTION))
        .color(suggestion.status.colour())
        .field(
            tr.t("suggestions-field-author"),
            author_text(tr, suggestion),
            true,
        )
        .field(
            tr.t("suggestions-field-status"),
            status_text(tr, suggestion),
            true,
        )
        .field(
            tr.t("suggestions-field-votes"),
            format!("👍 {up} · 👎 {down}"),
            true,
        );
    if let Some(reason) = &suggestion.reason {
        embed = embed.field(tr.t("suggestions-field-reason"), clip(reason, FIELD), false);
    }
    embed
}

/// The suggestion as posted and kept current: the embed and the vote buttons (disabled once
/// the suggestion is decided for good).
#[must_use]
pub fn suggestion_message(tr: &Tr, suggestion: &Suggestion, votes: &Votes) -> Reply {
    let (up, down) = votes.counts();
    let number = suggestion.number;
    let mut upvote =
        Button::success(up.to_string(), &Ballot::Vote { number, up: true }).emoji("👍");
    let mut downvote =
        Button::danger(down.to_string(), &Ballot::Vote { number, up: false }).emoji("👎");
    if suggestion.status.is_final() {
        upvote = upvote.disabled();
        downvote = downvote.disabled();
    }
    Reply::default()
        .embed(embed(tr, suggestion, votes).build())
        .buttons([upvote, downvote])
        .no_mentions()
}

/// A link to the suggestion's message.
#[must_use]
pub fn link(suggestion: &Suggestion) -> String {
    match suggestion.message_id {
        Some(message) => format!(
            "https://discord.com/channels/{}/{}/{message}",
            suggestion.guild_id, suggestion.channel_id
        ),
        None => format!("<#{}>", suggestion.channel_id),
    }
}

/// The copy of a decided suggestion for the log channel.
#[must_use]
pub fn log_message(tr: &Tr, suggestion: &Suggestion, votes: &Votes) -> Reply {
    Reply::text(tr!(
        tr,
        "suggestions-log",
        number = suggestion.number,
        status = tr.t(&format!("suggestions-status-{}", suggestion.status.name())),
        link = link(suggestion)
    ))
    .embed(embed(tr, suggestion, votes).build())
    .no_mentions()
}

/// The direct message telling the author what became of their suggestion.
#[must_use]
pub fn author_dm(tr: &Tr, suggestion: &Suggestion, votes: &Votes) -> Reply {
    Reply::text(tr!(
        tr,
        "suggestions-dm",
        number = suggestion.number,
        status = tr.t(&format!("suggestions-status-{}", suggestion.status.name())),
        link = link(suggestion)
    ))
    .embed(embed(tr, suggestion, votes).build())
    .no_mentions()
}
