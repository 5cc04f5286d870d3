//! The messages, buttons, menus and forms the module shows, and the `custom_id`s they carry.
//!
//! Every `custom_id` names a stable record (a panel number, a ticket's channel id), never
//! in-memory state, so a button keeps working after restarts and reloads:
//!
//! | id | where | what |
//! |---|---|---|
//! | `open:<panel>` | panel button | open a ticket |
//! | `pick:<panel>` | panel select menu (values: topic keys) | open a ticket of a topic |
//! | `reason:<panel>:<topic>` | form | the opener's reason (`0` / empty: no panel / topic) |
//! | `close:<channel>` | ticket message button | ask for a close reason |
//! | `closereason:<channel>` | form | close with that reason |
//! | `claim:<channel>` | ticket message button | claim (staff) |
//! | `creq:yes:<channel>`, `creq:no:<channel>` | close request | the opener answers |

use arsenal_plugin_api::{
    i18n::Tr,
    model::{
        channel::message::{Component, Embed},
        id::{
            marker::{ChannelMarker, RoleMarker},
            Id,
        },
    },
    protocol::Modal,
    tr, Error, Reply, Result,
};
use serde_json::{json, Value};

use crate::model::{clip, Panel, Ticket};

/// Embed colour (Discord blurple).
const COLOUR: u32 = 0x0058_65F2;
/// Longest reason the forms accept.
pub const MAX_REASON: u16 = 1000;

/// What a component or form id asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Open {
        panel: u32,
    },
    Pick {
        panel: u32,
    },
    Reason {
        panel: u32,
        topic: String,
    },
    Close {
        channel: Id<ChannelMarker>,
    },
    CloseReason {
        channel: Id<ChannelMarker>,
    },
    Claim {
        channel: Id<ChannelMarker>,
    },
    CloseAnswer {
        channel: Id<ChannelMarker>,
        confirm: bool,
    },
}

/// Parses one of the module's own `custom_id`s; `None` for anything else.
#[must_use]
pub fn parse_custom_id(id: &str) -> Option<Action> {
    let parts: Vec<&str> = id.split(':').collect();
    let channel = |text: &str| text.parse::<u64>().ok().and_then(Id::new_checked);
    Some(match parts.as_slice() {
        ["open", panel] => Action::Open {
            panel: panel.parse().ok()?,
        },
        ["pick", panel] => Action::Pick {
            panel: panel.parse().ok()?,
        },
        ["reason", panel, topic] => Action::Reason {
            panel: panel.parse().ok()?,
            topic: (*topic).to_owned(),
        },
        ["close", c] => Action::Close {
            channel: channel(c)?,
        },
        ["closereason", c] => Action::CloseReason {
            channel: channel(c)?,
        },
        ["claim", c] => Action::Claim {
            channel: channel(c)?,
        },
        ["creq", answer @ ("yes" | "no"), c] => Action::CloseAnswer {
            channel: channel(c)?,
            confirm: *answer == "yes",
        },
        _ => return None,
    })
}

fn components(value: Value) -> Result<Vec<Component>> {
    serde_json::from_value(value)
        .map_err(|e| Error::failed("building a message's components failed").with_source(e))
}

fn embed(title: &str, description: &str) -> Result<Embed> {
    let mut value = json!({ "type": "rich", "title": clip(title, 256), "color": COLOUR });
    if !description.is_empty() {
        value["description"] = json!(clip(description, 4000));
    }
    serde_json::from_value(value)
        .map_err(|e| Error::failed("building an embed failed").with_source(e))
}

/// The panel message: an embed, and a button or (with topics) a select menu.
///
/// # Errors
///
/// Only if the components do not build (a bug).
pub fn panel_message(tr: Tr<'_>, panel: &Panel) -> Result<Reply> {
    let row = if panel.topics.is_empty() {
        json!({ "type": 1, "components": [{
            "type": 2, "style": 1, "label": tr.t("tickets-button-open"), "emoji": { "name": "🎫" },
            "custom_id": format!("open:{}", panel.id)
        }]})
    } else {
        let options: Vec<Value> = panel
            .topics
            .iter()
            .map(|t| {
                let mut option = json!({ "label": clip(&t.name, 100), "value": t.key });
                if let Some(description) = &t.description {
                    option["description"] = json!(clip(description, 100));
                }
                option
            })
            .collect();
        json!({ "type": 1, "components": [{
            "type": 3, "custom_id": format!("pick:{}", panel.id),
            "placeholder": tr.t("tickets-topic-placeholder"),
            "min_values": 1, "max_values": 1, "options": options
        }]})
    };
    let mut reply = Reply::default().embed(embed(&panel.title, &panel.description)?);
    reply.components = components(json!([row]))?;
    Ok(reply)
}

