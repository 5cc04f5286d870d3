//! Names the SDK runtime after everything it is built from.
//!
//! plugin-api is also built as a Rust `dylib`: plugins built by `cargo xtask build-plugins` link
//! it (and through it serde, serde_json, twilight-model, abi_stable) dynamically instead of each
//! carrying a copy (see host/src/plugins/runtime.rs). The dynamic linker knows an already loaded
//! library by its `SONAME`, so two different builds of the runtime must never share one: a plugin
//! built against a newer SDK would otherwise be bound to the older copy the host already has.
//! The soname therefore carries a hash of the runtime's inputs: its sources and manifest, the
//! workspace lock file (every dependency's exact version), the compiler, the target, the profile
//! and the flags. A different build gets a different name and loads beside the old one.

use std::{
    env, fs,
    path::{Path, PathBuf},
    process::Command,
};

use xxhash_rust::xxh3::Xxh3;

fn main() {
    let manifest_dir = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let mut hasher = Xxh3::new();
    let mut add = |label: &str, bytes: &[u8]| {
        hasher.update(label.as_bytes());
        hasher.update(&(bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    };

    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=Cargo.toml");
    println!("cargo:rerun-if-changed=src");
    for name in ["build.rs", "Cargo.toml"] {
        add(name, &fs::read(manifest_dir.join(name)).unwrap_or_default());
    }
    let mut sources = Vec::new();
    collect_files(&manifest_dir.join("src"), &mut sources);
    sources.sort();
    for path in &sources {
        let relative = path.strip_prefix(&manifest_dir).unwrap_or(path);
        add(
            &relative.to_string_lossy(),
            &fs::read(path).unwrap_or_default(),
        );
    }
    if let Some(lock) = manifest_dir
        .ancestors()
        .map(|dir| dir.join("Cargo.lock"))
        .find(|lock| lock.is_file())
    {
        println!("cargo:rerun-if-changed={}", lock.display());
        add("Cargo.lock", &fs::read(&lock).unwrap_or_default());
    }
    let rustc = env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let version = Command::new(rustc)
        .arg("-vV")
        .output()
        .map(|o| o.stdout)
        .unwrap_or_default();
    add("rustc", &version);
    let mut settings: Vec<(String, String)> = env::vars()
        .filter(|(key, _)| {
            matches!(
                key.as_str(),
                "TARGET" | "PROFILE" | "OPT_LEVEL" | "DEBUG" | "CARGO_ENCODED_RUSTFLAGS"
            ) || key.starts_with("CARGO_FEATURE_")
        })
        .collect();
    settings.sort();
    for (key, value) in &settings {
        add(key, value.as_bytes());
    }

    let soname = format!("libarsenal_plugin_api-{:016x}.so", hasher.digest());
    if env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg=-Wl,-soname,{soname}");
    }
}

fn collect_files(dir: &Path, into: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_files(&path, into);
        } else {
            into.push(path);
        }
    }
}
