//! Turns a plugin's (or a built-in's) [`Response`] into what Discord expects, and namespaces
//! component ids.
//!
//! **Invariant:** every `custom_id` the bot sends is `<module>:<plugin's id>`. Discord hands the
//! id back on every click, so a button routes to its module after any restart or reload, and one
//! module can never receive another's clicks.

use arsenal_plugin_api::protocol::{Choice, Reply, ReplyFile, Response};
use twilight_model::{
    application::command::{CommandOptionChoice, CommandOptionChoiceValue},
    channel::message::{Component, MessageFlags},
    http::{
        attachment::Attachment,
        interaction::{InteractionResponse, InteractionResponseData, InteractionResponseType},
    },
};

/// Discord's limit on message content.
pub const MAX_CONTENT: usize = 2000;

/// Prefixes every button and select-menu id in `components` with `plugin:`.
pub fn namespace_components(plugin: &str, components: &mut [Component]) {
    for component in components {
        match component {
            Component::ActionRow(row) => namespace_components(plugin, &mut row.components),
            Component::Container(container) => {
                namespace_components(plugin, &mut container.components)
            }
            Component::Section(section) => {
                namespace_components(plugin, &mut section.components);
                namespace_components(plugin, std::slice::from_mut(&mut *section.accessory));
            }
            Component::Button(button) => {
                if let Some(id) = button.custom_id.as_mut() {
                    *id = format!("{plugin}:{id}");
                }
            }
            Component::SelectMenu(menu) => menu.custom_id = format!("{plugin}:{}", menu.custom_id),
            _ => {}
        }
    }
}

/// Splits a namespaced `custom_id` into (module, the module's own id).
#[must_use]
pub fn split_custom_id(custom_id: &str) -> Option<(&str, &str)> {
    let (plugin, rest) = custom_id.split_once(':')?;
    arsenal_plugin_api::manifest::is_module_name(plugin).then_some((plugin, rest))
}

/// Cuts text to Discord's content limit at a line boundary, saying so.
#[must_use]
pub fn fit_content(text: &str) -> String {
    if text.chars().count() <= MAX_CONTENT {
        return text.to_owned();
    }
    let note = "\n… (cut to fit Discord's 2000-character limit)";
    let budget = MAX_CONTENT - note.chars().count();
    let mut cut: String = text.chars().take(budget).collect();
    if let Some(line_end) = cut.rfind('\n') {
        cut.truncate(line_end);
    }
    cut + note
}

/// The files of a reply as twilight uploads them (multipart), numbered in order.
#[must_use]
pub fn attachments(files: Vec<ReplyFile>) -> Vec<Attachment> {
    files
        .into_iter()
        .zip(0u64..)
        .map(|(file, id)| {
            let mut attachment = Attachment::from_bytes(file.name, file.bytes, id);
            if let Some(description) = file.description {
                attachment.description(description);
            }
            attachment
        })
        .collect()
}

/// The message data of a reply from `plugin` (`None`: a built-in, no namespacing needed).
#[must_use]
pub fn message_data(plugin: Option<&str>, mut reply: Reply) -> InteractionResponseData {
    if let Some(plugin) = plugin {
        namespace_components(plugin, &mut reply.components);
    }
    let files = std::mem::take(&mut reply.attachments);
    InteractionResponseData {
        // `Some` only with files: twilight then sends multipart instead of JSON.
        attachments: (!files.is_empty()).then(|| attachments(files)),
        content: reply.content.as_deref().map(fit_content),
        embeds: Some(reply.embeds),
        components: Some(reply.components),
        flags: reply.ephemeral.then_some(MessageFlags::EPHEMERAL),
        // `None` keeps the client's default (users only).
        allowed_mentions: reply.allowed_mentions.map(|mentions| *mentions),
        ..InteractionResponseData::default()
    }
}

