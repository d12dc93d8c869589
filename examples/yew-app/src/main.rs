//! A Yew app that uses article-annotator's component on a short article and shows,
//! in its own markup, how many tags the reader has given (heard through `on_change`).

use article_annotator::core::model::Annotation;
use article_annotator::ArticleAnnotator;
use yew::prelude::*;

const ARTICLE: &str = "The city council approved the new bus lanes on Monday. \
\"This is the biggest change to our streets in twenty years,\" the mayor said. \
Shop owners on Main Street fear losing parking spaces.

Work on the first lane starts in March. The council says buses will be ten minutes \
faster at rush hour. Critics call that estimate optimistic.";

#[component(App)]
fn app() -> Html {
    let tags = use_state(|| 0usize);
    let on_change = {
        let tags = tags.clone();
        Callback::from(move |annotations: Vec<Annotation>| tags.set(annotations.iter().map(|a| a.labels.len()).sum()))
    };
    html! {
        <main>
            <h1>{ "Bus lanes approved" }</h1>
            <p id="tag-count" data-tags={tags.to_string()}>{ format!("Tags so far: {}", *tags) }</p>
            <ArticleAnnotator text={ARTICLE} doc_id="bus-lanes" {on_change} />
        </main>
    }
}

fn main() {
    yew::Renderer::<App>::new().render();
}
