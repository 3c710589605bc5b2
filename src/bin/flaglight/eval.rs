//! `flaglight eval`: precision, recall and F1 of the packs, the model and
//! both, per language, on a team's own labelled posts.

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

fn label_of(v: &serde_json::Value) -> Option<bool> {
    match v {
        serde_json::Value::Bool(b) => Some(*b),
        serde_json::Value::Number(n) => n.as_u64().filter(|&x| x <= 1).map(|x| x == 1),
        _ => None,
    }
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

/// Runs the engine on every labelled post of `file` and prints the figures.
pub fn run(engine: &Engine, file: &str) -> ExitCode {
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
        let (Some(text), Some(actual)) = (v["text"].as_str(), label_of(&v["label"])) else {
            return fail(&format!(
                "{file}:{}: each line needs \"text\" (a string) and \"label\" (1/0 or true/false)",
                n + 1
            ));
        };
        let found = engine.scan(text, &[]);
        let packs = found.iter().any(|f| {
            f.kind != FindingKind::Model
                && f.severity >= Severity::Medium
                && engine
                    .rule(f.rule)
                    .is_some_and(|m| m.category == "extremism")
        });
        let model = found.iter().any(|f| f.kind == FindingKind::Model);
        for lang in [lang_of(&v, text), "all".to_string()] {
            let row = rows.entry(lang).or_default();
            row.posts += 1;
            row.positives += usize::from(actual);
            for (i, predicted) in [packs, model, packs || model].into_iter().enumerate() {
                row.signals[i].add(predicted, actual);
            }
        }
    }
    print_table(&rows, engine);
    ExitCode::SUCCESS
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
    let order = rows
        .keys()
        .filter(|k| *k != "all")
        .chain(rows.keys().filter(|k| *k == "all"));
    for lang in order {
        let r = &rows[lang];
        let cells: Vec<String> = r
            .signals
            .iter()
            .map(|c| {
                let (p, rc, f) = c.prf();
                format!("{p:.2} / {rc:.2} / {f:.2}")
            })
            .collect();
        println!(
            "{lang:<6} {:>6} {:>6}   {:^20}   {:^20}   {:^20}",
            r.posts, r.positives, cells[0], cells[1], cells[2]
        );
    }
}
