//! Records where the toolchain building this host keeps its target libraries, so the loader can
//! find the Rust runtime (`libstd-<hash>.so`) plugins built by the same toolchain link against
//! when it is not installed in the plugins folder (see `src/plugins/runtime.rs`).

use std::{env, process::Command};

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let rustc = env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let mut command = Command::new(rustc);
    command.args(["--print", "target-libdir"]);
    if let Ok(target) = env::var("TARGET") {
        command.args(["--target", &target]);
    }
    match command.output() {
        Ok(output) if output.status.success() => {
            let dir = String::from_utf8_lossy(&output.stdout).trim().to_owned();
            println!("cargo:rustc-env=ARSENAL_TOOLCHAIN_LIB_DIR={dir}");
        }
        _ => println!(
            "cargo:warning=could not ask rustc for its library folder; plugins will need their runtime installed by `cargo xtask build-plugins`"
        ),
    }
}
