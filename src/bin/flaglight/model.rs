//! The post-level model on the command line: loading (built-in or a file),
//! `model-info`, `model-features` (for training), and printing model
//! findings one line per post.

use super::{fail, printable, read_file, Input};
use clap::Args;
use flaglight::engine::{Engine, Finding, FindingKind, Utf16Index};
use flaglight::model::{FeatureSpec, Features, Model};
use std::io::{self, BufRead, Write};
use std::process::ExitCode;

/// The model the extension ships.
pub const BUILTIN_MODEL: &[u8] = include_bytes!("../../../extension/models/extremism.flm");

/// Which model to use.
#[derive(Args, Debug, Clone)]
pub struct ModelArgs {
    /// Do not score posts with the post-level model.
    #[arg(long)]
    pub no_model: bool,
    /// Use this model file instead of the built-in one.
    #[arg(
        long = "model",
        id = "model_file",
        value_name = "FILE",
        conflicts_with = "no_model"
    )]
    pub file: Option<String>,
}

impl ModelArgs {
    /// The model to set on the engine, or `None` with `--no-model`.
    pub fn load(&self) -> Result<Option<Model>, String> {
        if self.no_model {
            return Ok(None);
        }
        let (name, bytes) = match &self.file {
            Some(f) => (f.as_str(), read_file(f)?),
            None => ("built-in model", BUILTIN_MODEL.to_vec()),
        };
        Model::load(&bytes)
            .map(Some)
            .map_err(|e| format!("{name}: {e}"))
    }
}

/// `model-info`: checks a model file and prints its header as JSON.
pub fn info(file: &str) -> ExitCode {
    let bytes = match read_file(file) {
        Ok(b) => b,
        Err(e) => return fail(&e),
    };
    match Model::load(&bytes) {
        Ok(m) => {
            let header = serde_json::to_string_pretty(m.header()).unwrap_or_default();
            println!("{file}: valid model, {} bytes\n{header}", bytes.len());
            ExitCode::SUCCESS
        }
        Err(e) => {
            println!("{file}: {e}");
            ExitCode::from(1)
        }
    }
}

/// `model-features`: distinct buckets of each post, binary, for training.
pub fn features(spec: &str, file: Option<&str>) -> ExitCode {
    let spec: FeatureSpec = match serde_json::from_str(spec) {
        Ok(s) => s,
        Err(e) => return fail(&format!("--spec: {e}")),
    };
    if let Err(e) = spec.check() {
        return fail(&format!("--spec: {e}"));
    }
    let input: Box<dyn BufRead> = match file {
        None | Some("-") => Box::new(io::BufReader::new(io::stdin())),
        Some(f) => match std::fs::File::open(f) {
            Ok(h) => Box::new(io::BufReader::new(h)),
            Err(e) => return fail(&format!("{f}: {e}")),
        },
    };
    let mut out = io::BufWriter::new(io::stdout().lock());
    let mut scratch = Features::default();
    for (n, line) in input.lines().enumerate() {
        let line = match line {
            Ok(l) => l,
            Err(e) => return fail(&format!("line {}: {e}", n + 1)),
        };
        let text = match serde_json::from_str::<serde_json::Value>(&line) {
            Ok(v) => v["text"].as_str().unwrap_or("").to_string(),
            Err(e) => return fail(&format!("line {}: {e}", n + 1)),
        };
        let folded = flaglight::normalize::fold_pattern(&text);
        let script = flaglight::model::Script::of(&folded);
        flaglight::model::features::extract(&folded, &spec, script, &mut scratch);
        let ids = scratch.distinct();
        let mut buf = Vec::with_capacity(4 * (ids.len() + 1) + 1);
        buf.push(script as u8);
        buf.extend_from_slice(&(ids.len() as u32).to_le_bytes());
        for id in ids {
            buf.extend_from_slice(&id.to_le_bytes());
        }
        if out.write_all(&buf).is_err() {
            return ExitCode::from(2);
        }
    }
    match out.flush() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&format!("writing output: {e}")),
    }
}

/// Prints one model finding per post: the post's span, its probability,
/// and its weightiest words with their shares.
#[allow(clippy::too_many_arguments)]
pub fn print_post(
    out: &mut impl Write,
    engine: &Engine,
    input: &Input,
    idx: &Utf16Index,
    all: &[Finding],
    first: &Finding,
    line: usize,
    jsonl: bool,
) -> io::Result<()> {
    let text_of = |s: u32, e: u32| input.text.get(idx.byte(s)..idx.byte(e)).unwrap_or("");
    let mut words: Vec<&Finding> = all
        .iter()
        .filter(|f| f.kind == FindingKind::Model && f.block == first.block)
        .collect();
    words.sort_by_key(|f| f.pattern);
    let bs = input.blocks.get(first.block as usize).copied().unwrap_or(0);
    let be = input
        .blocks
        .get(first.block as usize + 1)
        .copied()
        .unwrap_or_else(|| input.text.encode_utf16().count() as u32);
    let post = text_of(bs, be).trim_end_matches('\n');
    let meta = engine.rule(first.rule);
    let (pack, version) = meta.map_or(("", ""), |m| (m.pack.as_str(), m.pack_version.as_str()));
    let probability = first.score as f64 / 100.0;
    if jsonl {
        let w: Vec<serde_json::Value> = words
            .iter()
            .map(|f| {
                serde_json::json!({"text": text_of(f.start, f.end), "start": f.start, "end": f.end,
                    "weight": f.weight as f64 / 1000.0})
            })
            .collect();
        let v = serde_json::json!({
            "file": input.file, "line": line, "start": bs, "end": bs + post.encode_utf16().count() as u32,
            "text": post, "category": meta.map(|m| m.category.as_str()), "kind": "model",
            "rule": "model", "pack": pack, "pack_version": version,
            "severity": first.severity.as_str(), "score": first.score, "probability": probability,
            "words": w,
        });
        return writeln!(out, "{v}");
    }
    let list: Vec<String> = words
        .iter()
        .map(|f| {
            format!(
                "{} (+{:.2})",
                printable(text_of(f.start, f.end)),
                f.weight as f64 / 1000.0
            )
        })
        .collect();
    writeln!(
        out,
        "{}:{line}: {} {} model {probability:.2} ({pack} {version}) words that weighed most: {}",
        input.file,
        first.severity.as_str(),
        meta.map_or("", |m| m.category.as_str()),
        list.join(", ")
    )
}
