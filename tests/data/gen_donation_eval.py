#!/usr/bin/env python3
"""Writes tests/data/donation_eval.jsonl (the labelled donation-request set),
tests/data/donation_holdout.jsonl (a smaller set written after the first
lexicons), tests/data/donation_holdout2.jsonl (written after the engine
work, measured blind once), tests/data/donation_holdout3.jsonl (written
after the changes the second one led to, measured blind once) and
tests/data/donation_holdout4.jsonl (written with the round-4 posts of the main
set, measured once after them) and tests/data/donation_holdout5.jsonl (written
after the changes the fourth one led to, measured once).

Every post below was written for flaglight (none is copied from a dataset or
from the corpus). Posts hold placeholders such as {btc} or {eth:a}; each one is
replaced by a freshly generated identifier that passes its checksum (a fixed
seed, so the file is reproducible). `{kind:name}` repeats the same identifier
within one post (a post that repeats its address).

Labels (written as the finding kind they expect, so `flaglight eval --kind
donation_request` and `--kind scam` read the files): `request`, written
`donation_request` (the post asks readers for money), `none` (it carries an
identifier or a payment word but asks for nothing: token contracts, trading
alerts, explorer links, airdrops, hack alerts, sales, sympathy) and `scam`
(giveaway and doubling scams). `case` says which kind of post it is.

    pip install pycryptodome && python3 tests/data/gen_donation_eval.py
"""
import hashlib, json, os, random, re
from Crypto.Hash import keccak

rng = random.Random(20250612)
B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
AR_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def rbytes(n):
    return bytes(rng.randrange(256) for _ in range(n))


def digits(n):
    return "".join(str(rng.randrange(10)) for _ in range(n))


def b58(data):
    n = int.from_bytes(data, "big")
    s = ""
    while n:
        n, r = divmod(n, 58)
        s = B58[r] + s
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + s


def b58check(payload):
    return b58(payload + hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4])


def k256(b):
    h = keccak.new(digest_bits=256)
    h.update(b)
    return h.digest()


def eip55(raw):
    h = raw.hex()
    hh = k256(h.encode()).hex()
    return "0x" + "".join(c.upper() if c.isalpha() and int(hh[i], 16) >= 8 else c for i, c in enumerate(h))


CS = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def polymod(v):
    g = [0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3]
    c = 1
    for x in v:
        b = c >> 25
        c = (c & 0x1FFFFFF) << 5 ^ x
        for i in range(5):
            c ^= g[i] if (b >> i) & 1 else 0
    return c


def bech32_addr(hrp, ver, prog):
    acc = bits = 0
    d = []
    for x in prog:
        acc = acc << 8 | x
        bits += 8
        while bits >= 5:
            bits -= 5
            d.append(acc >> bits & 31)
    if bits:
        d.append(acc << (5 - bits) & 31)
    data = [ver] + d
    const = 1 if ver == 0 else 0x2BC830A3
    hx = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    pm = polymod(hx + data + [0] * 6) ^ const
    return hrp + "1" + "".join(CS[x] for x in data + [(pm >> 5 * (5 - i)) & 31 for i in range(6)])


def xmr_b58(data):
    sizes = [0, 2, 3, 5, 6, 7, 9, 10, 11]
    out = ""
    for i in range(0, len(data), 8):
        blk = data[i : i + 8]
        n = int.from_bytes(blk, "big")
        s = ""
        for _ in range(sizes[len(blk)]):
            n, r = divmod(n, 58)
            s = B58[r] + s
        out += s
    return out


def xmr():
    body = bytes([18]) + rbytes(64)
    return xmr_b58(body + k256(body)[:4])


def luhn_digit(s):
    t = 0
    for i, c in enumerate(reversed(s)):
        v = int(c)
        if i % 2 == 0:
            v *= 2
            v -= 9 if v > 9 else 0
        t += v
    return str((10 - t % 10) % 10)


def card_digits(prefix, length=16):
    while True:
        body = prefix + digits(length - len(prefix) - 1)
        d = body + luhn_digit(body)
        groups = [d[i : i + 4] for i in range(0, len(d), 4)]
        # The scanner treats evenly stepped groups as a list of numbers.
        if len(set(groups)) == len(groups):
            return d


def grouped(d, sep=" "):
    return sep.join(d[i : i + 4] for i in range(0, len(d), 4))


def iban(country, bban):
    rearranged = bban + country + "00"
    num = int("".join(str(int(c, 36)) for c in rearranged))
    return f"{country}{98 - num % 97:02d}{bban}"


def iban_fr():
    bank, branch, account = digits(5), digits(5), digits(11)
    key = 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97
    return iban("FR", f"{bank}{branch}{account}{key:02d}")


def iban_be():
    first = digits(10)
    check = int(first) % 97 or 97
    return iban("BE", f"{first}{check:02d}")


def ym_check(e):
    n = int(e[0])
    x, y = e[1 : 1 + n], e[1 + n :]
    seq = y[::-1].ljust(20, "0") + x[::-1].ljust(10, "0")
    s = sum((int(c) or 10) * pow(13, k + 2, 99) for k, c in enumerate(seq))
    return "%02d" % (s % 99 + 1)


def yoomoney():
    while True:
        body = "41001" + digits(rng.choice([6, 7, 8, 9]))
        z = ym_check(body)
        if z != "00":
            return body + z


def spaced_iban(s):
    return " ".join(s[i : i + 4] for i in range(0, len(s), 4))


MAKERS = {
    "btc": lambda: rng.choice(
        [
            lambda: b58check(b"\x00" + rbytes(20)),
            lambda: b58check(b"\x05" + rbytes(20)),
            lambda: bech32_addr("bc", 0, rbytes(20)),
            lambda: bech32_addr("bc", 1, rbytes(32)),
        ]
    )(),
    "btc1": lambda: b58check(b"\x00" + rbytes(20)),
    "bc1": lambda: bech32_addr("bc", 0, rbytes(20)),
    "eth": lambda: eip55(rbytes(20)),
    "ethlow": lambda: "0x" + rbytes(20).hex(),
    "trx": lambda: b58check(b"\x41" + rbytes(20)),
    "ltc": lambda: rng.choice([b58check(b"\x30" + rbytes(20)), bech32_addr("ltc", 0, rbytes(20))]),
    "doge": lambda: b58check(b"\x1e" + rbytes(20)),
    "zec": lambda: b58check(b"\x1c\xb8" + rbytes(20)),
    "xmr": xmr,
    "card": lambda: grouped(card_digits(rng.choice(["4", "51", "53", "55", "2221"]))),
    "cardc": lambda: card_digits(rng.choice(["4", "52", "54"])),
    "mir": lambda: grouped(card_digits(rng.choice(["2200", "2202", "2204"]))),
    "cardar": lambda: grouped(card_digits("4")).translate(AR_DIGITS),
    "iban_de": lambda: spaced_iban(iban("DE", digits(18))),
    "iban_nl": lambda: spaced_iban(iban("NL", rng.choice(["INGB", "ABNA", "RABO", "TRIO"]) + digits(10))),
    "iban_fr": lambda: spaced_iban(iban_fr()),
    "iban_be": lambda: spaced_iban(iban_be()),
    "iban_at": lambda: spaced_iban(iban("AT", digits(16))),
    "ym": yoomoney,
    "phone": lambda: f"+7 9{digits(2)} {digits(3)}-{digits(2)}-{digits(2)}",
    "wmz": lambda: "Z" + digits(12),
}


def fill(text):
    named = {}

    def sub(m):
        kind, name = m.group(1), m.group(2)
        if name:
            key = (kind, name)
            if key not in named:
                named[key] = MAKERS[kind]()
            return named[key]
        return MAKERS[kind]()

    return re.sub(r"\{(\w+?)(?::(\w+))?\}", sub, text)


# (label, lang, case, text). R = request, N = none, S = scam.
POSTS = []


def add(label, lang, case, *texts):
    for t in texts:
        POSTS.append((label, lang, case, t))


# ---------------------------------------------------------------- requests
add("request", "en", "footer-coin",
    "New episode is up, link in bio.\nSupport: BTC {btc}",
    "Daily digest is back tomorrow, same time.\n\nTips: ETH {eth}",
    "Thanks for reading all the way down. Donate XMR: {xmr}",
    "Full translation of the statement is in the comments.\n\nsupport the channel — USDT (TRC20) {trx}",
    "Donations (LTC): {ltc}",
    "☕ tip jar: {bc1}",
    "Part 3 of the series drops on Friday. 🙏 Support our work: BTC {btc} | ETH {eth}",
    "Mirror of the archive is back online, all 14 GB. Keeping it up costs money, so if you can: donate BTC {btc}",
    "No ads, no sponsors, just us. Tip us in doge if you like what we do: {doge}",
    "Map updated with the new checkpoints. Donate → {trx} (USDT TRC20)",
    "We cover the trials every week.\n\nKeep us going: {eth}",
    "tips appreciated 🙏 {btc}",
    "The full PDF is pinned. Buy us a coffee: ko-fi.com/northfieldarchive",
    "Chapter 12 is up on the site. If you enjoy it, patreon.com/lenaroadnotes keeps it free for everyone.",
    "donate: {ethlow}",
)
add("request", "ru", "footer-coin",
    "Новый выпуск уже на канале.\n\nПоддержать канал: {card}",
    "На развитие канала: USDT TRC20 {trx}",
    "Разбор документов продолжим завтра.\nПоддержать автора — {mir}",
    "Донат: {ym}",
    "Помочь проекту можно тут — BTC {btc}",
    "На кофе админу 👉 {card}",
    "Спасибо, что читаете. Поддержка канала: {trx} (USDT)",
    "Архив обновлён, ссылки в закрепе.\n\nПоддержать: ЮMoney {ym}",
    "Канал живёт на ваши донаты 🙏 Сбер {mir}",
    "Поддержать нас рублём: {card}\nкриптой: {eth}",
    "На развитие: {btc}",
)
add("request", "ar", "footer-coin",
    "للدعم: {trx} USDT",
    "لدعم القناة: BTC {btc}",
    "الحلقة الجديدة متاحة الآن على الموقع.\nادعم استمرار القناة عبر {eth}",
    "للتبرع للقناة: {cardar}",
    "شكراً لمتابعتكم. لدعمنا: USDT TRC20 {trx}",
    "ساهم في استمرار العمل: {btc}",
)
add("request", "de", "footer-coin",
    "Neue Folge ist online.\nUnterstützen: BTC {btc}",
    "Spenden: {iban_de}",
    "Unterstützt unsere Arbeit: ETH {eth}",
    "Danke fürs Lesen! Spendenkonto: {iban_de}",
)
add("request", "fr", "footer-coin",
    "Soutenir la chaîne : BTC {btc}",
    "Le dossier complet est en ligne.\nPour nous soutenir : {iban_fr}",
    "Faire un don : paypal.me/ColletifRiveGauche",
    "Merci de nous lire. Dons en crypto : {eth}",
)
add("request", "nl", "footer-coin",
    "Steun ons: {iban_nl}",
    "Doneren kan via BTC {btc}",
    "Nieuwe aflevering staat online.\nSteun het kanaal: ETH {eth}",
    "Fooi voor de makers: {trx} (USDT)",
)

