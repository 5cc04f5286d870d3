//! Structural check of a shared library before `dlopen`.
//!
//! glibc maps a library's segments straight from the file; a truncated file (a plugin still being
//! written into the plugins folder) maps pages past its end, and the dynamic linker then dies with
//! SIGBUS inside `dlopen`, taking the host with it. So before loading, the bytes are parsed as ELF
//! and every header and loadable segment must lie inside the file. This does not make arbitrary
//! corrupt libraries safe to load (only a separate process could), but it covers truncation and
//! non-ELF files, the cases a plugins folder actually sees.

use object::{
    elf,
    read::elf::{Dyn, FileHeader, ProgramHeader},
    Endianness, ReadRef,
};

/// Checks that `bytes` is a complete ELF shared library for this machine and returns the
/// libraries it needs (its `DT_NEEDED` entries, in order).
///
/// # Errors
///
/// A short reason, e.g. "truncated: segment 2 ends at byte 31000 but the file has 20000".
pub fn check(bytes: &[u8]) -> Result<Vec<String>, String> {
    check_data(bytes, bytes.len() as u64)
}

/// [`check`] of a file of `len` bytes read through `data`, which may read only the parts it
/// needs (headers, dynamic section: `object::ReadCache` over a file).
///
/// # Errors
///
/// As [`check`].
pub fn check_data<'data, R: ReadRef<'data>>(data: R, len: u64) -> Result<Vec<String>, String> {
    let header = elf::FileHeader64::<Endianness>::parse(data)
        .map_err(|e| format!("not a 64-bit ELF file ({e})"))?;
    let endian = header
        .endian()
        .map_err(|e| format!("bad ELF header ({e})"))?;
    if header.e_type(endian) != elf::ET_DYN {
        return Err("an ELF file but not a shared library".to_owned());
    }
    if header.e_machine(endian) != native_machine() {
        return Err(format!(
            "built for another architecture (ELF machine {})",
            header.e_machine(endian)
        ));
    }
    let segments = header
        .program_headers(endian, data)
        .map_err(|e| format!("truncated or damaged program headers ({e})"))?;
    for (index, segment) in segments.iter().enumerate() {
        if segment.p_type(endian) != elf::PT_LOAD && segment.p_type(endian) != elf::PT_DYNAMIC {
            continue;
        }
        let end = segment
            .p_offset(endian)
            .saturating_add(segment.p_filesz(endian));
        if end > len {
            return Err(format!(
                "truncated: segment {index} ends at byte {end} but the file has {len} (still being written?)"
            ));
        }
    }
    let sections = header
        .sections(endian, data)
        .map_err(|e| format!("truncated or damaged section table ({e})"))?;
    let damaged = |e: object::Error| format!("damaged dynamic section ({e})");
    let Some((dynamic, strings_index)) = sections.dynamic(endian, data).map_err(damaged)? else {
        return Ok(Vec::new());
    };
    let strings = sections
        .strings(endian, data, strings_index)
        .map_err(damaged)?;
    let mut needed = Vec::new();
    for entry in dynamic {
        if entry.tag32(endian) == Some(elf::DT_NEEDED) {
            let offset = u32::try_from(entry.d_val(endian))
                .map_err(|_| "damaged dynamic section (string offset out of range)".to_owned())?;
            let name = strings
                .get(offset)
                .map_err(|()| "damaged dynamic section (bad string offset)".to_owned())?;
            needed.push(String::from_utf8_lossy(name).into_owned());
        }
    }
    Ok(needed)
}

const fn native_machine() -> u16 {
    if cfg!(target_arch = "x86_64") {
        elf::EM_X86_64
    } else if cfg!(target_arch = "aarch64") {
        elf::EM_AARCH64
    } else if cfg!(target_arch = "riscv64") {
        elf::EM_RISCV
    } else {
        elf::EM_NONE
    }
}

#[cfg(test)]
mod tests {
    use super::check;

    fn own_binary() -> Vec<u8> {
        // The test binary is a PIE executable (ET_DYN) for this machine: a realistic ELF.
        std::fs::read(std::env::current_exe().unwrap()).unwrap()
    }

    #[test]
    fn a_complete_library_passes_and_names_what_it_needs() {
        let needed = check(&own_binary()).expect("complete");
        assert!(
            needed.iter().any(|n| n.starts_with("libc.so")),
            "{needed:?}"
        );
    }

    #[test]
    fn every_truncation_is_refused() {
        let bytes = own_binary();
        for cut in [0, 3, 63, 64, 200, 4096, bytes.len() / 2, bytes.len() - 1] {
            assert!(check(&bytes[..cut]).is_err(), "cut at {cut}");
        }
    }

    #[test]
    fn reading_only_the_needed_parts_of_a_file_agrees_with_the_whole_bytes() {
        let path = std::env::current_exe().unwrap();
        let bytes = own_binary();
        let file = std::fs::File::open(&path).unwrap();
        let cache = object::ReadCache::new(file);
        assert_eq!(super::check_data(&cache, bytes.len() as u64), check(&bytes));
        // The same file claimed shorter than its segments: refused as truncated.
        let file = std::fs::File::open(&path).unwrap();
        let cache = object::ReadCache::new(file);
        let error = super::check_data(&cache, 4096).unwrap_err();
        assert!(error.contains("truncated"), "{error}");
    }

    #[test]
    fn garbage_is_refused() {
        assert!(check(b"#!/bin/sh\necho hi\n")
            .unwrap_err()
            .contains("not a 64-bit ELF"));
    }
}
