//! Workloads shared by the benchmarks: random task graphs of a given size, built directly as
//! resolved workflows (no TOML), deterministic for a seed.

use orch_tui::time::TimeUnit;
use orch_tui::workflow::model::{Agent, AgentKind, Escalation, Settings, Task, Workflow};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A random DAG of `tasks` tasks on `agents` identical agents: each task depends on up to three
/// of the 200 tasks before it, estimates from 1 to 30 minutes.
pub fn random_workflow(tasks: usize, agents: usize, progress_step: u8, seed: u64) -> Workflow {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let tasks = (0..tasks)
        .map(|i| {
            let mut deps: Vec<String> = (0..rng.random_range(0..=3usize))
                .filter(|_| i > 0)
                .map(|_| format!("t{}", rng.random_range(i.saturating_sub(200)..i)))
                .collect();
            deps.sort();
            deps.dedup();
            Task {
                id: format!("t{i}"),
                name: format!("task {i}"),
                description: String::new(),
                agent: None,
                role: Some("worker".into()),
                estimate_ms: rng.random_range(1..=30) * 60_000,
                depends_on: deps,
                priority: Default::default(),
                phase: None,
                resources: Vec::new(),
                context: Default::default(),
                output: None,
                prompt: None,
                argv: None,
                timeout_ms: None,
                sim: Default::default(),
                review: None,
            }
        })
        .collect();
    Workflow {
        name: "random".into(),
        title: "Random DAG".into(),
        description: String::new(),
        unit: TimeUnit::Minutes,
        settings: Settings {
            max_parallel: agents,
            seed,
            max_retries: 1,
            retry_backoff_ms: 0,
            progress_step,
            permissions: Vec::new(),
            escalation: Escalation {
                policy_decides: Vec::new(),
                decide_after_ms: 0,
                routes: Vec::new(),
                blocker_limit_ms: None,
                run_budget_ms: None,
            },
            alerts: Default::default(),
            prices: Default::default(),
            budget: Default::default(),
        },
        resources: Default::default(),
        agents: (0..agents)
            .map(|a| Agent {
                id: format!("a{a}"),
                name: format!("agent {a}"),
                role: "worker".into(),
                skills: Vec::new(),
                kind: AgentKind::Simulated,
                backups: Vec::new(),
            })
            .collect(),
        phases: Vec::new(),
        tasks,
        blockers: Vec::new(),
        gates: Vec::new(),
    }
}
