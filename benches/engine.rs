//! Engine benchmark: prints figures (MB/s, ms, MB) and ratios against a naive
//! baseline measured in the same run. Not a pass/fail test: machines are noisy.
//!
//! `cargo bench --bench engine` (or `./build.sh bench`). It also writes the
//! corpus and the generated packs to `target/bench/` for the Wasm run
//! (`tools/bench-wasm.mjs`), so both measure the same input.

use flaglight::engine::Engine;
use flaglight::normalize;
use flaglight::pack::Pack;
use std::fmt::Write as _;
use std::time::{Duration, Instant};

const CORPUS_BYTES: usize = 10 * 1024 * 1024;

/// xorshift64*: deterministic, so every run measures the same corpus.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

const EN: &[&str] = &[
    "the",
    "city",
    "council",
    "approved",
    "a",
    "new",
    "budget",
    "for",
    "parks",
    "and",
    "schools",
    "yesterday",
    "people",
    "said",
    "weather",
    "will",
    "be",
    "sunny",
    "match",
    "team",
    "won",
    "recipe",
    "with",
    "fresh",
    "tomatoes",
    "price",
    "only",
    "today",
    "market",
    "open",
    "from",
    "photos",
    "of",
    "our",
    "trip",
    "to",
    "the",
    "mountains",
    "great",
    "news",
    "everyone",
    "thanks",
];
const RU: &[&str] = &[
    "вчера",
    "городской",
    "совет",
    "утвердил",
    "бюджет",
    "на",
    "парки",
    "и",
    "школы",
    "люди",
    "говорят",
    "погода",
    "будет",
    "солнечной",
    "матч",
    "команда",
    "выиграла",
    "рецепт",
    "со",
    "свежими",
    "помидорами",
    "цена",
    "только",
    "сегодня",
    "рынок",
    "открыт",
    "фото",
    "поездки",
    "горы",
    "новости",
    "всем",
    "спасибо",
    "друзья",
    "праздник",
    "вечером",
];
const AR: &[&str] = &[
    "أمس",
    "وافق",
    "مجلس",
    "المدينة",
    "على",
    "ميزانية",
    "جديدة",
    "للحدائق",
    "والمدارس",
    "قال",
    "الناس",
    "الطقس",
    "سيكون",
    "مشمسا",
    "المباراة",
    "فاز",
    "الفريق",
    "وصفة",
    "مع",
    "طماطم",
    "طازجة",
    "السعر",
    "اليوم",
    "فقط",
    "السوق",
    "مفتوح",
    "صور",
    "رحلتنا",
    "إلى",
    "الجبال",
    "شكرا",
];
const SPICE: &[&str] = &[
    "join the caliphate",
    "ISIS",
    "ИГИЛ",
    "джихадом",
    "داعش",
    "4012 8888 8888 1881",
    "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    "+7 912 345-67-89",
    "помогите братьям, переведите на карту 2200 1234 5678 9019",
    "donate anonymously: bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
    "ادعموا إخوانكم 4012888888881881",
    "order #20231107-5531, total 1 499 ₽",
    "2024-03-10 08:00",
];

fn corpus(rng: &mut Rng, extra: &[String]) -> (String, Vec<u32>) {
    let mut text = String::with_capacity(CORPUS_BYTES + 1024);
    let mut blocks = Vec::new();
    let mut u16 = 0u32;
    while text.len() < CORPUS_BYTES {
        blocks.push(u16);
        let start = text.len();
        let lang = match rng.below(10) {
            0..=4 => EN,
            5..=7 => RU,
            _ => AR,
        };
        let words = 20 + rng.below(60);
        for i in 0..words {
            if i > 0 {
                text.push(' ');
            }
            if rng.below(400) == 0 {
                text.push_str(rng.pick(SPICE));
            } else if !extra.is_empty() && rng.below(600) == 0 {
                text.push_str(&extra[rng.below(extra.len())]);
            } else {
                text.push_str(rng.pick(lang));
            }
        }
        text.push_str(".\n");
        u16 += text[start..].encode_utf16().count() as u32;
    }
    (text, blocks)
}

