//! Agreement coefficients over a matrix of units × annotators.
//!
//! Every function takes the ratings as `units[u][a]`: the value annotator `a` gave
//! unit `u`, `None` where that annotator gave none. Values are anything comparable
//! (a label's presence, a set of labels). Every result is `Option<f64>`: `None`
//! where the coefficient is undefined (a division by zero in its formula), never NaN.
//!
//! Edge cases, the same for every coefficient:
//! - **One annotator** (or no unit with two values): nothing can be compared, so
//!   alpha and the kappas are `None`; percent agreement is 1.0 (one annotator always
//!   agrees with itself, and a table of one annotator's work should not show a gap).
//! - **No variation** (every value the same, e.g. a label nobody used): alpha and
//!   the kappas are `None` (expected disagreement is zero); percent agreement is 1.0.
//! - **Perfect agreement with some variation**: alpha and the kappas are 1.0.
//! - **No units at all**: everything is `None`.

use std::collections::{BTreeMap, BTreeSet};

/// Krippendorff's alpha, `1 - D_o / D_e`, by the coincidence-matrix formulation.
///
/// Units with fewer than two values are not pairable and are left out. Each
/// pairable unit `u` with `m_u` values adds `1 / (m_u - 1)` to the coincidence
/// `o[c][k]` for every ordered pair of values `(c, k)` given by two different
/// annotators; `n_c` is the row sum and `n` the total. Then
/// `D_o = Σ o[c][k] δ(c, k) / n` and `D_e = Σ n_c n_k δ(c, k) / (n (n - 1))`.
/// `distance` must be 0 between equal values. `None` when fewer than two distinct
/// values are pairable (then `D_e = 0`) or no unit is pairable.
pub fn krippendorff_alpha<V: Ord>(units: &[Vec<Option<V>>], distance: impl Fn(&V, &V) -> f64) -> Option<f64> {
    // Distinct pairable values, each given an index into the coincidence matrix.
    let pairable: Vec<Vec<&V>> = units
        .iter()
        .map(|unit| unit.iter().flatten().collect::<Vec<&V>>())
        .filter(|values| values.len() >= 2)
        .collect();
    let values: Vec<&V> = pairable.iter().flatten().copied().collect::<BTreeSet<&V>>().into_iter().collect();
    let index: BTreeMap<&V, usize> = values.iter().enumerate().map(|(i, &v)| (v, i)).collect();
    if index.len() < 2 {
        return None;
    }
    let k = index.len();
    let mut coincidences = vec![vec![0.0_f64; k]; k];
    for values in &pairable {
        let weight = 1.0 / (values.len() - 1) as f64;
        let ids: Vec<usize> = values.iter().filter_map(|v| index.get(v).copied()).collect();
        for (i, &c) in ids.iter().enumerate() {
            for (j, &d) in ids.iter().enumerate() {
                if i != j {
                    coincidences[c][d] += weight;
                }
            }
        }
    }
    let marginals: Vec<f64> = coincidences.iter().map(|row| row.iter().sum()).collect();
    let n: f64 = marginals.iter().sum();
    let (mut observed, mut expected) = (0.0, 0.0);
    for c in 0..k {
        for d in 0..k {
            let delta = distance(values[c], values[d]);
            observed += coincidences[c][d] * delta;
            expected += marginals[c] * marginals[d] * delta;
        }
    }
    let observed = observed / n;
    let expected = expected / (n * (n - 1.0));
    (expected > 0.0).then(|| 1.0 - observed / expected)
}

/// The nominal distance: 0 between equal values, 1 between different ones.
pub fn nominal<V: PartialEq>(a: &V, b: &V) -> f64 {
    if a == b { 0.0 } else { 1.0 }
}

/// Jaccard distance between two sets, `1 - |a ∩ b| / |a ∪ b|`; 0 between two empty
/// sets (they are equal: a sentence nobody tagged is agreement, not a division by zero).
pub fn jaccard_distance<T: Ord>(a: &BTreeSet<T>, b: &BTreeSet<T>) -> f64 {
    1.0 - jaccard(a, b)
}

