//! `flaglight`: the engine on the command line.
//!
//! ```text
//! flaglight scan [--pack FILE]... [--no-builtin] [--no-model] [--model FILE] [--html] [--format jsonl|text] [FILE|-]...
//! flaglight check-pack FILE...
//! flaglight eval [--pack FILE]... [--no-builtin] [--model FILE] [--kind KIND] FILE.jsonl
//! flaglight model-info FILE
//! flaglight model-features --spec JSON [FILE|-]
//! ```

mod eval;
mod html;
mod model;

use clap::{Parser, Subcommand, ValueEnum};
use flaglight::engine::{Engine, Finding, FindingKind, Utf16Index, Why};
use flaglight::normalize;
use flaglight::pack::{Pack, PackErrors};
use std::io::{self, Read, Write};
use std::process::ExitCode;

/// The built-in packs, the same files the extension ships.
const BUILTIN: &[(&str, &str)] = &[
    (
        "builtin:extremism-en.json",
        include_str!("../../../extension/packs/extremism-en.json"),
    ),
    (
        "builtin:extremism-ru.json",
        include_str!("../../../extension/packs/extremism-ru.json"),
    ),
    (
        "builtin:extremism-ar.json",
        include_str!("../../../extension/packs/extremism-ar.json"),
    ),
    (
        "builtin:donation.json",
        include_str!("../../../extension/packs/donation.json"),
    ),
];

#[derive(Parser)]
#[command(
    name = "flaglight",
    version,
    about = "Finds extremist content and donation requests in text and HTML.",
    long_about = "Finds extremist content and donation requests in text and HTML, with the \
same engine and built-in rule packs as the flaglight browser extension.\n\n\
Exit status: 0 when the command ran (with or without findings); 1 when check-pack \
found failing packs or examples; 2 for usage errors, unreadable files and invalid packs."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Scan text or HTML files (or standard input) and print findings.
    ///
    /// Text input: every line is a block (nothing matches across two lines).
    /// HTML input: the visible text is extracted (scripts, styles and form
    /// fields skipped), block elements (p, div, li, td, ...) are blocks, and
    /// the charset comes from the document (windows-1251 and others).
    /// Offsets are UTF-16 code units of the (extracted) text, as a browser
    /// counts them; `line` is 1-based in that text.
    Scan {
        /// Add a rule pack (JSON). May be given several times.
        #[arg(long = "pack", value_name = "FILE")]
        packs: Vec<String>,
        /// Do not load the built-in packs.
        #[arg(long)]
        no_builtin: bool,
        /// Treat input as HTML (implied for .html and .htm files).
        #[arg(long)]
        html: bool,
        /// Output format: jsonl (one JSON object per finding) or text (for people).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        #[command(flatten)]
        model: model::ModelArgs,
        /// Files to scan; `-` or nothing reads standard input.
        files: Vec<String>,
    },
    /// Measure packs and the model on labelled posts.
    ///
    /// Reads JSON Lines {"text", "label"} (label 1/0 or true/false; an
    /// optional "lang" groups the figures, otherwise the script decides:
    /// en, ru, ar). Prints precision, recall and F1 per language for the
    /// packs alone (a finding of category extremism at severity medium or
    /// above), the model alone (at its threshold), and both (either fires).
    /// With --kind, the figures of one finding kind instead.
    Eval {
        /// Add a rule pack (JSON). May be given several times.
        #[arg(long = "pack", value_name = "FILE")]
        packs: Vec<String>,
        /// Do not load the built-in packs.
        #[arg(long)]
        no_builtin: bool,
        #[command(flatten)]
        model: model::ModelArgs,
        /// Measure one finding kind (donation_request, scam, btc...): a post
        /// is predicted positive when a finding of that kind is made in it;
        /// its label may then also be a string, positive when it is the kind.
        #[arg(long, value_name = "KIND")]
        kind: Option<String>,
        /// The labelled file.
        file: String,
    },
    /// Check a model file and print its header.
    ModelInfo {
        /// The model file.
        file: String,
    },
    /// Print the model features of posts, for training (tools/model/train.py).
    ///
    /// Reads JSON Lines {"text"}; writes, per line, the script byte (0
    /// Latin, 1 Cyrillic, 2 Arabic), a little-endian u32 count, then that
    /// many u32 distinct bucket numbers.
    ModelFeatures {
        /// The feature spec as JSON (the model file's "spec").
        #[arg(long)]
        spec: String,
        /// Input; `-` or nothing reads standard input.
        file: Option<String>,
    },
    /// Validate rule packs and run every rule's examples.
    ///
    /// Each `match` example must be found by its rule and each `no_match`
    /// example must not. The built-in packs are loaded beside the checked
    /// packs unless --no-builtin is given (so pack ids must not collide).
    CheckPack {
        /// Check the packs alone, without the built-in packs.
        #[arg(long)]
        no_builtin: bool,
        /// Pack files.
        #[arg(required = true)]
        files: Vec<String>,
    },
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    Jsonl,
    Text,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match cli.command {
        Command::Scan {
            packs,
            no_builtin,
            html,
            format,
            model,
            files,
        } => scan(&packs, no_builtin, &model, html, format, &files),
        Command::CheckPack { no_builtin, files } => check_pack(&files, no_builtin),
        Command::Eval {
            packs,
            no_builtin,
            model,
            kind,
            file,
        } => match load_engine(&packs, no_builtin, &model) {
            Ok(engine) => eval::run(&engine, &file, kind.as_deref()),
            Err(code) => code,
        },
        Command::ModelInfo { file } => model::info(&file),
        Command::ModelFeatures { spec, file } => model::features(&spec, file.as_deref()),
    }
}

