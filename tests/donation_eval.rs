//! The built-in packs on a labelled set of donation posts.
//!
//! `tests/data/donation_eval.jsonl` holds posts written for flaglight (see
//! `tests/data/gen_donation_eval.py`): requests for money next to a payment
//! identifier as they are really written (footers, label lists, asks,
//! conditional offers, crowdfunding, a person in need, payment options,
//! legal-defence and prisoner-support funds, thanks-and-repeat), in en, ru,
//! ar, de, fr and nl; hard negatives that carry identifiers and ask for
//! nothing (token contracts, price alerts, explorer and DEX links, airdrops,
//! hack alerts, sales of goods, sympathy with a social handle); and giveaway
//! scams. Each post is scanned as one block, as the extension scans a post.
//!
//! A post is read as a donation request when any finding of kind
//! `donation_request` is made in it, and as a scam when any finding of kind
//! `scam` is. The test prints precision and recall of both, per case, the
//! posts read wrongly and the request posts with an identifier left out of
//! the request (all posts with `FLAGLIGHT_SHOW_EVAL=1`, each finding with
//! the cue and the negative context that decided it); it fails when a figure
//! of the main set is under [`TARGET`], or when a post labelled `none`
//! carries a critical finding.
//!
//! `tests/data/donation_holdout.jsonl` is a smaller set written after the
//! lexicons: its figures are printed, not enforced.

mod support;

use flaglight::engine::{Engine, Finding, FindingKind};
use flaglight::pack::Severity;
use std::collections::BTreeMap;

/// Precision and recall the issue asks for.
const TARGET: f64 = 0.95;

/// The figures of the main set are enforced (set to false while a change to
/// the packs or the engine is being worked out, to print them only).
const ENFORCE: bool = true;

#[derive(serde::Deserialize)]
struct Post {
    text: String,
    label: String,
    lang: String,
    case: String,
}

/// What the engine made of one post.
struct Reading {
    request: bool,
    /// Identifiers in the post, and those inside a donation request.
    ids: u32,
    ids_in_request: u32,
    scam: bool,
    critical: bool,
    found: Vec<String>,
}

fn read(engine: &Engine, text: &str) -> Reading {
    let findings: Vec<Finding> = engine.scan(text, &[]);
    let units: Vec<u16> = text.encode_utf16().collect();
    let mut r = Reading {
        request: false,
        ids: 0,
        ids_in_request: 0,
        scam: false,
        critical: false,
        found: Vec::new(),
    };
    let requests: Vec<&Finding> = findings
        .iter()
        .filter(|f| engine.kind_name(f.kind) == "donation_request")
        .collect();
    for f in &findings {
        if let FindingKind::Id(_) = f.kind {
            r.ids += 1;
            r.ids_in_request += u32::from(
                requests
                    .iter()
                    .any(|q| q.start <= f.start && f.end <= q.end),
            );
        }
        let kind = engine.kind_name(f.kind);
        r.request |= kind == "donation_request";
        r.scam |= kind == "scam";
        r.critical |= f.severity == Severity::Critical;
        let meta = engine.rule(f.rule).expect("a finding names a rule");
        let quote = String::from_utf16_lossy(&units[f.start as usize..f.end as usize]);
        let name = |w: flaglight::engine::Why| engine.rule(w.rule).map_or("?", |m| m.id.as_str());
        let mut why = String::new();
        if let Some((c, reach)) = f.cue {
            why += &format!(" cue {}({})", name(c), reach.as_str());
        }
        if let Some(a) = f.against {
            why += &format!(" against {}", name(a));
        }
        r.found.push(format!(
            "{} {}/{} {:?}{why}",
            f.severity.as_str(),
            meta.id,
            kind,
            quote.replace('\n', " | ")
        ));
    }
    r
}

/// Counts for one class: true positives, false positives, false negatives.
#[derive(Default, Clone, Copy)]
struct Counts {
    tp: u32,
    fp: u32,
    fn_: u32,
}

impl Counts {
    fn add(&mut self, truth: bool, said: bool) {
        match (truth, said) {
            (true, true) => self.tp += 1,
            (false, true) => self.fp += 1,
            (true, false) => self.fn_ += 1,
            (false, false) => {}
        }
    }

