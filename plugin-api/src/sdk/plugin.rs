//! The `Plugin` trait plugin authors implement, and the adapter that turns it into an ABI object.

use std::sync::Arc;

use abi_stable::{
    sabi_trait::TD_Opaque,
    std_types::{RBox, RResult, RStr, RString},
};
use serde::{de::DeserializeOwned, Serialize};

use crate::{
    abi::{AbiError, AbiResult, ErrorCode, HostBox, PluginBox, PluginInstance, PluginInstance_TO},
    manifest::Manifest,
    protocol::{
        kind, AutocompleteInvocation, Choice, CommandInvocation, ComponentInvocation,
        ModalInvocation, ModuleRequest, Response, TimerFired, VoiceEvent,
    },
    sdk::{guard::guard, logging, Context, Error, Events, Result},
};

/// A bot module. Every method but [`Plugin::manifest`] and [`Plugin::new`] has a default.
///
/// The host calls an instance from one worker thread, one call at a time, in event order. Keep
/// every piece of state that matters in [`Context::store`]: the instance is replaced on reload
/// and rebuilt on restart, and only the store carries data across.
pub trait Plugin: Send + Sized + 'static {
    /// Name, version, commands, events and intents. Must not depend on runtime state.
    fn manifest() -> Manifest;

    /// Builds the instance. Runs on the plugin's worker after every earlier call finished, so
    /// the store reflects everything the previous version wrote.
    ///
    /// # Errors
    ///
    /// An error refuses this version; on a reload the previous version keeps serving.
    fn new(ctx: &Context) -> Result<Self>;

    /// The languages this module speaks: `arsenal_plugin_api::locales!("en", "fr")` reads
    /// `locales/en.ftl` and `locales/fr.ftl` at compile time (the first is the fallback). Texts
    /// come from [`Context::tr`]; command names and descriptions in the other languages from
    /// their `cmd-…` messages (see [`crate::i18n`]).
    const LOCALES: crate::i18n::Locales = crate::i18n::Locales::NONE;

    /// The schema version of the data this version writes: `0` (the default) when the module
    /// does not version its data, else `1` for its first schema, raised by one for each change
    /// that needs [`Plugin::migrate`]. Data stored before a module declared a version counts as
    /// version 1. The host refuses to run a version on data newer than its own.
    const DATA_VERSION: u32 = 0;

    /// Rewrites data stored at version `from` (older than [`Plugin::DATA_VERSION`]) into this
    /// version's schema, before [`Plugin::new`] runs. `data` holds every key of the module's
    /// namespace; what it holds on return replaces them, with the new data version, in one
    /// store transaction. Handle every older version (`if from < 2 { … } if from < 3 { … }`).
    ///
    /// # Errors
    ///
    /// An error (or a panic) writes nothing: on a reload the old version keeps serving, at
    /// startup the module stays unloaded.
    fn migrate(from: u32, data: &mut crate::sdk::migrate::Data) -> Result<()> {
        let _ = data;
        Err(Error::failed(format!(
            "its data is at version {from} but it declares version {} and has no `Plugin::migrate`",
            Self::DATA_VERSION
        )))
    }

    /// Registers a typed handler for each gateway event this plugin wants, e.g.
    /// `events.on::<MessageCreate>(Self::on_message)`. Only those events are delivered, and the
    /// manifest's event list is filled from them. Handler errors are logged by the host.
    fn events(events: &mut Events<Self>) {
        let _ = events;
    }

    /// A slash or prefix command the manifest declared.
    ///
    /// # Errors
    ///
    /// Shown to the user (ephemeral) and logged.
    fn on_command(&mut self, ctx: &Context, command: &CommandInvocation) -> Result<Response> {
        let _ = ctx;
        Err(Error::failed(format!(
            "command {:?} is declared but has no handler",
            command.name
        )))
    }

    /// A button or select menu on one of this plugin's messages.
    ///
    /// # Errors
    ///
    /// Shown to the user (ephemeral) and logged.
    fn on_component(&mut self, ctx: &Context, component: &ComponentInvocation) -> Result<Response> {
        let _ = ctx;
        Ok(Response::ephemeral(
            super::sdk_tr(Some(&component.invoker)).t("sdk-component-unhandled"),
        ))
    }

    /// A modal this plugin opened was submitted.
    ///
    /// # Errors
    ///
    /// Shown to the user (ephemeral) and logged.
    fn on_modal(&mut self, ctx: &Context, modal: &ModalInvocation) -> Result<Response> {
        let _ = ctx;
        Ok(Response::ephemeral(
            super::sdk_tr(Some(&modal.invoker)).t("sdk-modal-unhandled"),
        ))
    }

    /// Suggestions for an option marked `autocomplete`.
    ///
    /// # Errors
    ///
    /// Logged; the user sees no suggestions.
    fn on_autocomplete(
        &mut self,
        ctx: &Context,
        autocomplete: &AutocompleteInvocation,
    ) -> Result<Vec<Choice>> {
        let _ = (ctx, autocomplete);
        Ok(Vec::new())
    }

    /// A durable timer this plugin scheduled came due.
    ///
    /// # Errors
    ///
    /// Logged by the host.
    fn on_timer(&mut self, ctx: &Context, timer: &TimerFired) -> Result<()> {
        let _ = (ctx, timer);
        Ok(())
    }

    /// Something happened to the audio of a server whose voice connection this module owns
    /// (it joined last, with [`Voice::join`](crate::sdk::Voice::join)): a track started,
    /// ended or failed, the connection came up or went away. Delivered through this module's
    /// queue like any call, to the version serving when it happened.
    ///
    /// # Errors
    ///
    /// Logged by the host.
    fn on_voice(&mut self, ctx: &Context, event: &VoiceEvent) -> Result<()> {
        let _ = (ctx, event);
        Ok(())
    }

    /// Another module asks this one (`ctx.modules().ask(…)` there), for one of the methods the
    /// manifest declares with [`Manifest::answers`] (the host refuses the others). Read the
    /// payload with [`ModuleRequest::parse`]; trust `request.from` and `request.guild_id`,
    /// which the host sets, and check the payload like any input. While answering, this
    /// module's Discord actions may reach only `request.guild_id`'s server when the asker acts
    /// for a member.
    ///
    /// Runs on this module's worker like any call: after what was queued before it, and by
    /// the new version when a reload happened in between. Do not ask back the module that is
    /// asking: the host refuses such a cycle at once ([`ModuleFailure::Cycle`](crate::protocol::ModuleFailure::Cycle)).
    ///
    /// # Errors
    ///
    /// Reach the asker as a [`ModuleFailure`](crate::protocol::ModuleFailure): `Invalid` for
    /// [`Error::invalid`] (and a payload [`ModuleRequest::parse`] could not read), `Failed`
    /// for other errors, `Panicked` for a panic; [`Error::refused`] reaches it as a refusal
    /// for the member. The default refuses every method as `UnknownMethod`.
    fn on_request(&mut self, ctx: &Context, request: &ModuleRequest) -> Result<serde_json::Value> {
        let _ = ctx;
        Err(Error::new(
            crate::sdk::ErrorType::Unsupported,
            format!(
                "this module declares it answers `{}` but does not implement `Plugin::on_request`",
                request.method
            ),
        ))
    }

    /// The instance is about to be dropped (reload, unload, shutdown). The store is already
    /// durable; use this only to release what the host should know about.
    ///
    /// # Errors
    ///
    /// Logged; the instance is dropped anyway.
    fn on_unload(&mut self, ctx: &Context) -> Result<()> {
        let _ = ctx;
        Ok(())
    }
}