fn fail(msg: &str) -> ExitCode {
    eprintln!("flaglight: {msg}");
    ExitCode::from(2)
}

fn read_file(path: &str) -> Result<Vec<u8>, String> {
    if path == "-" {
        let mut buf = Vec::new();
        io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| format!("standard input: {e}"))?;
        return Ok(buf);
    }
    std::fs::read(path).map_err(|e| format!("{path}: {e}"))
}

fn read_utf8(path: &str, bytes: Vec<u8>) -> Result<String, String> {
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "{path}: not valid UTF-8 (at byte {}); convert it, or pass --html if it is an HTML page with a charset",
            e.utf8_error().valid_up_to()
        )
    })
}

fn load_packs(files: &[String], builtin: bool) -> Result<Vec<Pack>, String> {
    let mut packs = Vec::new();
    let mut errors = PackErrors::default();
    if builtin {
        for (name, src) in BUILTIN {
            match Pack::parse(src, name) {
                Ok(p) => packs.push(p),
                Err(e) => errors.0.extend(e.0),
            }
        }
    }
    for f in files {
        let src = read_file(f).and_then(|b| read_utf8(f, b))?;
        match Pack::parse(&src, f) {
            Ok(p) => packs.push(p),
            Err(e) => errors.0.extend(e.0),
        }
    }
    if errors.0.is_empty() {
        Ok(packs)
    } else {
        Err(errors.to_string())
    }
}

/// The engine the scan and eval commands run: packs, then the model.
fn load_engine(
    pack_files: &[String],
    no_builtin: bool,
    model: &model::ModelArgs,
) -> Result<Engine, ExitCode> {
    if no_builtin && pack_files.is_empty() && model.no_model {
        return Err(fail(
            "--no-builtin --no-model needs at least one --pack FILE",
        ));
    }
    let packs =
        load_packs(pack_files, !no_builtin).map_err(|e| fail(&format!("invalid pack:\n{e}")))?;
    let mut engine = Engine::new(&packs).map_err(|e| fail(&format!("invalid pack:\n{e}")))?;
    engine.set_model(model.load().map_err(|e| fail(&e))?);
    Ok(engine)
}

