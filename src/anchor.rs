//! Re-anchoring reviewer flags: find a quoted passage in a page that may have
//! changed since the flag was made.
//!
//! A flag remembers its passage the way W3C Web Annotation selectors do: the
//! exact quote with a little text before and after it (TextQuoteSelector) and
//! its offset (TextPositionSelector). The extension tries the cheap anchors
//! first (the same offset, then the exact quote); [`anchor`] is the last
//! resort and the judge between several exact copies: it finds the quote
//! approximately, tolerating a bounded number of edits, and scores each
//! candidate by how well the quote, the prefix, the suffix and the position
//! agree (weights 50 / 20 / 20 / 2, after the Hypothesis client).
//!
//! # Cost
//! Candidates come from exact "seeds": with at most `k` edits, one of `k + 1`
//! pieces of the quote survives intact (pigeonhole), so only windows around
//! seed hits are aligned (semi-global edit distance, O(quote × window) each).
//! The number of windows is capped ([`MAX_CANDIDATES`]), so the time is
//! bounded on any page. All offsets are UTF-16 code units, as the DOM counts.

/// Most candidate windows aligned per call.
pub const MAX_CANDIDATES: usize = 256;
/// Longest quote aligned approximately, in UTF-16 units (longer quotes are
/// aligned on their first and last parts).
pub const MAX_APPROX_QUOTE: usize = 4096;

const W_QUOTE: f64 = 50.0;
const W_PREFIX: f64 = 20.0;
const W_SUFFIX: f64 = 20.0;
const W_POSITION: f64 = 2.0;

/// What a flag remembers of its passage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuoteSelector<'a> {
    /// The exact passage.
    pub exact: &'a str,
    /// Text just before it (may be empty).
    pub prefix: &'a str,
    /// Text just after it (may be empty).
    pub suffix: &'a str,
    /// Where it started, in UTF-16 units, if known.
    pub position: Option<u32>,
}

/// Where a passage was found.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Anchor {
    /// Start, UTF-16 units.
    pub start: u32,
    /// End (exclusive), UTF-16 units.
    pub end: u32,
    /// Edits between the quote and the found text (0: exact).
    pub distance: u32,
    /// 0-1: how well quote, prefix, suffix and position agree.
    pub score: f64,
}

/// The most edits tolerated for a quote of `m` UTF-16 units: a quarter of it,
/// at least 1 (quotes under 4 units must match exactly; a substituted digit
/// counts as several edits, see [`anchor`]).
pub fn max_edits(m: usize) -> usize {
    if m < 4 {
        0
    } else {
        (m / 4).max(1)
    }
}

/// Finds the best place for a quote in `text`, exact or approximate.
/// Returns `None` when no candidate is within [`max_edits`] of the quote.
pub fn anchor(text: &str, sel: &QuoteSelector) -> Option<Anchor> {
    let t: Vec<u16> = text.encode_utf16().collect();
    let q: Vec<u16> = sel.exact.encode_utf16().collect();
    if q.is_empty() || t.is_empty() {
        return None;
    }
    let pre: Vec<u16> = sel.prefix.encode_utf16().collect();
    let suf: Vec<u16> = sel.suffix.encode_utf16().collect();
    let scorer = Scorer {
        t: &t,
        m: q.len(),
        pre: &pre,
        suf: &suf,
        position: sel.position,
    };

    // Exact copies first: each is scored by its context and position. One
    // whose context agrees is the answer; when none does (the flagged post
    // was edited and an old copy survives elsewhere, a repost), the
    // approximate search below may find a better place.
    let exact = find_all(&t, &q, MAX_CANDIDATES)
        .into_iter()
        .map(|s| scorer.score(s, s + q.len(), 0))
        .max_by(|a, b| a.score.total_cmp(&b.score));
    let k = max_edits(q.len());
    if k == 0 || exact.is_some_and(|e| e.score >= EXACT_TRUSTED) {
        return exact;
    }
    let approximate = if q.len() > MAX_APPROX_QUOTE {
        // A very long quote is aligned on its two ends, each scored against
        // its own side's context; the distance is the sum of the two.
        let half = MAX_APPROX_QUOTE / 2;
        let head = Scorer {
            m: half,
            suf: &[],
            ..scorer
        };
        let a = approx(&t, &q[..half], &head, max_edits(half));
        let b = a.and_then(|a| {
            let tail = Scorer {
                m: half,
                pre: &[],
                position: Some((a.start as usize + q.len() - half) as u32),
                ..scorer
            };
            approx(&t, &q[q.len() - half..], &tail, max_edits(half))
        });
        match (a, b) {
            (Some(a), Some(b)) if b.end > a.start => {
                Some(scorer.score(a.start as usize, b.end as usize, a.distance + b.distance))
            }
            _ => None,
        }
    } else {
        approx(&t, &q, &scorer, k)
    };
    match (exact, approximate) {
        (Some(e), Some(a)) => Some(if a.score > e.score { a } else { e }),
        (e, a) => e.or(a),
    }
}

