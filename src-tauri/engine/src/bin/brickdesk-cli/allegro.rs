//! `allegro`: Allegro offers with the lots they sell, and linking an offer to a lot.

use brickdesk_engine::Engine;
use brickdesk_ipc::AllegroOffer;
use clap::Subcommand;

use crate::output::{print, Failure};

#[derive(Subcommand)]
pub enum AllegroCommand {
    /// Every Allegro offer BrickDesk knows (read by `poll`), by name: price, stock, status, and
    /// the lot it sells — linked by the seller or by its signature (external.id).
    Offers {
        #[arg(long)]
        json: bool,
    },
    /// Link an offer to a lot (replaces the offer's earlier link); the lot's stock is then pushed
    /// to the offer.
    Link {
        /// The Allegro offer id, from `allegro offers`.
        offer_id: String,
        /// The local lot id, from `inventory list`.
        lot_id: i64,
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(engine: &Engine, command: AllegroCommand) -> Result<(), Failure> {
    match command {
        AllegroCommand::Offers { json } => print(&engine.allegro_offers().await?, json, |o| print_offers(o)),
        AllegroCommand::Link { offer_id, lot_id, json } => {
            let offer = engine.allegro_link(&offer_id, lot_id).await?;
            print(&offer, json, |o| print_offers(std::slice::from_ref(o)))
        }
    }
}

fn print_offers(offers: &[AllegroOffer]) {
    println!("OFFER          STATUS     STOCK  PRICE          LOT                          NAME");
    for o in offers {
        let price = match (&o.price, &o.currency) {
            (Some(p), Some(c)) => format!("{p} {c}"),
            _ => "-".into(),
        };
        let lot = match (o.lot_id, &o.lot_label, &o.linked_by) {
            (Some(id), Some(label), Some(by)) => format!("{id} {label} ({by})"),
            (Some(id), _, _) => id.to_string(),
            _ => "not linked".into(),
        };
        let stock = o.stock_available.map(|s| s.to_string()).unwrap_or_else(|| "-".into());
        println!("{:<13}  {:<9}  {:>5}  {:<13}  {:<27}  {}", o.offer_id, o.status, stock, price, lot, o.name);
    }
}
