//! The rows of a virtualised table: a seller's 100,000 lots never all reach the window.
//!
//! Words: a *row index* is a row's place in the whole filtered, sorted result (0 = first); a *page*
//! is [`PAGE`] consecutive rows, fetched in one call; the *window* is the rows drawn: the
//! viewport's plus [`OVERSCAN`] either side. Every row is [`Pager::row_height`] pixels high, so the
//! scroll position alone says which rows the viewport shows, and two spacers (the rows above and
//! below the window) give the scroll container the height of the whole result.
//!
//! Pages are cached for the current query only. A new query (filter or sort) drops them and starts
//! at the top; a change event (`refresh`) keeps them on screen while the pages in view are fetched
//! again, so an open edit is not torn down. Answers to an older query or refresh are dropped.

use std::collections::{HashMap, HashSet};
use std::future::Future;

use brickdesk_ipc::CommandError;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::format;

/// Rows per fetch.
pub const PAGE: i64 = 200;
/// Rows drawn above and below the viewport, so a short scroll never shows a gap.
pub const OVERSCAN: i64 = 10;

/// One drawn row: a fetched row, or a placeholder for one whose page is on its way.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Slot<T> {
    Row(T),
    Hole(i64),
}

/// The scroll state and page cache of one virtualised table.
pub struct Pager<T: Send + Sync + 'static> {
    /// Fetched pages of the current query, by page number.
    pub pages: RwSignal<HashMap<i64, Vec<T>>>,
    /// How many rows match the current query (`None` until the first page of it arrives).
    pub total: RwSignal<Option<i64>>,
    /// Why the last fetch failed.
    pub error: RwSignal<Option<String>>,
    pub scroll_top: RwSignal<f64>,
    /// Pixels per row: the table's CSS sets it, the table measures it once rows are drawn.
    pub row_height: RwSignal<f64>,
    /// The scroll container, put back to the top when the query changes.
    pub scroller: NodeRef<leptos::html::Div>,
    /// The rows drawn, `start..end` (until the count is known, the first page's).
    pub range: Memo<(i64, i64)>,
    /// Bumped by every new query or refresh: answers carrying an older one are dropped.
    generation: RwSignal<u64>,
}

impl<T: Send + Sync + 'static> Clone for Pager<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Pager<T> {}

