//! The model test of "many writers, nothing lost": N replicas of one document (tabs,
//! stale pages, devices), random histories of every kind of edit, clocks skewed by
//! hours either way, and each other's saved state delivered late, dropped, or twice.
//!
//! After every history, once every replica has heard from every other:
//! - all replicas hold the same records (live and deleted), and
//! - every edit a replica acknowledged (a register it stamped) survives, unless a
//!   later edit in the merge's order replaced it.
//!
//! Runs `AA_MODEL_HISTORIES` histories (default 10,000) from `AA_MODEL_SEED`, and
//! prints the count. Heavy: `cargo xtask test` runs it in an optimised build.

mod support;

use std::collections::BTreeMap;
use std::rc::Rc;

use support::rng::Rng;

use article_annotator::core::model::{Annotation, Document, LabelSet, Tombstone};
use article_annotator::core::state::{Action, AppState, ImportMode};
use article_annotator::core::store::clock::Stamp;
use article_annotator::core::store::merge::Record;

const TEXT: &str = "The talks resume in Geneva. Both sides agree on a ceasefire.\nA deal is near, officials said. Nobody confirmed it.\n\"We are close,\" he said. The talks resume in Geneva.";
const HOUR: i64 = 3_600_000;

/// What one replica saved, as another reads it.
#[derive(Clone)]
struct Saved {
    annotations: Vec<Annotation>,
    deleted: Vec<Tombstone>,
}

fn saved(state: &AppState) -> Saved {
    Saved { annotations: state.annotations().cloned().collect(), deleted: state.deleted.values().cloned().collect() }
}

struct Replica {
    state: AppState,
    skew: i64,
    frozen: bool,
    inbox: Vec<Saved>,
    reloads: u32,
    name: String,
}

/// One register of one annotation, as a replica stamped it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Register {
    Label(String),
    Note,
    Floor,
}

/// What a register holds in a record: its stamp and value (presence or note text).
fn register(record: Option<&Record>, reg: &Register) -> Option<(Stamp, String)> {
    let record = record?;
    let versions = record.versions();
    let note_text = match record {
        Record::Live(a) => a.note.clone(),
        Record::Dead(t) => t.note.clone(),
    };
    let floor = versions.floor.clone().map(|f| (f, "absent".to_owned()));
    match reg {
        Register::Label(l) => versions.set.get(l).map(|s| (s.clone(), "present".to_owned())).or_else(|| versions.unset.get(l).map(|s| (s.clone(), "absent".to_owned()))).or(floor),
        Register::Note => versions.note.clone().map(|s| (s, format!("{note_text:?}"))).or_else(|| versions.floor.clone().map(|f| (f, "None".to_owned()))),
        Register::Floor => versions.floor.clone().map(|f| (f, String::new())),
    }
}

fn registers(record: &Record) -> Vec<Register> {
    let v = record.versions();
    let mut regs: Vec<Register> = v.set.keys().chain(v.unset.keys()).map(|l| Register::Label(l.clone())).collect();
    regs.push(Register::Note);
    regs.push(Register::Floor);
    regs
}

/// The registers an action stamped: those whose stamp is new.
fn acknowledged(before: &BTreeMap<&str, Record>, after: &BTreeMap<&str, Record>, out: &mut Vec<(String, Register, Stamp, String)>) {
    for (id, record) in after {
        for reg in registers(record) {
            let now = register(Some(record), &reg);
            let was = register(before.get(id), &reg);
            if let Some((stamp, value)) = now {
                if was.as_ref().is_none_or(|(s, _)| *s != stamp) {
                    out.push(((*id).to_owned(), reg, stamp, value));
                }
            }
        }
    }
}

fn now(clock: i64, replica: &Replica) -> u64 {
    (clock + replica.skew).max(0) as u64
}

