//! The dashboard's own state: focus, selection, scroll positions, open overlays and the graph
//! layout cache. It turns actions into changes of view and into `Intent`s for whoever drives the
//! run (a live engine or a replay); it never changes the run itself.

use super::graph::{GraphInput, GraphLayout, GraphMode, LaneLayout};
use super::keys::{Action, KeyMap};
use super::layout::Areas;
use super::task_form::TaskForm;
use super::theme::Theme;
use crate::engine::event::PlanChange;
use crate::engine::state::State;
use crate::plan::Problem;
use crate::plan::analysis::critical_path;
use std::collections::HashSet;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Graph,
    Agents,
    Timeline,
    Log,
}

const FOCUS_ORDER: [Focus; 4] = [Focus::Graph, Focus::Agents, Focus::Timeline, Focus::Log];

/// The decision panel of one blocker.
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionView {
    pub blocker: usize,
    /// The run's projected finish under each option (live runs only).
    pub projections: Vec<Option<u64>>,
    /// The option under the cursor (1-based), moved by the arrows and by typed digits; `None`
    /// until then, meaning the recommended one.
    pub selected: Option<usize>,
    /// The digits typed so far, when the blocker has more than 9 options (Enter takes them).
    pub typed: String,
}

impl DecisionView {
    /// The option Enter chooses: the one under the cursor.
    pub fn selected_or(&self, recommended: usize) -> usize {
        self.selected.unwrap_or(recommended)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    Help,
    Decision(DecisionView),
    Details(usize),
    Summary,
    ConfirmQuit,
    AddTask(TaskForm),
}

/// What the dashboard asks of the run.
#[derive(Debug, Clone, PartialEq)]
pub enum Intent {
    Nothing,
    /// Stop the run and close.
    Quit,
    /// Close; the run goes on in the background.
    Detach,
    TogglePause,
    Faster,
    Slower,
    /// Open the decision panel of this blocker (the driver adds projections).
    OpenDecision(usize),
    Decide {
        blocker: String,
        option: usize,
    },
    /// Replay: one event back (false) or forward (true).
    Step(bool),
    /// Replay: 10% of the run back or forward.
    Jump(bool),
    /// Replay: to the start (false) or the end (true).
    Edge(bool),
    /// Replay: to the previous or next blocker, decision, failure or gate result.
    Marker(bool),
    /// Replay: to a typed run time.
    GoTo(String),
    /// Mark this alert as seen.
    Acknowledge(String),
    /// Change the plan of the live run.
    Replan(PlanChange),
}

/// The cached graph layouts (layered and lanes), rebuilt when the plan changes.
#[derive(Default)]
pub struct GraphCache {
    pub layout: GraphLayout,
    pub lanes: LaneLayout,
    pub critical: Vec<bool>,
    nodes: usize,
}

pub struct App {
    pub theme: Theme,
    /// The character keys, as the user config maps them.
    pub keys: KeyMap,
    pub focus: Focus,
    pub overlay: Option<Overlay>,
    pub selected_node: Option<usize>,
    pub selected_agent: usize,
    pub graph_offset: (u32, u32),
    /// The graph's view in the last frame.
    pub graph_mode: GraphMode,
    /// The view chosen with `v`; `None` lets the panel's size decide.
    pub graph_mode_chosen: Option<GraphMode>,
    /// The first row the lane view shows.
    pub lane_scroll: usize,
    pub timeline_scroll: usize,
    pub graph: GraphCache,
    pub toast: Option<(String, Instant)>,
    pub deferred: HashSet<usize>,
    pub areas: Areas,
    pub log_state: tui_logger::TuiWidgetState,
    summary_shown: bool,
    /// Whether the run is still going (quitting then asks first).
    pub run_going: bool,
    /// Whether decisions can be made (false in a replay).
    pub can_decide: bool,
    /// Whether this dashboard is attached to a run in another process: quitting then leaves
    /// the run going, and stopping it is asked for apart.
    pub attached: bool,
    /// Whether a hangup (SIGHUP) detaches the run instead of stopping it.
    pub detach_on_hangup: bool,
    /// Text being typed for "go to time", when that prompt is open.
    pub prompt: Option<String>,
    /// Whether the metrics view takes the agents panel's place.
    pub show_metrics: bool,
    /// What to tell the person's terminal on the next frame (a bell and a desktop
    /// notification): a blocker started waiting for them.
    pub notify: Option<String>,
    /// Text being typed on the `:` command line, when it is open.
    pub command: Option<String>,
}

pub const TOAST_FOR: Duration = Duration::from_secs(6);

impl App {
    /// A dashboard on a live run (`replay` false: decisions can be made) or on a recording.
    pub fn new(theme: Theme, replay: bool) -> App {
        App {
            theme,
            keys: KeyMap::default(),
            focus: Focus::Graph,
            overlay: None,
            selected_node: None,
            selected_agent: 0,
            graph_offset: (0, 0),
            graph_mode: GraphMode::Layered,
            graph_mode_chosen: None,
            lane_scroll: 0,
            timeline_scroll: 0,
            graph: GraphCache::default(),
            toast: None,
            deferred: HashSet::new(),
            areas: Areas::default(),
            log_state: tui_logger::TuiWidgetState::new(),
            summary_shown: false,
            run_going: !replay,
            can_decide: !replay,
            attached: false,
            detach_on_hangup: false,
            prompt: None,
            show_metrics: false,
            command: None,
            notify: None,
        }
    }

