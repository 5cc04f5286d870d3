//! Loads a plugin library and validates it before any of its plugin code runs.
//!
//! abi_stable caches a library per path and never unloads one, so every load copies the file to
//! a fresh path (a new inode) first; the copy is deleted as soon as it is mapped. Validation order:
//! complete ELF shared library (see `elf_check`) → root-module symbol → abi_stable version → full type-layout comparison →
//! manifest (JSON, fields, API version, name = file stem). Only `instantiate` runs plugin logic,
//! and the worker calls it, in the plugin's own queue.

use std::{
    fmt, fs,
    path::{Path, PathBuf},
    sync::atomic::{AtomicU64, Ordering},
};

use abi_stable::{
    library::{lib_header_from_path, LibraryError},
    std_types::RResult,
};
use arsenal_plugin_api::{abi::PluginModuleRef, Manifest};
use sha2::{Digest, Sha256};

/// A validated library, ready to instantiate.
pub struct LoadedLibrary {
    /// The root module (its code stays mapped for the life of the process).
    pub module: PluginModuleRef,
    /// The validated manifest.
    pub manifest: Manifest,
    /// The file it came from.
    pub source: PathBuf,
    /// First 16 hex digits of the file's SHA-256.
    pub file_hash: String,
    /// The file's size in bytes.
    pub file_size: u64,
}

impl fmt::Debug for LoadedLibrary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoadedLibrary")
            .field("name", &self.manifest.name)
            .field("version", &self.manifest.version)
            .field("file_hash", &self.file_hash)
            .finish_non_exhaustive()
    }
}

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
    /// The manifest names another module than the file.
    NameMismatch {
        file: PathBuf,
        manifest_name: String,
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
            Self::NameMismatch { file, manifest_name } => write!(
                f,
                "{}: the manifest names module {manifest_name:?}; rename the file to {manifest_name}.so or fix the manifest",
                file.display()
            ),
        }
    }
}

impl std::error::Error for LoadError {}

/// Where fresh copies are made before loading.
#[derive(Debug)]
pub struct Loader {
    staging_dir: PathBuf,
    sequence: AtomicU64,
}

impl Loader {
    /// A loader copying into `staging_dir`, which it creates and empties of leftovers.
    ///
    /// # Errors
    ///
    /// When the directory cannot be created.
    pub fn new(staging_dir: PathBuf) -> std::io::Result<Self> {
        fs::create_dir_all(&staging_dir)?;
        if let Ok(entries) = fs::read_dir(&staging_dir) {
            for entry in entries.flatten() {
                let _ = fs::remove_file(entry.path());
            }
        }
        Ok(Self {
            staging_dir,
            sequence: AtomicU64::new(0),
        })
    }

    /// Loads and validates the library at `path`, expected to be module `expected_name`.
    ///
    /// # Errors
    ///
    /// A [`LoadError`] saying what is wrong with the file.
    pub fn load(&self, path: &Path, expected_name: &str) -> Result<LoadedLibrary, LoadError> {
        let file = path.to_path_buf();
        let bytes = fs::read(path).map_err(|e| LoadError::Io {
            file: file.clone(),
            detail: e.to_string(),
        })?;
        super::elf_check::check(&bytes).map_err(|detail| LoadError::NotALibrary {
            file: file.clone(),
            detail,
        })?;
        let file_hash = hash_bytes(&bytes);
        let sequence = self.sequence.fetch_add(1, Ordering::Relaxed);
        let copy = self.staging_dir.join(format!(
            "{expected_name}-{}-{sequence}-{file_hash}.so",
            std::process::id()
        ));
        fs::write(&copy, &bytes).map_err(|e| LoadError::Io {
            file: file.clone(),
            detail: format!("copying to {}: {e}", copy.display()),
        })?;
        let module = open_module(&copy, &file);
        // The mapping stays valid without the file; never leave copies behind.
        let _ = fs::remove_file(&copy);
        let module = module?;
        let manifest = read_manifest(module, &file)?;
        if manifest.name != expected_name {
            return Err(LoadError::NameMismatch {
                file,
                manifest_name: manifest.name,
            });
        }
        Ok(LoadedLibrary {
            module,
            manifest,
            source: file,
            file_hash,
            file_size: bytes.len() as u64,
        })
    }
}

fn open_module(copy: &Path, file: &Path) -> Result<PluginModuleRef, LoadError> {
    let file = file.to_path_buf();
    let header = lib_header_from_path(copy).map_err(|error| match error {
        LibraryError::OpenError { err, .. } => LoadError::NotALibrary {
            detail: strip_path(&err.to_string(), copy),
            file: file.clone(),
        },
        LibraryError::GetSymbolError { .. } => LoadError::NotAPlugin { file: file.clone() },
        other => classify(other, &file, copy),
    })?;
    header
        .init_root_module::<PluginModuleRef>()
        .map_err(|error| classify(error, &file, copy))
}

fn classify(error: LibraryError, file: &Path, copy: &Path) -> LoadError {
    let file = file.to_path_buf();
    match error {
        LibraryError::AbiInstability(details) => LoadError::IncompatibleAbi {
            file,
            summary: summarize_layout_error(&details.to_string()),
        },
        LibraryError::IncompatibleVersionNumber {
            expected_version,
            actual_version,
            ..
        } => LoadError::IncompatibleVersion {
            file,
            detail: format!("host expects {expected_version}, library has {actual_version}"),
        },
        LibraryError::InvalidAbiHeader(header) => LoadError::IncompatibleVersion {
            file,
            detail: format!("abi_stable header {header:?}"),
        },
        LibraryError::RootModule { err, .. } => LoadError::RootModule {
            file,
            detail: err.to_string(),
        },
        other => LoadError::NotALibrary {
            file,
            detail: strip_path(&other.to_string(), copy),
        },
    }
}

/// abi_stable's layout report runs to hundreds of lines; keep the first concrete difference.
fn summarize_layout_error(report: &str) -> String {
    let lines: Vec<&str> = report
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let first = lines
        .iter()
        .find(|l| {
            let lower = l.to_ascii_lowercase();
            lower.contains("mismatch") || lower.contains("expected") || lower.contains("different")
        })
        .or_else(|| lines.first())
        .map_or("type layouts differ", |line| line);
    let mut summary: String = first.chars().take(160).collect();
    if first.chars().count() > 160 {
        summary.push('…');
    }
    format!("type layout mismatch: {summary}")
}

fn strip_path(detail: &str, copy: &Path) -> String {
    let detail = detail.replace(&copy.display().to_string(), "the file");
    detail.lines().next().unwrap_or_default().to_owned()
}

fn read_manifest(module: PluginModuleRef, file: &Path) -> Result<Manifest, LoadError> {
    let bad = |problems: Vec<String>| LoadError::BadManifest {
        file: file.to_path_buf(),
        problems,
    };
    let json = match (module.manifest())() {
        RResult::ROk(json) => json,
        RResult::RErr(error) => return Err(bad(vec![error.message.into_string()])),
    };
    let manifest: Manifest = serde_json::from_str(json.as_str())
        .map_err(|e| bad(vec![format!("manifest JSON did not parse: {e}")]))?;
    manifest.validate().map_err(bad)?;
    Ok(manifest)
}

/// First 16 hex digits of the SHA-256 of `bytes`: enough to tell builds apart in status and history.
#[must_use]
pub fn hash_bytes(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}