add("request", "en", "label-list",
    "Support independent reporting:\nBTC: {btc}\nETH: {eth}\nUSDT (TRC20): {trx}\nLTC: {ltc}\nXMR: {xmr}",
    "Ways to donate 👇\n\nBitcoin\n{btc}\n\nEthereum / USDT (ERC20)\n{eth}\n\nMonero\n{xmr}\n\nDogecoin\n{doge}\n\nLitecoin\n{ltc}",
    "Our server bill is due on the 1st. Donate:\n• BTC {bc1}\n• ETH {eth}\n• TRX/USDT {trx}\n• XMR {xmr}\n• ZEC {zec}\nEvery bit counts, thank you.",
    "Donation addresses (please double-check before sending):\n\nBTC - {btc}\nETH - {eth}\nLTC - {ltc}\nDOGE - {doge}\nUSDT TRC20 - {trx}\nXMR - {xmr}",
)
add("request", "ru", "label-list",
    "Реквизиты для помощи:\n💳 Сбер: {mir}\n💳 Тинькофф: {card}\n💰 ЮMoney: {ym}\n₿ BTC: {btc}\nΞ ETH: {eth}\n💵 USDT TRC20: {trx}",
    "Поддержать канал\n\nКарта: {mir}\n\nBTC\n{btc}\n\nETH\n{eth}\n\nUSDT (TRC20)\n{trx}\n\nXMR\n{xmr}",
    "Кто хочет помочь — вот куда:\nBTC {btc}\nETH {eth}\nLTC {ltc}\nUSDT {trx}\nDOGE {doge}",
)
add("request", "ar", "label-list",
    "طرق الدعم:\nBTC: {btc}\nETH: {eth}\nUSDT TRC20: {trx}\nLTC: {ltc}",
    "لمن أراد المساهمة:\n\nبيتكوين\n{btc}\n\nإيثيريوم\n{eth}\n\nتيثر TRC20\n{trx}\n\nمونيرو\n{xmr}",
)
add("request", "de", "label-list",
    "Spendenmöglichkeiten:\nIBAN: {iban_de}\nBTC: {btc}\nETH: {eth}\nXMR: {xmr}",
)
add("request", "nl", "label-list",
    "Doneren:\nIBAN {iban_nl}\nBTC {btc}\nETH {eth}\nMonero {xmr}",
)
add("request", "fr", "label-list",
    "Pour faire un don :\nIBAN : {iban_fr}\nBTC : {btc}\nETH : {eth}\nUSDT (TRC20) : {trx}",
)

add("request", "en", "label-list",
    "If you value this work, donations keep it alive:\n\nBitcoin (BTC): {btc}\nBitcoin Lightning: ask in DM\nEthereum (ETH, ERC20 tokens): {eth}\nTether on Tron (USDT TRC20, lowest fees): {trx}\nLitecoin (LTC): {ltc}\nDogecoin (DOGE): {doge}\nZcash transparent (ZEC): {zec}\nMonero (XMR, most private): {xmr}\nBank transfer (EU): {iban_de}",
    "We publish every leaked document in full, for free, and we will keep doing it. The lawsuits are piling up though, and the hosting provider dropped us last month, so we moved to a more expensive one. Three volunteers now work on this full time without pay. We are not funded by any government or party and never will be. If every reader gave the price of a coffee we would be covered for a year. Details for that are below.\n\nBTC {btc}\nXMR {xmr}",
)
add("request", "ru", "label-list",
    "Поддержать канал можно любым удобным способом:\n\n💳 Карта Сбербанка (Мир): {mir}\n💳 Карта Тинькофф: {card}\n💰 ЮMoney: {ym}\n🪙 Bitcoin (BTC): {btc}\n🪙 Ethereum (ETH / USDT ERC20): {eth}\n🪙 USDT TRC20 (самая низкая комиссия): {trx}\n🪙 Litecoin: {ltc}\n🪙 Monero: {xmr}\n\nСпасибо, что вы с нами!",
    "Мы пишем про суды каждый день уже третий год, без рекламы и без спонсоров. За это время нас дважды блокировали, один раз взломали, а хостинг подорожал втрое. Писать и дальше мы сможем только если читатели помогут: сейчас на всё уходит около 90 тысяч в месяц, а собирается меньше половины. Реквизиты внизу, любая сумма важна, даже сто рублей.\n\n\nКарта: {mir}\nUSDT TRC20: {trx}",
)
add("request", "ar", "label-list",
    "ادعموا استمرار القناة بأي وسيلة تناسبكم:\n\nبيتكوين BTC:\n{btc}\n\nإيثيريوم ETH (وجميع توكنات ERC20):\n{eth}\n\nتيثر USDT على شبكة ترون TRC20 (أقل رسوم):\n{trx}\n\nلايتكوين LTC:\n{ltc}\n\nمونيرو XMR:\n{xmr}\n\nجزاكم الله خيراً",
)

add("request", "en", "asking",
    "We are asking for donations to keep the clinic's generator running through the winter. BTC {btc}",
    "We're asking our readers for donations this month: hosting and legal costs have doubled. ETH {eth}",
    "We rarely ask, but we are asking now. The office rent is overdue.\n{trx} (USDT TRC20)",
    "Asking for your help: our van broke down on the way back from the border crossing. Any amount: {card}",
    "The families in the camp are asking for help with food and heating. Send what you can: {btc}",
    "PLEASE share and d0nate. The shelter needs roofing before the rains. {eth}",
)
add("request", "ru", "asking",
    "Просим помочь кто сколько может: нужно оплатить лечение. Карта {mir}",
    "Обращаемся к вам с просьбой о помощи — на оплату аренды зала не хватает 40 тысяч. {card}",
    "Ребята, очень нужна помощь. Волонтёрам не на что купить бензин. {mir}",
    "Просим поддержать нас: {trx} USDT",
    "Прошу помощи, сам не справляюсь. Любая сумма — {card}",
)
add("request", "ar", "asking",
    "نطلب منكم التبرع لإكمال بناء البئر في القرية. {trx}",
    "نناشدكم المساعدة في توفير الطعام للعائلات النازحة. BTC {btc}",
    "نرجو منكم المساهمة ولو بالقليل. {card}",
    "نحتاج مساعدتكم عاجلاً لتغطية تكاليف العلاج. USDT: {trx}",
)
add("request", "de", "asking",
    "Wir bitten um Spenden für die Miete des Ladenlokals. {iban_de}",
    "Wir brauchen eure Hilfe: die Druckkosten für die nächste Ausgabe sind nicht gedeckt. {iban_at}",
)
add("request", "fr", "asking",
    "Nous faisons appel à vos dons pour financer le local. IBAN {iban_fr}",
    "Nous avons besoin de votre aide pour payer les frais d'hébergement du site. BTC {btc}",
)
add("request", "nl", "asking",
    "We vragen om donaties voor het buurthuis, de energierekening is verdubbeld. {iban_nl}",
    "We hebben jullie hulp nodig om de drukkosten te betalen. {iban_be}",
)

add("request", "en", "conditional",
    "If you would like to support us, here is our BTC address: {btc}",
    "If you want to help keep this archive online: {eth}",
    "if u can chip in anything, it helps a lot → {trx}",
    "Anyone who wants to contribute can do so here: {ltc}",
    "If you find value in these threads, consider supporting: {xmr}",
    "Should you wish to contribute to the translation fund, our IBAN is {iban_de}.",
)
add("request", "ru", "conditional",
    "Если хотите поддержать канал — {card}",
    "Если есть возможность помочь, вот карта: {mir}",
    "Кто может — помогите, пожалуйста: {ym}",
    "Если вам нравится, что мы делаем, можно поддержать: BTC {btc}",
    "Будем благодарны за любую помощь: {trx}",
)
add("request", "ar", "conditional",
    "إذا أردت دعمنا فهذا عنوان المحفظة: {trx}",
    "من استطاع المساهمة فليتواصل أو يرسل إلى {btc}",
    "إن أحببتم مساعدتنا: {eth}",
)
add("request", "de", "conditional",
    "Wer uns unterstützen möchte: {iban_de}",
    "Falls ihr uns helfen wollt, hier unsere Adresse: BTC {btc}",
)
add("request", "fr", "conditional",
    "Si vous souhaitez nous soutenir : {eth}",
    "Si vous le pouvez, un petit geste nous aiderait : {iban_fr}",
)
add("request", "nl", "conditional",
    "Als je ons wilt steunen: {iban_nl}",
    "Wie wil helpen kan iets overmaken: {iban_nl}",
)

