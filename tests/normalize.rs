//! Integration tests for `flaglight::normalize`: every transform in English,
//! Russian and Arabic, with spans back to the original text (UTF-16), plus
//! property tests (evasions are found, spans stay inside the evasive text,
//! idempotence on patterns, no panics) and a throughput figure (ignored test).

use flaglight::normalize::{fold, fold_into, fold_pattern, is_word_char, Folded};
use proptest::prelude::*;

// ---------------------------------------------------------------- helpers

/// Folded text of `s` without block starts.
fn f(s: &str) -> String {
    fold(s, &[]).as_str().to_string()
}

/// The original text covered by the UTF-16 range `[a, b)`.
fn utf16_slice(text: &str, a: u32, b: u32) -> String {
    let units: Vec<u16> = text.encode_utf16().collect();
    String::from_utf16_lossy(&units[a as usize..b as usize])
}

/// Finds `pattern` (folded with `fold_pattern`) in the folded text of `text`
/// and returns the original text its span covers, with the span.
fn find(text: &str, block_starts: &[u32], pattern: &str) -> Option<(String, (u32, u32))> {
    let folded = fold(text, block_starts);
    let p = fold_pattern(pattern);
    let at = folded.as_str().find(&p)?;
    let span = folded.span(at, at + p.len());
    Some((utf16_slice(text, span.0, span.1), span))
}

/// Asserts that `pattern` is found in `text` and covers exactly `covered`.
#[track_caller]
fn assert_covers(text: &str, pattern: &str, covered: &str) {
    match find(text, &[], pattern) {
        Some((got, _)) => assert_eq!(got, covered, "span of {pattern:?} in {text:?}"),
        None => panic!(
            "{pattern:?} (folded {:?}) not found in {text:?} (folded {:?})",
            fold_pattern(pattern),
            f(text)
        ),
    }
}

/// Asserts that `a` and `b` fold to the same text.
#[track_caller]
fn same(a: &str, b: &str) {
    assert_eq!(f(a), f(b), "fold({a:?}) vs fold({b:?})");
}

/// Checks the map invariants on any input.
#[track_caller]
fn check_invariants(text: &str, block_starts: &[u32], folded: &Folded) {
    let total: u32 = text.encode_utf16().count() as u32;
    let out = folded.as_str();
    let mut prev = (0u32, 0u32);
    for (i, _) in out.char_indices() {
        let end = i + out[i..].chars().next().unwrap().len_utf8();
        let (s, e) = folded.span(i, end);
        assert!(
            s <= e && e <= total,
            "span {s}..{e} of char {i} out of 0..{total}"
        );
        assert!(
            s >= prev.0 && e >= prev.1,
            "spans go back at {i}: {prev:?} then {:?}",
            (s, e)
        );
        prev = (s, e);
    }
    // Every in-range block start (other than 0) gives a '\n' with an empty span.
    let mut starts: Vec<u32> = block_starts
        .iter()
        .copied()
        .filter(|&b| b > 0 && b <= total)
        .collect();
    starts.sort_unstable();
    starts.dedup();
    let empty_newlines = out
        .char_indices()
        .filter(|&(i, c)| {
            c == '\n' && {
                let (s, e) = folded.span(i, i + 1);
                s == e
            }
        })
        .count();
    // A block start inside a surrogate pair moves to the next char boundary
    // and may merge with another one.
    assert!(empty_newlines <= starts.len());
    if text.chars().all(|c| (c as u32) < 0x10000) {
        assert_eq!(empty_newlines, starts.len(), "block newlines in {out:?}");
    }
}

// ------------------------------------------------ 1. NFKC and case folding

#[test]
fn nfkc_compatibility_forms() {
    // English: fullwidth, mathematical, ligatures, circled, superscripts.
    assert_eq!(f("ＩＳＩＳ"), "isis");
    assert_eq!(f("𝐈𝐒𝐈𝐒 𝒿𝒾𝒽𝒶𝒹"), "isis jihad");
    assert_eq!(f("ﬁght"), "fight");
    assert_eq!(f("ⓘⓢⓘⓢ"), "isis");
    assert_eq!(f("x²"), "x2");
    // Russian: fullwidth digits inside Cyrillic text, compatibility letters.
    assert_eq!(f("в ２０２４ году"), f("в 2024 году"));
    // Arabic: presentation forms fold to letters.
    assert_eq!(f("ﷲ"), f("الله"));
    assert_eq!(f("ﺟﻬﺎﺩ"), f("جهاد"));
    assert_eq!(f("ﻻ"), f("لا"));
    // Spans: a fullwidth word maps back to itself.
    assert_covers("go ＩＳＩＳ go", "isis", "ＩＳＩＳ");
    assert_covers("🙂 ﷲ", "الله", "ﷲ");
    assert_covers("😀 в ２０２４ году", "2024", "２０２４");
}

