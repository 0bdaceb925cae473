//! `cargo xtask compress [DIR]`: writes `X.br` (brotli, quality 11) and `X.gz` (gzip -9)
//! beside every compressible file of DIR, so a server that serves precompressed files (the
//! sandbox's and the gateway's `--static`) sends what `size-budget.json` measures, without
//! compressing on every request.
//!
//! Without DIR it is Trunk's `post_build` hook (Trunk.toml): it compresses Trunk's staging
//! folder (`TRUNK_STAGING_DIR`, which becomes dist/ once the hook has run) for release
//! builds only; `trunk serve` and debug builds stay as they were.

use std::io::Write;
use std::path::{Path, PathBuf};

/// The extensions worth compressing: text, and wasm (whose code compresses about 3:1).
/// Images, fonts and archives are compressed already.
const COMPRESSIBLE: &[&str] = &[
    "wasm", "js", "mjs", "html", "css", "json", "svg", "txt", "map", "xml",
];

/// One file and the sizes of what was written beside it (`None`: not written, because it
/// would not have been smaller than the file itself).
#[derive(Debug, PartialEq)]
pub struct Compressed {
    pub path: PathBuf,
    pub raw: usize,
    pub brotli: Option<usize>,
    pub gzip: Option<usize>,
}

pub fn run(args: &[String]) -> Result<(), String> {
    let dir = match args {
        [dir] => PathBuf::from(dir),
        [] => {
            let var = |name| std::env::var(name).ok();
            match hook_dir(var("TRUNK_PROFILE").as_deref(), var("TRUNK_STAGING_DIR"))? {
                Some(dir) => dir,
                None => {
                    eprintln!("compress: skipped (a debug build; release builds are compressed)");
                    return Ok(());
                }
            }
        }
        _ => return Err("usage: cargo xtask compress [DIR]".into()),
    };
    for file in compress_dir(&dir)? {
        let kb = |n: usize| format!("{:.1} KB", n as f64 / 1000.0);
        let or_none = |n: Option<usize>| n.map_or("not smaller, none written".into(), kb);
        eprintln!(
            "compress: {} {} -> br {}, gz {}",
            file.path.display(),
            kb(file.raw),
            or_none(file.brotli),
            or_none(file.gzip)
        );
    }
    Ok(())
}

/// The folder Trunk's hook compresses: its staging folder for a release build, nothing for
/// a debug build.
fn hook_dir(profile: Option<&str>, staging: Option<String>) -> Result<Option<PathBuf>, String> {
    match (profile, staging) {
        (Some("release"), Some(dir)) => Ok(Some(PathBuf::from(dir))),
        (Some(_), Some(_)) => Ok(None),
        _ => Err(
            "compress: name a folder, or run as Trunk's post_build hook (TRUNK_PROFILE and \
             TRUNK_STAGING_DIR unset)"
                .into(),
        ),
    }
}

/// Compresses every compressible file in `dir` and its subfolders, replacing earlier
/// `.br`/`.gz` files; a variant that would not be smaller than its file is not written (and
/// an old one is removed), so a server sends such a file as it is.
pub fn compress_dir(dir: &Path) -> Result<Vec<Compressed>, String> {
    let mut done = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .map(|entry| entry.map(|e| e.path()).map_err(|e| e.to_string()))
        .collect::<Result<_, _>>()?;
    entries.sort();
    for path in entries {
        if path.is_dir() {
            done.extend(compress_dir(&path)?);
        } else if is_compressible(&path) {
            done.push(compress_file(&path)?);
        }
    }
    Ok(done)
}

fn is_compressible(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| COMPRESSIBLE.contains(&e.to_ascii_lowercase().as_str()))
}

fn compress_file(path: &Path) -> Result<Compressed, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("reading {}: {e}", path.display()))?;
    let brotli = keep_if_smaller(path, "br", &bytes, brotli(&bytes)?)?;
    let gzip = keep_if_smaller(path, "gz", &bytes, gzip(&bytes)?)?;
    Ok(Compressed {
        path: path.to_owned(),
        raw: bytes.len(),
        brotli,
        gzip,
    })
}

