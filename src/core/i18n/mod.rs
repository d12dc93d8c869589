//! The widget's own words in the reader's language: catalogues of texts (data files,
//! `en.txt`, `uk.txt`, …, read once when first needed), a [`Locale`] that looks texts
//! up with a fallback to English, fills placeholders, picks plural forms by the
//! language's CLDR rule and writes numbers and dates the way the language does.
//!
//! Every string the UI shows comes from here (`tests/catalogue.rs` checks that every key
//! used exists in English, that every English key is used, and that each catalogue has
//! every key). Developer-facing errors for the host's JavaScript (mount options) stay
//! English, and label *names* are data written to exports, never translated.

mod catalogue;
mod format;

use std::sync::OnceLock;

/// Each language's catalogue, parsed on first use.
static PARSED: [OnceLock<Catalogue>; 5] = [const { OnceLock::new() }; 5];
/// Catalogue files given at run time ([`provide`]), kept for the page's life.
static PROVIDED: [OnceLock<&'static str>; 5] = [const { OnceLock::new() }; 5];

/// Gives the widget a catalogue this build does not carry (the embed build's loader
/// fetches `catalogues/<code>.txt`). `Ok(true)`: its texts are in use from now on;
/// `Ok(false)`: it was here already, and stays as it was. A file that is not a catalogue
/// of this widget (an error page served as the file, another program's) is refused,
/// saying so, and the language stays English.
pub fn provide(language: Language, source: String) -> Result<bool, String> {
    if language.available() {
        return Ok(false);
    }
    let parsed = check(language, &source)?;
    let index = language.index();
    let kept: &'static str = Box::leak(source.into_boxed_str());
    // Set once: a second, concurrent provide finds it set and changes nothing.
    let fresh = PROVIDED[index].set(kept).is_ok();
    if fresh {
        let _ = PARSED[index].set(parsed);
    }
    Ok(fresh)
}

/// The catalogue in `source`, if it is one of this widget's: at least half of English's
/// keys have a text in it (a translation lags a few texts behind at most; each missing
/// one falls back to English).
pub fn check(language: Language, source: &str) -> Result<Catalogue, String> {
    let parsed = Catalogue::parse(source);
    let english = Language::English.catalogue();
    let wanted = english.keys().count();
    let found = english.keys().filter(|key| parsed.get(key).is_some()).count();
    if found * 2 < wanted {
        return Err(format!(
            "article-annotator: the {} catalogue given is not one of this widget's ({found} of its {wanted} texts); the interface stays English",
            language.code()
        ));
    }
    Ok(parsed)
}

pub use catalogue::{entries, is_key, BadLine, Catalogue};
pub use format::{Plural, MONTH_KEYS};

/// A language the widget speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Language {
    /// English, the fallback of every other.
    English,
    /// Ukrainian.
    Ukrainian,
    /// German.
    German,
    /// French.
    French,
    /// Spanish.
    Spanish,
}

impl Language {
    /// Every language, English first.
    pub const ALL: [Language; 5] = [Language::English, Language::Ukrainian, Language::German, Language::French, Language::Spanish];

    /// The ISO 639-1 code.
    pub fn code(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::Ukrainian => "uk",
            Language::German => "de",
            Language::French => "fr",
            Language::Spanish => "es",
        }
    }

    /// The language of a tag as hosts and pages write it ("uk", "uk-UA", "UK", "de_AT"):
    /// its primary subtag, if the widget speaks it.
    pub fn from_tag(tag: &str) -> Option<Language> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        Language::ALL.into_iter().find(|l| l.code() == primary)
    }

    /// The catalogue file, as this build carries it: English always; the others with
    /// the `catalogues` feature (the full build, native code). The embed build leaves
    /// them out and its loader fetches the one a widget speaks ([`provide`]).
    pub fn built_in(self) -> Option<&'static str> {
        match self {
            Language::English => Some(include_str!("en.txt")),
            #[cfg(feature = "catalogues")]
            Language::Ukrainian => Some(include_str!("uk.txt")),
            #[cfg(feature = "catalogues")]
            Language::German => Some(include_str!("de.txt")),
            #[cfg(feature = "catalogues")]
            Language::French => Some(include_str!("fr.txt")),
            #[cfg(feature = "catalogues")]
            Language::Spanish => Some(include_str!("es.txt")),
            #[cfg(not(feature = "catalogues"))]
            _ => None,
        }
    }

    /// The catalogue file, built in or provided at run time.
    pub fn source(self) -> Option<&'static str> {
        self.built_in().or_else(|| PROVIDED[self.index()].get().copied())
    }

    /// Whether its texts are here (built in, or provided).
    pub fn available(self) -> bool {
        self.source().is_some()
    }

    fn index(self) -> usize {
        Language::ALL.iter().position(|l| *l == self).unwrap_or(0)
    }

    /// The catalogue, parsed on first use; English's while this one is not here.
    pub fn catalogue(self) -> &'static Catalogue {
        match self.source() {
            Some(source) => PARSED[self.index()].get_or_init(|| Catalogue::parse(source)),
            None => Language::English.catalogue(),
        }
    }

    /// The plural form of `n` (CLDR cardinal rules, integers).
    pub fn plural(self, n: u64) -> Plural {
        format::plural(self, n)
    }

    /// The plural forms this language's texts need, for a key with a count.
    pub fn plural_forms(self) -> &'static [Plural] {
        format::forms(self)
    }
}

