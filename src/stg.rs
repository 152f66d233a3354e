//! Importing Standard Task Graph (STG) files: the first line gives the number of tasks `n`, then
//! one line per task reads `id cost npred pred...`, with task 0 and task `n+1` zero-cost entry
//! and exit dummies, and `#` lines are comments. The graph becomes an equivalent workflow, one
//! task per real STG task (`t1`..`tn`, cost as the estimate in minutes, the dummies dropped),
//! run by `N` identical agents, printed as workflow TOML that `orch-tui validate` accepts.

use crate::error::InputError;
use std::fmt::Write;
use std::path::Path;

/// The most tasks an STG graph may declare: ten times the largest benchmark graphs.
pub const MAX_TASKS: usize = 1_000_000;

/// The real tasks of an STG graph: costs and predecessors, both indexed from 0 (task `t1` is
/// index 0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StgGraph {
    /// A workflow id made from the file name.
    pub name: String,
    pub costs: Vec<u64>,
    pub preds: Vec<Vec<usize>>,
}

/// Reads and checks an STG file.
pub fn load(path: &Path) -> Result<StgGraph, InputError> {
    let label = path.display().to_string();
    let text = crate::input_file::read_text(path, "STG file")?;
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned());
    parse(
        &text,
        &label,
        &workflow_id(stem.as_deref().unwrap_or_default()),
    )
}

/// Parses STG text; `label` names it in errors and `name` becomes the graph's name.
pub fn parse(text: &str, label: &str, name: &str) -> Result<StgGraph, InputError> {
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, line)| (i + 1, line.trim()))
        .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'));
    let Some((line_no, first)) = lines.next() else {
        return Err(InputError::new(
            label,
            "the file is empty; an STG file starts with its number of tasks",
        ));
    };
    let n: usize = first.parse().map_err(|_| {
        InputError::at_line(
            label,
            line_no,
            format!("`{first}` is not a number of tasks"),
        )
    })?;
    if n == 0 || n > MAX_TASKS {
        return Err(InputError::at_line(
            label,
            line_no,
            format!("the graph declares {n} tasks; an STG graph may have 1 to at most {MAX_TASKS}"),
        ));
    }
    let mut graph = StgGraph {
        name: name.to_string(),
        costs: Vec::with_capacity(n),
        preds: Vec::with_capacity(n),
    };
    let mut last_line = line_no;
    for id in 0..=n + 1 {
        let Some((line_no, line)) = lines.next() else {
            return Err(InputError::at_line(
                label,
                last_line,
                format!("the file ends before task {id}; it declares {n} tasks plus two dummies"),
            ));
        };
        last_line = line_no;
        let task = parse_task(line, id).map_err(|m| InputError::at_line(label, line_no, m))?;
        let is_dummy = id == 0 || id == n + 1;
        if is_dummy && task.cost != 0 {
            return Err(InputError::at_line(
                label,
                line_no,
                format!("dummy task {id} must cost 0, not {}", task.cost),
            ));
        }
        if !is_dummy {
            graph.costs.push(task.cost);
            graph.preds.push(
                task.preds
                    .iter()
                    .filter(|&&p| p != 0)
                    .map(|&p| p - 1)
                    .collect(),
            );
        }
    }
    if let Some((line_no, line)) = lines.next() {
        return Err(InputError::at_line(
            label,
            line_no,
            format!("unexpected `{line}` after the exit task"),
        ));
    }
    Ok(graph)
}

/// One task line, before dummies are dropped.
struct TaskLine {
    cost: u64,
    preds: Vec<usize>,
}

fn parse_task(line: &str, id: usize) -> Result<TaskLine, String> {
    let mut fields = line.split_whitespace();
    let mut number = |what: &str| -> Result<u64, String> {
        let field = fields
            .next()
            .ok_or_else(|| format!("task {id}: the {what} is missing"))?;
        field
            .parse()
            .map_err(|_| format!("task {id}: the {what} `{field}` is not a whole number"))
    };
    let found = number("id")?;
    if found != id as u64 {
        return Err(format!("expected task {id} here, found task {found}"));
    }
    let cost = number("cost")?;
    let count = number("predecessor count")?;
    let mut preds = Vec::new();
    for _ in 0..count {
        let pred = number("predecessor")?;
        if pred >= id as u64 {
            return Err(format!(
                "task {id}: predecessor {pred} must be a task listed before it"
            ));
        }
        preds.push(pred as usize);
    }
    match fields.next() {
        Some(extra) => Err(format!(
            "task {id}: `{extra}` is more than its {count} predecessors"
        )),
        None => Ok(TaskLine { cost, preds }),
    }
}

