//! Owning the terminal: raw mode, the alternate screen and mouse capture go on together and come
//! off together — on quit, on error (the guard's `Drop`), and on panic (a hook that restores the
//! terminal before the panic message is printed). Signals are handled by the dashboard loop,
//! which ends through the same guard.

use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;
use ratatui::DefaultTerminal;
use std::io::stdout;

pub struct TerminalGuard {
    /// Always there until the guard drops.
    terminal: Option<DefaultTerminal>,
}

impl TerminalGuard {
    /// Enters the dashboard's terminal mode. Call after `color_eyre::install()`.
    pub fn enter() -> std::io::Result<TerminalGuard> {
        let terminal = ratatui::try_init()?;
        // ratatui's hook (installed by try_init) restores raw mode and the screen; ours turns
        // mouse capture off first.
        let restore_screen = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let _ = execute!(stdout(), DisableMouseCapture);
            restore_screen(info);
        }));
        execute!(stdout(), EnableMouseCapture)?;
        Ok(TerminalGuard {
            terminal: Some(terminal),
        })
    }

    /// Rings the bell and asks for a desktop notification of `text` (OSC 9, and OSC 777 for
    /// the terminals that read that one instead). Terminals that know neither ignore them.
    pub fn notify(&mut self, text: &str) {
        use std::io::Write;
        let text: String = crate::sanitise::sanitise_line(text)
            .chars()
            .filter(|c| !c.is_control() && *c != ';')
            .collect();
        let mut out = stdout();
        let _ = write!(
            out,
            "\x07\x1b]9;{text}\x07\x1b]777;notify;orch-tui;{text}\x07"
        );
        let _ = out.flush();
    }

    /// Draws one frame.
    pub fn draw(&mut self, render: impl FnOnce(&mut ratatui::Frame)) -> std::io::Result<()> {
        match &mut self.terminal {
            Some(terminal) => terminal.draw(render).map(drop),
            None => Ok(()),
        }
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        // A terminal that is gone (closed under the dashboard) cannot be restored, and
        // saying so to it would fail too: ratatui's own complaint is not let through.
        let _ = execute!(stdout(), DisableMouseCapture);
        let _ = ratatui::try_restore();
        if let Some(mut terminal) = self.terminal.take()
            && terminal.show_cursor().is_err()
        {
            std::mem::forget(terminal);
        }
    }
}