/// An exact copy scoring at least this (its context and position agree)
/// is taken without looking for edited versions elsewhere.
const EXACT_TRUSTED: f64 = 0.99;

/// A substituted digit costs this many edits: two posts that differ in one
/// digit of a card number are different evidence, not a small edit.
const DIGIT_EDIT: usize = 2;

#[inline]
fn sub_cost(a: u16, b: u16) -> usize {
    if a == b {
        0
    } else if (u16::from(b'0')..=u16::from(b'9')).contains(&a)
        || (u16::from(b'0')..=u16::from(b'9')).contains(&b)
    {
        DIGIT_EDIT
    } else {
        1
    }
}

#[derive(Clone, Copy)]
struct Scorer<'a> {
    t: &'a [u16],
    m: usize,
    pre: &'a [u16],
    suf: &'a [u16],
    position: Option<u32>,
}

impl Scorer<'_> {
    fn score(&self, start: usize, end: usize, distance: u32) -> Anchor {
        let quote = 1.0 - (distance as f64 / self.m.max(1) as f64).min(1.0);
        let prefix = if self.pre.is_empty() {
            1.0
        } else {
            let from = start.saturating_sub(self.pre.len());
            similarity(self.pre, &self.t[from..start])
        };
        let suffix = if self.suf.is_empty() {
            1.0
        } else {
            let to = (end + self.suf.len()).min(self.t.len());
            similarity(self.suf, &self.t[end..to])
        };
        let position = match self.position {
            Some(p) => {
                1.0 - ((start as f64 - p as f64).abs() / self.t.len().max(1) as f64).min(1.0)
            }
            None => 1.0,
        };
        let score =
            (W_QUOTE * quote + W_PREFIX * prefix + W_SUFFIX * suffix + W_POSITION * position)
                / (W_QUOTE + W_PREFIX + W_SUFFIX + W_POSITION);
        Anchor {
            start: start as u32,
            end: end as u32,
            distance,
            score,
        }
    }
}

/// 1 - edit distance / longer length.
fn similarity(a: &[u16], b: &[u16]) -> f64 {
    let n = a.len().max(b.len());
    if n == 0 {
        return 1.0;
    }
    1.0 - levenshtein(a, b) as f64 / n as f64
}

