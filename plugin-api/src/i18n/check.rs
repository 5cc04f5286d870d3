//! What one language has and another lacks: the check every module's translation test runs
//! ([`assert_translated`](crate::testing::assert_translated)).

use std::collections::{BTreeMap, BTreeSet};

use fluent_bundle::FluentResource;
use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};
use twilight_model::application::command::CommandOption;

use super::{commands, Locales};
use crate::manifest::CommandSpec;

/// A message's shape: its attributes and the variables its patterns use.
#[derive(Debug, Default, PartialEq, Eq)]
struct Shape {
    has_value: bool,
    attributes: BTreeSet<String>,
    variables: BTreeSet<String>,
}

/// Every problem with `locales` as one sentence each (empty when complete): a file that does not
/// parse; a message (other than `cmd-…`), an attribute or a `{ $variable }` that one language has
/// and another lacks; in every language but the first, a command, option or choice of `commands`
/// without its `cmd-…` text, or a `cmd-…` text naming none of them.
#[must_use]
pub fn check(locales: Locales, commands: &[CommandSpec]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut shapes: Vec<(&str, BTreeMap<String, Shape>)> = Vec::new();
    for (tag, source) in locales.sources() {
        let resource = match FluentResource::try_new((*source).to_owned()) {
            Ok(resource) => resource,
            Err((resource, errors)) => {
                for error in errors {
                    problems.push(format!("{tag}.ftl does not parse: {error:?}"));
                }
                resource
            }
        };
        shapes.push((tag, messages(&resource)));
    }
    let Some(((first, first_shapes), others)) = shapes.split_first() else {
        return problems;
    };
    for (tag, their) in others {
        compare(first, first_shapes, tag, their, &mut problems);
        compare(tag, their, first, first_shapes, &mut problems);
        let wanted = command_keys(commands);
        for (key, needs_description) in &wanted {
            match their.get(key) {
                None => problems.push(format!("{tag}.ftl lacks `{key}` (a command name)")),
                Some(shape) if *needs_description && !shape.attributes.contains("description") => {
                    problems.push(format!("{tag}.ftl: `{key}` lacks `.description`"));
                }
                Some(_) => {}
            }
        }
        for key in their.keys().filter(|k| k.starts_with("cmd-")) {
            if !wanted.contains_key(key) {
                problems.push(format!(
                    "{tag}.ftl: `{key}` names no command, option or choice"
                ));
            }
        }
    }
    problems
}

/// `have` lacks what `want` has (messages, attributes, variables), `cmd-…` texts aside.
fn compare(
    want_tag: &str,
    want: &BTreeMap<String, Shape>,
    have_tag: &str,
    have: &BTreeMap<String, Shape>,
    problems: &mut Vec<String>,
) {
    for (key, shape) in want.iter().filter(|(k, _)| !k.starts_with("cmd-")) {
        let Some(theirs) = have.get(key) else {
            problems.push(format!("{have_tag}.ftl lacks `{key}` (in {want_tag}.ftl)"));
            continue;
        };
        if shape.has_value && !theirs.has_value {
            problems.push(format!(
                "{have_tag}.ftl: `{key}` has no value (it has in {want_tag}.ftl)"
            ));
        }
        for attribute in shape.attributes.difference(&theirs.attributes) {
            problems.push(format!(
                "{have_tag}.ftl: `{key}` lacks `.{attribute}` (in {want_tag}.ftl)"
            ));
        }
        for variable in shape.variables.difference(&theirs.variables) {
            problems.push(format!(
                "{have_tag}.ftl: `{key}` does not use `${variable}` (used in {want_tag}.ftl)"
            ));
        }
    }
}

fn messages(resource: &FluentResource) -> BTreeMap<String, Shape> {
    let mut found = BTreeMap::new();
    for entry in resource.entries() {
        if let Entry::Message(message) = entry {
            let mut shape = Shape {
                has_value: message.value.is_some(),
                ..Shape::default()
            };
            if let Some(value) = &message.value {
                variables(value, &mut shape.variables);
            }
            for attribute in &message.attributes {
                shape.attributes.insert(attribute.id.name.to_owned());
                variables(&attribute.value, &mut shape.variables);
            }
            found.insert(message.id.name.to_owned(), shape);
        }
    }
    found
}

fn variables(pattern: &Pattern<&str>, found: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let PatternElement::Placeable { expression } = element {
            expression_variables(expression, found);
        }
    }
}

fn expression_variables(expression: &Expression<&str>, found: &mut BTreeSet<String>) {
    match expression {
        Expression::Select { selector, variants } => {
            inline_variables(selector, found);
            for variant in variants {
                variables(&variant.value, found);
            }
        }
        Expression::Inline(inline) => inline_variables(inline, found),
    }
}

fn inline_variables(inline: &InlineExpression<&str>, found: &mut BTreeSet<String>) {
    match inline {
        InlineExpression::VariableReference { id } => {
            found.insert(id.name.to_owned());
        }
        InlineExpression::Placeable { expression } => expression_variables(expression, found),
        InlineExpression::FunctionReference { arguments, .. } => {
            for argument in &arguments.positional {
                inline_variables(argument, found);
            }
        }
        _ => {}
    }
}

/// Every `cmd-…` message a language other than the first needs, and whether it needs a
/// `.description` (choices do not).
fn command_keys(commands: &[CommandSpec]) -> BTreeMap<String, bool> {
    let mut keys = BTreeMap::new();
    for command in commands.iter().filter(|c| c.slash || c.prefix) {
        keys.insert(commands::key(&[&command.name]), true);
        for option in &command.options {
            option_keys(&[command.name.as_str()], option, &mut keys);
        }
    }
    keys
}

fn option_keys(parent: &[&str], option: &CommandOption, keys: &mut BTreeMap<String, bool>) {
    let mut path = parent.to_vec();
    path.push(&option.name);
    keys.insert(commands::key(&path), true);
    for choice in option.choices.iter().flatten() {
        keys.insert(commands::choice_key(&path, &choice.value), false);
    }
    for child in option.options.iter().flatten() {
        option_keys(&path, child, keys);
    }
}
