//! Scripted users: what a test (or the sandbox console) does as a guild member — send
//! messages, run slash commands, click components, submit modals, react, join voice, join and
//! leave the guild. Each action changes the world and dispatches the gateway events Discord
//! would send to the bot.
//!
//! The plain methods panic on a script mistake (unknown channel, command not registered, no
//! such button): in a test that is the clearest failure. `try_*` variants return
//! [`ScriptError`] instead, for interactive use.

mod resolve;
mod screening;
mod voice;

use crate::interaction::{plain_modal_components, InteractionHandle};
use crate::world::{channel_kind, new_member, parse_emoji, InteractionRecord, MessageInput, World};
use crate::Simulator;
use resolve::{fill_options, find_component, resolve_id};
use serde_json::{json, Map, Value};
use std::sync::Arc;
use twilight_model::guild::Permissions;
use twilight_model::id::{
    marker::{ChannelMarker, GuildMarker, MessageMarker, UserMarker},
    Id,
};

/// A scripted action that cannot happen (unknown channel, missing permission, command not
/// registered, ...).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScriptError(pub String);

impl std::fmt::Display for ScriptError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "discord-sim script: {}", self.0)
    }
}

impl std::error::Error for ScriptError {}

fn err<T>(msg: impl Into<String>) -> Result<T, ScriptError> {
    Err(ScriptError(msg.into()))
}

fn or_panic<T>(r: Result<T, ScriptError>) -> T {
    r.unwrap_or_else(|e| panic!("{e}"))
}

impl Simulator {
    /// `as_user` posts `content` in `channel` (MESSAGE_CREATE to the bot).
    ///
    /// # Panics
    ///
    /// If the channel does not exist or the user cannot post there.
    pub async fn send_message(
        &self,
        as_user: Id<UserMarker>,
        channel: Id<ChannelMarker>,
        content: &str,
    ) -> Id<MessageMarker> {
        or_panic(self.try_send_message(as_user, channel, content))
    }

    pub fn try_send_message(
        &self,
        as_user: Id<UserMarker>,
        channel: Id<ChannelMarker>,
        content: &str,
    ) -> Result<Id<MessageMarker>, ScriptError> {
        self.shared.with_world(|w| {
            let c = w
                .channel(channel.get())
                .map_err(|e| ScriptError(e.to_string()))?;
            if c.guild_id.is_some() {
                let perms = w.channel_permissions(channel.get(), as_user.get());
                let needed = (Permissions::VIEW_CHANNEL | Permissions::SEND_MESSAGES).bits();
                if perms & needed != needed {
                    return err(format!("user {as_user} may not post in channel {channel}"));
                }
            }
            let input = MessageInput {
                content: content.to_owned(),
                ..MessageInput::default()
            };
            w.create_message(channel.get(), as_user.get(), input)
                .map(Id::new)
                .map_err(|e| ScriptError(e.to_string()))
        })
    }

    /// `as_user` sends the bot a direct message.
    pub async fn send_dm(&self, as_user: Id<UserMarker>, content: &str) -> Id<MessageMarker> {
        let channel = or_panic(self.shared.with_world(|w| {
            w.dm_channel(as_user.get())
                .map_err(|e| ScriptError(e.to_string()))
        }));
        self.send_message(as_user, Id::new(channel), content).await
    }

    /// `as_user` edits their own message (MESSAGE_UPDATE).
    pub async fn edit_message_as(
        &self,
        as_user: Id<UserMarker>,
        message: Id<MessageMarker>,
        content: &str,
    ) {
        or_panic(self.shared.with_world(|w| {
            let channel = *w
                .message_channel
                .get(&message.get())
                .ok_or_else(|| ScriptError(format!("unknown message {message}")))?;
            if w.message(channel, message.get())
                .map_err(|e| ScriptError(e.to_string()))?
                .author_id
                != as_user.get()
            {
                return err("users can only edit their own messages");
            }
            w.edit_message(
                channel,
                message.get(),
                &json!({ "content": content }),
                Vec::new(),
            )
            .map_err(|e| ScriptError(e.to_string()))
        }));
    }

