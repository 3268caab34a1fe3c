//! Everything the servers know, behind one `Arc<Mutex<State>>`: the options, each service's own
//! state, and the faults, delays and calls tests set up and read back.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::allegro::state::AlState;
use crate::bricklink::state::BlState;
use crate::brickowl::state::BoState;
use crate::http::{Reply, Req};
use crate::types::{CallRecord, Fault, Market, SimOptions};

pub(crate) type Shared = Arc<Mutex<State>>;

/// Everything the servers know.
pub(crate) struct State {
    pub(crate) options: SimOptions,
    pub(crate) bl: BlState,
    pub(crate) bo: BoState,
    pub(crate) al: AlState,
    pub(crate) faults: VecDeque<(Market, String, Fault)>,
    /// Faults that fire on every matching request until [`crate::Sim::end_outage`] (a long outage of
    /// one endpoint), after the one-shot ones.
    pub(crate) outages: Vec<(Market, String, Fault)>,
    /// Requests whose path contains the pattern are answered only after this delay.
    pub(crate) slow: Vec<(Market, String, std::time::Duration)>,
    /// Requests that have started such a delay (tests wait for one to be in flight).
    pub(crate) slowed: usize,
    pub(crate) calls: Vec<CallRecord>,
    last_event_ms: i64,
}

impl State {
    pub(crate) fn new(options: SimOptions) -> State {
        State {
            options,
            bl: BlState::new(),
            bo: BoState::new(),
            al: AlState::new(),
            faults: VecDeque::new(),
            outages: Vec::new(),
            slow: Vec::new(),
            slowed: 0,
            calls: Vec::new(),
            last_event_ms: 0,
        }
    }

    /// A strictly increasing millisecond clock for events, so two notifications never share a
    /// timestamp (clients dedupe on it).
    pub(crate) fn next_event_ms(&mut self) -> i64 {
        let now = chrono::Utc::now().timestamp_millis();
        let t = if now > self.last_event_ms { now } else { self.last_event_ms + 1 };
        self.last_event_ms = t;
        t
    }

    /// Removes and returns the first queued fault for `market` whose pattern matches the path,
    /// else the first matching outage (which stays).
    pub(crate) fn take_fault(&mut self, market: Market, full_path: &str, path: &str) -> Option<Fault> {
        let matches = |m: &Market, pat: &String| *m == market && (path.contains(pat.as_str()) || full_path.contains(pat.as_str()));
        match self.faults.iter().position(|(m, pat, _)| matches(m, pat)) {
            Some(pos) => self.faults.remove(pos).map(|(_, _, f)| f),
            None => self.outages.iter().find(|(m, pat, _)| matches(m, pat)).map(|(_, _, f)| f.clone()),
        }
    }

    pub(crate) fn record(&mut self, market: Market, req: &Req, path: String, reply: &Reply) {
        self.calls.push(CallRecord {
            market,
            method: req.method.clone(),
            path,
            query: req.query.clone(),
            status: reply.status,
            meta_code: reply.meta_code,
        });
    }
}

pub(crate) fn lock(state: &Shared) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}
