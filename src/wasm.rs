//! The WebAssembly binding: converts values and forwards to the core. No logic here.

use crate::engine::{self, Engine};
use crate::model::{Model, Script};
use crate::normalize;
use crate::pack::{Pack, PackErrors};
use serde::Serialize;
use wasm_bindgen::prelude::*;

fn to_js<T: Serialize + ?Sized>(v: &T) -> JsValue {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or(JsValue::NULL)
}

/// One pack error as JS sees it.
#[derive(Serialize)]
struct ErrorJs {
    source: String,
    line: u32,
    column: u32,
    path: String,
    rule_id: Option<String>,
    reason: String,
    message: String,
}

fn error_list(e: &PackErrors) -> Vec<ErrorJs> {
    e.errors()
        .iter()
        .map(|x| ErrorJs {
            source: x.source.clone(),
            line: x.loc.line,
            column: x.loc.column,
            path: x.path.clone(),
            rule_id: x.rule_id.clone(),
            reason: x.reason.clone(),
            message: x.to_string(),
        })
        .collect()
}

/// Compiled packs, ready to scan.
#[wasm_bindgen]
pub struct WasmEngine {
    inner: Engine,
}

#[wasm_bindgen]
impl WasmEngine {
    /// Compiles packs given as parallel arrays of source names and JSON texts.
    /// Throws an array of located errors.
    #[wasm_bindgen(constructor)]
    pub fn new(sources: Vec<String>, jsons: Vec<String>) -> Result<WasmEngine, JsValue> {
        let pairs: Vec<(&str, &str)> = sources
            .iter()
            .map(String::as_str)
            .zip(jsons.iter().map(String::as_str))
            .collect();
        Engine::from_json(&pairs)
            .map(|inner| WasmEngine { inner })
            .map_err(|e| to_js(&error_list(&e)))
    }

    /// Scans text; returns findings flattened, `ENCODED_FIELDS` numbers each.
    pub fn scan(&self, text: &str, block_starts: &[u32]) -> Vec<u32> {
        engine::encode(&self.inner.scan(text, block_starts))
    }

    /// Numbers per finding in `scan`'s result.
    #[wasm_bindgen(getter)]
    pub fn fields(&self) -> u32 {
        engine::ENCODED_FIELDS as u32
    }

    /// Metadata of every rule, indexed by the rule number in findings.
    pub fn rules(&self) -> JsValue {
        to_js(self.inner.rules())
    }

    /// Names of finding kinds, indexed by the kind number in findings.
    pub fn kinds(&self) -> JsValue {
        to_js(&self.inner.kind_names())
    }

    /// Runs every rule's examples; returns the failures.
    pub fn check_examples(&self) -> JsValue {
        to_js(&self.inner.check_examples())
    }

    /// Sets the post-level model from a model file's bytes (the rules list
    /// gains the model's rule). Throws the loader's message when the file
    /// is refused; the engine then keeps scanning with its packs alone.
    pub fn set_model(&mut self, bytes: &[u8]) -> Result<(), JsValue> {
        let model = Model::load(bytes).map_err(|e| JsValue::from_str(&e.to_string()))?;
        self.inner.set_model(Some(model));
        Ok(())
    }

    /// Removes the post-level model.
    pub fn clear_model(&mut self) {
        self.inner.set_model(None);
    }

    /// The model's header (name, version, thresholds in use), or `null`.
    pub fn model_info(&self) -> JsValue {
        match self.inner.model() {
            Some(m) => to_js(&ModelInfo::of(m)),
            None => JsValue::NULL,
        }
    }

    /// Sets the threshold of one script (`latin`, `cyrillic`, `arabic`):
    /// the moderator's sensitivity. Returns false for an unknown script.
    pub fn set_model_threshold(&mut self, script: &str, threshold: f64) -> bool {
        let Some(s) = Script::ALL.into_iter().find(|s| s.as_str() == script) else {
            return false;
        };
        match self.inner.model_mut() {
            Some(m) => {
                m.set_threshold(s, threshold);
                true
            }
            None => false,
        }
    }
}

