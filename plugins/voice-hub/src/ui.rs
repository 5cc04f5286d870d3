//! The control panel (buttons and member menus), its forms, and the `custom_id`s they carry.
//!
//! Every id names the room's channel, never in-memory state, so a panel keeps working after
//! restarts and reloads. The host puts `voice_hub:` in front of each.
//!
//! | id | what |
//! |---|---|
//! | `lock:<room>` / `hide:<room>` | button: toggle locked / hidden |
//! | `rename:<room>` / `limit:<room>` | button: open the rename / limit form |
//! | `claim:<room>` | button: take the room when its owner has left |
//! | `kick:<room>`, `permit:<room>`, `transfer:<room>` | member menus |
//! | `rename_form:<room>`, `limit_form:<room>` | the forms |

use arsenal_plugin_api::{
    builder::{Button, EmbedBuilder, Select},
    i18n::Tr,
    model::channel::message::Component,
    prelude::*,
    protocol::Modal,
};

use crate::model::{Room, MAX_NAME};

/// Embed colour (Discord blurple).
const COLOUR: u32 = 0x0058_65F2;

/// What a panel component or form is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, CustomId)]
#[custom_id(module = "voice_hub")]
pub enum PanelId {
    Lock { room: Id<ChannelMarker> },
    Hide { room: Id<ChannelMarker> },
    Rename { room: Id<ChannelMarker> },
    Limit { room: Id<ChannelMarker> },
    Claim { room: Id<ChannelMarker> },
    Kick { room: Id<ChannelMarker> },
    Permit { room: Id<ChannelMarker> },
    Transfer { room: Id<ChannelMarker> },
    RenameForm { room: Id<ChannelMarker> },
    LimitForm { room: Id<ChannelMarker> },
}

/// The panel: who owns the room and how it is set, the buttons, and three member menus.
#[must_use]
pub fn panel(tr: Tr<'_>, room: &Room) -> Reply {
    let id = room.channel_id;
    let yes_no = |on: bool| tr.t(if on { "voice-yes" } else { "voice-no" });
    let limit = if room.limit == 0 {
        tr.t("voice-no-limit")
    } else {
        room.limit.to_string()
    };
    let embed = EmbedBuilder::new()
        .title(format!("🔊 {}", room.name))
        .description(tr!(tr, "voice-panel-description", owner = room.owner))
        .field(tr.t("voice-panel-locked"), yes_no(room.locked), true)
        .field(tr.t("voice-panel-hidden"), yes_no(room.hidden), true)
        .field(tr.t("voice-panel-limit"), limit, true)
        .color(COLOUR)
        .build();
    let lock = if room.locked {
        Button::success(tr.t("voice-button-unlock"), &PanelId::Lock { room: id }).emoji("🔓")
    } else {
        Button::secondary(tr.t("voice-button-lock"), &PanelId::Lock { room: id }).emoji("🔒")
    };
    let hide = if room.hidden {
        Button::success(tr.t("voice-button-show"), &PanelId::Hide { room: id }).emoji("👁️")
    } else {
        Button::secondary(tr.t("voice-button-hide"), &PanelId::Hide { room: id }).emoji("🙈")
    };
    Reply::default()
        .embed(embed)
        .buttons([
            lock,
            hide,
            Button::secondary(tr.t("voice-button-rename"), &PanelId::Rename { room: id })
                .emoji("✏️"),
            Button::secondary(tr.t("voice-button-limit"), &PanelId::Limit { room: id }).emoji("👥"),
            Button::primary(tr.t("voice-button-claim"), &PanelId::Claim { room: id }).emoji("👑"),
        ])
        .row([member_menu(
            tr,
            PanelId::Kick { room: id },
            "voice-menu-kick",
        )])
        .row([member_menu(
            tr,
            PanelId::Permit { room: id },
            "voice-menu-permit",
        )])
        .row([member_menu(
            tr,
            PanelId::Transfer { room: id },
            "voice-menu-transfer",
        )])
        .no_mentions()
}

fn member_menu(tr: Tr<'_>, id: PanelId, placeholder: &str) -> Component {
    Select::users(&id)
        .placeholder(tr.t(placeholder))
        .choices(1, 1)
        .into()
}

/// The rename form, prefilled with nothing (Discord shows the label).
#[must_use]
pub fn rename_form(tr: Tr<'_>, room: Id<ChannelMarker>) -> Modal {
    form(
        PanelId::RenameForm { room },
        tr.t("voice-rename-title"),
        tr.t("voice-rename-label"),
        1,
        MAX_NAME,
    )
}

/// The member-limit form.
#[must_use]
pub fn limit_form(tr: Tr<'_>, room: Id<ChannelMarker>) -> Modal {
    form(
        PanelId::LimitForm { room },
        tr.t("voice-limit-title"),
        tr.t("voice-limit-label"),
        1,
        2,
    )
}

/// The one text input of both forms is named `value`.
pub const FORM_FIELD: &str = "value";

fn form(id: PanelId, title: String, label: String, min: usize, max: usize) -> Modal {
    let components = serde_json::from_value(json!([{ "type": 1, "components": [{
        "type": 4, "custom_id": FORM_FIELD, "style": 1, "label": label,
        "required": true, "min_length": min, "max_length": max
    }]}]))
    .unwrap_or_default();
    Modal {
        custom_id: id.custom_id(),
        title,
        components,
    }
}
