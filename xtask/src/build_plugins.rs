//! `cargo xtask build-plugins`: build every plugin and install it into the plugins folder.
//!
//! Installation is write-to-temp + rename in the plugins folder itself, so the host's watcher
//! only ever sees complete files, and a running host hot-reloads each changed plugin once.
//! Plugins link against the Rust standard library and the SDK runtime as shared libraries; those
//! (`libstd-<hash>.so`, `libarsenal_plugin_api-<hash>.so`) are installed into
//! `<plugins>/runtime/` (host/src/plugins/runtime.rs).

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
    install_runtime(&profile_dir, &destination.join("runtime"))?;
    let mut installed = Vec::new();
    for plugin in &plugins {
        let built = profile_dir.join(format!("lib{}.so", plugin.lib_name));
        let target = destination.join(format!("{}.so", plugin.lib_name));
        let temp = destination.join(format!(".{}.so.tmp", plugin.lib_name));
        install_file(&built, &temp, &target)?;
        eprintln!("xtask: installed {}", target.display());
        installed.push(target);
    }
    prune_runtime(&destination)?;
    Ok(installed)
}

/// Deletes the runtime libraries in `<plugins>/runtime/` that no library in the plugins folder
/// needs any more (an SDK runtime from before an SDK change, a toolchain's std from before an
/// update). A running host keeps what it already loaded mapped; a restart loads only what the
/// installed plugins need. Nothing is deleted when a plugin file cannot be read as a library,
/// since what it needs is then unknown.
fn prune_runtime(plugins: &Path) -> anyhow::Result<()> {
    let mut needed = std::collections::BTreeSet::new();
    for entry in fs::read_dir(plugins).with_context(|| format!("reading {}", plugins.display()))? {
        let path = entry?.path();
        if !path.is_file() || path.extension().is_none_or(|e| e != "so") {
            continue;
        }
        let names = fs::read(&path)
            .ok()
            .and_then(|bytes| workspace::needed(&bytes));
        let Some(names) = names else {
            eprintln!(
                "xtask: {} is not a readable library; keeping every runtime library",
                path.display()
            );
            return Ok(());
        };
        needed.extend(names);
    }
    let folder = plugins.join("runtime");
    let Ok(entries) = fs::read_dir(&folder) else {
        return Ok(());
    };
    for entry in entries {
        let path = entry?.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if name.starts_with("lib") && name.ends_with(".so") && !needed.contains(name) {
            fs::remove_file(&path).with_context(|| format!("removing {}", path.display()))?;
            eprintln!(
                "xtask: removed {} (no installed plugin needs it)",
                path.display()
            );
        }
    }
    Ok(())
}

/// Copies the runtime libraries the plugins built in `profile_dir` need (this toolchain's
/// `libstd-<hash>.so` and the SDK runtime, each under the name the dynamic linker knows it by)
/// into `folder` (temp + rename), skipping files already there with the same content.
pub fn install_runtime(profile_dir: &Path, folder: &Path) -> anyhow::Result<()> {
    fs::create_dir_all(folder).with_context(|| format!("creating {}", folder.display()))?;
    let same = |a: &Path, b: &Path| -> bool {
        matches!((fs::read(a), fs::read(b)), (Ok(x), Ok(y)) if x == y)
    };
    for (built, name) in workspace::runtime_libraries(profile_dir)? {
        let target = folder.join(&name);
        if target.is_file() && same(&built, &target) {
            continue;
        }
        install_file(&built, &folder.join(".runtime.so.tmp"), &target)?;
        eprintln!("xtask: installed the runtime library {}", target.display());
    }
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
