//! Payment identifiers: candidates and checksum validation.
//!
//! STUB: the real implementation replaces this module. The public API below is the contract.

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

/// Finds every valid payment identifier in `text` (one block of page text).
pub fn scan(text: &str) -> Vec<IdMatch> {
    let _ = text;
    Vec::new()
}
