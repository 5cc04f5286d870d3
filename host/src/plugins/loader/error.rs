//! Why a library was refused ([`LoadError`]): one line a person can act on per case.

use std::{
    fmt,
    path::{Path, PathBuf},
};

use crate::plugins::shared_libraries::RuntimeError;

/// Why a library was refused. Each renders as one line a person can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    /// The file could not be read or copied.
    Io { file: PathBuf, detail: String },
    /// Not a shared library the system can load (garbage, truncated, wrong architecture).
    NotALibrary { file: PathBuf, detail: String },
    /// A shared library without the plugin root module.
    NotAPlugin { file: PathBuf },
    /// Built with an incompatible abi_stable or plugin-api version.
    IncompatibleVersion { file: PathBuf, detail: String },
    /// Built against a different plugin interface (type layouts differ).
    IncompatibleAbi { file: PathBuf, summary: String },
    /// The library's root module failed to initialise.
    RootModule { file: PathBuf, detail: String },
    /// The manifest is missing, malformed or invalid.
    BadManifest {
        file: PathBuf,
        problems: Vec<String>,
    },
    /// A runtime library it links against (std, the SDK runtime) is missing or does not load.
    Runtime { file: PathBuf, error: RuntimeError },
    /// The manifest names another module than the file.
    NameMismatch {
        file: PathBuf,
        manifest_name: String,
    },
    /// Mapping it would let retired plugin code pass `retired_code_budget_mib`: the host
    /// re-executes itself instead, and the new process loads the newest file.
    OverBudget {
        file: PathBuf,
        /// The estimated cost of the retired copies, had it been mapped.
        retired: u64,
        budget: u64,
    },
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io { file, detail } => write!(f, "{}: cannot read the file ({detail})", file.display()),
            Self::NotALibrary { file, detail } => write!(
                f,
                "{}: not a loadable shared library ({detail}); rebuild it with `cargo xtask build-plugins`",
                file.display()
            ),
            Self::NotAPlugin { file } => write!(
                f,
                "{}: a shared library but not an Arsenal plugin (no plugin root module); does the crate call `export_plugin!`?",
                file.display()
            ),
            Self::IncompatibleVersion { file, detail } => write!(
                f,
                "{}: built for another plugin interface version ({detail}); rebuild it against this host's plugin-api",
                file.display()
            ),
            Self::IncompatibleAbi { file, summary } => write!(
                f,
                "{}: built against a different plugin interface ({summary}); rebuild it against this host's plugin-api",
                file.display()
            ),
            Self::RootModule { file, detail } => {
                write!(f, "{}: its root module failed to initialise ({detail})", file.display())
            }
            Self::BadManifest { file, problems } => {
                write!(f, "{}: invalid manifest: {}", file.display(), problems.join("; "))
            }
            Self::Runtime { file, error } => write!(f, "{}: {error}", file.display()),
            Self::OverBudget { file, retired, budget } => write!(
                f,
                "{}: not loaded here: with it, the code of replaced versions still mapped would pass the budget ({} of {} MiB), so the host is re-executing itself to release it, and the new process loads this file",
                file.display(),
                retired >> 20,
                budget >> 20
            ),
            Self::NameMismatch { file, manifest_name } => write!(
                f,
                "{}: the manifest names module {manifest_name:?}; rename the file to {manifest_name}.so or fix the manifest",
                file.display()
            ),
        }
    }
}

impl std::error::Error for LoadError {}

impl LoadError {
    /// The same refusal, about `file` (the same bytes remembered from another file).
    pub(super) fn about(mut self, file: &Path) -> Self {
        match &mut self {
            Self::Io { file: f, .. }
            | Self::NotALibrary { file: f, .. }
            | Self::NotAPlugin { file: f }
            | Self::IncompatibleVersion { file: f, .. }
            | Self::IncompatibleAbi { file: f, .. }
            | Self::RootModule { file: f, .. }
            | Self::BadManifest { file: f, .. }
            | Self::Runtime { file: f, .. }
            | Self::NameMismatch { file: f, .. }
            | Self::OverBudget { file: f, .. } => file.clone_into(f),
        }
        self
    }
}
