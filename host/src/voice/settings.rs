//! The voice settings read from `arsenal.toml`: where local files are, which yt-dlp to run.

use std::path::{Path, PathBuf};

/// `music_folder` and `yt_dlp` in `arsenal.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VoiceSettings {
    /// The folder [`AudioSource::Local`](arsenal_plugin_api::protocol::AudioSource::Local)
    /// paths are relative to; `None`: `<data-dir>/music`.
    pub music_folder: Option<PathBuf>,
    /// The yt-dlp program (a name on PATH or a path); `None`: `yt-dlp`.
    pub yt_dlp: Option<String>,
}

/// The yt-dlp program run when `yt_dlp` is not set.
pub const DEFAULT_YT_DLP: &str = "yt-dlp";

impl VoiceSettings {
    /// The music folder, with `data_dir` giving the default.
    #[must_use]
    pub fn music_folder_in(&self, data_dir: &Path) -> PathBuf {
        self.music_folder
            .clone()
            .unwrap_or_else(|| data_dir.join("music"))
    }

    /// The yt-dlp program to run.
    #[must_use]
    pub fn yt_dlp_program(&self) -> &str {
        self.yt_dlp
            .as_deref()
            .filter(|p| !p.trim().is_empty())
            .unwrap_or(DEFAULT_YT_DLP)
    }
}
