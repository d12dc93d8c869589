//! The agreement data sets in `tests/fixtures/agreement/`: each an article and one
//! native export per annotator, made here from a short description (or, for `random`,
//! a seeded generator), so that the committed files stay what this code makes.
//!
//! - `fixtures_are_what_the_generator_makes` compares the committed files with the
//!   generator; `AGREEMENT_WRITE_FIXTURES=1 cargo test --test agreement` rewrites them.
//! - `tables_for_the_python_check` writes each data set's long and wide tables to
//!   `target/tables/<set>/`, which `tests/agreement/tables.py` reads back with Python's
//!   `csv` and `json` and checks against the exports (`cargo xtask test`, step `agreement`).
//! - The figures themselves are checked against NLTK, statsmodels and scikit-learn by
//!   `tests/agreement/reference.py`; the checks here pin the edge cases by name.

use std::fs;
use std::path::{Path, PathBuf};

use article_annotator::core::agreement::source::read_annotator_file;
use article_annotator::core::agreement::{AnnotatorTags, Ratings, Report};
use article_annotator::core::anchor::target_for;
use article_annotator::core::codec::{native, table};
use article_annotator::core::model::{Annotation, Document};

/// One annotator's tags: (sentence, labels, note).
type Tags = Vec<(usize, Vec<&'static str>, Option<&'static str>)>;