/// The interaction callback for `response`. `on_component`: the interaction came from a
/// component, so `Update` edits its message and `Nothing` acknowledges silently.
#[must_use]
pub fn interaction_response(
    plugin: Option<&str>,
    response: Response,
    on_component: bool,
) -> InteractionResponse {
    match response {
        Response::Message(reply) => InteractionResponse {
            kind: InteractionResponseType::ChannelMessageWithSource,
            data: Some(message_data(plugin, reply)),
        },
        Response::Update(reply) if on_component => InteractionResponse {
            kind: InteractionResponseType::UpdateMessage,
            data: Some(message_data(plugin, reply)),
        },
        Response::Update(reply) => InteractionResponse {
            kind: InteractionResponseType::ChannelMessageWithSource,
            data: Some(message_data(plugin, reply)),
        },
        Response::Modal(modal) => InteractionResponse {
            kind: InteractionResponseType::Modal,
            data: Some(InteractionResponseData {
                custom_id: Some(match plugin {
                    Some(plugin) => format!("{plugin}:{}", modal.custom_id),
                    None => modal.custom_id,
                }),
                title: Some(modal.title),
                components: Some(modal.components),
                ..InteractionResponseData::default()
            }),
        },
        Response::Nothing if on_component => InteractionResponse {
            kind: InteractionResponseType::DeferredUpdateMessage,
            data: None,
        },
        Response::Nothing => ephemeral("Done."),
    }
}

/// An ephemeral text answer (errors, built-in replies).
#[must_use]
pub fn ephemeral(text: &str) -> InteractionResponse {
    InteractionResponse {
        kind: InteractionResponseType::ChannelMessageWithSource,
        data: Some(InteractionResponseData {
            content: Some(fit_content(text)),
            flags: Some(MessageFlags::EPHEMERAL),
            ..InteractionResponseData::default()
        }),
    }
}

/// The autocomplete callback for `choices` (Discord shows at most 25).
#[must_use]
pub fn autocomplete(choices: Vec<Choice>) -> InteractionResponse {
    let choices = choices
        .into_iter()
        .take(25)
        .map(|c| CommandOptionChoice {
            name: c.name,
            name_localizations: None,
            value: CommandOptionChoiceValue::String(c.value),
        })
        .collect();
    InteractionResponse {
        kind: InteractionResponseType::ApplicationCommandAutocompleteResult,
        data: Some(InteractionResponseData {
            choices: Some(choices),
            ..InteractionResponseData::default()
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_ids_round_trip_through_the_namespace() {
        let mut components: Vec<Component> = serde_json::from_value(serde_json::json!([
            {"type": 1, "components": [
                {"type": 2, "style": 1, "label": "Open", "custom_id": "open:42"},
                {"type": 2, "style": 5, "label": "Docs", "url": "https://example.com"}
            ]}
        ]))
        .unwrap();
        namespace_components("tickets", &mut components);
        let json = serde_json::to_value(&components).unwrap();
        assert_eq!(json[0]["components"][0]["custom_id"], "tickets:open:42");
        assert!(json[0]["components"][1].get("custom_id").is_none());
        assert_eq!(
            split_custom_id("tickets:open:42"),
            Some(("tickets", "open:42"))
        );
        assert_eq!(split_custom_id("../x:1"), None);
        assert_eq!(split_custom_id("nocolon"), None);
    }

    #[test]
    fn a_reply_with_files_is_uploaded_and_one_without_is_plain_json() {
        let reply = Reply::text("card")
            .file(ReplyFile::new("a.png", vec![1, 2, 3]).description("alt"))
            .file(ReplyFile::new("b.txt", b"hi".to_vec()));
        let data = message_data(Some("profiles"), reply);
        let files = data.attachments.expect("files become attachments");
        assert_eq!(files.len(), 2);
        assert_eq!((files[0].id, files[0].filename.as_str()), (0, "a.png"));
        assert_eq!(files[0].file, vec![1, 2, 3]);
        assert_eq!(files[0].description.as_deref(), Some("alt"));
        assert_eq!((files[1].id, files[1].file.as_slice()), (1, &b"hi"[..]));
        // No files: `None`, so twilight sends JSON, not multipart.
        assert!(message_data(None, Reply::text("x")).attachments.is_none());
    }

    #[test]
    fn long_text_is_cut_at_a_line() {
        let text = "line\n".repeat(600);
        let fitted = fit_content(&text);
        assert!(fitted.chars().count() <= MAX_CONTENT);
        assert!(fitted.ends_with("limit)"));
    }
}
