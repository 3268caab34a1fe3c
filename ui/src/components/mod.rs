//! Components take data and callbacks, never the IPC layer (the status bar and the catalog drawer are
//! the exceptions: they are app chrome, present on every page, and own their own refresh; so is
//! the Allegro card, whose linking is a back-and-forth with the shell, and the Allegro offers list,
//! which links offers to lots on its own). The order panel, the fulfilment block, the ship form,
//! the pick list and the packing slips call the IPC layer too: each acts on orders the seller
//! picked and refetches by itself; so does the files bar (import, export, publish), and the
//! Display settings (language and theme), which apply to the whole window.

pub mod allegro_card;
pub mod allegro_offers;
pub mod catalog_drawer;
pub mod credential_form;
pub mod display_settings;
pub mod drift_panel;
pub mod empty_state;
pub mod files;
pub mod fulfilment;
pub mod inbox_panel;
pub mod inventory_table;
pub mod lot_add_form;
pub mod order_detail;
pub mod orders_table;
pub mod packing_slips;
pub mod part_label;
pub mod pick_list;
pub mod status_bar;
