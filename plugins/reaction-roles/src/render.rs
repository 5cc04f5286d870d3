//! The panel message: an embed listing the roles (with their emojis and the panel's rules), and
//! the buttons or the menu that give them. Built the same way when the panel is posted, changed
//! or fixed, in the server's language. The components carry only the role (`Pick`), so a press
//! routes to its panel by message after any restart or reload.

use arsenal_plugin_api::prelude::*;

use crate::{
    emoji,
    model::{Panel, Style},
};

/// The panel's components: `r:<role>` per button, `m` for the menu.
#[derive(Debug, Clone, PartialEq, Eq, CustomId)]
#[custom_id(module = "reaction_roles")]
pub enum Pick {
    #[custom_id(tag = "r")]
    Role { role: Id<RoleMarker> },
    #[custom_id(tag = "m")]
    Menu,
}

/// Discord's limit on a button label.
const BUTTON_LABEL: usize = 80;
/// Discord's limit on a menu option label.
const OPTION_LABEL: usize = 100;
/// Discord's limit on an embed description.
const DESCRIPTION: usize = 4096;

/// The panel message as posted or edited.
pub fn panel_message(panel: &Panel, tr: &Tr) -> Reply {
    let mut lines = Vec::new();
    if let Some(description) = &panel.description {
        lines.push(description.clone());
        lines.push(String::new());
    }
    for entry in &panel.entries {
        lines.push(match &entry.emoji {
            Some(stored) => format!("{} <@&{}>", emoji::display(stored), entry.role),
            None => format!("<@&{}>", entry.role),
        });
    }
    let mut rules = vec![tr.t(panel.mode.text_id())];
    if let Some(max) = panel.max {
        rules.push(tr!(tr, "rr-rule-max", max = max));
    }
    if !panel.required.is_empty() {
        rules.push(tr!(
            tr,
            "rr-rule-required",
            roles = mentions(&panel.required)
        ));
    }
    if !panel.forbidden.is_empty() {
        rules.push(tr!(
            tr,
            "rr-rule-forbidden",
            roles = mentions(&panel.forbidden)
        ));
    }
    lines.push(String::new());
    lines.push(rules.join(" · "));
    let description: String = lines.join("\n").chars().take(DESCRIPTION).collect();
    let embed = EmbedBuilder::new()
        .title(panel.title.clone())
        .description(description)
        .color(0x5865F2)
        .build();
    let mut reply = Reply::default().embed(embed).no_mentions();
    match panel.style {
        Style::Buttons => {
            for chunk in panel.entries.chunks(5) {
                reply = reply.buttons(chunk.iter().map(|entry| {
                    let label: String = entry.label.chars().take(BUTTON_LABEL).collect();
                    let button = Button::secondary(label, &Pick::Role { role: entry.role });
                    match entry.emoji.as_deref().filter(|e| emoji::is_unicode(e)) {
                        Some(unicode) => button.emoji(unicode),
                        None => button,
                    }
                }));
            }
        }
        Style::Menu => {
            let mut menu = Select::new(&Pick::Menu)
                .placeholder(tr.t("rr-menu-placeholder"))
                .choices(0, panel.menu_max());
            for entry in &panel.entries {
                let label = match entry.emoji.as_deref().filter(|e| emoji::is_unicode(e)) {
                    Some(unicode) => format!("{unicode} {}", entry.label),
                    None => entry.label.clone(),
                };
                let label: String = label.chars().take(OPTION_LABEL).collect();
                menu = menu.option(label, entry.role.to_string());
            }
            reply = reply.row([menu.into()]);
        }
        Style::Reactions => {}
    }
    reply
}

/// `<@&1>, <@&2>`.
pub fn mentions(roles: &[Id<RoleMarker>]) -> String {
    roles
        .iter()
        .map(|role| format!("<@&{role}>"))
        .collect::<Vec<_>>()
        .join(", ")
}
