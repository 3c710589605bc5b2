#!/usr/bin/env python3
"""Writes tests/vectors/handmade.json: hand-made vectors for the ids module.

Addresses are built here with an implementation independent of the Rust code
(Python's hashlib for SHA-256, pycryptodome for Keccak-256, Bech32 from the BIP-173
description), from fixed seeds, so the file is reproducible:
    pip install pycryptodome && python3 tests/vectors/gen_handmade.py
"""
import hashlib, json, os, random
from Crypto.Hash import keccak

rng = random.Random(20240601)
B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

def b58(data):
    n = int.from_bytes(data, "big"); s = ""
    while n: n, r = divmod(n, 58); s = B58[r] + s
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + s

def b58check(payload):
    c = hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    return b58(payload + c)

def k256(b):
    h = keccak.new(digest_bits=256); h.update(b); return h.digest()

def xmr_b58(data):
    sizes = [0, 2, 3, 5, 6, 7, 9, 10, 11]; out = ""
    for i in range(0, len(data), 8):
        blk = data[i:i+8]; n = int.from_bytes(blk, "big"); s = ""
        for _ in range(sizes[len(blk)]): n, r = divmod(n, 58); s = B58[r] + s
        out += s
    return out

def xmr_addr(tag, data):
    body = bytes([tag]) + data
    return xmr_b58(body + k256(body)[:4])

CS = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
def polymod(v):
    g = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3]; c = 1
    for x in v:
        b = c >> 25; c = (c & 0x1ffffff) << 5 ^ x
        for i in range(5): c ^= g[i] if (b >> i) & 1 else 0
    return c
