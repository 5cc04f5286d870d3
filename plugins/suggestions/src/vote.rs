//! The vote buttons: one vote per member, changeable. A press records the member's vote in the
//! suggestion's `votes:` key in one store transaction (two members voting at once both count),
//! then rewrites the suggestion's message with the counts read back in the same call. The
//! module's calls run one at a time, so the last edit always carries every vote.
//!
//! Pressing the same button again takes the vote back; pressing the other one changes it.

use arsenal_plugin_api::{
    prelude::*,
    protocol::{ComponentInvocation, MessageRef},
};

use crate::{
    model::{suggestion_key, votes_key, Suggestion, Vote, Votes},
    render::{self, Ballot},
};

/// What a press did to the member's vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Cast,
    Changed,
    Withdrawn,
}

/// A press on a vote button.
pub fn on_component(ctx: &Context, component: &ComponentInvocation) -> Result<Response> {
    let invoker = &component.invoker;
    let tr = ctx.tr(invoker);
    let Some(guild) = invoker.guild_id else {
        return Ok(Response::ephemeral(tr.t("suggestions-old-button")));
    };
    let Ok(Ballot::Vote { number, up }) = Ballot::from_component(component) else {
        return Ok(Response::ephemeral(tr.t("suggestions-old-button")));
    };
    let suggestion: Option<Suggestion> = ctx.store().get(&suggestion_key(guild, number))?;
    let Some(suggestion) = suggestion.filter(|s| s.message_id == Some(component.message_id)) else {
        return Ok(Response::ephemeral(tr.t("suggestions-vote-gone")));
    };
    if suggestion.status.is_final() {
        return Ok(Response::ephemeral(tr!(
            tr,
            "suggestions-vote-closed",
            number = number
        )));
    }
    let vote = if up { Vote::Up } else { Vote::Down };
    let user = invoker.user_id;
    let mut outcome = Outcome::Cast;
    let votes = ctx
        .store()
        .update(&votes_key(guild, number), |votes: Option<Votes>| {
            let mut votes = votes.unwrap_or_default();
            outcome = match votes.by.get(&user) {
                Some(previous) if *previous == vote => {
                    votes.by.remove(&user);
                    Outcome::Withdrawn
                }
                Some(_) => {
                    votes.by.insert(user, vote);
                    Outcome::Changed
                }
                None => {
                    votes.by.insert(user, vote);
                    Outcome::Cast
                }
            };
            Ok(Some(votes))
        })?
        .unwrap_or_default();

    let posted = ctx.tr_guild(guild);
    let edit = ctx
        .discord()
        .execute::<Value>(&DiscordRequest::EditMessage {
            target: MessageRef {
                channel_id: suggestion.channel_id,
                message_id: component.message_id,
            },
            message: render::suggestion_message(&posted, &suggestion, &votes),
        });
    let (up_count, down_count) = votes.counts();
    let mut answer = tr!(
        tr,
        match outcome {
            Outcome::Cast => "suggestions-voted",
            Outcome::Changed => "suggestions-vote-changed",
            Outcome::Withdrawn => "suggestions-vote-withdrawn",
        },
        number = number,
        vote = if up { "👍" } else { "👎" },
        up = up_count,
        down = down_count
    );
    if let Err(error) = edit {
        log::warn!("could not show the votes on suggestion #{number}: {error}");
        answer.push('\n');
        answer.push_str(&tr!(
            tr,
            "suggestions-count-not-shown",
            reason = crate::model::reason(&error)
        ));
    }
    Ok(Response::ephemeral(answer))
}