/// Pseudo-words from syllables, per script, 1-3 words per phrase.
fn keywords(rng: &mut Rng, n: usize) -> Vec<String> {
    const SYL: [&[&str]; 3] = [
        &[
            "ka", "zor", "mel", "tri", "vun", "dex", "pol", "sha", "rin", "qua", "bex", "lom",
        ],
        &[
            "ка", "зор", "мел", "три", "вун", "дек", "пол", "ша", "рин", "ква", "бек", "лом",
        ],
        &[
            "كا", "زور", "مل", "تري", "فون", "دك", "بول", "شا", "رين", "قوا", "بك", "لوم",
        ],
    ];
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    while out.len() < n {
        let syl = SYL[rng.below(3)];
        let words = 1 + rng.below(3);
        let mut k = String::new();
        for w in 0..words {
            if w > 0 {
                k.push(' ');
            }
            for _ in 0..2 + rng.below(3) {
                k.push_str(rng.pick(syl));
            }
        }
        if seen.insert(normalize::fold_pattern(&k)) {
            out.push(k);
        }
    }
    out
}

fn keyword_pack(id: &str, kws: &[String]) -> String {
    let patterns: Vec<serde_json::Value> = kws.iter().map(|k| serde_json::json!(k)).collect();
    serde_json::json!({
        "id": id, "name": id, "version": "1.0.0", "languages": ["en", "ru", "ar"], "license": "CC0-1.0",
        "rules": [{"id": "generated", "category": "bench", "severity": "medium", "kind": "keyword", "patterns": patterns}]
    })
    .to_string()
}

fn builtin() -> Vec<Pack> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/extension/packs");
    let index: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{dir}/index.json")).unwrap())
            .unwrap();
    index["packs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let name = f.as_str().unwrap();
            let src = std::fs::read_to_string(format!("{dir}/{name}")).unwrap();
            Pack::parse(&src, name).unwrap()
        })
        .collect()
}

/// Posts of about 150 chars (UTF-16 units, cut at a space) from the corpus,
/// as one text with block starts: what the model's per-post cost is quoted for.
fn posts_150(text: &str, n: usize) -> (String, Vec<u32>) {
    let mut out = String::new();
    let mut blocks = Vec::with_capacity(n);
    let mut u16 = 0u32;
    let mut rest = text;
    while blocks.len() < n && !rest.is_empty() {
        let mut units = 0;
        let mut end = rest.len();
        for (i, c) in rest.char_indices() {
            if units >= 150 && c == ' ' {
                end = i;
                break;
            }
            units += c.len_utf16();
        }
        let post = rest[..end].replace('\n', " ");
        let post = post.trim();
        rest = rest[end..].trim_start();
        blocks.push(u16);
        out.push_str(post);
        out.push('\n');
        u16 += post.encode_utf16().count() as u32 + 1;
    }
    (out, blocks)
}

/// Issue 11's figures for the post-level model (native): per-post scoring
/// of 150-char posts, the model pass on top of the packs, the file's size.
/// Writes the posts to `target/bench/` for the Wasm run.
fn model_figures(
    report: &mut String,
    base: &[Pack],
    text: &str,
    model_bytes: &[u8],
    out_dir: &str,
) {
    use flaglight::model::Model;
    let (posts, pblocks) = posts_150(text, 20_000);
    std::fs::write(format!("{out_dir}/posts150.txt"), &posts).unwrap();
    std::fs::write(
        format!("{out_dir}/posts150-blocks.json"),
        serde_json::to_string(&pblocks).unwrap(),
    )
    .unwrap();
    let n = pblocks.len() as f64;
    let model = Model::load(model_bytes).unwrap();
    let (dl, _) = best(5, || Model::load(model_bytes).unwrap());
    // The model alone on an engine with no packs: fold + features + score + findings.
    let mut alone = Engine::new(&[]).unwrap();
    alone.set_model(Some(model.clone()));
    let (da, _) = best(3, || alone.scan(&posts, &pblocks));
    // The same posts with the packs, with and without the model: what the model adds.
    let packs = Engine::new(base).unwrap();
    let mut both = Engine::new(base).unwrap();
    both.set_model(Some(model));
    let (dp, _) = best(3, || packs.scan(&posts, &pblocks));
    let (db, _) = best(3, || both.scan(&posts, &pblocks));
    let us = |d: Duration| d.as_secs_f64() * 1e6 / n;
    let gz = gzip_len(model_bytes);
    writeln!(
        report,
        "\npost-level model (native), {} posts of ~150 chars:\n  \
         model alone (fold + score)   {:>7.2} us/post   (target <= 20 in Wasm)\n  \
         packs + model vs packs       {:>7.2} us/post added ({:.2} -> {:.2} us/post)\n  \
         model file                   {} bytes, {} gzipped (target <= 1 MB), loaded in {:.1} ms",
        pblocks.len(),
        us(da),
        us(db.saturating_sub(dp)),
        us(dp),
        us(db),
        model_bytes.len(),
        gz,
        dl.as_secs_f64() * 1e3
    )
    .unwrap();
}