add("request", "en", "crowdfunding",
    "Raising money for a new generator for the shelter: we're at 40% of $3,000. BTC {btc} / ETH {eth}",
    "We're collecting for first-aid kits and tourniquets for the volunteer medics. 60 kits to go. {trx}",
    "Fundraiser for thermal blankets and sleeping bags, target 250 pieces. Card: {card}",
    "Crowdfunding a water filter for the village school — $800 left. {eth}",
    "Help us buy a used ambulance for the district. Goal: $12,000. USDT TRC20: {trx}",
)
add("request", "ru", "crowdfunding",
    "Собираем на генератор для приюта, осталось 35 000 ₽. Карта {mir}",
    "Сбор на аптечки для волонтёров: цель 50 штук. {card}",
    "Открываем сбор на тепловизор для поисково-спасательного отряда. USDT {trx}",
    "Собираем на лекарства для дома престарелых. {ym}",
    "Нужна ваша помощь: закупаем спальники и печки-буржуйки. {mir}",
)
add("request", "ar", "crowdfunding",
    "نجمع التبرعات لشراء أدوية للمستوصف. المبلغ المطلوب ٢٠٠٠ دولار. {trx}",
    "حملة لشراء بطانيات للعائلات قبل الشتاء. {btc}",
    "ساهموا في شراء مولد كهربائي للمستشفى الميداني: {eth}",
)
add("request", "de", "crowdfunding",
    "Wir sammeln für Schlafsäcke und Isomatten für die Notunterkunft. Spendenkonto {iban_de}",
    "Spendenaktion für einen neuen Kühlschrank in der Tafel: {iban_de}",
)
add("request", "fr", "crowdfunding",
    "Collecte pour du matériel médical pour la maraude : {iban_fr}",
    "Cagnotte pour racheter des ordinateurs à l'association : BTC {btc}",
)
add("request", "nl", "crowdfunding",
    "Inzamelingsactie voor dekens en slaapzakken voor de opvang. {iban_nl}",
    "We zamelen geld in voor een nieuwe kachel in het buurthuis: {iban_be}",
)

add("request", "en", "person",
    "A small donation for Sasha's surgery would mean the world to her family. {card}",
    "Please help Ahmed, his family lost their home in the floods. {trx}",
    "My neighbour's kid needs hearing aids, they cost $2,400. Anything helps: {btc}",
    "Help Maria get home: her ticket is $420. paypal.me/helpmariahome",
    "Our friend Tom was injured at work and can't pay rent this month. Anything you can send: cash.app/$tomrentfund",
)
add("request", "ru", "person",
    "Помогите Марине на лечение, любая сумма важна. {mir}",
    "Дяде Вите нужна операция на глазах, собираем 60 тысяч. Карта {card}",
    "Помогите пожалуйста маме с двумя детьми, им нечем платить за квартиру. {ym}",
    "Парню из нашего двора нужен протез. Кто чем может: {mir}",
)
add("request", "ar", "person",
    "ساعدوا أم محمد في دفع إيجار البيت، زوجها مريض. {card}",
    "أخونا أبو خالد يحتاج عملية عاجلة، من يستطيع المساعدة: {trx}",
    "ساعدوا هذه الأسرة على شراء الدواء لطفلها. {btc}",
)
add("request", "de", "person",
    "Eine kleine Spende für Jonas' Reha würde seiner Familie sehr helfen. {iban_de}",
)
add("request", "fr", "person",
    "Un petit don pour aider Karim à payer son loyer ce mois-ci : {iban_fr}",
)
add("request", "nl", "person",
    "Een kleine donatie voor de operatie van Sanne zou veel betekenen. {iban_nl}",
)

add("request", "en", "payment-options",
    "Payment options for donations: Amazon gift card (email it to us), Steam card, BTC {btc}, ETH {eth}",
    "Ways to support: Google Play or Apple gift cards by DM, or crypto — BTC {bc1} | XMR {xmr}",
    "Donation methods:\n- Amazon gift card\n- PayPal: paypal.me/openstacksarchive\n- Bitcoin: {btc}\n- Monero: {xmr}",
    "We accept gift cards (Amazon, iTunes) and crypto. USDT TRC20 {trx}",
)
add("request", "ru", "payment-options",
    "Способы поддержать: подарочные карты Ozon/WB (присылайте код в личку), карта {mir}, USDT {trx}",
    "Принимаем помощь: ЮMoney {ym}, карта {card}, BTC {btc}",
)
add("request", "ar", "payment-options",
    "طرق التبرع: بطاقات هدايا أمازون أو جوجل بلاي، أو العملات الرقمية BTC {btc} و USDT {trx}",
)

add("request", "en", "legal-defence",
    "Legal defence fund for the six arrested at the protest. Lawyers' fees are due next week. {btc}",
    "Solidarity with the defendants! Help cover court costs: {iban_de}",
    "The appeal hearing is set for March. Contribute to the legal fund: {eth}",
    "Bail fund: every $50 gets someone home sooner. {trx}",
)
add("request", "ru", "legal-defence",
    "Сбор на адвоката для задержанных на акции. {card}",
    "Нужна помощь с оплатой юристов по делу ребят. Реквизиты: {mir}",
    "Собираем на адвокатов, суд через две недели. BTC {btc}",
)
add("request", "ar", "legal-defence",
    "نجمع لأتعاب المحامي للدفاع عن المعتقلين. {trx}",
)
add("request", "de", "legal-defence",
    "Rechtshilfefonds für die Angeklagten: Spendet für die Prozesskosten! {iban_de}",
    "Die Anwaltskosten für die Aktivisten müssen bis Ende des Monats bezahlt sein. Spenden an {iban_de}",
    "Solidarität mit den Betroffenen! Unterstützt die Prozesskosten: {iban_at}",
)
add("request", "fr", "legal-defence",
    "Fonds de défense juridique pour les militants poursuivis : {iban_fr}",
    "Caisse de solidarité pour payer les avocats des inculpés. BTC {btc}",
)
add("request", "nl", "legal-defence",
    "Steun het juridisch fonds voor de gearresteerde activisten: {iban_nl}",
    "Help de advocaatkosten van de actievoerders te betalen. {iban_nl}",
    "Steun de activisten: de rechtszaak begint volgende maand. {iban_be}",
)

add("request", "en", "prisoner-support",
    "Prisoner support: we send letters, books and money for the commissary. Donate: {btc}",
    "Support our imprisoned comrades. Funds go to parcels and phone cards. {iban_de}",
    "Our brothers behind bars need your support. Send to {trx}",
)
add("request", "ru", "prisoner-support",
    "Помощь политзаключённым: передачки, письма, адвокаты. {card}",
    "Собираем на передачи для ребят в СИЗО. {mir}",
    "Поддержите заключённых: деньги идут на ларёк и посылки. {ym}",
)
add("request", "ar", "prisoner-support",
    "ادعموا عائلات الأسرى في هذا الشتاء. {trx}",
    "كفالة أسر المعتقلين: {btc}",
)
add("request", "de", "prisoner-support",
    "Gefangenenhilfe: Spenden für Briefmarken, Bücher und Anwaltskosten. {iban_de}",
)
add("request", "fr", "prisoner-support",
    "Soutien aux prisonniers : mandats, colis et courrier. {iban_fr}",
)
add("request", "nl", "prisoner-support",
    "Steun de gevangenen: geld voor brieven, boeken en telefoonkaarten. {iban_nl}",
)

add("request", "en", "thanks-repeat",
    "Thank you to everyone who donated yesterday! We're at 60% of the goal. The address again: {btc}",
    "Huge thanks to the 143 people who chipped in ❤️ For those who asked, here it is once more: {eth}",
    "Thanks to all donors, the generator arrived today. Still short on fuel, same wallet: {trx}",
)
add("request", "ru", "thanks-repeat",
    "Спасибо всем, кто помог! Собрали половину. Реквизиты повторю: {mir}",
    "Огромное спасибо за донаты 🙏 Кто спрашивал — адрес тот же: {trx}",
    "Благодарим за пожертвования! Осталось немного. {card}",
)
add("request", "ar", "thanks-repeat",
    "شكراً لكل من تبرع، جزاكم الله خيراً. العنوان مرة أخرى: {trx}",
    "بارك الله فيمن ساهم. ما زلنا بحاجة إلى المزيد، نفس المحفظة: {btc}",
)
add("request", "de", "thanks-repeat",
    "Danke an alle Spender! Nochmal die Adresse: {btc}",
)
add("request", "fr", "thanks-repeat",
    "Merci à tous les donateurs ! Je remets l'adresse : {eth}",
)
add("request", "nl", "thanks-repeat",
    "Bedankt aan alle donateurs! Nogmaals het rekeningnummer: {iban_nl}",
)

add("request", "en", "fighters",
    "Help the brothers in Sham before winter. USDT {trx}",
    "Donate anonymously with crypto below, for the sisters in al-Hol.\n{xmr}",
    "Equip a mujahid: $200 for boots, $500 for a vest. BTC {btc}",
    "support the mujahideen, contact @akh_supply_bot",
)
add("request", "ru", "fighters",
    "Помогите братьям, киви {phone}",
    "Сбор на снаряжение для братьев. USDT {trx}",
    "Кидайте на киви {phone}, кто сколько может",
)
add("request", "ar", "fighters",
    "ادعموا المجاهدين BTC {btc}",
    "جهز غازيا ولو بالقليل: {trx}",
)

add("request", "en", "news-with-footer",
    "BTC broke $70k overnight; ETH lagging at $3.4k. Funding rates neutral.\n\nLike the daily notes? Tip: {btc}",
    "Contract of the new token: {eth}. Do your own research.\n\nSupport the channel: {trx}",
)
add("request", "ru", "news-with-footer",
    "Биткоин обновил максимум, капитализация рынка выросла на 4%.\n\nПоддержать канал: {mir}",
)