struct DataSet {
    name: &'static str,
    text: String,
    annotators: Vec<(&'static str, Tags)>,
}

fn tags(list: &[(usize, &[&'static str])]) -> Tags {
    list.iter().map(|&(s, labels)| (s, labels.to_vec(), None)).collect()
}

const SIMPLE: &str = "The minister said taxes would rise next year. Critics called the plan reckless. \
\"We have no choice,\" she told reporters. The budget is due in March.\n\
Unemployment fell to 4 percent in October. Economists had expected a smaller drop. \
The opposition wants a referendum. \"This is theft,\" one leader said.\n\
Polls show voters are split. Markets barely moved on the news.";

const MULTI: &str = "The treaty, signed on Monday, ends a decade of talks. \"It is a good day,\" the envoy said. \
Some call it a surrender. Others say it was the only deal on offer.\n\
The text runs to 40 pages, with three annexes. \"Nobody has read it all,\" a diplomat joked. \
Ratification needs two thirds of parliament. That majority is far from certain.";

const UNUSED: &str = "Rain is expected across the north. Forecasters said it would last a week. \
\"Bring an umbrella,\" one added. Rivers may flood in places.\n\
Schools will stay open. The weather service issued no warning yet.";

const PERFECT: &str = "The company made a profit for the first time. Its chief said growth would continue. \
\"We are just getting started,\" he said. Analysts were cautious.\n\
Shares rose 8 percent. Rivals have struggled this year. The outlook remains uncertain. \
Investors will watch the next quarter closely.";

fn data_sets() -> Vec<DataSet> {
    vec![
        DataSet {
            name: "simple",
            text: SIMPLE.into(),
            annotators: vec![
                ("ann", tags(&[(0, &["claim"]), (1, &["position"]), (2, &["quote"]), (4, &["claim"]), (7, &["quote"]), (8, &["claim"])])),
                ("bob", tags(&[(0, &["claim"]), (1, &["claim"]), (2, &["quote"]), (5, &["position"]), (6, &["position"]), (7, &["quote"])])),
            ],
        },
        DataSet {
            name: "multilabel",
            text: MULTI.into(),
            annotators: vec![
                ("ann", vec![
                    (0, vec!["claim"], None),
                    (1, vec!["quote", "position"], Some("The envoy's view, \"in her words\",\nnot ours")),
                    (2, vec!["position"], None),
                    (3, vec!["position", "claim"], None),
                    (5, vec!["quote"], None),
                    // A second annotation on the same sentence: its labels are joined.
                    (5, vec!["aside"], Some("a joke")),
                    (6, vec!["claim"], None),
                ]),
                ("bob", tags(&[(0, &["claim"]), (1, &["quote"]), (2, &["position", "claim"]), (3, &["position"]), (4, &["claim"]), (5, &["quote", "aside"]), (7, &["claim"])])),
                ("cem", tags(&[(1, &["quote", "position"]), (2, &["position"]), (3, &["claim"]), (5, &["quote"]), (6, &["claim"]), (7, &["position", "claim"])])),
            ],
        },
        DataSet {
            name: "unused",
            text: UNUSED.into(),
            annotators: vec![
                ("ann", tags(&[(0, &["claim"]), (1, &["claim"]), (2, &["quote"]), (3, &["claim"])])),
                ("bob", tags(&[(0, &["claim"]), (2, &["quote"]), (3, &["claim"]), (5, &["claim"])])),
            ],
        },
        DataSet {
            name: "perfect",
            text: PERFECT.into(),
            annotators: vec![
                ("ann", tags(&[(0, &["claim"]), (1, &["claim", "position"]), (2, &["quote"]), (4, &["claim"]), (6, &["position"])])),
                ("bob", tags(&[(0, &["claim"]), (1, &["claim"]), (3, &["position"]), (4, &["claim", "quote"])])),
                ("cem", tags(&[(0, &["claim", "quote"]), (1, &["claim"]), (2, &["position"]), (4, &["claim"]), (7, &["position"])])),
            ],
        },
        random_data_set(),
    ]
}

/// Four annotators on the default article (repeated paragraphs and all) followed by 120
/// generated sentences: each sentence has a "true" label set, and each annotator keeps
/// or flips each label with its own error rate, from a fixed-seed generator (so the
/// files never change).
fn random_data_set() -> DataSet {
    let mut state: u64 = 0x2026_1201;
    let mut next = move || {
        // Knuth's MMIX linear congruential generator: enough for test data.
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as f64 / (1u64 << 31) as f64
    };
    let mut text = include_str!("../assets/geneva-peace-plan.txt").trim_end().to_owned();
    let subjects = ["The envoy", "A spokesman", "The council", "Her deputy", "One analyst", "The army"];
    let verbs = ["said", "denied", "argued", "warned", "insisted", "doubted"];
    let objects = ["the talks would resume", "the border was calm", "prices would fall", "the vote was fair", "aid had arrived"];
    let mut pick = |list: &[&'static str]| list[((next() * list.len() as f64) as usize).min(list.len() - 1)];
    for i in 0..120 {
        text.push_str(if i % 6 == 0 { "\n\n" } else { " " });
        text.push_str(&format!("{} {} on day {} that {}.", pick(&subjects), pick(&verbs), i + 1, pick(&objects)));
    }
    text.push('\n');
    let doc = Document::new("random", &text);
    let labels = ["claim", "quote", "position"];
    let truth: Vec<Vec<bool>> = doc.sentences().iter().map(|_| labels.iter().map(|_| next() < 0.35).collect()).collect();
    let annotators = [("ann", 0.05), ("bob", 0.15), ("cem", 0.25), ("dan", 0.4)]
        .into_iter()
        .map(|(name, error)| {
            let mut tags: Tags = Vec::new();
            for (s, truth) in truth.iter().enumerate() {
                let chosen: Vec<&'static str> = labels.iter().zip(truth).filter(|&(_, &t)| t != (next() < error)).map(|(l, _)| *l).collect();
                if !chosen.is_empty() {
                    tags.push((s, chosen, None));
                }
            }
            (name, tags)
        })
        .collect();
    DataSet { name: "random", text, annotators }
}

/// The native export of one annotator, as "Export JSON" writes it.
fn export(doc: &Document, annotator: &str, tags: &Tags) -> String {
    let annotations: Vec<Annotation> = tags
        .iter()
        .enumerate()
        .map(|(i, (s, labels, note))| {
            let time = format!("2026-12-01T09:{:02}:{:02}.000Z", i / 60, i % 60);
            Annotation {
                id: format!("{annotator}-{i}"),
                labels: labels.iter().map(|l| l.to_string()).collect(),
                note: note.map(str::to_owned),
                target: target_for(doc, &doc.sentences()[*s]),
                created: time.clone(),
                modified: time,
                versions: Default::default(),
            }
        })
        .collect();
    native::encode(doc, &annotations, &[]) + "\n"
}

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/agreement")
}

/// Every file of a data set: name and contents.
fn files_of(set: &DataSet) -> Vec<(String, String)> {
    let doc = Document::new(set.name, &set.text);
    let mut files = vec![("article.txt".to_owned(), set.text.clone())];
    files.extend(set.annotators.iter().map(|(name, tags)| (format!("{name}.json"), export(&doc, name, tags))));
    files
}

#[test]
fn fixtures_are_what_the_generator_makes() {
    let write = std::env::var_os("AGREEMENT_WRITE_FIXTURES").is_some_and(|v| v == "1");
    for set in data_sets() {
        let dir = fixtures_dir().join(set.name);
        for (name, contents) in files_of(&set) {
            let path = dir.join(&name);
            if write {
                fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
                fs::write(&path, &contents).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            }
            let committed = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e} (AGREEMENT_WRITE_FIXTURES=1 writes it)", path.display()));
            assert!(committed == contents, "{} differs from what the generator makes (AGREEMENT_WRITE_FIXTURES=1 rewrites it)", path.display());
        }
    }
}

/// A data set read back from its committed files, as the agreement command reads them.
fn ratings_of(set: &str) -> (Document, Ratings) {
    let dir = fixtures_dir().join(set);
    let read = |name: &str| fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{set}/{name}: {e}"));
    let doc = Document::new(set, &read("article.txt"));
    let set = data_sets().into_iter().find(|d| d.name == set).unwrap_or_else(|| panic!("no data set {set}"));
    let annotators = set
        .annotators
        .iter()
        .map(|(name, _)| {
            let file = read_annotator_file(&read(&format!("{name}.json")), &doc).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(file.warnings.is_empty(), "{:?}", file.warnings);
            let tags = AnnotatorTags::place(*name, &doc, &file.annotations);
            assert!(tags.orphans.is_empty() && tags.moved == 0, "{name}: every annotation sits at its position");
            tags
        })
        .collect();
    let ratings = Ratings::new(&doc, annotators);
    (doc, ratings)
}

fn label<'a>(report: &'a Report, name: &str) -> &'a article_annotator::core::agreement::LabelAgreement {
    report.labels.iter().find(|(l, _)| l == name).map(|(_, a)| a).unwrap_or_else(|| panic!("no label {name}"))
}

#[test]
fn unused_label_is_null_except_percent() {
    let report = Report::of(&ratings_of("unused").1);
    let position = label(&report, "position");
    assert_eq!((position.alpha, position.fleiss_kappa, position.percent), (None, None, Some(1.0)));
    assert_eq!(position.cohen_kappa, vec![vec![Some(1.0), None], vec![None, Some(1.0)]]);
    assert!(label(&report, "claim").alpha.is_some());
}

#[test]
fn perfect_agreement_on_a_label_is_one() {
    let report = Report::of(&ratings_of("perfect").1);
    let claim = label(&report, "claim");
    assert_eq!((claim.alpha, claim.fleiss_kappa, claim.percent), (Some(1.0), Some(1.0), Some(1.0)));
    assert!(claim.cohen_kappa.iter().flatten().all(|k| *k == Some(1.0)));
    assert!(label(&report, "position").alpha.is_some_and(|a| a < 1.0));
}

#[test]
fn joined_labels_and_a_custom_label_count() {
    let (_, ratings) = ratings_of("multilabel");
    assert_eq!(ratings.labels(), ["claim", "quote", "position", "aside"]);
    assert_eq!(ratings.annotators[0].sentences[5].labels, ["quote", "aside"]);
    let report = Report::of(&ratings);
    assert_eq!(report.annotators, ["ann", "bob", "cem"]);
    assert_eq!(report.sentences, 8);
}

/// Where the tables go: `target/tables/` (or under `CARGO_TARGET_DIR`, as cargo does).
fn tables_dir() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => root.join(dir).join("tables"),
        _ => root.join("target").join("tables"),
    }
}

