//! Owning the terminal: raw mode, the alternate screen and mouse capture go on together and come
//! off together — on quit, on error (the guard's `Drop`), and on panic (a hook that restores the
//! terminal before the panic message is printed). Signals are handled by the dashboard loop,
//! which ends through the same guard.

use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;
use ratatui::DefaultTerminal;
use std::io::stdout;

pub struct TerminalGuard {
    pub terminal: DefaultTerminal,
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
        Ok(TerminalGuard { terminal })
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        let _ = execute!(stdout(), DisableMouseCapture);
        ratatui::restore();
    }
}
