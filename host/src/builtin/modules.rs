//! `/reload module|all|status|promote|rollback` and
//! `!module reload|reload_all|arsenal|list|status|logs|load|unload|promote|rollback`.
//!
//! The original's "Module non reconnu" and "Cog non chargé" become messages that say what
//! failed, why, and what to do. Permission checks happen before these run (see `discord`).

use std::{fmt::Write as _, time::SystemTime};

use arsenal_plugin_api::{i18n::Tr, tr};
use twilight_model::id::{marker::GuildMarker, Id};

use super::{ago, texts::english};

use crate::plugins::{PluginManager, PluginStatus, ReloadRecord, Trigger};

/// Resolves a user-typed module name: exact, else "unknown module" with the closest names.
/// Path-like names are refused before any file is touched.
///
/// # Errors
///
/// The message to show.
pub fn resolve(manager: &PluginManager, typed: &str, tr: Tr<'_>) -> Result<String, String> {
    let name = typed.trim().to_lowercase();
    if name.contains('/') || name.contains('\\') || name.contains("..") || name.starts_with('.') {
        return Err(tr!(tr, "host-module-path", typed = typed));
    }
    let mut known = manager.available();
    for loaded in manager.loaded() {
        if !known.contains(&loaded) {
            known.push(loaded);
        }
    }
    if known.contains(&name) {
        return Ok(name);
    }
    let close = closest(&name, &known);
    Err(if close.is_empty() {
        tr!(
            tr,
            "host-module-unknown",
            typed = typed,
            known = list_or_none(&known, tr)
        )
    } else {
        let or = format!(" {} ", tr.t("host-or"));
        let close = close
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(&or);
        tr!(
            tr,
            "host-module-unknown-close",
            typed = typed,
            close = close
        )
    })
}

/// Up to three known names closest to `typed` (edit distance ≤ 3, or sharing a prefix).
#[must_use]
pub fn closest(typed: &str, known: &[String]) -> Vec<String> {
    let mut scored: Vec<(usize, &String)> = known
        .iter()
        .map(|k| (edit_distance(typed, k), k))
        .filter(|(d, k)| *d <= 3 || k.starts_with(typed) || typed.starts_with(k.as_str()))
        .collect();
    scored.sort();
    scored.into_iter().take(3).map(|(_, k)| k.clone()).collect()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = (previous + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(current + 1);
            previous = current;
        }
    }
    row[b.len()]
}

