//! Reading a text file a person names (a workflow, an STG graph), bounded: a device, a pipe or
//! a folder is refused before anything is read (`/dev/zero` would never end), so is a file
//! larger than `MAX_INPUT_BYTES`, and bytes that are not UTF-8 are an error at the line and
//! column of the first of them.

use crate::error::InputError;
use std::io::Read;
use std::path::Path;

/// The largest workflow or STG file read: far beyond any real one (a 100,000-task workflow is
/// about 10 MiB), small enough to hold in memory.
pub const MAX_INPUT_BYTES: u64 = 16 << 20;

/// The text of the file at `path`, a `what` ("workflow", "STG file") in errors.
pub fn read_text(path: &Path, what: &str) -> Result<String, InputError> {
    let label = path.display().to_string();
    let cannot =
        |e: std::io::Error| InputError::new(&label, format!("cannot read the {what}: {e}"));
    let file = std::fs::File::open(path).map_err(cannot)?;
    if !file.metadata().map_err(cannot)?.is_file() {
        return Err(InputError::new(
            &label,
            format!("not a regular file; give the path of a {what} file"),
        ));
    }
    let mut bytes = Vec::new();
    file.take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(InputError::new(
            &label,
            format!(
                "the file is larger than {} MiB, the largest {what} read; split it or give a smaller one",
                MAX_INPUT_BYTES >> 20
            ),
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let before = String::from_utf8_lossy(&bytes[..valid]);
        InputError::at(
            &label,
            &before,
            valid,
            format!(
                "byte 0x{:02X} is not UTF-8; save the {what} as UTF-8 text",
                bytes[valid]
            ),
        )
    })
}
