//! Every identifier validator and the candidate scanner: matches inside the
//! text on char boundaries, and each reported match validates on its own.
#![no_main]
use flaglight::ids::{self, IdKind};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for m in ids::scan(text) {
        assert!(m.start < m.end && m.end <= text.len());
        assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
        assert!(!m.value.is_empty());
    }
    for kind in IdKind::ALL {
        let _ = ids::validate(kind, text);
    }
    let _ = ids::luhn_valid(text);
    let _ = ids::validate_card(text);
    let _ = ids::validate_iban(text);
    let _ = ids::validate_eth(text);
    let _ = ids::validate_btc(text);
    let _ = ids::validate_xmr(text);
    let _ = ids::validate_base58_address(text);
    let _ = ids::base58check_decode(text);
    let _ = ids::bech32_decode(text);
    let _ = ids::segwit_decode("bc", text);
    let _ = ids::segwit_decode("ltc", text);
    let _ = ids::validate_yoomoney(text);
    let _ = ids::validate_webmoney(text);
    let _ = ids::validate_phone(text);
});