    /// `as_user` deletes a message (their own, or any with MANAGE_MESSAGES) (MESSAGE_DELETE).
    pub async fn delete_message_as(&self, as_user: Id<UserMarker>, message: Id<MessageMarker>) {
        or_panic(self.shared.with_world(|w| {
            let channel = *w
                .message_channel
                .get(&message.get())
                .ok_or_else(|| ScriptError(format!("unknown message {message}")))?;
            let m = w
                .message(channel, message.get())
                .map_err(|e| ScriptError(e.to_string()))?;
            let perms = w.channel_permissions(channel, as_user.get());
            if m.author_id != as_user.get() && perms & Permissions::MANAGE_MESSAGES.bits() == 0 {
                return err("user may not delete this message");
            }
            w.delete_message(channel, message.get())
                .map_err(|e| ScriptError(e.to_string()))
        }));
    }

    /// `as_user` runs `/name` in `channel` (INTERACTION_CREATE type 2). `options` is Discord's
    /// options array; `type` may be left out (it is taken from the registered command), and
    /// user/channel/role values are resolved like Discord does.
    ///
    /// # Panics
    ///
    /// If the command is not registered (globally or for the guild) or the channel is unknown.
    pub async fn run_slash_command(
        &self,
        as_user: Id<UserMarker>,
        channel: Id<ChannelMarker>,
        name: &str,
        options: Value,
    ) -> InteractionHandle {
        or_panic(self.try_run_slash_command(as_user, channel, name, options))
    }

    pub fn try_run_slash_command(
        &self,
        as_user: Id<UserMarker>,
        channel: Id<ChannelMarker>,
        name: &str,
        options: Value,
    ) -> Result<InteractionHandle, ScriptError> {
        self.command_interaction(2, as_user, channel, name, options)
    }

    /// `as_user` types into an autocomplete option (INTERACTION_CREATE type 4). Mark the
    /// option being typed with `"focused": true`.
    pub async fn autocomplete(
        &self,
        as_user: Id<UserMarker>,
        channel: Id<ChannelMarker>,
        name: &str,
        options: Value,
    ) -> InteractionHandle {
        or_panic(self.command_interaction(4, as_user, channel, name, options))
    }

    fn command_interaction(
        &self,
        kind: u8,
        as_user: Id<UserMarker>,
        channel: Id<ChannelMarker>,
        name: &str,
        options: Value,
    ) -> Result<InteractionHandle, ScriptError> {
        self.shared.with_world(|w| {
            let guild = w.channel(channel.get()).map_err(|e| ScriptError(e.to_string()))?.guild_id;
            let command = w
                .commands
                .by_name(guild, name, 1)
                .cloned()
                .ok_or_else(|| ScriptError(format!("slash command /{name} is not registered (globally or for the guild)")))?;
            let mut resolved = Map::new();
            let options = fill_options(w, guild, &options, command.body.get("options"), &mut resolved)?;
            let mut data = json!({ "id": command.id.to_string(), "name": name, "type": 1, "options": options });
            if let Some(g) = command.guild_id {
                data["guild_id"] = json!(g.to_string());
            }
            if !resolved.is_empty() {
                data["resolved"] = Value::Object(resolved);
            }
            self.new_interaction(w, kind, as_user.get(), channel.get(), data, None)
        })
    }

    /// `as_user` clicks the button `custom_id` on `message` (INTERACTION_CREATE type 3).
    ///
    /// # Panics
    ///
    /// If the message has no such (enabled) button.
    pub async fn click_button(
        &self,
        as_user: Id<UserMarker>,
        message: Id<MessageMarker>,
        custom_id: &str,
    ) -> InteractionHandle {
        or_panic(self.try_click_button(as_user, message, custom_id))
    }

    pub fn try_click_button(
        &self,
        as_user: Id<UserMarker>,
        message: Id<MessageMarker>,
        custom_id: &str,
    ) -> Result<InteractionHandle, ScriptError> {
        self.component_interaction(as_user, message, custom_id, &[])
    }