#[test]
fn case_folding() {
    // English and the special cases of full case folding.
    same("ISIS", "isis");
    same("STRASSE", "straße");
    same("STRAẞE", "strasse");
    // Greek final sigma.
    same("ΣΟΦΟΣ", "σοφος");
    same("σοφος", "σοφοσ");
    // Turkish dotted and dotless i: all fold to i.
    same("İSTANBUL", "istanbul");
    same("ıstanbul", "istanbul");
    // Russian.
    same("ДЖИХАД", "джихад");
    same("ИГИЛ", "игил");
    same("Ёлка", "елка");
    // Arabic has no case: unchanged by case folding.
    assert_eq!(f("جهاد"), "جهاد");
    assert_covers("WE SAY ДЖИХАД!", "джихад", "ДЖИХАД");
    assert_covers("🙂 İSİS.", "isis", "İSİS");
    assert_covers("🙂 STRAẞE", "strasse", "STRAẞE");
}

#[test]
fn upper_and_lower_fold_alike_for_every_letter() {
    let mut bad = Vec::new();
    for cp in 0..0x11_0000u32 {
        let Some(c) = char::from_u32(cp) else {
            continue;
        };
        if !c.is_alphabetic() || unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        let up: String = c.to_uppercase().collect();
        let low: String = c.to_lowercase().collect();
        if up == low {
            continue;
        }
        if fold_pattern(&up) != fold_pattern(&low) {
            bad.push(format!(
                "U+{cp:04X} {c}: {:?} vs {:?}",
                fold_pattern(&up),
                fold_pattern(&low)
            ));
        }
    }
    assert!(
        bad.is_empty(),
        "{} letters fold differently by case: {:?}",
        bad.len(),
        &bad[..bad.len().min(20)]
    );
}

// ---------------------------------------------- 2. removal of invisibles

#[test]
fn removal_of_invisible_chars() {
    let invisibles = [
        '\u{200B}',
        '\u{200C}',
        '\u{200D}',
        '\u{200E}',
        '\u{200F}',
        '\u{2060}',
        '\u{2061}',
        '\u{2062}',
        '\u{2063}',
        '\u{2064}',
        '\u{034F}',
        '\u{180E}',
        '\u{00AD}',
        '\u{FEFF}',
        '\u{202A}',
        '\u{202B}',
        '\u{202C}',
        '\u{202D}',
        '\u{202E}',
        '\u{2066}',
        '\u{2067}',
        '\u{2068}',
        '\u{2069}',
        '\u{061C}',
        '\u{FE0F}',
        '\u{FE00}',
        '\u{E0100}',
    ];
    for z in invisibles {
        // English, Russian, Arabic words with the invisible char inside.
        assert_eq!(f(&format!("is{z}is")), "isis", "U+{:04X}", z as u32);
        assert_eq!(f(&format!("дж{z}ихад")), f("джихад"), "U+{:04X}", z as u32);
        assert_eq!(f(&format!("ج{z}هاد")), "جهاد", "U+{:04X}", z as u32);
        // Alone it produces nothing.
        assert_eq!(f(&z.to_string()), "", "U+{:04X}", z as u32);
    }
    // Spans cover from the first to the last kept char, the invisible inside.
    assert_covers("\u{200B}is\u{200D}is\u{200B}", "isis", "is\u{200D}is");
    assert_covers(
        "\u{FEFF}джи\u{00AD}хад\u{200B}!",
        "джихад",
        "джи\u{00AD}хад",
    );
    assert_covers("\u{202E}جه\u{200C}اد\u{202C}", "جهاد", "جه\u{200C}اد");
}

#[test]
fn diacritics_are_stripped() {
    same("ïšíš", "isis");
    same("jihâd", "jihad");
    same("i\u{0301}s\u{0308}i\u{0327}s", "isis");
    // Russian: ё → е, й → и (the breve is a mark).
    same("ёлка", "елка");
    same("й", "и");
    // Arabic tashkeel and superscript alef.
    same("جِهَاد", "جهاد");
    same("جِهَادٌ", "جهاد");
    same("هٰذا", "هذا");
    same("ٱللَّٰه", "الله");
    // A mark belongs to the char before it: spans include trailing marks.
    assert_covers(
        "x i\u{0301}si\u{0301}s\u{0301} y",
        "isis",
        "i\u{0301}si\u{0301}s\u{0301}",
    );
    assert_covers("الجِهَادُ", "الجهاد", "الجِهَادُ");
    assert_covers("ёлка", "елка", "ёлка");
}

// -------------------------------------------------------- 3. Arabic

#[test]
fn arabic_letter_folding() {
    same("أ", "ا");
    same("إ", "ا");
    same("آ", "ا");
    same("ٱ", "ا");
    same("ؤ", "و");
    same("ئ", "ي");
    same("ة", "ه");
    same("ى", "ي");
    same("ک", "ك");
    same("ی", "ي");
    same("ە", "ه");
    same("ہ", "ه");
    assert_eq!(f("ء"), "ء");
    // Tatweel.
    same("جـــهـــاد", "جهاد");
    same("الدولة الإسلامية", "الدوله الاسلاميه");
    same("دولت اسلامی", "دولت اسلامي");
    assert_covers(
        "انصروا الدولـة الإسلامية",
        "الدولة الإسلامية",
        "الدولـة الإسلامية",
    );
}

// ---------------------------------------------------------- 4. digits

