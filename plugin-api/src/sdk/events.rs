//! Typed gateway-event subscriptions.
//!
//! A plugin registers one handler per event type it wants; only those types' deserializers are
//! compiled into the plugin (parsing every gateway event would add megabytes to each library,
//! and every reload reads and maps the whole file). The manifest's event list is derived from
//! the registrations, so it can never disagree with the handlers.

use serde::de::DeserializeOwned;
use twilight_model::gateway::payload::incoming;

use crate::sdk::{Context, Error, Result};

/// A gateway event a plugin can subscribe to: a twilight-model payload and its Discord name.
pub trait GatewayEvent: DeserializeOwned + 'static {
    /// Discord's dispatch name (`MESSAGE_CREATE`).
    const NAME: &'static str;

    /// Parses the event's payload (Discord's `d`).
    ///
    /// # Errors
    ///
    /// When the payload does not have the event's shape.
    fn decode(payload: &str) -> serde_json::Result<Self> {
        serde_json::from_str(payload)
    }
}

// Each event's parser is a non-generic function here, so its code is compiled once into the SDK
// runtime the plugins share (host/src/plugins/runtime.rs), not into every plugin using it.
macro_rules! gateway_events {
    ($($ty:ident => $name:literal,)*) => {
        $(impl GatewayEvent for incoming::$ty {
            const NAME: &'static str = $name;

            #[inline(never)]
            fn decode(payload: &str) -> serde_json::Result<Self> {
                serde_json::from_str(payload)
            }
        })*
    };
}

gateway_events! {
    ChannelCreate => "CHANNEL_CREATE",
    ChannelDelete => "CHANNEL_DELETE",
    ChannelUpdate => "CHANNEL_UPDATE",
    GuildCreate => "GUILD_CREATE",
    BanAdd => "GUILD_BAN_ADD",
    BanRemove => "GUILD_BAN_REMOVE",
    MemberAdd => "GUILD_MEMBER_ADD",
    MemberRemove => "GUILD_MEMBER_REMOVE",
    MemberUpdate => "GUILD_MEMBER_UPDATE",
    RoleCreate => "GUILD_ROLE_CREATE",
    RoleDelete => "GUILD_ROLE_DELETE",
    RoleUpdate => "GUILD_ROLE_UPDATE",
    MessageCreate => "MESSAGE_CREATE",
    MessageDelete => "MESSAGE_DELETE",
    MessageDeleteBulk => "MESSAGE_DELETE_BULK",
    MessageUpdate => "MESSAGE_UPDATE",
    ReactionAdd => "MESSAGE_REACTION_ADD",
    ReactionRemove => "MESSAGE_REACTION_REMOVE",
    ThreadCreate => "THREAD_CREATE",
    ThreadDelete => "THREAD_DELETE",
    VoiceStateUpdate => "VOICE_STATE_UPDATE",
}

type Handler<P> = Box<dyn Fn(&mut P, &Context, &str) -> Result<()> + Send + Sync>;

/// The event handlers of plugin `P`, filled by [`Plugin::events`](crate::Plugin::events).
pub struct Events<P> {
    handlers: Vec<(&'static str, Handler<P>)>,
}

impl<P: 'static> Events<P> {
    pub(crate) fn new() -> Self {
        Self {
            handlers: Vec::new(),
        }
    }

    /// Calls `handler` for every event of type `E` (at most one handler per type: the last wins).
    pub fn on<E: GatewayEvent>(
        &mut self,
        handler: fn(&mut P, &Context, &E) -> Result<()>,
    ) -> &mut Self {
        self.handlers.retain(|(name, _)| *name != E::NAME);
        self.handlers.push((
            E::NAME,
            Box::new(move |plugin, ctx, payload| {
                let event = E::decode(payload).map_err(|e| {
                    Error::invalid(format!("gateway event {} did not parse", E::NAME))
                        .with_source(e)
                })?;
                handler(plugin, ctx, &event)
            }),
        ));
        self
    }

    /// The subscribed event names.
    pub(crate) fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.handlers.iter().map(|(name, _)| *name)
    }

    /// Delivers event `name`; `Ok(false)` if no handler is registered for it.
    pub(crate) fn dispatch(
        &self,
        plugin: &mut P,
        ctx: &Context,
        name: &str,
        payload: &str,
    ) -> Result<bool> {
        match self.handlers.iter().find(|(n, _)| *n == name) {
            Some((_, handler)) => handler(plugin, ctx, payload).map(|()| true),
            None => Ok(false),
        }
    }
}
