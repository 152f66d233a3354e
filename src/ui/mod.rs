//! The terminal dashboard: panels drawn from the run's `State`, an app state for selection and
//! overlays, and the live loop that paces a simulated run and takes decisions by keystroke.

pub mod app;
pub mod attached;
pub mod command;
pub mod draw;
pub mod event_loop;
pub mod graph;
pub mod keys;
pub mod layout;
pub mod panels;
pub mod replay;
pub mod run_log;
pub mod steer_keys;
pub mod task_form;
pub mod terminal;
pub mod text;
pub mod theme;
pub mod view;

/// Sends `tracing` events to the dashboard's log panel.
pub fn init_logging() {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    if tui_logger::init_logger(tui_logger::LevelFilter::Info).is_ok() {
        tui_logger::set_default_level(tui_logger::LevelFilter::Info);
        let _ = tracing_subscriber::registry()
            .with(tui_logger::TuiTracingSubscriberLayer)
            .try_init();
    }
}