#[test]
fn digits_fold_to_ascii() {
    assert_eq!(f("٢٠٢٤"), "2024");
    assert_eq!(f("۲۰۲۴"), "2024");
    assert_eq!(f("２０２４"), "2024");
    assert_eq!(f("عام ٢٠٢٤"), f("عام 2024"));
    assert_eq!(f("в ۲۰۲۴ году"), f("в 2024 году"));
    assert_covers("📅 ٢٠٢٤", "2024", "٢٠٢٤");
    assert_covers("это ۲۰۲۴ год", "2024", "۲۰۲۴");
    assert_covers("year ２０２４!", "2024", "２０２４");
}

// ------------------------------------------------------- 5. look-alikes

#[test]
fn cyrillic_and_greek_look_alikes() {
    // English written with Cyrillic (and Greek) look-alikes, in caps.
    same("ІЅІЅ", "isis");
    same("НАМАЅ", "hamas");
    same("ΗΑΜΑΣ".replace('Σ', "S").as_str(), "hamas");
    same("ΚΑΤ", "kat");
    same("раураl", "paypal");
    // Russian word with Latin letters swapped in.
    same("джихaд", "джихад");
    same("ИГИЛ", "игиЛ");
    same("Xaлифaт", "халифат");
    same("TEPPOP", "террор");
    // Arabic: Persian look-alikes (see arabic_letter_folding) and spans.
    same("كتاب", "کتاب");
    assert_covers("see НАМАЅ now", "hamas", "НАМАЅ");
    assert_covers("это джихaд!", "джихад", "джихaд");
    assert_covers("هذا کتاب", "كتاب", "کتاب");
}

// -------------------------------------------------------- 6. leetspeak

#[test]
fn leetspeak_in_words() {
    // English.
    same("1s1s", "isis");
    same("h4m4s", "hamas");
    same("j!h@d", "jihad");
    same("h3ll0", "hello");
    same("j1had!", "jihad!");
    assert_covers("go j1h4d!", "jihad", "j1h4d");
    // Russian: Cyrillic table (3→з, 4→ч, 6→б, 0→о).
    same("в3рыв", "взрыв");
    same("у6ийца", "убийца");
    same("ча4ы", "чачы");
    same("б0мба", "бомба");
    assert_covers("это в3рыв", "взрыв", "в3рыв");
    // Arabic: 1 → alef, 5 → heh inside Arabic words.
    same("جه1د", "جهاد");
    same("جه١د", "جهاد");
    assert_covers("نداء جه١د", "جهاد", "جه١د");
}

#[test]
fn leetspeak_leaves_numbers_and_ordinary_text() {
    for keep in [
        "2024",
        "$200",
        "1,500",
        "isis2024",
        "covid19",
        "win10",
        "4chan",
        "@user",
        "$tsla",
        "mp3",
        "100500",
        "123abc456def789ghi012jkl345mno",
    ] {
        assert_eq!(
            f(keep),
            keep.to_lowercase(),
            "{keep:?} must keep its digits"
        );
    }
    assert_eq!(f("рубль2024"), format!("{}2024", f("рубль")));
    assert_eq!(f("عام2024"), "عام2024");
    assert_eq!(f("عام٢٠٢٤"), "عام2024");
    assert_eq!(f("jihad!!!"), "jihad!!!");
    assert_eq!(f("wow! 2024!"), "wow! 2024!");
    assert!(f("в 2024 году").contains("2024"));
}

// ---------------------------------------------------- 7. run collapse

#[test]
fn runs_of_the_same_letter_collapse() {
    same("jiiihaaad", "jihad");
    same("JIIIHAAAD", "jihad");
    same("джиииихад", "джихад");
    same("جهاااااد", "جهاد");
    // Also in patterns: "allah" folds to "alah" on both sides.
    assert_eq!(fold_pattern("allah"), "alah");
    assert_eq!(f("alllllah"), "alah");
    assert_eq!(fold_pattern("الله"), f("ﷲ"));
    // Digits do not collapse.
    assert_eq!(f("1000"), "1000");
    assert_covers("so jiiiihaaaad", "jihad", "jiiiihaaaad");
    assert_covers("ну джиииихад", "джихад", "джиииихад");
    assert_covers("جهاااااد", "جهاد", "جهاااااد");
}

// ---------------------------------------------- 8. spaced-out letters

#[test]
fn spaced_out_letters_are_rejoined() {
    for t in [
        "I S I S",
        "I.S.I.S",
        "I-S-I-S",
        "i_s_i_s",
        "i·s·i·s",
        "i*s*i*s",
        "I  S  I  S",
        "I\u{A0}S\u{A0}I\u{A0}S",
        "I•S•I•S",
    ] {
        assert_eq!(f(t), "isis", "{t:?}");
    }
    for t in ["и.г.и.л", "и-г-и-л", "и г и л", "И Г И Л"] {
        assert_eq!(f(t), f("игил"), "{t:?}");
    }
    assert_eq!(f("д ж и х а д"), f("джихад"));
    assert_eq!(f("ج ه ا د"), "جهاد");
    assert_eq!(f("ج.ه.ا.د"), "جهاد");
    // With leet and repeats inside.
    assert_eq!(f("1 s 1 s"), "isis");
    assert_eq!(f("j i i i h a d"), "jihad");
    // Word breaks: three or more spaces.
    assert_eq!(f("h o l y   w a r"), "holy war");
    // Spans: the run's ends.
    assert_eq!(f("I . S . I . S"), "i . s . i . s");
    assert_covers("we are I.S.I.S.", "isis", "I.S.I.S");
    assert_covers("это и-г-и-л.", "игил", "и-г-и-л");
    assert_covers("قال ج ه ا د", "جهاد", "ج ه ا د");
}

