//! What the command groups share: text or JSON printing, stdin, and the failure that exits 1.

use std::io::Read;
use std::process::ExitCode;

use brickdesk_ipc::InventoryLot;
use serde::Serialize;

/// A failure to report: one line on stderr, exit 1.
pub struct Failure(pub String);

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(e: E) -> Failure {
        Failure(e.to_string())
    }
}

/// Reports `f` on stderr and gives the exit code 1.
pub fn fail(f: Failure) -> ExitCode {
    // One line, whatever the error text contains.
    eprintln!("brickdesk-cli: error: {}", f.0.replace('\n', " "));
    ExitCode::from(1)
}

/// All of stdin, for the commands that read JSON there.
pub fn read_stdin() -> Result<String, Failure> {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).map_err(|e| Failure(format!("cannot read stdin: {e}")))?;
    Ok(input)
}

/// `value` as pretty JSON with `--json`, else as `human` prints it.
pub fn print<T: Serialize>(value: &T, json: bool, human: impl Fn(&T)) -> Result<(), Failure> {
    if json {
        println!("{}", serde_json::to_string_pretty(value)?);
    } else {
        human(value);
    }
    Ok(())
}

/// Lots as a table (`inventory`, and the lot `sync resolve` settled).
pub fn print_lots(lots: &[InventoryLot]) {
    println!(
        "{:>5}  {:<10}  {:<8}  {:>5}  {:<2}  {:<10}  {:>6}  {:>8}  {:>9}",
        "ID", "ITEM", "TYPE", "COLOR", "NU", "LOCATION", "QTY", "RESERVED", "PRICE"
    );
    for l in lots {
        println!(
            "{:>5}  {:<10}  {:<8}  {:>5}  {:<2}  {:<10}  {:>6}  {:>8}  {:>9}",
            l.id, l.item_no, l.item_type, l.color_id, l.condition, l.location, l.quantity, l.reserved, l.unit_price
        );
    }
}

/// Writes `text` to `out`, or to stdout.
pub fn write_out(text: &str, out: Option<&std::path::Path>) -> Result<(), Failure> {
    match out {
        Some(path) => std::fs::write(path, text).map_err(|e| Failure(format!("cannot write {}: {e}", path.display()))),
        None => {
            use std::io::Write;
            std::io::stdout().write_all(text.as_bytes()).map_err(|e| Failure(format!("cannot write to stdout: {e}")))
        }
    }
}