    /// Brings the cached layout up to date with the state's plan.
    pub fn refresh_graph(&mut self, state: &State, force: bool) {
        if !force && self.graph.nodes == state.nodes.len() {
            return;
        }
        let deps: Vec<Vec<usize>> = state.nodes.iter().map(|n| n.deps.clone()).collect();
        let (path, _) = critical_path(&Problem::from_state(state));
        let mut critical = vec![false; deps.len()];
        let mut critical_next = vec![None; deps.len()];
        for (k, &i) in path.iter().enumerate() {
            critical[i] = true;
            critical_next[i] = path.get(k + 1).copied();
        }
        self.graph.lanes = LaneLayout::new(&deps, &critical_next);
        self.graph.layout = GraphLayout::new(&GraphInput {
            deps: &deps,
            critical: &critical,
        });
        self.graph.critical = critical;
        self.graph.nodes = state.nodes.len();
        if self.selected_node.is_none() {
            // The first row of the lane view: a task with no dependencies, in either view.
            self.selected_node = self.graph.lanes.order.first().copied();
        }
    }

    /// The agent whose lines alone the log shows: the selected one while the agents panel has
    /// the focus.
    pub fn log_agent(&self) -> Option<usize> {
        (self.focus == Focus::Agents).then_some(self.selected_agent)
    }

    pub fn toast(&mut self, text: impl Into<String>) {
        self.toast = Some((text.into(), Instant::now()));
    }

    /// When the run ends, the summary opens once.
    pub fn on_finished(&mut self) {
        self.run_going = false;
        if !self.summary_shown {
            self.summary_shown = true;
            if !matches!(self.overlay, Some(Overlay::Decision(_))) {
                self.overlay = Some(Overlay::Summary);
            }
        }
    }

    pub fn open_decision(&mut self, blocker: usize, projections: Vec<Option<u64>>) {
        self.overlay = Some(Overlay::Decision(DecisionView {
            blocker,
            projections,
            selected: None,
            typed: String::new(),
        }));
    }

