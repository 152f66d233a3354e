//! Keys and mouse to actions. Named keys (arrows, Enter, Esc, Tab, Home, End, Ctrl-C) are fixed;
//! the character keys live in a `KeyMap` that the user config can remap by action name, and the
//! help overlay and footer are drawn from that same map, so they always show the keys that work.
//! Replays read the left and right arrows as stepping through events (the graph keeps its
//! character keys), and a prompt being typed takes the keys as text.

use crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyMode {
    Live,
    Replay,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    /// Leave the dashboard; the run goes on in the background.
    Detach,
    /// Ctrl-C, SIGINT, SIGTERM: stop at once.
    Interrupt,
    /// SIGHUP: the terminal is gone.
    Hangup,
    TogglePause,
    Faster,
    Slower,
    FocusNext,
    FocusPrev,
    Up,
    Down,
    Left,
    Right,
    Open,
    Choose(usize),
    Defer,
    Close,
    NextBlocker,
    Help,
    Summary,
    /// Show the metrics view in place of the agents panel, or back.
    Metrics,
    /// Switch the graph between the layered and the lane view.
    View,
    /// Acknowledge the oldest alert not yet acknowledged.
    Acknowledge,
    /// Open the `:` command line.
    Command,
    /// Re-planning the selected task or agent.
    Reassign,
    Retry,
    Cancel,
    Estimate,
    PauseAgent,
    AddTask,
    Yes,
    /// Replay: one event back or forward.
    StepBack,
    StepForward,
    /// Replay: 10% of the run back or forward.
    JumpBack,
    JumpForward,
    Home,
    End,
    /// Replay: the previous blocker, decision, failure or gate result.
    PreviousMarker,
    /// Replay: type a run time to go to.
    GoTo,
    /// A character typed into a prompt.
    Type(char),
    Erase,
    Click(u16, u16),
    ScrollUp(u16, u16),
    ScrollDown(u16, u16),
}

/// The actions whose character keys can be remapped, by the name the user config uses, with
/// their default keys (the first is the one shown).
const REMAPPABLE: &[(&str, Action, &[char])] = &[
    ("quit", Action::Quit, &['q']),
    ("detach", Action::Detach, &['D']),
    ("pause", Action::TogglePause, &[' ']),
    ("faster", Action::Faster, &['+', '=']),
    ("slower", Action::Slower, &['-', '_']),
    ("up", Action::Up, &['k']),
    ("down", Action::Down, &['j']),
    ("left", Action::Left, &['h']),
    ("right", Action::Right, &['l']),
    ("next_blocker", Action::NextBlocker, &['n']),
    ("defer", Action::Defer, &['d']),
    ("summary", Action::Summary, &['s']),
    ("metrics", Action::Metrics, &['m']),
    ("view", Action::View, &['v']),
    ("acknowledge", Action::Acknowledge, &['a']),
    ("command", Action::Command, &[':']),
    ("reassign", Action::Reassign, &['r']),
    ("retry", Action::Retry, &['R']),
    ("cancel", Action::Cancel, &['X']),
    ("estimate", Action::Estimate, &['e']),
    ("pause_agent", Action::PauseAgent, &['P']),
    ("add_task", Action::AddTask, &['o']),
    ("help", Action::Help, &['?']),
    ("jump_back", Action::JumpBack, &['[']),
    ("jump_forward", Action::JumpForward, &[']']),
    ("previous_marker", Action::PreviousMarker, &['N']),
    ("go_to", Action::GoTo, &['g']),
];

/// The key that confirms quitting; it and the option numbers 1-9 keep their meaning.
const YES: char = 'y';

/// The names of the actions the user config may remap.
pub fn remappable_names() -> Vec<String> {
    REMAPPABLE
        .iter()
        .map(|(name, ..)| name.to_string())
        .collect()
}

/// The action a user-config name stands for.
pub fn remappable_action(name: &str) -> Option<Action> {
    REMAPPABLE
        .iter()
        .find(|(n, ..)| *n == name)
        .map(|(_, action, _)| *action)
}

