//! Loads a plugin library and validates it before any of its plugin code runs.
//!
//! abi_stable never unloads a library and the dynamic linker returns the already-loaded copy for
//! a file it has seen (same inode), so every load goes through a fresh anonymous in-memory file
//! (`memfd`, opened as `/proc/self/fd/N`): a new inode each time, no disk write, nothing left
//! behind. The bytes loaded are exactly the bytes hashed and checked. Each load keeps one file
//! descriptor open for good (see `Loader::open`); `raise_fd_limit` makes room at start.
//!
//! Failures leak nothing per attempt: a library refused before any of its code ran (no plugin
//! root module) is closed again, descriptor and mapping. One refused after abi_stable read it
//! (version, layout, manifest) stays mapped, as abi_stable may keep references into it, so its
//! descriptor stays open too and its content hash is remembered: the same bytes are refused
//! again from memory, never mapped twice, however often a bad file is reloaded.
//! Validation order: complete ELF shared library (see `elf_check`) → root-module symbol →
//! abi_stable version → type layout → manifest (JSON, fields, API version, name = file stem).
//! Only `instantiate` runs plugin logic, and the worker calls it, in the plugin's own queue.
//!
//! The type layout: abi_stable walks the whole layout graph of the root module (about 0.1 ms).
//! A library that carries this host's own ABI fingerprint (see
//! `arsenal_plugin_api::abi::ABI_FINGERPRINT`) was compiled from the same interface source, so
//! once one such library has passed the full walk, later ones skip it. A library with no
//! fingerprint or another one is always walked in full.

use std::{
    collections::HashMap,
    ffi::CString,
    fmt, fs,
    io::{Read, Write},
    os::fd::{AsRawFd, FromRawFd, IntoRawFd, OwnedFd},
    path::{Path, PathBuf},
    sync::{
        atomic::{AtomicBool, AtomicU64, Ordering},
        Arc, Mutex, OnceLock, PoisonError,
    },
};

use abi_stable::{
    library::{lib_header_from_raw_library, LibraryError, RawLibrary},
    std_types::RResult,
};
use arsenal_plugin_api::{
    abi::{PluginModuleRef, ABI_FINGERPRINT, ABI_FINGERPRINT_SYMBOL},
    Manifest,
};

use super::{
    code_budget::CodeBudget,
    shared_libraries::{is_rust_runtime, RuntimeDirs},
};

mod error;
pub use error::LoadError;

/// A validated library, ready to instantiate.
pub struct LoadedLibrary {
    /// The root module (its code stays mapped for the life of the process).
    pub module: PluginModuleRef,
    /// The validated manifest.
    pub manifest: Manifest,
    /// The file it came from.
    pub source: PathBuf,
    /// The file's content hash (see [`hash_bytes`]).
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

/// A plugin file read into memory, checked and hashed: ready to open.
///
/// Staging is the part of a load that runs none of the library's code, so the watcher stages a
/// file once, compares its hash with the serving version (a file with the same content costs a
/// read and a hash, nothing more), and hands the same bytes to [`Loader::open`], which copies
/// exactly them into the fresh in-memory file it maps. The file is read once per load.
pub struct StagedFile {
    source: PathBuf,
    bytes: Vec<u8>,
    hash: String,
    size: u64,
    /// The Rust runtime libraries it needs (see [`super::runtime`]).
    runtime: Vec<String>,
}

impl StagedFile {
    /// The content hash of the staged bytes (see [`hash_bytes`]).
    #[must_use]
    pub fn hash(&self) -> &str {
        &self.hash
    }
}

impl fmt::Debug for StagedFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StagedFile")
            .field("source", &self.source)
            .field("hash", &self.hash)
            .field("size", &self.size)
            .finish_non_exhaustive()
    }
}

