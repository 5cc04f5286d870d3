//! The Rust runtime the plugin libraries share.
//!
//! `cargo xtask build-plugins` links every plugin dynamically against two runtime libraries
//! instead of giving each its own copy:
//! - the Rust standard library, `libstd-<hash>.so` (`-C prefer-dynamic`; the hash names the
//!   exact toolchain): std's formatting, panic and backtrace machinery, collections, threads;
//! - the SDK runtime, `libarsenal_plugin_api-<hash>.so`: plugin-api built as a Rust `dylib`,
//!   holding serde, serde_json, twilight-model, abi_stable and the SDK itself. Its hash names
//!   everything it was built from (plugin-api/build.rs), so two different builds never share a
//!   name and load side by side.
//!
//! That keeps each plugin file down to the plugin's own code, so every reload reads, hashes,
//! copies and maps that much less, and the host keeps one copy of the shared code mapped for all
//! plugins instead of one per loaded version.
//!
//! A runtime library is loaded once, before the first plugin that needs it (after the runtime
//! libraries it needs itself), from the first folder that has it:
//! 1. `<plugins>/runtime/`, where build-plugins installs them beside the plugins it built;
//! 2. the library folder of the toolchain that built this host (std only: a development machine).
//!
//! It is never unloaded. A plugin needing a runtime no folder has is refused, naming the missing
//! file. Libraries linked with everything built in (a plugin built with plain `cargo build`) need
//! no runtime and load as before.

use std::{
    collections::BTreeSet,
    ffi::{CStr, CString},
    fmt,
    path::{Path, PathBuf},
    sync::{Mutex, MutexGuard, PoisonError},
};

/// The toolchain library folder of the compiler that built this host (see build.rs).
const TOOLCHAIN_LIB_DIR: Option<&str> = option_env!("ARSENAL_TOOLCHAIN_LIB_DIR");

/// The file-name prefixes of the runtime libraries.
const STD_PREFIX: &str = "libstd-";
const SDK_PREFIX: &str = "libarsenal_plugin_api-";

/// Whether a `DT_NEEDED` name is a runtime library (`libstd-<hash>.so`,
/// `libarsenal_plugin_api-<hash>.so`).
#[must_use]
pub fn is_rust_runtime(needed: &str) -> bool {
    (needed.starts_with(STD_PREFIX) || needed.starts_with(SDK_PREFIX))
        && needed.ends_with(".so")
        && !needed.contains('/')
}

/// What a runtime library is, for messages.
fn describe(name: &str) -> &'static str {
    if name.starts_with(SDK_PREFIX) {
        "the Arsenal SDK runtime it was built against"
    } else {
        "the standard library of the toolchain that built it"
    }
}

/// How deep runtime libraries may depend on each other (the SDK runtime needs std: 2).
const MAX_DEPTH: usize = 4;

/// Why the runtime a library needs could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeError {
    /// No folder has the file.
    Missing {
        /// The file name, e.g. `libstd-d1237ef7159db0a2.so`.
        name: String,
        /// The folders looked in.
        searched: Vec<PathBuf>,
    },
    /// The file is there but the dynamic linker refused it.
    Unloadable {
        /// The file.
        path: PathBuf,
        /// What the dynamic linker said.
        detail: String,
    },
}

impl fmt::Display for RuntimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Missing { name, searched } => {
                let folders: Vec<String> =
                    searched.iter().map(|d| d.display().to_string()).collect();
                write!(
                    f,
                    "it needs the Rust runtime {name} ({}), which is in none of: {}; \
                     install it with `cargo xtask build-plugins`, or rebuild the plugin with the toolchain and SDK that built this host",
                    describe(name),
                    folders.join(", ")
                )
            }
            Self::Unloadable { path, detail } => write!(
                f,
                "its Rust runtime {} could not be loaded ({detail})",
                path.display()
            ),
        }
    }
}

