//! Builders for what a [`Reply`](crate::Reply) carries, so a module never writes Discord JSON:
//! [`Button`], [`Select`], [`EmbedBuilder`], [`row`], and [`IntoCustomId`] (a derived
//! [`CustomId`] or plain text).
//!
//! ```
//! use arsenal_plugin_api::builder::{Button, EmbedBuilder, Select};
//! use arsenal_plugin_api::prelude::*;
//!
//! #[derive(CustomId)]
//! enum Ticket {
//!     Close { ticket: u64 },
//!     Topic { ticket: u64 },
//! }
//!
//! let reply = Reply::text("Ticket #42")
//!     .embed(EmbedBuilder::new().title("Ticket #42").color(0x5865F2).field("Opened by", "<@1>", true).build())
//!     .buttons([
//!         Button::danger("Close", &Ticket::Close { ticket: 42 }),
//!         Button::link("Rules", "https://example.com/rules"),
//!     ])
//!     .row([Select::new(&Ticket::Topic { ticket: 42 }).option("Billing", "billing").option("Bug", "bug").into()])
//!     .no_mentions()
//!     .ephemeral();
//! assert_eq!(reply.components.len(), 2);
//! ```

use twilight_model::{
    channel::message::{
        component::{ActionRow, ButtonStyle, SelectMenuOption, SelectMenuType},
        embed::{EmbedField, EmbedFooter},
        Component, Embed, EmojiReactionType,
    },
    channel::ChannelType,
};

use crate::component::CustomId;

/// What can be a component's `custom_id`: a derived [`CustomId`] (`&Ticket::Close { ticket }`)
/// or text you spell yourself.
pub trait IntoCustomId {
    /// The id, without the host's `<module>:` prefix.
    fn into_custom_id(self) -> String;
}

impl<T: CustomId> IntoCustomId for &T {
    fn into_custom_id(self) -> String {
        self.custom_id()
    }
}

impl IntoCustomId for &str {
    fn into_custom_id(self) -> String {
        self.to_owned()
    }
}

impl IntoCustomId for String {
    fn into_custom_id(self) -> String {
        self
    }
}

/// An action row holding `components` (up to 5 buttons, or one select menu).
pub fn row(components: impl IntoIterator<Item = Component>) -> Component {
    Component::ActionRow(ActionRow {
        components: components.into_iter().collect(),
        id: None,
    })
}

/// A button.
#[derive(Debug, Clone, PartialEq)]
pub struct Button(twilight_model::channel::message::component::Button);

impl Button {
    #[inline(never)]
    fn styled(
        style: ButtonStyle,
        label: String,
        custom_id: Option<String>,
        url: Option<String>,
    ) -> Self {
        Self(twilight_model::channel::message::component::Button {
            custom_id,
            disabled: false,
            emoji: None,
            id: None,
            label: Some(label),
            sku_id: None,
            style,
            url,
        })
    }

    /// A blurple button.
    pub fn primary(label: impl Into<String>, id: impl IntoCustomId) -> Self {
        Self::styled(
            ButtonStyle::Primary,
            label.into(),
            Some(id.into_custom_id()),
            None,
        )
    }

    /// A grey button.
    pub fn secondary(label: impl Into<String>, id: impl IntoCustomId) -> Self {
        Self::styled(
            ButtonStyle::Secondary,
            label.into(),
            Some(id.into_custom_id()),
            None,
        )
    }

    /// A green button.
    pub fn success(label: impl Into<String>, id: impl IntoCustomId) -> Self {
        Self::styled(
            ButtonStyle::Success,
            label.into(),
            Some(id.into_custom_id()),
            None,
        )
    }

    /// A red button.
    pub fn danger(label: impl Into<String>, id: impl IntoCustomId) -> Self {
        Self::styled(
            ButtonStyle::Danger,
            label.into(),
            Some(id.into_custom_id()),
            None,
        )
    }

    /// A button that opens `url` (no interaction reaches the plugin).
    pub fn link(label: impl Into<String>, url: impl Into<String>) -> Self {
        Self::styled(ButtonStyle::Link, label.into(), None, Some(url.into()))
    }

