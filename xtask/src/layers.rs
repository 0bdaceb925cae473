//! The layers of `cargo xtask test`, what each needs built, and `--only`'s choice of them.

/// What a layer needs built (and, for the sandbox, running) before it runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Build {
    /// `cargo xtask pkg`: pkg/node and pkg/web.
    Package,
    /// `trunk build --release` into dist/.
    Panel,
    /// The debug sandbox and gateway, built with the native tests' selection (`cargo build
    /// --workspace --bins`); the sandbox is then started once on a free port for every layer
    /// that needs it (the panel's end-to-end tests start the gateway themselves).
    Servers,
}

/// The builds in the order `cargo xtask test` runs them.
const BUILDS: [Build; 3] = [Build::Package, Build::Panel, Build::Servers];

/// A layer `--only` can name.
#[derive(Debug)]
pub struct Choice {
    pub name: &'static str,
    pub about: &'static str,
    pub needs: &'static [Build],
}

/// Every layer of `cargo xtask test`, in the order it runs them.
pub const LAYERS: [Choice; 13] = [
    Choice {
        name: "fmt",
        about: "cargo fmt --check (workspace, fuzz/)",
        needs: &[],
    },
    Choice {
        name: "clippy",
        about: "clippy -D warnings: native, wasm32, fuzz/",
        needs: &[],
    },
    Choice {
        name: "doc",
        about: "cargo doc -D warnings: native, wasm32",
        needs: &[],
    },
    Choice {
        name: "native",
        about: "cargo test --workspace",
        needs: &[],
    },
    Choice {
        name: "fuzz",
        about: "cargo fuzz build, then a smoke pass of every target",
        needs: &[],
    },
    Choice {
        name: "browser",
        about: "the core in headless Chromium: window, worker, conformance",
        needs: &[Build::Servers],
    },
    Choice {
        name: "faults",
        about: "the core's fault suite in Chromium (every operation x fault)",
        needs: &[Build::Servers],
    },
    Choice {
        name: "panel-component",
        about: "the panel's wasm-bindgen-test tests in Chromium",
        needs: &[Build::Servers],
    },
    Choice {
        name: "tsc",
        about: "the npm package's TypeScript types (tsc --noEmit)",
        needs: &[Build::Package],
    },
    Choice {
        name: "node",
        about: "Node tests of the npm package",
        needs: &[Build::Package, Build::Servers],
    },
    Choice {
        name: "consumers",
        about: "the packed package installed: import, require, tsc, Vite, a page",
        needs: &[Build::Package, Build::Servers],
    },
    Choice {
        name: "e2e",
        about: "the panel end to end in Chromium, direct and through the gateway",
        needs: &[Build::Panel, Build::Servers],
    },
    Choice {
        name: "sizes",
        about: "the built .wasm files within size-budget.json",
        needs: &[Build::Package, Build::Panel],
    },
];

/// The layers one run runs: all of them, or those `--only` named.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Selection {
    chosen: [bool; LAYERS.len()],
    /// The `--only` list as given (for the summary), `None` for everything.
    pub only: Option<String>,
}

impl Selection {
    pub fn everything() -> Selection {
        Selection {
            chosen: [true; LAYERS.len()],
            only: None,
        }
    }

    /// Whether the layer `name` runs; a name not in [`LAYERS`] is a bug in xtask.
    pub fn has(&self, name: &str) -> bool {
        let i = LAYERS
            .iter()
            .position(|l| l.name == name)
            .unwrap_or_else(|| panic!("`{name}` is not a layer of LAYERS"));
        self.chosen[i]
    }

    /// Whether anything the selected layers run needs `build`.
    pub fn needs(&self, build: Build) -> bool {
        LAYERS
            .iter()
            .zip(self.chosen)
            .any(|(layer, chosen)| chosen && layer.needs.contains(&build))
    }

    /// What to build, in the order the full run builds it.
    pub fn builds(&self) -> Vec<Build> {
        BUILDS.into_iter().filter(|b| self.needs(*b)).collect()
    }
}