/// Where the runtime is looked for, in order.
#[derive(Debug, Clone)]
pub struct RuntimeDirs {
    dirs: Vec<PathBuf>,
}

impl Default for RuntimeDirs {
    /// Only the toolchain that built this host.
    fn default() -> Self {
        Self::new(None)
    }
}

impl RuntimeDirs {
    /// `<plugins_dir>/runtime` (when given), then the toolchain that built this host.
    #[must_use]
    pub fn new(plugins_dir: Option<&Path>) -> Self {
        let mut dirs: Vec<PathBuf> = plugins_dir.map(runtime_dir).into_iter().collect();
        dirs.extend(TOOLCHAIN_LIB_DIR.map(PathBuf::from));
        Self { dirs }
    }

    /// Makes sure the runtime library `name` (a `DT_NEEDED` entry) is loaded, so the dynamic
    /// linker finds it by name when it maps a library that needs it.
    ///
    /// # Errors
    ///
    /// When no folder has it, or it does not load.
    pub fn ensure_loaded(&self, name: &str) -> Result<(), RuntimeError> {
        self.ensure_loaded_at(name, 0)
    }

    fn ensure_loaded_at(&self, name: &str, depth: usize) -> Result<(), RuntimeError> {
        let missing = || RuntimeError::Missing {
            name: name.to_owned(),
            searched: self.dirs.clone(),
        };
        if lock_loaded().contains(name) {
            return Ok(());
        }
        let Ok(bare) = CString::new(name) else {
            return Err(missing());
        };
        // SAFETY: a NUL-terminated name; RTLD_NOLOAD only looks among loaded objects.
        let loaded = unsafe { libc::dlopen(bare.as_ptr(), libc::RTLD_NOW | libc::RTLD_NOLOAD) };
        if !loaded.is_null() {
            // SAFETY: releases the reference taken just above; the runtime stays (NODELETE).
            unsafe { libc::dlclose(loaded) };
            lock_loaded().insert(name.to_owned());
            return Ok(());
        }
        let Some(path) = self
            .dirs
            .iter()
            .map(|dir| dir.join(name))
            .find(|path| path.is_file())
        else {
            return Err(missing());
        };
        let unloadable = |detail: String| RuntimeError::Unloadable {
            path: path.clone(),
            detail,
        };
        // The runtime libraries it needs itself first (the SDK runtime needs std): the dynamic
        // linker finds them only among loaded objects. The check, which reads only the headers
        // and the dynamic section of this large file, also refuses a truncated one (it would
        // crash the dynamic linker).
        let file = std::fs::File::open(&path).map_err(|e| unloadable(e.to_string()))?;
        let len = file
            .metadata()
            .map_err(|e| unloadable(e.to_string()))?
            .len();
        let needed =
            super::elf_check::check_data(&object::ReadCache::new(file), len).map_err(unloadable)?;
        for dependency in needed.iter().filter(|n| is_rust_runtime(n) && *n != name) {
            if depth >= MAX_DEPTH {
                return Err(unloadable(format!(
                    "runtime libraries needing each other more than {MAX_DEPTH} deep"
                )));
            }
            self.ensure_loaded_at(dependency, depth + 1)?;
        }
        let c_path = CString::new(path.as_os_str().as_encoded_bytes())
            .map_err(|e| unloadable(e.to_string()))?;
        // SAFETY: a NUL-terminated path. The handle is deliberately kept for the life of the
        // process: libraries mapped later refer to the runtime's code.
        let handle = unsafe {
            libc::dlopen(
                c_path.as_ptr(),
                libc::RTLD_NOW | libc::RTLD_LOCAL | libc::RTLD_NODELETE,
            )
        };
        if handle.is_null() {
            return Err(unloadable(last_dl_error()));
        }
        tracing::info!(runtime = %path.display(), "loaded a runtime library the plugins link against");
        lock_loaded().insert(name.to_owned());
        Ok(())
    }
}

