//! `cargo xtask new-plugin <name>`: a new plugin crate in plugins/<name>, ready to build, written
//! the way the SDK teaches (plugin-api/README.md): a derived command with an option, a button
//! through `#[derive(CustomId)]`, the store, and a harness test that passes.

use std::fs;

use anyhow::{bail, Context as _};

use crate::workspace;

/// Creates plugins/<name>.
pub fn run(name: &str) -> anyhow::Result<()> {
    check_name(name)?;
    let dir = workspace::root().join("plugins").join(name);
    if dir.exists() {
        bail!("{} already exists", dir.display());
    }
    fs::create_dir_all(dir.join("src")).with_context(|| format!("creating {}", dir.display()))?;
    fs::write(dir.join("Cargo.toml"), cargo_toml(name))?;
    fs::write(dir.join("src/lib.rs"), lib_rs(name))?;
    eprintln!(
        "xtask: created {}; test it with `cargo test -p arsenal-plugin-{}`, build it with `cargo xtask build-plugins`",
        dir.display(),
        name.replace('_', "-")
    );
    Ok(())
}

fn check_name(name: &str) -> anyhow::Result<()> {
    let valid = (1..=32).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if !valid {
        bail!("{name:?} is not a module name: use 1 to 32 characters of a-z, 0-9 and _");
    }
    Ok(())
}

/// The crate's manifest.
fn cargo_toml(name: &str) -> String {
    let package = name.replace('_', "-");
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

[lints]
workspace = true
"#
    )
}

/// The module: `/<name> [step]` shows a shared count and a button adding `step` to it.
fn lib_rs(name: &str) -> String {
    format!(
        r#"//! The {name} module: `/{name} [step]` shows a count kept in the store, with a button that
//! adds `step` to it.

use arsenal_plugin_api::prelude::*;

/// Show the count and a button to add to it
#[derive(Command)]
#[command(name = "{name}", prefix)]
struct Count {{
    /// How much each press adds (1 by default)
    #[option(min_value = 1, max_value = 100)]
    step: Option<i64>,
}}

/// The module's buttons, as `custom_id`s: `Add {{ step: 5 }}` is `add:5`.
#[derive(CustomId)]
enum Buttons {{
    Add {{ step: i64 }},
}}

pub struct Module;

/// The count message, with its button.
fn count_message(total: i64, step: i64) -> Reply {{
    Reply::text(format!("The count is {{total}}."))
        .buttons([Button::primary(format!("+{{step}}"), &Buttons::Add {{ step }})])
}}

impl Plugin for Module {{
    fn manifest() -> Manifest {{
        Manifest::new("{name}", env!("CARGO_PKG_VERSION"))
            .description("Describe the {name} module")
            .command(Count::spec())
    }}

    fn new(_ctx: &Context) -> Result<Self> {{
        Ok(Module)
    }}

    fn on_command(&mut self, ctx: &Context, command: &CommandInvocation) -> Result<Response> {{
        let count = match Count::parse(command) {{
            Ok(count) => count,
            Err(refusal) => return Ok(refusal.into()),
        }};
        let total: i64 = ctx.store().get("total")?.unwrap_or(0);
        Ok(count_message(total, count.step.unwrap_or(1)).into())
    }}

    fn on_component(&mut self, ctx: &Context, component: &ComponentInvocation) -> Result<Response> {{
        let step = match Buttons::from_component(component) {{
            Ok(Buttons::Add {{ step }}) => step,
            // A button of an older version: tell the member, ephemerally.
            Err(stale) => return Ok(stale.into()),
        }};
        // Atomic: two members pressing at once both count.
        let total = ctx
            .store()
            .update("total", |total: Option<i64>| {{
                Ok(Some(total.unwrap_or(0) + step))
            }})?
            .unwrap_or(0);
        Ok(Response::update(count_message(total, step)))
    }}
}}

arsenal_plugin_api::export_plugin!(Module);

#[cfg(test)]
mod tests {{
    use arsenal_plugin_api::{{
        protocol::{{Arg, ArgValue}},
        testing::TestHarness,
    }};

    use super::*;

    fn with_step(harness: &TestHarness<Module>, step: i64) -> CommandInvocation {{
        let mut command = harness.slash("{name}");
        command.args.push(Arg {{
            name: "step".to_owned(),
            value: ArgValue::Integer(step),
        }});
        command
    }}

    #[test]
    fn the_button_adds_its_step_and_the_count_survives_a_reload() {{
        let mut harness = TestHarness::<Module>::start().unwrap();
        let shown = harness.command(with_step(&harness, 5)).unwrap();
        assert_eq!(shown, Response::from(count_message(0, 5)));

        let press = harness.click(
            Id::new(1),
            Id::new(2),
            &Buttons::Add {{ step: 5 }}.custom_id(),
        );
        harness.component(press.clone()).unwrap();
        harness.reload().unwrap();
        let answer = harness.component(press).unwrap();
        assert_eq!(answer, Response::update(count_message(10, 5)));
        assert_eq!(harness.stored("total"), Some(10.into()));
    }}

    #[test]
    fn a_step_out_of_range_or_an_unknown_button_is_refused() {{
        let mut harness = TestHarness::<Module>::start().unwrap();
        let refused = harness.command(with_step(&harness, 500)).unwrap();
        assert!(matches!(refused, Response::Message(reply) if reply.ephemeral));
        let stale = harness.click(Id::new(1), Id::new(2), "add:many");
        let refused = harness.component(stale).unwrap();
        assert!(matches!(refused, Response::Message(reply) if reply.ephemeral));
        assert_eq!(harness.stored("total"), None);
    }}
}}
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_is_written_with_the_derives_and_tests_itself() {
        let lib = lib_rs("dice_roll");
        for expected in [
            "use arsenal_plugin_api::prelude::*;",
            "#[derive(Command)]",
            "#[command(name = \"dice_roll\", prefix)]",
            "#[option(min_value = 1, max_value = 100)]",
            "#[derive(CustomId)]",
            "Button::primary(",
            "Buttons::from_component(component)",
            "ctx\n            .store()\n            .update(\"total\"",
            "Manifest::new(\"dice_roll\"",
            ".command(Count::spec())",
            "arsenal_plugin_api::export_plugin!(Module);",
            "TestHarness::<Module>::start()",
            "harness.reload()",
        ] {
            assert!(lib.contains(expected), "the template lacks {expected:?}");
        }
        // No Discord JSON by hand, and every file documented.
        assert!(!lib.contains("json!"));
        assert!(lib.starts_with("//! The dice_roll module"));
        let manifest = cargo_toml("dice_roll");
        assert!(manifest.contains("name = \"arsenal-plugin-dice-roll\""));
        assert!(manifest.contains("crate-type = [\"cdylib\", \"rlib\"]"));
        assert!(manifest.contains("arsenal-plugin-api.workspace = true"));
    }

    #[test]
    fn a_name_discord_or_the_host_would_refuse_is_refused() {
        assert!(check_name("tickets_2").is_ok());
        for bad in ["", "Tickets", "a-b", "a:b", &"x".repeat(33)] {
            assert!(check_name(bad).is_err(), "{bad:?} was accepted");
        }
    }
}
