//! The HTTP requests the sync engine asks for, made with the browser's `fetch`. Thin:
//! every decision is in `core::sync::engine`.

use wasm_bindgen::{JsCast, JsValue};

use crate::core::sync::engine::{Request, Response, MAX_ANSWER_BYTES};
use crate::core::sync::wire::basic_auth;

/// How to prove who we are to the database.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Credentials {
    /// Nothing (a database open to anyone, or a session cookie the host set).
    #[default]
    None,
    /// HTTP Basic: a CouchDB user's name and password.
    Basic { user: String, password: String },
    /// A bearer token (CouchDB's JWT authentication, or a proxy in front of it).
    Token(String),
}

impl Credentials {
    /// The way of signing in that `settings` name: a token first, else a user and password.
    pub fn of(settings: &crate::core::sync::local::Settings) -> Self {
        match (&settings.token, &settings.user, &settings.password) {
            (Some(token), _, _) => Credentials::Token(token.clone()),
            (None, Some(user), Some(password)) => Credentials::Basic { user: user.clone(), password: password.clone() },
            _ => Credentials::None,
        }
    }
}

fn describe(error: JsValue) -> String {
    if let Some(e) = error.dyn_ref::<js_sys::Error>() {
        return String::from(e.message());
    }
    error.as_string().unwrap_or_else(|| "the request failed".to_owned())
}

/// Sends `request` to the database at `db_url` (no trailing slash needed). `Err` is
/// "no answer": the network, the browser (CORS) or `abort` stopped it.
pub async fn send(db_url: &str, credentials: &Credentials, request: &Request, abort: Option<&web_sys::AbortSignal>) -> Result<Response, String> {
    let window = web_sys::window().ok_or("no window")?;
    let url = format!("{}/{}", db_url.trim_end_matches('/'), request.path);
    let init = web_sys::RequestInit::new();
    init.set_method(request.method);
    let headers = web_sys::Headers::new().map_err(describe)?;
    headers.set("Accept", "application/json").map_err(describe)?;
    if let Some(body) = &request.body {
        headers.set("Content-Type", "application/json").map_err(describe)?;
        init.set_body(&JsValue::from_str(body));
    }
    match credentials {
        Credentials::None => {}
        Credentials::Basic { user, password } => headers.set("Authorization", &basic_auth(user, password)).map_err(describe)?,
        Credentials::Token(token) => headers.set("Authorization", &format!("Bearer {token}")).map_err(describe)?,
    }
    init.set_headers(&headers);
    // Cookies only when the host gave no credentials (a CouchDB session it opened).
    init.set_credentials(if *credentials == Credentials::None { web_sys::RequestCredentials::Include } else { web_sys::RequestCredentials::Omit });
    if let Some(signal) = abort {
        init.set_signal(Some(signal));
    }
    let fetched = web_sys::Request::new_with_str_and_init(&url, &init).map_err(describe)?;
    let response = wasm_bindgen_futures::JsFuture::from(window.fetch_with_request(&fetched)).await.map_err(describe)?;
    let response: web_sys::Response = response.dyn_into().map_err(describe)?;
    let declared = response.headers().get("content-length").ok().flatten().and_then(|n| n.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_ANSWER_BYTES) {
        return Ok(Response { status: 502, body: format!("an answer of {} MB", declared.unwrap_or(0) / 1_048_576) });
    }
    let text = wasm_bindgen_futures::JsFuture::from(response.text().map_err(describe)?).await.map_err(describe)?;
    Ok(Response { status: response.status(), body: text.as_string().unwrap_or_default() })
}