/// MASI distance (Passonneau 2006): `1 - J · M`, with `J` the Jaccard similarity and
/// `M` 1 for equal sets, 2/3 when one is a subset of the other, 1/3 when they overlap
/// otherwise, 0 when disjoint. 0 between two empty sets (where NLTK's
/// `masi_distance` divides by zero).
pub fn masi_distance<T: Ord>(a: &BTreeSet<T>, b: &BTreeSet<T>) -> f64 {
    let shared = a.intersection(b).count();
    let monotonicity = if a == b {
        1.0
    } else if shared == a.len().min(b.len()) {
        2.0 / 3.0
    } else if shared > 0 {
        1.0 / 3.0
    } else {
        0.0
    };
    1.0 - jaccard(a, b) * monotonicity
}

fn jaccard<T: Ord>(a: &BTreeSet<T>, b: &BTreeSet<T>) -> f64 {
    let shared = a.intersection(b).count();
    let union = a.len() + b.len() - shared;
    if union == 0 { 1.0 } else { shared as f64 / union as f64 }
}

/// Fleiss' kappa from a count table `counts[u][c]`: how many annotators put unit `u`
/// in category `c`. Every unit must have the same number `n` of ratings, at least 2;
/// otherwise, or when every rating is in one category (chance agreement 1), `None`.
///
/// `P_u = (Σ_c counts[u][c]² - n) / (n (n - 1))`, `P̄` their mean, `p_c` the share of
/// all ratings in category `c`, `P̄_e = Σ_c p_c²`; kappa is `(P̄ - P̄_e) / (1 - P̄_e)`.
pub fn fleiss_kappa(counts: &[Vec<usize>]) -> Option<f64> {
    let raters = counts.first()?.iter().sum::<usize>();
    if raters < 2 || counts.iter().any(|row| row.iter().sum::<usize>() != raters) {
        return None;
    }
    let categories = counts.iter().map(Vec::len).max().unwrap_or(0);
    let mut totals = vec![0usize; categories];
    for row in counts {
        for (c, &x) in row.iter().enumerate() {
            totals[c] += x;
        }
    }
    // All ratings in one category: P̄_e is exactly 1 (decided on integers, not floats).
    if totals.iter().filter(|&&t| t > 0).count() < 2 {
        return None;
    }
    let n = raters as f64;
    let per_unit: f64 = counts
        .iter()
        .map(|row| (row.iter().map(|&x| (x * x) as f64).sum::<f64>() - n) / (n * (n - 1.0)))
        .sum();
    let mean = per_unit / counts.len() as f64;
    let all = (counts.len() * raters) as f64;
    let chance: f64 = totals.iter().map(|&t| (t as f64 / all).powi(2)).sum();
    Some((mean - chance) / (1.0 - chance))
}

/// Cohen's kappa between two annotators over the units both rated (`None` values skip
/// the unit): `(p_o - p_e) / (1 - p_e)` with `p_e = Σ_c p_a(c) p_b(c)`.
///
/// `None` when no unit is shared or `p_e = 1`, which happens exactly when both
/// annotators gave one and the same value throughout. Two annotators who are each
/// constant but on different values give 0 (`p_o = p_e = 0`), as scikit-learn does.
pub fn cohen_kappa<V: Ord>(a: &[Option<V>], b: &[Option<V>]) -> Option<f64> {
    let pairs: Vec<(&V, &V)> = a.iter().zip(b).filter_map(|(x, y)| Some((x.as_ref()?, y.as_ref()?))).collect();
    if pairs.is_empty() {
        return None;
    }
    let mut of_a: BTreeMap<&V, usize> = BTreeMap::new();
    let mut of_b: BTreeMap<&V, usize> = BTreeMap::new();
    for &(x, y) in &pairs {
        *of_a.entry(x).or_default() += 1;
        *of_b.entry(y).or_default() += 1;
    }
    let total = pairs.len();
    // p_e * total² on integers, so that p_e = 1 is decided exactly.
    let chance_pairs: usize = of_a.iter().map(|(v, &x)| x * of_b.get(v).copied().unwrap_or(0)).sum();
    if chance_pairs == total * total {
        return None;
    }
    let agree = pairs.iter().filter(|(x, y)| x == y).count();
    let observed = agree as f64 / total as f64;
    let chance = chance_pairs as f64 / (total * total) as f64;
    Some((observed - chance) / (1.0 - chance))
}

