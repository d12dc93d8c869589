//! How each language counts and writes numbers: CLDR plural rules (integers only:
//! the widget counts sentences, tags and documents) and digit grouping.

use super::Language;

/// A CLDR plural category.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plural {
    /// "one".
    One,
    /// "few" (Ukrainian 2-4, 22-24, …).
    Few,
    /// "many" (Ukrainian 0, 5-20, 25-30, …).
    Many,
    /// "other".
    Other,
}

impl Plural {
    /// The name in catalogue keys: `key[one]`.
    pub fn name(self) -> &'static str {
        match self {
            Plural::One => "one",
            Plural::Few => "few",
            Plural::Many => "many",
            Plural::Other => "other",
        }
    }
}

/// The category of `n` in `language`.
pub fn plural(language: Language, n: u64) -> Plural {
    match language {
        Language::English | Language::German | Language::Spanish => {
            if n == 1 {
                Plural::One
            } else {
                Plural::Other
            }
        }
        Language::French => {
            if n <= 1 {
                Plural::One
            } else {
                Plural::Other
            }
        }
        Language::Ukrainian => {
            let (ten, hundred) = (n % 10, n % 100);
            if ten == 1 && hundred != 11 {
                Plural::One
            } else if (2..=4).contains(&ten) && !(12..=14).contains(&hundred) {
                Plural::Few
            } else {
                Plural::Many
            }
        }
    }
}

/// The categories a language's texts need for whole numbers.
pub fn forms(language: Language) -> &'static [Plural] {
    match language {
        Language::Ukrainian => &[Plural::One, Plural::Few, Plural::Many],
        _ => &[Plural::One, Plural::Other],
    }
}

/// Keys of the abbreviated month names, January first (dates are built from them).
pub const MONTH_KEYS: [&str; 12] = [
    "date.month.jan",
    "date.month.feb",
    "date.month.mar",
    "date.month.apr",
    "date.month.may",
    "date.month.jun",
    "date.month.jul",
    "date.month.aug",
    "date.month.sep",
    "date.month.oct",
    "date.month.nov",
    "date.month.dec",
];

/// How a language writes figures.
#[derive(Debug)]
pub struct NumberFormat {
    /// Between groups of three digits.
    pub group: &'static str,
    /// Before the decimals.
    pub decimal: char,
    /// Fewest digits a number has before it is grouped at all (CLDR minimum grouping:
    /// Spanish writes "1234" but "12.345").
    pub min_digits: usize,
    /// Whether counts in running text are grouped too (English keeps them as digits).
    pub group_counts: bool,
}

impl NumberFormat {
    /// `digits` (ASCII digits only) with the group separators.
    pub fn group(&self, digits: &str) -> String {
        if digits.len() < self.min_digits {
            return digits.to_owned();
        }
        let mut out = String::with_capacity(digits.len() + digits.len() / 3 * self.group.len());
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push_str(self.group);
            }
            out.push(c);
        }
        out
    }
}

/// The number format of a language.
pub fn number_format(language: Language) -> &'static NumberFormat {
    const EN: NumberFormat = NumberFormat { group: ",", decimal: '.', min_digits: 4, group_counts: false };
    const DE: NumberFormat = NumberFormat { group: ".", decimal: ',', min_digits: 4, group_counts: true };
    const ES: NumberFormat = NumberFormat { group: ".", decimal: ',', min_digits: 5, group_counts: true };
    const FR: NumberFormat = NumberFormat { group: "\u{202f}", decimal: ',', min_digits: 4, group_counts: true };
    const UK: NumberFormat = NumberFormat { group: "\u{a0}", decimal: ',', min_digits: 4, group_counts: true };
    match language {
        Language::English => &EN,
        Language::German => &DE,
        Language::Spanish => &ES,
        Language::French => &FR,
        Language::Ukrainian => &UK,
    }
}