/// Writes `compressed` to `path.ext` when it is smaller than `raw`; removes `path.ext`
/// otherwise (a variant left from an earlier build would no longer match the file).
fn keep_if_smaller(
    path: &Path,
    ext: &str,
    raw: &[u8],
    compressed: Vec<u8>,
) -> Result<Option<usize>, String> {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(ext);
    let target = PathBuf::from(name);
    if compressed.len() < raw.len() {
        std::fs::write(&target, &compressed)
            .map_err(|e| format!("writing {}: {e}", target.display()))?;
        Ok(Some(compressed.len()))
    } else {
        match std::fs::remove_file(&target) {
            Ok(()) => Ok(None),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(format!("removing {}: {e}", target.display())),
        }
    }
}

/// Brotli at quality 11 with a 4 MiB window (lgwin 22): what `node:zlib` does in
/// `xtask/sizes.mjs` and what the size budget is written in.
fn brotli(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        size_hint: bytes.len(),
        ..Default::default()
    };
    let mut out = Vec::new();
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).map_err(|e| e.to_string())?;
    Ok(out)
}

/// Gzip at level 9 (mtime 0 in the header, so the same input gives the same bytes).
fn gzip(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).map_err(|e| e.to_string())?;
    encoder.finish().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    /// A fresh, empty folder of this test's own.
    fn folder(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "wa-groups-xtask-compress-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn unbrotli(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        brotli::BrotliDecompress(&mut &bytes[..], &mut out).unwrap();
        out
    }

    fn ungzip(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    /// Text that compresses, as the panel's files do.
    fn text(seed: &str) -> Vec<u8> {
        (0..300)
            .map(|i| format!("{seed} line {i}: export function f{i}() {{ return {i}; }}\n"))
            .collect::<String>()
            .into_bytes()
    }

    #[test]
    fn every_compressible_file_gets_a_br_and_a_gz_that_decompress_to_it() {
        let dir = folder("roundtrip");
        std::fs::create_dir(dir.join("assets")).unwrap();
        let files = [
            "app_bg.wasm",
            "app.js",
            "index.html",
            "style.css",
            "assets/data.json",
        ];
        for name in files {
            std::fs::write(dir.join(name), text(name)).unwrap();
        }
        let done = compress_dir(&dir).unwrap();
        assert_eq!(done.len(), files.len());
        for name in files {
            let original = std::fs::read(dir.join(name)).unwrap();
            let br = std::fs::read(dir.join(format!("{name}.br"))).unwrap();
            let gz = std::fs::read(dir.join(format!("{name}.gz"))).unwrap();
            assert!(br.len() < original.len() / 4, "{name}: br {}", br.len());
            assert!(gz.len() < original.len() / 4, "{name}: gz {}", gz.len());
            assert_eq!(unbrotli(&br), original, "{name}.br");
            assert_eq!(ungzip(&gz), original, "{name}.gz");
        }
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn images_and_earlier_variants_are_left_alone_and_a_second_run_changes_nothing() {
        let dir = folder("skip");
        std::fs::write(dir.join("icon.png"), text("png")).unwrap();
        std::fs::write(dir.join("app.js"), text("js")).unwrap();
        compress_dir(&dir).unwrap();
        let first = std::fs::read(dir.join("app.js.br")).unwrap();
        let again = compress_dir(&dir).unwrap();
        assert_eq!(again.len(), 1, "only app.js: {again:?}");
        let mut names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, ["app.js", "app.js.br", "app.js.gz", "icon.png"]);
        assert_eq!(std::fs::read(dir.join("app.js.br")).unwrap(), first);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn a_file_that_does_not_shrink_gets_no_variant_and_loses_a_stale_one() {
        let dir = folder("tiny");
        std::fs::write(dir.join("init.js"), "x").unwrap();
        std::fs::write(dir.join("init.js.br"), "from an earlier build").unwrap();
        let done = compress_dir(&dir).unwrap();
        assert_eq!(
            done,
            [Compressed {
                path: dir.join("init.js"),
                raw: 1,
                brotli: None,
                gzip: None,
            }]
        );
        assert!(!dir.join("init.js.br").exists());
        assert!(!dir.join("init.js.gz").exists());
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn the_hook_compresses_release_builds_only() {
        let staging = || Some("/tmp/staging".to_owned());
        assert_eq!(
            hook_dir(Some("release"), staging()),
            Ok(Some(PathBuf::from("/tmp/staging")))
        );
        assert_eq!(hook_dir(Some("debug"), staging()), Ok(None));
        assert!(hook_dir(None, None).is_err());
        assert!(hook_dir(Some("release"), None).is_err());
    }
}