#[test]
fn ordinary_text_keeps_its_spaces() {
    assert_eq!(f("a b and I"), "a b and i");
    assert_eq!(f("и т.д."), f("и т.д."));
    assert!(f("и т.д.").contains(' '));
    assert_eq!(f("e.g. this"), "e.g. this");
    assert_eq!(f("я и ты"), f("я и ты"));
    assert!(f("я и ты").matches(' ').count() == 2);
    assert_eq!(f("و هو"), "و هو");
    assert_eq!(f("1 2 3 4"), "1 2 3 4");
    assert_eq!(f("x - y"), "x - y");
}

#[test]
fn spaced_out_letters_never_join_across_lines_or_blocks() {
    assert_eq!(f("I S\nI S"), "i s\ni s");
    assert_eq!(f("I S\u{2028}I S"), "i s\ni s");
    // "I S" | block | "I S": two blocks of two letters each.
    let t = "I SI S";
    assert_eq!(fold(t, &[3]).as_str(), "i s\ni s");
    assert_eq!(fold("и г\nи л", &[]).as_str(), f("и г\nи л"));
    assert!(fold("ج هـ ا د", &[4]).as_str().contains('\n'));
}

// ------------------------------------------------------- 9. whitespace

#[test]
fn whitespace_runs_fold_to_one_space() {
    assert_eq!(f("holy \t\u{A0}\u{2003} war"), "holy war");
    assert_eq!(f("священная  \u{3000} война"), f("священная война"));
    assert_eq!(f("حرب \u{A0} مقدسة"), "حرب مقدسه");
    assert_eq!(f("a \n\n b"), "a\nb");
    assert_eq!(f("a\r\nb"), "a\nb");
    assert_eq!(f("a\u{2029}b"), "a\nb");
    // Punctuation stays.
    assert_eq!(f("¡hola! ¿qué?"), "¡hola! ¿que?");
    // Phrases match across irregular spacing; the span covers the spaces.
    assert_covers("join the  \u{A0}holy\t war now", "holy war", "holy\t war");
    assert_covers(
        "за  священную   войну",
        "священную войну",
        "священную   войну",
    );
    assert_covers("🙂 حرب \u{A0} مقدسة!", "حرب مقدسة", "حرب \u{A0} مقدسة");
}

// ---------------------------------------------------- block starts, spans

#[test]
fn block_starts_emit_newlines_with_empty_spans() {
    let t = "first postsecond post";
    let folded = fold(t, &[10]);
    assert_eq!(folded.as_str(), "first post\nsecond post");
    assert_eq!(folded.span(10, 11), (10, 10));
    // Nothing crosses a block start: collapse, leet, spacing.
    assert_eq!(fold("jiiiihad", &[3]).as_str(), "ji\nihad");
    assert_eq!(fold("h3ll0", &[2]).as_str(), "h3\nl0");
    assert_eq!(
        fold("джиииихад", &[4]).as_str(),
        format!("{}\n{}", f("джии"), f("иихад"))
    );
    assert_eq!(fold("ججج", &[1]).as_str(), "ج\nج");
    // Unsorted, duplicate, zero and out-of-range starts are tolerated.
    let folded = fold("ab cd ef", &[6, 3, 3, 0, 99]);
    assert_eq!(folded.as_str(), "ab \ncd \nef");
    let folded = fold("ab", &[2]);
    assert_eq!(folded.as_str(), "ab\n");
    assert_eq!(folded.span(2, 3), (2, 2));
}

#[test]
fn spans_count_utf16_units_with_astral_chars() {
    let t = "😀😀 isis 𝐢𝐬𝐢𝐬";
    let folded = fold(t, &[]);
    assert_eq!(folded.as_str(), "😀😀 isis isis");
    let at = folded.as_str().find("isis").unwrap();
    assert_eq!(folded.span(at, at + 4), (5, 9));
    let at2 = folded.as_str().rfind("isis").unwrap();
    assert_eq!(folded.span(at2, at2 + 4), (10, 18));
    assert_covers("🙂🙂 دعم الجهاد", "الجهاد", "الجهاد");
    assert_covers("👍🏽 ДЖИХАД 👍🏽", "джихад", "ДЖИХАД");
    // A skin tone modifier belongs to its emoji.
    let folded = fold("👍🏽", &[]);
    assert_eq!(folded.as_str(), "👍");
    assert_eq!(folded.span(0, 4), (0, 4));
}

#[test]
fn span_never_panics() {
    let folded = fold("abc", &[]);
    assert_eq!(folded.span(0, 3), (0, 3));
    assert_eq!(folded.span(5, 9), (2, 3));
    assert_eq!(folded.span(2, 1), (2, 3));
    let empty = fold("", &[]);
    assert_eq!(empty.span(0, 1), (0, 0));
    assert!(empty.is_empty());
    assert_eq!(empty.len(), 0);
}

