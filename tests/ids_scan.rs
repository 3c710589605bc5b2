//! `ids::scan` on running text: the false-positive corpus, evasions, separators and
//! boundaries, and robustness (no panic, bounded time) on hostile input.

mod support;

use flaglight::ids::{self, Checksum, IdKind, IdMatch};
use proptest::prelude::*;
use support::assert_time_grows_at_most;

fn scan_kinds(text: &str) -> Vec<(IdKind, String)> {
    ids::scan(text)
        .into_iter()
        .map(|m| (m.kind, m.value))
        .collect()
}

fn find(text: &str, kind: IdKind) -> Vec<IdMatch> {
    ids::scan(text)
        .into_iter()
        .filter(|m| m.kind == kind)
        .collect()
}

/// Kinds that must never be found in the false-positive corpus.
const NEVER: [IdKind; 9] = [
    IdKind::Card,
    IdKind::Iban,
    IdKind::Btc,
    IdKind::Eth,
    IdKind::Trx,
    IdKind::Ltc,
    IdKind::Doge,
    IdKind::Zec,
    IdKind::Xmr,
];

#[test]
fn false_positive_corpus() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/false_positives.txt"
    );
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = 0;
    let mut bad = Vec::new();
    let mut others = std::collections::BTreeMap::<&str, usize>::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        lines += 1;
        for m in ids::scan(line) {
            if NEVER.contains(&m.kind) {
                bad.push(format!("{:?} {:?} in {line:?}", m.kind, m.value));
            } else {
                *others.entry(m.kind.as_str()).or_default() += 1;
                if std::env::var_os("FLAGLIGHT_SHOW_FP").is_some() {
                    eprintln!("  {:?} {:?} in {line:?}", m.kind, &line[m.start..m.end]);
                }
            }
        }
    }
    eprintln!("false-positive corpus: {lines} lines, other findings: {others:?}");
    assert!(lines >= 500, "corpus too small: {lines}");
    assert!(
        bad.is_empty(),
        "{} false positives:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

fn assert_card(text: &str, value: &str) {
    let cards = find(text, IdKind::Card);
    assert_eq!(cards.len(), 1, "{text:?}: {cards:?}");
    let m = &cards[0];
    assert_eq!(m.value, value, "{text:?}");
    assert_eq!(m.checksum, Checksum::Valid);
    // Offsets are bytes of the original text, on char boundaries.
    assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
}

#[test]
fn card_evasions() {
    let v = "4012888888881881";
    for text in [
        "Card 4012 8888 8888 1881 thanks",
        "Card 4012  8888 8888   1881 thanks",
        "Card 4012\u{a0}8888\u{a0}8888\u{a0}1881 thanks",
        "Card 4012\u{2009}8888\u{2009}8888\u{2009}1881 thanks",
        "Card 4012\u{202f}8888\u{202f}8888\u{202f}1881 thanks",
        "Card 4012-8888-8888-1881 thanks",
        "Card 4012.8888.8888.1881 thanks",
        "Card 40128888 88881881 thanks",
        "Card 401 288 888 888 1881 thanks",
        "Card 4012888 888881881 thanks",
        "Card 4012\u{200b}8888\u{200c}8888\u{200d}1881 thanks",
        "Card 4012 88\u{200b}88 8888 18\u{ad}81 thanks",
        "Card 40\u{2060}12888888881881 thanks",
        "Карта ٤٠١٢ ٨٨٨٨ ٨٨٨٨ ١٨٨١ спасибо",
        "بطاقة ۴۰۱۲۸۸۸۸۸۸۸۸۱۸۸۱ شكرا",
        "カード ４０１２ ８８８８ ８８８８ １８８１ です",
        "Card ４０１２８８８８８８８８１８８１",
        "Mixed 4012 ８８８８ ٨٨٨٨ 1881 end",
        "(4012 8888 8888 1881)",
        "карта:4012888888881881,",
    ] {
        assert_card(text, v);
    }
    // The reported span is the original text, separators and all.
    let text = "pay ٤٠١٢ ٨٨٨٨ ٨٨٨٨ ١٨٨١ now";
    let m = &find(text, IdKind::Card)[0];
    assert_eq!(&text[m.start..m.end], "٤٠١٢ ٨٨٨٨ ٨٨٨٨ ١٨٨١");
    let text = "x 4012\u{200b}8888 8888 1881\u{200b} y";
    let m = &find(text, IdKind::Card)[0];
    assert_eq!(&text[m.start..m.end], "4012\u{200b}8888 8888 1881");
}

#[test]
fn address_split_by_zero_width() {
    for (text, kind, value) in [
        (
            "BTC: 1FsSia9rv4NeE\u{200b}wvJ2GvXrX7LyxYspbN2mo спасибо",
            IdKind::Btc,
            "1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mo",
        ),
        (
            "bc1qvyq0cc6rahyvsazfd\u{200c}je0twl7ez82ndmuac2lhv",
            IdKind::Btc,
            "bc1qvyq0cc6rahyvsazfdje0twl7ez82ndmuac2lhv",
        ),
        (
            "ETH 0x5aAeb6053F3E94C9b9A0\u{2060}9f33669435E7Ef1BeAed",
            IdKind::Eth,
            "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        ),
        (
            "USDT TRC20: TNDzfERDpxLDS2w1\u{feff}q6yaFC7pzqaSQ3Bg3r",
            IdKind::Trx,
            "TNDzfERDpxLDS2w1q6yaFC7pzqaSQ3Bg3r",
        ),
        (
            "Ｔ\u{200b}ＮＤzfERDpxLDS2w1q6yaFC7pzqaSQ3Bg3r",
            IdKind::Trx,
            "TNDzfERDpxLDS2w1q6yaFC7pzqaSQ3Bg3r",
        ),
    ] {
        let ms = find(text, kind);
        assert_eq!(ms.len(), 1, "{text:?}: {:?}", ids::scan(text));
        assert_eq!(ms[0].value, value);
    }
}

#[test]
fn no_joining_across_tokens() {
    // Two prices, lists of numbers, a phone then an order number.
    for text in [
        "1500 2300",
        "Price 4012 8888, then 8888 1881",
        "4012 8888 8888 1881 2345 (a 20-digit account number)",
        "4081 7810 0999 9123 4567",
        "call 8 912 345 67 89 order 12345",
        "https://example.com/item/4012888888881881",
        "ID-4012888888881881",
        "4012888888881881-01",
        "4012888888881881/2",
        "order #4012888888881881",
        "№4012888888881881",
        "v4012888888881881",
        "4012888888881881x",
        "40128888888818810",
        "4012 8888 8888 1881руб",
        "5 000 10 000 15 000",
    ] {
        let cards = find(text, IdKind::Card);
        assert!(cards.is_empty(), "{text:?}: {cards:?}");
    }
    // "call 8 912 ... order 12345": the phone is found, the order number joins nothing.
    let ms = scan_kinds("call 8 912 345 67 89 order 12345");
    assert_eq!(ms, vec![(IdKind::Phone, "+79123456789".to_string())]);
    // A card then a phone in one run of digits: both, separately.
    let ms = scan_kinds("4012 8888 8888 1881 8 912 345 67 89");
    assert_eq!(
        ms,
        vec![
            (IdKind::Card, "4012888888881881".to_string()),
            (IdKind::Phone, "+79123456789".to_string())
        ]
    );
    // Two cards in one post.
    let ms = scan_kinds("Карты: 4012 8888 8888 1881, 5555 5555 5555 4444.");
    assert_eq!(ms.len(), 2, "{ms:?}");
    let ms = scan_kinds("Карты 4012 8888 8888 1881 5555 5555 5555 4444 спасибо");
    assert_eq!(
        ms,
        vec![
            (IdKind::Card, "4012888888881881".to_string()),
            (IdKind::Card, "5555555555554444".to_string())
        ]
    );
}

#[test]
fn phones_and_not_phones() {
    for (text, value) in [
        ("QIWI +7 (912) 345-67-89", "+79123456789"),
        ("киви 8 912 345 67 89", "+79123456789"),
        ("киви 89123456789.", "+79123456789"),
        ("тел.89123456789. 2 шт", "+79123456789"),
        ("QIWI: 79123456789", "+79123456789"),
        ("WhatsApp +966 50 123 4567", "+966501234567"),
        ("اتصل +٩٦٦ ٥٠ ١٢٣ ٤٥٦٧", "+966501234567"),
    ] {
        let ms = find(text, IdKind::Phone);
        assert_eq!(ms.len(), 1, "{text:?}: {ms:?}");
        assert_eq!(ms[0].value, value);
        assert_eq!(ms[0].checksum, Checksum::Unchecked);
    }
    for text in [
        "3/10/1984",
        "2012-01-02 08:00",
        "15.03.2024 18:30",
        "$1,299.00",
        "1 500 000 руб",
        "10-20 человек",
        "2019–2024",
        "+15%",
        "5+7=12",
        "+2024-03-15",
        "score 2:1",
    ] {
        assert!(
            find(text, IdKind::Phone).is_empty(),
            "{text:?}: {:?}",
            ids::scan(text)
        );
    }
}

#[test]
fn card_and_yoomoney_at_once() {
    // Luhn-valid (Visa prefix) and YooMoney-valid: reported as both kinds.
    let kinds: Vec<IdKind> = ids::scan("ЮMoney 4100192852693494")
        .into_iter()
        .map(|m| m.kind)
        .collect();
    assert_eq!(kinds, vec![IdKind::Card, IdKind::YooMoney]);
}

#[test]
fn iban_in_text() {
    let text = "Spenden an IBAN DE89 3704 0044 0532 0130 00 (Commerzbank), danke!";
    let ms = find(text, IdKind::Iban);
    assert_eq!(ms.len(), 1);
    assert_eq!(ms[0].value, "DE89370400440532013000");
    assert_eq!(&text[ms[0].start..ms[0].end], "DE89 3704 0044 0532 0130 00");
    let text = "iban: gb29-nwbk-6016-1331-9268-19.";
    assert_eq!(find(text, IdKind::Iban)[0].value, "GB29NWBK60161331926819");
    // Followed by more digit groups: a longer number, not this IBAN.
    assert!(find("BE68 5390 0754 7034 1234", IdKind::Iban).is_empty());
}

#[test]
fn links_and_handles_in_text() {
    let text = "Поддержите нас: https://www.patreon.com/someartist, ko-fi.com/coffee и t.me/helpfund_bot. Пишите @admin_team или на mail@example.com";
    let ms = ids::scan(text);
    let got: Vec<_> = ms
        .iter()
        .map(|m| (m.kind, m.value.as_str(), m.detail))
        .collect();
    assert_eq!(
        got,
        vec![
            (IdKind::PaymentLink, "patreon.com/someartist", "Patreon"),
            (IdKind::PaymentLink, "ko-fi.com/coffee", "Ko-fi"),
            (IdKind::Telegram, "t.me/helpfund_bot", "bot"),
            (IdKind::Telegram, "@admin_team", "channel or user"),
        ]
    );
    assert_eq!(
        &text[ms[0].start..ms[0].end],
        "https://www.patreon.com/someartist"
    );
}

#[test]
fn every_kind_in_one_post() {
    let text = "Help the brothers! Card 2200 1234 5678 9019, IBAN GB29 NWBK 6016 1331 9268 19, \
        BTC bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0, ETH 0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359, \
        USDT TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t, XMR 44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A, \
        ЮMoney 41001123494, WMZ Z123456789012, QIWI +7 912 345-67-89, paypal.me/helpfund, @helpfund_bot";
    let kinds: Vec<IdKind> = ids::scan(text).into_iter().map(|m| m.kind).collect();
    assert_eq!(
        kinds,
        vec![
            IdKind::Card,
            IdKind::Iban,
            IdKind::Btc,
            IdKind::Eth,
            IdKind::Trx,
            IdKind::Xmr,
            IdKind::YooMoney,
            IdKind::WebMoney,
            IdKind::Phone,
            IdKind::PaymentLink,
            IdKind::Telegram,
        ]
    );
}

#[test]
fn validate_and_names() {
    assert_eq!(
        ids::validate(IdKind::Card, "4012 8888 8888 1881"),
        Some((Checksum::Valid, "Visa"))
    );
    assert_eq!(ids::validate(IdKind::Card, "4012 8888 8888 1882"), None);
    assert_eq!(
        ids::validate_btc("1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mo"),
        Some("P2PKH")
    );
    for (i, k) in IdKind::ALL.into_iter().enumerate() {
        assert_eq!(IdKind::parse(k.as_str()), Some(k));
        assert_eq!(k.index(), i);
    }
}

fn scan_checked(text: &str) {
    for m in ids::scan(text) {
        assert!(m.start < m.end && m.end <= text.len());
    }
}

#[test]
fn hostile_inputs_cost_linear_time() {
    // Each unit repeated to ~256 KB and to 32x that, timed in this run: the
    // big one must take about 32x (up to 5x more once past the caches), not
    // the ~1,000x of a quadratic scan (see tests/support).
    let units = [
        "7",
        " ",
        "-",
        " - . ",
        "\u{200b}",
        "4012 ",
        "1 ",
        "8 (912) ",
        "+7",
        "@aaaaa",
        "t.me/",
        "paypal.me/",
        "DE89 ",
        "1",
        "1a",
        "٤",
        "٤\u{200b}",
        "bc1",
        "0x",
        "4\u{a0}",
    ];
    for unit in units {
        let n = (256 << 10) / unit.len();
        let (small, big) = (unit.repeat(n), unit.repeat(32 * n));
        assert_time_grows_at_most(
            &format!("identifiers in {unit:?} x {n}"),
            32.0,
            320.0,
            || scan_checked(&small),
            || scan_checked(&big),
        );
    }
}

/// Characters that reach the deeper paths of the scanner.
fn interesting() -> impl Strategy<Value = String> {
    let atoms = prop::sample::select(vec![
        "0",
        "1",
        "4",
        "8",
        "9",
        "7",
        " ",
        "\u{a0}",
        "\u{2009}",
        "-",
        "–",
        ".",
        "(",
        ")",
        "+",
        "@",
        "/",
        "#",
        "\u{200b}",
        "\u{ad}",
        "٤",
        "۸",
        "４",
        "Ａ",
        "ｂ",
        "a",
        "Z",
        "x",
        "bc1",
        "0x",
        "DE",
        "89",
        "t.me/",
        "paypal.me/",
        "ko-fi.com/",
        "4012",
        "8888",
        "1881",
        "руб",
        "ب",
        "\n",
        "_",
        "$",
        "№",
        ":",
        "41001",
    ]);
    prop::collection::vec(atoms, 0..80).prop_map(|v| v.concat())
}

fn check_matches(s: &str) {
    let ms = ids::scan(s);
    let mut last = 0;
    for m in &ms {
        assert!(m.start < m.end && m.end <= s.len());
        assert!(s.is_char_boundary(m.start) && s.is_char_boundary(m.end));
        assert!(m.start >= last || m.start <= last, "sorted");
        last = m.start;
        assert!(!m.value.is_empty());
    }
    assert!(ms.windows(2).all(|w| w[0].start <= w[1].start));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn never_panics_on_any_string(s in any::<String>()) {
        check_matches(&s);
    }

    #[test]
    fn never_panics_on_interesting_strings(s in interesting()) {
        check_matches(&s);
    }
}

#[test]
fn sentence_punctuation_after_a_number_is_not_a_url() {
    for text in [
        "Tickets 4012 8888 8888 1881? no",
        "Is it 4012 8888 8888 1881?",
        "card 4012888888881881! now",
        "4012 8888 8888 1881 & more",
    ] {
        let found = flaglight::ids::scan(text);
        assert!(
            found.iter().any(|m| m.kind == flaglight::ids::IdKind::Card),
            "{text}: {found:?}"
        );
    }
    for text in [
        "https://shop.example/item/4012888888881881?ref=x",
        "/id/4012888888881881&x=1",
    ] {
        assert!(
            flaglight::ids::scan(text)
                .iter()
                .all(|m| m.kind != flaglight::ids::IdKind::Card),
            "{text}"
        );
    }
}
