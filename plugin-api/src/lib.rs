#![doc = include_str!("../README.md")]

// The derives name `::arsenal_plugin_api`, which must also resolve in this crate's own tests.
extern crate self as arsenal_plugin_api;

pub mod abi;
pub mod builder;
pub mod command;
pub mod component;
mod export;
pub mod i18n;
pub mod manifest;
pub mod prelude;
pub mod protocol;
pub mod sdk;
pub mod testing;
pub mod time;

pub use command::{Command, CommandChoice, Duration};
pub use manifest::{CommandSpec, LanguageTexts, Manifest};
pub use protocol::{Choice, CommandInvocation, Reply, Response};
pub use sdk::{Context, Error, ErrorType, Events, GatewayEvent, Plugin, Result, Store};
pub use twilight_model as model;

/// What the exported macro needs; not part of the public API.
#[doc(hidden)]
pub mod __private {
    pub use abi_stable;
}

#[cfg(test)]
mod tests {
    #[test]
    fn exported_symbol_name_matches_abi_stable() {
        // export_plugin! hard-codes this name; if abi_stable changes it, plugins stop loading.
        assert_eq!(
            abi_stable::library::ROOT_MODULE_LOADER_NAME,
            "_1as_0lib_1header_0root_bmodule_bloader"
        );
    }

    #[test]
    fn exported_fingerprint_static_has_the_documented_name() {
        // The host looks the fingerprint up by `ABI_FINGERPRINT_SYMBOL`; export_plugin! spells it.
        let declaration = format!(
            "pub static {}: [u8; 16]",
            crate::abi::ABI_FINGERPRINT_SYMBOL
        );
        assert!(include_str!("export.rs").contains(&declaration));
    }

    static_assertions::assert_impl_all!(crate::abi::AbiError: Send, Sync, std::fmt::Debug);
    static_assertions::assert_impl_all!(crate::abi::HostBox: Send, Sync);
    static_assertions::assert_impl_all!(crate::abi::PluginBox: Send);
    static_assertions::assert_impl_all!(crate::Manifest: Send, Sync, std::fmt::Debug);
    static_assertions::assert_impl_all!(crate::Context: Send, Sync, std::fmt::Debug);
}
