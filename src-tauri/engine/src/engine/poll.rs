//! One poll *cycle* per marketplace: fetch what is new, store it in the inbox (deduplicated), and
//! process every due order row to completion. A row that fails is marked failed with its error
//! and the cycle moves on (report and continue).
//!
//! The feeds are `orders/intake.rs`'s (BrickLink, BrickOwl) and `allegro/`'s (the order journal,
//! then the offer journal: a failure there is reported but does not hold up the orders); this file
//! is the one place that knows every marketplace's, and processes order rows, then offer rows.

use std::collections::HashMap;

use brickdesk_ipc::Provider;

use super::Engine;
use crate::allegro::{offer_journal, order_journal};
use crate::catalog::brickowl::color_map;
use crate::engine::Market;
use crate::error::Result;
use crate::events::EngineEvent;
use crate::gateway;
use crate::gateway::{CallError, Gateway};
use crate::marketplaces::allegro::{api as al, convert as alc};
use crate::marketplaces::bricklink::{api as bl, convert as blc};
use crate::marketplaces::brickowl::{api as bo, convert as boc};
use crate::marketplaces::types::{NotificationKind, RemoteOrder};
use crate::orders::apply::{self, Applied};
use crate::orders::inbox::{self, Claim};
use crate::orders::intake::{self, Cycle};
use brickdesk_ipc::{MarketStatus, OrderSummary, PollSummary, StatusSnapshot};
use rusqlite::{params, OptionalExtension};

impl Engine {
    /// One poll cycle for every active provider (or just `only`), processed to completion, the
    /// providers side by side. Rows whose holder is gone (a killed process) are resumed first;
    /// rows a running BrickDesk (the app, `run`) holds are left to it.
    pub async fn poll(&self, only: Option<Provider>) -> Result<PollSummary> {
        inbox::recover(&self.store, self.config.clock.now()).await?;
        let markets: Vec<Market> = self.markets().await?.into_iter().filter(|m| only.is_none_or(|p| m.provider() == p)).collect();
        if let (Some(p), true) = (only, markets.is_empty()) {
            return Err(self.not_active(p).await?.into());
        }
        let (mut bl, mut bo, mut al) = (None, None, None);
        for market in markets {
            match market.provider() {
                Provider::Bricklink => bl = Some(market),
                Provider::Brickowl => bo = Some(market),
                Provider::Allegro => al = Some(market),
            }
        }
        let (bl, bo, al) = tokio::join!(self.cycle(bl.as_ref(), false), self.cycle(bo.as_ref(), false), self.cycle(al.as_ref(), false));
        Ok(PollSummary { providers: [bl?, bo?, al?].into_iter().flatten().collect() })
    }

    /// One cycle of one provider (none if it is not connected), and the events it causes.
    pub(super) async fn cycle(&self, market: Option<&Market>, force_reconcile: bool) -> Result<Option<brickdesk_ipc::ProviderPoll>> {
        let Some(market) = market else { return Ok(None) };
        let cycle = cycle(&self.gateway(market.account()), market, force_reconcile).await?;
        if cycle.report.processed > 0 {
            self.emit(EngineEvent::OrdersChanged);
            self.emit(EngineEvent::InventoryChanged);
            // Reservations changed what the other marketplaces may sell.
            self.sync_kick.send_modify(|n| *n = n.wrapping_add(1));
        }
        if !cycle.new_orders.is_empty() {
            let all = self.orders_list().await?;
            let orders: Vec<OrderSummary> = all.into_iter().filter(|o| cycle.new_orders.contains(&o.id)).collect();
            tracing::info!(provider = %market.provider(), count = orders.len(), "new orders");
            self.emit(EngineEvent::NewOrders { orders });
        }
        self.emit(EngineEvent::StatusChanged);
        Ok(Some(cycle.report))
    }

    /// What the status bar shows: per marketplace, the connected account's polls and budget.
    pub async fn status(&self) -> Result<StatusSnapshot> {
        let connected = self.markets().await?;
        let now = self.config.clock.now();
        let mut markets = Vec::new();
        for m in Provider::ALL {
            let market = connected.iter().find(|x| x.provider() == m);
            let account = market.map(Market::account).unwrap_or_else(|| m.as_str().to_string());
            let budget_used = gateway::used(&self.store, m, &account, now).await?;
            let (row, failed) = self
                .store
                .read(move |c| {
                    let row: Option<(Option<String>, Option<String>, Option<String>)> = c
                        .query_row(
                            "SELECT last_poll_at, next_poll_at, last_error FROM poll_cursors WHERE marketplace = ?1 AND account = ?2 AND stream = 'poll'",
                            params![m.as_str(), account],
                            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                        )
                        .optional()?;
                    Ok((row, inbox::given_up(c, m)?))
                })
                .await?;
            let (last_poll_at, next_poll_at, last_error) = row.unwrap_or_default();
            markets.push(MarketStatus {
                provider: m,
                active: market.is_some(),
                last_poll_at,
                next_poll_at,
                last_error,
                budget_used,
                budget_limit: (m == Provider::Bricklink).then_some(self.config.bricklink_daily_limit),
                failed,
            });
        }
        let unread_orders = self.orders_unread().await?;
        Ok(StatusSnapshot { demo: self.config.demo, markets, unread_orders })
    }
}

