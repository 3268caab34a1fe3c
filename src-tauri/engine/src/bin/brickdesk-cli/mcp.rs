//! `mcp`: BrickDesk as an MCP server on stdio, so an AI assistant can answer questions about the
//! inventory and orders (the official SDK, `rmcp`).
//!
//! Every tool is a thin call of an `Engine` method the window and the other commands use, and
//! answers with that method's `brickdesk-ipc` shape as JSON text: an assistant reads what the
//! window shows, filtered and paged by the same queries. The store is one SQLite file in WAL, so
//! this runs beside the window or `run` without stopping them.
//!
//! Reading is all it does unless started with `--allow-writes`: then `update_lot` changes a lot
//! through the ledger (as `inventory update` does) and pushes it to the stores at once (as `sync
//! run` does), because no worker runs here and the assistant should not leave a change waiting
//! for the window. Without the flag the tool is not listed, and calling it anyway is refused
//! with a message that names the flag.
//!
//! stdout is the MCP channel: nothing else may print there. Logs go to the log file and stderr.

use std::collections::BTreeMap;
use std::sync::Arc;

use brickdesk_engine::{Engine, Error};
use brickdesk_ipc::{
    CatalogQuery, CommandError, DecimalInput, Fulfillment, InventoryQuery, InventoryUpdateInput, OrdersQuery, OrdersSort, Provider,
};
use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::tool::ToolCallContext;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation, ServerCapabilities, ServerConfig,
};
use rmcp::service::RequestContext;
use rmcp::{schemars, tool, tool_handler, tool_router, ErrorData, RoleServer, ServerHandler, ServiceExt};
use serde::{Deserialize, Serialize};

use crate::output::Failure;

/// The one tool that changes anything.
const UPDATE_LOT: &str = "update_lot";

/// Rows a search or a list returns when the assistant does not say (the engine caps pages at 500).
const DEFAULT_LIMIT: i64 = 50;

/// `mcp`: serves until the client closes stdin (or the process is stopped).
pub async fn run(engine: Engine, allow_writes: bool) -> Result<(), Failure> {
    tracing::info!(allow_writes, "MCP server starting on stdio");
    let server = BrickDeskMcp::new(engine, allow_writes);
    // `stdio_pipes`: the pipes MCP clients give their servers are read without a blocking thread,
    // so the service can stop even while a read is pending (a terminal or a file falls back to
    // the blocking `stdio()` handles).
    let service =
        server.serve(rmcp::transport::stdio_pipes()).await.map_err(|e| Failure(format!("MCP: the client's initialize failed: {e}")))?;
    let quit = service.waiting().await.map_err(|e| Failure(format!("MCP: the server task failed: {e}")))?;
    tracing::info!(reason = ?quit, "MCP server stopped");
    Ok(())
}

/// The server: the engine, and whether writes were allowed on the command line.
#[derive(Clone)]
pub struct BrickDeskMcp {
    engine: Arc<Engine>,
    allow_writes: bool,
    tools: ToolRouter<BrickDeskMcp>,
}

impl BrickDeskMcp {
    fn new(engine: Engine, allow_writes: bool) -> BrickDeskMcp {
        let mut tools = BrickDeskMcp::read_tools();
        if allow_writes {
            tools.merge(BrickDeskMcp::write_tools());
        }
        BrickDeskMcp { engine: Arc::new(engine), allow_writes, tools }
    }
}

// ---- Arguments. `deny_unknown_fields`: a misspelt filter is refused by name instead of being
// ---- ignored (an assistant would otherwise read an unfiltered answer as a filtered one).

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SearchInventoryArgs {
    /// Start of the item number (`3001`), or of the catalog name (`Brick 2 x`) for items the
    /// catalog cache knows; case-insensitive.
    pub text: Option<String>,
    /// BrickLink colour id (e.g. 5 = Red, 11 = Black).
    pub color_id: Option<i64>,
    /// Start of the bin / location (`A-0` finds, …); case-insensitive.
    pub location: Option<String>,
    /// `N` (new) or `U` (used).
    pub condition: Option<String>,
    /// Only lots whose push to a store is `pending` or `failed`, or that the last drift check
    /// found changed on a store (`drift`).
    pub sync: Option<String>,
    /// Lots to skip (paging); 0 by default.
    pub offset: Option<i64>,
    /// Lots wanted: 50 by default, at most 500; 0 gives only the count.
    pub limit: Option<i64>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LotArgs {
    /// The lot's id (`id` in search_inventory's answer).
    pub id: i64,
}

/// A marketplace, as the tools name it.
#[derive(Debug, Clone, Copy, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum MarketplaceArg {
    Bricklink,
    Brickowl,
    Allegro,
}

