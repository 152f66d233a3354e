//! The user's own settings: a small TOML file in the platform's config folder
//! (`~/.config/orch-tui/config.toml` on Linux), or wherever `ORCH_TUI_CONFIG` points. It picks the
//! dashboard's palette, remaps its keys, and sets the defaults of `run` (dashboard speed, the
//! headless decision policy, the recordings folder); flags given on the command line win. A
//! missing file means the defaults. A bad file is one `InputError` naming the file, line and
//! key, with the key that was probably meant when a name is unknown.

use crate::engine::DecideMode;
use crate::error::InputError;
use crate::error::closest;
use crate::ui::keys::{self, KeyMap};
use crate::ui::theme::Palette;
use serde::de::DeserializeOwned;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

/// The environment variable that names the config file instead of the platform's.
pub const CONFIG_ENV: &str = "ORCH_TUI_CONFIG";

const CONFIG_KEYS: [&str; 5] = ["theme", "keys", "speed", "decide", "recordings"];

#[derive(Debug, Clone, Default, PartialEq)]
pub struct UserConfig {
    pub palette: Palette,
    pub keys: KeyMap,
    /// Default dashboard speed, workflow units per second.
    pub speed: Option<f64>,
    /// Default decision policy of headless runs.
    pub decide: Option<DecideMode>,
    /// Default folder of recordings.
    pub recordings: Option<PathBuf>,
}

impl UserConfig {
    /// Reads the user config: the file `ORCH_TUI_CONFIG` names, which must exist, or else
    /// `config.toml` in the platform's config folder, where no file means the defaults.
    pub fn load() -> Result<UserConfig, InputError> {
        let named = std::env::var_os(CONFIG_ENV)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from);
        let platform = || {
            directories::ProjectDirs::from("", "", "orch-tui")
                .map(|d| d.config_dir().join("config.toml"))
        };
        let (path, must_exist) = match named {
            Some(path) => (path, true),
            None => match platform() {
                Some(path) => (path, false),
                None => return Ok(UserConfig::default()),
            },
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => UserConfig::parse(&text, &path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !must_exist => {
                Ok(UserConfig::default())
            }
            Err(e) => {
                let whose = if must_exist {
                    format!(" named by {CONFIG_ENV}")
                } else {
                    String::new()
                };
                Err(InputError::new(
                    path.display().to_string(),
                    format!("cannot read the user config{whose}: {e}"),
                ))
            }
        }
    }

    /// Parses config text read from `path` (which names it in errors and anchors relative
    /// recording folders).
    pub fn parse(text: &str, path: &Path) -> Result<UserConfig, InputError> {
        let src = Source {
            label: path.display().to_string(),
            text,
        };
        let table = DeTable::parse(text).map_err(|e| src.toml_error(&e))?;
        let mut config = UserConfig::default();
        for (key, value) in table.into_inner() {
            let span = value.span();
            match key.get_ref().as_ref() {
                "theme" => config.palette = src.value("theme", value)?,
                "keys" => config.keys = src.keys(value)?,
                "speed" => {
                    let speed: f64 = src.value("speed", value)?;
                    if !(speed.is_finite() && speed > 0.0) {
                        return Err(src.err(
                            span,
                            "`speed` must be a positive number of workflow units per second",
                        ));
                    }
                    config.speed = Some(speed);
                }
                "decide" => match src.value("decide", value)? {
                    DecideMode::Person => {
                        return Err(src.err(
                            span,
                            "`decide` is for headless runs: use \"recommended\", \"first\" or \"none\" (the dashboard always asks a person)",
                        ));
                    }
                    mode => config.decide = Some(mode),
                },
                "recordings" => {
                    let folder: String = src.value("recordings", value)?;
                    config.recordings = Some(recordings_folder(&folder, path));
                }
                other => {
                    let names = CONFIG_KEYS.map(String::from);
                    return Err(src.err(key.span(), unknown("key", other, &names)));
                }
            }
        }
        Ok(config)
    }
}

/// `~/…` is in the home folder; a relative folder is next to the config file.
fn recordings_folder(folder: &str, config: &Path) -> PathBuf {
    let home = directories::BaseDirs::new().map(|d| d.home_dir().to_path_buf());
    match (folder.strip_prefix("~/"), home) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => config.parent().unwrap_or(Path::new("")).join(folder),
    }
}

fn unknown(what: &str, name: &str, known: &[String]) -> String {
    match closest(name, known) {
        Some(c) => format!("unknown {what} `{name}`; did you mean `{c}`?"),
        None => format!("unknown {what} `{name}`; known: {}", known.join(", ")),
    }
}

/// The config text, for positions in errors.
struct Source<'a> {
    label: String,
    text: &'a str,
}