#[test]
fn fold_into_reuses_buffers() {
    let mut out = Folded::new();
    fold_into(&mut out, "I S I S", &[]);
    assert_eq!(out.as_str(), "isis");
    fold_into(&mut out, "джиииихад", &[2]);
    assert_eq!(out.as_str(), format!("{}\n{}", f("дж"), f("иииихад")));
    fold_into(&mut out, "", &[]);
    assert_eq!(out.as_str(), "");
}

#[test]
fn word_chars() {
    for c in ['a', 'z', '0', '9', 'д', 'ж', 'ج', 'ه', 'ß', '中', 'ω'] {
        assert!(is_word_char(c), "{c:?}");
    }
    for c in [' ', '\n', '_', '-', '.', '@', '$', '!', '|', '🙂', '،'] {
        assert!(!is_word_char(c), "{c:?}");
    }
    // Folded text holds only chars of the right kind.
    assert!(f("д-ж").chars().filter(|&c| is_word_char(c)).count() == 2);
}

// ------------------------------------------------------ patterns

#[test]
fn fold_pattern_is_idempotent_on_examples() {
    for p in [
        "ISIS",
        "I S I S",
        "jiiihaaad",
        "h3ll0 w0rld",
        "Джихад",
        "и т.д.",
        "ج ه ا د",
        "ﷲ",
        "الدولة الإسلامية",
        "1 s 1 s",
        "h o l y   w a r",
        "a   b   c",
        "a a a   x   y",
        "c4e1",
        "с0т1с",
        "ß",
        "İ",
        "x  y  z",
        "isis2024",
        "l33t sp34k",
        "ي.٠.وو.",
        "a a a.b.c",
        "x y z   w.v.u",
        "aa b c",
        "a@a b c",
        "ᾳ ᾼ",
        "aa bb cc",
        "0А-oo a a",
        "ج ج1a@aи",
    ] {
        let once = fold_pattern(p);
        assert_eq!(fold_pattern(&once), once, "pattern {p:?}");
    }
}

#[test]
fn large_inputs() {
    // A 1 MB run of zero-width chars folds to nothing.
    let zw = "\u{200B}".repeat(1 << 20);
    let folded = fold(&zw, &[]);
    assert!(folded.is_empty());
    let zw_word = format!("is{zw}is");
    assert_eq!(fold(&zw_word, &[]).as_str(), "isis");
    // A 10 MB single line.
    let unit = "jihad 1s1s I S I S джихад جهاد 2024 ";
    let line: String = unit.repeat((10 << 20) / unit.len() + 1);
    assert!(line.len() >= 10 << 20);
    let folded = fold(&line, &[]);
    assert!(folded.as_str().starts_with("jihad isis isis"));
    assert!(!folded.as_str().contains('\n'));
    // A 10 MB single spaced-out run.
    let spaced = "a b ".repeat((10 << 20) / 4);
    let folded = fold(&spaced, &[]);
    let joined = folded.as_str().trim_end();
    assert!(
        joined.len() == (10 << 20) / 2 && !joined.contains(' '),
        "len {}",
        joined.len()
    );
}

// ---------------------------------------------------- property tests

/// Keywords in three scripts.
#[rustfmt::skip]
const KEYWORDS: &[&str] = &[
    "isis", "jihad", "caliphate", "hamas", "shahid", "джихад", "игил", "халифат", "шахид",
    "взрыв", "جهاد", "داعش", "الخلافة", "شهيد", "مجاهدين",
];

#[rustfmt::skip]
const CONTEXT: &[&str] = &[
    "hello", "world", "news", "today", "our", "people", "привет", "мир", "новости", "сегодня",
    "مرحبا", "العالم", "اليوم", "أخبار", "2024", "100", "1,500", "$200", "🙂", "👍🏽", "😀", "#tag",
    "(ok)", "...", "—", "don't", "www.example.com",
];

/// Pieces for token soups.
#[rustfmt::skip]
const PIECES: &[&str] = &[
    "a", "b", "i", "s", "A", "S", "и", "г", "л", "а", "о", "ج", "ه", "ا", "aa", "ii", "аа", "جج",
    "ab", "isis", "джи", "جهاد", "a@a", "l33t", "1", "0", "3", "4", "٠", "@", "$", "!", "|", " ",
    " ", " ", "  ", "   ", "\u{A0}", ".", "-", "_", "*", "·", "..", " . ", "\n", ",", "🙂",
    "\u{200B}", "\u{0301}", "ـ", "2024", "I", "ı", "ß",
];

/// Evasive forms of one keyword letter.
fn homoglyph(c: char) -> Option<char> {
    Some(match c {
        'a' => 'а',
        'e' => 'е',
        'o' => 'о',
        'p' => 'р',
        'c' => 'с',
        'y' => 'у',
        'x' => 'х',
        'i' => 'і',
        's' => 'ѕ',
        'h' => 'һ',
        'j' => 'ј',
        'k' => 'к',
        'd' => 'ԁ',
        't' => 'τ',
        'а' => 'a',
        'е' => 'e',
        'о' => 'o',
        'р' => 'p',
        'с' => 'c',
        'у' => 'y',
        'х' => 'x',
        'ک' => 'ك',
        'ي' => 'ی',
        'ه' => 'ە',
        _ => return None,
    })
}