/// A key as the user config writes it: one character, or `space`.
pub fn parse_key(text: &str) -> Option<char> {
    if text == "space" {
        return Some(' ');
    }
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if !c.is_control() && !c.is_whitespace() => Some(c),
        _ => None,
    }
}

fn key_name(c: char) -> String {
    if c == ' ' {
        "space".into()
    } else {
        c.to_string()
    }
}

/// A remapped key that some other action already uses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{key}` is already the key for {taken_by}; remap that too, or choose another key")]
pub struct KeyConflict {
    /// Which of the remaps asked for the key.
    pub index: usize,
    pub key: String,
    pub taken_by: String,
}

/// Character keys to actions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyMap {
    chars: BTreeMap<char, Action>,
}

impl Default for KeyMap {
    fn default() -> KeyMap {
        let mut chars: BTreeMap<char, Action> = REMAPPABLE
            .iter()
            .flat_map(|(_, action, keys)| keys.iter().map(|c| (*c, *action)))
            .collect();
        chars.insert(YES, Action::Yes);
        KeyMap { chars }
    }
}

impl KeyMap {
    /// The default keys with these actions moved to these keys (each replaces the action's
    /// default keys). A key another action keeps is refused.
    pub fn remapped(remaps: &[(Action, char)]) -> Result<KeyMap, KeyConflict> {
        let mut map = KeyMap::default();
        map.chars
            .retain(|_, action| !remaps.iter().any(|(a, _)| a == action));
        for (index, &(action, key)) in remaps.iter().enumerate() {
            let taken_by = match map.chars.get(&key) {
                Some(&other) if other != action => Some(describe(other)),
                _ if key.is_ascii_digit() => Some("choosing an option".into()),
                _ => None,
            };
            if let Some(taken_by) = taken_by {
                return Err(KeyConflict {
                    index,
                    key: key_name(key),
                    taken_by,
                });
            }
            map.chars.insert(key, action);
        }
        Ok(map)
    }

    /// The key shown for an action (its first), e.g. `q` or `space`.
    pub fn key_for(&self, action: Action) -> String {
        self.chars
            .iter()
            .filter(|(_, a)| **a == action)
            .map(|(c, _)| *c)
            .min_by_key(|c| default_rank(*c, action))
            .map_or_else(|| "—".into(), key_name)
    }

    /// Every key, for the help overlay: (keys, what they do).
    pub fn help(&self) -> Vec<(String, &'static str)> {
        let k = |action| self.key_for(action);
        vec![
            (k(Action::Quit), "quit (asks while the run is still going)"),
            (
                k(Action::Detach),
                "detach: leave the dashboard, the run goes on (`orch-tui attach`)",
            ),
            (
                "Ctrl-C".into(),
                "stop the run and quit at once (attached: detach at once)",
            ),
            (k(Action::TogglePause), "pause / resume"),
            (
                format!("{} / {}", k(Action::Faster), k(Action::Slower)),
                "faster / slower",
            ),
            ("Tab / Shift-Tab".into(), "move focus between panels"),
            (
                format!(
                    "arrows, {} {} {} {}",
                    k(Action::Left),
                    k(Action::Down),
                    k(Action::Up),
                    k(Action::Right)
                ),
                "move the selection, scroll",
            ),
            (
                "Enter".into(),
                "open: task details, or the decision panel of a blocked task",
            ),
            (
                k(Action::NextBlocker),
                "next open blocker: open its decision panel",
            ),
            (
                "1-9".into(),
                "decision panel: choose that option (past 9 options: type its number, then Enter)",
            ),
            (
                "↑ ↓ Enter".into(),
                "decision panel: move to an option and choose it (first: the recommendation)",
            ),
            (
                k(Action::Defer),
                "decision panel: defer (the blocker stays open)",
            ),
            (
                k(Action::Acknowledge),
                "acknowledge the top alert in the banner",
            ),
            (
                k(Action::Command),
                "command line: reassign, retry, cancel, pause, resume, estimate, add",
            ),
            (
                k(Action::Reassign),
                "reassign the selected task (asks the agent)",
            ),
            (k(Action::Retry), "retry the selected failed task"),
            (
                k(Action::Cancel),
                "cancel the selected task (Enter confirms)",
            ),
            (k(Action::Estimate), "change the selected task's estimate"),
            (k(Action::PauseAgent), "pause / resume the selected agent"),
            (k(Action::AddTask), "add a task (a form)"),
            (k(Action::Summary), "show / hide the summary"),
            (
                k(Action::Metrics),
                "agent metrics in place of the agents panel, or back",
            ),
            (
                k(Action::View),
                "graph: switch between the layered and the lane view",
            ),
            ("Esc".into(), "close the open panel"),
            (k(Action::Help), "this help"),
            (
                "mouse".into(),
                "click selects a node or an agent; wheel scrolls",
            ),
            ("← / →".into(), "replay: one event back / forward"),
            (
                format!("{} / {}", k(Action::JumpBack), k(Action::JumpForward)),
                "replay: 10% back / forward",
            ),
            ("Home / End".into(), "replay: start / end"),
            (
                format!("{} / {}", k(Action::NextBlocker), k(Action::PreviousMarker)),
                "replay: next / previous blocker or decision",
            ),
            (k(Action::GoTo), "replay: go to a run time (e.g. 3.5h)"),
        ]
    }
}

