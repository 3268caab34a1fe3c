//! `cargo bench -p brickdesk-tests --bench files` — files in and out at a serious seller's size:
//! a 100,000-lot CSV (semicolons, decimal commas, Polish headers) read with a dry run, imported
//! (one transaction of ledger entries), exported again, and imported a second time (which adds
//! nothing). In-process engine, real SQLite file, no marketplace. Prints one line per figure;
//! README's Benchmarks quote them. Asserts counts, never times.

use std::time::Instant;

use brickdesk_engine::engine::CredentialSource;
use brickdesk_engine::{Config, Engine};
use brickdesk_ipc::{CsvOptions, FileFormat, FileImportInput};

const LOTS: usize = 100_000;

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    rt.block_on(run());
}

async fn run() {
    let n: usize = std::env::var("BENCH_LOTS").ok().and_then(|v| v.parse().ok()).unwrap_or(LOTS);
    let dir = tempfile::tempdir().expect("tmp");
    let config = Config::from_lookup(|k| (k == "BRICKDESK_DATA_DIR").then(|| dir.path().display().to_string())).expect("config");
    let engine = Engine::open_with(config, CredentialSource::Fixed { bricklink: None, brickowl: None }).expect("engine");
    let mut csv = String::from("Numer;Typ;Kolor;Stan;Ilość;Cena;Lokalizacja;Opis\n");
    for i in 0..n {
        csv.push_str(&format!(
            "{};P;{};{};{};{},{:04};{}-{:02};\n",
            3000 + i / 50,
            i % 50 + 1,
            if i % 3 == 0 { "U" } else { "N" },
            i % 97 + 1,
            i % 5,
            (i % 99 + 1) * 100,
            (b'A' + (i % 20) as u8) as char,
            i % 10
        ));
    }
    let input = FileImportInput { format: FileFormat::Csv, name: "big.csv".into(), bytes: csv.into_bytes(), csv: CsvOptions::default() };
    let mb = input.bytes.len() as f64 / 1e6;
    let started = Instant::now();
    let dry = engine.inventory_import_file(input.clone(), true).await.expect("dry run");
    let dry_took = started.elapsed();
    assert_eq!((dry.new.len(), dry.refused.len()), (n, 0));
    let started = Instant::now();
    let done = engine.inventory_import_file(input.clone(), false).await.expect("import");
    let import_took = started.elapsed();
    assert_eq!(done.new.len(), n);
    let started = Instant::now();
    let out = engine.inventory_export(FileFormat::Csv, None).await.expect("export");
    let export_took = started.elapsed();
    let started = Instant::now();
    let again = engine.inventory_import_file(input, false).await.expect("again");
    let again_took = started.elapsed();
    assert!(again.already_imported.is_some());
    println!("files_csv_dry_run     {n} lots ({mb:.1} MB): dry run {:.2} s", dry_took.as_secs_f64());
    println!(
        "files_csv_import      {n} lots: import {:.2} s ({:.0} lots/s, one transaction)",
        import_took.as_secs_f64(),
        n as f64 / import_took.as_secs_f64()
    );
    println!("files_csv_export      {n} lots: export {:.2} s ({:.1} MB)", export_took.as_secs_f64(), out.len() as f64 / 1e6);
    println!("files_csv_again       the same file again: {:.2} s, nothing added", again_took.as_secs_f64());
}
