//! Throughput of `ids::scan` on a generated 10 MB corpus of ordinary mixed text
//! (en/ru/ar, with prices, dates, times, order numbers and a few identifiers).
//!
//! Run: `CARGO_PROFILE_RELEASE_PANIC=unwind cargo test --release --test ids_bench --
//! --ignored --nocapture --test-threads=1` (the release profile's `panic = "abort"`
//! does not mix with the test harness).

use flaglight::ids;
use std::time::Instant;

/// A small deterministic generator (xorshift), so the corpus is the same every run.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const WORDS_EN: &[&str] = &[
    "the",
    "people",
    "meeting",
    "tomorrow",
    "price",
    "order",
    "delivery",
    "city",
    "news",
    "update",
    "photo",
    "video",
    "school",
    "market",
    "weather",
    "football",
    "match",
    "team",
    "support",
    "community",
    "shared",
    "post",
    "comment",
    "friends",
    "family",
    "today",
];
const WORDS_RU: &[&str] = &[
    "сегодня",
    "новости",
    "город",
    "встреча",
    "цена",
    "доставка",
    "заказ",
    "погода",
    "футбол",
    "команда",
    "друзья",
    "семья",
    "фото",
    "видео",
    "школа",
    "рынок",
    "поддержка",
    "пост",
];
const WORDS_AR: &[&str] = &[
    "اليوم",
    "الأخبار",
    "المدينة",
    "اجتماع",
    "السعر",
    "التوصيل",
    "الطلب",
    "الطقس",
    "كرة",
    "الفريق",
    "الأصدقاء",
    "العائلة",
    "صورة",
    "فيديو",
    "المدرسة",
    "السوق",
    "الدعم",
];

fn number_token(r: &mut Rng) -> String {
    match r.below(10) {
        0 => format!(
            "{}.{:02}.20{:02}",
            1 + r.below(28),
            1 + r.below(12),
            r.below(30)
        ),
        1 => format!("{:02}:{:02}", r.below(24), r.below(60)),
        2 => format!("${}.{:02}", r.below(1000), r.below(100)),
        3 => format!("{} 000 руб.", 1 + r.below(900)),
        4 => format!("№{}", 10_000 + r.below(90_000_000)),
        5 => format!("{}", 1_600_000_000 + r.below(200_000_000)),
        6 => format!(
            "+7 9{:02} {:03}-{:02}-{:02}",
            r.below(100),
            r.below(1000),
            r.below(100),
            r.below(100)
        ),
        7 => format!("{}%", r.below(100)),
        8 => format!("v{}.{}.{}", r.below(10), r.below(30), r.below(100)),
        _ => format!("{}", r.below(100)),
    }
}

/// About `size` bytes of mixed text, lines of 5-30 tokens.
pub fn corpus(size: usize) -> String {
    let mut r = Rng(0x9E37_79B9_7F4A_7C15);
    let mut s = String::with_capacity(size + 256);
    while s.len() < size {
        let lang = r.below(3);
        let n = 5 + r.below(25);
        for k in 0..n {
            if k > 0 {
                s.push(' ');
            }
            let x = r.below(100);
            if x < 8 {
                s.push_str(&number_token(&mut r));
            } else if x == 8 && r.below(50) == 0 {
                s.push_str("4012 8888 8888 1881");
            } else {
                let list = match lang {
                    0 => WORDS_EN,
                    1 => WORDS_RU,
                    _ => WORDS_AR,
                };
                s.push_str(list[r.below(list.len() as u64) as usize]);
            }
        }
        s.push_str(if r.below(4) == 0 { "!\n" } else { ".\n" });
    }
    s
}

#[test]
#[ignore]
fn scan_throughput() {
    let text = corpus(10 << 20);
    // Scan per block (line), as the engine does, and as one string.
    let blocks: Vec<&str> = text.split('\n').collect();
    let mut best_blocks = f64::MAX;
    let mut best_whole = f64::MAX;
    let mut found = 0;
    for _ in 0..5 {
        let t = Instant::now();
        found = blocks.iter().map(|b| ids::scan(b).len()).sum::<usize>();
        best_blocks = best_blocks.min(t.elapsed().as_secs_f64());
        let t = Instant::now();
        let n = ids::scan(&text).len();
        best_whole = best_whole.min(t.elapsed().as_secs_f64());
        assert_eq!(n, found);
    }
    let mb = text.len() as f64 / 1e6;
    eprintln!(
        "ids::scan: {:.1} MB corpus, {} blocks, {} findings; per block {:.0} MB/s, whole {:.0} MB/s",
        mb,
        blocks.len(),
        found,
        mb / best_blocks,
        mb / best_whole
    );
}

fn best_of(s: &str) -> (f64, usize) {
    let mut best = f64::MAX;
    let mut n = 0;
    for _ in 0..5 {
        let t = Instant::now();
        n = ids::scan(s).len();
        best = best.min(t.elapsed().as_secs_f64());
    }
    (best, n)
}

#[test]
#[ignore]
fn scan_throughput_parts() {
    for (name, words) in [("en", WORDS_EN), ("ru", WORDS_RU), ("ar", WORDS_AR)] {
        let mut r = Rng(7);
        let mut s = String::new();
        while s.len() < 10 << 20 {
            s.push_str(words[r.below(words.len() as u64) as usize]);
            s.push(' ');
        }
        let (secs, n) = best_of(&s);
        eprintln!("{name}: {:.0} MB/s ({n})", s.len() as f64 / 1e6 / secs);
    }
    let mut r = Rng(7);
    let mut s = String::new();
    while s.len() < 10 << 20 {
        s.push_str(&number_token(&mut r));
        s.push(' ');
    }
    let (secs, n) = best_of(&s);
    eprintln!("numbers: {:.0} MB/s ({n})", s.len() as f64 / 1e6 / secs);
}