/// Where a key stands among an action's defaults (a remapped key comes first).
fn default_rank(key: char, action: Action) -> usize {
    REMAPPABLE
        .iter()
        .find(|(_, a, _)| *a == action)
        .and_then(|(_, _, keys)| keys.iter().position(|c| *c == key))
        .map_or(0, |i| i + 1)
}

/// How an action is named in a conflict message.
fn describe(action: Action) -> String {
    match REMAPPABLE.iter().find(|(_, a, _)| *a == action) {
        Some((name, ..)) => format!("`{name}`"),
        None => "confirming quit".into(),
    }
}

pub fn from_key(key: KeyEvent, keys: &KeyMap, mode: KeyMode, prompting: bool) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return matches!(key.code, KeyCode::Char('c')).then_some(Action::Interrupt);
    }
    if prompting {
        return match key.code {
            KeyCode::Char(c) => Some(Action::Type(c)),
            KeyCode::Backspace => Some(Action::Erase),
            KeyCode::Enter => Some(Action::Open),
            KeyCode::Esc => Some(Action::Close),
            KeyCode::Tab | KeyCode::Down => Some(Action::FocusNext),
            KeyCode::BackTab | KeyCode::Up => Some(Action::FocusPrev),
            _ => None,
        };
    }
    let replay = mode == KeyMode::Replay;
    if let KeyCode::Char(c) = key.code
        && let Some(action) = keys.chars.get(&c)
    {
        return Some(*action);
    }
    Some(match key.code {
        KeyCode::Char(c @ '0'..='9') => Action::Choose(c as usize - '0' as usize),
        KeyCode::Backspace => Action::Erase,
        KeyCode::Tab => Action::FocusNext,
        KeyCode::BackTab => Action::FocusPrev,
        KeyCode::Up => Action::Up,
        KeyCode::Down => Action::Down,
        KeyCode::Left if replay => Action::StepBack,
        KeyCode::Right if replay => Action::StepForward,
        KeyCode::Left => Action::Left,
        KeyCode::Right => Action::Right,
        KeyCode::Home if replay => Action::Home,
        KeyCode::End if replay => Action::End,
        KeyCode::Enter => Action::Open,
        KeyCode::Esc => Action::Close,
        _ => return None,
    })
}