/// The share of units (0 to 1) on which every annotator who rated it gave the same
/// value. A unit rated by one annotator (or none) counts as agreed. `None` without units.
pub fn percent_agreement<V: PartialEq>(units: &[Vec<Option<V>>]) -> Option<f64> {
    if units.is_empty() {
        return None;
    }
    let agreed = units
        .iter()
        .filter(|unit| {
            let mut values = unit.iter().flatten();
            match values.next() {
                Some(first) => values.all(|v| v == first),
                None => true,
            }
        })
        .count();
    Some(agreed as f64 / units.len() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(got: Option<f64>, want: f64) {
        match got {
            Some(x) => assert!((x - want).abs() < 1e-12, "got {x}, want {want}"),
            None => panic!("got None, want {want}"),
        }
    }

    fn units(rows: &[&[u8]]) -> Vec<Vec<Option<u8>>> {
        rows.iter().map(|r| r.iter().map(|&v| Some(v)).collect()).collect()
    }

    /// Two annotators, four units: (1,1) (1,0) (0,0) (0,0). By hand: o[1][1] = 2,
    /// o[1][0] = o[0][1] = 1, o[0][0] = 4; n_1 = 3, n_0 = 5, n = 8;
    /// D_o = 2/8, D_e = 2·3·5 / (8·7) = 30/56; alpha = 1 - (1/4)/(30/56) = 1 - 56/120 = 8/15.
    #[test]
    fn alpha_nominal_by_hand() {
        let data = units(&[&[1, 1], &[1, 0], &[0, 0], &[0, 0]]);
        close(krippendorff_alpha(&data, nominal), 8.0 / 15.0);
    }

    /// Krippendorff's own example with missing values (Content Analysis, 2004, the
    /// nominal 4-coder table) gives 0.743; units with one value are left out.
    #[test]
    fn alpha_leaves_out_unpairable_units_and_matches_the_textbook() {
        let n = None;
        let s = Some;
        let rows: Vec<Vec<Option<u8>>> = vec![
            vec![s(1), s(1), n, s(1)],
            vec![s(2), s(2), s(3), s(2)],
            vec![s(3), s(3), s(3), s(3)],
            vec![s(3), s(3), s(3), s(3)],
            vec![s(2), s(2), s(2), s(2)],
            vec![s(1), s(2), s(3), s(4)],
            vec![s(4), s(4), s(4), s(4)],
            vec![s(1), s(1), s(2), s(1)],
            vec![s(2), s(2), s(2), s(2)],
            vec![n, s(5), s(5), s(5)],
            vec![n, n, s(1), s(1)],
            vec![n, n, s(3), n],
        ];
        let alpha = krippendorff_alpha(&rows, nominal).unwrap_or(f64::NAN);
        assert!((alpha - 0.743).abs() < 5e-4, "{alpha}");
        // The last unit (one value) changes nothing.
        let without: Vec<_> = rows[..11].to_vec();
        assert_eq!(krippendorff_alpha(&without, nominal), krippendorff_alpha(&rows, nominal));
    }

    #[test]
    fn alpha_is_undefined_without_variation_or_without_pairs() {
        assert_eq!(krippendorff_alpha(&units(&[&[0, 0], &[0, 0]]), nominal), None);
        assert_eq!(krippendorff_alpha(&units(&[&[1], &[0]]), nominal), None, "one annotator");
        assert_eq!(krippendorff_alpha::<u8>(&[], nominal), None);
        close(krippendorff_alpha(&units(&[&[1, 1], &[0, 0]]), nominal), 1.0);
    }

    /// Per unit (1,1,0),(0,0,0),(1,1,1),(1,0,0) as counts [absent, present]:
    /// P_u = 1/3, 1, 1, 1/3 → P̄ = 2/3; p = (6/12, 6/12) → P̄_e = 1/2; kappa = 1/3.
    #[test]
    fn fleiss_by_hand() {
        let counts = vec![vec![1, 2], vec![3, 0], vec![0, 3], vec![2, 1]];
        close(fleiss_kappa(&counts), 1.0 / 3.0);
        close(fleiss_kappa(&[vec![0, 2], vec![2, 0]]), 1.0);
    }

    #[test]
    fn fleiss_is_undefined_for_one_category_one_rater_or_ragged_rows() {
        assert_eq!(fleiss_kappa(&[vec![3, 0], vec![3, 0]]), None);
        assert_eq!(fleiss_kappa(&[vec![1, 0], vec![0, 1]]), None, "one annotator");
        assert_eq!(fleiss_kappa(&[vec![1, 1], vec![3, 0]]), None);
        assert_eq!(fleiss_kappa(&[]), None);
    }

    /// a = 1 1 0 0 1, b = 1 0 0 0 1: p_o = 4/5; p_a(1) = 3/5, p_b(1) = 2/5;
    /// p_e = 6/25 + 6/25 = 12/25; kappa = (20/25 - 12/25) / (13/25) = 8/13.
    #[test]
    fn cohen_by_hand() {
        let a = [1, 1, 0, 0, 1].map(Some);
        let b = [1, 0, 0, 0, 1].map(Some);
        close(cohen_kappa(&a, &b), 8.0 / 13.0);
        close(cohen_kappa(&a, &a), 1.0);
        assert_eq!(cohen_kappa(&a, &b), cohen_kappa(&b, &a));
    }

    #[test]
    fn cohen_is_undefined_only_when_both_hold_the_same_constant() {
        let zeros = [0, 0, 0].map(Some);
        let ones = [1, 1, 1].map(Some);
        assert_eq!(cohen_kappa(&zeros, &zeros), None);
        close(cohen_kappa(&zeros, &ones), 0.0);
        let mixed = [0, 1, 0].map(Some);
        close(cohen_kappa(&zeros, &mixed), 0.0);
        assert_eq!(cohen_kappa::<u8>(&[None], &[Some(1)]), None, "no shared unit");
    }

    #[test]
    fn percent_counts_units_where_all_agree() {
        close(percent_agreement(&units(&[&[1, 1, 1], &[1, 0, 1], &[0, 0, 0], &[0, 0, 1]])), 0.5);
        close(percent_agreement(&units(&[&[1], &[0]])), 1.0);
        assert_eq!(percent_agreement::<u8>(&[]), None);
    }

    fn set(labels: &[&'static str]) -> BTreeSet<&'static str> {
        labels.iter().copied().collect()
    }

    #[test]
    fn set_distances_by_hand() {
        let (empty, a, ab, bc, c) = (set(&[]), set(&["a"]), set(&["a", "b"]), set(&["b", "c"]), set(&["c"]));
        assert_eq!((jaccard_distance(&empty, &empty), masi_distance(&empty, &empty)), (0.0, 0.0));
        assert_eq!((jaccard_distance(&ab, &ab), masi_distance(&ab, &ab)), (0.0, 0.0));
        // Subset: J = 1/2, M = 2/3.
        close(Some(jaccard_distance(&a, &ab)), 0.5);
        close(Some(masi_distance(&a, &ab)), 1.0 - 0.5 * 2.0 / 3.0);
        // Overlap: J = 1/3, M = 1/3.
        close(Some(masi_distance(&ab, &bc)), 1.0 - 1.0 / 9.0);
        // Disjoint, and the empty set against a label.
        assert_eq!((masi_distance(&a, &c), masi_distance(&empty, &a), jaccard_distance(&empty, &a)), (1.0, 1.0, 1.0));
    }

    /// Sets as values: units ({a},{a,b}) and ({},{}), with MASI: o[{a}][{a,b}] = 1 each
    /// way, o[{}][{}] = 2; n = 4; D_o = 2δ/4 = δ/2 with δ = 2/3;
    /// D_e = (2·1·1·δ + 2·1·2·1 + 2·1·2·1) / (4·3) = (2δ + 8)/12; alpha = 1 - 6δ/(2δ + 8) = 1 - 4/(28/3) = 4/7.
    #[test]
    fn alpha_over_sets_by_hand() {
        let data = vec![vec![Some(set(&["a"])), Some(set(&["a", "b"]))], vec![Some(set(&[])), Some(set(&[]))]];
        close(krippendorff_alpha(&data, masi_distance), 4.0 / 7.0);
    }

    /// Alpha straight from the definition, pair by pair, without a coincidence matrix.
    fn alpha_by_pairs(units: &[Vec<Option<BTreeSet<u8>>>]) -> Option<f64> {
        let pairable: Vec<Vec<&BTreeSet<u8>>> = units.iter().map(|u| u.iter().flatten().collect::<Vec<_>>()).filter(|v| v.len() >= 2).collect();
        let pooled: Vec<&BTreeSet<u8>> = pairable.iter().flatten().copied().collect();
        let n = pooled.len() as f64;
        let mut observed = 0.0;
        for values in &pairable {
            let mut sum = 0.0;
            for (i, a) in values.iter().enumerate() {
                for (j, b) in values.iter().enumerate() {
                    if i != j {
                        sum += masi_distance(a, b);
                    }
                }
            }
            observed += sum / (values.len() - 1) as f64;
        }
        let mut expected = 0.0;
        for (i, a) in pooled.iter().enumerate() {
            for (j, b) in pooled.iter().enumerate() {
                if i != j {
                    expected += masi_distance(a, b);
                }
            }
        }
        let (observed, expected) = (observed / n, expected / (n * (n - 1.0)));
        (expected > 0.0).then(|| 1.0 - observed / expected)
    }

    proptest::proptest! {
        /// Random matrices of label sets (2 to 4 annotators, some values missing): alpha
        /// equals the pairwise definition; every figure is a number in range or None.
        #[test]
        fn figures_are_in_range_and_alpha_matches_its_definition(
            raw in proptest::collection::vec(proptest::collection::vec(proptest::option::weighted(0.9, 0u8..8), 2..5), 0..20),
        ) {
            let width = raw.iter().map(Vec::len).min().unwrap_or(0);
            let sets: Vec<Vec<Option<BTreeSet<u8>>>> = raw
                .iter()
                .map(|u| u[..width].iter().map(|v| v.map(|bits| (0..3).filter(|b| bits & (1 << b) != 0).collect())).collect())
                .collect();
            let alpha = krippendorff_alpha(&sets, masi_distance);
            match (alpha, alpha_by_pairs(&sets)) {
                (Some(a), Some(b)) => proptest::prop_assert!((a - b).abs() < 1e-9 && a <= 1.0 + 1e-12, "{a} {b}"),
                (a, b) => proptest::prop_assert_eq!(a, b),
            }
            let p = percent_agreement(&sets);
            proptest::prop_assert!(p.is_none_or(|p| (0.0..=1.0).contains(&p)));
            for i in 0..width {
                for j in 0..width {
                    let column = |k: usize| sets.iter().map(|u| u[k].clone()).collect::<Vec<_>>();
                    let (kij, kji) = (cohen_kappa(&column(i), &column(j)), cohen_kappa(&column(j), &column(i)));
                    proptest::prop_assert!(kij.is_none_or(|k| k.is_finite() && k <= 1.0 + 1e-12));
                    proptest::prop_assert!(kij.zip(kji).is_none_or(|(a, b)| (a - b).abs() < 1e-12) && kij.is_some() == kji.is_some());
                }
            }
            let counts: Vec<Vec<usize>> = sets.iter().map(|u| {
                let present = u.iter().filter(|v| v.as_ref().is_some_and(|s| s.contains(&0))).count();
                vec![u.len() - present, present]
            }).collect();
            proptest::prop_assert!(fleiss_kappa(&counts).is_none_or(|k| k.is_finite() && k <= 1.0 + 1e-12));
        }
    }

    #[test]
    fn nothing_is_nan() {
        // Every degenerate shape at once: results are numbers or None.
        let shapes: Vec<Vec<Vec<Option<u8>>>> = vec![vec![], vec![vec![]], vec![vec![None, None]], units(&[&[0]]), units(&[&[0, 0]])];
        for shape in &shapes {
            assert!(krippendorff_alpha(shape, nominal).is_none_or(f64::is_finite));
            assert!(percent_agreement(shape).is_none_or(f64::is_finite));
        }
    }
}