/// A workflow id from a file name: characters outside letters, digits, `-`, `_` and `.` become
/// `-`.
fn workflow_id(stem: &str) -> String {
    let id: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    if id.is_empty() { "stg".to_string() } else { id }
}

/// The workflow TOML of `graph` run by `agents` identical agents.
pub fn workflow_toml(graph: &StgGraph, agents: usize) -> String {
    let mut s = String::new();
    let tasks = graph.costs.len();
    let _ = writeln!(
        s,
        "# {tasks} tasks of the STG graph `{}` on {agents} identical agents.\n",
        graph.name
    );
    let _ = writeln!(
        s,
        "[workflow]\nname = \"{}\"\ntitle = \"STG {} on {agents} agents\"\nunit = \"minutes\"\n",
        graph.name, graph.name
    );
    let _ = writeln!(
        s,
        "[settings]\nmax_parallel = {agents}\nprogress_step = 100\n"
    );
    for a in 1..=agents {
        let _ = writeln!(s, "[[agents]]\nid = \"a{a}\"\nrole = \"worker\"\n");
    }
    for (i, (cost, preds)) in graph.costs.iter().zip(&graph.preds).enumerate() {
        let deps: Vec<String> = preds.iter().map(|p| format!("\"t{}\"", p + 1)).collect();
        let _ = writeln!(
            s,
            "[[tasks]]\nid = \"t{}\"\nrole = \"worker\"\nestimate = {cost}\ndepends_on = [{}]\n",
            i + 1,
            deps.join(", ")
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workflow;

    const SMALL: &str = "\
  3
  0  0  0
  1  4  1  0
  2  3  1  1
  3  5  2  0  1
  4  0  2  2  3
# CP Length : 7
";

    #[test]
    fn drops_the_dummies_and_keeps_the_edges() {
        let g = parse(SMALL, "small.stg", "small").unwrap();
        assert_eq!(g.costs, vec![4, 3, 5]);
        assert_eq!(g.preds, vec![vec![], vec![0], vec![0]]);
    }

    #[test]
    fn the_workflow_validates_and_keeps_the_numbers() {
        let g = parse(SMALL, "small.stg", "small").unwrap();
        let w = workflow::parse(&workflow_toml(&g, 2), "small.toml").unwrap();
        assert_eq!(w.agents.len(), 2);
        assert_eq!(w.settings.max_parallel, 2);
        let estimates: Vec<u64> = w.tasks.iter().map(|t| t.estimate_ms / 60_000).collect();
        assert_eq!(estimates, vec![4, 3, 5]);
        assert_eq!(w.tasks[2].depends_on, vec!["t1".to_string()]);
    }

    fn error(text: &str) -> String {
        parse(text, "g.stg", "g").unwrap_err().to_string()
    }

    #[test]
    fn malformed_files_name_the_line() {
        assert_eq!(
            error(""),
            "g.stg: the file is empty; an STG file starts with its number of tasks"
        );
        assert_eq!(error("x\n"), "g.stg:1:1: `x` is not a number of tasks");
        assert_eq!(
            error("1\n0 0 0\n1 2 1 5\n2 0 1 1\n"),
            "g.stg:3:1: task 1: predecessor 5 must be a task listed before it"
        );
        assert_eq!(
            error("1\n0 0 0\n1 two 1 0\n"),
            "g.stg:3:1: task 1: the cost `two` is not a whole number"
        );
        assert_eq!(
            error("1\n0 0 0\n1 2 2 0\n"),
            "g.stg:3:1: task 1: the predecessor is missing"
        );
        assert_eq!(
            error("1\n0 0 0\n2 2 1 0\n"),
            "g.stg:3:1: expected task 1 here, found task 2"
        );
        assert_eq!(
            error("1\n0 0 0\n1 2 1 0\n"),
            "g.stg:3:1: the file ends before task 2; it declares 1 tasks plus two dummies"
        );
        assert_eq!(
            error("1\n0 0 0\n1 2 1 0 7\n2 0 1 1\n"),
            "g.stg:3:1: task 1: `7` is more than its 1 predecessors"
        );
        assert_eq!(
            error("1\n0 0 0\n1 2 1 0\n2 0 1 1\n3 0 0\n"),
            "g.stg:5:1: unexpected `3 0 0` after the exit task"
        );
        assert_eq!(
            error("1\n0 3 0\n"),
            "g.stg:2:1: dummy task 0 must cost 0, not 3"
        );
    }

    #[test]
    fn file_names_become_ids() {
        assert_eq!(workflow_id("rand 0001 (copy)"), "rand-0001--copy-");
        assert_eq!(workflow_id(""), "stg");
    }
}
