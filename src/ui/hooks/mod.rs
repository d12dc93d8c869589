//! The root component's effects, one hook per job: saving, telling the host page,
//! rendering a long article in steps and windows, keeping the keyboard focus, file
//! import and export, and the compare view's files and gold set. The root composes them; components only render and dispatch.

mod compare_files;
mod exports;
mod file_import;
mod focus;
mod gold;
mod host_events;
mod rendering;
mod saving;
mod sync;

pub use compare_files::{use_compare_files, Other};
pub use exports::use_exports;
pub use file_import::use_file_import;
pub use focus::{use_dom_focus, use_position_below};
pub use gold::use_gold;
pub use host_events::use_host_events;
pub use rendering::{use_near_runs, use_progressive};
pub use saving::use_saving;
pub use sync::{initial_settings, use_sync};

/// A callback that opens the chooser of the hidden file input `input`.
fn file_chooser(input: &yew::NodeRef) -> yew::Callback<()> {
    let input = input.clone();
    yew::Callback::from(move |()| {
        if let Some(input) = input.cast::<web_sys::HtmlElement>() {
            input.click();
        }
    })
}