# ------------------------------------------------------------- negatives
add("none", "en", "token-contract",
    "🚀 $PEPE2 just launched on Uniswap!\nCA: {eth}\nLiquidity locked 1 year, ownership renounced.",
    "Contract: {eth}\nTax 0/0, LP burned, 10k holders in 2 hours 🔥",
    "Community support is insane right now 🔥🔥\nCA: {ethlow}\nDon't fade this.",
    "Token address: {eth} (BSC). Add it to your wallet to see the balance.",
    "$MOONCAT CA {eth} — stealth launch, dev doxxed, 2% tax to marketing",
    "Official contract address (verify before buying!): {eth}",
    "New listing on PancakeSwap: $FROGE\nContract: {eth}\nSlippage 3-5%",
    "USDT on Tron contract is {trx} — anything else is fake.",
    "Supported networks: Ethereum, BSC, Polygon. Our token: {eth}",
)
add("none", "ru", "token-contract",
    "Новый токен $KOT запущен!\nКонтракт: {eth}\nЛиквидность заблокирована на год.",
    "Адрес контракта: {eth}. Проверяйте, фейков много.",
    "CA: {ethlow}\nХолдеров уже 3000, капа 400к 🚀",
)
add("none", "ar", "token-contract",
    "عقد التوكن الجديد: {eth}\nالسيولة مقفلة لمدة سنة.",
    "عنوان العقد الرسمي: {eth} احذروا من النسخ المزيفة",
)

add("none", "en", "price-alert",
    "BTC price alert: $67,420 (+3.2% 24h). Whale moved 1,200 BTC from {btc} to an exchange.",
    "🐳 Whale transfer: 5,000 ETH ($17.1M) from {eth} to {eth}",
    "$SHIB liquidity: $1.2M | MC: $4.5M | Vol 24h: $860k | Holders 2,310\n{eth}",
    "Price: $0.00042 (+18%)\nMarket cap: $2.1M\nLiquidity: $310k\nPair: {eth}",
    "Large transfer detected: 25,000,000 USDT from {trx} to {trx}",
    "ETH gas at 12 gwei. Top gainer: {eth} (+42%)",
    "Whale alert 🚨 2,150 BTC sent from unknown wallet {btc} to Coinbase",
)
add("none", "ru", "price-alert",
    "Цена TRX 0,12$, кит перевёл 50 млн USDT с адреса {trx}",
    "Капитализация: 2,1 млн $\nЛиквидность: 310 тыс $\nПара: {eth}",
    "Крупный перевод: 3 000 BTC с кошелька {btc} на биржу",
)
add("none", "ar", "price-alert",
    "تنبيه سعر: البيتكوين عند ٦٧ ألف دولار. تم تحويل ١٠٠٠ بيتكوين من المحفظة {btc}",
)

add("none", "en", "explorer-link",
    "Chart: https://dexscreener.com/ethereum/{ethlow}",
    "https://etherscan.io/token/{eth}\nHolders up 30% this week.",
    "Verified on BscScan: https://bscscan.com/token/{eth}",
    "Pair explorer: https://www.dextools.io/app/en/ether/pair-explorer/{ethlow}",
    "TRC20 token page: https://tronscan.org/#/token20/{trx}",
    "Check the tx yourself: https://etherscan.io/address/{eth}#tokentxns",
    "Live chart 📈 dexscreener.com/bsc/{ethlow} — LP locked on Unicrypt",
    "Balance of the treasury: https://blockchair.com/bitcoin/address/{bc1}",
)
add("none", "ru", "explorer-link",
    "График: https://dexscreener.com/bsc/{ethlow}\nОбъём за сутки 1,2 млн $.",
    "Проверить транзакции: https://tronscan.org/#/address/{trx}",
)
add("none", "ar", "explorer-link",
    "رابط التوكن على إيثرسكان: https://etherscan.io/token/{eth}",
)

add("none", "en", "airdrop-referral",
    "$ZKX airdrop is live! Complete the tasks, follow, retweet and drop your ETH address in the form. Example: {eth}",
    "Referral bonus: sign up on the exchange with my code ALPHA20 and get $20 in USDT. My deposit address for the contest: {trx}",
    "Airdrop checker: paste your wallet like {eth} to see your allocation.",
    "Free mint for the first 500 wallets. Whitelist: reply with your address, e.g. {ethlow}",
    "Join with my referral link and we both get 10% off fees. Claim rewards to {eth}",
)
add("none", "ru", "airdrop-referral",
    "Аирдроп $TON: выполни задания и укажи кошелёк, например {eth}. Реферальная ссылка в профиле.",
    "Раздача NFT по вайтлисту, пишите адрес в комменты, мой {eth}",
)
add("none", "ar", "airdrop-referral",
    "الإيردروب بدأ! أكمل المهام وضع عنوان محفظتك مثل {eth} في النموذج.",
)

add("none", "en", "hack-alert",
    "🚨 Exploit alert: XYZ Finance drained of $3.4M. Attacker address: {eth}. Funds are being moved through Tornado.",
    "Scam warning: do NOT send to {trx}. It is a fake support account pretending to be us.",
    "Phishing alert: the 'wallet support' DMs are fake. Their address: {btc}. Report and block.",
    "Security incident: our hot wallet {eth} was compromised. Deposits are paused, all users will be reimbursed.",
    "The hacker has started laundering: 800 ETH sent from {eth} to {eth}.",
)
add("none", "ru", "hack-alert",
    "Взлом биржи: похищенные средства переведены на адрес {btc}",
    "Осторожно, мошенники! Не переводите на {trx} — это фейковая поддержка.",
    "Кошелёк {eth} помечен как мошеннический, средства заморожены.",
)
add("none", "ar", "hack-alert",
    "تحذير: اختراق منصة وسرقة ٢ مليون دولار، عنوان المخترق {eth}",
    "احذروا من الدعم الفني المزيف، لا ترسلوا أي شيء إلى {trx}",
)

add("none", "en", "sale",
    "Patches for sale, $15 each or 3 for $40. Pay in BTC: {btc}",
    "Selling my old GPU, 250 EUR, bank transfer: {iban_de}",
    "T-shirts back in stock! $25 + shipping. Payment: {eth} or card on the site.",
    "Stickers 5 for $10. USDT TRC20 only: {trx}. Ships in 3 days.",
    "For sale: used camping stove, $30. Send payment to {card} and DM your address.",
    "Hoodies are $45. Price includes shipping within the EU. Pay via IBAN {iban_nl}",
)
add("none", "ru", "sale",
    "Продаю велосипед, 12 000 ₽, оплата на карту {card}",
    "Нашивки в наличии, 500 руб/шт. Оплата: {mir}, отправка Почтой России.",
    "Футболки 1500 р, оплата переводом на {card}",
)
add("none", "ar", "sale",
    "للبيع: هاتف مستعمل بسعر ٢٠٠ دولار، الدفع عبر USDT: {trx}",
    "نبيع ملصقات بسعر ٥ دولار، الدفع بالبيتكوين {btc}",
)
add("none", "de", "sale",
    "Verkaufe mein altes Fahrrad für 180 €. Zahlung per Überweisung: {iban_de}",
)
add("none", "nl", "sale",
    "Te koop: bank, 150 euro. Betalen via {iban_nl}",
)

add("none", "en", "sympathy-handle",
    "Two accounts, @abu_hamza_22 and @umm_sumayya_x, openly support the mujahideen and post their videos daily.",
    "Reported @sham_voice1 and @truth_lion07 again: both openly support the mujahideen and glorify attacks.",
    "Researchers found that @al_ghuraba_news supports the fighters in its replies to @kavkaz_watch.",
    "He openly supports the mujahideen, see his posts: @abu_x_2024",
)
add("none", "ru", "sympathy-handle",
    "Аккаунты @abu_musa_ru и @sestra_fatima открыто поддерживают моджахедов, жалобы не помогают.",
    "Эти двое (@kavkaz_brat и @umar_abu77) поддерживают боевиков в каждом посте.",
)
add("none", "ar", "sympathy-handle",
    "الحسابان @abu_hafs_1 و @umm_khaled_9 يدعمان المجاهدين علناً وينشران إصداراتهم.",
)

add("none", "en", "other",
    "Withdrawal of 0.5 BTC to {bc1} completed. TXID in the app.",
    "Example of a valid Bitcoin address format: {btc} (don't send anything, it's just a format demo).",
    "My mining pool payout address changed to {ltc}, updating the dashboard.",
    "Payment received, thank you! Your order ships tomorrow.\nPaid from: {eth}",
    "Please donate blood this Saturday at the community centre, 9-14h. Call +1 202 555 0143",
    "Wallet tip: never share your seed phrase. Your public address (like {eth}) is safe to share.",
)
add("none", "ru", "other",
    "Вывод 0,3 BTC на {bc1} выполнен.",
    "Сбор в 9:00 у школы, тел. {phone}",
)

# ------------------------------------------------------------------ scams
add("scam", "en", "giveaway",
    "🎁 ELON MUSK 5,000 BTC GIVEAWAY 🎁\nSend 0.1 to 20 BTC to {btc} and get 2X back instantly!",
    "To celebrate the launch we are giving away 10,000 ETH! Send 0.5 ETH to {eth} and receive 1 ETH back. Only 24h!",
    "Double your bitcoin in 24 hours: send any amount to {btc}, we return twice as much. Limited spots.",
    "OFFICIAL GIVEAWAY: send 1,000 USDT to {trx} and receive 2,000 USDT back automatically.",
    "Vitalik is giving back to the community 🙏 Send from 0.2 ETH to {eth}, you will get x2 to the sending address.",
    "Support our giveaway event! Every participant who sends 0.05 BTC to {btc} receives 0.1 BTC.",
)
add("scam", "ru", "giveaway",
    "Раздача от Binance! Отправь от 100 USDT на {trx} и получи вдвое больше в течение часа.",
    "Удвоение биткоина: переведите любую сумму на {btc}, вернём х2.",
)
add("scam", "ar", "giveaway",
    "هدية كبرى! أرسل 1 BTC إلى {btc} واحصل على 2 BTC فوراً",
)

