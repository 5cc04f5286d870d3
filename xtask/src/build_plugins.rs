//! `cargo xtask build-plugins`: build every plugin and install it into the plugins folder.
//!
//! Installation is write-to-temp + rename in the plugins folder itself, so the host's watcher
//! only ever sees complete files, and a running host hot-reloads each changed plugin once.
//! Plugins link against the Rust standard library as a shared library; that runtime
//! (`libstd-<hash>.so`) is installed into `<plugins>/runtime/` (host/src/plugins/runtime.rs).

use std::{
    fs,
    path::{Path, PathBuf},
};

use anyhow::Context as _;

use crate::workspace;

/// Builds and installs every plugin; returns the installed files.
pub fn run(release: bool) -> anyhow::Result<Vec<PathBuf>> {
    let plugins: Vec<_> = workspace::cdylib_packages()?
        .into_iter()
        .filter(|p| p.is_plugin)
        .collect();
    if plugins.is_empty() {
        eprintln!("xtask: no plugin crates in plugins/ yet (create one with `cargo xtask new-plugin NAME`)");
        return Ok(Vec::new());
    }
    // Release plugins use the `plugin` profile (size-optimised): see the root Cargo.toml.
    let names: Vec<&str> = plugins.iter().map(|p| p.name.as_str()).collect();
    let profile_dir = workspace::build_plugin_libraries(&names, release)?;
    let destination = workspace::plugins_dir();
    fs::create_dir_all(&destination)
        .with_context(|| format!("creating {}", destination.display()))?;
    // The runtime first: a running host loads it before the first plugin that needs it.
    install_runtime(&destination)?;
    let mut installed = Vec::new();
    for plugin in &plugins {
        let built = profile_dir.join(format!("lib{}.so", plugin.lib_name));
        let target = destination.join(format!("{}.so", plugin.lib_name));
        let temp = destination.join(format!(".{}.so.tmp", plugin.lib_name));
        install_file(&built, &temp, &target)?;
        eprintln!("xtask: installed {}", target.display());
        installed.push(target);
    }
    Ok(installed)
}

/// Copies this toolchain's `libstd-<hash>.so` into `<plugins>/runtime/` (temp + rename), unless
/// an identical file is already there.
fn install_runtime(plugins: &Path) -> anyhow::Result<()> {
    let runtime = workspace::rust_runtime()?;
    let Some(name) = runtime.file_name() else {
        anyhow::bail!("{} has no file name", runtime.display());
    };
    let folder = plugins.join("runtime");
    fs::create_dir_all(&folder).with_context(|| format!("creating {}", folder.display()))?;
    let target = folder.join(name);
    let same = |a: &Path, b: &Path| -> bool {
        matches!((fs::read(a), fs::read(b)), (Ok(x), Ok(y)) if x == y)
    };
    if target.is_file() && same(&runtime, &target) {
        return Ok(());
    }
    install_file(&runtime, &folder.join(".runtime.so.tmp"), &target)?;
    eprintln!("xtask: installed the Rust runtime {}", target.display());
    Ok(())
}

/// Copies `source` to `temp`, fsyncs it and renames it over `target`: a watcher of the folder
/// only ever sees complete files, and the rename finds the data already on disk.
fn install_file(source: &Path, temp: &Path, target: &Path) -> anyhow::Result<()> {
    fs::copy(source, temp).with_context(|| format!("copying {}", source.display()))?;
    fs::File::open(temp)
        .and_then(|f| f.sync_all())
        .with_context(|| format!("syncing {}", temp.display()))?;
    fs::rename(temp, target).with_context(|| format!("installing {}", target.display()))
}
