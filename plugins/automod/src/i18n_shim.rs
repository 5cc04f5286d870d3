//! TEMPORARY: stands in for the SDK's localisation API until it lands on main (then deleted).
#![allow(dead_code, missing_docs)]

use arsenal_plugin_api::prelude::*;

#[derive(Debug, Clone)]
pub struct Tr;

impl Tr {
    pub fn t(&self, key: &str) -> String {
        key.to_owned()
    }
}

pub trait TrExt {
    fn tr(&self, invoker: &arsenal_plugin_api::protocol::Invoker) -> Tr;
    fn tr_guild(&self, guild: Id<GuildMarker>) -> Tr;
}

impl TrExt for Context {
    fn tr(&self, _: &arsenal_plugin_api::protocol::Invoker) -> Tr {
        Tr
    }
    fn tr_guild(&self, _: Id<GuildMarker>) -> Tr {
        Tr
    }
}

#[macro_export]
macro_rules! tr {
    ($tr:expr, $key:expr $(, $name:ident = $value:expr)* $(,)?) => {{
        let _ = &$tr;
        let mut s = String::from($key);
        $( s.push_str(&format!(" {}={}", stringify!($name), $value)); )*
        s
    }};
}
