//! The model file.
//!
//! ```text
//! offset  size        what
//! 0       8           magic "FLMODEL\0"
//! 8       2           format version, u16 little-endian (this reader: 1)
//! 10      4           header length H, u32 little-endian
//! 14      H           header: UTF-8 JSON (ModelHeader: name, version,
//!                     labels, category, feature spec with hash seed, scale,
//!                     bias, calibration and threshold per script, bands)
//! 14+H    2^bits      weights, i8, one per bucket
//! end-32  32          SHA-256 of every byte before it
//! ```
//!
//! Everything is checked before a model is used: magic, version, lengths,
//! checksum, the header's fields and ranges. A file that fails any check is
//! refused whole with a [`ModelError`] that says which check and where.

use super::{FeatureSpec, Script};
use crate::pack::Severity;
use sha2::{Digest, Sha256};

/// First bytes of every model file.
pub const MAGIC: &[u8; 8] = b"FLMODEL\0";
/// The format version this code reads and writes.
pub const VERSION: u16 = 1;
/// Largest header accepted, in bytes.
const MAX_HEADER: usize = 1 << 20;

/// Calibration of one script: `p = sigmoid(a * raw + b)`, a finding from `threshold`.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Calibration {
    /// Slope.
    pub a: f64,
    /// Intercept.
    pub b: f64,
    /// Probability from which a post is a finding.
    pub threshold: f64,
}

/// From which probability a finding has which severity.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// Lowest probability of the band.
    pub min: f64,
    /// Severity of findings in it.
    pub severity: Severity,
}

/// The model file's header.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelHeader {
    /// Model id, shown as the finding's pack (`[a-z0-9._-]`).
    pub name: String,
    /// Model version, shown with it.
    pub version: String,
    /// Class names: `[negative, positive]`.
    pub labels: [String; 2],
    /// Category of its findings, e.g. `extremism`.
    pub category: String,
    /// What the features are.
    pub spec: FeatureSpec,
    /// Weight of bucket `b` is `weights[b] * scale`.
    pub scale: f64,
    /// Intercept of the linear score.
    pub bias: f64,
    /// Per script: `latin`, `cyrillic`, `arabic`.
    pub calibration: std::collections::BTreeMap<Script, Calibration>,
    /// Severity bands, by increasing `min`.
    pub bands: Vec<Band>,
    /// Most words a finding highlights.
    pub top_words: u8,
    /// Function words never highlighted as a reason ("the", "и", "في"),
    /// whatever their n-grams weigh; compared folded.
    #[serde(default)]
    pub quiet_words: Vec<String>,
    /// How it was made (data, split, figures): free-form, for the model card.
    #[serde(default)]
    pub about: serde_json::Value,
}

impl ModelHeader {
    /// The calibration of a script (checked present at load).
    pub fn calibration(&self, s: Script) -> Calibration {
        self.calibration.get(&s).copied().unwrap_or(Calibration {
            a: 1.0,
            b: 0.0,
            threshold: 0.99,
        })
    }

    /// The severity of a probability (the highest band it reaches).
    pub fn severity(&self, p: f64) -> Severity {
        self.bands
            .iter()
            .filter(|b| p >= b.min)
            .map(|b| b.severity)
            .next_back()
            .unwrap_or(Severity::Low)
    }

    fn check(&self) -> Result<(), String> {
        self.spec.check()?;
        let ident = |s: &str| {
            !s.is_empty()
                && s.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
        };
        if !ident(&self.name) || !ident(&self.category) {
            return Err("name and category must be [a-z0-9._-]".into());
        }
        if !(self.scale.is_finite() && self.scale > 0.0 && self.bias.is_finite()) {
            return Err("scale must be positive and finite, bias finite".into());
        }
        for s in Script::ALL {
            let c = self
                .calibration
                .get(&s)
                .ok_or(format!("calibration of {} missing", s.as_str()))?;
            if !(c.a.is_finite() && c.b.is_finite() && c.threshold > 0.0 && c.threshold < 1.0) {
                return Err(format!(
                    "calibration of {}: a, b finite, threshold in (0, 1)",
                    s.as_str()
                ));
            }
        }
        if self.bands.is_empty() || self.bands.windows(2).any(|w| w[0].min >= w[1].min) {
            return Err("bands: at least one, by increasing min".into());
        }
        if self.top_words == 0 {
            return Err("top_words must be at least 1".into());
        }
        Ok(())
    }
}

