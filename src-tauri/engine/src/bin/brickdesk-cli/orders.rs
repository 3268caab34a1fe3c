//! `orders`: orders from every marketplace, one order with its lines, and picking them.

use brickdesk_engine::Engine;
use brickdesk_ipc::{OrderDetail, OrderSummary, OrdersPickInput, PickStatus};
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
    /// Mark an order's lines picked (or missing, or unpicked again); prints the order.
    Pick {
        /// BrickDesk's local order id.
        id: i64,
        /// A line id from `orders show` (repeatable); without it, every line of the order (lines
        /// marked missing too).
        #[arg(long = "item", value_name = "LINE_ID")]
        items: Vec<i64>,
        /// What the lines become.
        #[arg(long, value_enum, default_value = "picked")]
        status: PickArg,
        #[arg(long)]
        json: bool,
    },
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
        OrdersCommand::Pick { id, items, status, json } => {
            let order = engine.orders_pick(OrdersPickInput { order_id: id, items, status: status.into() }).await?;
            print(&order, json, print_order)
        }
    }
}

fn print_orders(orders: &Vec<OrderSummary>) {
    println!("   ID  MARKET     ORDER       STATUS      BUYER                 ITEMS         TOTAL  DATE");
    for o in orders {
        println!(
            "{:>5}  {:<9}  {:<10}  {:<10}  {:<20}  {:>5}  {:>8} {:<3}  {}{}",
            o.id,
            o.marketplace.display_name(),
            o.external_id,
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