fn list_or_none(names: &[String], tr: Tr<'_>) -> String {
    if names.is_empty() {
        tr.t("host-none-yet")
    } else {
        names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// `/reload module X`, `!module reload X`, `!module load X`.
pub async fn reload(manager: &PluginManager, typed: &str, tr: Tr<'_>) -> String {
    let name = match resolve(manager, typed, tr) {
        Ok(name) => name,
        Err(message) => return message,
    };
    match manager.reload(&name, Trigger::Command).await {
        Ok(report) => {
            let ms = format!("{:.1}", report.duration.as_secs_f64() * 1000.0);
            let new = report.new_version.to_string();
            match report.old_version {
                Some(old) => tr!(
                    tr,
                    "host-module-reloaded",
                    module = name,
                    old = old.to_string(),
                    new = new,
                    ms = ms
                ),
                None => tr!(tr, "host-module-loaded", module = name, new = new, ms = ms),
            }
        }
        Err(error) => {
            let serving = manager
                .status()
                .into_iter()
                .find(|s| s.name == name)
                .and_then(|s| s.state.manifest.map(|m| m.version));
            match serving {
                Some(version) => tr!(
                    tr,
                    "host-module-reload-refused",
                    module = name,
                    error = error.to_string(),
                    version = version.to_string()
                ),
                None => tr!(
                    tr,
                    "host-module-load-failed",
                    module = name,
                    error = error.to_string()
                ),
            }
        }
    }
}

/// `/reload module X canary:<server id>`, `!module reload X canary:<server id>`: starts
/// `<X>.canary.so` beside the running version, for that one server. `known` says whether the
/// bot is in a server.
pub async fn canary(
    manager: &PluginManager,
    typed: &str,
    server: &str,
    known: impl Fn(Id<GuildMarker>) -> bool,
    tr: Tr<'_>,
) -> String {
    let name = match resolve(manager, typed, tr) {
        Ok(name) => name,
        Err(message) => return message,
    };
    // The prefix form gives the option by position, as it is written: `canary:<id>`.
    let id = server.trim();
    let id = id.strip_prefix("canary:").unwrap_or(id).trim();
    let Some(guild) = id.parse::<u64>().ok().and_then(Id::new_checked) else {
        return tr!(tr, "host-canary-bad-server", typed = server.trim());
    };
    if !known(guild) {
        return tr!(tr, "host-canary-unknown-server", guild = guild.to_string());
    }
    match manager.start_canary(&name, guild, Trigger::Command).await {
        Ok(report) => tr!(
            tr,
            "host-canary-started",
            module = name,
            new = report.new_version,
            guild = guild.to_string(),
            ms = format!("{:.1}", report.duration.as_secs_f64() * 1000.0),
            old = report.old_version.unwrap_or_else(|| "?".to_owned())
        ),
        Err(error) => tr!(
            tr,
            "host-canary-refused",
            module = name,
            error = error.to_string()
        ),
    }
}

/// `/reload promote X`, `!module promote X`.
pub async fn promote(manager: &PluginManager, typed: &str, tr: Tr<'_>) -> String {
    let name = match resolve(manager, typed, tr) {
        Ok(name) => name,
        Err(message) => return message,
    };
    match manager.promote(&name).await {
        Ok(change) => {
            let mut text = tr!(
                tr,
                "host-canary-promoted",
                module = name,
                new = change.canary_version,
                guild = change.guild.to_string(),
                old = change.stable_version.unwrap_or_else(|| "?".to_owned())
            );
            if let Some(warning) = change.warning {
                let _ = write!(text, "\n⚠ {warning}");
            }
            text
        }
        Err(error) => tr!(tr, "host-canary-failed", error = error.to_string()),
    }
}

/// `/reload rollback X`, `!module rollback X`.
pub async fn rollback(manager: &PluginManager, typed: &str, tr: Tr<'_>) -> String {
    let name = match resolve(manager, typed, tr) {
        Ok(name) => name,
        Err(message) => return message,
    };
    match manager.rollback(&name).await {
        Ok(change) => tr!(
            tr,
            "host-canary-rolled-back",
            module = name,
            canary = change.canary_version,
            guild = change.guild.to_string(),
            stable = change.stable_version.unwrap_or_else(|| "?".to_owned())
        ),
        Err(error) => tr!(tr, "host-canary-failed", error = error.to_string()),
    }
}

/// `!module unload X`.
pub async fn unload(manager: &PluginManager, typed: &str, tr: Tr<'_>) -> String {
    let name = match resolve(manager, typed, tr) {
        Ok(name) => name,
        Err(message) => return message,
    };
    match manager.unload(&name).await {
        Ok(()) => tr!(tr, "host-module-unloaded", module = name),
        Err(error) => tr!(
            tr,
            "host-module-unload-failed",
            error = error.to_string(),
            loaded = list_or_none(&manager.loaded(), tr)
        ),
    }
}

/// One progress line per module of `/reload all`, then a summary, each call to `progress`
/// carrying the whole text so far (the caller edits one message with it).
pub async fn reload_all(
    manager: &PluginManager,
    tr: Tr<'_>,
    mut progress: impl FnMut(&str),
) -> String {
    let names = manager.available();
    if names.is_empty() {
        return tr.t("host-reload-all-none");
    }
    let mut text = tr!(tr, "host-reload-all-start", count = names.len());
    text.push('\n');
    progress(&text);
    let (mut ok, mut failed) = (0, 0);
    for name in &names {
        match manager.reload(name, Trigger::Command).await {
            Ok(report) => {
                ok += 1;
                let _ = writeln!(
                    text,
                    "✅ `{name}` {} ({:.1} ms)",
                    report.new_version,
                    report.duration.as_secs_f64() * 1000.0
                );
            }
            Err(error) => {
                failed += 1;
                let _ = writeln!(text, "❌ `{name}`: {error}");
            }
        }
        progress(&text);
    }
    text.push_str(&tr!(tr, "host-reload-all-done", ok = ok, failed = failed));
    text
}

/// `/reload status`, `!module status`, `!module arsenal`.
#[must_use]
pub fn status(manager: &PluginManager) -> String {
    let statuses = manager.status();
    if statuses.is_empty() {
        return format!(
            "No module is loaded. On disk: {}.",
            list_or_none(&manager.available(), english())
        );
    }
    let mut text = format!("**Modules** ({} loaded)\n", statuses.len());
    for status in &statuses {
        let _ = writeln!(text, "{}", status_line(status));
    }
    text
}

fn status_line(status: &PluginStatus) -> String {
    let state = &status.state;
    let version = state.manifest.as_ref().map_or("?", |m| m.version.as_str());
    let health = if let Some(reason) = &state.quarantined {
        format!("⛔ quarantined — {reason}")
    } else if let Some((call, running)) = &status.stalled {
        format!("⏳ stalled in `{call}` for {:.1} s", running.as_secs_f64())
    } else {
        "🟢 running".to_owned()
    };
    let mut line = format!(
        "`{}` {version} — {health}; since {}, file {}, {} events handled, {} failed calls",
        status.name,
        ago(state.loaded_since),
        state
            .file_hash
            .as_deref()
            .map_or("?", |h| h.get(..12).unwrap_or(h)),
        status.events_handled,
        status.calls_failed,
    );
    if let Some(answers) = state.manifest.as_ref().map(|m| &m.answers) {
        if !answers.is_empty() {
            let _ = write!(line, "; answers {}", answers.join(", "));
        }
    }
    if state.file_deleted {
        line.push_str("; ⚠ its file was deleted, running from memory");
    }
    if let Some(reverted) = &state.reverted {
        let _ = write!(line, "; ↩ {reverted}");
    }
    if status.events_dropped > 0 {
        let _ = write!(
            line,
            "; ⚠ {} events dropped because its queue was full ({} waiting)",
            status.events_dropped, status.queued
        );
    }
    if status.abandoned_workers > 0 {
        let _ = write!(
            line,
            "; {} stuck worker thread(s) abandoned by reloads",
            status.abandoned_workers
        );
    }
    if let (Some(error), None) = (&state.last_error, &state.quarantined) {
        let _ = write!(line, "; last error: {error}");
    }
    if let Some(canary) = &status.canary {
        let _ = write!(
            line,
            "\n  🐤 canary in server {}: {}; every other server runs {version}",
            canary.guild,
            status_line(&canary.status)
        );
    }
    line
}

/// `!module list`: loaded, available on disk, failed.
#[must_use]
pub fn list(manager: &PluginManager) -> String {
    let loaded = manager.loaded();
    let on_disk: Vec<String> = manager
        .available()
        .into_iter()
        .filter(|n| !loaded.contains(n))
        .collect();
    let failed: Vec<String> = manager
        .history()
        .recent(200)
        .into_iter()
        .rev()
        .filter(|r| r.outcome == "failed")
        .map(|r| r.plugin)
        .fold(Vec::new(), |mut names, name| {
            if !names.contains(&name) && !loaded.contains(&name) {
                names.push(name);
            }
            names
        });
    format!(
        "**Loaded:** {}\n**On disk, not loaded:** {}\n**Failed to load recently:** {}",
        list_or_none(&loaded, english()),
        list_or_none(&on_disk, english()),
        list_or_none(&failed, english())
    )
}

/// `!module logs [limit]`: the reload history, newest last.
#[must_use]
pub fn logs(manager: &PluginManager, limit: Option<i64>) -> String {
    let limit = usize::try_from(limit.unwrap_or(10).clamp(1, 50)).unwrap_or(10);
    let records = manager.history().recent(limit);
    if records.is_empty() {
        return "No reload has happened yet.".to_owned();
    }
    let mut text = format!("**Reload history** (last {})\n", records.len());
    for record in &records {
        let _ = writeln!(text, "{}", log_line(record));
    }
    text
}

fn log_line(record: &ReloadRecord) -> String {
    let when = SystemTime::UNIX_EPOCH + std::time::Duration::from_millis(record.at_unix_ms);
    let versions = match (&record.old_version, &record.new_version) {
        (Some(old), Some(new)) => format!("{old} → {new}"),
        (None, Some(new)) => new.clone(),
        (Some(old), None) => old.clone(),
        (None, None) => "?".to_owned(),
    };
    let mut line = format!(
        "{} `{}` {} {versions} ({:?}, {:.1} ms)",
        ago(Some(when)),
        record.plugin,
        record.outcome,
        record.trigger,
        record.duration_us as f64 / 1000.0
    );
    if let Some(error) = &record.error {
        let _ = write!(line, " — {error}");
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_names_are_suggested() {
        let known = vec![
            "economy".to_owned(),
            "tickets".to_owned(),
            "moderation".to_owned(),
        ];
        assert_eq!(closest("economi", &known), ["economy"]);
        assert_eq!(closest("ticket", &known), ["tickets"]);
        assert!(closest("zzzzzzzz", &known).is_empty());
    }
}
