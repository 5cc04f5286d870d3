//! Rendering a message as text: content, embeds as boxes, components numbered from 1.

use serde_json::{json, Value};

use super::Widget;

/// A snowflake from Discord JSON (a string, or a number); 0 when absent.
pub(super) fn str_id(v: &Value) -> u64 {
    v.as_str()
        .and_then(|s| s.parse().ok())
        .or_else(|| v.as_u64())
        .unwrap_or(0)
}

/// `[#channel] Author: content`, embeds as indented boxes, components numbered from 1.
/// `notes` ends the first line (" (edited)", " (only you can see this)").
pub(super) fn render_message(msg: &Value, channel: &str, notes: &str) -> (String, Vec<Widget>) {
    let author = &msg["author"];
    let name = author["global_name"]
        .as_str()
        .or_else(|| author["username"].as_str())
        .unwrap_or("?");
    let flags = msg["flags"].as_u64().unwrap_or(0);
    let mut content = msg["content"].as_str().unwrap_or("").to_owned();
    if flags & 128 != 0 {
        content = "is thinking…".into();
    }
    let mut head = format!("[#{channel}] {name}: {}", content.replace('\n', "\n    "));
    head.push_str(notes);
    let mut lines = vec![head];
    for e in msg["embeds"].as_array().into_iter().flatten() {
        let title = [&e["author"]["name"], &e["title"]]
            .iter()
            .filter_map(|v| v.as_str())
            .collect::<Vec<_>>()
            .join(" — ");
        lines.push(format!("    ┌─ {title}"));
        if let Some(d) = e["description"].as_str() {
            lines.extend(d.lines().map(|l| format!("    │ {l}")));
        }
        for f in e["fields"].as_array().into_iter().flatten() {
            let value = f["value"]
                .as_str()
                .unwrap_or("")
                .replace('\n', "\n    │   ");
            lines.push(format!(
                "    │ {}: {value}",
                f["name"].as_str().unwrap_or("")
            ));
        }
        lines.push(
            format!("    └─ {}", e["footer"]["text"].as_str().unwrap_or(""))
                .trim_end()
                .to_owned(),
        );
    }
    for a in msg["attachments"].as_array().into_iter().flatten() {
        lines.push(format!(
            "    📎 {}",
            a["filename"].as_str().unwrap_or("file")
        ));
    }
    let mut widgets = Vec::new();
    render_components(
        msg["components"].as_array().map_or(&[][..], Vec::as_slice),
        &mut widgets,
        &mut lines,
    );
    (lines.join("\n"), widgets)
}

/// Action rows on one line each; text displays, sections and containers (components v2)
/// flattened, since a terminal has no layout to speak of.
pub(super) fn render_components(
    list: &[Value],
    widgets: &mut Vec<Widget>,
    lines: &mut Vec<String>,
) {
    for c in list {
        match c["type"].as_u64().unwrap_or(0) {
            1 => {
                let row: Vec<String> = c["components"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|c| widget_text(c, widgets))
                    .collect();
                if !row.is_empty() {
                    lines.push(format!("    {}", row.join("  ")));
                }
            }
            10 => lines.push(format!("    {}", c["content"].as_str().unwrap_or(""))),
            2..=8 => lines.extend(widget_text(c, widgets).map(|t| format!("    {t}"))),
            _ => {
                let nested: Vec<Value> = c["components"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
                    .into_iter()
                    .chain(c.get("accessory").cloned())
                    .collect();
                render_components(&nested, widgets, lines);
            }
        }
    }
}

pub(super) fn widget_text(c: &Value, widgets: &mut Vec<Widget>) -> Option<String> {
    let kind = c["type"].as_u64()?;
    let disabled = c["disabled"].as_bool().unwrap_or(false);
    let off = if disabled { " (disabled)" } else { "" };
    if kind == 2 {
        let label = c["label"]
            .as_str()
            .or_else(|| c["emoji"]["name"].as_str())
            .unwrap_or("button");
        if let Some(url) = c["url"].as_str() {
            return Some(format!("({label} ↗ {url})"));
        }
        let custom_id = c["custom_id"].as_str()?.to_owned();
        widgets.push(Widget {
            custom_id,
            kind,
            disabled,
            options: Vec::new(),
            max_values: 1,
        });
        return Some(format!("[{}] ({label}){off}", widgets.len()));
    }
    if !matches!(kind, 3 | 5..=8) {
        return None;
    }
    let options: Vec<(String, String)> = c["options"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|o| {
            (
                o["label"].as_str().unwrap_or("").to_owned(),
                o["value"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    let choices = match kind {
        3 => options
            .iter()
            .map(|(l, _)| l.as_str())
            .collect::<Vec<_>>()
            .join(" | "),
        5 => "(any member: @name)".into(),
        6 => "(any role: @&Name)".into(),
        7 => "(a member or a role)".into(),
        _ => "(any channel: #name)".into(),
    };
    let placeholder = c["placeholder"].as_str().unwrap_or("Choose");
    let custom_id = c["custom_id"].as_str()?.to_owned();
    let max_values = c["max_values"].as_u64().unwrap_or(1);
    widgets.push(Widget {
        custom_id,
        kind,
        disabled,
        options,
        max_values,
    });
    Some(format!(
        "[{}] ▾ {placeholder}: {choices}{off}",
        widgets.len()
    ))
}

/// A modal's text inputs as (custom_id, label, required), in order; labels come from the
/// input itself (legacy rows) or from its enclosing Label component (type 18).
pub(super) fn text_inputs(v: &Value, label: &str, out: &mut Vec<(String, String, bool)>) {
    for c in v.as_array().into_iter().flatten() {
        match c["type"].as_u64() {
            Some(4) => {
                let id = c["custom_id"].as_str().unwrap_or("").to_owned();
                let l = c["label"].as_str().unwrap_or(label);
                out.push((
                    id.clone(),
                    if l.is_empty() { id } else { l.to_owned() },
                    c["required"].as_bool().unwrap_or(true),
                ));
            }
            Some(18) => text_inputs(
                &json!([c["component"]]),
                c["label"].as_str().unwrap_or(""),
                out,
            ),
            _ => text_inputs(&c["components"], label, out),
        }
    }
}
