//! How the module writes times, progress and pages, and reads the times members type.

use arsenal_plugin_api::prelude::*;

use crate::model::{Entry, Played, Queue};

/// Tracks per page of `/queue` and `/history`.
pub const PER_PAGE: usize = 10;
/// Longest title shown in a list (Discord's message holds 2000 characters).
const TITLE_SHOWN: usize = 80;

/// The queue page buttons.
#[derive(Debug, Clone, PartialEq, Eq, CustomId)]
#[custom_id(module = "music")]
pub enum Ui {
    /// Shows page `page` (from 1) of the server's queue.
    #[custom_id(tag = "q")]
    QueuePage { page: u32 },
}

/// `1:05`, `1:02:03`.
pub fn time(ms: u64) -> String {
    let secs = ms / 1000;
    let (h, m, s) = (secs / 3600, (secs / 60) % 60, secs % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// Reads `90`, `1:30`, `1:02:03` (seconds, minutes:seconds, hours:minutes:seconds) in ms.
pub fn parse_time(text: &str) -> Option<u64> {
    let parts: Vec<&str> = text.trim().split(':').collect();
    if parts.is_empty() || parts.len() > 3 {
        return None;
    }
    let mut total: u64 = 0;
    for (i, part) in parts.iter().enumerate() {
        if part.is_empty() || part.len() > 6 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let value: u64 = part.parse().ok()?;
        // Minutes and seconds after a colon stay below 60 (`1:75` is a typo, not 2:15).
        if i > 0 && value >= 60 {
            return None;
        }
        total = total.checked_mul(60)?.checked_add(value)?;
    }
    total.checked_mul(1000)
}

/// `▬▬▬🔘▬▬▬▬ 1:05 / 3:20` (or the position alone when the length is unknown).
pub fn progress(position_ms: u64, duration_ms: Option<u64>) -> String {
    const WIDTH: u64 = 20;
    match duration_ms {
        Some(duration) if duration > 0 => {
            let at = (position_ms.min(duration) * WIDTH / duration).min(WIDTH - 1);
            let bar: String = (0..WIDTH)
                .map(|i| if i == at { '🔘' } else { '▬' })
                .collect();
            format!("{bar} {} / {}", time(position_ms), time(duration))
        }
        _ => time(position_ms),
    }
}

/// A title cut to fit a list line, with Markdown's special characters escaped.
pub fn title(text: &str) -> String {
    let mut cut: String = text.chars().take(TITLE_SHOWN).collect();
    if text.chars().count() > TITLE_SHOWN {
        cut.push('…');
    }
    cut.chars()
        .flat_map(|c| {
            let escape = matches!(c, '*' | '_' | '`' | '~' | '|' | '[' | ']' | '\\');
            escape.then_some('\\').into_iter().chain(std::iter::once(c))
        })
        .collect()
}

/// One line of a list: title, length, requester.
fn line(number: usize, entry: &Entry) -> String {
    let length = entry.duration_ms.map(time).unwrap_or_default();
    let length = if length.is_empty() {
        String::new()
    } else {
        format!(" `{length}`")
    };
    format!(
        "`{number}.` {}{length} — <@{}>",
        title(&entry.title),
        entry.requester
    )
}

/// How many pages `count` items fill (at least one).
pub fn pages(count: usize) -> usize {
    count.div_ceil(PER_PAGE).max(1)
}

/// Page `page` (from 1, clamped) of the queue, with its buttons.
pub fn queue_page(tr: &Tr<'_>, queue: &Queue, page: usize) -> Reply {
    let total = pages(queue.upcoming.len());
    let page = page.clamp(1, total);
    let mut text = match &queue.now {
        Some(now) => {
            let state = if queue.paused { "⏸" } else { "▶" };
            tr!(
                tr,
                "music-queue-now",
                state = state,
                title = title(&now.title),
                user = now.requester
            )
        }
        None => tr.t("music-queue-nothing-now"),
    };
    text.push('\n');
    if queue.upcoming.is_empty() {
        text.push_str(&tr.t("music-queue-empty-after"));
    } else {
        let start = (page - 1) * PER_PAGE;
        for (i, entry) in queue.upcoming.iter().enumerate().skip(start).take(PER_PAGE) {
            text.push_str(&line(i + 1, entry));
            text.push('\n');
        }
        let total_ms: u64 = queue.upcoming.iter().filter_map(|e| e.duration_ms).sum();
        text.push_str(&tr!(
            tr,
            "music-queue-footer",
            page = page,
            pages = total,
            count = queue.upcoming.len(),
            length = time(total_ms),
            mode = tr.t(match queue.loop_mode {
                crate::model::LoopMode::Off => "music-loop-name-off",
                crate::model::LoopMode::Track => "music-loop-name-track",
                crate::model::LoopMode::Queue => "music-loop-name-queue",
            })
        ));
    }
    let mut reply = Reply::text(text).no_mentions();
    if total > 1 {
        let previous = Button::secondary(
            "◀",
            &Ui::QueuePage {
                page: page_u32(page.saturating_sub(1).max(1)),
            },
        );
        let next = Button::secondary(
            "▶",
            &Ui::QueuePage {
                page: page_u32((page + 1).min(total)),
            },
        );
        reply = reply.buttons([
            if page == 1 {
                previous.disabled()
            } else {
                previous
            },
            if page == total { next.disabled() } else { next },
        ]);
    }
    reply
}

fn page_u32(page: usize) -> u32 {
    u32::try_from(page).unwrap_or(u32::MAX)
}

/// Page `page` of a history.
pub fn history_page(tr: &Tr<'_>, played: &[Played], page: usize) -> String {
    if played.is_empty() {
        return tr.t("music-history-empty");
    }
    let total = pages(played.len());
    let page = page.clamp(1, total);
    let mut text = String::new();
    for (i, item) in played
        .iter()
        .enumerate()
        .skip((page - 1) * PER_PAGE)
        .take(PER_PAGE)
    {
        let failed = if item.error.is_some() { " ⚠" } else { "" };
        text.push_str(&format!(
            "`{}.` {}{failed} — <@{}> <t:{}:R>\n",
            i + 1,
            title(&item.title),
            item.requester,
            item.at_ms / 1000
        ));
    }
    text.push_str(&tr!(tr, "music-page", page = page, pages = total));
    text
}
