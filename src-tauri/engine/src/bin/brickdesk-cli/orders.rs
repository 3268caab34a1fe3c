//! `orders`: orders from every marketplace, one order with its lines, the pick list across orders
//! and picking them, and marking them packed, shipped or paid (each marketplace hears of it
//! through `sync run`, the daemon or the window).

use brickdesk_engine::Engine;
use brickdesk_ipc::{
    Carrier, FulfillmentMark, FulfilmentSettings, OrderDetail, OrderStatusInput, OrderStatusReport, OrderSummary, OrdersPickInput,
    PickList, PickStatus,
};
use clap::{Subcommand, ValueEnum};

use crate::output::{print, Failure};

#[derive(Subcommand)]
pub enum OrdersCommand {
    /// All orders, newest first.
    List {
        #[arg(long)]
        json: bool,
    },
    /// One order with its items, where to pick them and what stock they reserved.
    Show {
        /// BrickDesk's local order id (the first column of `orders list`).
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// The pick list of the orders named: every line, by location, with which orders take how
    /// many. With `--status` (and `--item`), marks lines of one order instead and prints it.
    Pick {
        /// BrickDesk's local order ids (the first column of `orders list`).
        #[arg(required = true, num_args = 1..)]
        ids: Vec<i64>,
        /// A line id from `orders show` (repeatable); without it, every line of the order (lines
        /// marked missing too).
        #[arg(long = "item", value_name = "LINE_ID")]
        items: Vec<i64>,
        /// What the lines become (one order).
        #[arg(long, value_enum)]
        status: Option<PickArg>,
        #[arg(long)]
        json: bool,
    },
    /// Mark an order packed, shipped (with its tracking number) or paid (off-site); its
    /// marketplace hears of it with the next sync round.
    Status {
        /// BrickDesk's local order id.
        id: i64,
        #[arg(value_enum)]
        status: StatusArg,
        /// The tracking number (shipped).
        #[arg(long)]
        tracking: Option<String>,
        /// A link to follow the parcel (shipped; BrickLink and BrickOwl).
        #[arg(long = "tracking-url")]
        tracking_url: Option<String>,
        /// Allegro's carrier id (see `orders carriers`), needed with a tracking number there.
        #[arg(long)]
        carrier: Option<String>,
        /// The carrier's name, with `--carrier OTHER`.
        #[arg(long = "carrier-name")]
        carrier_name: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// The carriers an Allegro tracking number can name.
    Carriers {
        #[arg(long)]
        json: bool,
    },
    /// Orders as CSV for bookkeeping (one row per order, or per line with `--lines`), to stdout
    /// or `--out FILE`; money in each order's own currency, never summed across currencies.
    Export {
        #[arg(value_enum)]
        format: OrdersExportFormat,
        /// First day (YYYY-MM-DD), included.
        #[arg(long)]
        from: Option<String>,
        /// Last day (YYYY-MM-DD), included.
        #[arg(long)]
        to: Option<String>,
        /// One row per order line instead of per order.
        #[arg(long)]
        lines: bool,
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
    /// How marking orders behaves; `--drive-thru on|off` sends (or not) BrickLink's Drive Thru
    /// e-mail to the buyer when an order is marked shipped (off unless turned on).
    Settings {
        #[arg(long = "drive-thru", value_enum)]
        drive_thru: Option<OnOff>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum OrdersExportFormat {
    Csv,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum OnOff {
    On,
    Off,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum StatusArg {
    Packed,
    Shipped,
    Paid,
}

impl From<StatusArg> for FulfillmentMark {
    fn from(s: StatusArg) -> FulfillmentMark {
        match s {
            StatusArg::Packed => FulfillmentMark::Packed,
            StatusArg::Shipped => FulfillmentMark::Shipped,
            StatusArg::Paid => FulfillmentMark::Paid,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub enum PickArg {
    Picked,
    Unpicked,
    Missing,
}

impl From<PickArg> for PickStatus {
    fn from(p: PickArg) -> PickStatus {
        match p {
            PickArg::Picked => PickStatus::Picked,
            PickArg::Unpicked => PickStatus::Unpicked,
            PickArg::Missing => PickStatus::Missing,
        }
    }
}

pub async fn run(engine: &Engine, command: OrdersCommand) -> Result<(), Failure> {
    match command {
        OrdersCommand::List { json } => print(&engine.orders_list().await?, json, print_orders),
        OrdersCommand::Show { id, json } => print(&engine.orders_show(id).await?, json, print_order),
        OrdersCommand::Pick { ids, items, status, json } => match (status, ids.as_slice()) {
            (None, _) if items.is_empty() => print(&engine.orders_pick_list(ids).await?, json, print_pick_list),
            (status, [id]) => {
                let status = status.map_or(PickStatus::Picked, PickStatus::from);
                let order = engine.orders_pick(OrdersPickInput { order_id: *id, items, status }).await?;
                print(&order, json, print_order)
            }
            _ => Err(Failure("--item and --status mark the lines of one order: name one order".into())),
        },
        OrdersCommand::Status { id, status, tracking, tracking_url, carrier, carrier_name, json } => {
            let input = OrderStatusInput { order_id: id, status: status.into(), tracking, tracking_url, carrier, carrier_name };
            print(&engine.orders_set_status(input).await?, json, print_status)
        }
        OrdersCommand::Export { format: OrdersExportFormat::Csv, from, to, lines, out } => {
            let text = engine.orders_export_csv(brickdesk_ipc::OrdersExportQuery { from, to, lines }).await?;
            crate::output::write_out(&text, out.as_deref())
        }
        OrdersCommand::Carriers { json } => print(&engine.allegro_carriers().await?, json, print_carriers),
        OrdersCommand::Settings { drive_thru, json } => {
            let settings = match drive_thru {
                Some(v) => engine.set_fulfilment_settings(FulfilmentSettings { bricklink_drive_thru: matches!(v, OnOff::On) }).await?,
                None => engine.fulfilment_settings().await?,
            };
            print(&settings, json, |s: &FulfilmentSettings| {
                println!("BrickLink Drive Thru e-mail on shipping: {}", if s.bricklink_drive_thru { "on" } else { "off" })
            })
        }
    }
}

fn print_pick_list(list: &PickList) {
    println!("LOCATION    QTY  ITEM        COLOUR  COND  ORDERS");
    for l in &list.lines {
        let orders: Vec<String> = l.orders.iter().map(|o| format!("{}×{} ({})", o.quantity, o.order_id, o.pick_status)).collect();
        println!(
            "{:<10} {:>4}  {:<10}  {:>6}  {:<4}  {}  {}",
            l.location,
            l.quantity,
            l.item_no,
            l.color_id,
            l.condition,
            orders.join(", "),
            l.item_name
        );
    }
}

fn print_status(r: &OrderStatusReport) {
    println!(
        "order {} ({}): {} — {}{}",
        r.order_id,
        r.marketplace.display_name(),
        r.status.label(),
        r.remote,
        r.last_error.as_deref().map(|e| format!(": {e}")).unwrap_or_default()
    );
}

fn print_carriers(carriers: &Vec<Carrier>) {
    for c in carriers {
        println!("{:<16} {}", c.id, c.name);
    }
}

fn print_orders(orders: &Vec<OrderSummary>) {
    println!("   ID  MARKET     ORDER       STATUS     MARKETPLACE  BUYER                 ITEMS         TOTAL  DATE");
    for o in orders {
        println!(
            "{:>5}  {:<9}  {:<10}  {:<9}  {:<11}  {:<20}  {:>5}  {:>8} {:<3}  {}{}",
            o.id,
            o.marketplace.display_name(),
            o.external_id,
            o.fulfillment_status.label(),
            o.status,
            o.buyer_name,
            o.pieces,
            o.total,
            o.currency,
            o.date_ordered,
            if o.is_new { "  NEW" } else { "" }
        );
    }
}

fn print_order(o: &OrderDetail) {
    let s = &o.summary;
    println!("Order {} ({} {}) — {} — {}", s.id, s.marketplace.display_name(), s.external_id, s.status, s.buyer_name);
    println!("Ordered {}, total {} {}, {} items in {} lots, {} picked", s.date_ordered, s.total, s.currency, s.pieces, s.lots, s.picked);
    let f = &o.fulfillment;
    println!(
        "{}{}{}",
        f.status.label(),
        f.tracking.as_deref().map(|t| format!(", tracking {t}")).unwrap_or_default(),
        match (f.remote.as_deref(), f.last_error.as_deref()) {
            (Some(r), Some(e)) => format!(" — {r}: {e}"),
            (Some(r), None) => format!(" — {r}"),
            _ => String::new(),
        }
    );
    if let Some(method) = &o.shipping.method {
        println!("Ships by {method}");
    }
    if let Some(address) = &o.shipping.address {
        println!("To:\n  {}", address.replace('\n', "\n  "));
    }
    for i in &o.items {
        println!(
            "  line {:<6} {:>4} x {:<10} colour {:<3} {}  {:>8}  at {:<10} lot {:<6} {}",
            i.id,
            i.quantity,
            i.item_no,
            i.color_id,
            i.condition,
            i.unit_price,
            i.location,
            i.inventory_id.map(|l| l.to_string()).unwrap_or_else(|| "-".into()),
            i.pick_status
        );
    }
}
