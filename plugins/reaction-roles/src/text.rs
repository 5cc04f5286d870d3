//! TEMPORARY stand-in for the SDK's localisation (`ctx.tr`, `tr!`), which lands on main soon:
//! the same call shapes, reading `locales/en.ftl` only, so the switch is mechanical.

use arsenal_plugin_api::{prelude::*, protocol::Invoker};

const ENGLISH: &str = include_str!("../locales/en.ftl");

/// Texts in one language.
#[derive(Debug, Clone, Copy)]
pub struct Tr;

impl Tr {
    /// Message `id` without arguments.
    pub fn t(&self, id: &str) -> String {
        self.format(id, &[])
    }

    /// Message `id` with `{ $name }` arguments filled in.
    pub fn format(&self, id: &str, args: &[(&str, String)]) -> String {
        let Some(mut text) = message(id) else {
            return id.to_owned();
        };
        for (name, value) in args {
            text = select(&text, name, value);
            text = text.replace(&format!("{{ ${name} }}"), value);
        }
        text
    }
}

/// Resolves `{ $name -> [one] … *[other] … }` for `value` (English plural rules).
fn select(text: &str, name: &str, value: &str) -> String {
    let open = format!("{{ ${name} ->");
    let Some(start) = text.find(&open) else {
        return text.to_owned();
    };
    let body_start = start + open.len();
    let mut depth = 1;
    let mut end = None;
    for (i, c) in text[body_start..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    end = Some(body_start + i);
                    break;
                }
            }
            _ => {}
        }
    }
    let Some(end) = end else {
        return text.to_owned();
    };
    let mut chosen = None;
    let mut fallback = String::new();
    for line in text[body_start..end]
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        let default = line.starts_with('*');
        let line = line.trim_start_matches('*');
        let Some((key, variant)) = line.strip_prefix('[').and_then(|l| l.split_once(']')) else {
            continue;
        };
        let variant = variant.trim().to_owned();
        if default {
            fallback.clone_from(&variant);
        }
        if key == value || (key == "one" && value == "1") {
            chosen.get_or_insert(variant);
        }
    }
    let rest = select(&text[end + 1..], name, value);
    format!("{}{}{rest}", &text[..start], chosen.unwrap_or(fallback))
}

fn message(id: &str) -> Option<String> {
    let mut lines = ENGLISH.lines();
    let first = lines.find_map(|line| {
        let (key, value) = line.split_once('=')?;
        (key.trim() == id && !line.starts_with(' ')).then(|| value.trim().to_owned())
    })?;
    let mut text = first;
    for line in lines {
        if !line.starts_with(' ') || line.trim_start().starts_with('.') {
            break;
        }
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(line.trim());
    }
    Some(text)
}

/// The member's language (English until the SDK's localisation lands).
pub fn for_member(_ctx: &Context, _invoker: &Invoker) -> Tr {
    Tr
}

/// The server's language.
pub fn for_guild(_ctx: &Context, _guild: Id<GuildMarker>) -> Tr {
    Tr
}

/// `tr!(tr, "rr-id", name = value, …)`.
macro_rules! tr {
    ($tr:expr, $id:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $tr.format($id, &[$((stringify!($name), ($value).to_string())),*])
    };
}
pub(crate) use tr;