impl From<MarketplaceArg> for Provider {
    fn from(m: MarketplaceArg) -> Provider {
        match m {
            MarketplaceArg::Bricklink => Provider::Bricklink,
            MarketplaceArg::Brickowl => Provider::Brickowl,
            MarketplaceArg::Allegro => Provider::Allegro,
        }
    }
}

/// Where an order is, in the same words for every marketplace.
#[derive(Debug, Clone, Copy, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum FulfillmentArg {
    /// Not paid yet.
    New,
    Paid,
    Packed,
    Shipped,
    /// Received by the buyer, or closed.
    Completed,
    Cancelled,
}

impl From<FulfillmentArg> for Fulfillment {
    fn from(f: FulfillmentArg) -> Fulfillment {
        match f {
            FulfillmentArg::New => Fulfillment::New,
            FulfillmentArg::Paid => Fulfillment::Paid,
            FulfillmentArg::Packed => Fulfillment::Packed,
            FulfillmentArg::Shipped => Fulfillment::Shipped,
            FulfillmentArg::Completed => Fulfillment::Completed,
            FulfillmentArg::Cancelled => Fulfillment::Cancelled,
        }
    }
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListOrdersArgs {
    /// BrickDesk's one status for every marketplace.
    pub fulfillment: Option<FulfillmentArg>,
    /// The marketplace's own status, exactly as it writes it (`PAID`, `Payment Received`, …).
    pub status: Option<String>,
    pub marketplace: Option<MarketplaceArg>,
    /// Start of the buyer's name; case-insensitive.
    pub buyer: Option<String>,
    /// Ordered on or after this day (`YYYY-MM-DD`, UTC) or instant (RFC 3339).
    pub from: Option<String>,
    /// Ordered on or before this day (`YYYY-MM-DD`, UTC), or before this instant (RFC 3339).
    pub to: Option<String>,
    /// Orders to skip (paging); 0 by default.
    pub offset: Option<i64>,
    /// Orders wanted, newest first: 50 by default, at most 500; 0 gives only the count.
    pub limit: Option<i64>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderArgs {
    /// BrickDesk's order id (`id` in list_orders' answer; not the marketplace's `external_id`).
    pub id: i64,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CatalogItemArgs {
    /// BrickLink item number, e.g. `3001` or `10030-1`.
    pub item_no: String,
    /// BrickLink item type (`PART`, `SET`, `MINIFIG`, …); `PART` by default.
    pub item_type: Option<String>,
    /// A BrickLink colour id: the answer then includes that colour's price guides when cached.
    pub color_id: Option<i64>,
}

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SyncStatusArgs {
    /// Only this lot's entries (every status). Without it: the counts per marketplace and status,
    /// and the entries that are not synced.
    pub lot_id: Option<i64>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PickListArgs {
    /// BrickDesk order ids (`id` in list_orders' answer), at least one.
    pub order_ids: Vec<i64>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateLotArgs {
    /// The lot's id (`id` in search_inventory's answer).
    pub id: i64,
    /// Pieces on hand (reserved pieces included), 0 or more.
    pub quantity: Option<i64>,
    /// Unit price as a decimal string in the lot's currency, e.g. `"0.12"` (never a float).
    pub unit_price: Option<String>,
    /// The bin / location.
    pub location: Option<String>,
}

/// `sync_status`'s answer.
#[derive(Serialize)]
struct SyncOverview {
    /// Marketplace → status (`synced`, `pending`, `failed`) → lots (order updates counted apart).
    counts: BTreeMap<String, BTreeMap<String, i64>>,
    entries: Vec<brickdesk_ipc::SyncStatusEntry>,
    /// The last drift check's report (every store's), if it ever ran.
    drift: Option<brickdesk_ipc::DriftReport>,
}

/// `update_lot`'s answer: the lot as it stands after the push, and what the push did.
#[derive(Serialize)]
struct LotUpdated {
    lot: brickdesk_ipc::InventoryLot,
    /// The sync round run right after the change (`sync run`'s report).
    push: Option<brickdesk_ipc::SyncRunReport>,
    /// Why the push did not run to its end; the change is kept and queued, and the window or
    /// `brickdesk-cli run` pushes it later.
    push_error: Option<String>,
}

// ---- Answers.

/// A tool's answer: the value as JSON text, or the engine's refusal as a tool error the assistant
/// reads (`{"code", "message"}`, the CLI's and the window's error shape). Refusals are results,
/// not protocol errors, as the MCP spec asks of input validation (and as rmcp answers arguments it
/// cannot read): the assistant sees what was wrong and can ask again.
fn answer<T: Serialize>(result: Result<T, Error>) -> Result<CallToolResult, ErrorData> {
    match result {
        Ok(value) => {
            let text = serde_json::to_string_pretty(&value)
                .map_err(|e| ErrorData::internal_error(format!("cannot write the answer as JSON: {e}"), None))?;
            Ok(CallToolResult::success(vec![ContentBlock::text(text)]))
        }
        Err(e) => Ok(refused(CommandError::from(e))),
    }
}

fn refused(e: CommandError) -> CallToolResult {
    let text = serde_json::to_string(&e).unwrap_or_else(|_| e.message.clone());
    CallToolResult::error(vec![ContentBlock::text(text)])
}

fn limit(l: Option<i64>) -> i64 {
    l.unwrap_or(DEFAULT_LIMIT)
}

#[tool_router(router = read_tools)]
impl BrickDeskMcp {
    /// Search the local inventory (every lot, whatever store it is listed on) by item number or
    /// catalog name, colour, bin and condition. Answers one page: {"total", "offset", "lots"},
    /// lots sorted by bin, each with its quantity, reserved pieces, unit price and where each
    /// marketplace's copy stands.
    #[tool(annotations(read_only_hint = true, open_world_hint = false))]
    async fn search_inventory(&self, Parameters(a): Parameters<SearchInventoryArgs>) -> Result<CallToolResult, ErrorData> {
        let query = InventoryQuery {
            text: a.text,
            color_id: a.color_id,
            condition: a.condition,
            location: a.location,
            sync: a.sync,
            offset: a.offset.unwrap_or(0),
            limit: limit(a.limit),
            ..Default::default()
        };
        answer(self.engine.inventory_page(query).await)
    }

    /// One lot by id, with its sync state on each marketplace in sync (synced, pending or failed,
    /// the store's lot id, the last error).
    #[tool(annotations(read_only_hint = true, open_world_hint = false))]
    async fn get_lot(&self, Parameters(a): Parameters<LotArgs>) -> Result<CallToolResult, ErrorData> {
        answer(self.engine.inventory_get(a.id).await)
    }

    /// Orders from every marketplace, newest first, filtered by status, marketplace, buyer and
    /// date. Answers one page: {"total", "offset", "orders"} with totals as decimal strings in
    /// each order's currency (never added across currencies).
    #[tool(annotations(read_only_hint = true, open_world_hint = false))]
    async fn list_orders(&self, Parameters(a): Parameters<ListOrdersArgs>) -> Result<CallToolResult, ErrorData> {
        let query = OrdersQuery {
            status: a.status,
            fulfillment: a.fulfillment.map(Fulfillment::from),
            marketplace: a.marketplace.map(Provider::from),
            buyer: a.buyer,
            from: a.from,
            to: a.to,
            sort: OrdersSort::Date,
            descending: true,
            offset: a.offset.unwrap_or(0),
            limit: limit(a.limit),
        };
        answer(self.engine.orders_page(query).await)
    }

    /// One order with its lines (item, colour, quantity, price, the lot and bin each is picked
    /// from), status, tracking and shipping address.
    #[tool(annotations(read_only_hint = true, open_world_hint = false))]
    async fn get_order(&self, Parameters(a): Parameters<OrderArgs>) -> Result<CallToolResult, ErrorData> {
        answer(self.engine.orders_show(a.id).await)
    }

    /// A BrickLink catalog item (name, year, weight, size, known colours) and, with a colour, its
    /// price guides: from BrickDesk's cache, at once. `status` says whether it is fresh, stale,
    /// refreshing or missing; what is missing or stale is queued for a refresh that the window or
    /// `brickdesk-cli run` fetches (ask again later), as the window's catalog drawer does.
    #[tool(annotations(read_only_hint = true, open_world_hint = false))]
    async fn catalog_item(&self, Parameters(a): Parameters<CatalogItemArgs>) -> Result<CallToolResult, ErrorData> {
        let query = CatalogQuery { item_no: a.item_no, item_type: a.item_type, color_id: a.color_id };
        answer(self.engine.catalog_part(query).await)
    }

    /// Where inventory sync stands: per marketplace, how many lots are synced, pending or failed;
    /// the entries that are not synced (or one lot's, with `lot_id`), each with its attempts and
    /// last error; and the last drift check's report (lots changed on a store behind BrickDesk's
    /// back).
    #[tool(annotations(read_only_hint = true, open_world_hint = false))]
    async fn sync_status(&self, Parameters(a): Parameters<SyncStatusArgs>) -> Result<CallToolResult, ErrorData> {
        answer(self.sync_overview(a.lot_id).await)
    }

    /// The pick list across the given orders: one line per lot and bin, sorted by bin in natural
    /// order, with the quantity to pick and which order lines it serves.
    #[tool(annotations(read_only_hint = true, open_world_hint = false))]
    async fn pick_list(&self, Parameters(a): Parameters<PickListArgs>) -> Result<CallToolResult, ErrorData> {
        answer(self.engine.orders_pick_list(a.order_ids).await)
    }
}

#[tool_router(router = write_tools)]
impl BrickDeskMcp {
    /// Change a lot's quantity, unit price or bin. Goes through BrickDesk's ledger like an edit
    /// in the window, then pushed to every store in sync at once. Answers the lot as it stands
    /// after the push and what the push did.
    #[tool(annotations(read_only_hint = false, destructive_hint = true, idempotent_hint = true, open_world_hint = true))]
    async fn update_lot(&self, Parameters(a): Parameters<UpdateLotArgs>) -> Result<CallToolResult, ErrorData> {
        answer(self.update(a).await)
    }
}

impl BrickDeskMcp {
    async fn sync_overview(&self, lot: Option<i64>) -> Result<SyncOverview, Error> {
        if let Some(id) = lot {
            // A lot that does not exist is said so, not answered with an empty list.
            self.engine.inventory_get(id).await?;
        }
        let all = self.engine.sync_status().await?;
        let mut counts: BTreeMap<String, BTreeMap<String, i64>> = BTreeMap::new();
        for e in all.iter().filter(|e| e.inventory_id.is_some()) {
            *counts.entry(e.marketplace.as_str().to_owned()).or_default().entry(e.status.clone()).or_default() += 1;
        }
        let entries = match lot {
            Some(id) => all.into_iter().filter(|e| e.inventory_id == Some(id)).collect(),
            None => all.into_iter().filter(|e| e.status != "synced").collect(),
        };
        Ok(SyncOverview { counts, entries, drift: self.engine.sync_drift().await? })
    }

    async fn update(&self, a: UpdateLotArgs) -> Result<LotUpdated, Error> {
        if a.quantity.is_none() && a.unit_price.is_none() && a.location.is_none() {
            return Err(Error::InvalidInput {
                what: "update_lot".into(),
                detail: "name at least one of quantity, unit_price, location".into(),
            });
        }
        tracing::info!(
            lot = a.id,
            quantity = ?a.quantity,
            unit_price = ?a.unit_price,
            location = ?a.location,
            "MCP update_lot"
        );
        let input = InventoryUpdateInput {
            quantity: a.quantity,
            unit_price: a.unit_price.map(DecimalInput::Text),
            location: a.location,
            ..Default::default()
        };
        let id = a.id;
        self.engine.inventory_update(id, input).await.inspect_err(|e| tracing::info!(lot = id, error = %e, "MCP update_lot refused"))?;
        // No worker runs in this process: push now, as `sync run` does, so the stores have the
        // change when the assistant answers. A failed push keeps the change queued.
        let (push, push_error) = match self.engine.sync_run().await {
            Ok(report) => (Some(report), None),
            Err(e) => {
                tracing::warn!(lot = id, error = %e, "MCP update_lot: push failed; the change stays queued");
                (None, Some(e.to_string()))
            }
        };
        let lot = self.engine.inventory_get(id).await?;
        tracing::info!(lot = id, quantity = lot.quantity, unit_price = %lot.unit_price, "MCP update_lot done");
        Ok(LotUpdated { lot, push, push_error })
    }
}

#[tool_handler(router = self.tools)]
impl ServerHandler for BrickDeskMcp {
    fn get_info(&self) -> ServerConfig {
        let writes = if self.allow_writes {
            "update_lot changes a lot (quantity, unit price, bin) and pushes it to the stores."
        } else {
            "Read-only: the seller did not start this server with --allow-writes."
        };
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("brickdesk", env!("CARGO_PKG_VERSION")))
            .with_instructions(format!(
                "BrickDesk: a LEGO seller's inventory and orders across BrickLink, BrickOwl and Allegro. \
                 The tools read BrickDesk's local database and answer at once with JSON; money is a \
                 decimal string in the stated currency. Ids are BrickDesk's own (lots, orders). {writes}"
            ))
    }

    /// The router's own call, except that `update_lot` without `--allow-writes` is refused with
    /// the reason rather than the router's bare "tool not found".
    async fn call_tool(&self, request: CallToolRequestParams, context: RequestContext<RoleServer>) -> Result<CallToolResponse, ErrorData> {
        if request.name == UPDATE_LOT && !self.allow_writes {
            tracing::info!("MCP update_lot refused: writes are off");
            return Err(ErrorData::invalid_params(
                "update_lot is off: this BrickDesk MCP server is read-only. The seller can allow changes by \
                 starting it as `brickdesk-cli mcp --allow-writes`",
                None,
            ));
        }
        if let Some(e) = bad_arguments(&request) {
            return Ok(refused(e).into());
        }
        self.tools.call(ToolCallContext::new(self, request, context)).await
    }
}

/// The arguments of a call that cannot be read as its tool's, said with the argument's name.
/// rmcp reads them itself too, but serde's message alone does not say which argument held a
/// wrong type ("invalid type: string, expected i64"), and the assistant has to know what to fix.
fn bad_arguments(request: &CallToolRequestParams) -> Option<CommandError> {
    fn check<T: serde::de::DeserializeOwned>(args: &serde_json::Value) -> Option<String> {
        let e = serde_path_to_error::deserialize::<_, T>(args).err()?;
        let path = e.path().to_string();
        Some(if path == "." { e.inner().to_string() } else { format!("`{path}`: {}", e.inner()) })
    }
    let args = serde_json::Value::Object(request.arguments.clone().unwrap_or_default());
    let problem = match request.name.as_ref() {
        "search_inventory" => check::<SearchInventoryArgs>(&args),
        "get_lot" => check::<LotArgs>(&args),
        "list_orders" => check::<ListOrdersArgs>(&args),
        "get_order" => check::<OrderArgs>(&args),
        "catalog_item" => check::<CatalogItemArgs>(&args),
        "sync_status" => check::<SyncStatusArgs>(&args),
        "pick_list" => check::<PickListArgs>(&args),
        UPDATE_LOT => check::<UpdateLotArgs>(&args),
        // Unknown tools: the router says so.
        _ => None,
    }?;
    Some(CommandError {
        code: brickdesk_ipc::ErrorCode::InvalidInput,
        message: format!("invalid arguments for {}: {problem}", request.name),
    })
}