/// Runtime names known to be loaded in this process (the dynamic linker's state is process-wide
/// and a runtime is never unloaded), so later loads skip asking the linker.
static LOADED: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());

fn lock_loaded() -> MutexGuard<'static, BTreeSet<String>> {
    LOADED.lock().unwrap_or_else(PoisonError::into_inner)
}

/// `<plugins_dir>/runtime`: where build-plugins installs the runtime.
#[must_use]
pub fn runtime_dir(plugins_dir: &Path) -> PathBuf {
    plugins_dir.join("runtime")
}

fn last_dl_error() -> String {
    // SAFETY: dlerror returns NULL or a NUL-terminated string valid until the next dl* call on
    // this thread; it is copied at once.
    unsafe {
        let message = libc::dlerror();
        if message.is_null() {
            "unknown error".to_owned()
        } else {
            CStr::from_ptr(message).to_string_lossy().into_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_libstd_and_sdk_names_are_the_runtime() {
        assert!(is_rust_runtime("libstd-d1237ef7159db0a2.so"));
        assert!(is_rust_runtime("libarsenal_plugin_api-0123456789abcdef.so"));
        assert!(!is_rust_runtime("libarsenal_plugin_api.so"));
        assert!(!is_rust_runtime("libc.so.6"));
        assert!(!is_rust_runtime("libstdc++.so.6"));
        assert!(!is_rust_runtime("../libstd-x.so"));
    }

    #[test]
    fn a_missing_runtime_names_the_file_and_the_folders() {
        let dir = tempfile::tempdir().expect("temp dir");
        let dirs = RuntimeDirs::new(Some(dir.path()));
        let error = dirs
            .ensure_loaded("libstd-0000000000000000.so")
            .expect_err("no such runtime");
        let text = error.to_string();
        assert!(text.contains("libstd-0000000000000000.so"), "{text}");
        assert!(
            text.contains(&runtime_dir(dir.path()).display().to_string()),
            "{text}"
        );
        assert!(text.contains("cargo xtask build-plugins"), "{text}");
    }

    #[test]
    fn the_runtime_is_loaded_from_the_plugins_runtime_folder() {
        let Some(toolchain) = TOOLCHAIN_LIB_DIR else {
            return; // built without a known toolchain folder: nothing to copy from
        };
        let libstd = std::fs::read_dir(toolchain)
            .expect("toolchain folder")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(is_rust_runtime)
            })
            .expect("the toolchain has libstd-*.so");
        // Under a name no toolchain has, so only the plugins folder can provide it.
        let name = "libstd-a1a1a1a1a1a1a1a1.so";
        let dir = tempfile::tempdir().expect("temp dir");
        let missing = RuntimeDirs::new(Some(dir.path())).ensure_loaded(name);
        assert!(
            matches!(missing, Err(RuntimeError::Missing { .. })),
            "{missing:?}"
        );
        std::fs::create_dir_all(runtime_dir(dir.path())).expect("runtime dir");
        std::fs::copy(&libstd, runtime_dir(dir.path()).join(name)).expect("install");
        let dirs = RuntimeDirs::new(Some(dir.path()));
        dirs.ensure_loaded(name)
            .expect("loaded from <plugins>/runtime");
        dirs.ensure_loaded(name).expect("and found again");
    }

    #[test]
    fn a_damaged_runtime_is_refused_saying_why() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(runtime_dir(dir.path())).expect("runtime dir");
        let name = "libstd-ffffffffffffffff.so";
        std::fs::write(runtime_dir(dir.path()).join(name), b"not a library").expect("write");
        let error = RuntimeDirs::new(Some(dir.path()))
            .ensure_loaded(name)
            .expect_err("garbage");
        assert!(
            matches!(&error, RuntimeError::Unloadable { detail, .. } if !detail.is_empty()),
            "{error}"
        );
    }
}
