//! Which file an agent's argv starts: a program named with a `/` is a path (relative ones start
//! at the agent's working directory); a bare name is looked up in the PATH the agent is given
//! (or `/bin:/usr/bin` when it is given none), as `execvp` would. Resolving it here lets the
//! process be started with `posix_spawn` rather than a fork of this whole process, which is
//! what makes starting many short processes cheap.

use std::ffi::OsStr;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// Where `execvp` looks when there is no PATH.
const DEFAULT_PATH: &str = "/bin:/usr/bin";

/// The file to run for `program`, or `program` itself when no file is found (starting it then
/// fails with "not found").
pub fn find_program(program: &str, path: Option<&OsStr>, cwd: Option<&Path>) -> PathBuf {
    let at_cwd = |p: &Path| match cwd {
        Some(cwd) if p.is_relative() => cwd.join(p),
        _ => p.to_path_buf(),
    };
    if program.contains('/') {
        return at_cwd(Path::new(program));
    }
    let path = path.unwrap_or(OsStr::new(DEFAULT_PATH));
    std::env::split_paths(path)
        .map(|dir| at_cwd(&dir).join(program))
        .find(|candidate| is_executable(candidate))
        .unwrap_or_else(|| PathBuf::from(program))
}

/// Whether `program` names an executable file, found as `find_program` finds it.
pub fn is_installed(program: &str, path: Option<&OsStr>, cwd: Option<&Path>) -> bool {
    let found = find_program(program, path, cwd);
    (program.contains('/') || found != Path::new(program)) && is_executable(&found)
}

fn is_executable(file: &Path) -> bool {
    std::fs::metadata(file).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_names_are_looked_up_in_the_path_given() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let tool = dir.path().join("tool");
        std::fs::write(&tool, "#!/bin/sh\n").expect("written");
        std::fs::set_permissions(&tool, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        let path = std::env::join_paths(["/nonexistent", dir.path().to_str().expect("utf-8")])
            .expect("a PATH");
        assert_eq!(find_program("tool", Some(&path), None), tool);
        assert_eq!(
            find_program("tool", None, None),
            PathBuf::from("tool"),
            "not in the default PATH"
        );
        assert_eq!(find_program("sh", None, None), PathBuf::from("/bin/sh"));
    }

    #[test]
    fn paths_start_at_the_working_directory() {
        let cwd = Path::new("/work/here");
        assert_eq!(
            find_program("./run.sh", None, Some(cwd)),
            Path::new("/work/here/./run.sh")
        );
        assert_eq!(
            find_program("/bin/true", None, Some(cwd)),
            Path::new("/bin/true")
        );
    }
}
