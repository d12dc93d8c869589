//! Native benchmarks of the core, run by `cargo xtask bench` (`cargo bench --bench core`).
//!
//! Prints one JSON object per line, so xtask can put the figures in its table and in
//! `target/bench/results.json`. Inputs are written to `target/bench/inputs/` so that
//! the pySBD comparison segments exactly the same text.
//!
//! Arguments: names of the benchmarks to run (`segment`, `anchor`); none runs all.

use std::hint::black_box;
use std::path::Path;
use std::rc::Rc;
use std::time::Instant;

use article_annotator::core::model::{Annotation, Document, LabelSet};
use article_annotator::core::segment::segment;
use article_annotator::core::state::{Action, AppState};

const GENEVA: &str = include_str!("../assets/geneva-peace-plan.txt");

/// A deterministic pseudo-random generator (xorshift), so every run sees the same text.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

/// News-wire prose with the hard cases of the field: titles, initials, U.S., times,
/// money, percentages, quotations with attribution, ellipses, lists.
fn newswire(bytes: usize, seed: u64) -> String {
    let mut rng = Rng(seed);
    let who = ["Mr. Alvarez", "Dr. Okafor", "Sen. J. R. Whitman", "Gen. Petrova", "the U.S. Treasury", "Ms. Lindqvist", "Prof. Haddad"];
    let did = ["said on Jan. 15 that", "told reporters at 9 a.m. that", "warned in a statement that", "argued that", "confirmed that"];
    let what = [
        "revenue rose 3.5% to $1.2bn in the third quarter",
        "the U.N. would send 400 observers by Sept. 3",
        "talks in Geneva had made real progress",
        "the plan was \"dead on arrival\"",
        "prices at No. 10 Market St. had doubled since 2019",
        "the 2.5-mile route would reopen at 6 p.m. on Friday",
    ];
    let quotes = [
        "\"We are not there yet,\" she said.",
        "\"Is this the end?\" one delegate asked.",
        "'It works,' he said. 'Nobody expected that.'",
        "The report (published by the E.U. in May) disagreed.",
        "Officials were cautious... Others were not.",
        "Critics called it \"a wish list.\" Supporters did not respond.",
    ];
    let mut out = String::with_capacity(bytes + 256);
    let mut paragraph = 0;
    while out.len() < bytes {
        paragraph += 1;
        out.push_str(&format!("{} {} {}. ", rng.pick(&who), rng.pick(&did), rng.pick(&what)));
        out.push_str(rng.pick(&quotes));
        out.push(' ');
        out.push_str(&format!("{} {} {} (item {paragraph}).", rng.pick(&who), rng.pick(&did), rng.pick(&what)));
        out.push('\n');
    }
    out
}

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> f64 {
    let samples = (0..runs)
        .map(|_| {
            let start = Instant::now();
            black_box(f());
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    median(samples)
}

fn bench_segment(inputs: &Path) {
    let mut geneva = String::new();
    while geneva.len() < 1_000_000 {
        geneva.push_str(GENEVA);
        geneva.push('\n');
    }
    let cases = [("geneva-1mb", geneva), ("newswire-1mb", newswire(1_000_000, 0x9e37_79b9_7f4a_7c15))];
    for (name, text) in cases {
        let file = inputs.join(format!("{name}.txt"));
        let _ = std::fs::write(&file, &text);
        let sentences = segment(&text).len();
        let ms = time(7, || segment(&text));
        println!(
            "{{\"bench\": \"segment\", \"input\": \"{name}\", \"file\": \"{}\", \"bytes\": {}, \"sentences\": {sentences}, \"median_ms\": {ms:.3}, \"mb_per_s\": {:.1}}}",
            file.display(),
            text.len(),
            text.len() as f64 / 1e6 / (ms / 1000.0)
        );
    }
}

/// 1,000 annotations on a ~100 KB article, re-anchored after realistic edits.
fn bench_anchor() {
    let original = newswire(100_000, 42);
    let doc = Rc::new(Document::new("bench", &original));
    let labels = Rc::new(LabelSet::default());
    let mut state = AppState::new(doc.clone(), labels.clone());
    let n = doc.sentences().len().min(1000);
    for i in 0..n {
        state = state.apply(Action::Toggle { sentence: i, label: "claim".into(), now_ms: i as u64 });
    }
    let annotations: Vec<Annotation> = state.annotations().cloned().collect();

    // The edits: a new lead paragraph, every 20th sentence changed by a word, two paragraphs removed.
    let mut paragraphs: Vec<String> = original.lines().map(str::to_owned).collect();
    for (i, p) in paragraphs.iter_mut().enumerate() {
        if i % 7 == 0 {
            *p = p.replacen(" that ", " that, in fact, ", 1);
        }
    }
    paragraphs.remove(30);
    paragraphs.remove(10);
    let edited = format!("Update: this article was revised after publication.\n{}", paragraphs.join("\n"));
    let edited_doc = Rc::new(Document::new("bench", &edited));

    let mut placed = 0;
    let ms = time(5, || {
        let restored = AppState::new(edited_doc.clone(), labels.clone()).apply(Action::Restore(annotations.clone()));
        placed = restored.tagged();
        restored
    });
    println!(
        "{{\"bench\": \"anchor\", \"input\": \"newswire-100kb-edited\", \"bytes\": {}, \"annotations\": {}, \"placed\": {placed}, \"orphans\": {}, \"median_ms\": {ms:.3}}}",
        edited.len(),
        annotations.len(),
        annotations.len() - placed
    );
}

/// Loading 10,000 stored annotations into the unchanged article they were made on
/// (what every page load does): each holds at its position.
fn bench_reload() {
    let text = newswire(1_600_000, 7);
    let doc = Rc::new(Document::new("bench", &text));
    let labels = Rc::new(LabelSet::default());
    let mut state = AppState::new(doc.clone(), labels.clone());
    let n = doc.sentences().len().min(10_000);
    for i in 0..n {
        state = state.apply(Action::Toggle { sentence: i, label: "quote".into(), now_ms: i as u64 });
    }
    let annotations: Vec<Annotation> = state.annotations().cloned().collect();
    let ms = time(5, || AppState::new(doc.clone(), labels.clone()).apply(Action::Restore(annotations.clone())));
    println!(
        "{{\"bench\": \"reload\", \"input\": \"newswire-1.6mb\", \"bytes\": {}, \"annotations\": {}, \"median_ms\": {ms:.3}}}",
        text.len(),
        annotations.len()
    );
}

fn main() {
    let wanted: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    let runs = |name: &str| wanted.is_empty() || wanted.iter().any(|w| w == name);
    let inputs = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench/inputs");
    let _ = std::fs::create_dir_all(&inputs);
    if runs("segment") {
        bench_segment(&inputs);
    }
    if runs("anchor") {
        bench_anchor();
        bench_reload();
    }
}
