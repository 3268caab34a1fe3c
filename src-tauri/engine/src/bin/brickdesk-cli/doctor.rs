//! `doctor`: every lot, order line and queue row checked against the ledger; with `--remote`,
//! every linked lot against what each store holds.

use brickdesk_engine::Engine;
use brickdesk_ipc::DoctorReport;

use crate::output::{print, Failure};

/// Prints the report (exits 0 whatever it found); `remote` adds the stores' side.
pub async fn run(engine: &Engine, remote: bool, json: bool) -> Result<(), Failure> {
    let mut report = engine.doctor().await?;
    if remote {
        let stores = engine.doctor_remote().await?;
        report.problems.extend(stores.problems);
        report.ok = report.problems.is_empty();
    }
    print(&report, json, print_doctor)
}

fn print_doctor(r: &DoctorReport) {
    if r.ok {
        println!("ok: every lot, order line and queue row agrees with the ledger");
    }
    for p in &r.problems {
        println!("{:<18} {}", p.kind, p.detail);
    }
}
