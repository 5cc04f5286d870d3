//! What `#[derive(Command)]` and `#[derive(CommandChoice)]` expand to: static tables of the
//! options and subcommands, read by the non-generic functions here (compiled once, in the SDK
//! runtime). Not part of the public API: reached only as `command::__private`.

pub use super::options::{build_option, command_spec, subcommand_option};
pub use super::parse::join_path;
use super::{CommandChoice, OptionMeta};
use twilight_model::{
    application::command::{CommandOption, CommandOptionType},
    guild::Permissions,
};

/// Completes a choice option (the derived `OptionValue::complete` of a [`CommandChoice`]).
pub fn choice_complete<T: CommandChoice>(option: &mut CommandOption) {
    super::options::add_choices(option, T::CHOICES);
}

/// Reads a choice (the derived `OptionValue::from_arg` of a [`CommandChoice`]).
///
/// # Errors
///
/// When the value is not one of the choices.
pub fn choice_from_arg<T: CommandChoice>(
    value: &crate::protocol::ArgValue,
    meta: &OptionMeta,
) -> Result<T, super::ParseError> {
    let index = super::options::choice_index(value, meta, T::CHOICES)?;
    T::from_index(index).ok_or_else(|| super::ParseError::wrong(meta.name, "sdk-expect-choice"))
}

/// One option of a derived struct, in its static table.
#[derive(Debug)]
pub struct OptionEntry {
    /// The field's name, description and limits.
    pub meta: OptionMeta,
    /// `<T as OptionValue>::KIND`.
    pub kind: CommandOptionType,
    /// `<T as OptionValue>::REQUIRED`.
    pub required: bool,
    /// `<T as OptionValue>::complete`.
    pub complete: fn(&mut CommandOption),
}

/// One subcommand (or group) of a derived enum, in its static table.
#[derive(Debug)]
pub struct SubcommandEntry {
    /// Its name.
    pub name: &'static str,
    /// Its description.
    pub description: &'static str,
    /// What it requires on top of the command's permissions.
    pub permissions: Permissions,
    /// The derived type it holds, if any.
    pub inner: Option<Inner>,
}

/// The derived type a subcommand variant holds.
#[derive(Debug)]
pub struct Inner {
    /// `<T as CommandModel>::SUBCOMMANDS`: a group.
    pub group: bool,
    /// `<T as CommandModel>::options`.
    pub options: fn() -> Vec<CommandOption>,
    /// `<T as CommandModel>::subcommand_permissions`.
    pub permissions: fn(&str, &mut Vec<(String, Permissions)>),
}

/// A derived struct's options, declared.
#[inline(never)]
#[must_use]
pub fn options(entries: &[OptionEntry]) -> Vec<CommandOption> {
    entries
        .iter()
        .map(|entry| {
            let mut option = build_option(entry.kind, entry.required, &entry.meta);
            (entry.complete)(&mut option);
            option
        })
        .collect()
}

/// A derived enum's subcommands and groups, declared.
#[inline(never)]
#[must_use]
pub fn subcommands(entries: &[SubcommandEntry]) -> Vec<CommandOption> {
    entries
        .iter()
        .map(|entry| match &entry.inner {
            Some(inner) => subcommand_option(
                entry.name,
                entry.description,
                inner.group,
                (inner.options)(),
            ),
            None => subcommand_option(entry.name, entry.description, false, Vec::new()),
        })
        .collect()
}

/// A derived enum's per-subcommand permissions, keyed by path below `path`.
#[inline(never)]
pub fn subcommand_permissions(
    path: &str,
    out: &mut Vec<(String, Permissions)>,
    entries: &[SubcommandEntry],
) {
    for entry in entries {
        let here = join_path(path, entry.name);
        if let Some(inner) = &entry.inner {
            (inner.permissions)(&here, out);
        }
        if !entry.permissions.is_empty() {
            out.push((here, entry.permissions));
        }
    }
}

/// The whole command's declaration (the derived `Command::spec`).
#[inline(never)]
#[must_use]
pub fn spec(
    name: &str,
    description: &str,
    permissions: Permissions,
    slash: bool,
    prefix: bool,
    options: fn() -> Vec<CommandOption>,
    subcommand_permissions: fn(&str, &mut Vec<(String, Permissions)>),
) -> crate::CommandSpec {
    let mut required = Vec::new();
    subcommand_permissions("", &mut required);
    command_spec(
        name,
        description,
        permissions,
        slash,
        prefix,
        options(),
        required,
    )
}
