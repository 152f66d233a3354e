use std::time::Instant;
fn hwm() -> String {
    std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("VmHWM") || l.starts_with("VmRSS"))
        .collect::<Vec<_>>()
        .join(" ")
}
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let t = Instant::now();
    let rec = orch_tui::record::read_recording(std::path::Path::new(&path)).unwrap();
    println!(
        "read+parse {:?} ({} events) {}",
        t.elapsed(),
        rec.events.len(),
        hwm()
    );
    let t = Instant::now();
    let mut p = orch_tui::record::player::Player::new(rec, "x").unwrap();
    println!(
        "fold+snapshots {:?} ({} snapshots) {}",
        t.elapsed(),
        p.snapshot_count(),
        hwm()
    );
    let t = Instant::now();
    for k in 0..20 {
        p.seek((k * 7919 * 131) % p.len());
    }
    println!("20 seeks {:?} {}", t.elapsed(), hwm());
}