    /// `as_user` picks `values` in the select menu `custom_id` on `message`.
    pub async fn select_menu(
        &self,
        as_user: Id<UserMarker>,
        message: Id<MessageMarker>,
        custom_id: &str,
        values: &[&str],
    ) -> InteractionHandle {
        or_panic(self.component_interaction(as_user, message, custom_id, values))
    }

    fn component_interaction(
        &self,
        as_user: Id<UserMarker>,
        message: Id<MessageMarker>,
        custom_id: &str,
        values: &[&str],
    ) -> Result<InteractionHandle, ScriptError> {
        self.shared.with_world(|w| {
            let channel = *w
                .message_channel
                .get(&message.get())
                .ok_or_else(|| ScriptError(format!("unknown message {message}")))?;
            let m = w
                .message(channel, message.get())
                .map_err(|e| ScriptError(e.to_string()))?;
            let component = find_component(&m.components, custom_id)
                .ok_or_else(|| {
                    ScriptError(format!(
                        "message {message} has no component with custom_id {custom_id:?}"
                    ))
                })?
                .clone();
            if component.get("disabled").and_then(Value::as_bool) == Some(true) {
                return err(format!("component {custom_id:?} is disabled"));
            }
            let component_type = component.get("type").and_then(Value::as_u64).unwrap_or(2);
            let mut data = json!({ "custom_id": custom_id, "component_type": component_type });
            if component_type != 2 {
                if component_type == 3 {
                    let allowed: Vec<&str> = component["options"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|o| o["value"].as_str())
                        .collect();
                    if let Some(bad) = values.iter().find(|v| !allowed.contains(v)) {
                        return err(format!("select {custom_id:?} has no option {bad:?}"));
                    }
                }
                data["values"] = json!(values);
                let mut resolved = Map::new();
                for v in values {
                    let Ok(id) = v.parse::<u64>() else { continue };
                    resolve_id(w, m.guild_id, id, component_type, &mut resolved);
                }
                if !resolved.is_empty() {
                    data["resolved"] = Value::Object(resolved);
                }
            }
            self.new_interaction(w, 3, as_user.get(), channel, data, Some(message.get()))
        })
    }

    /// `as_user` submits a modal `custom_id` with text inputs `fields` (custom_id, value),
    /// without a bot-sent modal. Prefer [`InteractionHandle::submit_modal`], which mirrors the
    /// modal the bot showed.
    pub async fn submit_modal(
        &self,
        as_user: Id<UserMarker>,
        channel: Id<ChannelMarker>,
        custom_id: &str,
        fields: &[(&str, &str)],
    ) -> InteractionHandle {
        or_panic(self.try_modal_submit(as_user, channel, custom_id, plain_modal_components(fields)))
    }

    pub(crate) fn try_modal_submit(
        &self,
        as_user: Id<UserMarker>,
        channel: Id<ChannelMarker>,
        custom_id: &str,
        components: Value,
    ) -> Result<InteractionHandle, ScriptError> {
        self.shared.with_world(|w| {
            let data = json!({ "custom_id": custom_id, "components": components });
            self.new_interaction(w, 5, as_user.get(), channel.get(), data, None)
        })
    }

    /// `as_user` sends an interaction of type `kind` (2 command, 3 component, 4 autocomplete,
    /// 5 modal submit) in `channel` with `data` exactly as given, unchecked: for testing what a
    /// bot does with an interaction it cannot read (a shape newer than its Discord library).
    /// The envelope (member, guild, token) and the callback's validation are as for any other.
    pub fn try_raw_interaction(
        &self,
        kind: u8,
        as_user: Id<UserMarker>,
        channel: Id<ChannelMarker>,
        data: Value,
    ) -> Result<InteractionHandle, ScriptError> {
        if !(2..=5).contains(&kind) {
            return err(format!(
                "interaction type {kind} is not one Discord sends over the gateway (2 to 5)"
            ));
        }
        self.shared
            .with_world(|w| self.new_interaction(w, kind, as_user.get(), channel.get(), data, None))
    }

