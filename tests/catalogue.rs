//! Every string the widget shows comes from a catalogue, and the catalogues are complete:
//! (a) every key the code looks up (`.t("…")`, `.f("…"`, `.n("…"`, and the month names,
//! the one list of keys looked up by value) is in `en.txt`; (b) every key of `en.txt` is
//! used; (c) each other catalogue has every English key (a key with a count: the plural
//! forms its language needs), no other key, and the same placeholders.
//!
//! One test per language, so a translator runs only theirs: `cargo test --test catalogue de`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use article_annotator::core::i18n::{entries, placeholders, Language, MONTH_KEYS};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Keys looked up in the code: (plain keys, keys with a count).
fn used_keys() -> (BTreeSet<String>, BTreeSet<String>) {
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    let (mut plain, mut counted) = (BTreeSet::new(), BTreeSet::new());
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        for (call, plural) in [(".t(", false), (".f(", false), (".n(", true)] {
            for (at, _) in text.match_indices(call) {
                let rest = text[at + call.len()..].trim_start();
                let Some(literal) = rest.strip_prefix('"') else { continue };
                let Some(end) = literal.find('"') else { continue };
                let key = literal[..end].to_owned();
                if plural { counted.insert(key) } else { plain.insert(key) };
            }
        }
    }
    // Looked up by value (`Locale::date_time`): the one explicit list.
    plain.extend(MONTH_KEYS.iter().map(|k| k.to_string()));
    (plain, counted)
}

/// A catalogue file read: key -> text, plus its malformed lines and repeated keys.
struct Read {
    texts: BTreeMap<String, String>,
    problems: Vec<String>,
}

fn read(language: Language) -> Read {
    let (mut texts, mut problems) = (BTreeMap::new(), Vec::new());
    let source = language.built_in().unwrap_or_else(|| panic!("{} is not built in: run the catalogue test with the `catalogues` feature", language.code()));
    for entry in entries(source) {
        match entry {
            Ok((key, text)) => {
                if texts.insert(key.clone(), text).is_some() {
                    problems.push(format!("{key} is written twice"));
                }
            }
            Err(bad) => problems.push(format!("line {} is not `key = text`: {}", bad.line, bad.text)),
        }
    }
    Read { texts, problems }
}

/// `key[form]` as (`key`, Some(`form`)); `key` as (`key`, None).
fn split(key: &str) -> (&str, Option<&str>) {
    match key.split_once('[') {
        Some((base, form)) => (base, Some(form.trim_end_matches(']'))),
        None => (key, None),
    }
}

fn sorted(set: &[&str]) -> Vec<String> {
    let mut all: Vec<String> = set.iter().map(|s| s.to_string()).collect();
    all.sort();
    all.dedup();
    all
}

#[test]
fn english_file_is_well_formed() {
    let english = read(Language::English);
    assert!(english.problems.is_empty(), "en.txt:\n{}", english.problems.join("\n"));
    for (key, text) in &english.texts {
        if let (_, Some(_)) = split(key) {
            assert!(placeholders(text).contains(&"n"), "{key} has a count but no {{n}}");
        }
    }
}

#[test]
fn english_keys_are_used_and_exist() {
    let (plain, counted) = used_keys();
    let english = read(Language::English).texts;
    let mut missing: Vec<String> = plain.iter().filter(|k| !english.contains_key(*k)).cloned().collect();
    for key in &counted {
        for form in ["one", "other"] {
            let wanted = format!("{key}[{form}]");
            if !english.contains_key(&wanted) {
                missing.push(wanted);
            }
        }
    }
    assert!(missing.is_empty(), "keys the code looks up that en.txt lacks:\n{}", missing.join("\n"));
    let unused: Vec<&String> = english
        .keys()
        .filter(|key| match split(key) {
            (base, Some(_)) => !counted.contains(base),
            (base, None) => !plain.contains(base),
        })
        .collect();
    assert!(unused.is_empty(), "keys of en.txt nothing uses:\n{}", unused.iter().map(|k| k.as_str()).collect::<Vec<_>>().join("\n"));
}

/// What `language`'s catalogue lacks, has too much of, or writes with other placeholders.
fn check(language: Language) {
    let english = read(Language::English).texts;
    let own = read(language);
    let forms: Vec<&str> = language.plural_forms().iter().map(|f| f.name()).collect();
    let mut wanted: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (key, text) in &english {
        let mut expected = placeholders(text);
        expected.sort();
        expected.dedup();
        let expected: Vec<String> = expected.into_iter().map(str::to_owned).collect();
        match split(key) {
            (base, Some(_)) => {
                for form in &forms {
                    wanted.insert(format!("{base}[{form}]"), expected.clone());
                }
            }
            (_, None) => {
                wanted.insert(key.clone(), expected);
            }
        }
    }
    let missing: Vec<&str> = wanted.keys().filter(|k| !own.texts.contains_key(*k)).map(String::as_str).collect();
    let extra: Vec<&str> = own.texts.keys().filter(|k| !wanted.contains_key(*k)).map(String::as_str).collect();
    let mut placeholder_problems = Vec::new();
    for (key, text) in &own.texts {
        let Some(expected) = wanted.get(key) else { continue };
        let found = sorted(&placeholders(text));
        // A plural form may write its number as a word ("one"), so `{n}` may be left out there.
        let expected_here: Vec<String> = expected.iter().filter(|p| !(split(key).1.is_some() && *p == "n" && !found.contains(p))).cloned().collect();
        if found != expected_here {
            placeholder_problems.push(format!("{key}: {{{}}} instead of {{{}}}", found.join("}, {"), expected_here.join("}, {")));
        }
    }
    let code = language.code();
    let mut report = Vec::new();
    if !missing.is_empty() {
        report.push(format!("{code}.txt lacks {} key(s):\n  {}", missing.len(), missing.join("\n  ")));
    }
    if !extra.is_empty() {
        report.push(format!("{code}.txt has {} key(s) English does not (or plural forms {code} does not use):\n  {}", extra.len(), extra.join("\n  ")));
    }
    if !placeholder_problems.is_empty() {
        report.push(format!("{code}.txt has other placeholders than English:\n  {}", placeholder_problems.join("\n  ")));
    }
    if !own.problems.is_empty() {
        report.push(format!("{code}.txt:\n  {}", own.problems.join("\n  ")));
    }
    assert!(report.is_empty(), "\n{}", report.join("\n"));
}

#[test]
fn catalogue_uk() {
    check(Language::Ukrainian);
}

#[test]
fn catalogue_de() {
    check(Language::German);
}

#[test]
fn catalogue_fr() {
    check(Language::French);
}

#[test]
fn catalogue_es() {
    check(Language::Spanish);
}