/// Loads plugin libraries through fresh in-memory files.
#[derive(Debug, Default)]
pub struct Loader {
    /// Where the runtime libraries plugins link against are found.
    runtime: RuntimeDirs,
    /// A library with this host's ABI fingerprint has passed the full layout walk.
    fingerprint_verified: AtomicBool,
    /// Full layout walks done (the rest were trusted by fingerprint).
    layout_walks: AtomicU64,
    /// Content hash → why it was refused, for libraries refused after they were mapped for good.
    refused: Mutex<HashMap<String, LoadError>>,
    /// The bound on retired plugin code, when the host re-executes itself to keep it.
    code_budget: OnceLock<Arc<CodeBudget>>,
}

/// How far a failed open got: whether the library is still mapped.
struct OpenError {
    error: LoadError,
    mapped: bool,
}

impl Loader {
    /// A loader that looks for runtime libraries in `<plugins_dir>/runtime` first (see
    /// [`super::runtime`]). `Loader::default()` looks only in this host's toolchain (std only).
    #[must_use]
    pub fn new(plugins_dir: &Path) -> Self {
        Self {
            runtime: RuntimeDirs::new(Some(plugins_dir)),
            ..Self::default()
        }
    }

    /// Bounds the plugin code retired by reloads with `budget` (set once; see
    /// [`CodeBudget`]). Later calls are ignored.
    pub fn set_code_budget(&self, budget: Arc<CodeBudget>) {
        let _ = self.code_budget.set(budget);
    }

    /// The budget set with [`Loader::set_code_budget`].
    #[must_use]
    pub fn code_budget(&self) -> Option<&Arc<CodeBudget>> {
        self.code_budget.get()
    }

    /// How many loads walked the full type layout (the others were trusted by fingerprint).
    #[must_use]
    pub fn layout_walks(&self) -> u64 {
        self.layout_walks.load(Ordering::Relaxed)
    }

