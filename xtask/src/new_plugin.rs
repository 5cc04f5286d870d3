//! `cargo xtask new-plugin <name>`: a new plugin crate in plugins/<name>, ready to build.

use std::fs;

use anyhow::{bail, Context as _};

use crate::workspace;

/// Creates plugins/<name>.
pub fn run(name: &str) -> anyhow::Result<()> {
    let valid = (1..=32).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if !valid {
        bail!("{name:?} is not a module name: use 1 to 32 characters of a-z, 0-9 and _");
    }
    let dir = workspace::root().join("plugins").join(name);
    if dir.exists() {
        bail!("{} already exists", dir.display());
    }
    fs::create_dir_all(dir.join("src")).with_context(|| format!("creating {}", dir.display()))?;
    let package = name.replace('_', "-");
    fs::write(
        dir.join("Cargo.toml"),
        format!(
            r#"[package]
name = "arsenal-plugin-{package}"
description = "The {name} module for Arsenal."
version = "0.1.0"
edition.workspace = true
license.workspace = true
publish.workspace = true

[lib]
name = "{name}"
crate-type = ["cdylib", "rlib"]

[dependencies]
arsenal-plugin-api.workspace = true
serde.workspace = true
serde_json.workspace = true

[lints]
workspace = true
"#
        ),
    )?;
    fs::write(
        dir.join("src/lib.rs"),
        format!(
            r#"//! The {name} module.

use arsenal_plugin_api::{{
    CommandInvocation, CommandSpec, Context, Manifest, Plugin, Response, Result,
}};

pub struct Module;

impl Plugin for Module {{
    fn manifest() -> Manifest {{
        Manifest::new("{name}", env!("CARGO_PKG_VERSION"))
            .description("Describe the {name} module")
            .command(CommandSpec::new("{name}", "Describe the command").with_prefix())
    }}

    fn new(_ctx: &Context) -> Result<Self> {{
        Ok(Module)
    }}

    fn on_command(&mut self, ctx: &Context, _command: &CommandInvocation) -> Result<Response> {{
        let uses: u64 = ctx.store().get("uses")?.unwrap_or(0) + 1;
        ctx.store().set("uses", &uses)?;
        Ok(Response::ephemeral(format!("{name} has been used {{uses}} times")))
    }}
}}

arsenal_plugin_api::export_plugin!(Module);

#[cfg(test)]
mod tests {{
    use arsenal_plugin_api::testing::TestHarness;

    use super::*;

    #[test]
    fn counts_uses_across_reloads() {{
        let mut harness = TestHarness::<Module>::start().unwrap();
        harness.command(harness.slash("{name}")).unwrap();
        harness.reload().unwrap();
        let answer = harness.command(harness.slash("{name}")).unwrap();
        assert_eq!(answer, Response::ephemeral("{name} has been used 2 times"));
    }}
}}
"#
        ),
    )?;
    eprintln!(
        "xtask: created {}; build it with `cargo xtask build-plugins`",
        dir.display()
    );
    Ok(())
}
