//! `cargo xtask build-plugins`: build every plugin and install it into the plugins folder.
//!
//! Installation is write-to-temp + rename in the plugins folder itself, so the host's watcher
//! only ever sees complete files, and a running host hot-reloads each changed plugin once.

use std::{fs, path::PathBuf};

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
    // Release plugins use the `plugin` profile (LTO, size-optimised): see the root Cargo.toml.
    let mut args = vec!["build"];
    if release {
        args.extend(["--profile", "plugin"]);
    }
    for plugin in &plugins {
        args.extend(["-p", plugin.name.as_str()]);
    }
    workspace::cargo(&args, &[])?;
    let profile_dir = workspace::target_dir().join(if release { "plugin" } else { "debug" });
    let destination = workspace::plugins_dir();
    fs::create_dir_all(&destination)
        .with_context(|| format!("creating {}", destination.display()))?;
    let mut installed = Vec::new();
    for plugin in &plugins {
        let built = profile_dir.join(format!("lib{}.so", plugin.lib_name));
        let target = destination.join(format!("{}.so", plugin.lib_name));
        let temp = destination.join(format!(".{}.so.tmp", plugin.lib_name));
        fs::copy(&built, &temp).with_context(|| format!("copying {}", built.display()))?;
        fs::File::open(&temp)
            .and_then(|f| f.sync_all())
            .with_context(|| format!("syncing {}", temp.display()))?;
        fs::rename(&temp, &target).with_context(|| format!("installing {}", target.display()))?;
        eprintln!("xtask: installed {}", target.display());
        installed.push(target);
    }
    Ok(installed)
}
