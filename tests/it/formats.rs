//! The output formats of `check`, `eval` and `test` on the same inputs: snapshots
//! of each, stdout that parses, SARIF valid against the official SARIF 2.1.0 schema
//! and JUnit valid against the JUnit XSD (both kept in `tests/data/`, see its README).

use crate::common::{code, edit, entitle, pack_copy, root, stderr, stdout};
use std::path::{Path, PathBuf};
use std::process::Command;

const FORMATS: [&str; 6] = ["human", "json", "junit", "sarif", "github", "markdown"];
const FIXTURES: &str = "tests/fixtures/formats";

/// A third-party schema kept in the repository (`tests/data/README.md` says where
/// each comes from).
fn schema(name: &str) -> PathBuf {
    root().join("tests").join("data").join(name)
}

fn run(args: &[&str]) -> (String, String, i32) {
    let o = entitle(&root(), args);
    (stdout(&o), stderr(&o), code(&o))
}

/// A copy of the shipped pack with a type error in a rule, run from the copy's folder.
fn broken_pack() -> tempfile::TempDir {
    let dir = pack_copy();
    edit(dir.path(), "rules/membership.policy", "as_of < renewal_window_opens", "as_of < 3");
    dir
}

fn validate_sarif(text: &str) {
    let schema_path = schema("sarif-schema-2.1.0.json");
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(&schema_path).unwrap_or_else(|e| panic!("{}: {e}", schema_path.display())),
    )
    .unwrap_or_else(|e| panic!("the SARIF schema does not parse: {e}"));
    let instance: serde_json::Value =
        serde_json::from_str(text).unwrap_or_else(|e| panic!("the SARIF output is not JSON: {e}\n{text}"));
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    let url = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
    compiler.add_resource(url, schema).unwrap_or_else(|e| panic!("{e}"));
    let index = compiler.compile(url, &mut schemas).unwrap_or_else(|e| panic!("the SARIF schema: {e}"));
    if let Err(e) = schemas.validate(&instance, index) {
        panic!("the SARIF output is not valid SARIF 2.1.0: {e:#}\n{text}");
    }
}

/// xmllint is not a Rust dependency: where it is missing the validation is skipped
/// with a word on stderr (`.ci/run` installs it, so CI always validates). Returns
/// whether it ran.
fn validate_junit(text: &str) -> bool {
    if Command::new("xmllint").arg("--version").output().is_err() {
        eprintln!("skipped: JUnit XSD validation needs xmllint (Debian: libxml2-utils), which is not installed");
        return false;
    }
    let xsd = schema("junit-10.xsd");
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = dir.path().join("junit.xml");
    std::fs::write(&file, text).unwrap_or_else(|e| panic!("{e}"));
    let out = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&xsd)
        .arg(&file)
        .output()
        .unwrap_or_else(|e| panic!("xmllint is needed to validate JUnit output (Debian: libxml2-utils): {e}"));
    assert!(
        out.status.success(),
        "the JUnit output is not valid against {}:\n{}\n{text}",
        xsd.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    true
}

#[test]
fn test_in_every_format() {
    for format in FORMATS {
        let (out, err, code) = run(&["test", "--format", format, FIXTURES]);
        assert_eq!(code, 2, "a scenario with errors exits 2 in {format}");
        assert!(err.contains("does not meet its expectations"), "the failure is rendered on stderr in {format}");
        insta::assert_snapshot!(format!("test_{format}"), out);
    }
}

#[test]
fn eval_in_every_format() {
    for format in FORMATS {
        let (out, _, code) = run(&["eval", "--format", format, &format!("{FIXTURES}/passing.yaml")]);
        assert_eq!(code, 0, "{format}");
        insta::assert_snapshot!(format!("eval_{format}"), out);
    }
}

#[test]
fn check_in_every_format_on_a_broken_pack() {
    let dir = broken_pack();
    for format in FORMATS {
        let o = entitle(dir.path(), &["check", "--policy", "pack", "--format", format]);
        assert_eq!(code(&o), 2, "{format}");
        assert!(stderr(&o).contains("membership.policy"), "the error is rendered on stderr in {format}");
        insta::assert_snapshot!(format!("check_broken_{format}"), stdout(&o));
    }
}

#[test]
fn sarif_is_valid_sarif_2_1_0() {
    let dir = broken_pack();
    let broken = entitle(dir.path(), &["test", "--policy", "pack", "--format", "sarif", "."]);
    let outputs = [
        run(&["test", "--format", "sarif", FIXTURES]).0,
        run(&["eval", "--format", "sarif", FIXTURES]).0,
        run(&["check", "--format", "sarif"]).0,
        stdout(&broken),
    ];
    for text in &outputs {
        validate_sarif(text);
    }
    // The schema check can fail: a result without its required message is refused.
    let mut doc: serde_json::Value = serde_json::from_str(&outputs[0]).unwrap_or_else(|e| panic!("{e}"));
    doc["runs"][0]["results"][0].as_object_mut().map(|r| r.remove("message"));
    let bad = serde_json::to_string(&doc).unwrap_or_default();
    assert!(std::panic::catch_unwind(|| validate_sarif(&bad)).is_err(), "a result without a message validated");
}

