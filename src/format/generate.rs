//! Rule files put together at random for the formatter's tests: every construct of
//! the grammar, extra parentheses, blanks and line breaks anywhere a blank may be,
//! and comments on lines of their own, at ends of lines and inside expressions.

pub struct Gen {
    state: u64,
}

const NAMES: [&str; 6] = ["a", "b", "seats", "order.kind", "item.day", "x_1"];
const BINARY: [&str; 16] =
    ["or", "and", "==", "!=", "<", "<=", ">", ">=", "in", "not in", "..=", "..", "+", "-", "*", "/"];
const LITERALS: [&str; 12] = [
    "1",
    "2.50",
    "10",
    "2021-01-31",
    "3 days",
    "1  month",
    "2 weeks",
    "5 USD",
    "true",
    "false",
    "\"s\"",
    "\"q\\\"\\{x\\}\"",
];

impl Gen {
    pub fn new(seed: u64) -> Gen {
        Gen { state: seed }
    }

    fn next(&mut self) -> u64 {
        // A linear congruential generator: reproducible, and enough for shapes.
        self.state = self.state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.state >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'s>(&mut self, items: &[&'s str]) -> &'s str {
        items.get(self.below(items.len())).copied().unwrap_or("a")
    }

    /// A blank between tokens: a space, several, a line break, or a comment and a break.
    fn gap(&mut self) -> String {
        match self.below(12) {
            0 => "\n    ".to_string(),
            1 => "   ".to_string(),
            2 => " // inside\n  ".to_string(),
            _ => " ".to_string(),
        }
    }

    pub fn expr(&mut self, depth: usize) -> String {
        let e = if depth == 0 { self.leaf() } else { self.node(depth - 1) };
        if self.below(8) == 0 {
            format!("({e})")
        } else {
            e
        }
    }

    fn leaf(&mut self) -> String {
        if self.below(2) == 0 {
            self.pick(&NAMES).to_string()
        } else {
            self.pick(&LITERALS).to_string()
        }
    }

    fn node(&mut self, depth: usize) -> String {
        match self.below(11) {
            0..=3 => {
                let op = self.pick(&BINARY);
                let (l, r) = (self.operand(depth), self.operand(depth));
                let (g1, g2) = (self.gap(), self.gap());
                format!("{l}{g1}{op}{g2}{r}")
            }
            4 => format!("not {}", self.operand(depth)),
            5 => format!("-{}", self.operand(depth)),
            6 => format!("{} is {}", self.operand(depth), if self.below(2) == 0 { "present" } else { "absent" }),
            7 => format!("if {} then {} else {}", self.expr(depth), self.expr(depth), self.expr(depth)),
            8 => {
                let kind = self.pick(&["any", "all", "count"]);
                format!("{kind}(v in {}: {})", self.expr(depth), self.expr(depth))
            }
            9 => {
                let filter = if self.below(2) == 0 { format!(" if {}", self.expr(depth)) } else { String::new() };
                format!("[{} for v in {}{filter}]", self.expr(depth), self.expr(depth))
            }
            _ => {
                let n = self.below(3);
                let items: Vec<String> = (0..n).map(|_| self.expr(depth)).collect();
                if self.below(2) == 0 {
                    format!("[{}]", items.join(", "))
                } else {
                    format!("f({})", items.join(" , "))
                }
            }
        }
    }

    /// An operand: in parentheses when it is an `if` (whose `else` would take in the
    /// rest), or at random.
    fn operand(&mut self, depth: usize) -> String {
        let e = self.expr(depth);
        if e.starts_with("if ") || self.below(3) == 0 {
            format!("({e})")
        } else {
            e
        }
    }

    fn message(&mut self) -> String {
        let mut m = String::from("\"text");
        if self.below(2) == 0 {
            m.push_str(&format!(" {{{}}}", self.expr(1)));
        }
        m.push_str(" \\\"q\\\" \\{ end\"");
        m
    }

    fn statement(&mut self, n: usize) -> String {
        let condition = |g: &mut Gen| if g.below(2) == 0 { format!("\n    if {}", g.expr(2)) } else { String::new() };
        let stmt = match self.below(5) {
            0 => format!("let l{n} = {}", self.expr(3)),
            1 => {
                let ty = if self.below(3) == 0 { ": list<level>" } else { "" };
                let value = self.expr(3);
                format!("output o{n}{ty} = {value}{}", condition(self))
            }
            k => {
                let kind = ["deny", "warn", "note"].get(k - 2).copied().unwrap_or("deny");
                let message = self.message();
                format!("{kind} {message}{}", condition(self))
            }
        };
        let trailing = if self.below(5) == 0 { " // after" } else { "" };
        let before = if self.below(6) == 0 { "  // before\n" } else { "" };
        let blank = if self.below(4) == 0 { "\n" } else { "" };
        format!("{blank}{before}  {stmt}{trailing}\n")
    }

    pub fn file(&mut self) -> String {
        let mut out = String::new();
        if self.below(2) == 0 {
            out.push_str("// a file comment\n\n");
        }
        for r in 0..1 + self.below(3) {
            if self.below(2) == 0 {
                out.push_str("/// doc line\n///\n///  indented\n");
            }
            let guard = if self.below(2) == 0 { format!(" when {}", self.expr(3)) } else { String::new() };
            let in_force = match self.below(5) {
                0 => "  in  force from 2021-01-28",
                1 => "\n  continuously in force until params.a.b",
                2 => " in force from 2020-02-29 until params.x",
                3 => " in force from params.first.day_of_the_programme + params.lead.time until params.last.day_of_the_programme - 1 day",
                _ => "",
            };
            out.push_str(&format!("rule R-{r} \"title \\\"{r}\\\"\"  cites \"x#y\"{in_force}{guard}\n{{\n"));
            for n in 0..self.below(5) {
                out.push_str(&self.statement(n));
            }
            if self.below(4) == 0 {
                out.push_str("  // last\n");
            }
            out.push_str("}\n\n");
        }
        out
    }
}