/// One cycle of `market`: its feeds, then every due row ([`process`]).
pub async fn cycle(gw: &Gateway, market: &Market, force_reconcile: bool) -> Result<Cycle> {
    let m = market.provider();
    let mut cycle = Cycle::new(m);
    let started = gw.clock.now();
    let account = gw.account.clone();
    gw.store.write(move |tx| intake::adopt_previous_account(tx, m, &account)).await?;
    let fed = match market {
        Market::Bricklink(c) => intake::feed_bricklink(gw, c, force_reconcile, &mut cycle).await,
        Market::Brickowl(c) => intake::feed_brickowl(gw, c, force_reconcile, &mut cycle).await,
        Market::Allegro(s) => order_journal::feed_orders(gw, s, &mut cycle).await,
    };
    if let Err(e) = fed {
        // Without the feed there may still be due rows from earlier cycles, but the same failure
        // (credentials, network, budget) would hit them too: report and stop here.
        cycle.report.error = Some(e.to_string());
        intake::record_poll(gw, m, started, Some(e.to_string())).await?;
        return Ok(cycle);
    }
    let colors = match market {
        Market::Brickowl(c) => Some(color_map(gw, c).await?),
        Market::Bricklink(_) | Market::Allegro(_) => None,
    };
    let mut kinds = vec![NotificationKind::Order];
    if let Market::Allegro(session) = market {
        match offer_journal::feed_offers(gw, session, &mut cycle).await {
            Ok(()) => kinds.push(NotificationKind::Offer),
            Err(e) if e.wait_hint().is_some() => cycle.report.waiting = Some(format!("Allegro offer journal: {e}")),
            Err(e) => {
                tracing::warn!(error = %e, "the Allegro offer journal could not be read");
                cycle.report.error = Some(format!("Allegro offer journal: {e}"));
            }
        }
    }
    let mut tried = Vec::new();
    'kinds: for kind in kinds {
        while let Some(claim) = inbox::claim_next_of(&gw.store, m, &gw.account, kind, gw.clock.now(), tried.clone()).await? {
            tried.push(claim.id);
            let processed = match (kind, market) {
                (NotificationKind::Offer, Market::Allegro(session)) => offer_journal::process(gw, session, &claim).await.map(|()| None),
                _ => process(gw, market, &claim, colors.as_ref()).await.map(Some),
            };
            match processed {
                Ok(applied) => {
                    cycle.report.processed += 1;
                    if let Some(applied) = applied.filter(|a| a.is_new) {
                        cycle.report.new_orders += 1;
                        cycle.new_orders.push(applied.order_id);
                    }
                }
                // A spent budget or a rate limit is waiting, not a failed attempt; the rows after this
                // one would meet the same refusal, so the cycle stops here.
                Err(e) if e.wait_hint().is_some() => {
                    let reason = inbox::wait(&gw.store, &claim, e.wait_hint().unwrap_or_default(), &e.to_string(), gw.clock.now()).await?;
                    tracing::info!(key = %claim.key, reason, "waiting before processing more notifications");
                    cycle.report.waiting = Some(reason);
                    break 'kinds;
                }
                Err(e) => match inbox::fail(&gw.store, &claim, e.to_string(), e.is_retryable(), gw.clock.now()).await {
                    Ok(failure) => {
                        tracing::warn!(key = %failure.key, attempts = failure.attempts, will_retry = failure.will_retry, error = %failure.error, "notification failed");
                        cycle.report.failures.push(failure);
                    }
                    // The row keeps its lease and is taken over when it runs out; the cycle goes on.
                    Err(db) => tracing::error!(key = %claim.key, error = %e, db_error = %db, "cannot record a failed notification"),
                },
            }
        }
    }
    // The status bar keeps showing trouble while it lasts: a cycle whose orders failed is not clean.
    let trouble = cycle.report.waiting.clone().or_else(|| cycle.report.error.clone()).or_else(|| {
        let f = cycle.report.failures.first()?;
        let n = cycle.report.failures.len();
        Some(if n == 1 { format!("an order failed: {}", f.error) } else { format!("{n} orders failed, e.g. {}", f.error) })
    });
    intake::record_poll(gw, m, started, trouble).await?;
    Ok(cycle)
}

/// Fetches the order a claimed row names and stores it with its reservations.
async fn process(gw: &Gateway, market: &Market, claim: &Claim, colors: Option<&boc::ColorMap>) -> std::result::Result<Applied, CallError> {
    let order: RemoteOrder = match market {
        Market::Bricklink(c) => {
            let header = gw.bricklink(c, &bl::Call::Order(claim.resource_id.clone())).await?;
            let items = gw.bricklink(c, &bl::Call::OrderItems(claim.resource_id.clone())).await?;
            blc::order(header, items)?
        }
        Market::Brickowl(c) => {
            let view = gw.brickowl(c, &bo::Call::OrderView(claim.resource_id.clone())).await?;
            let items = gw.brickowl(c, &bo::Call::OrderItems(claim.resource_id.clone())).await?;
            boc::order(view, items, colors.unwrap_or(&HashMap::new()))?
        }
        Market::Allegro(s) => alc::checkout_form(gw.allegro(s, &al::Call::CheckoutForm(claim.resource_id.clone())).await?)?,
    };
    let (m, account, id, resource, now) = (market.provider(), gw.account.clone(), claim.id, claim.resource_id.clone(), gw.clock.now());
    Ok(gw
        .store
        .write(move |tx| {
            let mut order = order;
            // Lines that name an offer rather than a part read as the lot they sell.
            if m == Provider::Allegro {
                apply::describe_from_lots(tx, &mut order.lines)?;
            }
            let applied = apply::apply(tx, m, &account, &order, now)?;
            inbox::complete(tx, id, now)?;
            // The order as fetched now answers every other waiting notification about it.
            inbox::complete_siblings(tx, m, &account, &resource, now)?;
            Ok(applied)
        })
        .await?)
}
