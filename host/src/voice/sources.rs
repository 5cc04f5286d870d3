//! Opening an [`AudioSource`]: a file in the music folder, an attachment fetched over HTTP(S),
//! or a page or search resolved by yt-dlp. Each is opened (and its headers parsed) before it
//! is handed to the driver, so a missing file or a refusing site answers the module's `Play`
//! at once with a readable reason instead of failing later in the mixer.

use std::{
    io::ErrorKind,
    path::{Component, Path, PathBuf},
};

use arsenal_plugin_api::protocol::{AudioSource, TrackInfo};
use songbird::input::{
    codecs::{get_codec_registry, get_probe},
    AudioStreamError, File, HttpRequest, Input, LiveInput, MakePlayableError, YoutubeDl,
};
use symphonia::core::meta::StandardTagKey;

use super::error::{VoiceError, VoiceErrorKind};

/// What opening a source needs from the host.
#[derive(Clone)]
pub(crate) struct Sources {
    /// `music_folder`.
    pub music_folder: PathBuf,
    /// `yt_dlp`, kept for the process's life (songbird's YoutubeDl borrows its program name).
    pub yt_dlp: &'static str,
    /// The one HTTP client for attachments and yt-dlp's streams.
    pub http: reqwest::Client,
}

/// An opened source, ready for the driver.
pub(crate) struct Opened {
    pub input: Input,
    pub info: TrackInfo,
}

/// How to install the online-source tools, for every "not installed" message.
pub const INSTALL_HINT: &str = "install them with `cargo xtask setup music` (yt-dlp from PyPI, ffmpeg from your system's packages), or set `yt_dlp` in arsenal.toml to the program's path";

impl Sources {
    /// Opens `source` and reads its length and title.
    pub(crate) async fn open(&self, source: &AudioSource) -> Result<Opened, VoiceError> {
        match source {
            AudioSource::Local { path } => {
                let file = local_path(&self.music_folder, path)?;
                let fallback = file_title(path);
                let input: Input = File::new(file).into();
                playable(input, fallback, None, path).await
            }
            AudioSource::Attachment { url, filename } => {
                check_http_url(url)?;
                let input: Input = HttpRequest::new(self.http.clone(), url.clone()).into();
                let fallback = if filename.is_empty() {
                    file_title(url)
                } else {
                    file_title(filename)
                };
                playable(input, fallback, None, url).await
            }
            AudioSource::Url { url } => {
                check_http_url(url)?;
                let ytdl = YoutubeDl::new_ytdl_like(self.yt_dlp, self.http.clone(), url.clone());
                self.online(ytdl, url).await
            }
            AudioSource::Search { query } => {
                if query.trim().is_empty() {
                    return Err(VoiceError::new(
                        VoiceErrorKind::Invalid,
                        "the search is empty: give some words to look for",
                    ));
                }
                let ytdl =
                    YoutubeDl::new_search_ytdl_like(self.yt_dlp, self.http.clone(), query.clone());
                self.online(ytdl, query).await
            }
            other => Err(VoiceError::new(
                VoiceErrorKind::Invalid,
                format!("this host cannot play {other:?} (is the module newer than the host?)"),
            )),
        }
    }

    /// Runs yt-dlp once (`-j`), then opens the stream it found.
    async fn online(&self, mut ytdl: YoutubeDl<'static>, what: &str) -> Result<Opened, VoiceError> {
        let mut results = ytdl
            .query(1)
            .await
            .map_err(|e| ytdl_error(self.yt_dlp, &e))?;
        if results.is_empty() {
            return Err(VoiceError::new(
                VoiceErrorKind::Source,
                format!("yt-dlp found nothing for {what:?}"),
            ));
        }
        let result = results.swap_remove(0);
        let aux = result.as_aux_metadata();
        let stream = ytdl.get_stream(&result).await.map_err(|e| {
            VoiceError::new(
                VoiceErrorKind::Source,
                format!("the stream yt-dlp found for {what} could not be fetched: {e}"),
            )
        })?;
        let input = Input::Live(LiveInput::Raw(stream), Some(Box::new(ytdl)));
        let fallback = aux.title.clone().or(aux.track.clone());
        let duration = aux.duration.map(|d| d.as_millis() as u64);
        let mut opened = playable(input, fallback, duration, what).await?;
        if let Some(title) = aux.title {
            opened.info.title = Some(title);
        }
        Ok(opened)
    }
}

