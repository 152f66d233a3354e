//! How a command fails: one error type for every command, carrying the documented exit code
//! (2 for bad input and flags that do not go together, 1 for the rest).

use crate::error::InputError;

/// A failure that ends the command, with its exit code.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    #[error("{0}")]
    Input(#[from] InputError),
    /// Flags that do not go together.
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Other(String),
}

impl CommandError {
    pub fn exit_code(&self) -> u8 {
        match self {
            CommandError::Input(_) | CommandError::Usage(_) => 2,
            CommandError::Io(_) | CommandError::Other(_) => 1,
        }
    }
}

pub type Result<T> = std::result::Result<T, CommandError>;
