//! Official and hand-made vectors through `scan` and the public validators.
//!
//! Data files live in tests/vectors/ (see its README for sources and commits).

use flaglight::ids::{self, Checksum, IdKind, IdMatch};
use serde_json::Value;

fn load(name: &str) -> Value {
    let path = format!("{}/tests/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect()
}

/// The sentences each valid identifier is embedded in (en, ru, ar).
const FRAMES: [(&str, &str); 3] = [
    ("Please send your donation to ", " today, thank you."),
    ("Переведите пожертвование на ", " — спасибо, братья!"),
    ("تبرعوا عبر ", " جزاكم الله خيرا"),
];

fn kind_matches(ms: &[IdMatch], kind: IdKind) -> Vec<&IdMatch> {
    ms.iter().filter(|m| m.kind == kind).collect()
}

/// Asserts `id` is found as `kind` alone and in each frame, covering exactly the
/// identifier; returns the match found alone.
fn assert_found(id: &str, kind: IdKind) -> IdMatch {
    let ms = ids::scan(id);
    let m = ms
        .iter()
        .find(|m| m.kind == kind && m.start == 0 && m.end == id.len())
        .unwrap_or_else(|| panic!("{id:?} not found as {kind:?} alone: {ms:?}"))
        .clone();
    for (pre, post) in FRAMES {
        let text = format!("{pre}{id}{post}");
        let ms = ids::scan(&text);
        let hit = ms.iter().any(|x| {
            x.kind == kind
                && x.start == pre.len()
                && x.end == pre.len() + id.len()
                && x.value == m.value
        });
        assert!(hit, "{id:?} not found as {kind:?} in {text:?}: {ms:?}");
    }
    m
}

/// Asserts `id` is never found as `kind`, alone or in a frame.
fn assert_not_found(id: &str, kind: IdKind) {
    let ms = ids::scan(id);
    assert!(
        kind_matches(&ms, kind).is_empty(),
        "{id:?} found as {kind:?}: {ms:?}"
    );
    for (pre, post) in FRAMES {
        let text = format!("{pre}{id}{post}");
        let ms = ids::scan(&text);
        assert!(
            kind_matches(&ms, kind).is_empty(),
            "{id:?} found as {kind:?} in {text:?}: {ms:?}"
        );
    }
}

fn spk_hex(version: u8, program: &[u8]) -> String {
    let mut s = format!(
        "{:02x}{:02x}",
        if version == 0 { 0 } else { 0x50 + version },
        program.len()
    );
    for b in program {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

#[test]
fn bip173_vectors() {
    let v = load("bip173.json");
    for s in strs(&v["bech32_valid"]) {
        let d = ids::bech32_decode(&s).unwrap_or_else(|| panic!("{s} should decode"));
        assert_eq!(d.variant, ids::Bech32Variant::Bech32, "{s}");
    }
    for x in v["bech32_invalid"].as_array().unwrap() {
        let s = x["string"].as_str().unwrap();
        let d = ids::bech32_decode(s);
        assert!(
            d.is_none_or(|d| d.variant != ids::Bech32Variant::Bech32),
            "{s:?}"
        );
    }
    let (mut found, mut rejected) = (0, 0);
    for x in v["segwit_valid"].as_array().unwrap() {
        let a = x["address"].as_str().unwrap();
        let spk = x["scriptpubkey"].as_str().unwrap();
        let hrp = if a.to_ascii_lowercase().starts_with("bc1") {
            "bc"
        } else {
            "tb"
        };
        if spk.starts_with("00") {
            let (ver, prog) = ids::segwit_decode(hrp, a).unwrap_or_else(|| panic!("{a}"));
            assert_eq!(spk_hex(ver, &prog), spk, "{a}");
            if hrp == "bc" {
                assert_found(a, IdKind::Btc);
                found += 1;
            } else {
                assert_not_found(a, IdKind::Btc);
                rejected += 1;
            }
        } else {
            // Witness v1+ written in Bech32: valid under BIP-173, invalid since BIP-350.
            assert!(ids::segwit_decode(hrp, a).is_none(), "{a} (v1+ bech32)");
            assert_not_found(a, IdKind::Btc);
            rejected += 1;
        }
    }
    for x in v["segwit_invalid"].as_array().unwrap() {
        let a = x["address"].as_str().unwrap();
        assert!(ids::segwit_decode("bc", a).is_none(), "{a}");
        assert!(ids::segwit_decode("tb", a).is_none(), "{a}");
        assert_not_found(a, IdKind::Btc);
        rejected += 1;
    }
    eprintln!("BIP-173: {found} mainnet found, {rejected} testnet/invalid rejected");
}

#[test]
fn bip350_vectors() {
    let v = load("bip350.json");
    for s in strs(&v["bech32m_valid"]) {
        let d = ids::bech32_decode(&s).unwrap_or_else(|| panic!("{s} should decode"));
        assert_eq!(d.variant, ids::Bech32Variant::Bech32m, "{s}");
    }
    for x in v["bech32m_invalid"].as_array().unwrap() {
        let s = x["string"].as_str().unwrap();
        let d = ids::bech32_decode(s);
        assert!(
            d.is_none_or(|d| d.variant != ids::Bech32Variant::Bech32m),
            "{s:?}"
        );
    }
    let (mut found, mut rejected) = (0, 0);
    for x in v["segwit_valid"].as_array().unwrap() {
        let a = x["address"].as_str().unwrap();
        let spk = x["scriptpubkey"].as_str().unwrap();
        let hrp = if a.to_ascii_lowercase().starts_with("bc1") {
            "bc"
        } else {
            "tb"
        };
        let (ver, prog) = ids::segwit_decode(hrp, a).unwrap_or_else(|| panic!("{a}"));
        assert_eq!(spk_hex(ver, &prog), spk, "{a}");
        if hrp == "bc" {
            let m = assert_found(a, IdKind::Btc);
            assert_eq!(m.checksum, Checksum::Valid);
            found += 1;
        } else {
            assert_not_found(a, IdKind::Btc);
            rejected += 1;
        }
    }
    for x in v["segwit_invalid"].as_array().unwrap() {
        let a = x["address"].as_str().unwrap();
        assert!(ids::segwit_decode("bc", a).is_none(), "{a}");
        assert!(ids::segwit_decode("tb", a).is_none(), "{a}");
        assert_not_found(a, IdKind::Btc);
        rejected += 1;
    }
    eprintln!("BIP-350: {found} mainnet found, {rejected} testnet/invalid rejected");
}

#[test]
fn bitcoin_core_key_io() {
    let v = load("bitcoin_core_key_io.json");
    let (mut found, mut rejected) = (0, 0);
    for x in v["valid"].as_array().unwrap() {
        let a = x["address"].as_str().unwrap();
        let main = x["chain"] == "main" && x["isPrivkey"] == false;
        if main {
            let m = assert_found(a, IdKind::Btc);
            assert_eq!(ids::validate_btc(a), Some(m.detail));
            found += 1;
        } else {
            assert_not_found(a, IdKind::Btc);
            assert!(ids::validate_btc(a).is_none(), "{a}");
            rejected += 1;
        }
    }
    for a in strs(&v["invalid"]) {
        assert_not_found(&a, IdKind::Btc);
        let others: Vec<_> = ids::scan(&a)
            .into_iter()
            .filter(|m| m.kind != IdKind::Telegram)
            .collect();
        assert!(others.is_empty(), "{a} found as {others:?}");
        rejected += 1;
    }
    eprintln!("Bitcoin Core key_io: {found} mainnet found, {rejected} other/invalid rejected");
}

#[test]
fn erc55_vectors() {
    let v = load("erc55.json");
    let mut n = 0;
    for (group, want) in [
        ("all_caps", Checksum::Unchecked),
        ("all_lower", Checksum::Unchecked),
        ("normal", Checksum::Valid),
    ] {
        for a in strs(&v[group]) {
            // The all-caps vectors are written 0x + upper-case hex.
            let m = assert_found(&a, IdKind::Eth);
            assert_eq!(m.checksum, want, "{a}");
            assert_eq!(ids::validate_eth(&a), Some(want));
            if want == Checksum::Valid {
                assert_eq!(
                    ids::to_eip55(&a.to_ascii_lowercase()).as_deref(),
                    Some(a.as_str())
                );
                // Flip the case of each letter in turn: always rejected.
                for (i, c) in a.char_indices().skip(2) {
                    if c.is_ascii_alphabetic() {
                        let mut b = a.clone().into_bytes();
                        b[i] ^= 0x20;
                        let bad = String::from_utf8(b).unwrap();
                        assert_not_found(&bad, IdKind::Eth);
                    }
                }
            }
            n += 1;
        }
    }
    eprintln!("ERC-55: {n} found");
}

#[test]
fn stdnum_iban_vectors() {
    let v = load("stdnum_iban.json");
    let mut found = 0;
    for s in strs(&v["valid"]) {
        let m = assert_found(&s, IdKind::Iban);
        let compact: String = s
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        assert_eq!(m.value, compact);
        assert_eq!(ids::validate_iban(&s), Some(m.detail));
        found += 1;
    }
    let mut rejected = 0;
    for key in [
        "invalid_checksum",
        "invalid_length",
        "invalid_structure",
        "invalid_country_specific",
    ] {
        for s in strs(&v[key]) {
            assert_not_found(&s, IdKind::Iban);
            assert!(ids::validate_iban(&s).is_none(), "{s}");
            rejected += 1;
        }
    }
    eprintln!("python-stdnum IBAN: {found} found, {rejected} rejected");
}

#[test]
fn stdnum_luhn_vectors() {
    let v = load("stdnum_luhn.json");
    for s in strs(&v["valid"]) {
        assert!(ids::luhn_valid(&s), "{s}");
    }
    for s in strs(&v["invalid"]) {
        assert!(!ids::luhn_valid(&s), "{s}");
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn monero_base58_vectors() {
    let v = load("monero_base58.json");
    for key in ["decode_pos", "encode"] {
        for x in v[key].as_array().unwrap() {
            let enc = x["enc"].as_str().unwrap();
            let got = ids::monero_base58_decode(enc).unwrap_or_else(|| panic!("{enc}"));
            assert_eq!(hex(&got), x["hex"].as_str().unwrap(), "{enc}");
        }
    }
    for enc in strs(&v["decode_neg"]) {
        assert!(ids::monero_base58_decode(&enc).is_none(), "{enc}");
    }
    for x in v["addr"].as_array().unwrap() {
        let a = x["addr"].as_str().unwrap();
        let (tag, data) = ids::monero_decode_address(a).unwrap_or_else(|| panic!("{a}"));
        assert_eq!(tag, x["tag"].as_u64().unwrap(), "{a}");
        assert_eq!(hex(&data), x["hex"].as_str().unwrap(), "{a}");
    }
    for a in strs(&v["addr_neg"]) {
        assert!(ids::monero_decode_address(&a).is_none(), "{a:?}");
    }
    let a = v["mainnet_address"].as_str().unwrap();
    let m = assert_found(a, IdKind::Xmr);
    assert_eq!(m.detail, "standard");
}

fn panic_text(e: Box<dyn std::any::Any + Send>) -> String {
    e.downcast_ref::<String>()
        .cloned()
        .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

#[test]
fn handmade_vectors() {
    let v = load("handmade.json");
    let mut per_kind = std::collections::BTreeMap::<&str, (usize, usize)>::new();
    let mut errors = Vec::new();
    for x in v["valid"].as_array().unwrap() {
        let kind = IdKind::parse(x["kind"].as_str().unwrap()).unwrap();
        let text = x["text"].as_str().unwrap();
        let m = match std::panic::catch_unwind(|| assert_found(text, kind)) {
            Ok(m) => m,
            Err(e) => {
                errors.push(panic_text(e));
                continue;
            }
        };
        assert_eq!(m.value, x["value"].as_str().unwrap(), "{text}");
        if let Some(d) = x["detail"].as_str() {
            assert_eq!(m.detail, d, "{text}");
        }
        let want = match x["checksum"].as_str() {
            Some("unchecked") => Checksum::Unchecked,
            Some(_) => Checksum::Valid,
            None => match kind {
                IdKind::Phone | IdKind::WebMoney | IdKind::PaymentLink | IdKind::Telegram => {
                    Checksum::Unchecked
                }
                _ => Checksum::Valid,
            },
        };
        assert_eq!(m.checksum, want, "{text}");
        per_kind.entry(kind.as_str()).or_default().0 += 1;
    }
    for x in v["invalid"].as_array().unwrap() {
        let kind = IdKind::parse(x["kind"].as_str().unwrap()).unwrap();
        let text = x["text"].as_str().unwrap();
        if let Err(e) = std::panic::catch_unwind(|| assert_not_found(text, kind)) {
            errors.push(panic_text(e));
            continue;
        }
        per_kind.entry(kind.as_str()).or_default().1 += 1;
    }
    assert!(
        errors.is_empty(),
        "{} failures:\n{}",
        errors.len(),
        errors.join("\n")
    );
    for (k, (f, r)) in per_kind {
        eprintln!("hand-made {k}: {f} found, {r} rejected");
    }
}