/// The file `relative` names inside `folder`, refusing anything that would leave it: `..`, an
/// absolute path, or a symbolic link pointing outside.
pub(crate) fn local_path(folder: &Path, relative: &str) -> Result<PathBuf, VoiceError> {
    let invalid = |why: &str| {
        VoiceError::new(
            VoiceErrorKind::Invalid,
            format!("{relative:?} is not a file of the music folder: {why}"),
        )
    };
    if relative.trim().is_empty() {
        return Err(invalid("the path is empty"));
    }
    let path = Path::new(relative);
    if path.is_absolute() || relative.starts_with(['/', '\\']) {
        return Err(invalid(
            "absolute paths are refused; give a path relative to the music folder",
        ));
    }
    if path
        .components()
        .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
        || relative.split(['/', '\\']).any(|part| part == "..")
    {
        return Err(invalid(
            "`..` is refused; the path must stay inside the music folder",
        ));
    }
    let root = folder.canonicalize().map_err(|e| {
        VoiceError::new(
            VoiceErrorKind::Source,
            format!(
                "the music folder {} cannot be read ({e}): create it and put audio files in it, or set `music_folder` in arsenal.toml",
                folder.display()
            ),
        )
    })?;
    let file = root.join(path).canonicalize().map_err(|e| {
        let why = if e.kind() == ErrorKind::NotFound {
            "there is no such file".to_owned()
        } else {
            e.to_string()
        };
        VoiceError::new(
            VoiceErrorKind::Source,
            format!(
                "{relative:?} cannot be opened in the music folder ({}): {why}",
                folder.display()
            ),
        )
    })?;
    if !file.starts_with(&root) {
        return Err(invalid(
            "it is a symbolic link pointing outside the music folder",
        ));
    }
    if !file.is_file() {
        return Err(invalid("it is a folder, not a file"));
    }
    Ok(file)
}

fn check_http_url(url: &str) -> Result<(), VoiceError> {
    if url.starts_with("https://") || url.starts_with("http://") {
        Ok(())
    } else {
        Err(VoiceError::new(
            VoiceErrorKind::Invalid,
            format!("{url:?} is not a web address (http:// or https://)"),
        ))
    }
}

/// A title from a file name: its last part without the extension.
fn file_title(path: &str) -> Option<String> {
    let name = path.rsplit(['/', '\\']).next()?.split('?').next()?;
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    (!stem.is_empty()).then(|| stem.to_owned())
}

/// Parses `input`'s headers (off the runtime: symphonia reads the file), then reads its length
/// and title tag.
async fn playable(
    input: Input,
    fallback_title: Option<String>,
    known_duration: Option<u64>,
    what: &str,
) -> Result<Opened, VoiceError> {
    let mut input = input
        .make_playable_async(get_codec_registry(), get_probe())
        .await
        .map_err(|e| open_error(what, &e))?;
    let mut info = TrackInfo {
        duration_ms: known_duration,
        title: None,
    };
    if let Some(parsed) = input.parsed_mut() {
        let track_id = parsed.track_id;
        if let Some(track) = parsed.format.tracks().iter().find(|t| t.id == track_id) {
            let params = &track.codec_params;
            if let (Some(frames), Some(rate)) = (params.n_frames, params.sample_rate) {
                if rate > 0 {
                    info.duration_ms = Some(frames.saturating_mul(1000) / u64::from(rate));
                }
            }
        }
        let title_of = |rev: &symphonia::core::meta::MetadataRevision| {
            rev.tags()
                .iter()
                .find(|t| t.std_key == Some(StandardTagKey::TrackTitle))
                .map(|t| t.value.to_string())
        };
        info.title = parsed
            .format
            .metadata()
            .current()
            .and_then(title_of)
            .or_else(|| {
                parsed
                    .meta
                    .get()
                    .and_then(|m| m.current().and_then(title_of))
            });
    }
    if info.title.is_none() {
        info.title = fallback_title;
    }
    Ok(Opened { input, info })
}