fn scan(
    pack_files: &[String],
    no_builtin: bool,
    model: &model::ModelArgs,
    html: bool,
    format: Format,
    files: &[String],
) -> ExitCode {
    let engine = match load_engine(pack_files, no_builtin, model) {
        Ok(e) => e,
        Err(code) => return code,
    };
    let inputs: Vec<String> = if files.is_empty() {
        vec!["-".into()]
    } else {
        files.to_vec()
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut status = ExitCode::SUCCESS;
    for path in &inputs {
        let bytes = match read_file(path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("flaglight: {e}");
                status = ExitCode::from(2);
                continue;
            }
        };
        let lower = path.to_ascii_lowercase();
        let is_html = html || lower.ends_with(".html") || lower.ends_with(".htm");
        let (text, blocks) = if is_html {
            let x = html::extract(&bytes);
            (x.text, x.block_starts)
        } else {
            match read_utf8(path, bytes) {
                Ok(t) => {
                    let blocks = line_starts(&t);
                    (t, blocks)
                }
                Err(e) => {
                    eprintln!("flaglight: {e}");
                    status = ExitCode::from(2);
                    continue;
                }
            }
        };
        let findings = engine.scan(&text, &blocks);
        let input = Input {
            file: path,
            text: &text,
            blocks: &blocks,
        };
        if let Err(e) = print_findings(&mut out, &engine, &input, &findings, format) {
            if e.kind() == io::ErrorKind::BrokenPipe {
                return status;
            }
            return fail(&format!("writing output: {e}"));
        }
    }
    if let Err(e) = out.flush() {
        if e.kind() != io::ErrorKind::BrokenPipe {
            return fail(&format!("writing output: {e}"));
        }
    }
    status
}

/// UTF-16 offsets where lines start (line 1 at 0).
fn line_starts(text: &str) -> Vec<u32> {
    let mut v = vec![0];
    let mut u = 0u32;
    for c in text.chars() {
        u += c.len_utf16() as u32;
        if c == '\n' {
            v.push(u);
        }
    }
    v
}

/// One scanned input, as the printers need it.
struct Input<'a> {
    file: &'a str,
    text: &'a str,
    /// UTF-16 block starts as scanned.
    blocks: &'a [u32],
}

fn print_findings(
    out: &mut impl Write,
    engine: &Engine,
    input: &Input,
    findings: &[Finding],
    format: Format,
) -> io::Result<()> {
    let lines = line_starts(input.text);
    let idx = Utf16Index::new(input.text);
    let mut model_blocks = std::collections::HashSet::new();
    for f in findings {
        let Some(meta) = engine.rule(f.rule) else {
            continue;
        };
        let line = lines.partition_point(|&l| l <= f.start);
        if f.kind == FindingKind::Model {
            // One line per post: the post's span and its weightiest words.
            if model_blocks.insert(f.block) {
                model::print_post(
                    out,
                    engine,
                    input,
                    &idx,
                    findings,
                    f,
                    line,
                    format == Format::Jsonl,
                )?;
            }
            continue;
        }
        let quote = |s: u32, e: u32| input.text.get(idx.byte(s)..idx.byte(e)).unwrap_or("");
        let matched = quote(f.start, f.end);
        let kind = engine.kind_name(f.kind);
        let rule_id = |w: Why| engine.rule(w.rule).map_or("", |m| m.id.as_str());
        let cue = f
            .cue
            .map(|(w, reach)| (rule_id(w), quote(w.start, w.end), reach.as_str()));
        let against = f.against.map(|w| (rule_id(w), quote(w.start, w.end)));
        match format {
            Format::Jsonl => {
                let pattern = meta.patterns.get(f.pattern as usize);
                let v = serde_json::json!({
                    "file": input.file,
                    "line": line,
                    "start": f.start,
                    "end": f.end,
                    "text": matched,
                    "folded": normalize::fold_pattern(matched),
                    "category": meta.category,
                    "kind": kind,
                    "rule": meta.id,
                    "pack": meta.pack,
                    "severity": f.severity.as_str(),
                    "score": f.score,
                    "pattern": pattern,
                    "checksum": f.checksum.map(|c| match c {
                        flaglight::ids::Checksum::Valid => "valid",
                        flaglight::ids::Checksum::Unchecked => "unchecked",
                    }),
                    "cue": cue.map(|(rule, text, reach)| serde_json::json!({"rule": rule, "text": text, "reach": reach})),
                    "against": against.map(|(rule, text)| serde_json::json!({"rule": rule, "text": text})),
                });
                writeln!(out, "{v}")?;
            }
            Format::Text => {
                let why = why_text(f, cue, against);
                writeln!(
                    out,
                    "{}:{line}: {} {} {} {:?}{why}",
                    input.file,
                    f.severity.as_str(),
                    meta.category,
                    if kind == "keyword" || kind == "regex" {
                        meta.id.clone()
                    } else {
                        format!("{}/{kind}", meta.id)
                    },
                    printable(matched)
                )?;
            }
        }
    }
    Ok(())
}

