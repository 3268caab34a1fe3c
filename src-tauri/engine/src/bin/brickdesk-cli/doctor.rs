//! `doctor`: every lot, order line and queue row checked against the ledger.

use brickdesk_engine::Engine;
use brickdesk_ipc::DoctorReport;

use crate::output::{print, Failure};

/// Prints the report (exits 0 whatever it found).
pub async fn run(engine: &Engine, json: bool) -> Result<(), Failure> {
    print(&engine.doctor().await?, json, print_doctor)
}

fn print_doctor(r: &DoctorReport) {
    if r.ok {
        println!("ok: every lot, order line and queue row agrees with the ledger");
    }
    for p in &r.problems {
        println!("{:<18} {}", p.kind, p.detail);
    }
}