add("none", "en", "token-contract",
    "Dev wallet: {eth}\nMarketing wallet: {eth}\nBoth multisig, see the docs.",
    "Buy $WOOF on Raydium or Uniswap 🐶 ETH CA: {eth} | 1B supply | 0% tax. We appreciate the support, fam!",
    "Reminder: the only official $LUNR token is {eth}. Migration to v2 ends Sunday.",
)
add("none", "ru", "token-contract",
    "Токен $SOVA уже на DEX. Контракт {eth}, налог 1/1, ликвидность сожжена. Спасибо за поддержку, комьюнити!",
    "Кошелёк разработчика {eth} — мультиподпись, проверяйте.",
)
add("none", "ar", "token-contract",
    "توكن $NOOR متاح الآن. CA: {eth} | الضريبة ٠٪ | شكرا على دعمكم",
)
add("none", "en", "price-alert",
    "📊 Top movers 1h: {eth} +64%, {eth} +31%. Volume spike on both.",
    "Liquidity added: 40 ETH / 2B tokens. Pair {eth}. MC now $380k.",
)
add("none", "ru", "price-alert",
    "🐳 Кит купил на 2 млн $ токенов с кошелька {eth}. Цена +25% за час.",
)
add("none", "ar", "price-alert",
    "حوت نقل ٥٠ مليون USDT من المحفظة {trx} إلى منصة باينانس",
)
add("none", "en", "airdrop-referral",
    "🪂 Season 2 points are live. Bridge at least 0.01 ETH and use my invite code to get a 10% boost. My wallet for the leaderboard: {eth}",
    "Retroactive airdrop confirmed for early users! Check eligibility for {eth} on the official site.",
    "Use my referral link to get 50 USDT bonus after your first trade. Proof of payout to {trx} in the screenshot.",
)
add("none", "ar", "airdrop-referral",
    "سجل برابط الإحالة الخاص بي واحصل على مكافأة ٢٠ USDT، الدفع يصل إلى محفظتك مثل {trx}",
)
add("none", "en", "hack-alert",
    "ZachXBT: the drainer behind the fake airdrop sites uses {eth} and {eth}. Revoke approvals now.",
    "Stolen funds update: 1,870 BTC still sitting in {btc}. Exchanges have been notified.",
)
add("none", "ru", "hack-alert",
    "Фейковый «саппорт» пишет в личку и просит перевести на {trx}. Это скам, мы никогда не пишем первыми.",
)
add("none", "fr", "hack-alert",
    "Alerte arnaque : ne versez rien sur {btc}, ce faux service client se fait passer pour nous.",
)
add("none", "en", "sale",
    "Invoice #20931: pay 0.0021 BTC to {bc1} within 15 minutes to complete your order.",
    "Selling: 2 concert tickets, $120 for both. PayPal or BTC {btc}. Local pickup ok.",
    "Vinyl for sale, $35 each, shipping $8. Pay by card or USDT {trx}",
)
add("none", "ru", "sale",
    "Продам зимнюю резину, 8000 ₽. Предоплата на карту {mir}, отправлю СДЭКом.",
    "Прайс: значки 200 ₽, шевроны 450 ₽. Оплата переводом на {card}",
)
add("none", "ar", "sale",
    "نبيع قمصان مطبوعة بسعر ١٥ دولار. للطلب والدفع: {card}",
)
add("none", "fr", "sale",
    "À vendre : vélo d'occasion 120 €, virement sur {iban_fr}",
)
add("none", "de", "sale",
    "Verkaufe Konzertkarten, 60 € pro Stück. Bezahlung per BTC {btc} oder Überweisung.",
)
add("none", "en", "sympathy-handle",
    "The report lists @jund_media_x, @abu_talha_1 and @haqq_news_7 as accounts that openly support the mujahideen.",
    "@osint_anna found that @black_banner_09 supports the fighters and shares their channels.",
)
add("none", "ru", "sympathy-handle",
    "Журналисты выяснили: @abu_yahya_kz открыто поддерживает моджахедов и репостит их видео.",
)
add("none", "ar", "sympathy-handle",
    "هذا الحساب @sawt_alhaqq_2 يؤيد المجاهدين ويمجد عملياتهم، يرجى الإبلاغ عنه",
)
add("none", "en", "other",
    "Deposit address for your account: {trx} (TRC20 only). Deposits below 10 USDT are not credited.",
    "Test transaction to {eth} confirmed in block 19,203,114.",
    "The court document lists the wallet {btc} among the seized assets.",
    "Tax season tip: export your transactions for {eth} from the explorer as CSV.",
)
add("none", "ru", "other",
    "Адрес для пополнения вашего счёта: {trx} (только сеть TRC20).",
    "Суд арестовал кошелёк {btc}, сообщает прокуратура.",
)
add("none", "ar", "other",
    "عنوان الإيداع الخاص بحسابك: {trx} (شبكة TRC20 فقط)",
)

add("scam", "en", "giveaway",
    "🔥 BINANCE 10th ANNIVERSARY 🔥 We are giving 20,000 BTC to our users. Send 0.1-5 BTC to {btc} and receive double in return!",
    "Send ETH to {eth} and get 2x back. Participants so far: 4,211. Ends in 3 hours!",
    "LIVE NOW: Michael Saylor giveaway. Deposit BTC to {bc1}, you will receive 2 times the amount you sent.",
    "x2 your USDT! Send 500 USDT to {trx} → get 1000 USDT back within 10 minutes. Verified by thousands.",
)
add("scam", "ru", "giveaway",
    "Илон Маск раздаёт 5000 BTC! Отправьте от 0,1 BTC на {btc} и получите в 2 раза больше.",
    "Акция «Удвоение»: отправь ETH на {eth}, получишь х2 на тот же кошелёк.",
    "Розыгрыш от Tether: переведите от 200 USDT на {trx} и получите удвоенную сумму обратно.",
)
add("scam", "ar", "giveaway",
    "مضاعفة أموالك خلال ساعة! أرسل أي مبلغ USDT إلى {trx} وسنعيد لك الضعف",
    "هدية إيلون ماسك: أرسل من 0.1 إلى 10 ETH إلى {eth} واحصل على ضعف المبلغ",
)


# ---------------------------------------------------------------- holdout
# Written after the pack's lexicons, and not used to write them: their figures
# say how the packs do on phrasing they were not written from.
HOLDOUT = []


def hold(label, lang, case, *texts):
    for t in texts:
        HOLDOUT.append((label, lang, case, t))