fn open_error(what: &str, error: &MakePlayableError) -> VoiceError {
    let detail = match error {
        MakePlayableError::Create(AudioStreamError::Fail(e)) => e.to_string(),
        MakePlayableError::Parse(e) => format!("not audio this host can decode ({e})"),
        other => other.to_string(),
    };
    VoiceError::new(
        VoiceErrorKind::Source,
        format!("{what} could not be opened: {detail}"),
    )
}

/// yt-dlp's failure as one readable line: not installed (and how to install it), or the
/// site's reason (its `ERROR:` line: a rate limit, a sign-in wall, a video unavailable).
pub(crate) fn ytdl_error(program: &str, error: &AudioStreamError) -> VoiceError {
    let text = match error {
        AudioStreamError::Fail(e) => e.to_string(),
        other => other.to_string(),
    };
    if text.contains("could not find executable") {
        return VoiceError::new(
            VoiceErrorKind::Source,
            format!("online sources need yt-dlp, and `{program}` is not installed: {INSTALL_HINT}"),
        );
    }
    let reason = text
        .lines()
        .rev()
        .find(|l| l.trim_start().starts_with("ERROR:"))
        .map(|l| {
            l.trim_start()
                .trim_start_matches("ERROR:")
                .trim()
                .to_owned()
        })
        .unwrap_or_else(|| {
            text.lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("no reason given")
                .trim()
                .to_owned()
        });
    let hint = if reason.contains("429") || reason.to_lowercase().contains("too many requests") {
        " (the site is rate-limiting this machine: try again later)"
    } else if reason.to_lowercase().contains("sign in") || reason.contains("age") {
        " (the site wants a signed-in account: this video cannot be played)"
    } else {
        ""
    };
    VoiceError::new(
        VoiceErrorKind::Source,
        format!("the site refused: {reason}{hint}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_leaving_the_music_folder_are_refused_with_a_reason() {
        let dir = tempfile_dir();
        std::fs::write(dir.join("song.ogg"), b"x").unwrap();
        assert!(local_path(&dir, "song.ogg").is_ok());
        for (path, why) in [
            ("../secret.ogg", "`..`"),
            ("a/../../b.ogg", "`..`"),
            ("/etc/passwd", "absolute"),
            ("", "empty"),
        ] {
            let error = local_path(&dir, path).unwrap_err();
            assert_eq!(error.kind(), VoiceErrorKind::Invalid, "{path}");
            assert!(error.message().contains(why), "{path}: {error}");
        }
        let missing = local_path(&dir, "nope.ogg").unwrap_err();
        assert!(missing.message().contains("no such file"), "{missing}");
        let outside = dir
            .parent()
            .unwrap()
            .join(format!("outside-{}.ogg", std::process::id()));
        std::fs::write(&outside, b"x").unwrap();
        std::os::unix::fs::symlink(&outside, dir.join("link.ogg")).unwrap();
        let escaped = local_path(&dir, "link.ogg").unwrap_err();
        assert!(escaped.message().contains("symbolic link"), "{escaped}");
        let _ = std::fs::remove_file(outside);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn yt_dlp_failures_read_as_one_line() {
        let missing = ytdl_error(
            "/no/yt-dlp",
            &AudioStreamError::Fail("could not find executable '/no/yt-dlp' on path".into()),
        );
        assert!(
            missing.message().contains("cargo xtask setup music"),
            "{missing}"
        );
        let refused = ytdl_error(
            "yt-dlp",
            &AudioStreamError::Fail(
                "yt-dlp failed with non-zero status code: WARNING: x\nERROR: [youtube] abc: HTTP Error 429: Too Many Requests\n".into(),
            ),
        );
        assert_eq!(
            refused.message(),
            "the site refused: [youtube] abc: HTTP Error 429: Too Many Requests (the site is rate-limiting this machine: try again later)"
        );
    }

    fn tempfile_dir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "arsenal-voice-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        dir.canonicalize().unwrap()
    }
}
