//! JUnit XML as CI servers read it (the Jenkins xUnit schema): one test suite per
//! file, one test case per scenario (per pack file for `check`), names unique.

use super::super::cases::{Case, Report, Status};
use super::super::markup::escape;
use std::fmt::Write;

fn suites(report: &Report) -> Vec<(&str, Vec<&Case>)> {
    let mut out: Vec<(&str, Vec<&Case>)> = Vec::new();
    for case in &report.cases {
        match out.iter_mut().find(|(s, _)| *s == case.suite) {
            Some((_, cases)) => cases.push(case),
            None => out.push((&case.suite, vec![case])),
        }
    }
    out
}

fn count(cases: &[&Case], status: Status) -> usize {
    cases.iter().filter(|c| c.status == status).count()
}

pub fn render(report: &Report) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let c = report.counts();
    let name = format!("entitle {}: {}", report.command, report.pack_text());
    let _ = writeln!(
        out,
        "<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\">",
        escape(&name),
        report.cases.len(),
        c.failed,
        c.errored
    );
    for (suite, cases) in suites(report) {
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"0\" file=\"{}\">",
            escape(suite),
            cases.len(),
            count(&cases, Status::Failed),
            count(&cases, Status::Errored),
            escape(suite)
        );
        for case in cases {
            testcase(case, &mut out);
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

fn testcase(case: &Case, out: &mut String) {
    let head = format!("    <testcase name=\"{}\" classname=\"{}\"", escape(&case.name), escape(&case.suite));
    let element = match case.status {
        Status::Failed => "failure",
        Status::Errored => "error",
        Status::Passed | Status::Evaluated => {
            let _ = writeln!(out, "{head}>");
            let _ = writeln!(out, "      <system-out>{}</system-out>", escape(&case.summary));
            out.push_str("    </testcase>\n");
            return;
        }
    };
    let _ = writeln!(out, "{head}>");
    let code = case.problems.first().map_or("entitle", |p| p.code.as_str());
    let mut body = case.details.join("\n");
    for p in &case.problems {
        if let Some((at, _)) = &p.at {
            let _ = write!(body, "\nat {}:{}:{}", at.file, at.line, at.column);
        }
        for (at, label) in &p.related {
            let _ = write!(body, "\n  see {}:{}:{}: {label}", at.file, at.line, at.column);
        }
        if let Some(h) = &p.help {
            let _ = write!(body, "\nhelp: {h}");
        }
    }
    let _ = writeln!(
        out,
        "      <{element} type=\"{}\" message=\"{}\">{}</{element}>",
        escape(code),
        escape(&case.summary),
        escape(&body)
    );
    out.push_str("    </testcase>\n");
}
