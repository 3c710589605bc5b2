//! Pack names and descriptions in several languages: `{"en": ..., "ru":
//! ..., "ar": ...}` or a plain string, validated like every other field,
//! with located errors; English is the fallback the engine reports.

use flaglight::engine::Engine;
use flaglight::pack::{Pack, PackError};

fn pack(name: &str, description: &str, rule_description: &str) -> String {
    format!(
        r#"{{
  "id": "t", "name": {name}, "version": "1.0.0",
  "description": {description},
  "rules": [{{
    "id": "r", "category": "extremism", "severity": "high", "kind": "keyword",
    "patterns": ["join the caliphate"],
    "description": {rule_description}
  }}]
}}"#
    )
}

fn errors(src: &str) -> Vec<PackError> {
    match Pack::parse(src, "t.json") {
        Ok(_) => panic!("accepted:\n{src}"),
        Err(e) => e.errors().to_vec(),
    }
}

#[test]
fn plain_strings_stay_as_they_were() {
    let p = Pack::parse(&pack(r#""Team""#, r#""About""#, r#""Why""#), "t.json").unwrap();
    assert_eq!(p.name, "Team");
    assert!(p.name_i18n.is_empty());
    assert_eq!(p.description, "About");
    assert_eq!(p.rules[0].description, "Why");
    assert!(p.rules[0].description_i18n.is_empty());
}

#[test]
fn translations_are_read_with_english_as_the_text() {
    let src = pack(
        r#"{"en": "Team", "ru": "Команда", "ar": "الفريق"}"#,
        r#"{"en": "About", "ru": "О наборе"}"#,
        r#"{"ar": "دعوات للانضمام", "en": "Calls to join", "pt-BR": "Chamadas"}"#,
    );
    let p = Pack::parse(&src, "t.json").unwrap();
    assert_eq!(p.name, "Team");
    assert_eq!(p.name_i18n["ru"], "Команда");
    assert_eq!(p.name_i18n["ar"], "الفريق");
    assert_eq!(p.description, "About");
    assert_eq!(p.description_i18n.len(), 2);
    let r = &p.rules[0];
    assert_eq!(r.description, "Calls to join");
    assert_eq!(r.description_i18n["pt-BR"], "Chamadas");
    // The engine's rule metadata keeps the English text.
    let engine = Engine::new(&[p]).unwrap();
    assert_eq!(engine.rules()[0].pack_name, "Team");
    assert_eq!(engine.rules()[0].description, "Calls to join");
}

#[test]
fn bad_translations_are_located() {
    let src = pack(
        r#"{"ru": "Команда"}"#,
        r#"{"en": "About", "Russian": "О наборе", "ar": 3}"#,
        r#"{"en": "", "ru": "Зачем"}"#,
    );
    let e = errors(&src);
    let at = |path: &str| {
        e.iter()
            .find(|x| x.path == path)
            .unwrap_or_else(|| panic!("no error at {path}: {e:?}"))
    };
    let name = at("name");
    assert!(name.reason.contains("\"en\""), "{}", name.reason);
    assert_eq!((name.loc.line, name.loc.column), (2, 22));
    let key = at("description.Russian");
    assert!(key.reason.contains("language tag"), "{}", key.reason);
    assert_eq!(key.loc.line, 3);
    assert!(at("description.ar").reason.contains("expected a string"));
    let empty = at("rules[0].description.en");
    assert!(empty.reason.contains("must not be empty"));
    assert_eq!(empty.rule_id.as_deref(), Some("r"));
    assert_eq!(empty.loc.line, 7);
    // The located form the CLI and the options page print.
    assert!(empty.to_string().starts_with("t.json:7:"), "{empty}");
}

#[test]
fn other_values_are_refused() {
    for (name, want) in [
        ("[]", "expected a string, found an array"),
        ("{}", "\"en\""),
        (r#"{"en": "A", "en": "B"}"#, "duplicate language"),
        (r#""  ""#, "must not be empty"),
    ] {
        let e = errors(&pack(name, r#""d""#, r#""d""#));
        assert!(
            e.iter()
                .any(|x| x.path.starts_with("name") && x.reason.contains(want)),
            "{name}: {e:?}"
        );
    }
}

#[test]
fn the_built_in_packs_speak_english_russian_and_arabic() {
    let index: serde_json::Value =
        serde_json::from_str(include_str!("../extension/packs/index.json")).unwrap();
    for file in index["packs"].as_array().unwrap() {
        let path = format!(
            "{}/extension/packs/{}",
            env!("CARGO_MANIFEST_DIR"),
            file.as_str().unwrap()
        );
        let src = std::fs::read_to_string(&path).unwrap();
        let p = Pack::parse(&src, &path).unwrap_or_else(|e| panic!("{e}"));
        for lang in ["en", "ru", "ar"] {
            assert!(p.name_i18n.contains_key(lang), "{path}: name in {lang}");
            assert!(
                p.description_i18n.contains_key(lang),
                "{path}: description in {lang}"
            );
            for r in &p.rules {
                assert!(
                    r.description_i18n.contains_key(lang),
                    "{path}: rule {} description in {lang}",
                    r.id
                );
            }
        }
    }
}
