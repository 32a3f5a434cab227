//! The module graph of both library crates, read from their sources, held to the layers
//! their `lib.rs` documents: between the top-level modules each edge points to a lower
//! layer, and inside every module the graph of its children has no cycle. A new import
//! that points up, or closes a circle, fails here with the files that make it.
//!
//! An edge is a `crate::`, `super::` or `self::` path in code (imports and inline paths;
//! comments and `#[cfg(test)] mod tests` left out). A module's own `mod.rs` or `lib.rs`
//! naming its children, and a child using its parent's items, are the table of contents
//! and the module's shared types, not edges between siblings.

#![allow(clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Lowest first. A module may use only modules of lower layers.
const EMULATOR_LAYERS: &[&[&str]] = &[&["api"], &["wire"], &["service"], &["server"]];
const HARNESS_LAYERS: &[&[&str]] = &[
    &["exchange"],
    &["scenario", "transcript"],
    &["recording", "compare", "report"],
    &["mock"],
    &["targets"],
    &["runner"],
    &["baseline"],
    &["record", "proxy", "verify", "export"],
    &["import"],
    &["cli"],
];

type ModPath = Vec<String>;

/// One reference from a file to a module.
#[derive(Debug, Clone)]
struct Reference {
    file: PathBuf,
    from: ModPath,
    to: ModPath,
}

fn crate_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(name)
        .join("src")
}

/// The module path of a source file: `service/handler/state.rs` is `service::handler::state`.
fn module_of(src: &Path, file: &Path) -> ModPath {
    let relative = file.strip_prefix(src).expect("under src");
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().expect("a file name");
    match last.as_str() {
        "lib.rs" | "main.rs" | "mod.rs" => {}
        other => parts.push(other.trim_end_matches(".rs").to_owned()),
    }
    parts
}

/// The source with comments and the inline test module removed.
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => text,
    };
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Expands a use tree (`super::{a::B, c::{self, D}}`) into its paths.
fn expand(tree: &str) -> Vec<String> {
    let tree: String = tree.split_whitespace().collect();
    let Some(open) = tree.find('{') else {
        return vec![tree];
    };
    let prefix = &tree[..open];
    let close = tree.rfind('}').filter(|c| *c > open).unwrap_or(tree.len());
    let inner = &tree[open + 1..close];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .flat_map(|p| expand(&format!("{prefix}{p}")))
        .collect()
}

/// Every `crate::`/`super::`/`self::` path in the code, use trees expanded.
fn paths_in(code: &str) -> Vec<String> {
    let use_statement = regex::Regex::new(r"(?m)^\s*(?:pub(?:\([a-z]+\))?\s+)?use\s+([^;]+);")
        .expect("a valid pattern");
    let mut paths: Vec<String> = use_statement
        .captures_iter(code)
        .flat_map(|c| expand(&c[1]))
        .collect();
    let bytes = code.as_bytes();
    for start in ["crate::", "super::", "self::"] {
        let mut from = 0;
        while let Some(found) = code[from..].find(start) {
            let at = from + found;
            from = at + start.len();
            if at > 0 && (bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_') {
                continue;
            }
            let end = code[at..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
                .map_or(code.len(), |e| at + e);
            paths.push(code[at..end].trim_end_matches(':').to_owned());
        }
    }
    paths
}

/// The module a path names, as the longest known module prefix, from a file in `here`.
fn resolve(path: &str, here: &ModPath, modules: &BTreeSet<ModPath>) -> Option<ModPath> {
    let mut segments = path.split("::").filter(|s| !s.is_empty());
    let mut base: ModPath = match segments.next()? {
        "crate" => Vec::new(),
        // `super` in `a/b.rs` (module a::b) is `a`; in `a/b/mod.rs` it is also `a`.
        "super" => {
            let mut parent = here.clone();
            parent.pop();
            parent
        }
        "self" => here.clone(),
        _ => return None,
    };
    for segment in segments {
        if segment == "super" {
            base.pop();
            continue;
        }
        let mut next = base.clone();
        next.push(segment.to_owned());
        if modules.contains(&next) {
            base = next;
        } else {
            break;
        }
    }
    Some(base)
}

fn references(src: &Path) -> (BTreeSet<ModPath>, Vec<Reference>) {
    let files: Vec<PathBuf> = walkdir::WalkDir::new(src)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .filter(|p| p.file_name().is_some_and(|n| n != "tests.rs"))
        .collect();
    let modules: BTreeSet<ModPath> = files.iter().map(|f| module_of(src, f)).collect();
    let mut found = Vec::new();
    for file in &files {
        let here = module_of(src, file);
        let text = std::fs::read_to_string(file).expect("readable source");
        for path in paths_in(&code_of(&text)) {
            if let Some(to) = resolve(&path, &here, &modules) {
                found.push(Reference {
                    file: file.strip_prefix(src).expect("under src").to_path_buf(),
                    from: here.clone(),
                    to,
                });
            }
        }
    }
    (modules, found)
}

/// Edges between the children of each module, keyed by the parent module.
fn sibling_edges(refs: &[Reference]) -> BTreeMap<ModPath, BTreeMap<(String, String), Vec<String>>> {
    let mut edges: BTreeMap<ModPath, BTreeMap<(String, String), Vec<String>>> = BTreeMap::new();
    for r in refs {
        let common = r.from.iter().zip(&r.to).take_while(|(a, b)| a == b).count();
        if common < r.from.len() && common < r.to.len() {
            let parent = r.from[..common].to_vec();
            let key = (r.from[common].clone(), r.to[common].clone());
            edges
                .entry(parent)
                .or_default()
                .entry(key)
                .or_default()
                .push(r.file.display().to_string());
        }
    }
    edges
}

/// A cycle among `edges`, as the modules in order, if there is one.
fn find_cycle(edges: &BTreeMap<(String, String), Vec<String>>) -> Option<Vec<String>> {
    let mut next: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (from, to) in edges.keys() {
        next.entry(from).or_default().push(to);
    }
    fn visit<'a>(
        node: &'a str,
        next: &BTreeMap<&'a str, Vec<&'a str>>,
        stack: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<Vec<String>> {
        if let Some(at) = stack.iter().position(|n| *n == node) {
            let mut cycle: Vec<String> = stack[at..].iter().map(|s| s.to_string()).collect();
            cycle.push(node.to_owned());
            return Some(cycle);
        }
        if !done.insert(node) {
            return None;
        }
        stack.push(node);
        for to in next.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(to, next, stack, done) {
                return Some(cycle);
            }
        }
        stack.pop();
        None
    }
    let mut done = BTreeSet::new();
    for node in next.keys() {
        if let Some(cycle) = visit(node, &next, &mut Vec::new(), &mut done) {
            return Some(cycle);
        }
    }
    None
}

