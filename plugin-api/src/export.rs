//! The one macro a plugin needs: it exports the root module the host loads.

/// Exports `$plugin` (a type implementing [`Plugin`](crate::Plugin)) as this library's plugin.
///
/// It emits the abi_stable root-module symbol by hand (so plugin crates need no direct
/// abi_stable dependency); every entry point runs behind the panic guard.
#[macro_export]
macro_rules! export_plugin {
    ($plugin:ty) => {
        #[doc(hidden)]
        pub mod __arsenal_export {
            use super::*;
            use $crate::__private::abi_stable::library::{
                CheckTypeLayout, IntoRootModuleResult, LibHeader, RootModuleResult,
            };

            extern "C" fn manifest() -> $crate::abi::AbiResult {
                $crate::sdk::manifest_json::<$plugin>()
            }

            extern "C" fn instantiate(
                host: $crate::abi::HostBox,
            ) -> $crate::__private::abi_stable::std_types::RResult<
                $crate::abi::PluginBox,
                $crate::abi::AbiError,
            > {
                $crate::sdk::instantiate::<$plugin>(host)
            }

            fn root_module() -> $crate::abi::PluginModuleRef {
                use $crate::__private::abi_stable::prefix_type::PrefixTypeTrait;
                $crate::abi::PluginModule {
                    manifest,
                    instantiate,
                }
                .leak_into_prefix()
            }

            extern "C" fn erased_root_module() -> RootModuleResult {
                $crate::__private::abi_stable::library::__call_root_module_loader(root_module)
            }

            // The interface this library was compiled against (see `abi::ABI_FINGERPRINT`); a
            // test in plugin-api checks the name against `abi::ABI_FINGERPRINT_SYMBOL`.
            #[no_mangle]
            #[allow(non_upper_case_globals)]
            pub static arsenal_abi_fingerprint: [u8; 16] = $crate::abi::ABI_FINGERPRINT;

            // The name abi_stable looks up (`abi_stable::library::ROOT_MODULE_LOADER_NAME`);
            // a test in plugin-api fails if a dependency update changes it.
            #[no_mangle]
            pub static _1as_0lib_1header_0root_bmodule_bloader: LibHeader = unsafe {
                LibHeader::from_constructor::<
                    <$crate::abi::PluginModuleRef as IntoRootModuleResult>::Module,
                >(erased_root_module, CheckTypeLayout::Yes)
            };
        }
    };
}