/// Why a model file was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelError {
    /// Shorter than the fixed parts.
    Truncated {
        /// Bytes in the file.
        len: usize,
        /// Bytes the fixed parts and the header need.
        need: usize,
    },
    /// Not a flaglight model file.
    BadMagic,
    /// Written by another format version.
    UnsupportedVersion(u16),
    /// The header is not valid JSON of the expected shape, or out of range.
    BadHeader(String),
    /// The weights are not `2^buckets_log2` bytes.
    WrongSize {
        /// Bytes expected.
        expected: usize,
        /// Bytes found.
        found: usize,
    },
    /// The SHA-256 at the end does not match the content.
    Checksum,
}

impl std::fmt::Display for ModelError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ModelError::Truncated { len, need } => {
                write!(f, "model file: truncated ({len} bytes, at least {need} needed)")
            }
            ModelError::BadMagic => write!(f, "model file: bytes 0-7 are not \"FLMODEL\\0\" (not a model file)"),
            ModelError::UnsupportedVersion(v) => write!(
                f,
                "model file: format version {v} at byte 8, this build reads version {VERSION}: use a model made for this version"
            ),
            ModelError::BadHeader(e) => write!(f, "model file: header (from byte 14): {e}"),
            ModelError::WrongSize { expected, found } => write!(
                f,
                "model file: {found} bytes of weights after the header, the spec needs {expected}"
            ),
            ModelError::Checksum => write!(f, "model file: the SHA-256 in its last 32 bytes does not match (corrupted)"),
        }
    }
}

impl std::error::Error for ModelError {}

/// Reads and checks a model file.
pub fn read(bytes: &[u8]) -> Result<(ModelHeader, Vec<i8>), ModelError> {
    let fixed = MAGIC.len() + 2 + 4;
    let truncated = |need| ModelError::Truncated {
        len: bytes.len(),
        need,
    };
    if bytes.len() < fixed + 32 {
        return Err(truncated(fixed + 32));
    }
    if &bytes[..8] != MAGIC {
        return Err(ModelError::BadMagic);
    }
    let version = u16::from_le_bytes([bytes[8], bytes[9]]);
    if version != VERSION {
        return Err(ModelError::UnsupportedVersion(version));
    }
    let hlen = u32::from_le_bytes([bytes[10], bytes[11], bytes[12], bytes[13]]) as usize;
    if hlen > MAX_HEADER {
        return Err(ModelError::BadHeader(format!(
            "{hlen} bytes, over the limit of {MAX_HEADER}"
        )));
    }
    if bytes.len() < fixed + hlen + 32 {
        return Err(truncated(fixed + hlen + 32));
    }
    let (body, sum) = bytes.split_at(bytes.len() - 32);
    if Sha256::digest(body).as_slice() != sum {
        return Err(ModelError::Checksum);
    }
    let header: ModelHeader = serde_json::from_slice(&body[fixed..fixed + hlen])
        .map_err(|e| ModelError::BadHeader(e.to_string()))?;
    header.check().map_err(ModelError::BadHeader)?;
    let weights = &body[fixed + hlen..];
    if weights.len() != header.spec.buckets() {
        return Err(ModelError::WrongSize {
            expected: header.spec.buckets(),
            found: weights.len(),
        });
    }
    Ok((header, weights.iter().map(|&b| b as i8).collect()))
}

/// Writes a model file (the training script writes the same bytes; tests
/// use this to make small models).
pub fn write(header: &ModelHeader, weights: &[i8]) -> Vec<u8> {
    let json = serde_json::to_vec(header).unwrap_or_default();
    let mut out = Vec::with_capacity(14 + json.len() + weights.len() + 32);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&(json.len() as u32).to_le_bytes());
    out.extend_from_slice(&json);
    out.extend(weights.iter().map(|&w| w as u8));
    let sum = Sha256::digest(&out);
    out.extend_from_slice(&sum);
    out
}