    /// Handles an action; returns what the run should do.
    pub fn handle(&mut self, action: Action, state: &State) -> Intent {
        // An attached viewer leaves the run going; the dashboard that started it stops it,
        // unless it was told to leave it going when its terminal hangs up.
        match action {
            Action::Interrupt if self.attached => return Intent::Detach,
            Action::Hangup if self.attached || self.detach_on_hangup => return Intent::Detach,
            Action::Interrupt | Action::Hangup => return Intent::Quit,
            _ => {}
        }
        if let Some(text) = &mut self.prompt {
            match action {
                Action::Type(c) => text.push(c),
                Action::Erase => {
                    text.pop();
                }
                Action::Open => return Intent::GoTo(self.prompt.take().unwrap_or_default()),
                _ => self.prompt = None,
            }
            return Intent::Nothing;
        }
        if self.command.is_some() {
            return self.handle_command(action, state);
        }
        if matches!(self.overlay, Some(Overlay::AddTask(_))) {
            return self.handle_form(action, state);
        }
        match self.overlay.clone() {
            Some(Overlay::ConfirmQuit) => {
                self.overlay = None;
                return match action {
                    Action::Yes | Action::Quit if self.attached => Intent::Detach,
                    Action::Yes | Action::Quit => Intent::Quit,
                    Action::Cancel if self.attached => Intent::Quit,
                    _ => Intent::Nothing,
                };
            }
            Some(Overlay::Decision(view)) => {
                if let Some(intent) = self.handle_decision(action, &view, state) {
                    return intent;
                }
            }
            Some(_) if matches!(action, Action::Close | Action::Open) => {
                self.overlay = None;
                return Intent::Nothing;
            }
            _ => {}
        }
        match action {
            Action::Quit if self.run_going => self.overlay = Some(Overlay::ConfirmQuit),
            Action::Quit => return Intent::Quit,
            Action::Detach if self.can_decide => return Intent::Detach,
            Action::TogglePause => return Intent::TogglePause,
            Action::Faster => return Intent::Faster,
            Action::Slower => return Intent::Slower,
            Action::FocusNext => self.cycle_focus(1),
            Action::FocusPrev => self.cycle_focus(FOCUS_ORDER.len() - 1),
            Action::Up | Action::Down | Action::Left | Action::Right => {
                self.move_selection(action, state)
            }
            Action::Open => return self.open(state),
            Action::NextBlocker if !self.can_decide => return Intent::Marker(true),
            Action::NextBlocker => return self.next_blocker(state),
            Action::PreviousMarker => return Intent::Marker(false),
            Action::StepBack | Action::StepForward => {
                return Intent::Step(action == Action::StepForward);
            }
            Action::JumpBack | Action::JumpForward => {
                return Intent::Jump(action == Action::JumpForward);
            }
            Action::Home | Action::End => return Intent::Edge(action == Action::End),
            Action::GoTo => self.prompt = Some(String::new()),
            Action::Help => self.toggle(Overlay::Help),
            Action::Summary if state.finished.is_some() => self.toggle(Overlay::Summary),
            Action::Metrics => self.show_metrics = !self.show_metrics,
            Action::View => self.switch_graph_mode(),
            Action::Command
            | Action::Reassign
            | Action::Retry
            | Action::Cancel
            | Action::Estimate
            | Action::PauseAgent
            | Action::AddTask => return self.handle_steer(action, state),
            Action::Acknowledge if self.can_decide => match state.open_alerts().next() {
                Some(alert) => return Intent::Acknowledge(alert.id.clone()),
                None => self.toast("no alert to acknowledge"),
            },
            Action::Close => self.overlay = None,
            Action::Click(x, y) => self.click(x, y, state),
            Action::ScrollUp(x, y) => self.scroll(x, y, -3),
            Action::ScrollDown(x, y) => self.scroll(x, y, 3),
            _ => {}
        }
        Intent::Nothing
    }

