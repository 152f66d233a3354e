//! Where runs keep their sockets and `ls` entries: `$XDG_RUNTIME_DIR/orch-tui/`, or when that is
//! unset `/tmp/orch-tui-UID`. The folder is this user's (checked: owned by them, not a symlink)
//! and mode 0700, so no other user can reach a socket in it.

use nix::unistd::getuid;
use std::io::{Error, ErrorKind};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// The longest socket path a Unix socket address holds (108 bytes with the final NUL).
const MAX_SOCKET_PATH: usize = 107;

/// The run folder, created when missing and checked.
pub fn run_folder() -> std::io::Result<PathBuf> {
    let dir = match std::env::var_os("XDG_RUNTIME_DIR").filter(|v| !v.is_empty()) {
        Some(runtime) => PathBuf::from(runtime).join("orch-tui"),
        None => std::env::temp_dir().join(format!("orch-tui-{}", getuid())),
    };
    match std::fs::DirBuilder::new().mode(0o700).create(&dir) {
        Ok(()) => {}
        Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
        Err(e) => return Err(named(&dir, e)),
    }
    let meta = std::fs::symlink_metadata(&dir).map_err(|e| named(&dir, e))?;
    if !meta.is_dir() {
        return Err(refuse(&dir, "is not a folder (a symlink or a file)"));
    }
    if meta.uid() != getuid().as_raw() {
        return Err(refuse(&dir, "belongs to another user"));
    }
    if meta.mode() & 0o077 != 0 {
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| named(&dir, e))?;
    }
    Ok(dir)
}

/// The socket of run `id` in `dir`, or a clear error when the path is too long for a socket.
pub fn socket_path(dir: &Path, id: &str) -> std::io::Result<PathBuf> {
    let path = dir.join(format!("{id}.sock"));
    let len = path.as_os_str().len();
    if len > MAX_SOCKET_PATH {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            format!(
                "{}: a socket path of {len} bytes is over the {MAX_SOCKET_PATH} a Unix socket \
                 allows; set XDG_RUNTIME_DIR to a shorter folder",
                path.display()
            ),
        ));
    }
    Ok(path)
}

fn named(dir: &Path, e: Error) -> Error {
    Error::new(e.kind(), format!("{}: {e}", dir.display()))
}

fn refuse(dir: &Path, why: &str) -> Error {
    Error::new(
        ErrorKind::PermissionDenied,
        format!(
            "{}: the run folder {why}; remove it or set XDG_RUNTIME_DIR",
            dir.display()
        ),
    )
}
