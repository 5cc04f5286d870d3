//! Facts about the workspace (root, target folder, plugin crates) and running cargo.

use std::{
    path::{Path, PathBuf},
    process::Command,
};

use anyhow::{bail, Context as _};

/// A cdylib crate of the workspace.
#[derive(Debug, Clone)]
pub struct CdylibPackage {
    /// Package name (`-p`).
    pub name: String,
    /// Library name (the file is `lib<lib_name>.so`).
    pub lib_name: String,
    /// Whether it lives in plugins/ (a real module) rather than fixtures/.
    pub is_plugin: bool,
}

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// The target folder (honours `CARGO_TARGET_DIR`).
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root().join("target"), PathBuf::from)
}

/// Runs cargo in the workspace root with `args` and extra environment, failing on a non-zero exit.
pub fn cargo(args: &[&str], env: &[(&str, &str)]) -> anyhow::Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    eprintln!("xtask: cargo {}", args.join(" "));
    let status = Command::new(&cargo)
        .args(args)
        .envs(env.iter().copied())
        .current_dir(root())
        .status()
        .with_context(|| format!("running {cargo}"))?;
    if !status.success() {
        bail!("cargo {} failed ({status})", args.join(" "));
    }
    Ok(())
}

/// Every cdylib crate under plugins/ and fixtures/, from `cargo metadata`.
pub fn cdylib_packages() -> anyhow::Result<Vec<CdylibPackage>> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--no-deps"])
        .current_dir(root())
        .output()
        .context("running cargo metadata")?;
    if !output.status.success() {
        bail!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let metadata: serde_json::Value =
        serde_json::from_slice(&output.stdout).context("parsing cargo metadata")?;
    let plugins_dir = root().join("plugins");
    let fixtures_dir = root().join("fixtures");
    let mut found = Vec::new();
    for package in metadata["packages"].as_array().into_iter().flatten() {
        let manifest = PathBuf::from(package["manifest_path"].as_str().unwrap_or_default());
        let is_plugin = manifest.starts_with(&plugins_dir);
        if !is_plugin && !manifest.starts_with(&fixtures_dir) {
            continue;
        }
        for target in package["targets"].as_array().into_iter().flatten() {
            let is_cdylib = target["crate_types"]
                .as_array()
                .is_some_and(|types| types.iter().any(|t| t == "cdylib"));
            if is_cdylib {
                found.push(CdylibPackage {
                    name: package["name"].as_str().unwrap_or_default().to_owned(),
                    lib_name: target["name"]
                        .as_str()
                        .unwrap_or_default()
                        .replace('-', "_"),
                    is_plugin,
                });
            }
        }
    }
    found.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(found)
}

/// The plugins folder the host will use: `ARSENAL_PLUGINS_DIR`, else `<ARSENAL_DATA_DIR or data>/plugins`.
pub fn plugins_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("ARSENAL_PLUGINS_DIR") {
        return PathBuf::from(dir);
    }
    let data =
        std::env::var_os("ARSENAL_DATA_DIR").map_or_else(|| root().join("data"), PathBuf::from);
    data.join("plugins")
}

/// This machine's target triple, from `rustc -vV`.
pub fn host_triple() -> anyhow::Result<String> {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let output = Command::new(&rustc)
        .arg("-vV")
        .output()
        .with_context(|| format!("running {rustc} -vV"))?;
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|line| line.strip_prefix("host: "))
        .map(str::to_owned)
        .context("rustc -vV did not name the host triple")
}

/// Where [`build_plugin_libraries`] puts the libraries: `target/<triple>/<debug|plugin>`.
pub fn plugin_build_dir(release: bool) -> anyhow::Result<PathBuf> {
    Ok(target_dir()
        .join(host_triple()?)
        .join(if release { "plugin" } else { "debug" }))
}

