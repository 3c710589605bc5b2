//! Payment/donation links and Telegram links and @handles.

use super::chars::{char_at, char_before, is_word};
use super::{Checksum, IdKind, IdMatch};

/// How the path after a service prefix is read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Path {
    /// One name segment of `[A-Za-z0-9_.-]`.
    Name,
    /// Optional rest of the URL (e.g. `paypal.com/donate?hosted_button_id=...`).
    Rest,
    /// A Telegram username (5-32 of `[A-Za-z0-9_]`), `s/NAME`, `+INVITE`, `joinchat/INVITE`.
    Telegram,
}

/// Service prefixes (lower case, without scheme or `www.`), the service name and path rule.
const SERVICES: &[(&str, &str, Path)] = &[
    ("paypal.me/", "PayPal", Path::Name),
    ("paypal.com/paypalme/", "PayPal", Path::Name),
    ("paypal.com/donate", "PayPal", Path::Rest),
    ("patreon.com/", "Patreon", Path::Name),
    ("ko-fi.com/", "Ko-fi", Path::Name),
    ("buymeacoffee.com/", "Buy Me a Coffee", Path::Name),
    ("boosty.to/", "Boosty", Path::Name),
    ("donationalerts.com/r/", "DonationAlerts", Path::Name),
    ("gofundme.com/f/", "GoFundMe", Path::Name),
    ("liberapay.com/", "Liberapay", Path::Name),
    ("opencollective.com/", "Open Collective", Path::Name),
    ("cash.app/$", "Cash App", Path::Name),
    ("t.me/", "Telegram", Path::Telegram),
    ("telegram.me/", "Telegram", Path::Telegram),
];

/// Path segments after `patreon.com/` that are site pages, not creators.
const PATREON_PAGES: &[&str] = &[
    "posts",
    "login",
    "signup",
    "home",
    "search",
    "about",
    "policy",
    "legal",
    "messages",
    "settings",
    "notifications",
    "explore",
    "create",
    "product",
];

/// Whether a word starting with `first` (lower-cased ASCII) and followed by `.` or
/// `-` may start a service domain.
#[inline]
pub(crate) fn may_start_link(first: u8) -> bool {
    matches!(
        first,
        b'p' | b'k' | b'b' | b'd' | b'g' | b'l' | b'o' | b'c' | b't'
    )
}

fn starts_with_ci(hay: &[u8], needle: &str) -> bool {
    hay.len() >= needle.len() && hay[..needle.len()].eq_ignore_ascii_case(needle.as_bytes())
}

fn name_len(b: &[u8]) -> usize {
    let mut n = b
        .iter()
        .take(65)
        .take_while(|&&c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'))
        .count();
    while n > 0 && matches!(b[n - 1], b'.' | b'-') {
        n -= 1;
    }
    n
}

fn tg_name_len(b: &[u8]) -> Option<usize> {
    let n = b
        .iter()
        .take(33)
        .take_while(|&&c| c.is_ascii_alphanumeric() || c == b'_')
        .count();
    if !(5..=32).contains(&n) || !b[0].is_ascii_alphabetic() {
        return None;
    }
    if b.get(n)
        .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'_')
    {
        return None;
    }
    Some(n)
}

/// Whether a Telegram username names a bot.
pub(crate) fn tg_detail(name: &[u8]) -> &'static str {
    if name.len() >= 3 && name[name.len() - 3..].eq_ignore_ascii_case(b"bot") {
        "bot"
    } else {
        "channel or user"
    }
}

/// Extends a domain start backwards over `www.` and `http://` / `https://`.
fn extend_back(text: &str, mut start: usize) -> usize {
    let b = text.as_bytes();
    if start >= 4 && b[start - 4..start].eq_ignore_ascii_case(b"www.") {
        start -= 4;
    }
    for scheme in ["https://", "http://"] {
        let l = scheme.len();
        if start >= l && b[start - l..start].eq_ignore_ascii_case(scheme.as_bytes()) {
            return start - l;
        }
    }
    start
}