/// What the extension shows about the model.
#[derive(Serialize)]
struct ModelInfo {
    name: String,
    version: String,
    category: String,
    /// Thresholds in use, and the file's, per script.
    thresholds: std::collections::BTreeMap<&'static str, (f64, f64)>,
}

impl ModelInfo {
    fn of(m: &Model) -> ModelInfo {
        let h = m.header();
        ModelInfo {
            name: h.name.clone(),
            version: h.version.clone(),
            category: h.category.clone(),
            thresholds: Script::ALL
                .into_iter()
                .map(|s| (s.as_str(), (m.threshold(s), h.calibration(s).threshold)))
                .collect(),
        }
    }
}

/// Folds text the way the engine does (for explanations).
#[wasm_bindgen]
pub fn fold(text: &str) -> String {
    normalize::fold_pattern(text)
}

/// Validates one pack: returns `{ok: true, id, name, version, languages,
/// rules}` or `{ok: false, errors: [...]}` with every error located.
#[wasm_bindgen]
pub fn validate_pack(json: &str, source: &str) -> JsValue {
    #[derive(Serialize)]
    struct Summary<'a> {
        ok: bool,
        id: &'a str,
        name: &'a str,
        version: &'a str,
        languages: &'a [String],
        rules: usize,
    }
    #[derive(Serialize)]
    struct Failed {
        ok: bool,
        errors: Vec<ErrorJs>,
    }
    match Pack::parse(json, source) {
        Ok(p) => to_js(&Summary {
            ok: true,
            id: &p.id,
            name: &p.name,
            version: &p.version,
            languages: &p.languages,
            rules: p.rules.len(),
        }),
        Err(e) => to_js(&Failed {
            ok: false,
            errors: error_list(&e),
        }),
    }
}

/// One payment identifier as JS sees it (offsets in UTF-16 code units).
#[derive(Serialize)]
struct IdJs {
    kind: &'static str,
    value: String,
    detail: &'static str,
    checksum: &'static str,
    start: usize,
    end: usize,
}

/// The validated payment identifiers in a text, with their canonical value
/// (separators removed, digits ASCII): the sightings store keys them by it.
/// `[{kind, value, detail, checksum, start, end}]`, sorted by start.
#[wasm_bindgen]
pub fn ids_in(text: &str) -> JsValue {
    // A cursor: starts come sorted, an end may lie past the next start.
    let (mut at, mut units) = (0, 0);
    let mut utf16 = |byte: usize| {
        if byte < at {
            (at, units) = (0, 0);
        }
        units += text.get(at..byte).map_or(0, |s| s.encode_utf16().count());
        at = byte;
        units
    };
    let list: Vec<IdJs> = crate::ids::scan(text)
        .into_iter()
        .map(|m| IdJs {
            kind: m.kind.as_str(),
            detail: m.detail,
            checksum: match m.checksum {
                crate::ids::Checksum::Valid => "valid",
                crate::ids::Checksum::Unchecked => "unchecked",
            },
            start: utf16(m.start),
            end: utf16(m.end),
            value: m.value,
        })
        .collect();
    to_js(&list)
}

/// Finds a flag's quoted passage in page text, exactly or approximately.
/// `position` < 0 means unknown. Returns `[start, end, distance, score]`
/// (UTF-16 units; score 0-1), or `undefined` when it cannot be anchored.
#[wasm_bindgen]
pub fn anchor_quote(
    text: &str,
    exact: &str,
    prefix: &str,
    suffix: &str,
    position: f64,
) -> Option<Vec<f64>> {
    let sel = crate::anchor::QuoteSelector {
        exact,
        prefix,
        suffix,
        position: (position >= 0.0).then_some(position as u32),
    };
    crate::anchor::anchor(text, &sel)
        .map(|a| vec![a.start as f64, a.end as f64, a.distance as f64, a.score])
}
