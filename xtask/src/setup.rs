//! What the build and the music sources need from the system, installed from the machine's
//! package managers: `cargo xtask setup` (build), `cargo xtask setup music` (yt-dlp and ffmpeg).
//!
//! The host links libopus (the Opus encoder songbird's voice driver uses, through `opus2`),
//! found with pkg-config; Debian ships it as `libopus-dev`. `run` and `test` check for it before
//! building and, as root with apt-get, install it (saying so), so the README's two commands work
//! on a fresh machine; otherwise they stop with the command to run. Online music sources need
//! yt-dlp (PyPI) and ffmpeg (Debian); the host runs them as programs, and nothing is ever
//! downloaded at run time: this step is the only place they come from.

use std::process::Command;

use anyhow::{bail, Context as _};

/// What `cargo xtask setup` installs.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Part {
    /// libopus-dev and pkg-config: needed to build the host.
    Build,
    /// The build's, plus yt-dlp and ffmpeg: online music sources (and their tests).
    Music,
}

/// Installs `part`.
pub fn run(part: Part) -> anyhow::Result<()> {
    ensure_build_deps()?;
    if matches!(part, Part::Music) {
        if !works("ffmpeg", &["-version"]) {
            apt_install(
                &["ffmpeg"],
                "ffmpeg (yt-dlp uses it to convert what it downloads)",
            )?;
        }
        if !works("yt-dlp", &["--version"]) {
            let python = if works("python3", &["--version"]) {
                "python3"
            } else {
                "python"
            };
            let args = ["-m", "pip", "install", "--quiet", "yt-dlp"];
            eprintln!("xtask: {python} {}", args.join(" "));
            let status = Command::new(python)
                .args(args)
                .status()
                .with_context(|| format!("running {python} -m pip"))?;
            if !status.success() || !works("yt-dlp", &["--version"]) {
                bail!(
                    "yt-dlp could not be installed with `{python} -m pip install yt-dlp` ({status}); install it so that `yt-dlp` is on PATH, or set `yt_dlp` in arsenal.toml to its path"
                );
            }
        }
        eprintln!(
            "xtask: music sources ready: yt-dlp {}, {}",
            version("yt-dlp", &["--version"]),
            version("ffmpeg", &["-version"])
        );
    }
    Ok(())
}

/// Makes sure libopus can be linked: installs `libopus-dev` with apt-get when run as root on a
/// machine that has it, else fails with what to run.
pub fn ensure_build_deps() -> anyhow::Result<()> {
    if works("pkg-config", &["--exists", "opus"]) {
        return Ok(());
    }
    apt_install(
        &["libopus-dev", "pkg-config"],
        "libopus (the host's voice driver encodes Opus with it)",
    )?;
    if !works("pkg-config", &["--exists", "opus"]) {
        bail!("libopus-dev was installed but pkg-config still does not find `opus`");
    }
    Ok(())
}

/// `apt-get install -y packages`, as root only; `why` names what needs them.
fn apt_install(packages: &[&str], why: &str) -> anyhow::Result<()> {
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    if !root || !works("apt-get", &["--version"]) {
        bail!(
            "{why} is missing: install it with `sudo apt-get install -y {}` (Debian/Ubuntu; other systems: your package manager's opus/ffmpeg packages), then run this again",
            packages.join(" ")
        );
    }
    eprintln!(
        "xtask: installing {why}: apt-get install -y {}",
        packages.join(" ")
    );
    let quiet_install = |args: &[&str]| {
        Command::new("apt-get")
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .is_ok_and(|s| s.success())
    };
    let mut install = vec!["install", "-y", "-qq"];
    install.extend_from_slice(packages);
    // The package lists of a fresh machine may be empty or stale: update once if needed.
    let installed =
        quiet_install(&install) || (quiet_install(&["update", "-qq"]) && quiet_install(&install));
    if !installed {
        bail!(
            "apt-get install -y {} failed; install them by hand",
            packages.join(" ")
        );
    }
    Ok(())
}

/// Whether `program args` runs and succeeds.
fn works(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The first line `program args` prints.
fn version(program: &str, args: &[&str]) -> String {
    Command::new(program)
        .args(args)
        .output()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .next()
                .unwrap_or_default()
                .to_owned()
        })
        .unwrap_or_default()
}
