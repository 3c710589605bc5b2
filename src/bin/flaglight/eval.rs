//! `flaglight eval`: precision, recall and F1 of the packs, the model and
//! both, per language, on a team's own labelled posts; with `--kind`, of one
//! finding kind (`donation_request`, `scam`, an identifier kind...) instead.

use super::{fail, read_file, read_utf8};
use flaglight::engine::{Engine, FindingKind};
use flaglight::model::Script;
use flaglight::pack::Severity;
use std::collections::BTreeMap;
use std::process::ExitCode;

/// Counts of one signal on one language.
#[derive(Default, Clone, Copy)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Counts {
    fn add(&mut self, predicted: bool, actual: bool) {
        match (predicted, actual) {
            (true, true) => self.tp += 1,
            (true, false) => self.fp += 1,
            (false, true) => self.fn_ += 1,
            (false, false) => {}
        }
    }

    /// Precision, recall, F1 (0 where undefined).
    fn prf(&self) -> (f64, f64, f64) {
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let p = ratio(self.tp, self.tp + self.fp);
        let r = ratio(self.tp, self.tp + self.fn_);
        let f = if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        };
        (p, r, f)
    }
}

/// Per language: posts, positives, and counts for packs, model, both.
#[derive(Default)]
struct Row {
    posts: usize,
    positives: usize,
    signals: [Counts; 3],
}

/// The label of a post: 1/0 or true/false; with a kind, also a string,
/// positive when it names the kind (`"donation_request"`, `"none"`).
fn label_of(v: &serde_json::Value, kind: Option<&str>) -> Option<bool> {
    match v {
        serde_json::Value::Bool(b) => Some(*b),
        serde_json::Value::Number(n) => n.as_u64().filter(|&x| x <= 1).map(|x| x == 1),
        serde_json::Value::String(s) => kind.map(|k| s == k),
        _ => None,
    }
}

/// What the engine said of one post: packs, model, either. With a kind,
/// the first is whether a finding of that kind was made (the others are
/// not printed).
fn predict(engine: &Engine, text: &str, kind: Option<&str>) -> [bool; 3] {
    let found = engine.scan(text, &[]);
    let packs = found.iter().any(|f| match kind {
        Some(k) => engine.kind_name(f.kind) == k,
        None => {
            f.kind != FindingKind::Model
                && f.severity >= Severity::Medium
                && engine
                    .rule(f.rule)
                    .is_some_and(|m| m.category == "extremism")
        }
    });
    let model = found.iter().any(|f| f.kind == FindingKind::Model);
    [packs, model, packs || model]
}

fn lang_of(v: &serde_json::Value, text: &str) -> String {
    match v["lang"].as_str() {
        Some(l) => l.to_string(),
        None => match Script::of(&flaglight::normalize::fold_pattern(text)) {
            Script::Latin => "en".into(),
            Script::Cyrillic => "ru".into(),
            Script::Arabic => "ar".into(),
        },
    }
}

/// Runs the engine on every labelled post of `file` and prints the figures
/// (of findings of `kind` when given).
pub fn run(engine: &Engine, file: &str, kind: Option<&str>) -> ExitCode {
    if let Some(k) = kind {
        if !engine.kind_names().contains(&k) {
            return fail(&format!(
                "--kind {k}: no such finding kind in the packs (they have: {})",
                engine.kind_names().join(", ")
            ));
        }
    }
    let src = match read_file(file).and_then(|b| read_utf8(file, b)) {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    let mut rows: BTreeMap<String, Row> = BTreeMap::new();
    for (n, line) in src
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let v: serde_json::Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(e) => return fail(&format!("{file}:{}: {e}", n + 1)),
        };
        let (Some(text), Some(actual)) = (v["text"].as_str(), label_of(&v["label"], kind)) else {
            let labels = if kind.is_some() {
                "1/0, true/false or a kind's name"
            } else {
                "1/0 or true/false"
            };
            return fail(&format!(
                "{file}:{}: each line needs \"text\" (a string) and \"label\" ({labels})",
                n + 1
            ));
        };
        let predicted = predict(engine, text, kind);
        for lang in [lang_of(&v, text), "all".to_string()] {
            let row = rows.entry(lang).or_default();
            row.posts += 1;
            row.positives += usize::from(actual);
            for (c, p) in row.signals.iter_mut().zip(predicted) {
                c.add(p, actual);
            }
        }
    }
    match kind {
        Some(k) => print_kind_table(&rows, k),
        None => print_table(&rows, engine),
    }
    ExitCode::SUCCESS
}

/// Languages in order, "all" last.
fn in_order(rows: &BTreeMap<String, Row>) -> impl Iterator<Item = &String> {
    rows.keys()
        .filter(|k| *k != "all")
        .chain(rows.keys().filter(|k| *k == "all"))
}

fn cell(c: &Counts) -> String {
    let (p, r, f) = c.prf();
    format!("{p:.2} / {r:.2} / {f:.2}")
}

fn print_kind_table(rows: &BTreeMap<String, Row>, kind: &str) {
    println!("packs: a finding of kind {kind} in the post; a post is positive when its label is 1, true or \"{kind}\"");
    println!(
        "{:<6} {:>6} {:>6}   {:^20}",
        "lang", "posts", "pos", "P / R / F1"
    );
    for lang in in_order(rows) {
        let r = &rows[lang];
        println!(
            "{lang:<6} {:>6} {:>6}   {:^20}",
            r.posts,
            r.positives,
            cell(&r.signals[0])
        );
    }
}

fn print_table(rows: &BTreeMap<String, Row>, engine: &Engine) {
    let model = engine
        .model()
        .map(|m| format!("{} {}", m.header().name, m.header().version))
        .unwrap_or_else(|| "none".into());
    println!(
        "packs: extremism findings at severity medium or above; model: {model}, at its thresholds"
    );
    println!(
        "{:<6} {:>6} {:>6}   {:^20}   {:^20}   {:^20}",
        "lang", "posts", "pos", "packs P / R / F1", "model P / R / F1", "both P / R / F1"
    );
    for lang in in_order(rows) {
        let r = &rows[lang];
        let cells: Vec<String> = r.signals.iter().map(cell).collect();
        println!(
            "{lang:<6} {:>6} {:>6}   {:^20}   {:^20}   {:^20}",
            r.posts, r.positives, cells[0], cells[1], cells[2]
        );
    }
}