impl Source<'_> {
    fn err(&self, span: Range<usize>, message: impl Into<String>) -> InputError {
        InputError::at(&self.label, self.text, span.start, message)
    }

    fn toml_error(&self, e: &toml::de::Error) -> InputError {
        InputError::from_toml(&self.label, self.text, e)
    }

    /// The value of `key` as a `T`, or an error naming the key.
    fn value<T: DeserializeOwned>(
        &self,
        key: &str,
        value: Spanned<DeValue>,
    ) -> Result<T, InputError> {
        T::deserialize(ValueDeserializer::from(value)).map_err(|e| {
            let mut error = self.toml_error(&e);
            error.message = format!("`{key}`: {}", error.message);
            error
        })
    }

    /// The `[keys]` table: action names to single keys.
    fn keys(&self, value: Spanned<DeValue>) -> Result<KeyMap, InputError> {
        let span = value.span();
        let DeValue::Table(table) = value.into_inner() else {
            return Err(self.err(
                span,
                "`keys` must be a table of action names to keys, e.g. [keys] quit = \"x\"",
            ));
        };
        let mut remaps = Vec::new();
        let mut spans = Vec::new();
        for (name, key) in table {
            let action = keys::remappable_action(name.get_ref()).ok_or_else(|| {
                let message = unknown("action", name.get_ref(), &keys::remappable_names());
                self.err(name.span(), format!("[keys]: {message}"))
            })?;
            let key_span = key.span();
            let text: String = self.value(&format!("keys.{}", name.get_ref()), key)?;
            let c = keys::parse_key(&text).ok_or_else(|| {
                self.err(
                    key_span.clone(),
                    format!(
                        "`keys.{}` must be one character or \"space\", not \"{text}\"",
                        name.get_ref()
                    ),
                )
            })?;
            remaps.push((action, c));
            spans.push((name.get_ref().to_string(), key_span));
        }
        KeyMap::remapped(&remaps).map_err(|conflict| {
            let (name, span) = spans[conflict.index].clone();
            self.err(span, format!("`keys.{name}`: {conflict}"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::keys::{Action, from_key};
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn parse(text: &str) -> Result<UserConfig, String> {
        UserConfig::parse(text, Path::new("/home/u/.config/orch-tui/config.toml"))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn an_empty_file_is_the_defaults() {
        assert_eq!(parse(""), Ok(UserConfig::default()));
    }

    #[test]
    fn every_key_is_read() {
        let config = parse(
            "theme = \"light\"\nspeed = 2\ndecide = \"first\"\nrecordings = \"runs\"\n\n[keys]\nquit = \"x\"\npause = \"p\"\n",
        )
        .expect("a good config");
        assert_eq!(config.palette, Palette::Light);
        assert_eq!(config.speed, Some(2.0));
        assert_eq!(config.decide, Some(DecideMode::First));
        assert_eq!(
            config.recordings,
            Some(PathBuf::from("/home/u/.config/orch-tui/runs"))
        );
        let x = KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE);
        assert_eq!(
            from_key(x, &config.keys, crate::ui::keys::KeyMode::Live, false),
            Some(Action::Quit)
        );
    }

    #[test]
    fn errors_name_the_file_line_and_key() {
        let file = "/home/u/.config/orch-tui/config.toml";
        assert_eq!(
            parse("speed = 1\nthem = \"dark\"\n"),
            Err(format!(
                "{file}:2:1: unknown key `them`; did you mean `theme`?"
            ))
        );
        assert_eq!(
            parse("theme = \"blue\"\n"),
            Err(format!(
                "{file}:1:9: `theme`: unknown variant `blue`, expected one of `dark`, `light`, `high-contrast`"
            ))
        );
        assert_eq!(
            parse("speed = \"fast\"\n"),
            Err(format!(
                "{file}:1:9: `speed`: invalid type: string \"fast\", expected f64"
            ))
        );
        assert_eq!(
            parse("speed = -1\n"),
            Err(format!(
                "{file}:1:9: `speed` must be a positive number of workflow units per second"
            ))
        );
        assert!(
            parse("decide = \"person\"\n")
                .is_err_and(|e| e.starts_with(&format!("{file}:1:10: `decide` is for headless")))
        );
        assert_eq!(
            parse("[keys]\nquti = \"x\"\n"),
            Err(format!(
                "{file}:2:1: [keys]: unknown action `quti`; did you mean `quit`?"
            ))
        );
        assert_eq!(
            parse("[keys]\nquit = \"ctrl-x\"\n"),
            Err(format!(
                "{file}:2:8: `keys.quit` must be one character or \"space\", not \"ctrl-x\""
            ))
        );
        assert_eq!(
            parse("[keys]\nhelp = \"q\"\n"),
            Err(format!(
                "{file}:2:8: `keys.help`: `q` is already the key for `quit`; remap that too, or choose another key"
            ))
        );
        assert!(parse("theme = \n").is_err_and(|e| e.starts_with(&format!("{file}:1:"))));
    }
}