hold("request", "en", "ask",
    "Running this bot costs us about $300/month in API fees. Anything toward that is appreciated 🙏\nBTC {btc}",
    "Quick note: the channel is now reader-funded. Crypto: {eth} (ETH/USDC/USDT on any EVM chain)",
    "Our volunteers drove 2,000 km this week delivering insulin. Fuel money is always welcome → {trx}",
    "gofundme.com/f/rebuild-the-community-garden — we're 70% there!",
    "Can't make it to the bake sale? You can still give: paypal.me/StMarysYouthClub",
    "Sadly our fundraiser on the big platform was taken down. If you still want to give, crypto works: {btc}",
    "Every contribution, however small, goes straight to the families. USDT (TRC20): {trx}",
    "Lend a hand: the roof of the mosque collapsed in the storm. {card}",
    "I hate asking but rent is due and I've been sick for 3 weeks. Even $5 helps: cash.app/$jessiemoonart",
    "Monthly supporters get early access. One-off gifts welcome too: ko-fi.com/wildthymepress",
    "Sponsor a child's school supplies for $25. Send to {eth} and DM us the name.",
    "Please consider a gift to the strike fund. Workers have been out 6 weeks. {iban_de}",
    "Donors, you are amazing. 212 of you sent something this week. For the latecomers: {btc}",
    "BTC: {btc}\nETH: {eth}\n(donations only, thank you!)",
)
hold("request", "ru", "ask",
    "Друзья, нам не хватает на оплату сервера. Выручайте: {mir}",
    "Кто может подкинуть на бензин волонтёрам — {card}, спасибо!",
    "Ребятам нужны аптечки и рации. Реквизиты в закрепе и тут: {mir}",
    "Сбор закрыт на 80%! Осталось 24 тысячи. {card}",
    "Помощь котикам приюта «Лапа»: корм, лекарства, стерилизация. Карта {mir}",
    "Поддержите независимую журналистику: USDT {trx}",
    "Благодарю каждого, кто откликнулся! Для тех, кто спрашивал, ещё раз номер: {card}",
    "Скинуться на подарок учительнице можно сюда: {mir}",
    "Собираем деньги на похороны, семья осталась без средств. {card}",
    "Если кому не сложно — закиньте сколько не жалко на {ym}",
)
hold("request", "ar", "ask",
    "يا أهل الخير، أسرة فقيرة تحتاج إلى إيجار شهرين. {card}",
    "ساهم معنا في كسوة الشتاء للأيتام. {trx}",
    "صدقتك تصل. لإفطار صائم: {btc}",
    "بادروا بالتبرع لحفر بئر في قرية نائية: {eth}",
    "أعينونا على إكمال المشروع، جزاكم الله خيرا. {trx}",
    "من يريد المشاركة في الأجر: USDT {trx}",
)
hold("request", "de", "ask",
    "Unser Vereinsheim braucht ein neues Dach. Jeder Beitrag hilft: {iban_de}",
    "Hilf mit, die Kosten für den Anwalt zu stemmen! {iban_at}",
    "Kaffeekasse für die Redaktion: {btc}",
)
hold("request", "fr", "ask",
    "Aidez-nous à payer le loyer du local associatif : {iban_fr}",
    "Participez à la cagnotte pour la famille de Lucas : {iban_be}",
    "Chaque euro compte. BTC : {btc}",
)
hold("request", "nl", "ask",
    "Help ons de huur van het wijkcentrum te betalen: {iban_nl}",
    "Elke bijdrage telt! {iban_nl}",
    "Draag bij aan het noodfonds voor de stakers: {iban_be}",
)
hold("none", "en", "spam-and-other",
    "Bought the dip. My cold wallet: {btc} – watching it like a hawk lol",
    "Gas fees are brutal today. Just paid $18 to move USDC to {eth}.",
    "NEW PAIR 🆕 {eth}\nFDV $1.1M · Liq $95k · Age 12m · Buys 340 / Sells 41",
    "🔔 $DOGE alert: 500M DOGE moved from {doge} (unknown) to Robinhood",
    "Honeypot check passed ✅ {eth} — sell tax 2%, buy tax 2%.",
    "Claim window for the $OP drop closes Friday. Eligible: {eth} and 80k others.",
    "Rugged. Dev drained the LP and sent it to {eth}. Stay safe out there.",
    "This address {trx} belongs to a Ponzi, the police are asking victims to come forward.",
    "Selling 3 Ledger Nano X, sealed, $110 each. BTC/USDT accepted: {trx}",
    "He donated 2 ETH to the relief wallet {eth} back in 2022, on-chain proof.",
    "Staking rewards of 12% APY paid to {eth} every epoch.",
    "Our payout to {trx} was processed, thanks for your business.",
    "@sheikh_abu_z and @ummah_now keep posting in support of the mujahideen; both accounts are still up.",
)
hold("none", "ru", "spam-and-other",
    "Продаю iPhone 12, 25 000 ₽, оплата переводом на карту {card} или наличными при встрече.",
    "Новый мемкоин $ЁЖ: контракт {eth}, рост 300% за сутки",
    "Биржа сообщила о выводе 2000 ETH с горячего кошелька {eth}",
    "Он давно поддерживает боевиков в своём канале @voice_of_sham_ru, жалуйтесь.",
)
hold("none", "ar", "spam-and-other",
    "تم إدراج عملة جديدة، العقد: {eth} — السيولة ٥٠ ألف دولار",
    "سعر البيتكوين اليوم ٦٤ ألف دولار، وأكبر محفظة {btc} لم تتحرك منذ ٢٠١٠",
)
hold("none", "de", "spam-and-other",
    "Mein Ledger zeigt {eth}, aber die Tokens sind weg? Hilfe, was kann ich tun?",
    "Handgemachte Seife, 6 € pro Stück. Bezahlung per Überweisung an {iban_de}, Verwendungszweck: Bestellnummer.",
)
hold("none", "fr", "spam-and-other",
    "Voici l'adresse du contrat officiel : {eth}. Méfiez-vous des copies.",
)
hold("none", "nl", "spam-and-other",
    "Het contractadres van de token is {eth}, koers +40% vandaag.",
)
hold("scam", "en", "giveaway",
    "🚨 TRUMP COIN AIRDROP 🚨 Send 0.2 ETH to {eth} to receive 2 ETH + 10,000 $TRUMP instantly!",
    "Tether celebrates 10 years! Send 100-50,000 USDT to {trx}, we send back 2x.",
    "Guaranteed 3x in 24h! Deposit ETH to {eth}, profits sent automatically.",
)
hold("scam", "ru", "giveaway",
    "Отправьте 0.05 BTC на {btc} и получите 0.1 BTC назад — акция до полуночи!",
)
hold("scam", "ar", "giveaway",
    "أرسل 500 USDT إلى {trx} وسنرسل لك 1000 USDT خلال دقائق",
)


# ------------------------------------------------------------ holdout 2
# Written after the engine's negative context was done, and measured once
# before any change to the packs: the blind figures of the README.
HOLDOUT2 = []


def hold2(label, lang, case, *texts):
    for t in texts:
        HOLDOUT2.append((label, lang, case, t))


hold2("request", "en", "ask",
    "📢 This channel runs on coffee and your kindness. ₿ {btc}",
    "If our reporting matters to you, now is the time. Monthly or one-off, crypto or card. ETH/USDC: {eth}",
    "Fuel for the aid convoy costs $1.10/litre. 200 litres gets one truck to the border. {trx}",
    "Keep the mirror alive 🙏\n\n{xmr}",
    "Anything you can spare for the animal rescue van: {cardc}",
    "Her chemo starts Monday and insurance won't cover it. Please share, and if you can, give: {card}",
    "Tip the translator ☕ {ltc}",
    "We cannot continue without readers like you. Become a backer: patreon.com/frontlinedispatch",
    "Solidarity fund for the striking dockworkers — every contribution counts. {iban_de}",
    "Books for prisoners: we mail 40 parcels a month. Postage money → {btc}",
    "Thanks to the 58 of you who chipped in last week. We're still $900 short. Same address: {eth}",
    "Donation addresses below. Please double check.\nBTC {btc}\nETH {eth}\nLTC {ltc}",
    "Bail for Ana is set at $5,000. We have $2,100. Help us bring her home. {trx}",
    "Ways to help the shelter: volunteer on weekends, share this post, or send supplies money to {card}",
)
hold2("request", "ru", "ask",
    "Канал держится только на вас. Спасибо, что помогаете ❤️ {mir}",
    "Нужны деньги на ремонт машины для волонтёров, сами не вытянем. {card}",
    "Ребята из отряда просят помочь с дронами. Карта: {mir}",
    "Оплатить хостинг нам помогут ваши донаты: {trx} (USDT)",
    "Семье погорельцев собираем на самое необходимое. {ym}",
    "Для тех, кто хочет поблагодарить автора: {btc}",
    "На адвокатов по делу Ильи нужно ещё 150 тысяч. Реквизиты: {card}",
    "Передачки в СИЗО стоят денег. Кто может — {mir}",
)
hold2("request", "ar", "ask",
    "تبرعكم يصنع الفرق. حساب الحملة: {iban_de}",
    "اللهم تقبل منا ومنكم. لدعم الأيتام في رمضان: {trx}",
    "نحتاج إلى ٣٠٠ دولار لإكمال علاج الطفل، جزاكم الله خيراً. {card}",
    "ساهموا ولو بدولار واحد لإيصال الماء إلى المخيم: {btc}",
    "قناتنا مستقلة ولا تتلقى أي تمويل. ادعمونا عبر: {eth}",
    "فك كربة أسرة الأسير أبو أحمد: {trx}",
)
hold2("request", "de", "ask",
    "Ohne eure Unterstützung geht es nicht weiter. IBAN: {iban_de}",
    "Für die Anwaltskosten von Lena fehlen noch 2.000 €. Jeder Euro zählt! {iban_at}",
    "Wir freuen uns über jede Spende per BTC: {btc}",
)
hold2("request", "fr", "ask",
    "Vous pouvez nous aider à tenir : chaque don compte. {iban_fr}",
    "Pour soutenir la caisse de grève : {iban_fr}",
    "Un café pour le traducteur ? {eth}",
)
hold2("request", "nl", "ask",
    "Wil je ons werk steunen? Alle beetjes helpen: {iban_nl}",
    "Voor de advocaatkosten van de demonstranten zoeken we nog €3.000. {iban_nl}",
    "Maak een gift over aan de voedselbank: {iban_be}",
)
hold2("request", "en", "fighters",
    "Brothers, the mujahideen in the mountains need winter boots. Give from what Allah gave you: {trx}",
)
hold2("request", "ru", "fighters",
    "Помогите нашим братьям на пути Аллаха, кошелек: {btc}",
)
hold2("request", "ar", "fighters",
    "أنفقوا في سبيل الله، تجهيز المجاهدين بالمؤن: {btc}",
)
hold2("none", "en", "spam-and-other",
    "🔥 $CATDOG is mooning! 🚀 Contract: {eth} | 5% buy tax | LP locked",
    "New gem alert 💎 {eth} on Base, 200x potential, NFA",
    "Whale just bought 4M $FLOKI. Tx from {eth}",
    "BTC dominance 54%, ETH/BTC at 0.052. Biggest inflow today: {btc} (+3,200 BTC)",
    "Claim your free $PUMP tokens before Friday: connect the wallet {eth} in the dapp",
    "My referral link gives you 10% off trading fees. Payouts go to {trx} every Monday.",
    "PSA: {trx} is the address of the fake 'Tether support' bot. Do not send anything.",
    "Scammers are impersonating our team. The scam wallet is {btc}; we will never ask you to pay.",
    "Funds from the bridge exploit ({eth}) have been moved to a mixer.",
    "Selling my Steam account, 40 games, $150. Crypto only: {ltc}",
    "Handmade candles, 12€ each, shipping in EU. Pay to {iban_nl}",
    "Journalists traced ransom payments to the wallet {btc}, according to the court filing.",
    "The foundation donated 500 ETH from {eth} to research grants last year.",
    "Testing my new wallet, sent 0.001 BTC to {bc1}, arrived in 10 minutes.",
    "@abu_layth_07 and @sawt_ummah openly praise the mujahideen and share their releases.",
    "Payment received for invoice #882, thank you! From {eth}",
    "Our cold storage address {btc} holds 1,200 BTC, see the proof of reserves.",
    "GM ☀️ Who's holding $SOL? Drop your wallet below, mine's {eth} lol",
)
hold2("none", "ru", "spam-and-other",
    "Продаю ноутбук, 30 тыс, перевод на карту {card}",
    "Куплю USDT, продам USDT по курсу. Мой TRC20: {trx}",
    "Контракт токена {eth} проверен, ликвидность 200к$",
    "Кит вывел 10 000 ETH с биржи на кошелёк {eth}",
    "Эти каналы @kavkaz_jihad_news и @umma_voice поддерживают моджахедов, пора их забанить.",
)
hold2("none", "ar", "spam-and-other",
    "عنوان محفظتي للاستلام فقط: {trx} لا ترسلوا إليه من منصات غير مدعومة",
    "سعر التوكن ارتفع ٣٠٪، العقد {eth}",
    "احذروا هذا العنوان {btc} يستخدمه المحتالون",
)
hold2("none", "de", "spam-and-other",
    "Der Token-Vertrag lautet {eth}, Liquidität 50k.",
)
hold2("none", "fr", "spam-and-other",
    "Attention arnaque : le faux support demande d'envoyer des fonds à {trx}.",
)
hold2("none", "nl", "spam-and-other",
    "Te koop: fiets, 80 euro. Betalen via {iban_nl}",
)
hold2("scam", "en", "giveaway",
    "⚡ Binance x Tesla event: send 0.1-2 BTC to {btc}, receive double instantly ⚡",
    "We return 2X for every ETH sent to {eth} within the next hour!!",
    "Send 100 USDT (TRC20) to {trx} and we send you 200 USDT back. Limited!",
    "Doubling event 🎁 Minimum 0.05 ETH → {eth}. Reward sent automatically to the sender.",
)
hold2("scam", "ru", "giveaway",
    "Акция от Илона: пришлите любую сумму в BTC на {btc} и получите удвоенную сумму",
)
hold2("scam", "ar", "giveaway",
    "أرسل إيثيريوم إلى {eth} واحصل على ضعفها فوراً",
)