/// Builds cdylib `packages` as the host loads them: linked against the Rust standard library
/// and the SDK runtime as shared libraries (`-C prefer-dynamic`, see
/// host/src/plugins/runtime.rs), with the `plugin` profile when `release`. Builds for the explicit host target so those flags reach neither
/// build scripts nor proc macros, nor the host's own build in `target/<profile>`. Returns the
/// folder holding the libraries.
pub fn build_plugin_libraries(packages: &[&str], release: bool) -> anyhow::Result<PathBuf> {
    let triple = host_triple()?;
    let mut args = vec!["build", "--target", triple.as_str()];
    if release {
        args.extend(["--profile", "plugin"]);
    }
    for package in packages {
        args.extend(["-p", package]);
    }
    let (variable, flags) = match std::env::var("CARGO_ENCODED_RUSTFLAGS") {
        Ok(encoded) if !encoded.is_empty() => (
            "CARGO_ENCODED_RUSTFLAGS",
            format!("{encoded}\u{1f}-C\u{1f}prefer-dynamic"),
        ),
        _ => {
            let user = std::env::var("RUSTFLAGS").unwrap_or_default();
            (
                "RUSTFLAGS",
                format!("{user} -C prefer-dynamic").trim().to_owned(),
            )
        }
    };
    cargo(&args, &[(variable, flags.as_str())])?;
    plugin_build_dir(release)
}

/// The runtime libraries the plugins in `profile_dir` (see [`build_plugin_libraries`]) need,
/// each with the name the dynamic linker knows it by: this toolchain's `libstd-<hash>.so` and
/// the SDK runtime (plugin-api built as a `dylib`, named by its `SONAME`,
/// `libarsenal_plugin_api-<hash>.so`: see plugin-api/build.rs).
pub fn runtime_libraries(profile_dir: &Path) -> anyhow::Result<Vec<(PathBuf, String)>> {
    let std = rust_runtime()?;
    let std_name = std
        .file_name()
        .and_then(|n| n.to_str())
        .with_context(|| format!("{} has no file name", std.display()))?
        .to_owned();
    let sdk = profile_dir.join("libarsenal_plugin_api.so");
    let bytes = std::fs::read(&sdk).with_context(|| format!("reading {}", sdk.display()))?;
    let sdk_name = soname(&bytes).with_context(|| {
        format!(
            "{} has no SONAME (plugin-api/build.rs sets one)",
            sdk.display()
        )
    })?;
    Ok(vec![(std, std_name), (sdk, sdk_name)])
}

/// The `DT_SONAME` of an ELF shared library.
fn soname(bytes: &[u8]) -> Option<String> {
    dynamic_strings(bytes, object::elf::DT_SONAME)?
        .into_iter()
        .next()
}

/// The libraries an ELF shared library needs (its `DT_NEEDED` entries); `None` when `bytes` is
/// not one.
pub fn needed(bytes: &[u8]) -> Option<Vec<String>> {
    dynamic_strings(bytes, object::elf::DT_NEEDED)
}

/// The string values of the dynamic-section entries tagged `tag`.
fn dynamic_strings(bytes: &[u8], tag: u32) -> Option<Vec<String>> {
    use object::read::elf::{Dyn as _, FileHeader as _};
    let header = object::elf::FileHeader64::<object::Endianness>::parse(bytes).ok()?;
    let endian = header.endian().ok()?;
    let sections = header.sections(endian, bytes).ok()?;
    let Some((dynamic, strings_index)) = sections.dynamic(endian, bytes).ok()? else {
        return Some(Vec::new());
    };
    let strings = sections.strings(endian, bytes, strings_index).ok()?;
    Some(
        dynamic
            .iter()
            .filter(|entry| entry.tag32(endian) == Some(tag))
            .filter_map(|entry| entry.string(endian, strings).ok())
            .map(|name| String::from_utf8_lossy(name).into_owned())
            .collect(),
    )
}

/// This toolchain's `libstd-<hash>.so`.
fn rust_runtime() -> anyhow::Result<PathBuf> {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let output = Command::new(&rustc)
        .args(["--print", "target-libdir"])
        .output()
        .with_context(|| format!("running {rustc} --print target-libdir"))?;
    let dir = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
    let entries = std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))?;
    entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .find(|path| {
            path.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("libstd-") && n.ends_with(".so"))
        })
        .with_context(|| format!("no libstd-*.so in {}", dir.display()))
}