/// Owns a plugin instance on behalf of the host and routes calls to it.
struct Adapter<P: Plugin> {
    plugin: Option<P>,
    events: Events<P>,
    ctx: Context,
    /// The manifest's name (the host prefixes `<module>:` to every `custom_id`), built the first
    /// time an answer carries an id: building the whole manifest (every command's options) in
    /// the constructor would lengthen every reload.
    module: std::cell::OnceCell<String>,
}

impl<P: Plugin> Adapter<P> {
    fn dispatch(&mut self, call: &str, payload: &str) -> Result<String> {
        let Some(plugin) = self.plugin.as_mut() else {
            return Err(Error::failed("the instance was already unloaded"));
        };
        let ctx = &self.ctx;
        if let Some(name) = call.strip_prefix(kind::EVENT_PREFIX) {
            self.events.dispatch(plugin, ctx, name, payload)?;
            return Ok("null".to_owned());
        }
        match call {
            kind::COMMAND => answer_response(checked::<P>(
                &self.module,
                plugin.on_command(ctx, &parse_command(payload)?),
            )),
            kind::COMPONENT => answer_response(checked::<P>(
                &self.module,
                plugin.on_component(ctx, &parse_component(payload)?),
            )),
            kind::MODAL => answer_response(checked::<P>(
                &self.module,
                plugin.on_modal(ctx, &parse_modal(payload)?),
            )),
            kind::AUTOCOMPLETE => {
                answer_choices(plugin.on_autocomplete(ctx, &parse_autocomplete(payload)?))
            }
            kind::TIMER => answer_unit(plugin.on_timer(ctx, &parse_timer(payload)?)),
            kind::VOICE => answer_unit(plugin.on_voice(ctx, &parse_voice(payload)?)),
            kind::REQUEST => answer_value(plugin.on_request(ctx, &parse_request(payload)?)),
            kind::UNLOAD => answer_unit(plugin.on_unload(ctx)),
            other => Err(Error::new(
                crate::sdk::ErrorType::Unsupported,
                format!("this plugin's SDK does not know calls of kind {other:?}"),
            )),
        }
    }
}

impl<P: Plugin> PluginInstance for Adapter<P> {
    fn call(&mut self, call: RStr<'_>, payload: RStr<'_>) -> AbiResult {
        let _logs = logging::enter(self.ctx.host());
        guard(|| {
            self.dispatch(call.as_str(), payload.as_str())
                .map(RString::from)
                .map_err(Error::into_abi)
        })
        .into()
    }
}

