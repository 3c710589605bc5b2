//! Re-anchoring a reviewer flag (`flaglight::anchor`) through its public API:
//! the cost on big and repetitive pages grows with the page, not its square.

mod support;

use flaglight::anchor::{anchor, QuoteSelector};
use support::assert_time_grows_at_most;

fn sel<'a>(
    exact: &'a str,
    prefix: &'a str,
    suffix: &'a str,
    position: Option<u32>,
) -> QuoteSelector<'a> {
    QuoteSelector {
        exact,
        prefix,
        suffix,
        position,
    }
}

#[test]
fn an_edited_quote_on_a_big_page_costs_linear_time() {
    let para = "The quick brown fox jumps over the lazy dog. ".repeat(200);
    let edited = para.replacen("lazy", "sleepy", 3);
    let page = |n: usize| format!("{}{edited}", "x".repeat(n));
    let (small, big) = (page(12_500), page(400_000));
    let run = |text: &str, at: u32| {
        let a = anchor(text, &sel(&para, "xxxx", "", Some(at))).expect("anchored");
        assert_eq!(a.start, at);
    };
    assert_time_grows_at_most(
        "anchoring an edited paragraph",
        32.0,
        320.0,
        || run(&small, 12_500),
        || run(&big, 400_000),
    );
}

#[test]
fn one_repeated_letter_costs_linear_time() {
    // Every position is an exact candidate for most of the quote.
    let q = format!("{}b{}", "a".repeat(50), "a".repeat(50));
    let (small, big) = ("a".repeat(12_500), "a".repeat(400_000));
    let run = |page: &str| {
        let a = anchor(page, &sel(&q, "", "", Some(1000))).expect("anchored");
        assert_eq!(a.distance, 1);
    };
    assert_time_grows_at_most(
        "anchoring in one repeated letter",
        32.0,
        320.0,
        || run(&small),
        || run(&big),
    );
}