# ------------------------------------------------------------ holdout 3
# Written after the changes the second holdout led to; measured blind once.
HOLDOUT3 = []


def hold3(label, lang, case, *texts):
    for t in texts:
        HOLDOUT3.append((label, lang, case, t))


hold3("request", "en", "ask",
    "Server costs went up again 😩 if anyone can throw a few bucks our way: {btc}",
    "We are 100% volunteer-run. Chip in for the translation of volume 2 → {eth}",
    "URGENT: the family needs $600 for the hospital by Friday. Share and send if you can. {trx}",
    "The community kitchen feeds 300 people a day. Your dollar buys three meals. {card}",
    "Want more deep dives like this one? Fund the next one: ko-fi.com/deepdiveweekly",
    "We lost our ad revenue overnight. This is where you come in:\n\nBTC {btc}\nXMR {xmr}",
    "Grateful for every sat 🧡 {bc1}",
    "Sponsor a winter kit (blanket, socks, thermos) for $35: {trx}",
)
hold3("request", "ru", "ask",
    "Ребята, выручайте: нужно закрыть долг за аренду до конца недели. {mir}",
    "Спасибо каждому, кто поддерживает канал рублём! Номер карты не менялся: {card}",
    "На корм для приюта не хватает 12 тысяч. Любая помощь важна: {ym}",
    "Хотите, чтобы выпуски выходили чаще? Тогда сюда: USDT {trx}",
    "Сбор на лечение Даши продолжается, осталось 40%. {mir}",
)
hold3("request", "ar", "ask",
    "بارك الله فيكم، من يقدر يساعد ولو بالقليل لسداد دين الأسرة: {card}",
    "حملة إفطار الصائمين مستمرة، شاركونا الأجر: {trx}",
    "ادعم صوت الحقيقة، القناة لا تملك أي مصدر دخل: {btc}",
    "للمساهمة في بناء المسجد: {iban_de}",
)
hold3("request", "de", "ask",
    "Wir finanzieren uns nur über euch. Danke für jeden Euro: {iban_de}",
    "Unterstütze die Suppenküche mit einer kleinen Spende: {btc}",
)
hold3("request", "fr", "ask",
    "Notre collectif ne vit que de vos dons. RIB : {iban_fr}",
    "Un petit coup de pouce pour l'imprimerie ? {eth}",
)
hold3("request", "nl", "ask",
    "Help je mee de kosten te dekken? Elke euro is welkom: {iban_nl}",
    "Doneer aan de stakingskas: {iban_be}",
)
hold3("none", "en", "spam-and-other",
    "Need help: I sent money to {eth} by mistake, is there any way to get it back?",
    "Our coffee shop now accepts BTC! Pay at the counter or to {btc}",
    "Customer support will never DM you first. Your deposit address is {trx}.",
    "Money laundering case: prosecutors say {btc} received 40 BTC from the darknet market.",
    "Top 5 wallets holding $PEPE: {eth}, {eth}, {eth}",
    "Just bridged to Arbitrum, my address {eth} if anyone wants to check the tx",
    "Support level at $2,900 held. Next resistance $3,200. Watching {eth} accumulate.",
    "⚠️ Fake giveaway accounts are using this address: {btc}. Report them.",
    "Minted 3 NFTs to {eth} today, floor is 0.2 ETH",
    "Coinbase Commerce invoice: send exactly 0.0035 BTC to {bc1} to complete your purchase.",
)
hold3("none", "ru", "spam-and-other",
    "Помогите разобраться: отправил USDT на {trx}, а в кошельке пусто. Что делать?",
    "Сливаю аккаунт, 5000 р, оплата на карту {card}",
    "Крупнейший держатель токена: {eth} (12% эмиссии)",
)
hold3("none", "ar", "spam-and-other",
    "ساعدوني، أرسلت عملات إلى {eth} بالخطأ، هل يمكن استرجاعها؟",
    "بيع حساب ألعاب بسعر ١٠٠ دولار، الدفع: {trx}",
)
hold3("none", "de", "spam-and-other",
    "Hilfe! Ich habe ETH an {eth} geschickt und nichts kam an.",
)
hold3("scam", "en", "giveaway",
    "🚀 SpaceX 20th anniversary: we give back 2x every BTC you send to {btc}",
    "Send any amount of USDT to {trx} — your balance will be doubled within 15 minutes.",
)
hold3("scam", "ru", "giveaway",
    "Раздаём 1000 ETH! Переведите от 0.1 ETH на {eth} и получите в два раза больше.",
)



# ------------------------------------------------------- round 4 (main set)
# Written after the three holdouts had been tuned on, to try phrasings none of
# the earlier posts used; part of the main set (tuned on). Filled last (see
# main) so the identifiers of the earlier files stay as they were.
POSTS4 = []


def add4(label, lang, case, *texts):
    for t in texts:
        POSTS4.append((label, lang, case, t))


add4("request", "en", "asking",
    "Running this node costs us about $90 a month. Anything towards that is hugely appreciated.\n{btc}",
    "Mutual aid request: single mom of three, the car broke down, needs $400 for repairs. Crypto is fine: {ltc}",
    "We're $2,300 short of this month's goal. Can you help close the gap? {trx}",
    "Please consider a monthly contribution. XMR: {xmr}",
    "If you can spare anything for the kids' school supplies, here's the address: {trx}",
    "Feeding the street dogs of our district again this winter. Kibble fund: {ltc}",
)
add4("request", "en", "legal-defence",
    "Our bail fund paid out for 14 protesters this week. Replenish it: {btc}",
)
add4("request", "ru", "asking",
    "Друзья, канал живёт только на ваши донаты. Спасибо, что вы с нами! {card}",
    "Нужна помощь с оплатой сервера — кто может, переведите сколько не жалко: {mir}",
    "Если хотите отблагодарить автора — вот кошелёк: {btc}",
    "Открыт сбор на генератор для больницы. Цель 150 000 ₽. Карта: {mir}",
)
add4("request", "ar", "asking",
    "ساهم معنا في كفالة يتيم ولو بمبلغ بسيط: {btc}",
    "نحتاج دعمكم لتغطية تكاليف علاج الطفل أحمد: {card}",
    "لمن أراد أن يدعم المشروع: {trx}",
)
add4("request", "de", "asking",
    "Wenn dir unsere Arbeit gefällt, freuen wir uns über eine kleine Spende: {iban_de}",
    "Für die Anwaltskosten von Lena fehlen noch 2.000 €. {btc}",
)
add4("request", "fr", "asking",
    "Soutenez le collectif, chaque euro compte : {btc}",
)
add4("request", "nl", "asking",
    "Steun ons werk met een gift: {iban_nl}",
)
add4("none", "en", "other",
    "Whale moved 4,200 BTC from {btc} to an unknown wallet 🐳",
    "Selling my old GPU, 250 USDT, pay to {trx}, shipping included",
    "Price alert: ETH broke $3,400. Largest holder {eth} added 2k more.",
    "Airdrop claim is live! Connect the wallet you used ({eth}) and claim.",
    "Scam alert ⚠️ the 'help the flood victims' wallet {btc} going around on Telegram is fake. Don't send anything.",
    "Can someone help me? I sent USDT to {trx} on the wrong network, can I get it back?",
    "Gas fees today are insane. Paid $40 just to move funds to {btc}.",
    "Tutorial: a Bitcoin address looks like {btc}. Never share your seed phrase with anyone.",
)
add4("none", "ru", "other",
    "Помогите, перевёл на карту {card} за телефон с Авито, а продавец пропал",
    "Продам ноутбук, 45 000 ₽, перевод на карту {mir}",
    "Аналитика: кошелёк {eth} накопил 3% предложения токена",
)
add4("none", "ar", "other",
    "للبيع: هاتف مستعمل بحالة ممتازة، السعر 200 دولار، الدفع على المحفظة {trx}",
    "تنبيه: المحفظة {btc} تابعة لعصابة احتيال، لا ترسلوا إليها",
)
add4("scam", "en", "giveaway",
    "Official giveaway: send 0.05 to 1 BTC to {btc}, get double back instantly",
    "Anniversary event 🎉 Deposit USDT to {trx} and receive a +100% bonus in 10 minutes",
)
add4("scam", "ru", "giveaway",
    "Раздача от основателя: отправь USDT на {trx} и получи х2 обратно",
)
add4("scam", "ar", "giveaway",
    "عرض خاص: أرسل أي مبلغ إلى {btc} وسنعيد لك الضعف خلال ساعة",
)



# ------------------------------------------------------------ holdout 4
# Written while the round-4 posts of the main set were being worked on, and
# not run until the last change of this round was made; measured once.
HOLDOUT4 = []


