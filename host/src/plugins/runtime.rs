//! The Rust runtime the plugin libraries share.
//!
//! `cargo xtask build-plugins` links every plugin against the Rust standard library as a shared
//! library (`-C prefer-dynamic`): `libstd-<hash>.so`, the hash naming the exact toolchain. That
//! takes std (its formatting, panic and backtrace machinery, collections, threads: about 350 KiB)
//! out of each plugin file, so every reload reads, hashes, copies and maps that much less, and the
//! host keeps one copy of std mapped for all plugins instead of one per loaded version.
//!
//! The runtime is loaded once, before the first library that needs it, from the first folder
//! that has it:
//! 1. `<plugins>/runtime/`, where build-plugins installs it beside the plugins it built;
//! 2. the library folder of the toolchain that built this host (a development machine, tests).
//!
//! It is never unloaded. A plugin built by another toolchain needs another `libstd-<hash>.so`;
//! when no folder has it the load is refused, naming the missing file. Libraries linked with std
//! built in (a plugin built with plain `cargo build`) need no runtime and load as before.

use std::{
    collections::BTreeSet,
    ffi::{CStr, CString},
    fmt,
    path::{Path, PathBuf},
    sync::{Mutex, MutexGuard, PoisonError},
};

/// The toolchain library folder of the compiler that built this host (see build.rs).
const TOOLCHAIN_LIB_DIR: Option<&str> = option_env!("ARSENAL_TOOLCHAIN_LIB_DIR");

/// Whether a `DT_NEEDED` name is the Rust runtime (`libstd-<hash>.so`).
#[must_use]
pub fn is_rust_runtime(needed: &str) -> bool {
    needed.starts_with("libstd-") && needed.ends_with(".so") && !needed.contains('/')
}

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
                    "it needs the Rust runtime {name} (the standard library of the toolchain that built it), which is in none of: {}; \
                     install it with `cargo xtask build-plugins`, or rebuild the plugin with the toolchain that built this host",
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
        tracing::info!(runtime = %path.display(), "loaded the Rust runtime plugins link against");
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
    fn only_libstd_names_are_the_runtime() {
        assert!(is_rust_runtime("libstd-d1237ef7159db0a2.so"));
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
    fn a_damaged_runtime_is_refused_with_the_linker_message() {
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