    /// `as_user` reacts to `message` with `emoji` (`"👍"` or `"name:id"`).
    pub async fn add_reaction(
        &self,
        as_user: Id<UserMarker>,
        message: Id<MessageMarker>,
        emoji: &str,
    ) {
        or_panic(self.shared.with_world(|w| {
            let channel = *w
                .message_channel
                .get(&message.get())
                .ok_or_else(|| ScriptError(format!("unknown message {message}")))?;
            w.add_reaction(channel, message.get(), as_user.get(), parse_emoji(emoji))
                .map_err(|e| ScriptError(e.to_string()))
        }));
    }

    /// `as_user` removes their reaction.
    pub async fn remove_reaction(
        &self,
        as_user: Id<UserMarker>,
        message: Id<MessageMarker>,
        emoji: &str,
    ) {
        or_panic(self.shared.with_world(|w| {
            let channel = *w
                .message_channel
                .get(&message.get())
                .ok_or_else(|| ScriptError(format!("unknown message {message}")))?;
            w.remove_reaction(channel, message.get(), as_user.get(), &parse_emoji(emoji))
                .map_err(|e| ScriptError(e.to_string()))
        }));
    }

    /// Deletes `messages` of `channel` at once (MESSAGE_DELETE_BULK), as another bot's purge
    /// does. Unknown ids are skipped, like Discord's event lists only what was deleted.
    pub async fn bulk_delete_messages(
        &self,
        channel: Id<ChannelMarker>,
        messages: &[Id<MessageMarker>],
    ) {
        or_panic(self.shared.with_world(|w| {
            w.channel(channel.get())
                .map_err(|e| ScriptError(e.to_string()))?;
            let ids: Vec<u64> = messages.iter().map(|m| m.get()).collect();
            w.bulk_delete(channel.get(), &ids);
            Ok(())
        }));
    }

    /// `as_user` connects to a voice channel (VOICE_STATE_UPDATE).
    pub async fn join_voice(&self, as_user: Id<UserMarker>, channel: Id<ChannelMarker>) {
        or_panic(self.shared.with_world(|w| {
            let c = w
                .channel(channel.get())
                .map_err(|e| ScriptError(e.to_string()))?;
            let (Some(guild), channel_kind::GUILD_VOICE) = (c.guild_id, c.kind) else {
                return err(format!("channel {channel} is not a voice channel"));
            };
            w.voice_update(guild, as_user.get(), Some(channel.get()))
                .map_err(|e| ScriptError(e.to_string()))
        }));
    }

    /// `as_user` disconnects from voice in `guild`.
    pub async fn leave_voice(&self, as_user: Id<UserMarker>, guild: Id<GuildMarker>) {
        or_panic(self.shared.with_world(|w| {
            w.voice_update(guild.get(), as_user.get(), None)
                .map_err(|e| ScriptError(e.to_string()))
        }));
    }

    /// `user`'s Discord client speaks `locale` (`fr`, `en-US`, …): their interactions carry it
    /// from now on.
    pub fn set_user_locale(&self, user: Id<UserMarker>, locale: &str) {
        let locale = locale.to_owned();
        or_panic(self.shared.with_world(|w| {
            w.user_locales.insert(user.get(), locale);
            Ok(())
        }));
    }

    /// `guild`'s preferred locale becomes `locale`: its interactions (`guild_locale`) and the
    /// guild objects sent from now on carry it.
    pub fn set_guild_locale(&self, guild: Id<GuildMarker>, locale: &str) {
        let locale = locale.to_owned();
        or_panic(self.shared.with_world(|w| {
            w.guild_locales.insert(guild.get(), locale);
            Ok(())
        }));
    }

