//! The root component's effects, one hook per job: saving, telling the host page,
//! rendering a long article in steps and windows, keeping the keyboard focus, file
//! import and export. The root composes them; components only render and dispatch.

mod exports;
mod file_import;
mod focus;
mod host_events;
mod rendering;
mod saving;

pub use exports::use_exports;
pub use file_import::use_file_import;
pub use focus::{use_dom_focus, use_position_below};
pub use host_events::use_host_events;
pub use rendering::{use_near_runs, use_progressive};
pub use saving::use_saving;