/// The reader's language: its texts, English behind them, its plural rule and number format.
#[derive(Debug, Clone, Copy)]
pub struct Locale {
    language: Language,
    catalogue: &'static Catalogue,
    english: &'static Catalogue,
    number: &'static format::NumberFormat,
}

impl PartialEq for Locale {
    fn eq(&self, other: &Self) -> bool {
        self.language == other.language
    }
}

impl Default for Locale {
    fn default() -> Self {
        Locale::of(Language::English)
    }
}

impl Locale {
    /// The locale for a language tag: "uk", "uk-UA" and "UK" are Ukrainian; a tag the
    /// widget has no catalogue for is English.
    pub fn new(tag: &str) -> Self {
        Locale::of(Language::from_tag(tag).unwrap_or(Language::English))
    }

    /// The locale of a language; English while its catalogue is not here (texts,
    /// numbers and plurals stay of one language).
    pub fn of(language: Language) -> Self {
        let language = if language.available() { language } else { Language::English };
        Locale { language, catalogue: language.catalogue(), english: Language::English.catalogue(), number: format::number_format(language) }
    }

    /// English.
    pub fn english() -> Self {
        Locale::of(Language::English)
    }

    /// Its language.
    pub fn language(&self) -> Language {
        self.language
    }

    /// The text of `key`: this language's, else English's, else the key itself (so a
    /// missing text is visible, never a blank).
    pub fn t<'k>(&self, key: &'k str) -> &'k str {
        self.catalogue.get(key).or_else(|| self.english.get(key)).unwrap_or(key)
    }

    /// The text of `key` with its `{name}` placeholders filled.
    pub fn f(&self, key: &str, args: &[(&str, &str)]) -> String {
        fill(self.t(key), args)
    }

    /// The plural form of `key` for `count` (`key[one]`, `key[few]`, …), with `{n}`
    /// the count as this language writes it and the other placeholders filled. A form
    /// this catalogue lacks is English's form for `count`.
    pub fn n(&self, key: &str, count: usize, args: &[(&str, &str)]) -> String {
        let own = format!("{key}[{}]", self.language.plural(count as u64).name());
        let text = self.catalogue.get(&own).or_else(|| {
            let english = format!("{key}[{}]", Language::English.plural(count as u64).name());
            self.english.get(&english)
        });
        let number = self.count(count);
        let mut all: Vec<(&str, &str)> = vec![("n", number.as_str())];
        all.extend_from_slice(args);
        fill(text.unwrap_or(key), &all)
    }

    /// A figure with the language's grouping: en "5,000,000", de "5.000.000", es
    /// "5.000.000" (but "5000": CLDR's minimum grouping), fr "5 000 000" (U+202F),
    /// uk "5 000 000" (U+00A0).
    pub fn number(&self, n: usize) -> String {
        self.number.group(&n.to_string())
    }

    /// A count in running text (`{n}` of a plural text). English writes counts
    /// ungrouped ("10000 of 64000 sentences tagged"), as the widget always has
    /// (hosts and tests read them); the other languages group them as figures.
    pub fn count(&self, n: usize) -> String {
        if self.number.group_counts {
            self.number(n)
        } else {
            n.to_string()
        }
    }

    /// A decimal figure with `places` decimals: en "0.81", the others "0,81".
    pub fn decimal(&self, value: f64, places: usize) -> String {
        let written = format!("{value:.places$}");
        let (whole, fraction) = written.split_once('.').unwrap_or((&written, ""));
        let (sign, digits) = whole.strip_prefix('-').map_or(("", whole), |d| ("-", d));
        let mut out = format!("{sign}{}", self.number.group(digits));
        if !fraction.is_empty() {
            out.push(self.number.decimal);
            out.push_str(fraction);
        }
        out
    }

    /// A moment as the library shows it: day, abbreviated month, year and 24-hour
    /// time, by the catalogue's `date.format` and month names ("1 Dec 2026, 22:36";
    /// uk "1 груд. 2026 р., 22:36"). `offset_minutes` is the reader's time zone, east
    /// of UTC (the shell reads it from the browser for that very moment).
    pub fn date_time(&self, millis: u64, offset_minutes: i32) -> String {
        let local = millis as i64 + i64::from(offset_minutes) * 60_000;
        let secs = local.div_euclid(1000);
        let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
        let (year, month, day) = super::time::civil_from_days(days);
        let month_key = MONTH_KEYS.get(month as usize - 1).copied().unwrap_or(MONTH_KEYS[0]);
        let time = format!("{:02}:{:02}", rem / 3600, rem % 3600 / 60);
        self.f("date.format", &[("day", &day.to_string()), ("month", self.t(month_key)), ("year", &year.to_string()), ("time", &time)])
    }
}