fn fresh(doc: &Rc<Document>, labels: &Rc<LabelSet>, tag: &str, from: Option<&Saved>) -> AppState {
    let state = AppState::new(Rc::clone(doc), Rc::clone(labels)).with_session(tag);
    match from {
        Some(saved) => state.with_deleted(saved.deleted.clone()).apply(Action::Restore(saved.annotations.clone())),
        None => state,
    }
}

fn merge_into(state: &AppState, from: &Saved) -> AppState {
    state.apply(Action::MergeStored { annotations: from.annotations.clone(), deleted: from.deleted.clone(), unreadable: Vec::new() })
}

/// Runs one history; returns a description of what went wrong, if anything.
fn history(seed: u64, doc: &Rc<Document>, labels: &Rc<LabelSet>) -> Result<usize, String> {
    let mut rng = Rng(seed);
    let n = 2 + rng.below(3) as usize;
    let sentences = doc.sentences().len() as u64;
    let mut replicas: Vec<Replica> = (0..n)
        .map(|i| {
            let skew = (rng.below(13) as i64 - 6) * HOUR / 2 + rng.below(1000) as i64;
            let name = format!("r{i}");
            Replica { state: fresh(doc, labels, &name, None), skew, frozen: false, inbox: Vec::new(), reloads: 0, name }
        })
        .collect();
    // Delayed and repeated deliveries: (arrives at step, to replica, what).
    let mut wire: Vec<(usize, usize, Saved)> = Vec::new();
    let mut acked: Vec<(String, Register, Stamp, String)> = Vec::new();
    let mut clock: i64 = 1_764_000_000_000;
    let steps = 8 + rng.below(40) as usize;
    let label_names = ["claim", "quote", "position"];
    for step in 0..steps {
        // Time moves on by nothing (same millisecond) up to a few seconds.
        clock += [0, 1, 7, 450, 3_000][rng.below(5) as usize];
        let r = rng.below(n as u64) as usize;
        let t = now(clock, &replicas[r]);
        let kind = rng.below(100);
        if replicas[r].frozen {
            if kind < 30 {
                replicas[r].frozen = false;
                // Thawing: the page re-reads what arrived while it was frozen.
                let inbox = std::mem::take(&mut replicas[r].inbox);
                for msg in inbox {
                    replicas[r].state = merge_into(&replicas[r].state, &msg);
                }
            }
            continue;
        }
        let sentence = rng.below(sentences) as usize;
        let action = match kind {
            0..=34 => Some(Action::Toggle { sentence, label: label_names[rng.below(3) as usize].into(), now_ms: t }),
            35..=41 => Some(Action::Clear { sentence, now_ms: t }),
            42..=48 => Some(Action::SetNote { sentence, note: ["", "checked", "source: AP"][rng.below(3) as usize].into(), now_ms: t }),
            49..=56 => Some(Action::Undo { now_ms: t }),
            57..=60 => Some(Action::Redo { now_ms: t }),
            61..=65 => {
                // Import another replica's export (its live annotations only).
                let from = rng.below(n as u64) as usize;
                let annotations = replicas[from].state.annotations().cloned().collect();
                let mode = if rng.chance(50) { ImportMode::Merge } else { ImportMode::Replace };
                Some(Action::Import { annotations, mode, now_ms: t })
            }
            _ => None,
        };
        if let Some(action) = action {
            let before = replicas[r].state.records();
            let next = replicas[r].state.apply(action);
            acknowledged(&before, &next.records(), &mut acked);
            drop(before);
            replicas[r].state = next;
            continue;
        }
        match kind {
            // Save: the replica's state goes out to one other (or all), maybe late, maybe twice, maybe never.
            66..=85 => {
                let msg = saved(&replicas[r].state);
                let targets: Vec<usize> = if rng.chance(50) { (0..n).filter(|&i| i != r).collect() } else { vec![(r + 1 + rng.below(n as u64 - 1) as usize) % n] };
                for to in targets {
                    if rng.chance(15) {
                        continue; // dropped
                    }
                    let copies = if rng.chance(15) { 2 } else { 1 };
                    for _ in 0..copies {
                        wire.push((step + rng.below(6) as usize, to, msg.clone()));
                    }
                }
            }
            // Reload: a new page reads what this replica saved.
            86..=91 => {
                let mine = saved(&replicas[r].state);
                replicas[r].reloads += 1;
                let tag = format!("{}-{}", replicas[r].name, replicas[r].reloads);
                replicas[r].state = fresh(doc, labels, &tag, Some(&mine));
            }
            // Freeze: a hidden or cached page stops hearing anything until it thaws.
            _ => replicas[r].frozen = true,
        }
        // Deliver what is due.
        let (due, later): (Vec<_>, Vec<_>) = wire.into_iter().partition(|(at, _, _)| *at <= step);
        wire = later;
        for (_, to, msg) in due {
            if replicas[to].frozen {
                replicas[to].inbox.push(msg);
            } else {
                replicas[to].state = merge_into(&replicas[to].state, &msg);
            }
        }
    }
    // Heal: everyone thaws, everything in flight arrives, then everyone hears from everyone.
    for replica in &mut replicas {
        replica.frozen = false;
        for msg in std::mem::take(&mut replica.inbox) {
            replica.state = merge_into(&replica.state, &msg);
        }
    }
    for (_, to, msg) in wire {
        replicas[to].state = merge_into(&replicas[to].state, &msg);
    }
    for _round in 0..2 {
        for i in 0..n {
            for j in 0..n {
                if i != j {
                    let msg = saved(&replicas[j].state);
                    replicas[i].state = merge_into(&replicas[i].state, &msg);
                }
            }
        }
    }
    let first = replicas[0].state.records();
    for replica in &replicas[1..] {
        let other = replica.state.records();
        if other != first {
            let differ: Vec<&&str> = first.keys().chain(other.keys()).filter(|id| first.get(**id) != other.get(**id)).collect();
            return Err(format!("replicas r0 and {} hold different records for {differ:?}:\n{:#?}\nvs\n{:#?}", replica.name, differ.iter().map(|id| first.get(**id)).collect::<Vec<_>>(), differ.iter().map(|id| other.get(**id)).collect::<Vec<_>>()));
        }
    }
    for (id, reg, stamp, value) in &acked {
        match register(first.get(id.as_str()), reg) {
            Some((final_stamp, final_value)) if final_stamp > *stamp || (final_stamp == *stamp && final_value == *value) => {}
            other => return Err(format!("acknowledged edit lost: {id} {reg:?} = {value} at {stamp}; finally {other:?}")),
        }
    }
    // Every replica shows what its records say: a live record is on a sentence or an orphan.
    for replica in &replicas {
        let shown = replica.state.annotations().count();
        let live = first.values().filter(|r| matches!(r, Record::Live(_))).count();
        if shown != live {
            return Err(format!("{} shows {shown} annotations for {live} live records", replica.name));
        }
    }
    Ok(acked.len())
}

#[test]
#[cfg_attr(debug_assertions, ignore = "heavy: `cargo xtask test` runs it optimised (`cargo test --profile heavy --test NAME`)")]
fn replicas_converge_and_no_acknowledged_edit_is_lost() {
    let histories: u64 = std::env::var("AA_MODEL_HISTORIES").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let seed: u64 = std::env::var("AA_MODEL_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(0x5eed);
    let doc = Rc::new(Document::new("model", TEXT));
    let labels = Rc::new(LabelSet::default());
    let mut edits = 0;
    for h in 0..histories {
        let history_seed = seed.wrapping_mul(1_000_003).wrapping_add(h);
        match history(history_seed, &doc, &labels) {
            Ok(n) => edits += n,
            Err(problem) => panic!("history {h} (AA_MODEL_SEED={seed}, seed {history_seed}): {problem}"),
        }
    }
    println!("model: {histories} histories, {edits} acknowledged edits checked, all replicas converged");
    assert!(histories == 0 || edits > 0, "the histories made no edits: the test checks nothing");
}