    /// Maps the library, reads its ABI fingerprint and header, checks the abi_stable version and
    /// the type layout (in full unless the fingerprint is this host's and already verified), then
    /// runs its root-module initialiser.
    fn open_module(&self, copy: &Path, file: &Path) -> Result<PluginModuleRef, OpenError> {
        let closed = |error| OpenError {
            error,
            mapped: false,
        };
        let mapped = |error| OpenError {
            error,
            mapped: true,
        };
        let not_a_library = |err: LibraryError| match err {
            LibraryError::OpenError { err, .. } => LoadError::NotALibrary {
                detail: strip_path(&err.to_string(), copy),
                file: file.to_path_buf(),
            },
            LibraryError::GetSymbolError { .. } => LoadError::NotAPlugin {
                file: file.to_path_buf(),
            },
            other => classify(other, file, copy),
        };
        let library = RawLibrary::load_at(copy)
            .map_err(not_a_library)
            .map_err(closed)?;
        let symbol = format!("{ABI_FINGERPRINT_SYMBOL}\0");
        // SAFETY: export_plugin! defines this symbol as a `[u8; 16]` static; reading 16 bytes at
        // its address is all that is done, and a library without it yields an error here.
        let fingerprint: Option<[u8; 16]> =
            unsafe { library.get::<&'static [u8; 16]>(symbol.as_bytes()) }
                .ok()
                .map(|found| **found);
        // SAFETY: the library is leaked below (abi_stable never unloads), so the header's
        // references into it stay valid for the life of the process. On error nothing refers
        // to it: dropping `library` closes it (none of its plugin code has run).
        let header = unsafe { lib_header_from_raw_library(&library) }
            .map_err(not_a_library)
            .map_err(closed)?;
        std::mem::forget(library);
        let ours = fingerprint == Some(ABI_FINGERPRINT);
        if ours && self.fingerprint_verified.load(Ordering::Acquire) {
            // SAFETY: a library with this host's fingerprint was compiled from the same interface
            // source as one that passed the full layout walk in this process.
            return unsafe { header.init_root_module_with_unchecked_layout::<PluginModuleRef>() }
                .map_err(|error| mapped(classify(error, file, copy)));
        }
        self.layout_walks.fetch_add(1, Ordering::Relaxed);
        let module = header
            .init_root_module::<PluginModuleRef>()
            .map_err(|error| mapped(classify(error, file, copy)))?;
        if ours {
            self.fingerprint_verified.store(true, Ordering::Release);
        }
        Ok(module)
    }

    /// Loads and validates the library at `path`, expected to be module `expected_name`.
    ///
    /// # Errors
    ///
    /// A [`LoadError`] saying what is wrong with the file.
    pub fn load(&self, path: &Path, expected_name: &str) -> Result<LoadedLibrary, LoadError> {
        self.open(self.stage(path)?, expected_name)
    }

    /// Reads the file at `path`, checks that it is a complete ELF shared library and hashes it.
    /// Runs none of its code.
    ///
    /// The bytes checked and hashed are the bytes [`Loader::open`] copies into the in-memory
    /// file, so they are exactly what the dynamic linker will map. (Measured here: `read` +
    /// `write` into the memfd beats a single `read` into a shared mapping of it, whose page-table
    /// set-up and tear-down cost more than the second copy.)
    ///
    /// # Errors
    ///
    /// [`LoadError::Io`] when the file cannot be read (or shrinks while being read: a copy in
    /// progress), [`LoadError::NotALibrary`] when the bytes are not a complete ELF library.
    pub fn stage(&self, path: &Path) -> Result<StagedFile, LoadError> {
        let file = path.to_path_buf();
        let io = |detail: String| LoadError::Io {
            file: file.clone(),
            detail,
        };
        let mut source = fs::File::open(path).map_err(|e| io(e.to_string()))?;
        let size = source.metadata().map_err(|e| io(e.to_string()))?.len();
        let len = usize::try_from(size)
            .ok()
            .filter(|&len| len <= MAX_LIBRARY_SIZE)
            .ok_or_else(|| {
                io(format!(
                    "{size} bytes is larger than any plugin library ({} MiB at most)",
                    MAX_LIBRARY_SIZE >> 20
                ))
            })?;
        let mut bytes = Vec::with_capacity(len);
        source
            .read_to_end(&mut bytes)
            .map_err(|e| io(e.to_string()))?;
        if bytes.len() != len {
            return Err(io(
                "the file changed size while it was read (still being written?)".to_owned(),
            ));
        }
        let needed = super::elf_check::check(&bytes).map_err(|detail| LoadError::NotALibrary {
            file: file.clone(),
            detail,
        })?;
        let runtime = needed.into_iter().filter(|n| is_rust_runtime(n)).collect();
        let hash = hash_bytes(&bytes);
        Ok(StagedFile {
            source: file,
            bytes,
            hash,
            size,
            runtime,
        })
    }

    /// Copies a staged file into a fresh in-memory file, opens it and validates it as module
    /// `expected_name` (abi_stable version and type layout, manifest). Runs the library's static
    /// initialisers, not its plugin code.
    ///
    /// # Errors
    ///
    /// A [`LoadError`] saying what is wrong with the library.
    pub fn open(
        &self,
        staged: StagedFile,
        expected_name: &str,
    ) -> Result<LoadedLibrary, LoadError> {
        let StagedFile {
            source: file,
            bytes,
            hash,
            size,
            runtime,
        } = staged;
        match self
            .refused
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&hash)
        {
            // A valid library of another module is refused only under a name not its own.
            Some(LoadError::NameMismatch { manifest_name, .. })
                if manifest_name == expected_name => {}
            Some(LoadError::NameMismatch { manifest_name, .. }) => {
                return Err(LoadError::NameMismatch {
                    file,
                    manifest_name: manifest_name.clone(),
                })
            }
            Some(error) => return Err(error.clone().about(&file)),
            None => {}
        }
        let budget = self.code_budget.get();
        if let Some(budget) = budget {
            budget
                .admit(size)
                .map_err(|retired| LoadError::OverBudget {
                    file: file.clone(),
                    retired,
                    budget: budget.budget(),
                })?;
        }
        for name in &runtime {
            self.runtime
                .ensure_loaded(name)
                .map_err(|error| LoadError::Runtime {
                    file: file.clone(),
                    error,
                })?;
        }
        let memfd = anonymous_copy(file_stem(&file), &bytes).map_err(|e| LoadError::Io {
            file: file.clone(),
            detail: format!("creating an in-memory copy: {e}"),
        })?;
        drop(bytes);
        let fd_path = PathBuf::from(format!("/proc/self/fd/{}", memfd.as_raw_fd()));
        let module = self.open_module(&fd_path, &file);
        if let Some(budget) = budget {
            if !matches!(module, Err(OpenError { mapped: false, .. })) {
                budget.mapped(size);
            }
        }
        let opened = module.and_then(|module| {
            let manifest = read_manifest(module, &file).map_err(|error| OpenError {
                error,
                mapped: true,
            })?;
            if manifest.name != expected_name {
                return Err(OpenError {
                    error: LoadError::NameMismatch {
                        file: file.clone(),
                        manifest_name: manifest.name,
                    },
                    mapped: true,
                });
            }
            Ok((module, manifest))
        });
        let (module, manifest) = match opened {
            Ok(opened) => opened,
            // Closed again: dropping `memfd` closes the descriptor and frees the copy.
            Err(OpenError {
                error,
                mapped: false,
            }) => return Err(error),
            Err(OpenError { error, .. }) => {
                // Still mapped: keep its descriptor (below) and never map these bytes again.
                let _ = memfd.into_raw_fd();
                self.refused
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .insert(hash, error.clone());
                return Err(error);
            }
        };
        // The dynamic linker also recognises a library by the path string it was opened with, so
        // the descriptor stays open for the life of the process, like the mapping itself: its
        // `/proc/self/fd/N` name is then never reused for another library.
        let _ = memfd.into_raw_fd();
        Ok(LoadedLibrary {
            module,
            manifest,
            source: file,
            file_hash: hash,
            file_size: size,
        })
    }
}