    fn precision(self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    fn recall(self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
}

fn ratio(a: u32, b: u32) -> f64 {
    if b == 0 {
        1.0
    } else {
        f64::from(a) / f64::from(b)
    }
}

/// Figures of one labelled set.
struct Figures {
    posts: usize,
    request: Counts,
    scam: Counts,
    /// Posts labelled `none` with a critical finding.
    critical_none: Vec<String>,
}

/// Reads a labelled set, prints what went wrong (everything with
/// `FLAGLIGHT_SHOW_EVAL=1`), the figures per case and overall.
fn evaluate(engine: &Engine, name: &str, src: &str) -> Figures {
    let posts: Vec<Post> = src
        .lines()
        .enumerate()
        .map(|(i, l)| serde_json::from_str(l).unwrap_or_else(|e| panic!("{name}:{}: {e}", i + 1)))
        .collect();
    let show_all = std::env::var_os("FLAGLIGHT_SHOW_EVAL").is_some();
    let mut fig = Figures {
        posts: posts.len(),
        request: Counts::default(),
        scam: Counts::default(),
        critical_none: Vec::new(),
    };
    // Per (label, case): posts, and posts read as their label says.
    let mut cases: BTreeMap<(String, String), (u32, u32)> = BTreeMap::new();
    // Identifiers of request posts: all of them, and those read as part of a request.
    let (mut ids, mut ids_in_request) = (0, 0);
    println!("== {name}");
    for (i, p) in posts.iter().enumerate() {
        assert!(
            matches!(p.label.as_str(), "donation_request" | "none" | "scam"),
            "{name}:{}: label {:?}",
            i + 1,
            p.label
        );
        let r = read(engine, &p.text);
        fig.request.add(p.label == "donation_request", r.request);
        fig.scam.add(p.label == "scam", r.scam);
        if p.label == "donation_request" {
            ids += r.ids;
            ids_in_request += r.ids_in_request;
        }
        let right = match p.label.as_str() {
            "donation_request" => r.request,
            "scam" => r.scam && !r.request,
            _ => !r.request && !r.scam,
        };
        let e = cases.entry((p.label.clone(), p.case.clone())).or_default();
        e.0 += 1;
        e.1 += u32::from(right);
        if p.label == "none" && r.critical {
            fig.critical_none
                .push(format!("{name}:{}: {:?}", i + 1, p.text));
        }
        let partial = p.label == "donation_request" && r.ids_in_request < r.ids;
        if !right || partial || show_all {
            println!(
                "{} {name}:{} [{} {} {}]: {}\n    found: {:#?}",
                if !right {
                    "WRONG"
                } else if partial {
                    "PARTIAL"
                } else {
                    "ok"
                },
                i + 1,
                p.label,
                p.lang,
                p.case,
                p.text.replace('\n', " | "),
                r.found
            );
        }
    }
    println!("per case (label case: right/posts)");
    for ((label, case), (n, ok)) in &cases {
        println!("  {label:16} {case:18} {ok:3}/{n:3}");
    }
    let (q, c) = (fig.request, fig.scam);
    println!(
        "{name}, {} posts: donation_request precision {:.3} recall {:.3} (tp {} fp {} fn {}); \
         scam precision {:.3} recall {:.3} (tp {} fp {} fn {})",
        fig.posts,
        q.precision(),
        q.recall(),
        q.tp,
        q.fp,
        q.fn_,
        c.precision(),
        c.recall(),
        c.tp,
        c.fp,
        c.fn_
    );
    println!(
        "{name}: identifiers in request posts inside a donation request: {ids_in_request}/{ids} ({:.3})\n",
        ratio(ids_in_request, ids)
    );
    fig
}

fn engine() -> Engine {
    support::builtin_engine()
}

#[test]
fn donation_requests_and_scams_on_the_labelled_set() {
    let fig = evaluate(
        &engine(),
        "donation_eval.jsonl",
        include_str!("data/donation_eval.jsonl"),
    );
    assert!(fig.posts >= 200, "the set should have 200 posts or more");
    if !ENFORCE {
        return;
    }
    assert!(
        fig.critical_none.is_empty(),
        "critical findings in posts that ask for nothing:\n{}",
        fig.critical_none.join("\n")
    );
    for (name, c) in [("donation_request", fig.request), ("scam", fig.scam)] {
        assert!(
            c.precision() >= TARGET && c.recall() >= TARGET,
            "{name}: precision {:.3}, recall {:.3}, under {TARGET}",
            c.precision(),
            c.recall()
        );
    }
}

/// The holdout set was written after the lexicons and is not tuned on: its
/// figures are printed, not enforced (they estimate how the packs do on
/// phrasing they were not written from). Critical findings in a post that
/// asks for nothing are never right.
#[test]
fn holdout_figures() {
    let engine = engine();
    for (name, src) in [
        (
            "donation_holdout.jsonl",
            include_str!("data/donation_holdout.jsonl"),
        ),
        (
            "donation_holdout2.jsonl",
            include_str!("data/donation_holdout2.jsonl"),
        ),
        (
            "donation_holdout3.jsonl",
            include_str!("data/donation_holdout3.jsonl"),
        ),
        (
            "donation_holdout4.jsonl",
            include_str!("data/donation_holdout4.jsonl"),
        ),
        (
            "donation_holdout5.jsonl",
            include_str!("data/donation_holdout5.jsonl"),
        ),
    ] {
        let fig = evaluate(&engine, name, src);
        if ENFORCE {
            assert!(
                fig.critical_none.is_empty(),
                "critical findings in posts that ask for nothing:\n{}",
                fig.critical_none.join("\n")
            );
        }
    }
}
