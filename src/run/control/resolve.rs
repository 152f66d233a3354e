//! Which run a RUN argument names: an exact id, a prefix of exactly one id, or when it is
//! left out the only run going on.

use super::entry::{Liveness, RunEntry};

/// The run `arg` names among `runs`, or an error that lists the choices.
pub fn resolve(runs: &[(RunEntry, Liveness)], arg: Option<&str>) -> Result<RunEntry, String> {
    let pick: Vec<&RunEntry> = match arg {
        Some(arg) => match runs.iter().find(|(e, _)| e.run.id == arg) {
            Some((exact, _)) => vec![exact],
            None => runs
                .iter()
                .filter(|(e, _)| e.run.id.starts_with(arg))
                .map(|(e, _)| e)
                .collect(),
        },
        None => runs
            .iter()
            .filter(|(_, l)| *l == Liveness::Running)
            .map(|(e, _)| e)
            .collect(),
    };
    match (pick.as_slice(), arg) {
        ([one], _) => Ok((*one).clone()),
        ([], Some(arg)) => Err(format!("no run `{arg}`; `orch-tui ls` lists the runs")),
        ([], None) => Err("no run is going on; `orch-tui ls` lists the runs".into()),
        (many, _) => {
            let ids: Vec<&str> = many.iter().map(|e| e.run.id.as_str()).collect();
            Err(format!("name one run of: {}", ids.join(", ")))
        }
    }
}
