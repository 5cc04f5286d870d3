//! The frozen binary interface between the host and a plugin library.
//!
//! Everything here crosses a `dlopen` boundary, so it is small on purpose: one root module with two
//! functions, two `#[sabi_trait]` objects with one or two methods, and JSON text for every payload.
//! New behaviour is added as new *operation names* and new JSON fields (`#[serde(default)]`), never
//! as new types here. abi_stable compares the full type layout of this module at load time, so a
//! plugin built against a different interface is refused before any of its code runs.
//!
//! Every type that crosses the boundary is defined in this file: [`ABI_FINGERPRINT`] hashes it.

use abi_stable::{
    library::RootModule,
    package_version_strings, sabi_trait,
    sabi_types::VersionStrings,
    std_types::{RBox, RResult, RStr, RString},
    StableAbi,
};

/// Identifies the exact interface definition a library was compiled from: a hash of this file's
/// source text and the plugin-api version, computed at compile time.
///
/// [`export_plugin!`](crate::export_plugin) exports it as the static named
/// [`ABI_FINGERPRINT_SYMBOL`]. Two libraries carrying the same fingerprint were compiled from the
/// same type definitions, so their layouts are identical: the host walks the full layout of the
/// first such library and trusts the fingerprint for the next ones (abi_stable's walk costs about
/// 0.1 ms per load). A library without it, or with another one, always gets the full walk.
pub const ABI_FINGERPRINT: [u8; 16] = xxhash_rust::const_xxh3::xxh3_128_with_seed(
    include_bytes!("abi.rs"),
    xxhash_rust::const_xxh3::xxh3_64(env!("CARGO_PKG_VERSION").as_bytes()),
)
.to_le_bytes();

/// The name of the `[u8; 16]` static holding a library's [`ABI_FINGERPRINT`].
pub const ABI_FINGERPRINT_SYMBOL: &str = "arsenal_abi_fingerprint";

/// Version of the JSON protocol carried by this ABI; a manifest declares the one it was built with.
///
/// The host accepts plugins whose `api_version` equals its own. Bump it only for an incompatible
/// change of a JSON schema; additive changes keep it.
pub const API_VERSION: u32 = 1;

/// An error crossing the boundary: a code from [`ErrorCode`] and a human-readable message.
#[repr(C)]
#[derive(StableAbi, Debug, Clone, PartialEq, Eq)]
pub struct AbiError {
    /// One of the [`ErrorCode`] values (kept as a plain integer so new codes never change the layout).
    pub code: u32,
    /// What went wrong, for a human.
    pub message: RString,
}

/// The codes carried by [`AbiError::code`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorCode {
    /// The plugin (or the host) returned an ordinary error.
    Failed,
    /// Plugin code panicked; the panic was caught at the boundary.
    Panicked,
    /// The callee does not know this call kind or operation (e.g. an older plugin).
    Unsupported,
    /// The request was malformed (bad JSON, bad arguments).
    Invalid,
    /// The operation is not allowed for this plugin.
    Forbidden,
    /// Discord answered with an error; the message carries its code and text.
    Discord,
    /// An optimistic transaction lost a race; retrying is safe.
    Conflict,
}

impl ErrorCode {
    /// The wire value of this code.
    #[must_use]
    pub const fn as_u32(self) -> u32 {
        match self {
            Self::Failed => 1,
            Self::Panicked => 2,
            Self::Unsupported => 3,
            Self::Invalid => 4,
            Self::Forbidden => 5,
            Self::Discord => 6,
            Self::Conflict => 7,
        }
    }

    /// The code for a wire value; unknown values read as [`ErrorCode::Failed`].
    #[must_use]
    pub const fn from_u32(value: u32) -> Self {
        match value {
            2 => Self::Panicked,
            3 => Self::Unsupported,
            4 => Self::Invalid,
            5 => Self::Forbidden,
            6 => Self::Discord,
            7 => Self::Conflict,
            _ => Self::Failed,
        }
    }
}

impl AbiError {
    /// Builds an error with a code and a message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code: code.as_u32(),
            message: RString::from(message.into()),
        }
    }

    /// The code as an enum.
    #[must_use]
    pub const fn kind(&self) -> ErrorCode {
        ErrorCode::from_u32(self.code)
    }
}

/// The result type of every call across the boundary: JSON text or an [`AbiError`].
pub type AbiResult = RResult<RString, AbiError>;

/// What the host offers a plugin instance. Implemented by the host, called by the plugin.
#[sabi_trait]
pub trait HostApi: Send + Sync {
    /// Performs the host operation `op` (for example `store.get`, `discord`, `timer.schedule`)
    /// with a JSON payload and returns its JSON result.
    fn request(&self, op: RStr<'_>, payload: RStr<'_>) -> AbiResult;

    /// Forwards one log record. `level` is 1 (error) to 5 (trace), as in the `log` crate.
    #[sabi(last_prefix_field)]
    fn log(&self, level: u8, target: RStr<'_>, message: RStr<'_>);
}

/// What a plugin instance offers the host. Implemented by the SDK, called by the host's worker.
#[sabi_trait]
pub trait PluginInstance: Send {
    /// Handles one call. `kind` names it (`event:MESSAGE_CREATE`, `command`, `component`, `modal`,
    /// `autocomplete`, `timer`, `unload`); `payload` is its JSON.
    #[sabi(last_prefix_field)]
    fn call(&mut self, kind: RStr<'_>, payload: RStr<'_>) -> AbiResult;
}

/// The host object handed to a plugin at instantiation.
pub type HostBox = HostApi_TO<'static, RBox<()>>;

/// A live plugin instance, owned by the host.
pub type PluginBox = PluginInstance_TO<'static, RBox<()>>;

/// The root module every plugin library exports (through [`export_plugin!`](crate::export_plugin)).
#[repr(C)]
#[derive(StableAbi)]
#[sabi(kind(Prefix(prefix_ref = PluginModuleRef)))]
#[sabi(missing_field(panic))]
pub struct PluginModule {
    /// Returns the plugin's manifest as JSON. Runs no plugin logic besides building the manifest.
    pub manifest: extern "C" fn() -> AbiResult,

    /// Creates an instance bound to `host`.
    #[sabi(last_prefix_field)]
    pub instantiate: extern "C" fn(host: HostBox) -> RResult<PluginBox, AbiError>,
}

impl RootModule for PluginModuleRef {
    abi_stable::declare_root_module_statics! {PluginModuleRef}
    const BASE_NAME: &'static str = "arsenal_plugin";
    const NAME: &'static str = "arsenal_plugin";
    const VERSION_STRINGS: VersionStrings = package_version_strings!();
}
