//! Asking other modules, through the host: `ctx.modules().ask(module, method, &request)`.
//!
//! A module never reads another module's data. It asks that module, whose own worker answers in
//! its own queue (after whatever it was doing), through [`Plugin::on_request`](crate::Plugin::on_request).
//! The call blocks this module's worker until the answer, at most the host's call timeout.
//! Every way it can go wrong is an [`Error`] of kind [`ErrorType::Module`] with a
//! [`ModuleFailure`] to match on; a refusal by the other module is [`ErrorType::Refused`], an
//! answer to pass on to the member (`?` does).

use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;
use twilight_model::id::{marker::GuildMarker, Id};

use crate::{
    protocol::{op, ModuleAnswer, ModuleAsk, ModuleFailure},
    sdk::{Context, Error, ErrorType, Result},
};

/// Requests to other modules. Get it with [`Context::modules`].
#[derive(Debug, Clone)]
pub struct Modules {
    ctx: Context,
}

impl Modules {
    pub(crate) fn new(ctx: Context) -> Self {
        Self { ctx }
    }

    /// Asks module `module` for `method` with `request`, about the server of the call being
    /// handled (a member's command, button or form; no server from a gateway event or a timer:
    /// use [`Modules::ask_in`] there), and decodes its answer.
    ///
    /// ```no_run
    /// # use arsenal_plugin_api::prelude::*;
    /// # #[derive(serde::Serialize)] struct NewCase { user: u64, reason: String }
    /// # #[derive(serde::Deserialize)] struct Case { number: u64 }
    /// # fn f(ctx: &Context) -> Result<()> {
    /// let case: Case = ctx.modules().ask(
    ///     "moderation",
    ///     "case.create",
    ///     &NewCase { user: 42, reason: "spam".into() },
    /// )?;
    /// # let _ = case.number; Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`ErrorType::Module`] naming the module and a [`ModuleFailure`]: not loaded, a method it
    /// does not declare, its handler failed or panicked, no answer within the host's call
    /// timeout, a request cycle (it is waiting for this module), a server this call may not
    /// act in, or an answer this module cannot decode as `Res` ([`ModuleFailure::Invalid`]).
    /// [`ErrorType::Refused`] when the module refused (its message is for the member).
    pub fn ask<Req: Serialize + ?Sized, Res: DeserializeOwned>(
        &self,
        module: &str,
        method: &str,
        request: &Req,
    ) -> Result<Res> {
        let value = self.ask_json(module, method, serde_json::to_value(request)?)?;
        Res::deserialize(&value).map_err(|e| unexpected_answer(module, method, e))
    }

    /// Like [`Modules::ask`], about server `guild`: for a gateway event or a timer, which
    /// belong to no member's call. The asked module's Discord actions while it answers may
    /// reach only that server. During a member's call in a server, `guild` must be that
    /// server.
    ///
    /// # Errors
    ///
    /// As [`Modules::ask`]; [`ModuleFailure::OutOfScope`] for another server than the
    /// member's.
    pub fn ask_in<Req: Serialize + ?Sized, Res: DeserializeOwned>(
        &self,
        guild: Id<GuildMarker>,
        module: &str,
        method: &str,
        request: &Req,
    ) -> Result<Res> {
        let value =
            self.ask_json_in(Some(guild), module, method, serde_json::to_value(request)?)?;
        Res::deserialize(&value).map_err(|e| unexpected_answer(module, method, e))
    }

    /// [`Modules::ask`] with JSON in and out.
    ///
    /// # Errors
    ///
    /// As [`Modules::ask`].
    #[inline(never)]
    pub fn ask_json(&self, module: &str, method: &str, payload: Value) -> Result<Value> {
        self.ask_json_in(None, module, method, payload)
    }

    /// [`Modules::ask_in`] with JSON in and out; `guild` `None` is [`Modules::ask_json`].
    ///
    /// # Errors
    ///
    /// As [`Modules::ask_in`].
    #[inline(never)]
    pub fn ask_json_in(
        &self,
        guild: Option<Id<GuildMarker>>,
        module: &str,
        method: &str,
        payload: Value,
    ) -> Result<Value> {
        let ask = ModuleAsk {
            module: module.to_owned(),
            method: method.to_owned(),
            payload,
            guild_id: guild,
        };
        let answer: ModuleAnswer = self
            .ctx
            .request(op::MODULE_ASK, &ask)
            .map_err(|e| e.context(format!("asking module `{module}` for `{method}`")))?;
        match answer {
            ModuleAnswer::Answered { value } => Ok(value),
            ModuleAnswer::Refused { message } => Err(Error::refused(message)),
            ModuleAnswer::Failed { failure, message } => {
                Err(module_error(module, failure, message))
            }
        }
    }
}

/// The error for a request to `module` that failed with `failure`.
#[inline(never)]
pub(crate) fn module_error(module: &str, failure: ModuleFailure, message: String) -> Error {
    Error::new(
        ErrorType::Module {
            module: module.to_owned(),
            failure,
        },
        message,
    )
}

#[inline(never)]
fn unexpected_answer(module: &str, method: &str, error: serde_json::Error) -> Error {
    module_error(
        module,
        ModuleFailure::Invalid,
        format!("module `{module}` answered `{method}` with something this module cannot read; are the two modules' versions compatible?"),
    )
    .with_source(error)
}