impl<T> Pager<T>
where
    T: Clone + PartialEq + Send + Sync + 'static,
{
    /// A pager over `query`'s rows: `fetch(query, offset, limit)` answers one page and the count of
    /// all matching rows; `refresh` moving (an engine event) fetches the pages in view again.
    pub fn new<Q, F, Fut>(query: Memo<Q>, refresh: Signal<u32>, row_height: f64, fetch: F) -> Pager<T>
    where
        Q: Clone + PartialEq + Send + Sync + 'static,
        F: Fn(Q, i64, i64) -> Fut + Clone + 'static,
        Fut: Future<Output = Result<(i64, Vec<T>), CommandError>> + 'static,
    {
        let total = RwSignal::new(None::<i64>);
        let scroll_top = RwSignal::new(0.0);
        // The most pixels of rows the viewport can show: the window's height (the scroll container
        // is never taller).
        let viewport = RwSignal::new(window_height());
        let row_height = RwSignal::new(row_height);
        let range = Memo::new(move |_| {
            format::visible_rows(scroll_top.get(), viewport.get(), row_height.get(), total.get().unwrap_or(PAGE), OVERSCAN)
        });
        let pager = Pager {
            pages: RwSignal::new(HashMap::new()),
            total,
            error: RwSignal::new(None),
            scroll_top,
            row_height,
            scroller: NodeRef::new(),
            range,
            generation: RwSignal::new(0),
        };
        let resize = window_event_listener(leptos::ev::resize, move |_| viewport.set(window_height()));
        on_cleanup(move || resize.remove());

        // A new query starts from nothing at the top; a refresh keeps what is shown until the
        // pages in view are back.
        Effect::new(move |prev: Option<Q>| {
            let q = query.get();
            refresh.track();
            if prev.is_none() {
                return q;
            }
            if prev.as_ref() != Some(&q) {
                pager.pages.set(HashMap::new());
                total.set(None);
                scroll_top.set(0.0);
                if let Some(el) = pager.scroller.get_untracked() {
                    el.set_scroll_top(0);
                }
            }
            pager.generation.update(|g| *g += 1);
            q
        });

        // Fetch the pages in view that this query or refresh has not fetched yet, and forget the
        // pages far from the viewport. `asked`: the generation it holds pages for, and those pages.
        let asked = StoredValue::new((0u64, HashSet::<i64>::new()));
        // Page 0 even when nothing matched: its answer carries the count, which may grow.
        let wanted = Memo::new(move |_| Some(format::pages_for(range.get(), PAGE)).filter(|p| !p.is_empty()).unwrap_or(vec![0]));
        Effect::new(move |_| {
            let generation = pager.generation.get();
            let wanted = wanted.get();
            let (Some(&lo), Some(&hi)) = (wanted.first(), wanted.last()) else { return };
            let near = move |p: &i64| *p + 1 >= lo && *p <= hi + 1;
            pager.pages.update(|pages| pages.retain(|p, _| near(p)));
            let to_fetch: Vec<i64> = asked
                .try_update_value(|(g, pages)| {
                    if *g != generation {
                        *g = generation;
                        pages.clear();
                    }
                    pages.retain(near);
                    wanted.iter().copied().filter(|p| pages.insert(*p)).collect()
                })
                .unwrap_or_default();
            for page in to_fetch {
                let q = query.get_untracked();
                let fetch = fetch.clone();
                spawn_local(async move {
                    let answer = fetch(q, page * PAGE, PAGE).await;
                    if pager.generation.try_get_untracked() != Some(generation) {
                        return;
                    }
                    match answer {
                        Ok((count, rows)) => {
                            total.set(Some(count));
                            pager.pages.update(|p| {
                                p.insert(page, rows);
                            });
                            pager.error.set(None);
                        }
                        Err(e) => pager.error.set(Some(e.message)),
                    }
                });
            }
        });
        pager
    }

    /// Reads the scroll position after a scroll event.
    pub fn on_scroll(self) {
        if let Some(el) = self.scroller.get_untracked() {
            self.scroll_top.set(el.scroll_top() as f64);
        }
    }

    /// Takes the height of the first drawn row matching `css` as every row's (the CSS fixes it; this
    /// keeps the spacers exact should a theme or font change it).
    pub fn measure(self, css: &str) {
        use leptos::wasm_bindgen::JsCast;
        let Some(el) = self.scroller.get_untracked() else { return };
        let Ok(Some(row)) = el.query_selector(css) else { return };
        let Ok(row) = row.dyn_into::<leptos::web_sys::HtmlElement>() else { return };
        let h = f64::from(row.offset_height());
        if h > 0.0 && (h - self.row_height.get_untracked()).abs() >= 0.5 {
            self.row_height.set(h);
        }
    }
}

/// What a table draws: its window's rows, in order, and the heights of the spacers above and
/// below them (`None`: no rows there).
pub struct Drawn<T: Send + Sync + 'static> {
    pub slots: Memo<Vec<Slot<T>>>,
    pub above: Signal<Option<String>>,
    pub below: Signal<Option<String>>,
}

/// The window's rows out of the cached pages, with the spacer heights (CSS pixels).
pub fn drawn<T>(pager: Pager<T>) -> Drawn<T>
where
    T: Clone + PartialEq + Send + Sync + 'static,
{
    let window = pager.range;
    let slots = Memo::new(move |_| {
        let (start, end) = window.get();
        pager.pages.with(|pages| {
            (start..end)
                .map(|i| match pages.get(&(i / PAGE)).and_then(|p| p.get((i % PAGE) as usize)) {
                    Some(row) => Slot::Row(row.clone()),
                    None => Slot::Hole(i),
                })
                .collect::<Vec<_>>()
        })
    });
    let h = pager.row_height;
    let px = move |rows: i64| (rows > 0).then(|| format!("{}px", rows as f64 * h.get()));
    let above = Signal::derive(move || px(window.get().0));
    let below = Signal::derive(move || px(pager.total.get().unwrap_or(0) - window.get().1));
    Drawn { slots, above, below }
}

fn window_height() -> f64 {
    window().inner_height().ok().and_then(|h| h.as_f64()).unwrap_or(900.0)
}
