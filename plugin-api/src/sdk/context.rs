//! The handles a plugin uses to reach the host: its store namespace, Discord, timers and clock.

use std::sync::Arc;

use abi_stable::std_types::{RResult, RStr};
use serde::{de::DeserializeOwned, Serialize};

use twilight_model::id::{marker::GuildMarker, Id};

use crate::{
    abi::HostBox,
    i18n::{Texts, Tr},
    protocol::{op, CancelTimer, DiscordRequest, Invoker, ScheduleTimer},
    sdk::{Error, Result},
};

/// Everything a handler can reach. Cheap to clone.
#[derive(Clone)]
pub struct Context {
    host: Arc<HostBox>,
    texts: Arc<Texts>,
}

impl std::fmt::Debug for Context {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Context").finish_non_exhaustive()
    }
}

impl Context {
    pub(crate) fn new(host: Arc<HostBox>, texts: Arc<Texts>) -> Self {
        Self { host, texts }
    }

    pub(crate) fn host(&self) -> &Arc<HostBox> {
        &self.host
    }

    /// This plugin's own store namespace.
    #[must_use]
    pub fn store(&self) -> crate::sdk::Store {
        crate::sdk::Store::new(self.clone())
    }

    /// Discord actions, executed by the host.
    #[must_use]
    pub fn discord(&self) -> Discord {
        Discord { ctx: self.clone() }
    }

    /// Requests to other modules, answered by their own workers (see
    /// [`Modules::ask`](crate::sdk::Modules::ask)).
    #[must_use]
    pub fn modules(&self) -> crate::sdk::Modules {
        crate::sdk::Modules::new(self.clone())
    }

    /// Voice connections and the audio the host plays for this module.
    #[must_use]
    pub fn voice(&self) -> crate::sdk::Voice {
        crate::sdk::Voice::new(self.clone())
    }

    /// Durable timers.
    #[must_use]
    pub fn timers(&self) -> Timers {
        Timers { ctx: self.clone() }
    }

    /// The host's clock, in Unix milliseconds: the time every module of the host agrees on, and
    /// the one [`TestHarness`](crate::testing::TestHarness) sets in tests (`set_now`, `advance`).
    /// Use it for cooldowns and expiries instead of the system clock. Against a host older than
    /// the `clock.now` operation, the system clock.
    #[must_use]
    #[inline(never)]
    pub fn now(&self) -> u64 {
        self.request::<_, u64>(op::CLOCK_NOW, &())
            .unwrap_or_else(|_| system_now())
    }

    /// Texts in the language of the member who acted: their Discord locale, else their server's
    /// preferred locale, else the module's first language (see [`Plugin::LOCALES`](crate::Plugin::LOCALES)).
    #[must_use]
    pub fn tr(&self, invoker: &Invoker) -> Tr<'_> {
        self.texts
            .tr(&[invoker.locale.as_deref(), invoker.guild_locale.as_deref()])
    }

    /// Texts in `guild`'s preferred language (asked of the host), else the module's first
    /// language: for what a module posts on its own (a greeting, a log line).
    #[must_use]
    #[inline(never)]
    pub fn tr_guild(&self, guild: Id<GuildMarker>) -> Tr<'_> {
        let locale: Option<String> = self.request(op::GUILD_LOCALE, &guild).unwrap_or(None);
        self.texts.tr(&[locale.as_deref()])
    }

    /// Texts in `locale` if the module ships it, else its first language.
    #[must_use]
    pub fn tr_locale(&self, locale: Option<&str>) -> Tr<'_> {
        self.texts.tr(&[locale])
    }

    /// Sends a request to the host and decodes the answer. Call it from non-generic functions
    /// only, so its serde code stays in the SDK runtime (see `sdk::plugin`'s codecs).
    pub(crate) fn request<Req: Serialize + ?Sized, Res: DeserializeOwned>(
        &self,
        operation: &str,
        payload: &Req,
    ) -> Result<Res> {
        let answer = self.request_json(operation, &serde_json::to_string(payload)?)?;
        serde_json::from_str(&answer).map_err(|e| {
            Error::invalid(format!("the host's answer to {operation} did not parse")).with_source(e)
        })
    }

    /// Sends a JSON request to the host and returns its JSON answer.
    fn request_json(&self, operation: &str, payload: &str) -> Result<String> {
        match self
            .host
            .request(RStr::from_str(operation), RStr::from_str(payload))
        {
            RResult::ROk(answer) => Ok(answer.into_string()),
            RResult::RErr(error) => Err(Error::from_abi(&error)),
        }
    }
}

/// The system clock in Unix milliseconds (0 before 1970).
pub(crate) fn system_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// Discord actions. Each call blocks this plugin's worker until Discord answered.
#[derive(Debug, Clone)]
pub struct Discord {
    ctx: Context,
}

impl Discord {
    /// Performs one action and decodes Discord's answer (`serde_json::Value` if unsure).
    ///
    /// # Errors
    ///
    /// Discord's refusal (missing permission, role hierarchy, unknown member, …) as an
    /// [`ErrorType::Discord`](crate::sdk::ErrorType::Discord) error carrying Discord's status
    /// and JSON code (match on [`Error::discord_code`] or [`Error::is_not_found`], never on its
    /// text), with a readable message.
    pub fn execute<T: DeserializeOwned>(&self, request: &DiscordRequest) -> Result<T> {
        let answer = self.execute_json(request)?;
        serde_json::from_str(&answer).map_err(|e| {
            Error::invalid(format!(
                "Discord's answer did not have the expected shape ({})",
                std::any::type_name::<T>()
            ))
            .with_source(e)
        })
    }

    /// Performs one action and returns Discord's answer as JSON text.
    ///
    /// # Errors
    ///
    /// As [`Discord::execute`].
    #[inline(never)]
    pub fn execute_json(&self, request: &DiscordRequest) -> Result<String> {
        self.ctx
            .request_json(op::DISCORD, &serde_json::to_string(request)?)
    }
}

/// Durable timers: they fire once, after restarts and reloads too.
#[derive(Debug, Clone)]
pub struct Timers {
    ctx: Context,
}

impl Timers {
    /// Schedules `key` to fire at `at_unix_ms` with `payload`, replacing any timer with that key.
    ///
    /// # Errors
    ///
    /// When the host could not store the timer durably.
    pub fn schedule<T: Serialize>(&self, key: &str, at_unix_ms: u64, payload: &T) -> Result<()> {
        self.schedule_value(key, at_unix_ms, serde_json::to_value(payload)?)
    }

    #[inline(never)]
    fn schedule_value(&self, key: &str, at_unix_ms: u64, payload: serde_json::Value) -> Result<()> {
        let request = ScheduleTimer {
            key: key.to_owned(),
            at_unix_ms,
            payload,
        };
        self.ctx.request(op::TIMER_SCHEDULE, &request)
    }

    /// Cancels `key`; returns whether it was pending.
    ///
    /// # Errors
    ///
    /// When the host could not record the cancellation durably.
    #[inline(never)]
    pub fn cancel(&self, key: &str) -> Result<bool> {
        self.ctx.request(
            op::TIMER_CANCEL,
            &CancelTimer {
                key: key.to_owned(),
            },
        )
    }
}
