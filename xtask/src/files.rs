//! File helpers whose errors name the paths.

use std::path::Path;

pub fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("writing {}: {e}", path.display()))
}

pub fn copy(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::copy(from, to)
        .map(drop)
        .map_err(|e| format!("copying {} to {}: {e}", from.display(), to.display()))
}

/// Copies the files (not the folders) directly in `from` into `to`, creating it.
pub fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    for entry in std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        copy(&entry.path(), &to.join(entry.file_name()))?;
    }
    Ok(())
}

/// A fingerprint of `paths` under `root` — files, and folders walked recursively — from
/// their names and contents (FNV-1a, 64 bits, as hex): equal fingerprints, same inputs.
/// A path that does not exist counts as such, so adding it changes the fingerprint.
pub fn fingerprint(root: &Path, paths: &[&str]) -> String {
    fn walk(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, files);
            } else {
                files.push(path);
            }
        }
    }
    let mut files = Vec::new();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for &b in bytes {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    };
    for path in paths {
        let full = root.join(path);
        if full.is_dir() {
            walk(&full, &mut files);
        } else if full.is_file() {
            files.push(full);
        } else {
            eat(b"missing:");
            eat(path.as_bytes());
        }
    }
    files.sort();
    for file in files {
        eat(file
            .strip_prefix(root)
            .unwrap_or(&file)
            .to_string_lossy()
            .as_bytes());
        eat(&[0]);
        eat(&std::fs::read(&file).unwrap_or_default());
        eat(&[0]);
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::fingerprint;

    #[test]
    fn the_fingerprint_follows_names_and_contents() {
        let dir = std::env::temp_dir().join(format!("xtask-fingerprint-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("a/b")).unwrap();
        std::fs::write(dir.join("a/b/x.rs"), "fn x() {}").unwrap();
        std::fs::write(dir.join("top.toml"), "[x]").unwrap();
        let first = fingerprint(&dir, &["a", "top.toml"]);
        assert_eq!(first, fingerprint(&dir, &["a", "top.toml"]), "stable");
        std::fs::write(dir.join("a/b/x.rs"), "fn x() { }").unwrap();
        let edited = fingerprint(&dir, &["a", "top.toml"]);
        assert_ne!(first, edited, "a changed byte");
        std::fs::write(dir.join("a/b/y.rs"), "").unwrap();
        let added = fingerprint(&dir, &["a", "top.toml"]);
        assert_ne!(edited, added, "an added empty file");
        std::fs::rename(dir.join("a/b/y.rs"), dir.join("a/b/z.rs")).unwrap();
        assert_ne!(
            added,
            fingerprint(&dir, &["a", "top.toml"]),
            "a renamed file"
        );
        assert_ne!(
            fingerprint(&dir, &["a", "top.toml"]),
            fingerprint(&dir, &["a", "top.toml", "gone"]),
            "a missing input"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
