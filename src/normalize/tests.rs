//! Unit tests that need the crate internals: the fast paths against the
//! general path, and the per-char tables.

use super::tables::{classify, compute, ASCII, K_UNIT};
use super::*;
use proptest::prelude::*;

/// Folds with every fast path off.
fn fold_slow(text: &str, block_starts: &[u32]) -> Folded {
    let mut f = Folded::default();
    fold_impl::<false>(&mut f, text, block_starts);
    f
}

#[track_caller]
fn assert_same_as_slow(text: &str, block_starts: &[u32]) {
    let fast = fold(text, block_starts);
    let slow = fold_slow(text, block_starts);
    assert_eq!(
        fast.as_str(),
        slow.as_str(),
        "text of {text:?} {block_starts:?}"
    );
    assert_eq!(fast.map, slow.map, "map of {text:?} {block_starts:?}");
}

#[test]
fn fast_paths_agree_on_examples() {
    for t in [
        "Hello World, this is plain text. With Capitals and punctuation!",
        "support freedom 2024 covid19 win10 $200 1,500 @user wow!so h3ll0 j1had!!!",
        "a b and I. x - y, I S I S and I.S.I.S then i s i s\nI S",
        "word! word? word. word, word; (word) \"word\" it's don't",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa bbbbbbbbbbbbbbbbbb",
        "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz 12345678 abcdefgh",
        "mixed джихад words جهاد and text 😀 ok ok ok ok ok ok ok ok",
        "tab\tseparated  double  spaces\n\nnewlines\r\nend",
        "x y z w v u t s r q p o n m l k j i h g f e d c b a",
        "ab1cd ab2 3cd a1b2c3d4 l33t sp34k",
    ] {
        assert_same_as_slow(t, &[]);
        for b in [1u32, 5, 8, 9, 16, 17, 33] {
            assert_same_as_slow(t, &[b]);
            assert_same_as_slow(t, &[b, b + 7]);
        }
    }
}

/// Pieces the fast paths and the contextual rules react to.
#[rustfmt::skip]
const PIECES: &[&str] = &[
    "a", "b", "i", "s", "A", "S", "и", "г", "а", "ج", "ه", "aa", "ii", "ab", "isis", "word",
    "Words", "джи", "a@a", "l33t", "1", "0", "3", "@", "$", "!", "|", " ", " ", " ", "  ", "   ",
    "\u{A0}", ".", "-", "_", "*", "..", "\n", "\t", ",", "'", "🙂", "\u{200B}", "\u{0301}",
    "\u{7F}", "2024", "abcdefgh", "ABCDEFGHIJ", "plain text ", "more words, ", "джихад",
    "ДЖИИХАД", "ёлка", "جهاد", "الله", "مَرحبا", "ـ", "٢", "αβγ", "ΣΟΦΟΣ", "ﷲ", "ß", "İ", "😀",
    "中文", "\u{10400}", "д", "ж",
];

/// Property test cases: `default`, or `FLAGLIGHT_PROPTEST_CASES` for deeper runs.
fn cases(default: u32) -> u32 {
    std::env::var("FLAGLIGHT_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(3000)))]

    /// Same as `fast_paths_agree`, on strings built from pieces.
    #[test]
    fn fast_paths_agree_on_soup(
        pieces in prop::collection::vec(0..PIECES.len(), 0..40),
        starts in prop::collection::vec(0u32..120, 0..4),
    ) {
        let s: String = pieces.iter().map(|&i| PIECES[i]).collect();
        let fast = fold(&s, &starts);
        let slow = fold_slow(&s, &starts);
        prop_assert_eq!(fast.as_str(), slow.as_str(), "input {:?}", s);
        prop_assert_eq!(&fast.map, &slow.map);
    }

    /// The fast paths (8-byte blocks, ASCII words, single spaces) give
    /// exactly what the general path gives, text and map.
    #[test]
    fn fast_paths_agree(
        s in "[a-zA-Z0-9 .,!?@$|'\\-_\\n\\t\\r\u{7F}\u{1}]{0,80}|[a-eA-E0-3 .!\\n]{0,80}|[a-zA-Z абвгджзийоА-Я0-9 .\\u{200B}\\u{0301}\\u{A0}ج]{0,80}",
        starts in prop::collection::vec(0u32..90, 0..4),
    ) {
        let fast = fold(&s, &starts);
        let slow = fold_slow(&s, &starts);
        prop_assert_eq!(fast.as_str(), slow.as_str());
        prop_assert_eq!(&fast.map, &slow.map);
    }
}

#[test]
fn ascii_table_matches_classification() {
    for b in 0x20u8..0x7F {
        let c = b as char;
        assert_eq!(ASCII[b as usize], classify(c.to_ascii_lowercase()), "{c:?}");
        let comp = compute(c);
        assert_eq!(comp.kind, K_UNIT);
        assert_eq!(comp.units(), &[ASCII[b as usize]]);
    }
}

/// Every char folds to a fixed point: folding the fold of one char again
/// changes nothing (the tables are closed), over the whole code space.
#[test]
fn per_char_folding_is_idempotent() {
    let mut bad = Vec::new();
    for cp in 0..0x11_0000u32 {
        let Some(c) = char::from_u32(cp) else {
            continue;
        };
        let once = fold_pattern(&c.to_string());
        let twice = fold_pattern(&once);
        if once != twice {
            bad.push(format!("U+{cp:04X}: {once:?} → {twice:?}"));
        }
    }
    assert!(
        bad.is_empty(),
        "{} chars: {:?}",
        bad.len(),
        &bad[..bad.len().min(20)]
    );
}

/// Folded output holds no combining marks, no removed chars, and no
/// Cyrillic or Greek letter that has a Latin look-alike.
#[test]
fn folded_output_is_clean() {
    let mut all = String::new();
    for cp in 0..0x3_0000u32 {
        if let Some(c) = char::from_u32(cp) {
            all.push(c);
            all.push(' ');
        }
    }
    let folded = fold(&all, &[]);
    let mut bad = Vec::new();
    for c in folded.as_str().chars() {
        if unicode_normalization::char::is_combining_mark(c)
            || tables::is_removed(c)
            || "аеорсухіјѕԁһкмнтвαεικνορτυχ".contains(c)
            || c.is_uppercase()
        {
            bad.push(format!("{c:?} U+{:04X}", c as u32));
        }
    }
    bad.dedup();
    assert!(
        bad.is_empty(),
        "{} chars: {:?}",
        bad.len(),
        &bad[..bad.len().min(40)]
    );
}

#[test]
fn folded_offsets_agree_with_folded_offset() {
    let text = "Первый пост 😀 здесь\nsecond post\u{200b} here\nثالث منشور";
    let blocks: Vec<u32> = vec![0, 5, 12, 13, 14, 21, 30, 33, 40, 100];
    let f = crate::normalize::fold(text, &blocks);
    let each: Vec<usize> = blocks.iter().map(|&b| f.folded_offset(b)).collect();
    assert_eq!(f.folded_offsets(&blocks), each);
    // Unsorted input still gives the right answers.
    let shuffled = [30u32, 5, 40, 0];
    let each: Vec<usize> = shuffled.iter().map(|&b| f.folded_offset(b)).collect();
    assert_eq!(f.folded_offsets(&shuffled), each);
}

#[test]
fn word_chars_are_exactly_the_alphanumeric_chars() {
    // is_word_char has fast paths; they must agree with the definition everywhere.
    for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
        assert_eq!(
            is_word_char(c),
            c.is_alphanumeric(),
            "{c:?} U+{:04X}",
            c as u32
        );
    }
}