    /// Greyed out.
    #[must_use]
    pub fn disabled(mut self) -> Self {
        self.0.disabled = true;
        self
    }

    /// A Unicode emoji before the label.
    #[must_use]
    pub fn emoji(mut self, emoji: impl Into<String>) -> Self {
        self.0.emoji = Some(EmojiReactionType::Unicode { name: emoji.into() });
        self
    }
}

impl From<Button> for Component {
    fn from(button: Button) -> Self {
        Self::Button(button.0)
    }
}

/// A select menu: of your own options ([`Select::new`]), or of users, roles or channels.
#[derive(Debug, Clone, PartialEq)]
pub struct Select(twilight_model::channel::message::component::SelectMenu);

impl Select {
    #[inline(never)]
    fn of(kind: SelectMenuType, custom_id: String) -> Self {
        #[allow(deprecated)]
        Self(twilight_model::channel::message::component::SelectMenu {
            channel_types: None,
            custom_id,
            default_values: None,
            disabled: false,
            id: None,
            kind,
            max_values: None,
            min_values: None,
            options: (kind == SelectMenuType::Text).then(Vec::new),
            placeholder: None,
            required: None,
        })
    }

    /// A menu of text options (add them with [`Select::option`], up to 25).
    pub fn new(id: impl IntoCustomId) -> Self {
        Self::of(SelectMenuType::Text, id.into_custom_id())
    }

    /// A menu of the server's members.
    pub fn users(id: impl IntoCustomId) -> Self {
        Self::of(SelectMenuType::User, id.into_custom_id())
    }

    /// A menu of the server's roles.
    pub fn roles(id: impl IntoCustomId) -> Self {
        Self::of(SelectMenuType::Role, id.into_custom_id())
    }

    /// A menu of the server's channels of these types (all when empty).
    pub fn channels(id: impl IntoCustomId, types: &[ChannelType]) -> Self {
        let mut select = Self::of(SelectMenuType::Channel, id.into_custom_id());
        select.0.channel_types = (!types.is_empty()).then(|| types.to_vec());
        select
    }

    /// Adds an option: shown `label`, received `value` (in [`crate::protocol::ComponentInvocation::values`]).
    #[must_use]
    pub fn option(self, label: impl Into<String>, value: impl Into<String>) -> Self {
        self.push_option(label.into(), value.into(), None)
    }

    /// Adds an option with a grey description under it.
    #[must_use]
    pub fn described(
        self,
        label: impl Into<String>,
        value: impl Into<String>,
        description: impl Into<String>,
    ) -> Self {
        self.push_option(label.into(), value.into(), Some(description.into()))
    }

    #[inline(never)]
    fn push_option(mut self, label: String, value: String, description: Option<String>) -> Self {
        self.0
            .options
            .get_or_insert_with(Vec::new)
            .push(SelectMenuOption {
                default: false,
                description,
                emoji: None,
                label,
                value,
            });
        self
    }

    /// Grey text shown before a choice.
    #[must_use]
    pub fn placeholder(mut self, text: impl Into<String>) -> Self {
        self.0.placeholder = Some(text.into());
        self
    }

    /// How many choices the user makes (Discord: 0 to 25).
    #[must_use]
    pub fn choices(mut self, min: u8, max: u8) -> Self {
        self.0.min_values = Some(min);
        self.0.max_values = Some(max);
        self
    }
}

impl From<Select> for Component {
    fn from(select: Select) -> Self {
        Self::SelectMenu(select.0)
    }
}

/// An embed.
#[derive(Debug, Clone, PartialEq)]
pub struct EmbedBuilder(Embed);

impl Default for EmbedBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl EmbedBuilder {
    /// An empty rich embed.
    #[must_use]
    #[inline(never)]
    pub fn new() -> Self {
        Self(Embed {
            author: None,
            color: None,
            description: None,
            fields: Vec::new(),
            flags: None,
            footer: None,
            image: None,
            kind: "rich".to_owned(),
            provider: None,
            thumbnail: None,
            timestamp: None,
            title: None,
            url: None,
            video: None,
        })
    }

