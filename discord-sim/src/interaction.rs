//! Interactions as a test sees them: creating the INTERACTION_CREATE payload for a scripted
//! user, and an [`InteractionHandle`] to await what the bot answered.

use crate::world::{InteractionRecord, World};
use crate::{lock, Shared};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;
use twilight_model::channel::Message;
use twilight_model::id::{
    marker::{ChannelMarker, InteractionMarker, MessageMarker, UserMarker},
    Id,
};

/// What the bot did with one interaction, as it stands now.
#[derive(Clone, Debug)]
pub struct InteractionOutcome {
    /// Callback type: 4 message, 5 deferred message, 6 deferred update, 7 update message,
    /// 8 autocomplete result, 9 modal.
    pub callback_type: u8,
    /// The callback's `data` as the bot sent it (choices for 8, the modal for 9, ...).
    pub data: Option<Value>,
    /// The response message (`@original`) after any edits: for 4/5 the new message, for 6/7
    /// the component's message.
    pub message: Option<Message>,
    /// Follow-up messages, in order.
    pub followups: Vec<Message>,
}

impl InteractionOutcome {
    /// Content of the response message, or of the callback data when there is no message.
    pub fn content(&self) -> Option<String> {
        self.message
            .as_ref()
            .map(|m| m.content.clone())
            .or_else(|| {
                self.data
                    .as_ref()?
                    .get("content")?
                    .as_str()
                    .map(str::to_owned)
            })
    }

    /// Whether the response was sent with the EPHEMERAL flag.
    pub fn is_ephemeral(&self) -> bool {
        let flags = self
            .data
            .as_ref()
            .and_then(|d| d.get("flags"))
            .and_then(Value::as_u64)
            .unwrap_or(0);
        flags & 64 != 0
    }
}

/// A scripted interaction: await the bot's answer, then continue the conversation.
#[derive(Clone)]
pub struct InteractionHandle {
    pub(crate) shared: Arc<Shared>,
    pub(crate) id: u64,
    pub(crate) user: u64,
    pub(crate) channel: u64,
}

impl std::fmt::Debug for InteractionHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InteractionHandle")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

pub(crate) fn outcome(w: &World, rec: &InteractionRecord) -> Option<InteractionOutcome> {
    let callback = rec.callback.as_ref()?;
    let message = rec
        .original_message
        .and_then(|m| w.find_message(Id::new(m)));
    Some(InteractionOutcome {
        callback_type: callback.get("type").and_then(Value::as_u64).unwrap_or(0) as u8,
        data: callback.get("data").cloned(),
        message,
        followups: rec
            .followups
            .iter()
            .filter_map(|m| w.find_message(Id::new(*m)))
            .collect(),
    })
}

impl InteractionHandle {
    pub fn id(&self) -> Id<InteractionMarker> {
        Id::new(self.id)
    }

    /// The interaction token (what the bot answers with).
    pub fn token(&self) -> String {
        lock(&self.shared.world)
            .interactions
            .get(&self.id)
            .map(|i| i.token.clone())
            .unwrap_or_default()
    }

    pub fn user(&self) -> Id<UserMarker> {
        Id::new(self.user)
    }

    pub fn channel(&self) -> Id<ChannelMarker> {
        Id::new(self.channel)
    }

    /// The outcome so far; `None` until the bot has called back.
    pub fn snapshot(&self) -> Option<InteractionOutcome> {
        let w = lock(&self.shared.world);
        outcome(&w, w.interactions.get(&self.id)?)
    }

    /// Waits for the bot's callback (any type). `None` on timeout.
    pub async fn response(&self, timeout: Duration) -> Option<InteractionOutcome> {
        self.wait_until(timeout, |_| true).await
    }

    /// Waits until the outcome satisfies `done` (e.g. a deferred response was edited, or a
    /// follow-up arrived). `None` on timeout.
    pub async fn wait_until(
        &self,
        timeout: Duration,
        mut done: impl FnMut(&InteractionOutcome) -> bool,
    ) -> Option<InteractionOutcome> {
        self.shared
            .wait_for(timeout, |w| {
                let o = outcome(w, w.interactions.get(&self.id)?)?;
                done(&o).then_some(o)
            })
            .await
    }

