//! Process memory, read from `/proc` when scraped: the resident set, and the plugin code still
//! mapped (every version ever loaded stays mapped: abi_stable never unloads a library).
//!
//! Plugin libraries are loaded from in-memory files named `arsenal-plugin-<module>` (see
//! `plugins::loader`), so their mappings show in `/proc/self/maps` as
//! `/memfd:arsenal-plugin-<module> (deleted)`.

use std::collections::BTreeMap;

/// The memfd name prefix of plugin libraries, as the maps file shows it.
const PLUGIN_MAPPING: &str = "/memfd:arsenal-plugin-";

/// Resident memory in bytes (`/proc/self/statm`), `None` where `/proc` is not readable.
#[must_use]
pub fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    // SAFETY: sysconf has no preconditions.
    let page_size = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    Some(pages * u64::try_from(page_size).ok().filter(|&p| p > 0)?)
}

/// Bytes of plugin libraries mapped into the process, by module (every loaded version
/// counted, the serving one and the ones left behind by reloads).
#[must_use]
pub fn plugin_code_bytes() -> BTreeMap<String, u64> {
    std::fs::read_to_string("/proc/self/maps")
        .map(|maps| plugin_mappings(&maps))
        .unwrap_or_default()
}

/// [`plugin_code_bytes`] of a maps file's text.
fn plugin_mappings(maps: &str) -> BTreeMap<String, u64> {
    let mut sizes = BTreeMap::new();
    for line in maps.lines() {
        let Some(at) = line.find(PLUGIN_MAPPING) else {
            continue;
        };
        let module = line[at + PLUGIN_MAPPING.len()..]
            .trim_end_matches(" (deleted)")
            .trim();
        let Some((start, end)) = line
            .split_whitespace()
            .next()
            .and_then(|range| range.split_once('-'))
        else {
            continue;
        };
        let (Ok(start), Ok(end)) = (u64::from_str_radix(start, 16), u64::from_str_radix(end, 16))
        else {
            continue;
        };
        *sizes.entry(module.to_owned()).or_insert(0) += end.saturating_sub(start);
    }
    sizes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plugin_mappings_are_summed_by_module() {
        let maps = "\
7f0000000000-7f0000002000 r--p 00000000 00:01 1234 /memfd:arsenal-plugin-welcome (deleted)
7f0000002000-7f0000005000 r-xp 00002000 00:01 1234 /memfd:arsenal-plugin-welcome (deleted)
7f0000010000-7f0000011000 r--p 00000000 00:01 1240 /memfd:arsenal-plugin-welcome (deleted)
7f0000020000-7f0000021000 r--p 00000000 00:01 99 /usr/lib/libc.so.6
7f0000030000-7f0000034000 r--p 00000000 00:01 1250 /memfd:arsenal-plugin-automod (deleted)
";
        let sizes = plugin_mappings(maps);
        assert_eq!(sizes.get("welcome"), Some(&0x6000));
        assert_eq!(sizes.get("automod"), Some(&0x4000));
        assert_eq!(sizes.len(), 2);
    }

    #[test]
    fn this_process_has_a_resident_set() {
        assert!(resident_bytes().is_some_and(|bytes| bytes > 0));
    }
}