pub fn from_mouse(mouse: MouseEvent) -> Option<Action> {
    let (x, y) = (mouse.column, mouse.row);
    match mouse.kind {
        MouseEventKind::Down(MouseButton::Left) => Some(Action::Click(x, y)),
        MouseEventKind::ScrollUp => Some(Action::ScrollUp(x, y)),
        MouseEventKind::ScrollDown => Some(Action::ScrollDown(x, y)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    #[test]
    fn the_default_map_has_the_documented_keys() {
        let keys = KeyMap::default();
        assert_eq!(
            from_key(press('q'), &keys, KeyMode::Live, false),
            Some(Action::Quit)
        );
        assert_eq!(
            from_key(press(' '), &keys, KeyMode::Live, false),
            Some(Action::TogglePause)
        );
        assert_eq!(
            from_key(press('='), &keys, KeyMode::Live, false),
            Some(Action::Faster)
        );
        assert_eq!(
            from_key(press('3'), &keys, KeyMode::Live, false),
            Some(Action::Choose(3))
        );
        assert_eq!(from_key(press('z'), &keys, KeyMode::Live, false), None);
        assert_eq!(keys.key_for(Action::Faster), "+");
        assert_eq!(keys.help()[0].0, "q");
    }

    #[test]
    fn a_remapped_key_replaces_the_default_and_shows_in_the_help() {
        let keys = KeyMap::remapped(&[(Action::Quit, 'x'), (Action::TogglePause, 'p')])
            .expect("x and p are free");
        assert_eq!(
            from_key(press('x'), &keys, KeyMode::Live, false),
            Some(Action::Quit)
        );
        assert_eq!(from_key(press('q'), &keys, KeyMode::Live, false), None);
        assert_eq!(
            from_key(press('p'), &keys, KeyMode::Live, false),
            Some(Action::TogglePause)
        );
        assert_eq!(from_key(press(' '), &keys, KeyMode::Live, false), None);
        let help = keys.help();
        assert!(help.contains(&("x".to_string(), "quit (asks while the run is still going)")));
        assert!(help.contains(&("p".to_string(), "pause / resume")));
        assert!(!help.iter().any(|(k, _)| k == "q" || k == "space"));
    }

    #[test]
    fn swapping_two_keys_works_but_taking_a_kept_key_is_refused() {
        let swapped = KeyMap::remapped(&[(Action::Quit, 'n'), (Action::NextBlocker, 'q')])
            .expect("a swap frees both keys");
        assert_eq!(
            from_key(press('n'), &swapped, KeyMode::Live, false),
            Some(Action::Quit)
        );
        assert_eq!(
            from_key(press('q'), &swapped, KeyMode::Live, false),
            Some(Action::NextBlocker)
        );
        let conflict = KeyMap::remapped(&[(Action::Help, 'h'), (Action::Quit, 'j')])
            .expect_err("h and j move the selection");
        assert_eq!(conflict.index, 0);
        assert_eq!(
            conflict.to_string(),
            "`h` is already the key for `left`; remap that too, or choose another key"
        );
        let digit = KeyMap::remapped(&[(Action::Quit, '2')]).expect_err("2 chooses option 2");
        assert_eq!(digit.taken_by, "choosing an option");
        let yes = KeyMap::remapped(&[(Action::Quit, 'y')]).expect_err("y confirms quitting");
        assert_eq!(yes.taken_by, "confirming quit");
    }

    #[test]
    fn replays_step_with_the_arrows_and_prompts_take_text() {
        let keys = KeyMap::default();
        let arrow = KeyEvent::new(KeyCode::Left, KeyModifiers::NONE);
        assert_eq!(
            from_key(arrow, &keys, KeyMode::Live, false),
            Some(Action::Left)
        );
        assert_eq!(
            from_key(arrow, &keys, KeyMode::Replay, false),
            Some(Action::StepBack)
        );
        assert_eq!(
            from_key(press('h'), &keys, KeyMode::Replay, false),
            Some(Action::Left)
        );
        assert_eq!(
            from_key(press(']'), &keys, KeyMode::Replay, false),
            Some(Action::JumpForward)
        );
        assert_eq!(
            from_key(press('q'), &keys, KeyMode::Replay, true),
            Some(Action::Type('q'))
        );
    }

    #[test]
    fn config_names_and_keys_parse() {
        assert_eq!(remappable_action("next_blocker"), Some(Action::NextBlocker));
        assert_eq!(remappable_action("Quit"), None);
        assert_eq!(parse_key("space"), Some(' '));
        assert_eq!(parse_key("é"), Some('é'));
        assert_eq!(parse_key("ctrl-x"), None);
        assert_eq!(parse_key(""), None);
        assert_eq!(parse_key("\t"), None);
    }
}