    /// Waits for follow-up number `n` (0-based).
    pub async fn followup(&self, n: usize, timeout: Duration) -> Option<Message> {
        self.wait_until(timeout, |o| o.followups.len() > n)
            .await
            .and_then(|o| o.followups.get(n).cloned())
    }

    /// The response message id, once there is one.
    pub fn message_id(&self) -> Option<Id<MessageMarker>> {
        lock(&self.shared.world)
            .interactions
            .get(&self.id)?
            .original_message
            .map(Id::new)
    }

    /// Submits the modal the bot answered with (callback type 9), filling text inputs by
    /// `custom_id`. Inputs not listed are submitted empty.
    ///
    /// # Panics
    ///
    /// If the bot did not answer with a modal.
    pub async fn submit_modal(&self, fields: &[(&str, &str)]) -> InteractionHandle {
        let modal = self
            .snapshot()
            .filter(|o| o.callback_type == 9)
            .and_then(|o| o.data)
            .unwrap_or_else(|| panic!("interaction {} was not answered with a modal", self.id));
        let sim = crate::Simulator {
            shared: Arc::clone(&self.shared),
        };
        let custom_id = modal
            .get("custom_id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let mut next_id = 0;
        let components = fill_modal(
            modal.get("components").unwrap_or(&Value::Null),
            fields,
            &mut next_id,
        );
        sim.try_modal_submit(
            Id::new(self.user),
            Id::new(self.channel),
            &custom_id,
            components,
        )
        .unwrap_or_else(|e| panic!("{e}"))
    }

    /// Clicks a button on this interaction's response message.
    ///
    /// # Panics
    ///
    /// If there is no response message or no such button.
    pub async fn click_button(&self, custom_id: &str) -> InteractionHandle {
        let message = self
            .message_id()
            .unwrap_or_else(|| panic!("interaction {} has no response message", self.id));
        let sim = crate::Simulator {
            shared: Arc::clone(&self.shared),
        };
        sim.try_click_button(Id::new(self.user), message, custom_id)
            .unwrap_or_else(|e| panic!("{e}"))
    }
}

/// The submitted form of a modal: same layout, text inputs carrying values.
fn fill_modal(components: &Value, fields: &[(&str, &str)], next_id: &mut i32) -> Value {
    let Some(list) = components.as_array() else {
        return json!([]);
    };
    Value::Array(
        list.iter()
            .filter_map(|c| fill_component(c, fields, next_id))
            .collect(),
    )
}

fn fill_component(c: &Value, fields: &[(&str, &str)], next_id: &mut i32) -> Option<Value> {
    *next_id += 1;
    let id = c
        .get("id")
        .and_then(Value::as_i64)
        .unwrap_or(i64::from(*next_id));
    match c.get("type").and_then(Value::as_u64)? {
        1 => Some(
            json!({ "type": 1, "id": id, "components": fill_modal(c.get("components")?, fields, next_id) }),
        ),
        18 => Some(
            json!({ "type": 18, "id": id, "component": fill_component(c.get("component")?, fields, next_id)? }),
        ),
        4 => {
            let custom_id = c.get("custom_id")?.as_str()?;
            let value = fields
                .iter()
                .find(|(k, _)| *k == custom_id)
                .map_or("", |(_, v)| *v);
            Some(json!({ "type": 4, "id": id, "custom_id": custom_id, "value": value }))
        }
        10 => Some(json!({ "type": 10, "id": id })),
        _ => None,
    }
}

/// Text inputs in action rows, for a modal submitted without a bot-sent modal.
pub(crate) fn plain_modal_components(fields: &[(&str, &str)]) -> Value {
    Value::Array(
        fields
            .iter()
            .enumerate()
            .map(|(i, (k, v))| {
                let i = i as i64 * 2;
                json!({ "type": 1, "id": i + 1, "components": [{ "type": 4, "id": i + 2, "custom_id": k, "value": v }] })
            })
            .collect(),
    )
}