fn check(crate_name: &str, layers: &[&[&str]]) {
    let src = crate_dir(crate_name);
    let (modules, refs) = references(&src);
    let layer_of: BTreeMap<&str, usize> = layers
        .iter()
        .enumerate()
        .flat_map(|(i, names)| names.iter().map(move |n| (*n, i)))
        .collect();
    let top: BTreeSet<&String> = modules.iter().filter_map(|m| m.first()).collect();
    let unlayered: Vec<&&String> = top
        .iter()
        .filter(|m| !layer_of.contains_key(m.as_str()))
        .collect();
    assert!(
        unlayered.is_empty(),
        "{crate_name}: modules without a layer: {unlayered:?}"
    );
    let edges = sibling_edges(&refs);
    let mut problems = Vec::new();
    for ((from, to), files) in edges.get(&Vec::new()).into_iter().flatten() {
        if layer_of[from.as_str()] <= layer_of[to.as_str()] {
            problems.push(format!(
                "{from} -> {to} points up or across ({})",
                files.join(", ")
            ));
        }
    }
    for (parent, children) in &edges {
        if let Some(cycle) = find_cycle(children) {
            let at = if parent.is_empty() {
                "crate root".to_owned()
            } else {
                parent.join("::")
            };
            let files: Vec<String> = cycle
                .windows(2)
                .map(|w| {
                    format!(
                        "{} -> {}: {}",
                        w[0],
                        w[1],
                        children[&(w[0].clone(), w[1].clone())].join(", ")
                    )
                })
                .collect();
            problems.push(format!("cycle in {at}: {}", files.join("; ")));
        }
    }
    assert!(
        problems.is_empty(),
        "{crate_name}:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_emulator_modules_point_only_down_and_have_no_cycle() {
    check("emulator", EMULATOR_LAYERS);
}

#[test]
fn the_harness_modules_point_only_down_and_have_no_cycle() {
    check("harness", HARNESS_LAYERS);
}

#[test]
fn a_module_that_imports_upward_is_found() {
    let code = "use crate::cli::run;\nfn f() { super::super::x::y(); }\n// crate::doc::link\n";
    let paths = paths_in(&code_of(code));
    assert!(paths.contains(&"crate::cli::run".to_owned()));
    assert!(paths.iter().any(|p| p.starts_with("super::super::x")));
    assert!(!paths.iter().any(|p| p.contains("doc")));
}

#[test]
fn a_cycle_between_two_modules_is_found() {
    let mut edges = BTreeMap::new();
    edges.insert(("a".to_owned(), "b".to_owned()), vec!["a.rs".to_owned()]);
    edges.insert(("b".to_owned(), "a".to_owned()), vec!["b.rs".to_owned()]);
    assert_eq!(
        find_cycle(&edges),
        Some(vec!["a".into(), "b".into(), "a".into()])
    );
    edges.remove(&("b".to_owned(), "a".to_owned()));
    assert_eq!(find_cycle(&edges), None);
}

#[test]
fn a_use_tree_expands_into_every_path() {
    assert_eq!(
        expand("super::{a::B, c::{self, D}}"),
        vec!["super::a::B", "super::c::self", "super::c::D"]
    );
}

#[test]
fn the_graph_holds_the_imports_known_to_be_there() {
    let (_, refs) = references(&crate_dir("harness"));
    let edges = sibling_edges(&refs);
    let top = &edges[&Vec::new()];
    for (from, to) in [
        ("runner", "targets"),
        ("cli", "runner"),
        ("mock", "recording"),
    ] {
        assert!(
            top.contains_key(&(from.to_owned(), to.to_owned())),
            "{from} -> {to} not seen"
        );
    }
    let (_, refs) = references(&crate_dir("emulator"));
    let edges = sibling_edges(&refs);
    assert!(edges[&Vec::new()].contains_key(&("server".to_owned(), "service".to_owned())));
    let service = &edges[&vec!["service".to_owned()]];
    assert!(service.contains_key(&("lifecycle".to_owned(), "job".to_owned())));
}