#[test]
fn sarif_results_carry_file_line_and_column() {
    let (out, _, _) = run(&["test", "--format", "sarif", FIXTURES]);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}"));
    let results = doc["runs"][0]["results"].as_array().cloned().unwrap_or_default();
    let places: Vec<(String, u64, u64)> = results
        .iter()
        .map(|r| {
            let l = &r["locations"][0]["physicalLocation"];
            let uri = l["artifactLocation"]["uri"].as_str().unwrap_or("").to_string();
            (uri, l["region"]["startLine"].as_u64().unwrap_or(0), l["region"]["startColumn"].as_u64().unwrap_or(0))
        })
        .collect();
    assert!(places.contains(&(format!("{FIXTURES}/broken.yaml"), 6, 29)), "{places:?}");
    assert!(places.contains(&(format!("{FIXTURES}/failing.yaml"), 9, 13)), "{places:?}");
    // The failing scenario also points at the rule that decided, in the pack.
    let related = results.iter().flat_map(|r| r["relatedLocations"].as_array().cloned().unwrap_or_default());
    assert!(related
        .into_iter()
        .any(|l| l["physicalLocation"]["artifactLocation"]["uri"] == "policies/rules/membership.policy"));
}

#[test]
fn junit_is_valid_against_the_xsd() {
    let dir = broken_pack();
    let broken = entitle(dir.path(), &["test", "--policy", "pack", "--format", "junit", "."]);
    for text in [
        run(&["test", "--format", "junit", FIXTURES]).0,
        run(&["test", "--format", "junit", "examples"]).0,
        run(&["eval", "--format", "junit", FIXTURES]).0,
        run(&["check", "--format", "junit"]).0,
        stdout(&broken),
    ] {
        if !validate_junit(&text) {
            return;
        }
    }
    // The validation can fail: a test suite without its counts is refused.
    let text = run(&["test", "--format", "junit", FIXTURES]).0.replacen(" tests=\"", " tested=\"", 2);
    assert!(std::panic::catch_unwind(|| validate_junit(&text)).is_err(), "a suite without `tests` validated");
}

#[test]
fn junit_has_one_case_per_scenario_with_unique_names() {
    let (out, _, _) = run(&["test", "--format", "junit", "examples"]);
    let cases: Vec<(&str, &str)> = out
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("<testcase name=\""))
        .filter_map(|l| l.split_once("\" classname=\"").map(|(n, rest)| (n, rest.split('"').next().unwrap_or(""))))
        .collect();
    let (human, _, _) = run(&["test", "examples"]);
    let scenarios = human.lines().filter(|l| l.starts_with("PASS ")).count();
    assert_eq!(cases.len(), scenarios);
    let mut unique = cases.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), cases.len(), "test case names repeat within a suite");
}

#[test]
fn stdout_parses_whatever_happens() {
    let dir = broken_pack();
    let runs: Vec<(PathBuf, Vec<&str>)> = vec![
        (root(), vec!["test", FIXTURES]),
        (root(), vec!["eval", FIXTURES]),
        (root(), vec!["check"]),
        (dir.path().to_path_buf(), vec!["check", "--policy", "pack"]),
        (dir.path().to_path_buf(), vec!["test", "--policy", "pack", "."]),
    ];
    for (cwd, args) in &runs {
        for format in ["json", "sarif"] {
            let o = entitle(Path::new(cwd), &[args.as_slice(), &["--format", format]].concat());
            let text = stdout(&o);
            assert!(serde_json::from_str::<serde_json::Value>(&text).is_ok(), "{args:?} {format}: {text}");
        }
        let o = entitle(Path::new(cwd), &[args.as_slice(), &["--format", "github"]].concat());
        let text = stdout(&o);
        assert!(text.lines().all(|l| l.starts_with("::")), "{args:?} github: {text}");
        let o = entitle(Path::new(cwd), &[args.as_slice(), &["--format", "markdown"]].concat());
        assert!(stdout(&o).starts_with("### entitle "), "{args:?} markdown");
    }
}

#[test]
fn github_annotations_point_at_file_line_and_column() {
    let (out, _, _) = run(&["test", "--format", "github", FIXTURES]);
    assert!(
        out.contains(&format!(
            "::error title=entitle%3A%3Atest%3A%3Amismatch,file={FIXTURES}/failing.yaml,line=9,col=13,"
        )),
        "{out}"
    );
    assert!(out.lines().all(|l| !l.contains('\n')));
    assert!(out.ends_with("1 failed, 1 with errors\n"), "{out}");
}