/// The form asking the opener why they open a ticket.
///
/// # Errors
///
/// Only if the components do not build (a bug).
pub fn reason_modal(tr: Tr<'_>, panel: u32, topic: &str) -> Result<Modal> {
    Ok(Modal {
        custom_id: format!("reason:{panel}:{topic}"),
        title: tr.t("tickets-reason-title"),
        components: components(json!([{ "type": 1, "components": [{
            "type": 4, "custom_id": "reason", "style": 2,
            "label": tr.t("tickets-reason-label"), "required": true,
            "min_length": 1, "max_length": MAX_REASON
        }]}]))?,
    })
}

/// The form asking for a close reason (optional).
///
/// # Errors
///
/// Only if the components do not build (a bug).
pub fn close_modal(tr: Tr<'_>, channel: Id<ChannelMarker>) -> Result<Modal> {
    Ok(Modal {
        custom_id: format!("closereason:{channel}"),
        title: tr.t("tickets-close-title"),
        components: components(json!([{ "type": 1, "components": [{
            "type": 4, "custom_id": "reason", "style": 2,
            "label": tr.t("tickets-close-label"), "required": false, "max_length": MAX_REASON
        }]}]))?,
    })
}

/// The first message of a ticket: who opened it and why, staff mentions, Close and Claim.
///
/// # Errors
///
/// Only if the components do not build (a bug).
pub fn welcome_message(tr: Tr<'_>, ticket: &Ticket) -> Result<Reply> {
    let mentions: Vec<String> = std::iter::once(format!("<@{}>", ticket.opener))
        .chain(ticket.staff_roles.iter().map(role_mention))
        .collect();
    let mut description = tr!(tr, "tickets-welcome", opener = ticket.opener);
    if let Some(topic) = &ticket.topic {
        description.push_str("\n\n");
        description.push_str(&tr!(tr, "tickets-welcome-topic", topic = topic));
    }
    if let Some(reason) = &ticket.reason {
        description.push('\n');
        description.push_str(&tr!(tr, "tickets-welcome-reason", reason = reason));
    }
    let title = tr!(
        tr,
        "tickets-welcome-title",
        number = format!("{:04}", ticket.number)
    );
    let mut reply = Reply::text(mentions.join(" ")).embed(embed(&title, &description)?);
    reply.components = components(json!([{ "type": 1, "components": [
        { "type": 2, "style": 4, "label": tr.t("tickets-button-close"), "emoji": { "name": "🔒" },
          "custom_id": format!("close:{}", ticket.channel_id) },
        { "type": 2, "style": 2, "label": tr.t("tickets-button-claim"), "emoji": { "name": "🙋" },
          "custom_id": format!("claim:{}", ticket.channel_id) }
    ]}]))?;
    Ok(reply)
}

/// A staff member's request that the opener confirm closing, with Yes / No buttons.
///
/// # Errors
///
/// Only if the components do not build (a bug).
pub fn close_request_message(
    tr: Tr<'_>,
    ticket: &Ticket,
    by: &str,
    reason: Option<&str>,
) -> Result<Reply> {
    let mut reply = Reply::text(match reason {
        None => tr!(tr, "tickets-close-request", opener = ticket.opener, by = by),
        Some(reason) => format!(
            "{}\n{}",
            tr!(tr, "tickets-close-request", opener = ticket.opener, by = by),
            tr!(tr, "tickets-welcome-reason", reason = reason)
        ),
    });
    reply.components = components(json!([{ "type": 1, "components": [
        { "type": 2, "style": 3, "label": tr.t("tickets-button-close-it"), "custom_id": format!("creq:yes:{}", ticket.channel_id) },
        { "type": 2, "style": 2, "label": tr.t("tickets-button-keep-open"), "custom_id": format!("creq:no:{}", ticket.channel_id) }
    ]}]))?;
    Ok(reply)
}

#[must_use]
pub fn role_mention(role: &Id<RoleMarker>) -> String {
    format!("<@&{role}>")
}
