//! Payment identifiers: candidates and checksum validation.
//!
//! [`scan`] finds candidates in one block of page text with a cheap byte scan and
//! keeps only those that validate: bank cards (IIN table + Luhn), IBANs (registry
//! length and structure + mod 97-10), Bitcoin (Base58Check, Bech32/Bech32m),
//! Ethereum (EIP-55), Tron, Litecoin, Dogecoin, Zcash transparent, Monero, YooMoney,
//! WebMoney, phone numbers, payment links and Telegram links/handles. A failed
//! checksum is never a finding. Digits in Arabic-Indic, Extended Arabic-Indic and
//! fullwidth forms are folded to ASCII for the check; zero-width characters inside
//! a candidate are ignored; offsets are bytes of the original text.
//!
//! The per-format validators are public too, for tests and for callers that already
//! hold a candidate string.
//!
//! # What counts as written form
//!
//! - Numbers: digit groups joined by 1-3 spaces (NBSP and thin spaces included), one
//!   dash (spaces around it allowed), one dot, or one bracket (phones); a run of
//!   groups is cut into cards, phones and YooMoney wallets, and nothing is joined
//!   across any other character. A number glued to a word, a URL path or query, `#`,
//!   `№`, `ID-`, a version or a decimal is not a candidate.
//! - Cards: compact, or groups of four (last group 1-4; Amex 4-6-5), any one
//!   separator kind; irregular whitespace groupings of 16-19 digits only when they
//!   are the whole run. A neighbouring group in the same grouping (a longer number)
//!   rejects the candidate, unless it starts a second card. Round or evenly stepped
//!   groups ("5000 5100 5200 5300") are a list of numbers, not a card. Visa 13 and
//!   Maestro 12-15 only when grouped; UnionPay failing Luhn is reported `Unchecked`
//!   only when grouped like a card, never compact.
//! - Phones (`Unchecked`): `+` and 8-15 digits (`+7`/`+1`: exactly 11), not thousands
//!   groups or dates; Russian `8` + 10 digits with an area code starting 3/4/8/9;
//!   `79XXXXXXXXX` (QIWI wallets are written this way). Values are E.164 (`+7...`).
//! - YooMoney: 11-16 digits starting `4100`, compact or space-grouped, check digits.
//! - IBAN: country code, check digits, BBAN matching the registry structure for that
//!   country, mod 97 = 1 (Spain: national check digits too); compact or groups joined
//!   by single spaces, dashes or dots; any case.
//! - Addresses: one word of ASCII letters and digits (fullwidth folded, zero-width
//!   characters skipped) with the exact length and alphabet of its format.

#![warn(missing_docs)]

mod base58;
mod bech32;
mod card;
mod chars;
mod eth;
mod iban;
mod links;
mod luhn;
mod monero;
mod ru;
mod scan;

pub use base58::{base58_decode, base58check_decode, validate_base58_address};
pub use bech32::{bech32_decode, segwit_decode, Bech32Decoded, Bech32Variant};
pub use card::validate_card;
pub use eth::{to_eip55, validate_eth};
pub use iban::validate_iban;
pub use luhn::luhn_valid;
pub use monero::{monero_base58_decode, monero_decode_address, validate_xmr};
pub use ru::{validate_phone, validate_webmoney, validate_yoomoney};

/// The kind of a payment identifier; `as_str` gives the CLI/JSON name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IdKind {
    /// Bank card number (PAN).
    Card,
    /// International bank account number.
    Iban,
    /// Bitcoin mainnet address.
    Btc,
    /// Ethereum / EVM address.
    Eth,
    /// Tron address (USDT-TRC20).
    Trx,
    /// Litecoin address.
    Ltc,
    /// Dogecoin address.
    Doge,
    /// Zcash transparent address.
    Zec,
    /// Monero address.
    Xmr,
    /// YooMoney (Yandex.Money) wallet.
    YooMoney,
    /// WebMoney purse.
    WebMoney,
    /// Phone number (QIWI wallets are phone numbers).
    Phone,
    /// Payment or donation link.
    PaymentLink,
    /// Telegram handle, bot or t.me link.
    Telegram,
}

impl IdKind {
    /// Every kind, in a stable order (the index is the kind's number on the Wasm boundary).
    pub const ALL: [IdKind; 14] = [
        IdKind::Card,
        IdKind::Iban,
        IdKind::Btc,
        IdKind::Eth,
        IdKind::Trx,
        IdKind::Ltc,
        IdKind::Doge,
        IdKind::Zec,
        IdKind::Xmr,
        IdKind::YooMoney,
        IdKind::WebMoney,
        IdKind::Phone,
        IdKind::PaymentLink,
        IdKind::Telegram,
    ];

    /// The name used in packs, the CLI and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            IdKind::Card => "card",
            IdKind::Iban => "iban",
            IdKind::Btc => "btc",
            IdKind::Eth => "eth",
            IdKind::Trx => "trx",
            IdKind::Ltc => "ltc",
            IdKind::Doge => "doge",
            IdKind::Zec => "zec",
            IdKind::Xmr => "xmr",
            IdKind::YooMoney => "yoomoney",
            IdKind::WebMoney => "webmoney",
            IdKind::Phone => "phone",
            IdKind::PaymentLink => "payment_link",
            IdKind::Telegram => "telegram",
        }
    }

    /// The kind's position in [`IdKind::ALL`] (declaration order).
    pub fn index(self) -> usize {
        self as usize
    }

    /// Parses a name from [`IdKind::as_str`].
    pub fn parse(s: &str) -> Option<IdKind> {
        IdKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Whether a checksum vouches for the identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checksum {
    /// The format has a checksum and it passed.
    Valid,
    /// The format (or this form of it) carries no checksum: accepted on shape alone.
    Unchecked,
}

/// One identifier found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdMatch {
    /// Byte offset in the scanned text where the identifier starts.
    pub start: usize,
    /// Byte offset in the scanned text where it ends (exclusive).
    pub end: usize,
    /// What it is.
    pub kind: IdKind,
    /// Checksum status.
    pub checksum: Checksum,
    /// Canonical value (separators removed, digits in ASCII), e.g. "4012888888881881".
    pub value: String,
    /// Short human detail: scheme or address type, e.g. "Visa", "P2WPKH (bech32)".
    pub detail: &'static str,
}

/// Finds every valid payment identifier in `text` (one block of page text), sorted
/// by start offset. Never panics; linear in the length of `text`.
pub fn scan(text: &str) -> Vec<IdMatch> {
    scan::scan(text)
}

/// Validates a Bitcoin mainnet address (Base58Check P2PKH/P2SH, or Bech32 v0 /
/// Bech32m v1+ with HRP `bc`). Returns the address type, e.g. "P2PKH",
/// "P2WPKH (bech32)", "P2TR (bech32m)". Testnet addresses are rejected.
pub fn validate_btc(s: &str) -> Option<&'static str> {
    match validate(IdKind::Btc, s) {
        Some((_, d)) => Some(d),
        None => None,
    }
}

/// Validates one candidate string (as written, without surrounding text) as the given
/// kind. Returns the checksum status and detail, exactly as [`scan`] would report a
/// match of that kind covering the whole string. Numbers may contain separators.
pub fn validate(kind: IdKind, s: &str) -> Option<(Checksum, &'static str)> {
    scan::scan(s)
        .into_iter()
        .find(|m| m.kind == kind && m.start == 0 && m.end == s.len())
        .map(|m| (m.checksum, m.detail))
}