/// Copies the file at `path` into a new in-memory file as [`Loader::stage`] does, without
/// checking or hashing it: the floor any load pays (the reload benchmark's reference).
///
/// # Errors
///
/// When the file cannot be read or the in-memory file cannot be made.
pub fn copy_to_memfd(path: &Path) -> std::io::Result<OwnedFd> {
    anonymous_copy(file_stem(path), &fs::read(path)?)
}

/// No plugin library comes near this; a bigger file is refused before it is copied.
const MAX_LIBRARY_SIZE: usize = 512 << 20;

fn file_stem(path: &Path) -> &str {
    path.file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("plugin")
}

/// Raises the soft limit on open files to the hard limit: every library load keeps one
/// descriptor, so a long-running host doing thousands of reloads needs more than the usual 1024.
pub fn raise_fd_limit() {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: plain syscalls on a local struct.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 && limit.rlim_cur < limit.rlim_max
        {
            limit.rlim_cur = limit.rlim_max;
            let _ = libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
        }
    }
}

/// A new anonymous in-memory file holding `bytes` (a fresh inode for the dynamic linker).
///
/// # Errors
///
/// When the kernel refuses the memfd or the write fails (out of memory).
pub fn anonymous_copy(name: &str, bytes: &[u8]) -> std::io::Result<OwnedFd> {
    let mut file = fs::File::from(new_memfd(name)?);
    file.write_all(bytes)?;
    Ok(file.into())
}

fn new_memfd(name: &str) -> std::io::Result<OwnedFd> {
    let name = CString::new(format!("arsenal-plugin-{name}")).map_err(std::io::Error::other)?;
    // SAFETY: `name` is a valid NUL-terminated string; the returned descriptor is owned below.
    let fd = unsafe { libc::memfd_create(name.as_ptr(), libc::MFD_CLOEXEC) };
    if fd < 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: `fd` was just returned by memfd_create and is owned by nobody else.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
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
    let detail = detail.replace(&copy.display().to_string(), "the library");
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

/// A 128-bit content hash (xxh3) as 32 hex digits: tells builds apart in status, history and the
/// watcher. Not a security measure: whoever can write the plugins folder can run code anyway.
#[must_use]
pub fn hash_bytes(bytes: &[u8]) -> String {
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(bytes))
}