/// Gzipped size at level 9, through the system's `gzip` (no compression
/// crate in the project for a benchmark figure); 0 when gzip is missing.
fn gzip_len(bytes: &[u8]) -> usize {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    let Ok(mut child) = Command::new("gzip")
        .arg("-9c")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
    else {
        return 0;
    };
    let mut stdin = child.stdin.take().unwrap();
    let data = bytes.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&data));
    let out = child
        .wait_with_output()
        .map(|o| o.stdout.len())
        .unwrap_or(0);
    let _ = writer.join();
    out
}

/// This thread's CPU time (Linux: `/proc/thread-self/schedstat`, in ns), or
/// `None` where that is not readable. The machine the benchmark runs on is
/// shared: wall-clock time there measures the other users' load as much as
/// the engine, the thread's own CPU time far less.
fn thread_cpu() -> Option<Duration> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = s.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

/// Best of `runs` timings of `f`: this thread's CPU time where the system
/// reports it (see [`thread_cpu`]), wall-clock time otherwise.
fn best<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut out = None;
    for _ in 0..runs {
        let (c, t) = (thread_cpu(), Instant::now());
        let r = f();
        let d = match (c, thread_cpu()) {
            (Some(a), Some(b)) => b.saturating_sub(a),
            _ => t.elapsed(),
        };
        best = best.min(d);
        out = Some(r);
    }
    (best, out.unwrap())
}

fn mbps(bytes: usize, d: Duration) -> f64 {
    bytes as f64 / 1e6 / d.as_secs_f64()
}

/// One keyword rule per generated pattern, `n` rules in packs of at most
/// 50,000 (the per-pack limit). `numbered`: "word1".."wordN" (the keyword
/// automaton's worst case); otherwise name-like generated keywords.
fn rule_packs(n: usize, numbered: bool, kws: &[String]) -> Vec<Pack> {
    let pattern = |i: usize| {
        if numbered {
            format!("word{i}")
        } else {
            format!("{} {i}", kws[i % kws.len()])
        }
    };
    (0..n.div_ceil(50_000))
        .map(|p| {
            let rules: Vec<serde_json::Value> = (p * 50_000..n.min((p + 1) * 50_000))
                .map(|i| serde_json::json!({"id": format!("r{i}"), "category": "bench", "severity": "low", "kind": "keyword", "patterns": [pattern(i)]}))
                .collect();
            let src = serde_json::json!({"id": format!("rules-{p}"), "name": "generated", "version": "1", "rules": rules}).to_string();
            Pack::parse(&src, "generated").unwrap()
        })
        .collect()
}

/// The cases a hostile page or pack would pick: many identifiers in one
/// post, many rules. Time per MB must not depend on how identifiers are
/// grouped into posts, nor (much) on the number of rules.
fn hostile(report: &mut String, base: &[Pack], text: &str, blocks: &[u32]) {
    let donation: Vec<Pack> = base
        .iter()
        .filter(|p| p.id == "donation")
        .cloned()
        .collect();
    let engine = Engine::new(&donation).unwrap();
    writeln!(report, "\nhostile input (native)").unwrap();
    let unit = "donate 4012888888881881 ";
    for reps in [5_000usize, 20_000] {
        let post = unit.repeat(reps);
        let (d, found) = best(5, || engine.scan(&post, &[]));
        writeln!(
            report,
            "  one post of {reps:>6} x \"donate <card>\" ({:>3} KB)      {:>8.1} ms   {} findings",
            post.len() / 1024,
            d.as_secs_f64() * 1e3,
            found.len()
        )
        .unwrap();
    }
    // The same 50,000 cue + card pairs, grouped into posts of k pairs.
    let all = unit.repeat(50_000);
    write!(report, "  50,000 pairs in posts of k pairs, MB/s:").unwrap();
    for k in [1usize, 10, 100, 1_000, 10_000, 50_000] {
        let starts: Vec<u32> = (0..50_000 / k)
            .map(|i| (i * k * unit.len()) as u32)
            .collect();
        let (d, _) = best(3, || engine.scan(&all, &starts));
        write!(report, "  k={k}: {:.0}", mbps(all.len(), d)).unwrap();
    }
    writeln!(report).unwrap();
    let mut rng = Rng(0x5eed_0000_0000_0042);
    let kws = keywords(&mut rng, 5_000);
    for numbered in [true, false] {
        let label = if numbered {
            "numbered (word1..)"
        } else {
            "name-like"
        };
        write!(report, "  compile, {label} one-keyword rules:").unwrap();
        for n in [10_000usize, 40_000, 100_000] {
            let packs = rule_packs(n, numbered, &kws);
            let (dc, _) = best(2, || Engine::new(&packs).unwrap());
            write!(report, "  {}k: {:.0} ms", n / 1000, dc.as_secs_f64() * 1e3).unwrap();
        }
        writeln!(report).unwrap();
    }
    write!(report, "  scan MB/s, built-in packs + r name-like rules:").unwrap();
    for r in [1usize, 100, 1_000, 10_000, 100_000] {
        let mut packs = base.to_vec();
        packs.extend(rule_packs(r, false, &kws));
        let engine = Engine::new(&packs).unwrap();
        let (d, _) = best(3, || engine.scan(text, blocks));
        write!(report, "  r={r}: {:.0}", mbps(text.len(), d)).unwrap();
    }
    writeln!(report).unwrap();
}