/// Tries a payment or Telegram link whose domain starts at byte `start`.
pub(crate) fn link_at(text: &str, start: usize) -> Option<IdMatch> {
    let b = text.as_bytes();
    let hay = &b[start..];
    let (prefix, service, path) = SERVICES
        .iter()
        .find(|(p, _, _)| starts_with_ci(hay, p))
        .copied()?;
    let full_start = extend_back(text, start);
    if let Some(c) = char_before(text, full_start) {
        if is_word(c) || matches!(c, '.' | '-' | '@' | '$') {
            return None;
        }
    }
    let p0 = start + prefix.len();
    let rest = &b[p0..];
    let (end, kind, detail) = match path {
        Path::Name => {
            let mut off = 0;
            if service == "Patreon" {
                let n = name_len(rest);
                let seg = &rest[..n];
                if PATREON_PAGES
                    .iter()
                    .any(|p| seg.eq_ignore_ascii_case(p.as_bytes()))
                {
                    return None;
                }
                if (seg.eq_ignore_ascii_case(b"c") || seg.eq_ignore_ascii_case(b"join"))
                    && rest.get(n) == Some(&b'/')
                {
                    off = n + 1;
                }
            }
            let n = name_len(&rest[off..]);
            if n == 0 {
                return None;
            }
            let e = p0 + off + n;
            if char_at(text, e).is_some_and(is_word) {
                return None;
            }
            (e, IdKind::PaymentLink, service)
        }
        Path::Rest => {
            let n = rest
                .iter()
                .take(256)
                .take_while(|&&c| c.is_ascii_graphic() && !b"\"'<>()[]{}`".contains(&c))
                .count();
            let mut n = n;
            while n > 0 && matches!(rest[n - 1], b'.' | b',' | b';' | b':' | b'!' | b'?') {
                n -= 1;
            }
            if n > 0 && !matches!(rest[0], b'/' | b'?' | b'#') {
                return None;
            }
            if n == 0 && char_at(text, p0).is_some_and(is_word) {
                return None;
            }
            (p0 + n, IdKind::PaymentLink, service)
        }
        Path::Telegram => {
            if rest.first() == Some(&b'+') {
                let n = rest[1..]
                    .iter()
                    .take(64)
                    .take_while(|&&c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
                    .count();
                if n < 8 {
                    return None;
                }
                (p0 + 1 + n, IdKind::Telegram, "channel or user")
            } else if starts_with_ci(rest, "joinchat/") {
                let r = &rest[9..];
                let n = r
                    .iter()
                    .take(64)
                    .take_while(|&&c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
                    .count();
                if n < 8 {
                    return None;
                }
                (p0 + 9 + n, IdKind::Telegram, "channel or user")
            } else {
                let off = if starts_with_ci(rest, "s/") { 2 } else { 0 };
                let n = tg_name_len(&rest[off..])?;
                let name = &rest[off..off + n];
                (p0 + off + n, IdKind::Telegram, tg_detail(name))
            }
        }
    };
    let mut value = String::with_capacity(end - start);
    value.push_str(prefix);
    value.push_str(&text[p0..end]);
    Some(IdMatch {
        start: full_start,
        end,
        kind,
        checksum: Checksum::Unchecked,
        value,
        detail,
    })
}

/// Tries a Telegram `@handle` at byte `at` (the `@`, ASCII or fullwidth, `len` bytes).
pub(crate) fn handle_at(text: &str, at: usize, len: usize) -> Option<IdMatch> {
    if let Some(c) = char_before(text, at) {
        if is_word(c) || matches!(c, '.' | '-' | '+' | '/' | '@' | '&' | '=' | '%') {
            return None;
        }
    }
    let b = text.as_bytes();
    let p = at + len;
    let n = tg_name_len(&b[p..])?;
    // `@example.com` is a domain or an e-mail, not a handle.
    if b.get(p + n) == Some(&b'.') && b.get(p + n + 1).is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    if b.get(p + n) == Some(&b'@') || char_at(text, p + n).is_some_and(is_word) {
        return None;
    }
    let name = &text[p..p + n];
    Some(IdMatch {
        start: at,
        end: p + n,
        kind: IdKind::Telegram,
        checksum: Checksum::Unchecked,
        value: format!("@{name}"),
        detail: tg_detail(name.as_bytes()),
    })
}