    fn handle_decision(
        &mut self,
        action: Action,
        view: &DecisionView,
        state: &State,
    ) -> Option<Intent> {
        let blocker = state.blockers.get(view.blocker)?;
        let open = blocker.is_open() && self.can_decide;
        let count = blocker.report.options.len();
        let choose = |option: usize| Intent::Decide {
            blocker: blocker.id.clone(),
            option,
        };
        let mut moved = view.clone();
        match action {
            // Up to 9 options, a digit chooses at once; past that, digits are typed, then Enter.
            Action::Choose(k) if open && count <= 9 && (1..=count).contains(&k) => {
                self.overlay = None;
                Some(choose(k))
            }
            Action::Choose(k) if open && count > 9 => {
                moved.typed.push_str(&k.to_string());
                match moved.typed.parse::<usize>() {
                    Ok(n) if (1..=count).contains(&n) => moved.selected = Some(n),
                    _ => {
                        self.toast(format!(
                            "there is no option {}; type 1 to {count}, then Enter",
                            moved.typed
                        ));
                        moved.typed.clear();
                    }
                }
                self.overlay = Some(Overlay::Decision(moved));
                Some(Intent::Nothing)
            }
            Action::Choose(k) if open => {
                self.toast(format!("there is no option {k}; choose 1 to {count}"));
                Some(Intent::Nothing)
            }
            Action::Erase if open => {
                moved.typed.pop();
                if let Ok(n) = moved.typed.parse::<usize>() {
                    moved.selected = Some(n);
                }
                self.overlay = Some(Overlay::Decision(moved));
                Some(Intent::Nothing)
            }
            Action::Up | Action::Down if open => {
                let at = view.selected_or(blocker.report.recommended);
                moved.selected = Some(if action == Action::Up {
                    at.saturating_sub(1).max(1)
                } else {
                    (at + 1).min(count)
                });
                moved.typed.clear();
                self.overlay = Some(Overlay::Decision(moved));
                Some(Intent::Nothing)
            }
            Action::Open if open => {
                self.overlay = None;
                Some(choose(view.selected_or(blocker.report.recommended)))
            }
            Action::Defer if open => {
                self.deferred.insert(view.blocker);
                self.overlay = None;
                self.toast(format!(
                    "{} deferred: it stays open ({} brings it back)",
                    blocker.id,
                    self.keys.key_for(Action::NextBlocker)
                ));
                Some(Intent::Nothing)
            }
            Action::Close | Action::Open | Action::Defer => {
                self.overlay = None;
                Some(Intent::Nothing)
            }
            // Keys that keep their meaning with the panel open (in a replay the panel follows the
            // position).
            Action::Quit
            | Action::Interrupt
            | Action::TogglePause
            | Action::Faster
            | Action::Slower
            | Action::Help
            | Action::StepBack
            | Action::StepForward
            | Action::JumpBack
            | Action::JumpForward
            | Action::Home
            | Action::End
            | Action::NextBlocker
            | Action::PreviousMarker
            | Action::GoTo => None,
            _ => Some(Intent::Nothing),
        }
    }

    fn toggle(&mut self, overlay: Overlay) {
        self.overlay = if self.overlay.as_ref() == Some(&overlay) {
            None
        } else {
            Some(overlay)
        };
    }

    fn cycle_focus(&mut self, step: usize) {
        let i = FOCUS_ORDER
            .iter()
            .position(|f| *f == self.focus)
            .unwrap_or(0);
        self.focus = FOCUS_ORDER[(i + step) % FOCUS_ORDER.len()];
    }

    fn open(&mut self, state: &State) -> Intent {
        let Some(t) = self.selected_task(state) else {
            return Intent::Nothing;
        };
        self.selected_node = Some(t);
        match state.nodes[t].blocker {
            Some(b) => Intent::OpenDecision(b),
            None => {
                self.overlay = Some(Overlay::Details(t));
                Intent::Nothing
            }
        }
    }

    /// Selects the next open blocker after the one last shown, most severe first.
    fn next_blocker(&mut self, state: &State) -> Intent {
        let mut open: Vec<usize> = (0..state.blockers.len())
            .filter(|&b| state.blockers[b].is_open())
            .collect();
        if open.is_empty() {
            self.toast("no open blocker");
            return Intent::Nothing;
        }
        open.sort_by_key(|&b| (std::cmp::Reverse(state.blockers[b].report.severity), b));
        let current = self
            .selected_node
            .and_then(|t| state.nodes.get(t))
            .and_then(|n| n.blocker);
        let next = match current.and_then(|c| open.iter().position(|&b| b == c)) {
            Some(i) => open[(i + 1) % open.len()],
            None => open[0],
        };
        self.selected_node = Some(state.blockers[next].task);
        self.reveal_selected();
        Intent::OpenDecision(next)
    }

    fn move_selection(&mut self, action: Action, state: &State) {
        match self.focus {
            Focus::Graph if self.graph_mode == GraphMode::Lanes => {
                self.move_in_lanes(action, state)
            }
            Focus::Graph => self.move_in_graph(action),
            Focus::Agents => {
                let n = state.agents.len().max(1);
                self.selected_agent = match action {
                    Action::Up => (self.selected_agent + n - 1) % n,
                    Action::Down => (self.selected_agent + 1) % n,
                    _ => self.selected_agent,
                };
            }
            Focus::Timeline => {
                self.timeline_scroll = match action {
                    Action::Up => self.timeline_scroll.saturating_sub(1),
                    Action::Down => {
                        (self.timeline_scroll + 1).min(state.nodes.len().saturating_sub(1))
                    }
                    _ => self.timeline_scroll,
                };
            }
            Focus::Log => {
                let event = match action {
                    Action::Up => tui_logger::TuiWidgetEvent::PrevPageKey,
                    Action::Down => tui_logger::TuiWidgetEvent::NextPageKey,
                    _ => tui_logger::TuiWidgetEvent::EscapeKey,
                };
                self.log_state.transition(event);
            }
        }
    }