fn main() {
    let mut rng = Rng(0x5eed_f1a9_11e7_0001);
    let kw20k = keywords(&mut rng, 20_000);
    let (text, blocks) = corpus(&mut rng, &kw20k[..1000]);
    let n = text.len();
    let out_dir = concat!(env!("CARGO_MANIFEST_DIR"), "/target/bench");
    std::fs::create_dir_all(out_dir).unwrap();
    std::fs::write(format!("{out_dir}/corpus.txt"), &text).unwrap();
    std::fs::write(
        format!("{out_dir}/blocks.json"),
        serde_json::to_string(&blocks).unwrap(),
    )
    .unwrap();

    println!(
        "corpus: {:.1} MB, {} blocks, en/ru/ar mix (50/30/20), keywords and identifiers sprinkled in",
        n as f64 / 1e6,
        blocks.len()
    );
    println!(
        "times: {} (best of 3-5 runs)",
        if thread_cpu().is_some() {
            "the benchmark thread's CPU time (the machine may be shared; wall-clock time would count the others' load)"
        } else {
            "wall-clock"
        }
    );
    let mut report = String::new();

    // Folding into a reused buffer, as the engine does on every scan.
    let mut folded = normalize::Folded::new();
    let (dfold, ()) = best(3, || normalize::fold_into(&mut folded, &text, &blocks));
    let d = dfold;
    writeln!(
        report,
        "{:<44} {:>9.1} MB/s   ({} folded bytes)",
        "folding (with offset map)",
        mbps(n, d),
        folded.as_str().len()
    )
    .unwrap();
    drop(folded);

    let base = builtin();
    let rules: usize = base.iter().map(|p| p.rules.len()).sum();
    let (dc, engine) = best(3, || Engine::new(&base).unwrap());
    let (d, found) = best(3, || engine.scan(&text, &blocks));
    writeln!(
        report,
        "{:<44} {:>9.1} MB/s   compile {:>7.1} ms, {} findings, automaton {:.1} MB",
        format!(
            "scan, built-in packs ({rules} rules, {} keywords)",
            engine.keyword_count()
        ),
        mbps(n, d),
        dc.as_secs_f64() * 1e3,
        found.len(),
        engine.memory_usage() as f64 / 1e6
    )
    .unwrap();

    // The post-level model, as the extension runs it by default: its own
    // pass over every block of the folded text.
    let model_bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/extension/models/extremism.flm"
    ))
    .unwrap();
    let mut with_model = Engine::new(&base).unwrap();
    with_model.set_model(Some(flaglight::model::Model::load(&model_bytes).unwrap()));
    let (dm, found_m) = best(3, || with_model.scan(&text, &blocks));
    writeln!(
        report,
        "{:<44} {:>9.1} MB/s   {} findings (model pass alone: {:.1} MB/s)",
        "scan, built-in packs + post-level model",
        mbps(n, dm),
        found_m.len(),
        mbps(n, dm.saturating_sub(d).max(Duration::from_micros(1)))
    )
    .unwrap();
    drop(with_model);
    model_figures(&mut report, &base, &text, &model_bytes, out_dir);

    // Payment identifiers: the candidate scanner alone, per block as the
    // engine calls it, and the donation pack alone (cues + identifiers + context).
    let idx = flaglight::engine::Utf16Index::new(&text);
    let ranges: Vec<(usize, usize)> = blocks
        .iter()
        .enumerate()
        .map(|(i, &b)| {
            let s = idx.byte(b);
            let e = blocks.get(i + 1).map_or(text.len(), |&n| idx.byte(n));
            (s, e)
        })
        .collect();
    let (d, ids) = best(3, || {
        ranges
            .iter()
            .map(|&(s, e)| flaglight::ids::scan(&text[s..e]).len())
            .sum::<usize>()
    });
    writeln!(
        report,
        "{:<44} {:>9.1} MB/s   ({ids} identifiers)",
        "identifier scanner alone (ids::scan per block)",
        mbps(n, d)
    )
    .unwrap();
    let donation: Vec<Pack> = base
        .iter()
        .filter(|p| p.id == "donation")
        .cloned()
        .collect();
    let engine = Engine::new(&donation).unwrap();
    let (d, found) = best(3, || engine.scan(&text, &blocks));
    let requests = found
        .iter()
        .filter(|f| matches!(f.kind, flaglight::engine::FindingKind::Context(_)))
        .count();
    writeln!(
        report,
        "{:<44} {:>9.1} MB/s   {} findings, {requests} donation requests",
        "scan, donation pack alone",
        mbps(n, d),
        found.len()
    )
    .unwrap();

    writeln!(
        report,
        "\n{:>8} {:>11} {:>10} {:>12} {:>14} {:>14} {:>12} {:>8}",
        "keywords",
        "compile ms",
        "automaton",
        "scan MB/s",
        "excl. fold",
        "naive MB/s",
        "naive match",
        "ratio"
    )
    .unwrap();
    writeln!(
        report,
        "{:>8} {:>11} {:>10} {:>12} {:>14} {:>14} {:>12} {:>8}",
        "", "", "MB", "(all of it)", "MB/s", "(lower+regex)", "only MB/s", ""
    )
    .unwrap();
    for &k in &[1_000usize, 5_000, 20_000] {
        let kws = &kw20k[..k];
        let src = keyword_pack(&format!("generated-{k}"), kws);
        std::fs::write(format!("{out_dir}/keywords-{k}.json"), &src).unwrap();
        let mut packs = base.clone();
        packs.push(Pack::parse(&src, "generated").unwrap());
        let (dc, engine) = best(3, || Engine::new(&packs).unwrap());
        let (ds, _found) = best(3, || engine.scan(&text, &blocks));
        // Everything but folding, from the two timings of this run.
        let rest = ds.saturating_sub(dfold).max(Duration::from_micros(1));

        // Naive baseline: one regex alternation of all keywords over lowercased text.
        let alt: Vec<String> = kws
            .iter()
            .map(|k| regex::escape(&k.to_lowercase()))
            .collect();
        let (_, re) = best(1, || {
            regex::RegexBuilder::new(&alt.join("|"))
                .size_limit(1 << 30)
                .dfa_size_limit(1 << 30)
                .build()
                .unwrap()
        });
        let (dn, _) = best(3, || {
            let lower = text.to_lowercase();
            re.find_iter(&lower).count()
        });
        let lower = text.to_lowercase();
        let (dm, _) = best(3, || re.find_iter(&lower).count());
        writeln!(
            report,
            "{:>8} {:>11.1} {:>10.1} {:>12.1} {:>14.1} {:>14.1} {:>12.1} {:>7.2}x",
            k,
            dc.as_secs_f64() * 1e3,
            engine.memory_usage() as f64 / 1e6,
            mbps(n, ds),
            mbps(n, rest),
            mbps(n, dn),
            mbps(n, dm),
            dn.as_secs_f64() / ds.as_secs_f64()
        )
        .unwrap();
    }
    // Compiling keywords alone (no built-in regexes): the automaton's own cost.
    for &k in &[1_000usize, 5_000, 20_000] {
        let src = keyword_pack(&format!("alone-{k}"), &kw20k[..k]);
        let pack = Pack::parse(&src, "alone").unwrap();
        let (dc, engine) = best(5, || Engine::new(std::slice::from_ref(&pack)).unwrap());
        writeln!(
            report,
            "compile, {k} keywords alone (no regex rules)         {:>7.1} ms, automaton {:.1} MB",
            dc.as_secs_f64() * 1e3,
            engine.memory_usage() as f64 / 1e6
        )
        .unwrap();
    }
    hostile(&mut report, &base, &text, &blocks);
    writeln!(
        report,
        "\nscan = fold + keyword automaton + boundaries + identifiers + context, per block; \
         excl. fold = the same minus the folding time measured above; \
         naive = text.to_lowercase() + one regex alternation (no folding, no word boundaries, no identifiers); \
         ratio = naive time / scan time"
    )
    .unwrap();
    println!("{report}");
    println!("corpus and packs written to target/bench/ (tools/bench-wasm.mjs scans them in the Wasm build)");
}
