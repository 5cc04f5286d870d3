//! The Discord layer: gateway shards, REST, routing of commands, components and events to
//! plugins, command registration, and the built-in commands.

pub mod actions;
pub(crate) mod cache_snapshot;
pub mod command_sync;
pub mod gateway;
pub mod guild_scope;
pub mod identify_queue;
pub mod permissions;
pub mod prefix;
pub mod registry;
pub mod respond;
pub mod routing;
pub mod saved_session;
pub mod shard_range;
pub mod shards;
pub mod shared;

pub use gateway::{connect, DiscordHost};
