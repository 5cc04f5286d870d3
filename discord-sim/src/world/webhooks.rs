//! Channel webhooks: created by the bot (Manage Webhooks), executed with their token by anyone
//! holding it. A webhook posts as its own user (its id and name), with `webhook_id` set.

use super::{UserRecord, World};
use crate::ApiError;
use serde_json::{json, Value};
use twilight_model::id::{
    marker::{ChannelMarker, WebhookMarker},
    Id,
};

/// Discord allows this many webhooks per channel.
pub(crate) const MAX_PER_CHANNEL: usize = 15;

/// A channel webhook.
#[derive(Clone, Debug)]
pub(crate) struct WebhookRecord {
    pub id: u64,
    pub token: String,
    pub channel_id: u64,
    pub guild_id: u64,
    pub name: String,
    /// Who created it.
    pub creator: u64,
}

impl World {
    /// Creates a webhook in `channel`, as `creator`. Permissions are the caller's to check.
    pub(crate) fn create_webhook(
        &mut self,
        channel: u64,
        name: &str,
        creator: u64,
    ) -> Result<u64, ApiError> {
        let guild = self
            .channel(channel)?
            .guild_id
            .ok_or_else(|| ApiError::new(400, 50003, "Cannot execute action on a DM channel"))?;
        if self
            .webhooks
            .values()
            .filter(|w| w.channel_id == channel)
            .count()
            >= MAX_PER_CHANNEL
        {
            return Err(ApiError::new(
                400,
                30007,
                "Maximum number of webhooks reached (15)",
            ));
        }
        let id = self.next_id();
        let token = format!("sim-webhook-token-{id}");
        self.users.insert(
            id,
            UserRecord {
                id,
                username: name.to_owned(),
                global_name: None,
                bot: true,
            },
        );
        self.webhooks.insert(
            id,
            WebhookRecord {
                id,
                token,
                channel_id: channel,
                guild_id: guild,
                name: name.to_owned(),
                creator,
            },
        );
        Ok(id)
    }

    /// A webhook as Discord returns it; `with_token` for its creator.
    pub(crate) fn webhook_json(&self, w: &WebhookRecord, with_token: bool) -> Value {
        let mut v = json!({
            "id": w.id.to_string(),
            "type": 1,
            "guild_id": w.guild_id.to_string(),
            "channel_id": w.channel_id.to_string(),
            "user": self.user_json(w.creator),
            "name": w.name,
            "avatar": null,
            "application_id": (w.creator == self.bot_user_id).then(|| self.app.id.to_string()),
        });
        if with_token {
            v["token"] = json!(w.token);
        }
        v
    }

    /// The webhook `id` if `token` is its token: Discord answers 401 Invalid Webhook Token to a
    /// wrong one (safe for clients: token routes carry no bot token).
    pub(crate) fn webhook_by_token(
        &self,
        id: u64,
        token: &str,
    ) -> Result<&WebhookRecord, ApiError> {
        let w = self
            .webhooks
            .get(&id)
            .ok_or_else(ApiError::unknown_webhook)?;
        if w.token != token {
            return Err(ApiError::new(401, 50027, "Invalid Webhook Token"));
        }
        Ok(w)
    }

    /// The webhooks of `channel`: (id, name).
    pub fn webhooks(&self, channel: Id<ChannelMarker>) -> Vec<(Id<WebhookMarker>, String)> {
        self.webhooks
            .values()
            .filter(|w| w.channel_id == channel.get())
            .map(|w| (Id::new(w.id), w.name.clone()))
            .collect()
    }

    /// Deletes a webhook, as a server member might in the channel's settings; whether it existed.
    pub fn delete_webhook(&mut self, id: Id<WebhookMarker>) -> bool {
        self.webhooks.remove(&id.get()).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::channel_kind;

    #[test]
    fn webhooks_are_per_channel_bounded_and_checked_by_token() {
        let mut w = World::demo();
        let ids = w.demo_ids().unwrap();
        let bot = w.bot_user_id;
        let id = w.create_webhook(ids.logs.get(), "Logs", bot).unwrap();
        assert_eq!(w.webhooks(ids.logs), [(Id::new(id), "Logs".to_owned())]);
        let json = w.webhook_json(&w.webhooks[&id], true);
        let parsed: twilight_model::channel::Webhook = serde_json::from_value(json).unwrap();
        assert_eq!(parsed.channel_id, Some(ids.logs));
        assert!(parsed.token.is_some());
        assert_eq!(w.webhook_by_token(id, "wrong").unwrap_err().code, 50027);
        assert!(w
            .webhook_by_token(id, &format!("sim-webhook-token-{id}"))
            .is_ok());
        for n in 1..MAX_PER_CHANNEL {
            w.create_webhook(ids.logs.get(), &format!("h{n}"), bot)
                .unwrap();
        }
        assert_eq!(
            w.create_webhook(ids.logs.get(), "one too many", bot)
                .unwrap_err()
                .code,
            30007
        );
        let voice = w.add_channel(ids.guild, "stage", channel_kind::GUILD_VOICE, None);
        assert!(w.create_webhook(voice.get(), "v", bot).is_ok());
        assert!(w.delete_webhook(Id::new(id)));
        assert_eq!(w.webhook_by_token(id, "x").unwrap_err().code, 10015);
    }
}
