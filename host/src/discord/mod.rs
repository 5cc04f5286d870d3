//! The Discord layer: gateway shards, REST, routing of commands, components and events to
//! plugins, command registration, and the built-in commands.

pub mod prefix;