impl<P: Plugin> Drop for Adapter<P> {
    fn drop(&mut self) {
        let plugin = self.plugin.take();
        let _logs = logging::enter(self.ctx.host());
        // A panicking Drop in plugin code must not unwind into the host.
        let _ = guard(move || {
            drop(plugin);
            Ok(())
        });
    }
}

/// A response whose `custom_id`s do not fit after the host's `<module>:` prefix is an error
/// naming the id, not a message Discord would refuse whole.
fn checked<P: Plugin>(
    module: &std::cell::OnceCell<String>,
    response: Result<Response>,
) -> Result<Response> {
    let response = response?;
    if carries_custom_ids(&response) {
        response.check_custom_ids(module.get_or_init(|| P::manifest().name))?;
    }
    Ok(response)
}

fn parse<T: DeserializeOwned>(payload: &str) -> Result<T> {
    serde_json::from_str(payload).map_err(|e| {
        Error::invalid(format!(
            "the host sent a payload this plugin cannot read ({}); is the plugin older than the host?",
            std::any::type_name::<T>().rsplit("::").next().unwrap_or("payload")
        ))
        .with_source(e)
    })
}

fn answer<T: Serialize>(result: Result<T>) -> Result<String> {
    Ok(serde_json::to_string(&result?)?)
}

// The codecs the generic adapter calls, one non-generic function per type: their serde code is
// compiled once, into the SDK runtime every plugin shares, instead of into each plugin library
// (see host/src/plugins/runtime.rs). `inline(never)` keeps it there.
macro_rules! codecs {
    (parse { $($parse:ident -> $payload:ty;)* } answer { $($answer:ident($answered:ty);)* }) => {
        $(#[inline(never)]
        fn $parse(payload: &str) -> Result<$payload> {
            parse(payload)
        })*
        $(#[inline(never)]
        fn $answer(result: Result<$answered>) -> Result<String> {
            answer(result)
        })*
    };
}

codecs! {
    parse {
        parse_command -> CommandInvocation;
        parse_component -> ComponentInvocation;
        parse_modal -> ModalInvocation;
        parse_autocomplete -> AutocompleteInvocation;
        parse_timer -> TimerFired;
        parse_request -> ModuleRequest;
        parse_voice -> VoiceEvent;
    }
    answer {
        answer_response(Response);
        answer_choices(Vec<Choice>);
        answer_unit(());
        answer_value(serde_json::Value);
    }
}

#[inline(never)]
fn carries_custom_ids(response: &Response) -> bool {
    match response {
        Response::Message(reply) | Response::Update(reply) => !reply.components.is_empty(),
        Response::Modal(_) => true,
        Response::Nothing => false,
    }
}

/// Builds a plugin instance behind the ABI. Used by [`export_plugin!`](crate::export_plugin) and
/// by the test harness, so tests exercise the same path as a loaded library.
#[doc(hidden)]
pub fn instantiate<P: Plugin>(host: HostBox) -> RResult<PluginBox, AbiError> {
    let host = Arc::new(host);
    let _logs = logging::enter(&host);
    guard(|| {
        let ctx = Context::new(
            Arc::clone(&host),
            Arc::new(crate::i18n::Texts::new(P::LOCALES)),
        );
        crate::sdk::migrate::run_pending::<P>(&ctx).map_err(Error::into_abi)?;
        let plugin = P::new(&ctx).map_err(Error::into_abi)?;
        let adapter = Adapter {
            plugin: Some(plugin),
            events: registered_events::<P>(),
            ctx,
            module: std::cell::OnceCell::new(),
        };
        Ok(PluginInstance_TO::from_ptr(RBox::new(adapter), TD_Opaque))
    })
    .into()
}

fn registered_events<P: Plugin>() -> Events<P> {
    let mut events = Events::new();
    P::events(&mut events);
    events
}

/// The manifest, with the event list taken from the registered handlers.
#[doc(hidden)]
pub fn manifest<P: Plugin>() -> Manifest {
    let mut manifest = P::manifest();
    manifest.data_version = P::DATA_VERSION;
    manifest.command_texts = crate::i18n::commands::language_texts(P::LOCALES);
    for name in registered_events::<P>().names() {
        if !manifest.events.iter().any(|e| e == name) {
            manifest.events.push(name.to_owned());
        }
    }
    manifest
}

/// The manifest as JSON, behind the panic guard.
#[doc(hidden)]
pub fn manifest_json<P: Plugin>() -> AbiResult {
    guard(|| encode_manifest(&manifest::<P>())).into()
}

#[inline(never)]
fn encode_manifest(manifest: &Manifest) -> std::result::Result<RString, AbiError> {
    serde_json::to_string(manifest)
        .map(RString::from)
        .map_err(|e| {
            AbiError::new(
                ErrorCode::Failed,
                format!("manifest did not serialize: {e}"),
            )
        })
}
