//! What the library shows, as state with a reducer of its own: the open document, the
//! list or the article, what is being prepared, the dialogs, the message and the undo
//! of a deletion. Pure: storage is read and written by `core::store::library`.

use std::rc::Rc;

use yew::prelude::*;

use crate::core::codec::library::ImportPlan;
use crate::core::model::Document;
use crate::core::store::library::Deleted;

/// The document on screen.
#[derive(Clone, PartialEq)]
pub struct Open {
    /// The article.
    pub doc: Rc<Document>,
    /// Its source URL (the W3C target source).
    pub source: Option<AttrValue>,
    /// The sentence to focus when it opens.
    pub focus: Option<usize>,
    /// What the bar shows (read when the document is opened, or renamed).
    pub title: String,
}

/// A message above the article or the list.
#[derive(Clone, PartialEq)]
pub struct Message {
    /// What it says.
    pub text: String,
    /// Whether it is an error (an alert) rather than information.
    pub error: bool,
}

impl Message {
    /// Information.
    pub fn info(text: impl Into<String>) -> Self {
        Self { text: text.into(), error: false }
    }

    /// An error.
    pub fn error(text: impl Into<String>) -> Self {
        Self { text: text.into(), error: true }
    }
}

/// A library file read and planned, waiting for the reader's go-ahead.
#[derive(Clone, PartialEq)]
pub struct PendingImport {
    /// The file's name.
    pub file_name: String,
    /// What importing it would do.
    pub plan: Rc<ImportPlan>,
}

/// The library's screen.
#[derive(Clone, PartialEq)]
pub struct Screen {
    /// The document open (also behind the list).
    pub open: Open,
    /// Whether the list is shown instead of the article.
    pub list_visible: bool,
    /// "Opening…", "Preparing…" with progress, while a text is segmented.
    pub preparing: Option<String>,
    /// Whether the New article dialog is open.
    pub adding: bool,
    /// Bumped when storage changed, so the list is read again.
    pub list_revision: u32,
    /// The document just deleted, while its undo is offered.
    pub deleted: Option<Rc<Deleted>>,
    /// A library file waiting for the reader's go-ahead.
    pub pending_import: Option<PendingImport>,
    /// What to tell the reader.
    pub message: Option<Message>,
}

/// What changes the screen.
pub enum Change {
    /// A document is open (the list goes).
    Opened(Open),
    /// The list is shown (read again).
    ShowList,
    /// The article is shown again.
    HideList,
    /// Preparing a text, or done.
    Preparing(Option<String>),
    /// The New article dialog opens or closes.
    Adding(bool),
    /// A message, or none.
    Say(Option<Message>),
    /// A document was deleted (its undo is offered), or the offer ends.
    Deleted(Option<Rc<Deleted>>),
    /// A library file waits for the go-ahead, or not.
    Pending(Option<PendingImport>),
    /// Storage changed: the list is read again.
    StorageChanged,
    /// A document was renamed.
    Renamed { id: String, title: String },
}

impl Reducible for Screen {
    type Action = Change;

    fn reduce(self: Rc<Self>, change: Change) -> Rc<Self> {
        let mut next = (*self).clone();
        match change {
            Change::Opened(open) => {
                next.open = open;
                next.list_visible = false;
            }
            Change::ShowList => {
                next.list_visible = true;
                next.list_revision += 1;
            }
            Change::HideList => next.list_visible = false,
            Change::Preparing(status) => next.preparing = status,
            Change::Adding(adding) => next.adding = adding,
            Change::Say(message) => next.message = message,
            Change::Deleted(deleted) => {
                next.deleted = deleted;
                next.list_revision += 1;
            }
            Change::Pending(pending) => next.pending_import = pending,
            Change::StorageChanged => next.list_revision += 1,
            Change::Renamed { id, title } => {
                if next.open.doc.id == id {
                    next.open.title = title;
                }
                next.list_revision += 1;
            }
        }
        Rc::new(next)
    }
}
