//! What a plugin author needs, in one import: `use arsenal_plugin_api::prelude::*;`.
//!
//! The SDK's traits and types, the derives, the option value types and the ids of
//! `twilight_model` a command names. Nothing here clashes with std's prelude except
//! [`Duration`], which is the SDK's typed duration (`10m`, `2d`). `Value` and `json!` are
//! serde_json's, for requests between modules.

pub use crate::{
    builder::{Button, EmbedBuilder, Select},
    command::{
        Command, CommandChoice, CommandModel, Duration, Mentionable, OptionValue, ParseError,
    },
    component::{ComponentError, CustomId, ModalForm},
    export_plugin,
    i18n::{Arg, Locales, Tr},
    locales,
    manifest::{CommandSpec, Manifest},
    protocol::{
        AudioSource, AutocompleteInvocation, Choice, CommandInvocation, ComponentInvocation,
        DiscordRequest, EndReason, ModalInvocation, ModuleFailure, ModuleRequest, Reply, ReplyFile,
        ResolvedUser, Response, VoiceEvent, VoiceEventKind,
    },
    sdk::{Context, Error, ErrorType, Events, GatewayEvent, Modules, Plugin, Result, Store, Voice},
    tr,
};
/// JSON, as requests between modules carry it ([`Plugin::on_request`]).
pub use serde_json::{json, Value};
pub use twilight_model::{
    channel::ChannelType,
    gateway::Intents,
    guild::Permissions,
    id::{
        marker::{
            AttachmentMarker, ChannelMarker, GuildMarker, MessageMarker, RoleMarker, UserMarker,
        },
        Id,
    },
};