#[test]
fn tables_for_the_python_check() {
    for set in data_sets() {
        let (doc, ratings) = ratings_of(set.name);
        let dir = tables_dir().join(set.name);
        fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        let long = table::long_csv(&doc, &ratings);
        let jsonl = table::long_jsonl(&doc, &ratings);
        let wide = table::wide_csv(&doc, &ratings);
        // Every sentence × annotator (the Python check reads the CSV files properly).
        assert_eq!(jsonl.lines().count(), doc.sentences().len() * ratings.annotators.len());
        for (name, body) in [("long.csv", long), ("long.jsonl", jsonl), ("wide.csv", wide)] {
            fs::write(dir.join(name), body).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }
}

/// Damaged files never panic the agreement path: 3,000 mutations of real exports (cut,
/// spliced, bytes replaced, JSON tokens inserted) are read, placed, measured and written
/// as tables; each is refused with a typed error or gives figures that are numbers or null.
#[test]
fn damaged_exports_never_panic() {
    let dir = fixtures_dir().join("multilabel");
    let read = |name: &str| fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let doc = Document::new("multilabel", &read("article.txt"));
    let seeds = [read("ann.json"), read("bob.json")];
    let tokens = ["{", "}", "[", "]", "\"", ",", ":", "null", "-1", "1e999", "18446744073709551616", "\"\\ud800\"", "\"labels\": []", "\"start\": 99999"];
    let mut state: u64 = 7;
    let mut next = move |bound: usize| {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) as usize) % bound.max(1)
    };
    let (mut refused, mut read_ok) = (0, 0);
    for case in 0..3_000 {
        let mut bytes = seeds[case % 2].as_bytes().to_vec();
        for _ in 0..1 + next(4) {
            let at = next(bytes.len());
            match next(4) {
                0 => bytes.truncate(at),
                1 => {
                    let end = (at + next(64)).min(bytes.len());
                    bytes.drain(at..end);
                }
                2 => bytes.splice(at..at, tokens[next(tokens.len())].bytes()).for_each(drop),
                _ => {
                    if let Some(b) = bytes.get_mut(at) {
                        *b = next(256) as u8;
                    }
                }
            }
        }
        let input = String::from_utf8_lossy(&bytes);
        let Ok(file) = read_annotator_file(&input, &doc) else {
            refused += 1;
            continue;
        };
        read_ok += 1;
        let tags = AnnotatorTags::place("x", &doc, &file.annotations);
        let other = AnnotatorTags::place("y", &doc, &[]);
        let ratings = Ratings::new(&doc, vec![tags, other]);
        let report = Report::of(&ratings);
        // serde_json would write a NaN as null: the figures themselves are checked.
        let o = &report.overall;
        let mut figures = vec![o.alpha_masi, o.alpha_jaccard, o.percent_exact];
        for (_, l) in &report.labels {
            figures.extend([l.alpha, l.fleiss_kappa, l.percent]);
            figures.extend(l.cohen_kappa.iter().flatten());
        }
        assert!(figures.iter().flatten().all(|x| x.is_finite()), "case {case}: {report:?}");
        assert!(report.to_json().starts_with('{'));
        let _ = (table::long_csv(&doc, &ratings), table::long_jsonl(&doc, &ratings), table::wide_csv(&doc, &ratings));
    }
    assert!(refused > 0 && read_ok > 0, "both outcomes occur ({refused} refused, {read_ok} read)");
}