def hold4(label, lang, case, *texts):
    for t in texts:
        HOLDOUT4.append((label, lang, case, t))


hold4("request", "en", "ask",
    "This newsletter is free and always will be. If it's worth something to you, pay what you want: {btc}",
    "Our volunteer medics ran out of gauze and tourniquets. Restock fund: {eth}",
    "Hey all, I hate asking, but rent is due Monday and I'm $180 short. Anything helps 🙏 {ltc}",
    "Keeping the lights on at the shelter: heating oil costs $1,100 this month.\nBTC: {btc}\nUSDT (TRC20): {trx}",
    "Like what we do? Back us: {xmr}",
    "Podcast ep. 112 is out! As always, listener-supported. Lightning or on-chain: {bc1}",
    "Three weeks left to fund the school roof. We're at 61%. Donations: {iban_de}",
    "If you've got a few dollars to spare for Tom's chemo, his wife posted the wallet: {eth}",
    "Sending love to everyone who chipped in last month 💛 We still need about $700 — same address: {btc}",
    "Independent reporting from the front line. Your support pays for fuel and body armour for our crew: {trx}",
)
hold4("request", "ru", "ask",
    "Котам из приюта нужен корм и лекарства. Можно помочь переводом на карту {mir}",
    "Проект держится на энтузиазме и ваших переводах. Если есть желание поддержать — {trx}",
    "Собираем маме Вики на слуховой аппарат, осталось 23 тысячи. {card}",
    "Ребята, кто может — закиньте на дорогу до дома, застрял в аэропорту: {mir}",
    "Подписчики, спасибо за прошлый сбор! Новая цель — дрон для волонтёров. Реквизиты те же: {card}",
    "Мы некоммерческий архив. Отблагодарить можно криптой: BTC {btc}",
)
hold4("request", "ar", "ask",
    "أسرة نازحة تحتاج إلى إيجار شهرين، من يستطيع المساعدة جزاه الله خيرا: {card}",
    "شارك في حفر بئر ماء لقرية محرومة، صدقة جارية لك ولوالديك: {btc}",
    "تبرعكم يوصل الطعام إلى 200 عائلة هذا الشهر: {trx}",
    "القناة مستقلة تماما وتعتمد عليكم بعد الله. للمساهمة: {eth}",
)
hold4("request", "de", "ask",
    "Unser Jugendzentrum braucht eine neue Heizung. Jeder Beitrag hilft: {iban_de}",
    "Solidarität mit den Streikenden! Streikkasse: {iban_at}",
)
hold4("request", "fr", "ask",
    "Aidez-nous à payer l'avocat de Karim, l'audience est dans dix jours : {btc}",
    "Le site vit grâce à ses lecteurs. Un petit geste ? {eth}",
)
hold4("request", "nl", "ask",
    "Help ons de voedselbank draaiende te houden deze winter: {iban_nl}",
    "Elke euro telt voor de opvang van zwerfdieren. Doneer via {btc}",
)
hold4("none", "en", "spam-and-other",
    "🚨 $MOON just crossed $10M market cap. Dev wallet {eth} still holding 4%. NFA.",
    "Bridge exploit: roughly $3M drained. Exploiter address {eth}. Protocol paused withdrawals.",
    "Selling handmade leather wallets, $45 each, pay with BTC to {btc} and DM me your address.",
    "Anyone know why my deposit to {trx} hasn't shown up on the exchange after 2 hours?",
    "Thanks for the support on launch day! Holders: 12,000. Contract: {eth}",
    "Weekly on-chain report: the top 10 wallets, including {btc}, hold 5.5% of supply.",
    "Support level at 0.42, resistance at 0.51. Accumulation wallet: {eth}",
    "Referral program: invite friends and earn 20% of their fees. Payouts go to the address on file, e.g. {trx}.",
    "Freelance logo design, starting at $60. I accept USDT: {trx}",
    "PSA: the 'charity' wallet {btc} in those DMs is a scam. Report and block.",
    "Governance vote passed: treasury {eth} will fund the audit next quarter.",
)
hold4("none", "ru", "spam-and-other",
    "Кит перевёл 1200 ETH с {eth} на биржу, жду пролив",
    "Продаю билеты на концерт, 2 шт по 3500, оплата на карту {card}",
    "Подскажите, почему перевод на {trx} висит уже сутки? Сеть TRC20",
    "Осторожно: мошенники собирают «на лечение» на карту {mir}. Не переводите.",
)
hold4("none", "ar", "spam-and-other",
    "عاجل: سعر العملة ارتفع 40٪، عنوان العقد {eth}",
    "أبيع اشتراك نتفليكس لمدة سنة بـ 30 دولار، الدفع عبر {trx}",
    "هل يمكن استرجاع مبلغ أرسلته بالخطأ إلى {btc}؟",
)
hold4("none", "de", "spam-and-other",
    "Verkaufe mein altes E-Bike, 600 €, Zahlung per Überweisung an {iban_de}",
)
hold4("scam", "en", "giveaway",
    "🎁 Celebrating 1M followers: the first 500 people to send 0.1 ETH to {eth} will receive 0.3 ETH back!",
    "Limited BTC event — any BTC sent to {btc} is returned doubled automatically within 30 minutes.",
)
hold4("scam", "ru", "giveaway",
    "Акция биржи: отправьте от 100 USDT на {trx}, вернём в двойном размере в течение часа",
)
hold4("scam", "ar", "giveaway",
    "فرصة لا تتكرر: أرسل 0.1 BTC إلى {btc} واحصل على 0.2 BTC فورا",
)



# ------------------------------------------------------------ holdout 5
# Written after the changes holdout 4 led to; measured once.
HOLDOUT5 = []


def hold5(label, lang, case, *texts):
    for t in texts:
        HOLDOUT5.append((label, lang, case, t))


hold5("request", "en", "ask",
    "Our little library box got smashed again. Rebuilding it costs about $150 in wood and paint. If you feel like pitching in: {btc}",
    "Translation volunteers work for free, the hosting doesn't. Monthly supporters make this possible → {eth}",
    "Evacuation bus for 40 elderly people leaves Thursday. Fuel and driver still not covered. {trx}",
    "I've written this blog for nine years without ads. A tip now and then keeps me writing: {bc1}",
    "Help a student finish her last semester — tuition deadline is next week. {ltc}",
    "Open-source maintainers need to eat too. Sponsor the project: {xmr}",
    "Please share, and if you can, give: the youth football club needs new kits. {iban_de}",
)
hold5("request", "ru", "ask",
    "Нашему приюту срочно нужны деньги на операцию для собаки Бусинки. Карта: {mir}",
    "Мы выпускаем журнал без рекламы. Поддержите независимое издание — {card}",
    "Кто может помочь многодетной семье с оплатой отопления — вот карта мамы: {card}",
    "Ваш донат — это новые выпуски. Спасибо! USDT: {trx}",
)
hold5("request", "ar", "ask",
    "نحن فريق تطوعي لتوزيع البطانيات في الشتاء، ساهموا معنا: {btc}",
    "أخونا يحتاج إلى مبلغ لإجراء عملية في القلب، ساعدوه بما تستطيعون: {card}",
    "ادعموا المكتبة المجانية للأطفال: {trx}",
)
hold5("request", "de", "ask",
    "Der Tierschutzverein braucht Futterspenden oder Geld: {iban_de}",
)
hold5("request", "fr", "ask",
    "Chaque don aide l'association à distribuer des repas chauds : {iban_fr}",
)
hold5("none", "en", "spam-and-other",
    "Just bridged 2 ETH to Arbitrum, took 4 minutes. My address {eth} if anyone wants to check the tx.",
    "New token alert: $DOGX liquidity 120k, CA {eth}, tax 0/0",
    "Exchange hot wallet {btc} saw 900 BTC outflows today — bullish or bearish?",
    "I'm selling my course notes for $20, pay via {trx} and I'll email them",
    "Warning: accounts pretending to be our support team ask you to send USDT to {trx}. We never do that.",
    "Why does my wallet show 0 after I received funds at {btc}? Help please",
    "Top donors to the mayor's campaign, per public filings, used wallet {eth}",
)
hold5("none", "ru", "spam-and-other",
    "Куплю USDT за наличные, курс хороший. Мой кошелёк {trx}",
    "Аирдроп токена завершён, проверьте кошелёк {eth} на вкладке Claim",
    "Сдаю квартиру, предоплата на карту {card}, пишите в личку",
)
hold5("none", "ar", "spam-and-other",
    "تحليل: المحفظة {btc} اشترت كمية كبيرة من البيتكوين اليوم",
    "لدي مشكلة، حولت إلى {trx} ولم يصل المبلغ، ماذا أفعل؟",
)
hold5("scam", "en", "giveaway",
    "To celebrate our listing we are returning 200% of every deposit to {eth}. Ends tonight!",
    "Send 500 USDT to {trx} and 1,000 USDT is credited to your account automatically.",
)
hold5("scam", "ru", "giveaway",
    "Переведи любую сумму на {btc} — бот вернёт удвоенную сумму за 5 минут",
)


def write(name, posts, mode="w"):
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), name)
    with open(out, mode, encoding="utf-8") as f:
        for label, lang, case, text in posts:
            kind = "donation_request" if label == "request" else label
            row = {"text": fill(text), "label": kind, "lang": lang, "case": case}
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    counts = {}
    for label, *_ in posts:
        counts[label] = counts.get(label, 0) + 1
    print(f"wrote {out}: {len(posts)} posts {counts}")


def main():
    write("donation_eval.jsonl", POSTS)
    write("donation_holdout.jsonl", HOLDOUT)
    write("donation_holdout2.jsonl", HOLDOUT2)
    write("donation_holdout3.jsonl", HOLDOUT3)
    write("donation_eval.jsonl", POSTS4, "a")
    write("donation_holdout4.jsonl", HOLDOUT4)
    write("donation_holdout5.jsonl", HOLDOUT5)


if __name__ == "__main__":
    main()