    fn move_in_graph(&mut self, action: Action) {
        let g = &self.graph.layout;
        let Some(current) = self.selected_node.filter(|&n| n < g.layer_of.len()) else {
            self.selected_node = g.layers.first().and_then(|l| l.first()).copied();
            return;
        };
        let layer = g.layer_of[current];
        let index = g.layers[layer]
            .iter()
            .position(|&n| n == current)
            .unwrap_or(0);
        let y = g.position[current].1;
        let nearest = |l: usize| {
            g.layers.get(l).and_then(|nodes| {
                nodes
                    .iter()
                    .min_by_key(|&&n| g.position[n].1.abs_diff(y))
                    .copied()
            })
        };
        let next = match action {
            Action::Up => index.checked_sub(1).map(|i| g.layers[layer][i]),
            Action::Down => g.layers[layer].get(index + 1).copied(),
            Action::Left => layer.checked_sub(1).and_then(nearest),
            Action::Right => nearest(layer + 1),
            _ => None,
        };
        if let Some(n) = next {
            self.selected_node = Some(n);
            self.reveal_selected();
        }
    }

    /// Scrolls the graph so the selected node is in view.
    pub fn reveal_selected(&mut self) {
        if self.graph_mode == GraphMode::Lanes {
            return self.reveal_in_lanes();
        }
        let (Some(n), area) = (self.selected_node, self.areas.graph_inner) else {
            return;
        };
        let Some(&(x, y)) = self.graph.layout.position.get(n) else {
            return;
        };
        let (w, h) = (u32::from(area.width), u32::from(area.height));
        let (ox, oy) = &mut self.graph_offset;
        let node_w = super::graph::layout::NODE_W;
        if x < *ox || x + node_w > *ox + w {
            *ox = x.saturating_sub(2);
        }
        if y < *oy || y + 3 > *oy + h {
            *oy = y.saturating_sub(h / 3);
        }
    }

    fn click(&mut self, x: u16, y: u16, state: &State) {
        let a = &self.areas;
        if contains(a.graph_inner, x, y) && self.graph_mode == GraphMode::Lanes {
            self.focus = Focus::Graph;
            if let Some(n) = self.task_on_lane_row(y) {
                self.selected_node = Some(n);
            }
        } else if contains(a.graph_inner, x, y) {
            self.focus = Focus::Graph;
            let cx = self.graph_offset.0 + u32::from(x - a.graph_inner.x);
            let cy = self.graph_offset.1 + u32::from(y - a.graph_inner.y);
            if let Some(n) = self.graph.layout.node_at(cx, cy) {
                self.selected_node = Some(n);
            }
        } else if contains(a.agents_inner, x, y) {
            self.focus = Focus::Agents;
            let height =
                super::panels::agents::row_height(a.agents_inner.height, state.agents.len());
            let row = usize::from((y - a.agents_inner.y) / height);
            if row < state.agents.len() {
                self.selected_agent = row;
            }
        } else if contains(a.timeline, x, y) {
            self.focus = Focus::Timeline;
        } else if contains(a.log, x, y) {
            self.focus = Focus::Log;
        }
    }

    fn scroll(&mut self, x: u16, y: u16, delta: i32) {
        let step = |v: u32| v.saturating_add_signed(delta);
        if contains(self.areas.graph_inner, x, y) && self.graph_mode == GraphMode::Lanes {
            self.scroll_lanes(delta);
        } else if contains(self.areas.graph_inner, x, y) {
            self.graph_offset.1 = step(self.graph_offset.1).min(self.graph.layout.height);
        } else if contains(self.areas.timeline, x, y) {
            self.timeline_scroll = step(self.timeline_scroll as u32) as usize;
        } else if contains(self.areas.log, x, y) {
            let event = if delta < 0 {
                tui_logger::TuiWidgetEvent::PrevPageKey
            } else {
                tui_logger::TuiWidgetEvent::NextPageKey
            };
            self.log_state.transition(event);
        }
    }
}

fn contains(r: ratatui::layout::Rect, x: u16, y: u16) -> bool {
    x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height
}
