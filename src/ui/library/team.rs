//! The library's list of the articles on the team database (when sync is set up): each
//! can be opened here, its text kept in this browser like any article.

use yew::prelude::*;

use crate::core::sync::engine::{read_texts, texts_request, TeamText};
use crate::core::sync::local::Settings;
use crate::platform::couch::{self, Credentials};
use crate::ui::locale::use_locale;

/// What the list needs.
#[derive(Properties, PartialEq, Clone)]
pub struct TeamListProps {
    /// Where the team database is.
    pub settings: Settings,
    /// Opens an article (its id, text and title).
    pub on_open: Callback<TeamText>,
}

#[derive(Clone, PartialEq)]
enum Listing {
    Idle,
    Loading,
    Shown(Vec<TeamText>),
    Failed(String),
}

/// The list, loaded when the reader asks.
#[component(TeamList)]
pub fn team_list(props: &TeamListProps) -> Html {
    let l = use_locale();
    let listing = use_state(|| Listing::Idle);
    let load = {
        let (listing, settings, l) = (listing.clone(), props.settings.clone(), l.clone());
        Callback::from(move |_: MouseEvent| {
            listing.set(Listing::Loading);
            let (listing, settings, l) = (listing.clone(), settings.clone(), l.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let answer = couch::send(&settings.url, &Credentials::of(&settings), &texts_request(), None).await;
                listing.set(match read_texts(answer) {
                    Ok(texts) => Listing::Shown(texts),
                    Err(error) => Listing::Failed(error.message(&l)),
                });
            });
        })
    };
    html! {
        <section class="aa-team-list" aria-labelledby="aa-team-title">
            <h2 class="aa-dialog-title" id="aa-team-title">{ l.t("library.team.title") }</h2>
            { match &*listing {
                Listing::Idle => html! {
                    <button type="button" class="aa-button" data-action="team-list" onclick={load}>{ l.t("library.team.show") }</button>
                },
                Listing::Loading => html! { <p class="aa-loading" role="status">{ l.t("library.team.loading") }</p> },
                Listing::Failed(why) => html! {
                    <p class="aa-notice aa-notice-error" role="alert">{ l.f("library.team.failed", &[("why", why)]) }</p>
                },
                Listing::Shown(texts) if texts.is_empty() => html! { <p class="aa-import-summary">{ l.t("library.team.none") }</p> },
                Listing::Shown(texts) => html! {
                    <ul class="aa-team-articles">
                        { for texts.iter().map(|t| {
                            let title = t.title.clone().unwrap_or_else(|| t.text.chars().take(60).collect());
                            let chosen = t.clone();
                            html! {
                                <li data-doc-id={t.document.clone()}>
                                    <span class="aa-team-article">{ title.clone() }</span>
                                    <button type="button" class="aa-button aa-small" data-action="team-open"
                                        aria-label={l.f("library.team.open.label", &[("title", &title)])}
                                        onclick={props.on_open.reform(move |_: MouseEvent| chosen.clone())}>{ l.t("library.team.open") }</button>
                                </li>
                            }
                        }) }
                    </ul>
                },
            } }
        </section>
    }
}
