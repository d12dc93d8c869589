//! Team sync through a CouchDB database, pure: the documents on the server
//! ([`wire`]), the replication machine that decides every request and reads every
//! answer ([`engine`]), and when to try again ([`backoff`]). The browser shell only
//! makes the HTTP requests the engine asks for.

pub mod backoff;
pub mod engine;
pub mod local;
pub mod status;
pub mod wire;

use crate::core::state::Action;
use crate::core::store::merge::Record;

/// The merge of records from the server into the reader's state (the one merge).
pub fn merge_action(records: Vec<Record>) -> Action {
    let (mut annotations, mut deleted) = (Vec::new(), Vec::new());
    for record in records {
        match record {
            Record::Live(a) => annotations.push(a),
            Record::Dead(t) => deleted.push(t),
        }
    }
    Action::MergeStored { annotations, deleted, unreadable: Vec::new() }
}