fn leet(c: char, cyrillic: bool) -> Option<char> {
    if cyrillic {
        return Some(match c {
            'о' => '0',
            'з' => '3',
            'ч' => '4',
            'б' => '6',
            'т' => '7',
            'в' => '8',
            'а' => '@',
            _ => return None,
        });
    }
    Some(match c {
        'o' => '0',
        'i' => '1',
        'e' => '3',
        'a' => '4',
        's' => '5',
        't' => '7',
        'b' => '8',
        'g' => '9',
        _ => return None,
    })
}

fn mark_for(c: char) -> char {
    if ('\u{600}'..='\u{6FF}').contains(&c) {
        '\u{064E}' // fatha
    } else {
        '\u{0301}' // combining acute
    }
}

#[derive(Debug, Clone)]
struct Evasion {
    zero_width: Vec<usize>,
    homoglyphs: Vec<usize>,
    leet: Vec<usize>,
    upper: Vec<usize>,
    repeats: Vec<(usize, usize)>,
    marks: Vec<usize>,
    spacing: Option<usize>,
}

fn evasion() -> impl Strategy<Value = Evasion> {
    let idx = || prop::collection::vec(0usize..16, 0..4);
    (
        idx(),
        idx(),
        idx(),
        idx(),
        prop::collection::vec((0usize..16, 1usize..4), 0..3),
        idx(),
        prop::option::of(0usize..8),
    )
        .prop_map(
            |(zero_width, homoglyphs, leet, upper, repeats, marks, spacing)| Evasion {
                zero_width,
                homoglyphs,
                leet,
                upper,
                repeats,
                marks,
                spacing,
            },
        )
}

/// Applies the evasion to `kw`, following the documented leet rule: leet
/// only in words of 4+ letters, at most 2 substitutions, at least one of them
/// between two letters.
fn apply(kw: &str, ev: &Evasion) -> String {
    let chars: Vec<char> = kw.chars().collect();
    let n = chars.len();
    let cyrillic = chars.iter().any(|c| ('\u{400}'..='\u{4FF}').contains(c));
    let arabic = chars.iter().any(|c| ('\u{600}'..='\u{6FF}').contains(c));
    let mut out: Vec<String> = chars.iter().map(|c| c.to_string()).collect();
    // Leet: only internal positions (so the rule "a run between two letters"
    // holds), never two adjacent ones, at most two.
    let mut leeted = vec![false; n];
    if !arabic && n >= 4 {
        let mut count = 0;
        for &k in &ev.leet {
            let k = 1 + k % (n - 2);
            if count < 2
                && !leeted[k]
                && !leeted[k - 1]
                && !leeted.get(k + 1).copied().unwrap_or(false)
            {
                if let Some(l) = leet(chars[k], cyrillic) {
                    out[k] = l.to_string();
                    leeted[k] = true;
                    count += 1;
                }
            }
        }
    }
    for &k in &ev.homoglyphs {
        let k = k % n;
        if !leeted[k] {
            if let Some(h) = homoglyph(chars[k]) {
                out[k] = h.to_string();
            }
        }
    }
    for &k in &ev.upper {
        let k = k % n;
        if !leeted[k] {
            out[k] = out[k].to_uppercase();
        }
    }
    for &(k, times) in &ev.repeats {
        let k = k % n;
        if !leeted[k] {
            let c = out[k].clone();
            out[k] = c.repeat(times + 1);
        }
    }
    for &k in &ev.marks {
        let k = k % n;
        if !leeted[k] {
            out[k].push(mark_for(chars[k]));
        }
    }
    for &k in &ev.zero_width {
        let k = k % n;
        out[k].push(['\u{200B}', '\u{200D}', '\u{00AD}', '\u{2060}'][k % 4]);
    }
    // Zero-width chars right after the last letter are outside the span (they
    // are removed); keep them inside the word for the check below.
    if let Some(last) = out.last_mut() {
        while last.ends_with(['\u{200B}', '\u{200D}', '\u{00AD}', '\u{2060}']) {
            last.pop();
        }
    }
    match ev.spacing {
        // Spacing out joins letters with one separator kind.
        Some(s)
            if !out.iter().any(|p| {
                p.chars().count() > 1 && p.chars().filter(|c| c.is_alphanumeric()).count() > 1
            }) =>
        {
            let sep = [" ", ".", "-", "_", "\u{A0}", "  ", "·", "*"][s % 8];
            out.join(sep)
        }
        _ => out.concat(),
    }
}