    /// A new user `name` joins `guild` (GUILD_MEMBER_ADD); returns their id.
    pub async fn member_join(&self, guild: Id<GuildMarker>, name: &str) -> Id<UserMarker> {
        or_panic(self.shared.with_world(|w| {
            let id = w.next_id();
            w.users.insert(
                id,
                crate::world::UserRecord {
                    id,
                    username: name.to_owned(),
                    global_name: Some(name.to_owned()),
                    bot: false,
                },
            );
            w.member_join(guild.get(), new_member(id))
                .map_err(|e| ScriptError(e.to_string()))?;
            Ok(Id::new(id))
        }))
    }

    /// An existing user (re)joins `guild`. Banned users cannot.
    pub async fn member_rejoin(&self, guild: Id<GuildMarker>, user: Id<UserMarker>) {
        or_panic(self.shared.with_world(|w| {
            let g = w
                .guild(guild.get())
                .map_err(|e| ScriptError(e.to_string()))?;
            if g.bans.contains_key(&user.get()) {
                return err(format!("user {user} is banned from guild {guild}"));
            }
            if g.members.contains_key(&user.get()) {
                return err(format!("user {user} is already a member"));
            }
            w.member_join(guild.get(), new_member(user.get()))
                .map_err(|e| ScriptError(e.to_string()))
        }));
    }

    /// `user` leaves `guild` (GUILD_MEMBER_REMOVE).
    pub async fn member_leave(&self, guild: Id<GuildMarker>, user: Id<UserMarker>) {
        or_panic(self.shared.with_world(|w| {
            w.member_leave(guild.get(), user.get())
                .map_err(|e| ScriptError(e.to_string()))
        }));
    }

    /// Records an interaction and dispatches INTERACTION_CREATE.
    fn new_interaction(
        &self,
        w: &mut World,
        kind: u8,
        user: u64,
        channel: u64,
        data: Value,
        message: Option<u64>,
    ) -> Result<InteractionHandle, ScriptError> {
        let c = w
            .channel(channel)
            .map_err(|e| ScriptError(e.to_string()))?
            .clone();
        let id = w.next_id();
        let token = format!("sim-interaction-token-{id}");
        let mut payload = json!({
            "id": id.to_string(),
            "application_id": w.app.id.to_string(),
            "type": kind,
            "data": data,
            "token": token,
            "version": 1,
            "channel_id": channel.to_string(),
            "channel": w.channel_json(&c),
            "locale": w.user_locale(user),
            "entitlements": [],
            "attachment_size_limit": 10_485_760,
            "app_permissions": w.channel_permissions(channel, w.bot_user_id).to_string(),
        });
        match c.guild_id {
            Some(g) => {
                let m = w.member(g, user).map_err(|_| {
                    ScriptError(format!("user {user} is not a member of guild {g}"))
                })?;
                let mut member = w.member_json(m, true);
                member["permissions"] = json!(w.channel_permissions(channel, user).to_string());
                payload["guild_id"] = json!(g.to_string());
                let guild_locale = w.guild_locale(g);
                payload["guild"] =
                    json!({ "id": g.to_string(), "locale": guild_locale, "features": [] });
                payload["guild_locale"] = json!(guild_locale);
                payload["member"] = member;
                payload["context"] = json!(0);
                payload["authorizing_integration_owners"] = json!({ "0": g.to_string() });
            }
            None => {
                payload["user"] = w.user_json(user);
                payload["context"] = json!(1);
                payload["authorizing_integration_owners"] = json!({ "0": "0" });
            }
        }
        if let Some(m) = message.and_then(|m| w.message(channel, m).ok()) {
            payload["message"] = w.message_json(m);
        }
        w.interactions.insert(
            id,
            InteractionRecord {
                id,
                token,
                kind,
                guild_id: c.guild_id,
                channel_id: channel,
                user_id: user,
                message_id: message,
                callback: None,
                original_message: None,
                followups: Vec::new(),
            },
        );
        w.emit(c.guild_id, "INTERACTION_CREATE", payload, 0);
        Ok(InteractionHandle {
            shared: Arc::clone(&self.shared),
            id,
            user,
            channel,
        })
    }
}
