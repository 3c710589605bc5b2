//! The `flaglight` command line: output formats, HTML input, exit codes.

mod support;

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_flaglight"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        let mut input = child.stdin.take().unwrap();
        if let Some(data) = stdin {
            // The command may exit before reading its input (usage errors).
            let _ = input.write_all(data);
        }
    }
    child.wait_with_output().unwrap()
}

fn tmp(name: &str, content: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("flaglight-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, content).unwrap();
    p.to_string_lossy().into_owned()
}

const PACK: &str = r#"{"id": "mine", "name": "Mine", "version": "1.0.0", "languages": ["en"], "license": "CC0-1.0",
  "rules": [{"id": "call", "category": "extremism", "severity": "high", "kind": "keyword", "patterns": ["join the caliphate"],
             "examples": {"match": ["Join the caliphate!"], "no_match": ["the caliphate fell"]}}]}"#;

fn jsonl(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn scan_text_from_stdin_as_jsonl() {
    let pack = tmp("mine.json", PACK.as_bytes());
    let out = run(
        &[
            "scan",
            "--no-builtin",
            "--no-model",
            "--pack",
            &pack,
            "--format",
            "jsonl",
            "-",
        ],
        Some("first line\n😀 please JOIN the caliphate now\n".as_bytes()),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = jsonl(&out);
    assert_eq!(v.len(), 1);
    let f = &v[0];
    assert_eq!(f["file"], "-");
    assert_eq!(f["line"], 2);
    assert_eq!(f["text"], "JOIN the caliphate");
    assert_eq!(f["start"], 11 + 2 + 8);
    assert_eq!(f["end"], 11 + 2 + 8 + 18);
    assert_eq!(f["category"], "extremism");
    assert_eq!(f["kind"], "keyword");
    assert_eq!(f["rule"], "call");
    assert_eq!(f["pack"], "mine");
    assert_eq!(f["severity"], "high");
    assert!(f["score"].as_u64().unwrap() > 0);
}

#[test]
fn scan_text_format_for_people() {
    let pack = tmp("mine2.json", PACK.as_bytes());
    let file = tmp("posts.txt", b"ok\njoin the caliphate\n");
    let out = run(
        &["scan", "--no-builtin", "--no-model", "--pack", &pack, &file],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    let s = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        s,
        format!("{file}:2: high extremism call \"join the caliphate\"\n")
    );
}

#[test]
fn html_with_windows_1251_and_blocks() {
    let pack = tmp(
        "ru.json",
        r#"{"id": "ru", "name": "ru", "version": "1", "rules": [{"id": "j", "category": "extremism", "severity": "medium", "kind": "keyword", "patterns": ["джихад*", "вступай в ряды"]}]}"#.as_bytes(),
    );
    let (page, _, _) = encoding_rs::WINDOWS_1251.encode(
        "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\"><script>джихад()</script></head>\
         <body><div>Вступай <b>в</b> ряды</div><p>объявили джихад</p><div>вступай</div><div>в ряды</div></body></html>",
    );
    let file = tmp("page.html", &page);
    let out = run(
        &[
            "scan",
            "--no-builtin",
            "--no-model",
            "--pack",
            &pack,
            "--format",
            "jsonl",
            &file,
        ],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let texts: Vec<String> = jsonl(&out)
        .iter()
        .map(|v| v["text"].as_str().unwrap().to_string())
        .collect();
    // The script is skipped; inline <b> is soft; the last two divs are separate blocks.
    assert_eq!(texts, vec!["Вступай в ряды", "джихад"]);
}

#[test]
fn builtin_packs_are_on_by_default() {
    let out = run(
        &["scan", "--format", "jsonl"],
        Some("Боевики ИГИЛ объявили джихад".as_bytes()),
    );
    assert_eq!(out.status.code(), Some(0));
    let v = jsonl(&out);
    assert!(v.iter().any(|f| f["pack"] == "extremism-ru"), "{v:?}");
}

#[test]
fn findings_say_which_cue_or_context_decided() {
    let text = "Support the channel: TNDzfERDpxLDS2w1q6yaFC7pzqaSQ3Bg3r\n\
                Community support is great CA: 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed\n";
    let out = run(&["scan", "--format", "jsonl"], Some(text.as_bytes()));
    assert_eq!(out.status.code(), Some(0));
    let v = jsonl(&out);
    let request = v
        .iter()
        .find(|f| f["kind"] == "donation_request")
        .expect("a donation request");
    assert_eq!(request["cue"]["text"], "Support the channel");
    assert_eq!(request["cue"]["reach"], "near");
    assert!(request["against"].is_null());
    let eth = v.iter().find(|f| f["kind"] == "eth").expect("the address");
    assert_eq!(eth["against"]["text"], "CA:");
    assert_eq!(eth["against"]["rule"], "neg-token");
    assert_eq!(eth["cue"]["text"], "support");
    assert!(!v
        .iter()
        .any(|f| f["kind"] == "donation_request" && f["line"] == 2));
    let out = run(&["scan"], Some(text.as_bytes()));
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(
        s.contains(r#"(not a request: "CA:" neg-token outweighs "support" cue-donate-en)"#),
        "{s}"
    );
    assert!(
        s.contains(r#"(cue "Support the channel" cue-support, near)"#),
        "{s}"
    );
}

#[test]
fn usage_errors_exit_2_with_one_line() {
    let out = run(&["scan", "--format", "xml"], Some(b""));
    assert_eq!(out.status.code(), Some(2));
    let out = run(&["frobnicate"], None);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&["scan", "/nonexistent/file.txt"], None);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("flaglight: /nonexistent/file.txt:"),
        "{err}"
    );
}

#[test]
fn invalid_utf8_is_reported_not_panicking() {
    let file = tmp("bad.txt", b"caf\xe9 join the caliphate");
    let out = run(&["scan", &file], None);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("not valid UTF-8 (at byte 3)"), "{err}");
}

#[test]
fn bad_packs_exit_2_with_located_errors() {
    let bad = tmp(
        "bad.json",
        b"{\"id\": \"x\", \"name\": \"x\", \"version\": \"1\", \"rules\": [{\"id\": \"r\"}]}",
    );
    let out = run(&["scan", "--pack", &bad], Some(b"text"));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("bad.json:1:52: rules[0].category (rule \"r\"): required field is missing"),
        "{err}"
    );
}

#[test]
fn check_pack_runs_examples() {
    let good = tmp("good.json", PACK.as_bytes());
    let out = run(&["check-pack", "--no-builtin", &good], None);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let failing = PACK.replace("the caliphate fell", "join the caliphate today");
    let bad = tmp("failing.json", failing.as_bytes());
    let out = run(&["check-pack", "--no-builtin", &bad], None);
    assert_eq!(out.status.code(), Some(1));
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(
        s.contains("rule \"call\": no_match example \"join the caliphate today\" was found"),
        "{s}"
    );
    let invalid = tmp("invalid.json", b"{\"id\": 1}");
    let out = run(&["check-pack", &invalid], None);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn builtin_packs_pass_their_own_examples() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/extension/packs");
    let mut args = vec!["check-pack".to_string(), "--no-builtin".to_string()];
    for f in [
        "extremism-en.json",
        "extremism-ru.json",
        "extremism-ar.json",
        "donation.json",
    ] {
        args.push(format!("{dir}/{f}"));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = run(&args, None);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn help_documents_everything() {
    let out = run(&["scan", "--help"], None);
    assert_eq!(out.status.code(), Some(0));
    let s = String::from_utf8(out.stdout).unwrap();
    for flag in ["--pack", "--no-builtin", "--html", "--format"] {
        assert!(s.contains(flag), "{flag} missing from help");
    }
}

#[test]
fn readme_pack_example_is_valid_and_its_examples_pass() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = &readme[readme
        .find("## Rule packs")
        .expect("README has a Rule packs section")..];
    let start = section.find("```json\n").unwrap() + 8;
    let end = start + section[start..].find("```").unwrap();
    let pack = tmp("readme-example.json", &section.as_bytes()[start..end]);
    let out = run(&["check-pack", "--no-builtin", &pack], None);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

// ---- the post-level model ---------------------------------------------------

const POSTS: &[u8] =
    b"police said the court reported on the case\nthe lions of the khilafah will slaughter the kuffar\n";

#[test]
fn scan_reports_one_model_finding_per_post_with_its_words() {
    let pack = tmp("mine-m.json", PACK.as_bytes());
    let model = tmp("test.flm", &support::test_model_bytes());
    let args = ["scan", "--no-builtin", "--pack", &pack, "--model", &model];
    let out = run(
        &[&args[..], &["--format", "jsonl", "-"]].concat(),
        Some(POSTS),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = jsonl(&out);
    let m: Vec<_> = v.iter().filter(|x| x["kind"] == "model").collect();
    assert_eq!(m.len(), 1, "{v:?}");
    assert_eq!(m[0]["line"], 2);
    assert_eq!(m[0]["pack"], "test-model");
    assert_eq!(m[0]["rule"], "model");
    assert!(m[0]["score"].as_u64().unwrap() > 90);
    assert_eq!(
        m[0]["text"],
        "the lions of the khilafah will slaughter the kuffar"
    );
    let words = m[0]["words"].as_array().unwrap();
    assert!(!words.is_empty() && words.len() <= 3);
    assert!(words.iter().all(|w| w["weight"].as_f64().unwrap() > 0.0));
    let text = run(&[&args[..], &["-"]].concat(), Some(POSTS));
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains(":2: high extremism model 1.00 (test-model 0.1.0)"),
        "{text}"
    );
    assert!(text.contains("words that weighed most:"), "{text}");
    let off = run(
        &["scan", "--no-builtin", "--pack", &pack, "--no-model", "-"],
        Some(POSTS),
    );
    assert!(!String::from_utf8_lossy(&off.stdout).contains("model"));
}

#[test]
fn a_damaged_model_file_is_refused_with_its_reason() {
    let mut bytes = support::test_model_bytes();
    let at = bytes.len() / 2;
    bytes[at] ^= 0x40;
    let model = tmp("damaged.flm", &bytes);
    let out = run(&["scan", "--model", &model, "-"], Some(b"text"));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("damaged.flm: model file: the SHA-256"),
        "{err}"
    );
    let info = run(&["model-info", &model], None);
    assert_eq!(info.status.code(), Some(1));
    let good = tmp("good.flm", &support::test_model_bytes());
    let info = run(&["model-info", &good], None);
    assert_eq!(info.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&info.stdout).contains("\"name\": \"test-model\""));
}

#[test]
fn eval_prints_precision_recall_and_f1_per_language() {
    let pack = tmp("mine-e.json", PACK.as_bytes());
    let model = tmp("eval.flm", &support::test_model_bytes());
    let labelled = [
        r#"{"text": "the lions of the khilafah will slaughter the kuffar", "label": 1}"#,
        r#"{"text": "brothers, join the caliphate", "label": 1}"#,
        r#"{"text": "police said the court reported on the case", "label": 0}"#,
        r#"{"text": "analysts said join the caliphate was their slogan", "label": 0}"#,
        r#"{"text": "Братья, вперёд", "label": true, "lang": "ru"}"#,
    ]
    .join("\n");
    let file = tmp("labelled.jsonl", labelled.as_bytes());
    let out = run(
        &[
            "eval",
            "--no-builtin",
            "--pack",
            &pack,
            "--model",
            &model,
            &file,
        ],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let row = |lang: &str| {
        text.lines()
            .find(|l| l.split_whitespace().next() == Some(lang))
            .unwrap_or_else(|| panic!("no row {lang}: {text}"))
            .split_whitespace()
            .filter(|w| *w != "/")
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    // en: 4 posts, 2 positive. Packs: "join the caliphate" fires on both
    // posts with it (P 0.5, R 0.5); the model on the two positives (its
    // words are in both; P 1, R 1); either: P 2/3, R 1.
    assert_eq!(row("en")[1..3], ["4", "2"]);
    assert_eq!(row("en")[3..6], ["0.50", "0.50", "0.50"]);
    assert_eq!(row("en")[6..9], ["1.00", "1.00", "1.00"]);
    assert_eq!(row("en")[9..12], ["0.67", "1.00", "0.80"]);
    assert_eq!(row("ru")[1..3], ["1", "1"]);
    assert_eq!(row("all")[1..3], ["5", "3"]);
    let bad = tmp("bad.jsonl", b"{\"text\": \"x\"}\n");
    let out = run(&["eval", "--no-model", &bad], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.jsonl:1:"));
}

#[test]
fn eval_measures_one_finding_kind_with_labels_that_name_it() {
    let btc = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4";
    let eth = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
    let labelled = [
        format!(r#"{{"text": "Support the channel: {btc}", "label": "donation_request"}}"#),
        format!(r#"{{"text": "Donations are welcome: {btc}", "label": 1}}"#),
        format!(r#"{{"text": "CA: {eth} just launched, liquidity locked", "label": "none"}}"#),
        format!(r#"{{"text": "Send 0.1 BTC to {btc} and receive 0.2 BTC back", "label": "scam"}}"#),
    ]
    .join("\n");
    let file = tmp("kinds.jsonl", labelled.as_bytes());
    let figures = |kind: &str| {
        let out = run(&["eval", "--no-model", "--kind", kind, &file], None);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        text.lines()
            .find(|l| l.starts_with("all"))
            .unwrap_or_else(|| panic!("no row all: {text}"))
            .split_whitespace()
            .filter(|w| *w != "/")
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        figures("donation_request")[1..],
        ["4", "2", "1.00", "1.00", "1.00"]
    );
    // A label 1 is positive for whichever kind is measured: the post that
    // asks with label 1 is a scam the packs missed (R 0.5).
    assert_eq!(figures("scam")[1..], ["4", "2", "1.00", "0.50", "0.67"]);
    // Without --kind a string label is an error; an unknown kind is one too.
    let out = run(&["eval", "--no-model", &file], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("kinds.jsonl:1:"));
    let out = run(&["eval", "--no-model", "--kind", "donation", &file], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--kind donation"));
}
