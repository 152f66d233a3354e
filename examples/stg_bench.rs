//! Schedule quality on the stg50 benchmark: for every graph and 2, 4, 8 and 16 agents, imports
//! the graph with `orch-tui import-stg`, runs it with `orch-tui run --headless --instant`, and
//! compares the run's makespan with the optimum. Two baselines come from the library: starting
//! whatever is ready in file order (list scheduling with each task's index as its priority), and
//! plain critical-path list scheduling. Run it through `benches/stg.sh`, or as
//! `stg_bench --bin PATH/TO/orch-tui [STG50_DIR]`.

use orch_tui::plan::Problem;
use orch_tui::plan::list::list_schedule;
use orch_tui::plan::rules::{Levels, Rule};
use orch_tui::{stg, workflow};
use std::collections::HashMap;
use std::error::Error;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

type Result<T> = std::result::Result<T, Box<dyn Error>>;

const AGENTS: [usize; 4] = [2, 4, 8, 16];
const MINUTE_MS: u64 = 60_000;

/// A row of optimal.csv: the optimum, or a lower bound and the best known length.
#[derive(Clone, Copy)]
struct Optimum {
    bound: u64,
    best_known: Option<u64>,
}

/// What one scheduler reached on one agent count.
#[derive(Default)]
struct Tally {
    gaps: Vec<f64>,
    gaps_to_best_known: Vec<f64>,
    optimal: usize,
    unproven: usize,
    matched_best_known: usize,
    beat_best_known: usize,
}

impl Tally {
    fn add(&mut self, makespan: u64, optimum: Optimum) {
        let gap = |reference: u64| makespan as f64 / reference as f64 - 1.0;
        self.gaps.push(gap(optimum.bound));
        match optimum.best_known {
            None => {
                self.optimal += usize::from(makespan == optimum.bound);
                self.gaps_to_best_known.push(gap(optimum.bound));
            }
            Some(best) => {
                self.unproven += 1;
                self.matched_best_known += usize::from(makespan <= best);
                self.beat_best_known += usize::from(makespan < best);
                self.gaps_to_best_known.push(gap(best));
            }
        }
    }

    fn line(&self) -> String {
        let mean = |v: &[f64]| 100.0 * v.iter().sum::<f64>() / v.len().max(1) as f64;
        let worst = 100.0 * self.gaps.iter().copied().fold(0.0, f64::max);
        format!(
            "{:>7.3}% {:>7.2}% {:>4}/{:<3} {:>3}/{:<2} ({} better) {:>7.3}%",
            mean(&self.gaps),
            worst,
            self.optimal,
            self.gaps.len() - self.unproven,
            self.matched_best_known,
            self.unproven,
            self.beat_best_known,
            mean(&self.gaps_to_best_known),
        )
    }
}

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let mut binary = None;
    let mut dir = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--bin" => binary = args.next().map(PathBuf::from),
            _ => dir = Some(PathBuf::from(arg)),
        }
    }
    let binary = binary.ok_or("usage: stg_bench --bin PATH/TO/orch-tui [STG50_DIR]")?;
    let dir = dir.unwrap_or_else(default_dir);
    let optima = read_optima(&dir)?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "stg"))
        .collect();
    files.sort();
    let scratch = std::env::temp_dir().join(format!("stg-bench-{}.toml", std::process::id()));
    let mut search: HashMap<usize, Tally> = HashMap::new();
    let mut file_order: HashMap<usize, Tally> = HashMap::new();
    let mut critical_path: HashMap<usize, Tally> = HashMap::new();
    for file in &files {
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned());
        let name = name.unwrap_or_default();
        for agents in AGENTS {
            let optimum = *optima
                .get(&(name.clone(), agents))
                .ok_or_else(|| format!("optimal.csv has no row for {name} on {agents}"))?;
            let run = engine_makespan(&binary, file, agents, &scratch)?;
            search.entry(agents).or_default().add(run, optimum);
            let [by_index, by_path] = baseline_makespans(file, agents)?;
            file_order.entry(agents).or_default().add(by_index, optimum);
            critical_path
                .entry(agents)
                .or_default()
                .add(by_path, optimum);
        }
    }
    let _ = std::fs::remove_file(&scratch);
    let shown = dir.canonicalize().unwrap_or(dir);
    println!("{} graphs of {}", files.len(), shown.display());
    println!(
        "gap = makespan / optimum - 1 (the proven lower bound where the optimum is unknown)\n"
    );
    let header = "   mean     worst  optimal  best known       vs best known";
    for (title, tallies) in [
        ("plan + engine run", &search),
        ("baseline: ready tasks in file order", &file_order),
        ("critical-path list scheduling", &critical_path),
    ] {
        println!("{title}\nagents {header}");
        for agents in AGENTS {
            if let Some(t) = tallies.get(&agents) {
                println!("{agents:>6} {}", t.line());
            }
        }
        println!();
    }
    Ok(())
}

