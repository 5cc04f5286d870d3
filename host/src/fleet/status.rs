//! The fleet part of `/reload status` and `!module status`: every live process with its shards,
//! heartbeat age and version of each module, and a clear line for each module whose versions
//! differ between processes (or that some process does not run).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::{Fleet, ProcessInfo};

impl Fleet {
    /// The fleet section of the status text (a line saying why when PostgreSQL cannot be read).
    pub async fn status_text(&self) -> String {
        match self.processes().await {
            Ok(processes) => render(&processes, self.process_id(), &self.notes()),
            Err(e) => format!("\n**Fleet**: could not read the other processes ({e})."),
        }
    }
}

fn short(hash: Option<&str>) -> &str {
    hash.map_or("?", |h| h.get(..8).unwrap_or(h))
}

/// Renders the processes; `me` is this process.
#[must_use]
pub fn render(processes: &[ProcessInfo], me: &str, notes: &BTreeMap<String, String>) -> String {
    let mut text = format!("\n**Fleet** ({} live processes)\n", processes.len());
    for p in processes {
        let this = if p.process_id == me {
            " (this process)"
        } else {
            ""
        };
        let modules: Vec<String> = p
            .modules
            .iter()
            .map(|(name, m)| {
                let quarantined = if m.state == "serving" {
                    ""
                } else {
                    " (quarantined)"
                };
                format!(
                    "{name} {} [{}]{quarantined}",
                    m.version.as_deref().unwrap_or("?"),
                    short(m.hash.as_deref())
                )
            })
            .collect();
        let _ = writeln!(
            text,
            "- `{}`{this}: {} pid {}, shards {}, heartbeat {:.1} s ago: {}",
            p.process_id,
            p.host,
            p.pid,
            p.shards,
            p.heartbeat_age_ms as f64 / 1000.0,
            if modules.is_empty() {
                "no module".to_owned()
            } else {
                modules.join(", ")
            }
        );
    }
    let names: BTreeSet<&String> = processes.iter().flat_map(|p| p.modules.keys()).collect();
    for name in names {
        let builds: BTreeSet<(Option<&str>, Option<&str>)> = processes
            .iter()
            .map(|p| {
                p.modules.get(name).map_or((None, None), |m| {
                    (Some(m.version.as_deref().unwrap_or("?")), m.hash.as_deref())
                })
            })
            .collect();
        if builds.len() > 1 {
            let each: Vec<String> = processes
                .iter()
                .map(|p| {
                    let what = p.modules.get(name).map_or("not loaded".to_owned(), |m| {
                        format!(
                            "{} [{}]",
                            m.version.as_deref().unwrap_or("?"),
                            short(m.hash.as_deref())
                        )
                    });
                    format!("{what} on `{}`", p.process_id)
                })
                .collect();
            let _ = writeln!(
                text,
                "⚠️ **Versions differ** for `{name}`: {}. Copy the same file to every process's plugins folder and `/reload module {name}`.",
                each.join("; ")
            );
        }
    }
    for (module, note) in notes {
        let _ = writeln!(text, "⚠️ `{module}`: {note}");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fleet::ModuleVersion;

    fn process(id: &str, modules: &[(&str, &str, &str)]) -> ProcessInfo {
        ProcessInfo {
            process_id: id.to_owned(),
            host: "box".to_owned(),
            pid: 7,
            shards: "0..2".to_owned(),
            heartbeat_age_ms: 1_500,
            modules: modules
                .iter()
                .map(|(name, version, hash)| {
                    let m = ModuleVersion {
                        version: Some((*version).to_owned()),
                        hash: Some((*hash).to_owned()),
                        state: "serving".to_owned(),
                    };
                    ((*name).to_owned(), m)
                })
                .collect(),
        }
    }

    #[test]
    fn the_same_build_everywhere_is_not_flagged() {
        let all = [
            process("a", &[("counter", "1.0.0", "aaaaaaaaaaaa")]),
            process("b", &[("counter", "1.0.0", "aaaaaaaaaaaa")]),
        ];
        let text = render(&all, "b", &BTreeMap::new());
        assert!(text.contains("2 live processes"), "{text}");
        assert!(text.contains("`b` (this process)"), "{text}");
        assert!(text.contains("shards 0..2, heartbeat 1.5 s ago"), "{text}");
        assert!(text.contains("counter 1.0.0 [aaaaaaaa]"), "{text}");
        assert!(!text.contains("differ"), "{text}");
    }

    #[test]
    fn another_version_another_build_or_a_missing_module_is_flagged() {
        let text = render(
            &[
                process("a", &[("counter", "1.0.0", "aaaaaaaa"), ("x", "1", "h")]),
                process("b", &[("counter", "2.0.0", "bbbbbbbb"), ("x", "1", "h")]),
            ],
            "a",
            &BTreeMap::new(),
        );
        assert!(
            text.contains("**Versions differ** for `counter`: 1.0.0 [aaaaaaaa] on `a`; 2.0.0 [bbbbbbbb] on `b`"),
            "{text}"
        );
        assert!(!text.contains("for `x`"), "{text}");
        // Same version number, another file.
        let text = render(
            &[
                process("a", &[("counter", "1.0.0", "aaaaaaaa")]),
                process("b", &[("counter", "1.0.0", "cccccccc")]),
            ],
            "a",
            &BTreeMap::new(),
        );
        assert!(text.contains("Versions differ** for `counter`"), "{text}");
        // Loaded in one process only.
        let text = render(
            &[
                process("a", &[("counter", "1.0.0", "aaaaaaaa")]),
                process("b", &[]),
            ],
            "a",
            &BTreeMap::new(),
        );
        assert!(text.contains("not loaded on `b`"), "{text}");
    }
}
