//! The post-level model through the public API: the file format (and every
//! way a file can be refused), scoring and explanations, and the engine's
//! model findings beside its pack findings.

mod support;

use flaglight::engine::{Engine, FindingKind};
use flaglight::model::format::{self, ModelHeader};
use flaglight::model::{Model, ModelError, Script};
use flaglight::normalize;
use flaglight::pack::Severity;

fn model_bytes() -> Vec<u8> {
    support::test_model_bytes()
}

fn model() -> Model {
    Model::load(&model_bytes()).expect("a valid model")
}

fn header() -> ModelHeader {
    support::test_model_header()
}

fn weights(pos: &[&str], neg: &[&str]) -> Vec<i8> {
    support::test_model_weights(pos, neg)
}

#[test]
fn the_shipped_model_loads() {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/extension/models/extremism.flm"
    ))
    .unwrap();
    let m = Model::load(&bytes).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(m.header().category, "extremism");
    assert!(bytes.len() <= 1 << 20, "model file over 1 MB raw");
}

#[test]
fn every_damaged_file_is_refused_with_its_reason() {
    let good = model_bytes();
    // Every truncation.
    for n in [0, 7, 13, 40, good.len() / 2, good.len() - 1] {
        let e = Model::load(&good[..n]).unwrap_err();
        assert!(
            matches!(e, ModelError::Truncated { .. } | ModelError::Checksum),
            "{n} bytes: {e}"
        );
    }
    let mut bad = good.clone();
    bad[0] = b'X';
    assert_eq!(Model::load(&bad).unwrap_err(), ModelError::BadMagic);
    let mut bad = good.clone();
    bad[8] = 9;
    assert_eq!(
        Model::load(&bad).unwrap_err(),
        ModelError::UnsupportedVersion(9)
    );
    // One byte flipped anywhere in the body: the checksum says so.
    for at in [20, good.len() / 2, good.len() - 40] {
        let mut bad = good.clone();
        bad[at] ^= 1;
        assert_eq!(
            Model::load(&bad).unwrap_err(),
            ModelError::Checksum,
            "byte {at}"
        );
    }
    // A well-formed file with out-of-range content.
    let mut h = header();
    h.calibration.get_mut(&Script::Arabic).unwrap().threshold = 1.5;
    let e = Model::load(&format::write(&h, &weights(&[], &[]))).unwrap_err();
    assert!(e.to_string().contains("calibration of arabic"), "{e}");
    let e = Model::load(&format::write(&header(), &[0i8; 100])).unwrap_err();
    assert_eq!(
        e,
        ModelError::WrongSize {
            expected: 4096,
            found: 100
        }
    );
    assert!(e.to_string().starts_with("model file:"));
}

#[test]
fn a_post_is_scored_and_explained_by_its_words() {
    let m = model();
    let hot = m.score("Brothers, the LIONS of the Khilafah will slaughter the kuffar!");
    assert!(hot.probability > 0.9, "{hot:?}");
    assert_eq!(hot.severity, Some(Severity::High));
    assert!(!hot.top.is_empty() && hot.top.len() <= 3);
    assert!(hot.top.windows(2).all(|w| w[0].weight >= w[1].weight));
    let cold = m.score("Police said the court reported on the case yesterday");
    assert!(cold.probability < 0.5 && cold.severity.is_none() && cold.top.is_empty());
    // Look-alike letters and spacing fold away before the features.
    let disguised = m.score("the l i o n s of the Кhіlаfаh will slaughter the kuffar");
    assert!(disguised.probability > 0.9, "{disguised:?}");
    let script = |t: &str| Script::of(&normalize::fold_pattern(t));
    assert_eq!(
        script("Вчера городской совет утвердил новый бюджет"),
        Script::Cyrillic
    );
    assert_eq!(script("الدولة الإسلامية باقية"), Script::Arabic);
    // English spelled with Cyrillic look-alikes is scored as English.
    assert_eq!(script("Вrоthеrs јоіn thе саlірhаtе"), Script::Latin);
}

#[test]
fn model_findings_are_words_beside_pack_findings() {
    let pack = r#"{"id": "p", "name": "p", "version": "1", "rules": [
        {"id": "kuffar", "category": "extremism", "severity": "high", "kind": "keyword", "patterns": ["kuffar"]}]}"#;
    let mut e = Engine::from_json(&[("p.json", pack)]).unwrap();
    let text =
        "Police said the court reported on it\nthe lions of the khilafah will slaughter the kuffar";
    let block2 = text.find('\n').unwrap() as u32 + 1;
    let before = e.scan(text, &[0, block2]);
    assert!(before.iter().all(|f| f.kind != FindingKind::Model));
    e.set_model(Some(model()));
    let found = e.scan(text, &[0, block2]);
    let words: Vec<_> = found
        .iter()
        .filter(|f| f.kind == FindingKind::Model)
        .collect();
    assert!(!words.is_empty() && words.len() <= 3);
    assert!(words
        .iter()
        .all(|f| f.block == 1 && f.score > 90 && f.weight > 0));
    let meta = e.rule(words[0].rule).unwrap();
    assert_eq!(
        (meta.id.as_str(), meta.pack.as_str()),
        ("model", "test-model")
    );
    assert_eq!(e.kind_name(FindingKind::Model), "model");
    // The pack finding is there too, scored as before (the model does not count).
    let kw: Vec<_> = found
        .iter()
        .filter(|f| f.kind == FindingKind::Keyword)
        .collect();
    let kw_before: Vec<_> = before
        .iter()
        .filter(|f| f.kind == FindingKind::Keyword)
        .collect();
    assert_eq!(kw, kw_before);
    // Sensitivity: a threshold above a post's probability silences it.
    let m = model();
    let (mild, p) = [
        "the lions of the khilafah",
        "the lions said",
        "lions reported",
    ]
    .into_iter()
    .map(|t| (t, m.score(t).probability))
    .find(|&(_, p)| p > 0.5 && p < 0.95)
    .expect("a post the model is unsure of");
    let fires = |e: &Engine| {
        e.scan(mild, &[])
            .iter()
            .any(|f| f.kind == FindingKind::Model)
    };
    assert!(fires(&e));
    e.model_mut()
        .unwrap()
        .set_threshold(Script::Latin, p + 0.04);
    assert!(!fires(&e));
    e.set_model(None);
    assert_eq!(e.rules().len(), 1);
}

#[test]
fn scoring_costs_linear_work() {
    let mut e = Engine::from_json(&[(
        "p.json",
        r#"{"id": "p", "name": "p", "version": "1", "rules": []}"#,
    )])
    .unwrap();
    e.set_model(Some(model()));
    let post = "the lions of the khilafah will slaughter the kuffar ";
    let (_, small) = e.scan_counted(&post.repeat(500), &[]);
    let (_, big) = e.scan_counted(&post.repeat(2_000), &[]);
    let ratio = big.model_steps as f64 / small.model_steps as f64;
    assert!(
        (3.5..4.5).contains(&ratio),
        "4x the text, {ratio:.2}x the model steps"
    );
}