fn default_dir() -> PathBuf {
    let beside = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/bench/stg50"
    ));
    if beside.is_dir() {
        beside
    } else {
        PathBuf::from("/work/shared/bench/stg50")
    }
}

fn read_optima(dir: &Path) -> Result<HashMap<(String, usize), Optimum>> {
    let text = std::fs::read_to_string(dir.join("optimal.csv"))?;
    let mut optima = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        let fields: Vec<&str> = line.trim().split(',').collect();
        let bad = || {
            format!(
                "optimal.csv:{}: expected file,processors,optimal[,upper]",
                i + 1
            )
        };
        if fields.len() < 3 {
            return Err(bad().into());
        }
        let number = |s: &str| s.parse::<u64>().map_err(|_| bad());
        let optimum = Optimum {
            bound: number(fields[2])?,
            best_known: fields.get(3).map(|s| number(s)).transpose()?,
        };
        optima.insert(
            (fields[0].to_string(), number(fields[1])? as usize),
            optimum,
        );
    }
    Ok(optima)
}

/// The makespan, in minutes, of `orch-tui run` on the imported workflow.
fn engine_makespan(binary: &Path, file: &Path, agents: usize, scratch: &Path) -> Result<u64> {
    let import = Command::new(binary)
        .arg("import-stg")
        .arg(file)
        .args(["--agents", &agents.to_string()])
        .output()?;
    if !import.status.success() {
        return Err(String::from_utf8_lossy(&import.stderr).into_owned().into());
    }
    std::fs::write(scratch, &import.stdout)?;
    let run = Command::new(binary)
        .arg("run")
        .arg(scratch)
        .args(["--headless", "--instant", "--no-record", "--json"])
        .output()?;
    if !run.status.success() {
        return Err(String::from_utf8_lossy(&run.stderr).into_owned().into());
    }
    let summary: serde_json::Value = serde_json::from_slice(&run.stdout)?;
    let makespan = summary["makespan_ms"]
        .as_u64()
        .ok_or("the run's summary has no makespan_ms")?;
    Ok(makespan / MINUTE_MS)
}

/// The makespans, in minutes, of list scheduling by file order and by longest path to the end.
fn baseline_makespans(file: &Path, agents: usize) -> Result<[u64; 2]> {
    let graph = stg::load(file)?;
    let w = workflow::parse(&stg::workflow_toml(&graph, agents), &graph.name)?;
    let problem = Problem::from_workflow(&Arc::new(w));
    let file_order: Vec<u64> = (0..problem.len() as u64).collect();
    let critical_path = Rule::BottomLevel.keys(&problem, &Levels::new(&problem));
    let makespan = |key: &[u64]| {
        list_schedule(&problem, key)
            .map(|s| s.makespan / MINUTE_MS)
            .ok_or("the graph cannot be scheduled")
    };
    Ok([makespan(&file_order)?, makespan(&critical_path)?])
}
