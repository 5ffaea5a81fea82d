use pest_derive::Parser;

#[derive(Parser)]
#[grammar = "grammar/policy.pest"]
pub struct PolicyParser;
