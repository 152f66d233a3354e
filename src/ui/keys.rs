//! Keys and mouse to actions, in one table: what the help overlay lists is what this maps.
//! Replays read the arrow keys left and right as stepping through events (h and l still move
//! in the graph), and a prompt being typed takes the keys as text.

use crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyMode {
    Live,
    Replay,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    /// Ctrl-C: stop at once.
    Interrupt,
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

/// Every key, for the help overlay: (keys, what they do).
pub const KEY_HELP: &[(&str, &str)] = &[
    ("q", "quit (asks while the run is still going)"),
    ("Ctrl-C", "stop the run and quit at once"),
    ("space", "pause / resume"),
    ("+ / -", "faster / slower"),
    ("Tab / Shift-Tab", "move focus between panels"),
    ("arrows, h j k l", "move the selection, scroll"),
    (
        "Enter",
        "open: task details, or the decision panel of a blocked task",
    ),
    ("n", "next open blocker (replay: next blocker or decision)"),
    ("1-9", "decision panel: choose that option"),
    ("Enter", "decision panel: take the recommendation"),
    ("d", "decision panel: defer (the blocker stays open)"),
    ("s", "show / hide the summary"),
    ("Esc", "close the open panel"),
    ("?", "this help"),
    ("mouse", "click selects a node or an agent; wheel scrolls"),
    ("← / →", "replay: one event back / forward"),
    ("[ / ]", "replay: 10% back / forward"),
    ("Home / End", "replay: start / end"),
    ("N", "replay: previous blocker or decision"),
    ("g", "replay: go to a run time (e.g. 3.5h)"),
];

pub fn from_key(key: KeyEvent, mode: KeyMode, prompting: bool) -> Option<Action> {
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
            _ => None,
        };
    }
    let replay = mode == KeyMode::Replay;
    Some(match key.code {
        KeyCode::Char('q') => Action::Quit,
        KeyCode::Char(' ') => Action::TogglePause,
        KeyCode::Char('+') | KeyCode::Char('=') => Action::Faster,
        KeyCode::Char('-') | KeyCode::Char('_') => Action::Slower,
        KeyCode::Tab => Action::FocusNext,
        KeyCode::BackTab => Action::FocusPrev,
        KeyCode::Up | KeyCode::Char('k') => Action::Up,
        KeyCode::Down | KeyCode::Char('j') => Action::Down,
        KeyCode::Left if replay => Action::StepBack,
        KeyCode::Right if replay => Action::StepForward,
        KeyCode::Left | KeyCode::Char('h') => Action::Left,
        KeyCode::Right | KeyCode::Char('l') => Action::Right,
        KeyCode::Char('[') if replay => Action::JumpBack,
        KeyCode::Char(']') if replay => Action::JumpForward,
        KeyCode::Home if replay => Action::Home,
        KeyCode::End if replay => Action::End,
        KeyCode::Char('N') if replay => Action::PreviousMarker,
        KeyCode::Char('g') if replay => Action::GoTo,
        KeyCode::Enter => Action::Open,
        KeyCode::Char(c @ '1'..='9') => Action::Choose(c as usize - '0' as usize),
        KeyCode::Char('d') => Action::Defer,
        KeyCode::Esc => Action::Close,
        KeyCode::Char('n') => Action::NextBlocker,
        KeyCode::Char('?') => Action::Help,
        KeyCode::Char('s') => Action::Summary,
        KeyCode::Char('y') => Action::Yes,
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
