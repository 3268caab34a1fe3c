//! Orders, their picking, the notification inbox and the consistency check.

use super::{browse, Engine};
use crate::error::{Error, Result};
use crate::events::EngineEvent;
use crate::orders::{inbox, picking, read};
use crate::stock::doctor;
use brickdesk_ipc::{DoctorReport, InboxEntry, InboxRetried, OrderDetail, OrderSummary, OrdersPage, OrdersPickInput, OrdersQuery};

impl Engine {
    pub async fn orders_list(&self) -> Result<Vec<OrderSummary>> {
        self.store.read(read::list).await
    }

    pub async fn orders_show(&self, id: i64) -> Result<OrderDetail> {
        self.store.read(move |c| read::show(c, id)).await
    }

    /// The seller opened the order; it stops counting as new.
    pub async fn orders_mark_seen(&self, id: i64) -> Result<()> {
        if self.store.write(move |tx| read::mark_seen(tx, id)).await? {
            self.emit(EngineEvent::OrdersChanged);
            self.emit(EngineEvent::StatusChanged);
        }
        Ok(())
    }

    /// The picker marked lines of an order picked, missing or unpicked; returns the order as it
    /// now stands.
    pub async fn orders_pick(&self, input: OrdersPickInput) -> Result<OrderDetail> {
        let now = self.config.clock.now();
        let OrdersPickInput { order_id, items, status } = input;
        let changed = self.store.write(move |tx| picking::set_pick(tx, order_id, &items, status, now)).await?;
        if changed > 0 {
            self.emit(EngineEvent::OrdersChanged);
        }
        self.orders_show(order_id).await
    }

    /// Failed notifications, then messages and feedback (`failed_only`: just the failed).
    pub async fn inbox_list(&self, failed_only: bool) -> Result<Vec<InboxEntry>> {
        self.store.read(move |c| inbox::list(c, failed_only)).await
    }

    /// The seller's retry of a failed notification (`id`) or of all of them: due at once, with
    /// fresh attempts; the running workers are kicked.
    pub async fn inbox_retry(&self, id: Option<i64>) -> Result<InboxRetried> {
        let now = self.config.clock.now();
        let retried = self.store.write(move |tx| inbox::retry(tx, id, now)).await?;
        if let (Some(id), 0) = (id, retried) {
            return Err(Error::NotFound { what: "failed notification".into(), id: id.to_string() });
        }
        tracing::info!(retried, "failed notifications retried by the seller");
        self.emit(EngineEvent::StatusChanged);
        self.poll_now();
        Ok(InboxRetried { retried: retried as i64 })
    }

    /// Checks every lot, order line and queue row against the ledger; reports, changes nothing.
    pub async fn doctor(&self) -> Result<DoctorReport> {
        let now = self.config.clock.now();
        self.store
            .read(move |c| {
                let mut report = doctor::check(c, now)?;
                // What the checks of the stores found (no store is read here: `doctor --remote`).
                report.problems.extend(crate::sync::drift::known_off(c)?);
                report.ok = report.problems.is_empty();
                Ok(report)
            })
            .await
    }

    /// One page of the orders view (filtered and sorted by the engine) and the matching count.
    pub async fn orders_page(&self, query: OrdersQuery) -> Result<OrdersPage> {
        self.store.read(move |c| browse::orders(c, &query)).await
    }

    /// Orders not yet opened by the seller (the tray's count; cheaper than [`Engine::status`]).
    pub async fn orders_unread(&self) -> Result<i64> {
        self.store.read(read::unread).await
    }
}