def bech32_addr(hrp, ver, prog):
    acc = bits = 0; d = []
    for x in prog:
        acc = acc << 8 | x; bits += 8
        while bits >= 5: bits -= 5; d.append(acc >> bits & 31)
    if bits: d.append(acc << (5 - bits) & 31)
    data = [ver] + d
    const = 1 if ver == 0 else 0x2bc830a3
    hx = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    pm = polymod(hx + data + [0] * 6) ^ const
    chk = [(pm >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(CS[x] for x in data + chk)

def luhn_digit(s):
    t = 0
    for i, c in enumerate(reversed(s)):
        v = int(c)
        if i % 2 == 0: v *= 2; v -= 9 if v > 9 else 0
        t += v
    return str((10 - t % 10) % 10)

def ym_check(e_without_z):
    n = int(e_without_z[0]); x = e_without_z[1:1+n]; y = e_without_z[1+n:]
    seq = (y[::-1].ljust(20, "0") + x[::-1].ljust(10, "0"))
    s = sum((int(c) or 10) * pow(13, k + 2, 99) for k, c in enumerate(seq))
    return "%02d" % (s % 99 + 1)

def mutate(s, alphabet=B58):
    # change one character in the middle to another of the alphabet
    i = len(s) // 2
    c = next(a for a in alphabet[::-1] if a != s[i])
    return s[:i] + c + s[i+1:]

valid, invalid = [], []
def V(kind, text, value=None, detail=None):
    valid.append({"kind": kind, "text": text, "value": value if value is not None else text, "detail": detail})
def I(kind, text, why):
    invalid.append({"kind": kind, "text": text, "why": why})

# --- Base58Check coins -------------------------------------------------------
for ver, kind, detail in [(b"\x41", "trx", "Base58Check"), (b"\x30", "ltc", "P2PKH"), (b"\x32", "ltc", "P2SH"),
                          (b"\x1e", "doge", "P2PKH"), (b"\x16", "doge", "P2SH"), (b"\x00", "btc", "P2PKH"),
                          (b"\x05", "btc", "P2SH"), (b"\x1c\xb8", "zec", "t1 (P2PKH)"), (b"\x1c\xbd", "zec", "t3 (P2SH)")]:
    for _ in range(4):
        a = b58check(ver + bytes(rng.randrange(256) for _ in range(20)))
        V(kind, a, detail=detail)
        I(kind, mutate(a), "one character changed")
# Well-known published addresses.
V("trx", "TNDzfERDpxLDS2w1q6yaFC7pzqaSQ3Bg3r", detail="Base58Check")
V("trx", "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", detail="Base58Check")
# Testnet versions are never findings.
I("btc", b58check(b"\x6f" + bytes(20)), "testnet P2PKH (0x6f)")
I("ltc", b58check(b"\x6f" + bytes(range(20))), "testnet P2PKH (0x6f)")
I("doge", b58check(b"\x71" + bytes(range(20))), "Dogecoin testnet (0x71)")
I("zec", b58check(b"\x1d\x25" + bytes(range(20))), "Zcash testnet tm (0x1D25)")
I("trx", b58check(b"\xa0" + bytes(range(20))), "Tron testnet-style 0xa0")
# Litecoin bech32
for n in (20, 32):
    a = bech32_addr("ltc", 0, bytes(rng.randrange(256) for _ in range(n)))
    V("ltc", a, detail="P2WPKH (bech32)" if n == 20 else "P2WSH (bech32)")
    I("ltc", mutate(a, CS), "one character changed")
a = bech32_addr("ltc", 1, bytes(rng.randrange(256) for _ in range(32)))
V("ltc", a, detail="P2TR (bech32m)")
I("ltc", bech32_addr("tltc", 0, bytes(20)), "Litecoin testnet HRP")
# Bitcoin bech32 generated
a = bech32_addr("bc", 1, bytes(rng.randrange(256) for _ in range(32)))
V("btc", a, detail="P2TR (bech32m)")
V("btc", a.upper(), detail="P2TR (bech32m)")
I("btc", a[:10] + a[10:].upper(), "mixed case")

# --- Monero -----------------------------------------------------------------
V("xmr", "4AzKEX4gXdJdNeM6dfiBFL7kqund3HYGvMBF3ttsNd9SfzgYB6L7ep1Yg1osYJzLdaKAYSLVh6e6jKnAuzj3bw1oGy9kXCb", detail="standard")
V("xmr", "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A", detail="standard")
for tag, n, detail in [(18, 64, "standard"), (42, 64, "subaddress"), (19, 72, "integrated")]:
    for _ in range(2):
        a = xmr_addr(tag, bytes(rng.randrange(256) for _ in range(n)))
        V("xmr", a, detail=detail)
        I("xmr", mutate(a), "one character changed")
for tag, n, why in [(53, 64, "testnet standard (53)"), (24, 64, "stagenet standard (24)"), (63, 64, "testnet subaddress (63)"), (54, 72, "testnet integrated (54)")]:
    I("xmr", xmr_addr(tag, bytes(rng.randrange(256) for _ in range(n))), why)

# --- Cards ------------------------------------------------------------------
cards = [("4012888888881881", "Visa"), ("5555555555554444", "Mastercard"), ("2223003122003222", "Mastercard"),
         ("2200123456789019", "Mir"), ("4111111111111111", "Visa"), ("5105105105105100", "Mastercard"),
         ("378282246310005", "American Express"), ("371449635398431", "American Express"),
         ("6011111111111117", "Discover"), ("3530111333300000", "JCB"), ("6759649826438453", "Maestro")]
for prefix, scheme, length in [("2200", "Mir", 16), ("2201", "Mir", 16), ("2204", "Mir", 19), ("2720", "Mastercard", 16),
                               ("4276", "Visa", 16), ("4276", "Visa", 19), ("6200", "UnionPay", 16), ("6250", "UnionPay", 19),
                               ("5018", "Maestro", 16), ("6762", "Maestro", 19), ("5469", "Mastercard", 16)]:
    body = prefix + "".join(str(rng.randrange(10)) for _ in range(length - len(prefix) - 1))
    cards.append((body + luhn_digit(body), scheme))
def grouped(d, sep=" "):
    if len(d) == 15: return sep.join([d[:4], d[4:10], d[10:]])
    return sep.join(d[i:i+4] for i in range(0, len(d), 4))
for d, scheme in cards:
    V("card", d, d, scheme)
    V("card", grouped(d), d, scheme)
    V("card", grouped(d, "-"), d, scheme)
    bad = d[:-1] + str((int(d[-1]) + 1) % 10)
    I("card", bad, "last digit off by one")
    if scheme == "UnionPay":
        # UnionPay need not pass Luhn: in card groups it is an unchecked finding.
        valid.append({"kind": "card", "text": grouped(bad), "value": bad, "detail": "UnionPay", "checksum": "unchecked"})
    else:
        I("card", grouped(bad), "last digit off by one")
for d in ["4012-8888-8888-1882", "4242424242424240", "5555555555554446", "4992739871", "49927398716"]:
    I("card", d, "reference invalid / not a card length")
# UnionPay that fails Luhn: unchecked when written in groups.
up = "6212345678901234"
if luhn_digit(up[:-1]) == up[-1]: up = up[:-1] + str((int(up[-1]) + 1) % 10)
valid.append({"kind": "card", "text": grouped(up), "value": up, "detail": "UnionPay", "checksum": "unchecked"})

# --- YooMoney ---------------------------------------------------------------
yms = ["41001100113", "41001123494", "41002100117"]
for length in (13, 14, 15, 15, 16):
    body = "41001" + "".join(str(rng.randrange(10)) for _ in range(length - 7))
    z = ym_check(body)
    if z == "00": continue
    yms.append(body + z)
for y in yms:
    V("yoomoney", y, y, "wallet")
    for k in (len(y) - 1, 6):
        bad = y[:k] + str((int(y[k]) + 1) % 10) + y[k+1:]
        I("yoomoney", bad, "one digit off")

# --- WebMoney ---------------------------------------------------------------
for letter, d in zip("ZREUB", ["WMZ (USD)", "WMR (RUB)", "WME (EUR)", "WMU (UAH)", "WMB (BYN)"]):
    w = letter + "".join(str(rng.randrange(10)) for _ in range(12))
    V("webmoney", w, w, d)
I("webmoney", "Q123456789012", "unknown purse letter")
I("webmoney", "Z12345678901", "11 digits")
I("webmoney", "Z1234567890123", "13 digits")
I("webmoney", "z123456789012", "lower-case letter")

# --- Phones -----------------------------------------------------------------
for text, value in [("+7 (912) 345-67-89", "+79123456789"), ("+7 912 345 67 89", "+79123456789"),
                    ("+79123456789", "+79123456789"), ("8 912 345 67 89", "+79123456789"),
                    ("89123456789", "+79123456789"), ("8 (912) 345-67-89", "+79123456789"),
                    ("8-912-345-67-89", "+79123456789"), ("8 (495) 123-45-67", "+74951234567"),
                    ("8 800 555 35 35", "+78005553535"), ("+7(912)345-67-89", "+79123456789"),
                    ("+44 20 7946 0958", "+442079460958"), ("+1-202-555-0143", "+12025550143"),
                    ("+964 770 123 4567", "+9647701234567"), ("+٩٦٤ ٧٧٠ ١٢٣ ٤٥٦٧", "+9647701234567"),
                    ("+۹۸ ۹۱۲ ۳۴۵ ۶۷۸۹", "+989123456789"), ("＋７ ９１２ ３４５ ６７ ８９", "+79123456789"),
                    ("+380 50 123 4567", "+380501234567"), ("79123456789", "+79123456789"),
                    ("7 912 345 67 89", "+79123456789"), ("+49 30 12345678", "+493012345678")]:
    V("phone", text, value, None)
for text, why in [("3/10/1984", "date"), ("2012-01-02 08:00", "date and time"), ("12.03.2024", "date"),
                  ("+7 912 345", "too short"), ("+1 500 000", "thousands"), ("8 912 345 67", "too short"),
 ("71234567890", "7 without + and not a mobile code"), ("10-20", "range"), ("+2024-01-15", "date with plus"),
                  ("1 500 000 руб", "price"), ("+15%", "percentage"), ("8 2023 12 31", "date-like")]:
    I("phone", text, why)

# --- Links and Telegram -----------------------------------------------------
for text, kind, value, detail in [
        ("paypal.me/JohnDoe", "payment_link", "paypal.me/JohnDoe", "PayPal"),
        ("https://www.paypal.me/JohnDoe", "payment_link", "paypal.me/JohnDoe", "PayPal"),
        ("https://www.paypal.com/paypalme/helpfund", "payment_link", "paypal.com/paypalme/helpfund", "PayPal"),
        ("https://www.paypal.com/donate?hosted_button_id=ABC123", "payment_link", "paypal.com/donate?hosted_button_id=ABC123", "PayPal"),
        ("paypal.com/donate", "payment_link", "paypal.com/donate", "PayPal"),
        ("patreon.com/someartist", "payment_link", "patreon.com/someartist", "Patreon"),
        ("https://patreon.com/c/someartist", "payment_link", "patreon.com/c/someartist", "Patreon"),
        ("ko-fi.com/coffeefund", "payment_link", "ko-fi.com/coffeefund", "Ko-fi"),
        ("https://buymeacoffee.com/maker", "payment_link", "buymeacoffee.com/maker", "Buy Me a Coffee"),
        ("boosty.to/author", "payment_link", "boosty.to/author", "Boosty"),
        ("https://www.donationalerts.com/r/streamer", "payment_link", "donationalerts.com/r/streamer", "DonationAlerts"),
        ("gofundme.com/f/help-the-family", "payment_link", "gofundme.com/f/help-the-family", "GoFundMe"),
        ("liberapay.com/dev", "payment_link", "liberapay.com/dev", "Liberapay"),
        ("https://opencollective.com/project", "payment_link", "opencollective.com/project", "Open Collective"),
        ("cash.app/$Someone", "payment_link", "cash.app/$Someone", "Cash App"),
        ("PayPal.Me/Upper", "payment_link", "paypal.me/Upper", "PayPal"),
        ("t.me/somechannel", "telegram", "t.me/somechannel", "channel or user"),
        ("https://t.me/donate_helper_bot", "telegram", "t.me/donate_helper_bot", "bot"),
        ("telegram.me/SomeUser", "telegram", "telegram.me/SomeUser", "channel or user"),
        ("t.me/s/newsfeed", "telegram", "t.me/s/newsfeed", "channel or user"),
        ("@durov", "telegram", "@durov", "channel or user"),
        ("@HelpFundBot", "telegram", "@HelpFundBot", "bot"),
        ("@some_channel_2024", "telegram", "@some_channel_2024", "channel or user")]:
    V(kind, text, value, detail)
for text, kind, why in [("user@example.com", "telegram", "e-mail"), ("@bot", "telegram", "too short"),
                        ("@abcd", "telegram", "4 characters"), ("@example.com", "telegram", "domain"),
                        ("@1abcdef", "telegram", "starts with a digit"), ("name.surname@mail.ru", "telegram", "e-mail"),
                        ("patreon.com/posts/12345", "payment_link", "a post, not a creator"),
                        ("notpaypal.me/x", "payment_link", "other domain"),
                        ("gofundme.com/about", "payment_link", "not a fundraiser"),
                        ("t.me/abc", "telegram", "name too short"),
                        ("medium.com/@username", "telegram", "Medium profile")]:
    I(kind, text, why)

out = {"note": "Hand-made vectors; generated by gen_handmade.py (fixed seed). 'value' is the canonical value scan() reports; 'detail' null means any.",
       "valid": valid, "invalid": invalid}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "handmade.json")
json.dump(out, open(path, "w"), indent=1, ensure_ascii=False)
print(len(valid), "valid,", len(invalid), "invalid")