/// The valid `--only` names, one a line, for `help` and for errors.
pub fn layer_list() -> String {
    LAYERS
        .iter()
        .map(|l| format!("    {:<16} {}\n", l.name, l.about))
        .collect()
}

/// `cargo xtask test [--only LAYER[,LAYER…]]` (`--only=…` too; several `--only` add up).
pub fn parse_args(args: &[String]) -> Result<Selection, String> {
    let mut names: Vec<String> = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let list = if arg == "--only" {
            rest.next()
                .ok_or_else(|| format!("--only needs a list of layers:\n{}", layer_list()))?
                .clone()
        } else if let Some(list) = arg.strip_prefix("--only=") {
            list.to_owned()
        } else {
            return Err(format!(
                "usage: cargo xtask test [--only LAYER[,LAYER…]]; `{arg}` is not an option"
            ));
        };
        for name in list.split(',').map(str::trim) {
            if !LAYERS.iter().any(|l| l.name == name) {
                return Err(format!(
                    "--only: no layer `{name}`; the layers are:\n{}",
                    layer_list()
                ));
            }
            names.push(name.to_owned());
        }
    }
    if names.is_empty() {
        return Ok(Selection::everything());
    }
    let mut chosen = [false; LAYERS.len()];
    for (i, layer) in LAYERS.iter().enumerate() {
        chosen[i] = names.iter().any(|n| n == layer.name);
    }
    Ok(Selection {
        chosen,
        only: Some(names.join(",")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|a| (*a).to_owned()).collect()
    }

    #[test]
    fn without_only_every_layer_and_every_build_runs() {
        let all = parse_args(&[]).unwrap();
        assert_eq!(all, Selection::everything());
        assert!(LAYERS.iter().all(|l| all.has(l.name)));
        assert_eq!(all.builds(), BUILDS.to_vec());
    }

    #[test]
    fn only_runs_the_named_layers_and_builds_what_they_need() {
        let fast = parse_args(&args(&["--only", "fmt,native"])).unwrap();
        assert!(fast.has("fmt") && fast.has("native"));
        assert!(!fast.has("clippy") && !fast.has("e2e"));
        assert_eq!(fast.builds(), vec![]);

        let node = parse_args(&args(&["--only=node"])).unwrap();
        assert_eq!(node.builds(), vec![Build::Package, Build::Servers]);

        let e2e = parse_args(&args(&["--only", "e2e"])).unwrap();
        assert_eq!(e2e.builds(), vec![Build::Panel, Build::Servers]);

        // Several --only add up; the builds keep the full run's order.
        let both = parse_args(&args(&["--only", "sizes", "--only", "browser"])).unwrap();
        assert_eq!(
            both.builds(),
            vec![Build::Package, Build::Panel, Build::Servers]
        );
        assert_eq!(both.only.as_deref(), Some("sizes,browser"));
    }

    #[test]
    fn an_unknown_layer_fails_with_the_valid_names() {
        let err = parse_args(&args(&["--only", "fmt,nativ"])).unwrap_err();
        assert!(err.contains("no layer `nativ`"), "{err}");
        for layer in &LAYERS {
            assert!(err.contains(layer.name), "{err} lacks {}", layer.name);
        }
        assert!(parse_args(&args(&["--only"])).unwrap_err().contains("e2e"));
        assert!(parse_args(&args(&["--only", ""])).is_err());
        assert!(
            parse_args(&args(&["--fast"]))
                .unwrap_err()
                .contains("usage")
        );
    }

    #[test]
    fn the_layer_names_are_distinct_and_documented_in_help() {
        for (i, layer) in LAYERS.iter().enumerate() {
            assert!(LAYERS[i + 1..].iter().all(|l| l.name != layer.name));
            assert!(
                crate::HELP.contains(layer.name),
                "help lacks {}",
                layer.name
            );
        }
    }

    #[test]
    fn every_layer_is_run_by_the_test_task() {
        let run = include_str!("test.rs");
        for layer in &LAYERS {
            let call = format!("only.has(\"{}\")", layer.name);
            assert!(run.contains(&call), "test.rs never checks {call}");
        }
    }
}