    /// The title (up to 256 characters).
    #[must_use]
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.0.title = Some(title.into());
        self
    }

    /// The body (up to 4096 characters).
    #[must_use]
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.0.description = Some(text.into());
        self
    }

    /// The side colour, as `0xRRGGBB`.
    #[must_use]
    pub fn color(mut self, rgb: u32) -> Self {
        self.0.color = Some(rgb);
        self
    }

    /// Where the title links to.
    #[must_use]
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.0.url = Some(url.into());
        self
    }

    /// A field (up to 25); `inline` ones sit side by side.
    #[must_use]
    pub fn field(
        mut self,
        name: impl Into<String>,
        value: impl Into<String>,
        inline: bool,
    ) -> Self {
        self.0.fields.push(EmbedField {
            inline,
            name: name.into(),
            value: value.into(),
        });
        self
    }

    /// The large image, by URL: `attachment://<name>` shows a file sent with the message
    /// ([`crate::protocol::ReplyFile`]).
    #[must_use]
    pub fn image(mut self, url: impl Into<String>) -> Self {
        self.0.image = Some(twilight_model::channel::message::embed::EmbedImage {
            height: None,
            proxy_url: None,
            url: url.into(),
            width: None,
            content_type: None,
            placeholder: None,
            placeholder_version: None,
            flags: None,
        });
        self
    }

    /// Small text at the bottom.
    #[must_use]
    pub fn footer(mut self, text: impl Into<String>) -> Self {
        self.0.footer = Some(EmbedFooter {
            icon_url: None,
            proxy_icon_url: None,
            text: text.into(),
        });
        self
    }

    /// The embed.
    #[must_use]
    pub fn build(self) -> Embed {
        self.0
    }
}

impl From<EmbedBuilder> for Embed {
    fn from(builder: EmbedBuilder) -> Self {
        builder.0
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::Reply;

    #[test]
    fn builders_give_the_json_discord_expects() {
        let reply = Reply::text("pick")
            .row([Select::new("topic")
                .placeholder("Topic")
                .described("Bug", "bug", "Something broke")
                .choices(1, 1)
                .into()])
            .buttons([
                Button::success("Yes", "yes").emoji("✅").disabled(),
                Button::link("Docs", "https://example.com"),
            ])
            .embed(
                EmbedBuilder::new()
                    .title("T")
                    .color(0xFF0000)
                    .footer("f")
                    .build(),
            )
            .no_mentions();
        let json = serde_json::to_value(&reply).unwrap();
        let menu = &json["components"][0]["components"][0];
        assert_eq!(menu["type"], 3);
        assert_eq!(menu["custom_id"], "topic");
        assert_eq!(menu["options"][0]["value"], "bug");
        assert_eq!(menu["options"][0]["description"], "Something broke");
        assert_eq!(menu["min_values"], 1);
        let yes = &json["components"][1]["components"][0];
        assert_eq!(
            (yes["type"].clone(), yes["style"].clone()),
            (json!(2), json!(3))
        );
        assert_eq!(yes["disabled"], true);
        assert_eq!(yes["emoji"]["name"], "✅");
        let link = &json["components"][1]["components"][1];
        assert_eq!(link["style"], 5);
        assert_eq!(link["url"], "https://example.com");
        assert!(link.get("custom_id").is_none());
        assert_eq!(json["embeds"][0]["color"], 0xFF_0000);
        assert_eq!(json["embeds"][0]["footer"]["text"], "f");
        assert_eq!(json["allowed_mentions"]["parse"], json!([]));
        // A reply without a mention policy keeps the old wire shape.
        let plain = serde_json::to_value(Reply::text("hi")).unwrap();
        assert!(plain.get("allowed_mentions").is_none());
    }

    #[test]
    fn mention_only_pings_just_those_users() {
        let reply = Reply::text("<@1> <@2>").mention_only([twilight_model::id::Id::new(1)]);
        let mentions = *reply.allowed_mentions.unwrap_or_default();
        assert_eq!(mentions.users, vec![twilight_model::id::Id::new(1)]);
        assert!(mentions.parse.is_empty());
    }
}