/// Why, for the text format: the cue of a context finding (and what lowered
/// it); on an identifier, what kept a context rule from reading it.
fn why_text(f: &Finding, cue: Option<(&str, &str, &str)>, against: Option<(&str, &str)>) -> String {
    match (against, cue) {
        (Some((r, t)), Some((cr, ct, _))) if f.kind.is_identifier() => format!(
            " (not a request: {:?} {r} outweighs {:?} {cr})",
            printable(t),
            printable(ct)
        ),
        (a, Some((r, t, reach))) => {
            let mut why = format!(" (cue {:?} {r}, {reach}", printable(t));
            if let Some((ar, at)) = a {
                why += &format!("; lowered by {:?} {ar}", printable(at));
            }
            why.push(')');
            why
        }
        _ => String::new(),
    }
}

/// Text for one terminal line: control characters as spaces.
fn printable(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn check_pack(files: &[String], no_builtin: bool) -> ExitCode {
    let mut bad = false;
    let mut packs = Vec::new();
    for f in files {
        let src = match read_file(f).and_then(|b| read_utf8(f, b)) {
            Ok(s) => s,
            Err(e) => return fail(&e),
        };
        match Pack::parse(&src, f) {
            Ok(p) => {
                println!(
                    "{f}: pack {:?} {} ({} rules) is valid",
                    p.id,
                    p.version,
                    p.rules.len()
                );
                packs.push(p);
            }
            Err(e) => {
                println!("{e}");
                println!("{f}: invalid ({} errors)", e.0.len());
                bad = true;
            }
        }
    }
    if bad {
        return ExitCode::from(1);
    }
    let mut all = Vec::new();
    if !no_builtin {
        match load_packs(&[], true) {
            Ok(b) => {
                // A checked pack replaces a built-in pack of the same id (a new
                // version of a built-in pack is checked against the others).
                all.extend(
                    b.into_iter()
                        .filter(|bp| !packs.iter().any(|p| p.id == bp.id)),
                );
            }
            Err(e) => return fail(&format!("built-in packs: {e}")),
        }
    }
    let checked: Vec<String> = packs.iter().map(|p| p.id.clone()).collect();
    all.extend(packs);
    let engine = match Engine::new(&all) {
        Ok(e) => e,
        Err(e) => {
            println!("{e}");
            return ExitCode::from(1);
        }
    };
    let failures: Vec<_> = engine
        .check_examples()
        .into_iter()
        .filter(|f| checked.contains(&f.pack))
        .collect();
    let total: usize = engine
        .rules()
        .iter()
        .enumerate()
        .filter(|(_, m)| checked.contains(&m.pack))
        .count();
    for f in &failures {
        let src = all
            .iter()
            .find(|p| p.id == f.pack)
            .map_or(f.pack.as_str(), |p| p.source.as_str());
        println!(
            "{src}:{}:{}: rule {:?}: {} example {:?} {}",
            f.loc.line,
            f.loc.column,
            f.rule,
            if f.expected_match {
                "match"
            } else {
                "no_match"
            },
            f.example,
            if f.expected_match {
                "was not found"
            } else {
                "was found"
            }
        );
    }
    if failures.is_empty() {
        println!("examples: all pass ({total} rules checked)");
        ExitCode::SUCCESS
    } else {
        println!("examples: {} failing", failures.len());
        ExitCode::from(1)
    }
}