/// Property test cases: `default`, or `FLAGLIGHT_PROPTEST_CASES` for deeper runs.
fn cases(default: u32) -> u32 {
    std::env::var("FLAGLIGHT_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(2000)))]

    /// An evaded keyword embedded in ordinary context is found, and its span
    /// lies within the evasive text, covering it from its first to its last
    /// kept char.
    #[test]
    fn evasions_are_found_with_exact_spans(
        kw_i in 0..KEYWORDS.len(),
        ev in evasion(),
        before in prop::collection::vec(0..CONTEXT.len(), 0..4),
        after in prop::collection::vec(0..CONTEXT.len(), 0..4),
        glue in prop::collection::vec(0usize..4, 2),
        blocks in prop::collection::vec(0usize..8, 0..3),
    ) {
        let kw = KEYWORDS[kw_i];
        let evasive = apply(kw, &ev);
        let seps = [" ", "  ", "\u{A0}", " 🙂 "];
        let mut text = String::new();
        let mut word_starts = Vec::new();
        for &w in &before {
            word_starts.push(text.encode_utf16().count() as u32);
            text.push_str(CONTEXT[w]);
            text.push(' ');
        }
        text.push_str(seps[glue[0]]);
        let ins_start = text.encode_utf16().count() as u32;
        text.push_str(&evasive);
        let ins_end = text.encode_utf16().count() as u32;
        text.push_str(seps[glue[1]]);
        for &w in &after {
            text.push(' ');
            word_starts.push(text.encode_utf16().count() as u32);
            text.push_str(CONTEXT[w]);
        }
        // Block starts at context word starts only (elsewhere than the keyword).
        let block_starts: Vec<u32> = blocks.iter().filter_map(|&b| word_starts.get(b).copied()).collect();
        let folded = fold(&text, &block_starts);
        check_invariants(&text, &block_starts, &folded);
        let pat = fold_pattern(kw);
        prop_assert!(!pat.is_empty());
        // The first and last kept chars of the evasive text.
        let units: Vec<u16> = evasive.encode_utf16().collect();
        let _ = units;
        let mut found = false;
        let out = folded.as_str();
        for (at, _) in out.match_indices(&pat) {
            let (s, e) = folded.span(at, at + pat.len());
            if s >= ins_start && e <= ins_end {
                let covered = utf16_slice(&text, s, e);
                // Covers from the first kept char to the last one: what is
                // left outside is removed chars only.
                let left = utf16_slice(&text, ins_start, s);
                let right = utf16_slice(&text, e, ins_end);
                prop_assert!(fold_pattern(&left).is_empty(), "left {left:?} of {covered:?}");
                prop_assert!(fold_pattern(&right).is_empty(), "right {right:?} of {covered:?}");
                found = true;
            }
        }
        prop_assert!(found, "{kw:?} as {evasive:?}: folded {pat:?} not in {out:?} within {ins_start}..{ins_end}");
    }

    /// Folding a folded pattern changes nothing.
    #[test]
    fn fold_pattern_is_idempotent(s in "[a-zA-Z0-9 .!@$|_*\\-]{0,24}|[а-яА-Яa-z0-9 .\\-]{0,24}|[ابتثجحخدذرسشصضطظعغفقكلمنهوية ٠-٩ .]{0,24}|\\PC{0,24}") {
        let once = fold_pattern(&s);
        prop_assert_eq!(fold_pattern(&once), once);
    }

    /// Strings made of the pieces the contextual rules react to (single
    /// letters, doubled letters, digits, leet symbols, separators, spaces of
    /// every width, newlines): folding twice changes nothing.
    #[test]
    fn fold_pattern_is_idempotent_on_token_soup(pieces in prop::collection::vec(0..PIECES.len(), 0..24)) {
        let s: String = pieces.iter().map(|&i| PIECES[i]).collect();
        let once = fold_pattern(&s);
        prop_assert_eq!(fold_pattern(&once), once, "input {:?}", s);
    }

    /// Any string and any block starts: no panic, and the map is sane.
    #[test]
    fn never_panics(
        s in "\\PC{0,64}|.{0,64}|[a-zA-Z0-9 \n\t.!@$|_*\u{A0}\u{200B}\u{200D}\u{0301}\u{064E}\u{0640}\u{FE0F}абвгдеёжзийклмнопрстуфхцчшщъыьэюяІЅجهادةىأﷲ٠-٩😀-]{0,48}",
        starts in prop::collection::vec(prop_oneof![0u32..80, any::<u32>()], 0..6),
    ) {
        let folded = fold(&s, &starts);
        check_invariants(&s, &starts, &folded);
        let n = folded.len();
        for a in 0..=n + 1 {
            let _ = folded.span(a, a + 1);
        }
    }
}

mod bench {
    use super::*;

    /// Deterministic xorshift generator (no dependency, no std::time).
    pub struct Rng(pub u64);
    impl Rng {
        pub fn next(&mut self) -> u64 {
            let mut x = self.0;
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            self.0 = x;
            x
        }
        pub fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
            xs[(self.next() % xs.len() as u64) as usize]
        }
    }

    const EN: &[&str] = &[
        "the",
        "people",
        "government",
        "donate",
        "support",
        "our",
        "brothers",
        "today",
        "please",
        "share",
        "this",
        "post",
        "with",
        "everyone",
        "who",
        "believes",
        "in",
        "freedom",
        "news",
        "video",
        "report",
        "about",
        "the",
        "war",
        "and",
        "peace",
        "2024",
        "link",
        "below",
        "help",
    ];
    const RU: &[&str] = &[
        "люди",
        "правительство",
        "пожертвуйте",
        "поддержите",
        "наших",
        "братьев",
        "сегодня",
        "пожалуйста",
        "поделитесь",
        "этим",
        "постом",
        "со",
        "всеми",
        "кто",
        "верит",
        "в",
        "свободу",
        "новости",
        "видео",
        "отчёт",
        "о",
        "войне",
        "и",
        "мире",
        "ссылка",
        "ниже",
    ];
    const AR: &[&str] = &[
        "الناس",
        "الحكومة",
        "تبرعوا",
        "ادعموا",
        "إخواننا",
        "اليوم",
        "من",
        "فضلك",
        "شاركوا",
        "هذا",
        "المنشور",
        "مع",
        "الجميع",
        "الذين",
        "يؤمنون",
        "بالحرية",
        "أخبار",
        "فيديو",
        "تقرير",
        "عن",
        "الحرب",
        "والسلام",
        "الرابط",
        "أدناه",
        "مساعدة",
        "٢٠٢٤",
    ];
    const PUNCT: &[&str] = &[" ", " ", " ", " ", " ", ", ", ". ", "\n", "! ", " 🙂 "];

    pub fn corpus(size: usize, mix: [u32; 3], seed: u64) -> String {
        let mut r = Rng(seed);
        let mut s = String::with_capacity(size + 64);
        let total: u32 = mix.iter().sum();
        while s.len() < size {
            let k = (r.next() % total as u64) as u32;
            let w = if k < mix[0] {
                r.pick(EN)
            } else if k < mix[0] + mix[1] {
                r.pick(RU)
            } else {
                r.pick(AR)
            };
            s.push_str(w);
            s.push_str(r.pick(PUNCT));
        }
        s
    }

    pub fn measure(name: &str, text: &str) {
        let mut f = Folded::new();
        fold_into(&mut f, text, &[]);
        // Best of several rounds: the machine may be shared.
        let mut secs = f64::MAX;
        let rounds: usize = std::env::var("FLAGLIGHT_BENCH_ROUNDS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(12);
        for _ in 0..rounds {
            let t = std::time::Instant::now();
            fold_into(&mut f, text, &[]);
            secs = secs.min(t.elapsed().as_secs_f64());
        }
        let mbs = text.len() as f64 / secs / 1e6;
        println!(
            "{name:<28} {:>6.1} MB in {:>7.2} ms: {:>7.1} MB/s (folded {} bytes)",
            text.len() as f64 / 1e6,
            secs * 1e3,
            mbs,
            f.len()
        );
    }
}

/// Throughput figures; run with
/// `cargo test --release --test normalize -- --ignored --nocapture throughput`.
#[test]
#[ignore]
fn throughput() {
    // FLAGLIGHT_BENCH_MB sets the corpus size (default 10).
    let mb: usize = std::env::var("FLAGLIGHT_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    let size = mb << 20;
    // FLAGLIGHT_BENCH=en|ru|ar|mixed runs one corpus only (for profiling).
    let only = std::env::var("FLAGLIGHT_BENCH").unwrap_or_default();
    let cases: [(&str, &str, [u32; 3], u64); 4] = [
        ("en", "ascii (English)", [1, 0, 0], 1),
        ("ru", "Cyrillic (Russian)", [0, 1, 0], 2),
        ("ar", "Arabic", [0, 0, 1], 3),
        ("mixed", "mixed en/ru/ar 1:1:1", [1, 1, 1], 4),
    ];
    if only.is_empty() || only == "floor" {
        // Floors for comparison: the bytes any folding with a per-byte map must write.
        let text = bench::corpus(size, [1, 0, 0], 1);
        let mut best = (f64::MAX, f64::MAX);
        let mut map: Vec<[u32; 2]> = Vec::with_capacity(text.len());
        for _ in 0..12 {
            let t = std::time::Instant::now();
            let low = text.to_ascii_lowercase();
            best.0 = best.0.min(t.elapsed().as_secs_f64());
            let t = std::time::Instant::now();
            map.clear();
            map.extend((0..text.len() as u32).map(|x| [x, x + 1]));
            best.1 = best.1.min(t.elapsed().as_secs_f64());
            assert_eq!(low.len() + map.len(), 2 * text.len());
        }
        let mb = text.len() as f64 / 1e6;
        println!("floor: to_ascii_lowercase  {:>7.1} MB/s", mb / best.0);
        println!("floor: fill [u32;2] map    {:>7.1} MB/s", mb / best.1);
    }
    if only == "plain" {
        let text = bench::corpus(size, [1, 0, 0], 1)
            .replace(|c: char| !c.is_ascii_lowercase(), " ")
            .replace("  ", " ");
        bench::measure("plain words + spaces", &text);
    }
    for (key, name, mix, seed) in cases {
        if only.is_empty() || only == key {
            bench::measure(name, &bench::corpus(size, mix, seed));
        }
    }
}

#[test]
fn trailing_exclamation_is_punctuation_not_leet() {
    // "!" is leet for "i" inside a word, but at a word's end it is the
    // sentence's punctuation and must not glue onto a spaced-out run.
    assert_eq!(fold_pattern("I S I S!"), "isis!");
    assert_eq!(fold_pattern("c a l i p h a t e!!!"), "caliphate!!!");
    assert_eq!(fold_pattern("и г и л!"), "игил!");
    assert_eq!(fold_pattern("k!ll"), "kil");
    assert_eq!(fold_pattern("!s!s"), fold_pattern(&fold_pattern("!s!s")));
}