fn levenshtein(a: &[u16], b: &[u16]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, &x) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, &y) in b.iter().enumerate() {
            let sub = prev[j] + sub_cost(x, y);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Start offsets of exact occurrences of `q` in `t` (at most `cap`).
fn find_all(t: &[u16], q: &[u16], cap: usize) -> Vec<usize> {
    let mut out = Vec::new();
    if q.len() > t.len() {
        return out;
    }
    let first = q[0];
    let last_start = t.len() - q.len();
    let mut i = 0;
    while i <= last_start {
        match t[i..=last_start].iter().position(|&c| c == first) {
            None => break,
            Some(p) => {
                let s = i + p;
                if t[s..s + q.len()] == *q {
                    out.push(s);
                    if out.len() >= cap {
                        break;
                    }
                }
                i = s + 1;
            }
        }
    }
    out
}

/// Shortest seed piece: shorter seeds hit everywhere on real pages.
const MIN_PIECE: usize = 6;
/// Alignments kept per window for scoring (the lowest distances).
const ENDS_PER_WINDOW: usize = 32;

/// Approximate search: seeds, then semi-global alignment around each.
fn approx(t: &[u16], q: &[u16], scorer: &Scorer, k: usize) -> Option<Anchor> {
    let m = q.len();
    // With at most k edits one of k + 1 pieces survives intact; pieces much
    // shorter than MIN_PIECE would hit everywhere, so long quotes use fewer,
    // longer ones (short quotes go down to 3 units).
    let min_piece = if m < 4 * MIN_PIECE { 3 } else { MIN_PIECE };
    let pieces = (k + 1).min((m / min_piece).max(1));
    let piece_len = m / pieces;
    if piece_len == 0 {
        return None;
    }
    // Candidate starts, nearest to the remembered position first.
    let mut starts: Vec<usize> = Vec::new();
    for p in 0..pieces {
        let off = p * piece_len;
        let piece = &q[off..off + piece_len];
        for hit in find_all(t, piece, MAX_CANDIDATES * 8) {
            starts.push(hit.saturating_sub(off));
        }
    }
    starts.sort_unstable();
    // Starts within k of a kept one share its window (which is widened by k).
    starts.dedup_by(|a, b| a.abs_diff(*b) <= k);
    if let Some(p) = scorer.position {
        starts.sort_by_key(|&s| s.abs_diff(p as usize));
    }
    // Bound the alignment work: windows cost m x (m + 3k) cells each.
    let per_window = m.saturating_mul(m + 3 * k).max(1);
    let windows = (WORK_BUDGET / per_window).clamp(4, MAX_CANDIDATES);
    starts.truncate(windows);

    let mut best: Option<Anchor> = None;
    for s in starts {
        let from = s.saturating_sub(k);
        let to = (s + m + 2 * k).min(t.len());
        let w = &t[from..to];
        let ends = align(q, w, k);
        // The forward pass fixes each end's best start by cost alone; an edit
        // in the first word can make a later start as cheap. Every start of
        // the best ends is re-costed and left to the context to choose.
        for &(_, _, end) in ends.iter().take(STARTS_FOR_ENDS) {
            for (d, a) in starts_for_end(q, w, end, k) {
                let cand = scorer.score(from + a, from + end, d as u32);
                if best.is_none_or(|x| cand.score > x.score) {
                    best = Some(cand);
                }
            }
        }
        for &(d, a, b) in &ends {
            let cand = scorer.score(from + a, from + b, d as u32);
            if best.is_none_or(|x| cand.score > x.score) {
                best = Some(cand);
            }
        }
    }
    best
}

/// Cells of alignment work one search may do (bounds time on any page).
const WORK_BUDGET: usize = 64_000_000;
/// Ends whose starts are re-costed (the lowest distances).
const STARTS_FOR_ENDS: usize = 3;

/// Every start `s` with `distance(q, w[s..end]) <= k`, as (distance, start),
/// within a small slack of the best: one Levenshtein pass over the quote
/// and the window read backwards from `end`.
fn starts_for_end(q: &[u16], w: &[u16], end: usize, k: usize) -> Vec<(usize, usize)> {
    let m = q.len();
    let mut prev: Vec<usize> = (0..=m).collect();
    let mut cur = vec![0usize; m + 1];
    let mut out = Vec::new();
    let reach = end.min(m + 2 * k);
    for j in 1..=reach {
        let c = w[end - j];
        cur[0] = j;
        for i in 1..=m {
            let sub = prev[i - 1] + sub_cost(q[m - i], c);
            cur[i] = sub.min(prev[i] + 1).min(cur[i - 1] + 1);
        }
        if cur[m] <= k {
            out.push((cur[m], end - j));
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    if let Some(min) = out.iter().map(|x| x.0).min() {
        let slack = (k / 4).max(2);
        out.retain(|x| x.0 <= min + slack);
        out.sort_by_key(|x| x.0);
        out.truncate(ENDS_PER_WINDOW);
    }
    out
}

/// Semi-global alignment: the whole of `q` against any substring of `w`.
/// Returns the best alignments (distance, start, end) with distance <= k:
/// those within a small slack of the best distance, at most [`ENDS_PER_WINDOW`],
/// so the context (prefix, suffix) can choose among near-equal ends.
fn align(q: &[u16], w: &[u16], k: usize) -> Vec<(usize, usize, usize)> {
    let m = q.len();
    // One column per text position: cost, and the text start of that alignment.
    let mut cost: Vec<usize> = (0..=m).collect();
    let mut start: Vec<usize> = vec![0; m + 1];
    let mut ends: Vec<(usize, usize, usize)> = Vec::new();
    for (j, &c) in w.iter().enumerate() {
        // Row 0: the alignment may start anywhere in the window.
        let mut diag_cost = cost[0];
        let mut diag_start = start[0];
        cost[0] = 0;
        start[0] = j + 1;
        for i in 1..=m {
            let (up_cost, up_start) = (cost[i], start[i]);
            let sub = diag_cost + sub_cost(q[i - 1], c);
            let del = cost[i - 1] + 1; // a quote char missing from the text
            let ins = up_cost + 1; // an extra text char
            let (nc, ns) = if sub <= del && sub <= ins {
                (sub, diag_start)
            } else if del <= ins {
                (del, start[i - 1])
            } else {
                (ins, up_start)
            };
            diag_cost = up_cost;
            diag_start = up_start;
            cost[i] = nc;
            start[i] = ns;
        }
        if cost[m] <= k {
            ends.push((cost[m], start[m], j + 1));
        }
    }
    let Some(min) = ends.iter().map(|e| e.0).min() else {
        return ends;
    };
    let slack = (k / 4).max(2);
    ends.retain(|e| e.0 <= min + slack);
    ends.sort_by_key(|e| e.0);
    ends.truncate(ENDS_PER_WINDOW);
    ends
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sel<'a>(
        exact: &'a str,
        prefix: &'a str,
        suffix: &'a str,
        position: Option<u32>,
    ) -> QuoteSelector<'a> {
        QuoteSelector {
            exact,
            prefix,
            suffix,
            position,
        }
    }

    fn found(text: &str, a: &Anchor) -> String {
        let u: Vec<u16> = text.encode_utf16().collect();
        String::from_utf16(&u[a.start as usize..a.end as usize]).unwrap()
    }

    #[test]
    fn exact_quote_is_found() {
        let text = "one two three four";
        let a = anchor(text, &sel("three", "two ", " four", Some(8))).unwrap();
        assert_eq!((a.start, a.end, a.distance), (8, 13, 0));
        assert!(a.score > 0.99);
    }

    #[test]
    fn context_chooses_between_exact_copies() {
        let text = "send money to the brothers. later: send money to the brothers now";
        let q = "send money to the brothers";
        let a = anchor(text, &sel(q, "later: ", " now", None)).unwrap();
        assert_eq!(a.start, 35);
        let b = anchor(text, &sel(q, "", ". later", None)).unwrap();
        assert_eq!(b.start, 0);
        // Position breaks a tie when context says nothing.
        let c = anchor(text, &sel(q, "", "", Some(40))).unwrap();
        assert_eq!(c.start, 35);
    }

    #[test]
    fn edited_quote_is_found_approximately() {
        let quote = "Brothers, send your zakat to the card below before Friday";
        let text = "NEW POST ADDED ON TOP\nSome header. Brothers, send all your zakat to the card listed below before Friday! Thanks";
        let a = anchor(text, &sel(quote, "Some header. ", "! Thanks", Some(13))).unwrap();
        assert!(a.distance > 0 && a.distance <= max_edits(quote.encode_utf16().count()) as u32);
        assert_eq!(
            found(text, &a),
            "Brothers, send all your zakat to the card listed below before Friday"
        );
    }

    #[test]
    fn russian_and_arabic_edits() {
        let q = "переведите деньги на карту братьям";
        let text = "Друзья, переведите деньги на карту нашим братьям сегодня";
        let a = anchor(text, &sel(q, "Друзья, ", " сегодня", None)).unwrap();
        assert_eq!(found(text, &a), "переведите деньги на карту нашим братьям");
        let q = "ادعموا إخوانكم بالمال";
        let text = "يا قوم ادعموا اخوانكم بالمال اليوم";
        let a = anchor(text, &sel(q, "", "", None)).unwrap();
        assert_eq!(found(text, &a), "ادعموا اخوانكم بالمال");
    }

    #[test]
    fn gone_passage_is_not_found() {
        let q = "Brothers, send your zakat to the card below";
        let text = "An entirely different page about cooking pasta with tomatoes and basil.";
        assert!(anchor(text, &sel(q, "", "", Some(0))).is_none());
        assert!(anchor("", &sel(q, "", "", None)).is_none());
        assert!(anchor(text, &sel("", "", "", None)).is_none());
    }

    #[test]
    fn short_quotes_must_match_exactly() {
        assert!(anchor("abc xyz", &sel("abd", "", "", None)).is_none());
        assert!(anchor("abc xyz", &sel("xyz", "", "", None)).is_some());
    }

    #[test]
    fn long_quote_and_big_page_are_placed() {
        let para = "The quick brown fox jumps over the lazy dog. ".repeat(200);
        let mut text = "x".repeat(100_000);
        let edited = para.replacen("lazy", "sleepy", 3);
        text.push_str(&edited);
        let a = anchor(&text, &sel(&para, "xxxx", "", Some(100_000))).unwrap();
        assert_eq!(a.start, 100_000);
        // A long quote in repetitive text is placed where its context says.
        let long = "a zakat line. ".repeat(400);
        let page = format!("header {long} footer");
        let a = anchor(
            &page,
            &sel(
                &long.replacen("zakat", "zakah", 2),
                "header ",
                " footer",
                Some(7),
            ),
        )
        .unwrap();
        assert_eq!(a.start, 7);
        // Pathological: a page of one repeated letter and a quote of it with an edit.
        let page = "a".repeat(200_000);
        let q = format!("{}b{}", "a".repeat(50), "a".repeat(50));
        let a = anchor(&page, &sel(&q, "", "", Some(1000))).unwrap();
        assert_eq!(a.distance, 1);
    }

    #[test]
    fn an_edited_original_beats_an_exact_repost() {
        let text = "Post by Abu: Brothers, send all your zakat to the card below before Friday! Thanks\nRepost by Bob, look at this: send your zakat to the card below before Friday lol";
        let q = "send your zakat to the card below before Friday";
        let a = anchor(
            text,
            &sel(
                q,
                "Post by Abu: Brothers, ",
                "! Thanks\nRepost by Bob, look at",
                Some(23),
            ),
        )
        .unwrap();
        assert_eq!(
            found(text, &a),
            "send all your zakat to the card below before Friday"
        );
        assert!(a.score > 0.9, "{a:?}");
        // With agreeing context the exact copy still wins at once.
        let b = anchor(text, &sel(q, "look at this: ", " lol", None)).unwrap();
        assert_eq!((b.start, b.distance), (112, 0));
    }

    #[test]
    fn an_edited_first_word_keeps_the_start() {
        let q = "send your zakat to the card 4111 1111 1111 1111 before Friday";
        let text =
            "Brothers, wire your zakat to the card 4111 1111 1111 1111 before Friday, the fighters";
        let a = anchor(text, &sel(q, "Brothers, ", ", the fighters", None)).unwrap();
        assert_eq!(
            found(text, &a),
            "wire your zakat to the card 4111 1111 1111 1111 before Friday"
        );
    }

    #[test]
    fn edits_at_both_ends_keep_both_ends() {
        let q = "send your zakat to the card 4111 1111 1111 1111 before Friday";
        let text =
            "Brothers, wire your zakat to the card 4111 1111 1111 1111 before Frida, the fighters";
        let a = anchor(text, &sel(q, "Brothers, ", ", the fighters", None)).unwrap();
        assert_eq!(
            found(text, &a),
            "wire your zakat to the card 4111 1111 1111 1111 before Frida"
        );
    }

    #[test]
    fn short_quotes_tolerate_an_edit() {
        let a = anchor(
            "please sand zakat now",
            &sel("send zakat", "please ", " now", None),
        )
        .unwrap();
        assert_eq!(found("please sand zakat now", &a), "sand zakat");
    }

    #[test]
    fn a_changed_digit_costs_more_than_a_changed_letter() {
        let q = "card 4111 1111 1111 1111 for the brothers";
        let digit = anchor(
            "card 4111 1111 1111 1112 for the brothers",
            &sel(q, "", "", None),
        )
        .unwrap();
        let letter = anchor(
            "card 4111 1111 1111 1111 for the bruthers",
            &sel(q, "", "", None),
        )
        .unwrap();
        assert_eq!((digit.distance, letter.distance), (2, 1));
        assert!(digit.score < letter.score);
    }

    #[test]
    fn astral_characters_count_as_two_units() {
        let text = "😀😀 quote here";
        let a = anchor(text, &sel("quote", "", "", None)).unwrap();
        assert_eq!(a.start, 5);
    }
}
