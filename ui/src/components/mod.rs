//! Components take data and callbacks, never the IPC layer (the status bar is the one exception:
//! it is app chrome, present on every page, and owns its own refresh).

pub mod credential_form;
pub mod empty_state;
pub mod inbox_panel;
pub mod order_detail;
pub mod orders_table;
pub mod status_bar;
