//! "Did you mean": the command or subcommand names close to a mistyped one.

use super::MAX_SUGGESTIONS;

/// Up to [`MAX_SUGGESTIONS`] of `names` that `typed` may be a typo or a start of, closest first.
pub(super) fn closest<'a>(typed: &str, names: impl Iterator<Item = &'a str>) -> Vec<String> {
    let typed: Vec<char> = typed.chars().flat_map(char::to_lowercase).collect();
    let mut scored: Vec<(usize, &str)> = names
        .filter_map(|name| {
            let lower: Vec<char> = name.chars().flat_map(char::to_lowercase).collect();
            let distance = edit_distance(&typed, &lower);
            let common = typed.iter().zip(&lower).take_while(|(a, b)| a == b).count();
            // Short words are close to everything: `econ` is three edits from `ban`.
            let shorter = typed.len().min(lower.len());
            let typo = distance <= (shorter / 2).clamp(1, 3);
            let start = common >= 3 || (common >= 2 && common == typed.len().min(lower.len()));
            (typo || start).then_some((distance, name))
        })
        .collect();
    scored.sort_unstable();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored
        .into_iter()
        .take(MAX_SUGGESTIONS)
        .map(|(_, name)| name.to_owned())
        .collect()
}

/// Optimal string alignment distance: like Levenshtein, plus a swapped pair (`mdoule`) is one
/// typo.
pub(super) fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut d = vec![vec![0; b.len() + 1]; a.len() + 1];
    for i in 0..=a.len() {
        for j in 0..=b.len() {
            d[i][j] = if i == 0 || j == 0 {
                i + j
            } else {
                let substitute = d[i - 1][j - 1] + usize::from(a[i - 1] != b[j - 1]);
                let mut best = substitute.min(d[i - 1][j] + 1).min(d[i][j - 1] + 1);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    best = best.min(d[i - 2][j - 2] + 1);
                }
                best
            };
        }
    }
    d[a.len()][b.len()]
}
