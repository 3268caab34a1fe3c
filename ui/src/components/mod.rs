//! Components take data and callbacks, never the IPC layer (the status bar and the catalog drawer are
//! the exceptions: they are app chrome, present on every page, and own their own refresh; so is
//! the Allegro card, whose linking is a back-and-forth with the shell, and the Allegro offers list,
//! which links offers to lots on its own).

pub mod allegro_card;
pub mod allegro_offers;
pub mod catalog_drawer;
pub mod credential_form;
pub mod drift_panel;
pub mod empty_state;
pub mod inbox_panel;
pub mod inventory_table;
pub mod lot_add_form;
pub mod order_detail;
pub mod orders_table;
pub mod status_bar;