/// `text` with each `{name}` of `args` replaced; other braces are left as they are.
fn fill(text: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| args.iter().find(|(name, _)| *name == &after[..close]).map(|(_, v)| (close, *v)));
        match value {
            Some((close, value)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The placeholders of a text (`{name}`), in order, for the catalogue test.
pub fn placeholders(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if after[..close].bytes().all(|b| b.is_ascii_lowercase() || b == b'_') && close > 0 => {
                found.push(&after[..close]);
                rest = &after[close + 1..];
            }
            _ => rest = after,
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_choose_a_language_and_unknown_ones_are_english() {
        for tag in ["uk", "uk-UA", "UK", " uk_ua "] {
            assert_eq!(Locale::new(tag).language(), Language::Ukrainian, "{tag}");
        }
        assert_eq!(Locale::new("de-AT").language(), Language::German);
        assert_eq!(Locale::new("sw").language(), Language::English);
        assert_eq!(Locale::new("").language(), Language::English);
        assert_eq!(Locale::new("ukr").language(), Language::English, "three letters are another code");
    }

    #[test]
    fn lookups_fall_back_to_english_then_to_the_key() {
        let uk = Locale::new("uk");
        // A catalogue with one text: every other key is English's.
        let partial: &'static Catalogue = Box::leak(Box::new(Catalogue::parse("toolbar.undo = Rückgängig\nlist.more[one] = … und {n} weiterer")));
        let de = Locale { catalogue: partial, ..Locale::of(Language::German) };
        assert_eq!(Locale::english().t("toolbar.export_json"), "Export JSON");
        assert_eq!(uk.t("toolbar.export_json"), "Експорт JSON");
        assert_eq!(de.t("toolbar.undo"), "Rückgängig");
        assert_eq!(de.t("toolbar.export_json"), "Export JSON", "a missing text is English's");
        assert_eq!(de.n("list.more", 1, &[]), "… und 1 weiterer");
        assert_eq!(de.n("list.more", 5, &[]), "… and 5 more", "a missing plural form is English's");
        let unknown = "no.such.key";
        assert_eq!(uk.t(unknown), unknown, "missing everywhere: the key itself");
        assert_eq!(Locale::english().f("view.untagged", &[("n", "3")]), "Sentence 3 untagged");
    }

    #[test]
    fn a_provided_catalogue_must_be_one_of_ours() {
        let german = Language::German.built_in().unwrap_or_default();
        assert!(check(Language::German, german).is_ok_and(|c| c.get("toolbar.undo").is_some()));
        // Served in its place: an error page, a file of another program, nothing.
        for bad in ["<!doctype html><title>Not found</title>", "toolbar.undo = Rückgängig\n", ""] {
            let refused = check(Language::German, bad).map(|_| ());
            assert!(refused.as_ref().is_err_and(|m| m.contains("de catalogue") && m.contains("stays English")), "{bad:?}: {refused:?}");
        }
        // Half of the texts are enough: the others fall back to English.
        let half: String = german.lines().take(german.lines().count() / 2 + 20).collect::<Vec<_>>().join("\n");
        assert!(check(Language::German, &half).is_ok());
        // A language this build carries is never replaced.
        assert_eq!(provide(Language::German, "toolbar.undo = X".into()), Ok(false));
        assert_eq!(Locale::new("de").t("toolbar.undo"), "Rückgängig");
    }

    #[test]
    fn placeholders_are_filled_and_other_braces_kept() {
        assert_eq!(fill("{a} and {b}, {c} {", &[("a", "1"), ("b", "{a}")]), "1 and {a}, {c} {");
        assert_eq!(placeholders("x {n} y {title} {Not} {}"), ["n", "title"]);
    }

    #[test]
    fn ukrainian_has_three_plural_forms() {
        let forms: Vec<(u64, &str)> = [0, 1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 101, 111].iter().map(|&n| (n, Language::Ukrainian.plural(n).name())).collect();
        assert_eq!(
            forms,
            [(0, "many"), (1, "one"), (2, "few"), (4, "few"), (5, "many"), (11, "many"), (12, "many"), (14, "many"), (21, "one"), (22, "few"), (25, "many"), (101, "one"), (111, "many")]
        );
        let uk = Locale::new("uk");
        assert_eq!(uk.n("library.exported", 1, &[]), "Експортовано 1 документ із текстами й позначками.");
        assert_eq!(uk.n("library.exported", 3, &[]), "Експортовано 3 документи з текстами й позначками.");
        assert_eq!(uk.n("library.exported", 5, &[]), "Експортовано 5 документів із текстами й позначками.");
        assert_eq!(uk.n("library.exported", 21, &[]), "Експортовано 21 документ із текстами й позначками.");
        assert_eq!(uk.n("library.exported", 12_000, &[]), "Експортовано 12\u{a0}000 документів із текстами й позначками.");
    }

    #[test]
    fn other_languages_plural_rules() {
        let name = |l: Language, n| l.plural(n).name();
        assert_eq!([name(Language::English, 0), name(Language::English, 1), name(Language::English, 2)], ["other", "one", "other"]);
        assert_eq!([name(Language::German, 1), name(Language::Spanish, 1), name(Language::Spanish, 0)], ["one", "one", "other"]);
        assert_eq!([name(Language::French, 0), name(Language::French, 1), name(Language::French, 2)], ["one", "one", "other"]);
        let en = Locale::english();
        assert_eq!(en.n("library.exported", 1, &[]), "Exported 1 document with their texts and tags.");
        assert_eq!(en.n("library.exported", 10_000, &[]), "Exported 10000 documents with their texts and tags.", "English counts stay ungrouped");
        // French takes [one] for 0 as for 1.
        assert_eq!(Locale::new("fr").n("list.more", 0, &[]), Locale::new("fr").n("list.more", 1, &[]).replace('1', "0"));
    }

    #[test]
    fn numbers_are_grouped_per_locale() {
        let n = |tag: &str, value| Locale::new(tag).number(value);
        assert_eq!([n("en", 5_000_000), n("en", 1234), n("en", 999)], ["5,000,000", "1,234", "999"]);
        assert_eq!([n("de", 5_000_000), n("de", 1234)], ["5.000.000", "1.234"]);
        assert_eq!([n("es", 5_000_000), n("es", 1234), n("es", 12_345)], ["5.000.000", "1234", "12.345"]);
        assert_eq!([n("fr", 5_000_000), n("fr", 1234)], ["5\u{202f}000\u{202f}000", "1\u{202f}234"]);
        assert_eq!([n("uk", 5_000_000), n("uk", 1234), n("uk", 0)], ["5\u{a0}000\u{a0}000", "1\u{a0}234", "0"]);
        assert_eq!(Locale::english().count(10_000), "10000");
        assert_eq!(Locale::new("uk").count(10_000), "10\u{a0}000");
    }

    #[test]
    fn decimals_use_the_locale_separator() {
        assert_eq!(Locale::english().decimal(0.8125, 2), "0.81");
        assert_eq!(Locale::new("uk").decimal(0.8125, 2), "0,81");
        assert_eq!(Locale::new("de").decimal(12_345.6, 1), "12.345,6");
        assert_eq!(Locale::new("fr").decimal(12.3, 1), "12,3");
        assert_eq!(Locale::english().decimal(81.4, 0), "81");
        assert_eq!(Locale::english().decimal(-1.5, 1), "-1.5");
    }

    #[test]
    fn dates_follow_the_catalogue() {
        // 2026-12-01T22:36:00Z
        let at = 1_796_164_560_000;
        assert_eq!(Locale::english().date_time(at, 0), "1 Dec 2026, 22:36");
        assert_eq!(Locale::new("uk").date_time(at, 120), "2 груд. 2026 р., 00:36", "Kyiv in winter: UTC+2");
        assert_eq!(Locale::english().date_time(at, -300), "1 Dec 2026, 17:36");
        assert_eq!(Locale::english().date_time(0, 0), "1 Jan 1970, 00:00");
    }
}
