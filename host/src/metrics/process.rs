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

/// Plugin code left mapped by versions no longer serving (what a re-exec gives back).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RetiredCode {
    /// Bytes: per module, every loaded copy but the largest, which stands for the serving
    /// version (the versions of one module are about the same size, so which copy is kept out
    /// hardly matters).
    pub bytes: u64,
    /// The largest copy of any module: about what the next reload leaves behind.
    pub largest_copy: u64,
}

/// The plugin code of replaced versions still mapped in this process.
#[must_use]
pub fn retired_plugin_code() -> RetiredCode {
    std::fs::read_to_string("/proc/self/maps")
        .map(|maps| retired_code(&maps))
        .unwrap_or_default()
}

/// [`retired_plugin_code`] of a maps file's text.
fn retired_code(maps: &str) -> RetiredCode {
    // module → (inode of the copy → bytes)
    let mut copies: BTreeMap<String, BTreeMap<u64, u64>> = BTreeMap::new();
    for (module, inode, bytes) in plugin_mapping_lines(maps) {
        *copies.entry(module).or_default().entry(inode).or_insert(0) += bytes;
    }
    let largest = |sizes: &BTreeMap<u64, u64>| sizes.values().max().copied().unwrap_or(0);
    RetiredCode {
        bytes: copies
            .values()
            .map(|sizes| sizes.values().sum::<u64>() - largest(sizes))
            .sum(),
        largest_copy: copies.values().map(largest).max().unwrap_or(0),
    }
}

/// [`plugin_code_bytes`] of a maps file's text.
fn plugin_mappings(maps: &str) -> BTreeMap<String, u64> {
    let mut sizes = BTreeMap::new();
    for (module, _, bytes) in plugin_mapping_lines(maps) {
        *sizes.entry(module).or_insert(0) += bytes;
    }
    sizes
}

/// Each plugin mapping of a maps file: module, inode of the in-memory file, bytes.
fn plugin_mapping_lines(maps: &str) -> impl Iterator<Item = (String, u64, u64)> + '_ {
    maps.lines().filter_map(|line| {
        let at = line.find(PLUGIN_MAPPING)?;
        let module = line[at + PLUGIN_MAPPING.len()..]
            .trim_end_matches(" (deleted)")
            .trim();
        let mut fields = line.split_whitespace();
        let (start, end) = fields.next()?.split_once('-')?;
        let inode = fields.nth(3)?.parse().ok()?;
        let (start, end) = (
            u64::from_str_radix(start, 16).ok()?,
            u64::from_str_radix(end, 16).ok()?,
        );
        Some((module.to_owned(), inode, end.saturating_sub(start)))
    })
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
        // welcome: copies 1234 (0x5000) and 1240 (0x1000); the largest stands for the serving
        // version. automod has one copy: nothing retired.
        assert_eq!(
            retired_code(maps),
            RetiredCode {
                bytes: 0x1000,
                largest_copy: 0x5000
            }
        );
    }

    #[test]
    fn this_process_has_a_resident_set() {
        assert!(resident_bytes().is_some_and(|bytes| bytes > 0));
    }
}
