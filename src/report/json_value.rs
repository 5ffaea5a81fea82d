//! The JSON documents the reporters build, and their text. Our own small tree
//! rather than `serde_json::Value`: keys keep the order they were written in and
//! numbers keep their exact decimal text, which `serde_json` offers only through its
//! `preserve_order` and `arbitrary_precision` features, and a library that turned
//! those on would turn them on for every program that depends on it.

use std::borrow::Cow;
use std::fmt::Write;

#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    /// A number's exact text, written as it is.
    Number(String),
    String(String),
    Array(Vec<Json>),
    Object(Map),
}

/// An object's members in the order they were inserted. Keys are mostly fixed
/// words: those are not copied.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Map(Vec<(Cow<'static, str>, Json)>);

impl Map {
    pub fn new() -> Self {
        Map(Vec::new())
    }

    /// Appends a member. The reporters' keys are distinct by construction (schema
    /// names, fixed words), so nothing is searched.
    pub fn insert(&mut self, key: impl Into<Cow<'static, str>>, value: Json) {
        self.0.push((key.into(), value));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl FromIterator<(String, Json)> for Map {
    fn from_iter<I: IntoIterator<Item = (String, Json)>>(iter: I) -> Self {
        Map(iter.into_iter().map(|(k, v)| (Cow::Owned(k), v)).collect())
    }
}

/// What `json!` accepts as a value.
pub trait IntoJson {
    fn into_json(self) -> Json;
}

impl IntoJson for Json {
    fn into_json(self) -> Json {
        self
    }
}

impl IntoJson for &Json {
    fn into_json(self) -> Json {
        self.clone()
    }
}

impl IntoJson for Map {
    fn into_json(self) -> Json {
        Json::Object(self)
    }
}

impl IntoJson for &str {
    fn into_json(self) -> Json {
        Json::String(self.to_string())
    }
}

impl IntoJson for &&str {
    fn into_json(self) -> Json {
        Json::String((*self).to_string())
    }
}

impl IntoJson for String {
    fn into_json(self) -> Json {
        Json::String(self)
    }
}

impl IntoJson for &String {
    fn into_json(self) -> Json {
        Json::String(self.clone())
    }
}

impl IntoJson for bool {
    fn into_json(self) -> Json {
        Json::Bool(self)
    }
}

impl IntoJson for &bool {
    fn into_json(self) -> Json {
        Json::Bool(*self)
    }
}

macro_rules! integers {
    ($($t:ty),*) => {$(
        impl IntoJson for $t {
            fn into_json(self) -> Json {
                Json::Number(self.to_string())
            }
        }
        impl IntoJson for &$t {
            fn into_json(self) -> Json {
                Json::Number(self.to_string())
            }
        }
    )*};
}
integers!(i32, i64, u32, u64, usize);

impl<T: IntoJson> IntoJson for Option<T> {
    fn into_json(self) -> Json {
        self.map_or(Json::Null, IntoJson::into_json)
    }
}

impl<'a, T> IntoJson for &'a Option<T>
where
    &'a T: IntoJson,
{
    fn into_json(self) -> Json {
        self.as_ref().map_or(Json::Null, IntoJson::into_json)
    }
}

impl<T: IntoJson> IntoJson for Vec<T> {
    fn into_json(self) -> Json {
        Json::Array(self.into_iter().map(IntoJson::into_json).collect())
    }
}

impl<'a, T> IntoJson for &'a Vec<T>
where
    &'a T: IntoJson,
{
    fn into_json(self) -> Json {
        Json::Array(self.iter().map(IntoJson::into_json).collect())
    }
}

impl<'a, T> IntoJson for &'a [T]
where
    &'a T: IntoJson,
{
    fn into_json(self) -> Json {
        Json::Array(self.iter().map(IntoJson::into_json).collect())
    }
}

/// Builds a [`Json`] from JSON-like syntax, as `serde_json::json!` does: `null`,
/// `[...]`, `{"key": value, ...}`, or any expression whose type is [`IntoJson`].
macro_rules! json {
    (null) => { $crate::report::json_value::Json::Null };
    ([]) => { $crate::report::json_value::Json::Array(Vec::new()) };
    ([ $($tt:tt)+ ]) => { $crate::report::json_value::Json::Array(json!(@items [] [] $($tt)+)) };
    ({}) => { $crate::report::json_value::Json::Object($crate::report::json_value::Map::new()) };
    ({ $($tt:tt)+ }) => {{
        let mut map = $crate::report::json_value::Map::new();
        json!(@members map [] $($tt)+);
        $crate::report::json_value::Json::Object(map)
    }};
    // Array items: gather the tokens of one item up to a comma at the top level.
    (@items [$($done:expr,)*] [$($item:tt)+] , $($rest:tt)*) => { json!(@items [$($done,)* json!($($item)+),] [] $($rest)*) };
    (@items [$($done:expr,)*] [$($item:tt)+]) => { vec![$($done,)* json!($($item)+)] };
    (@items [$($done:expr,)*] []) => { vec![$($done),*] };
    (@items [$($done:expr,)*] [$($item:tt)*] $next:tt $($rest:tt)*) => { json!(@items [$($done,)*] [$($item)* $next] $($rest)*) };
    // Object members: a key, a colon, then the value's tokens up to a top-level comma.
    (@members $map:ident [] $key:literal : $($rest:tt)+) => { json!(@value $map $key [] $($rest)+) };
    (@members $map:ident []) => {};
    (@value $map:ident $key:literal [$($v:tt)+] , $($rest:tt)*) => {
        $map.insert($key, json!($($v)+));
        json!(@members $map [] $($rest)*);
    };
    (@value $map:ident $key:literal [$($v:tt)+]) => { $map.insert($key, json!($($v)+)); };
    (@value $map:ident $key:literal [$($v:tt)*] $next:tt $($rest:tt)*) => { json!(@value $map $key [$($v)* $next] $($rest)*) };
    ($e:expr) => { $crate::report::json_value::IntoJson::into_json($e) };
}
pub(crate) use json;

impl Json {
    /// The text `serde_json::to_string_pretty` would give: two spaces of indent,
    /// `"key": value`, empty containers as `[]` and `{}`.
    pub fn pretty(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, Some(0));
        out
    }

    /// The text on one line, as JSON Lines want it.
    pub fn compact(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, None);
        out
    }

    /// Writes the value; `indent` is the depth when pretty, `None` when compact.
    pub fn write(&self, out: &mut String, indent: Option<usize>) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Number(n) => out.push_str(n),
            Json::String(s) => write_string(out, s),
            Json::Array(items) if items.is_empty() => out.push_str("[]"),
            Json::Object(map) if map.is_empty() => out.push_str("{}"),
            Json::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    separate(out, i, indent);
                    item.write(out, indent.map(|d| d + 1));
                }
                close(out, indent, ']');
            }
            Json::Object(map) => {
                out.push('{');
                for (i, (key, value)) in map.0.iter().enumerate() {
                    separate(out, i, indent);
                    write_string(out, key);
                    out.push_str(if indent.is_some() { ": " } else { ":" });
                    value.write(out, indent.map(|d| d + 1));
                }
                close(out, indent, '}');
            }
        }
    }
}

/// An object or array written member by member, with the text [`Json::write`] gives
/// the same value: for the reports written per result, which build no tree.
pub struct Writer<'o> {
    out: &'o mut String,
    indent: Option<usize>,
    count: usize,
    close: char,
}

impl<'o> Writer<'o> {
    /// An object at depth `indent` (`None`: compact).
    pub fn object(out: &'o mut String, indent: Option<usize>) -> Self {
        out.push('{');
        Writer { out, indent, count: 0, close: '}' }
    }

    pub fn array(out: &'o mut String, indent: Option<usize>) -> Self {
        out.push('[');
        Writer { out, indent, count: 0, close: ']' }
    }

    /// Starts a member: the text to write its value into, and the value's depth.
    pub fn key(&mut self, key: &str) -> (&mut String, Option<usize>) {
        separate(self.out, self.count, self.indent);
        self.count += 1;
        write_string(self.out, key);
        self.out.push_str(if self.indent.is_some() { ": " } else { ":" });
        (self.out, self.indent.map(|d| d + 1))
    }

    /// Starts an item of an array.
    pub fn item(&mut self) -> (&mut String, Option<usize>) {
        separate(self.out, self.count, self.indent);
        self.count += 1;
        (self.out, self.indent.map(|d| d + 1))
    }

    pub fn string(&mut self, key: &str, value: &str) {
        write_string(self.key(key).0, value);
    }

    pub fn value(&mut self, key: &str, value: &Json) {
        let (out, depth) = self.key(key);
        value.write(out, depth);
    }

    pub fn end(self) {
        if self.count == 0 {
            self.out.push(self.close);
        } else {
            close(self.out, self.indent, self.close);
        }
    }
}

fn separate(out: &mut String, index: usize, indent: Option<usize>) {
    if index > 0 {
        out.push(',');
    }
    if let Some(depth) = indent {
        out.push('\n');
        push_indent(out, depth + 1);
    }
}

fn close(out: &mut String, indent: Option<usize>, bracket: char) {
    if let Some(depth) = indent {
        out.push('\n');
        push_indent(out, depth);
    }
    out.push(bracket);
}

fn push_indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("  ");
    }
}

/// The days a rule or a value is in force: `{"from": "2021-01-28"}`, with `until`
/// when it ends.
pub fn period(p: &crate::calendar::Period) -> Json {
    let mut m = Map::new();
    if let Some(d) = p.from {
        m.insert("from", json!(d.to_string()));
    }
    if let Some(d) = p.until {
        m.insert("until", json!(d.to_string()));
    }
    Json::Object(m)
}

/// A JSON string literal, escaped as `serde_json` escapes: the quote, the backslash
/// and control characters; everything else as it is.
pub fn write_string(out: &mut String, s: &str) {
    out.push('"');
    let bytes = s.as_bytes();
    let mut start = 0;
    while let Some(at) = crate::scan::json_special(&bytes[start..]) {
        let i = start + at;
        out.push_str(&s[start..i]);
        match bytes[i] {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x08 => out.push_str("\\b"),
            0x0c => out.push_str("\\f"),
            b => {
                let _ = write!(out, "\\u{b:04x}");
            }
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pretty_and_compact_text_match_serde_json() {
        let doc = json!({
            "name": "a \"b\"\n\u{1}é",
            "n": Json::Number("12.50".into()),
            "list": [1usize, true, null, [], {}],
            "nested": {"k": Some("v"), "none": None::<&str>},
        });
        let expected = "{\n  \"name\": \"a \\\"b\\\"\\n\\u0001é\",\n  \"n\": 12.50,\n  \"list\": [\n    1,\n    true,\n    null,\n    [],\n    {}\n  ],\n  \"nested\": {\n    \"k\": \"v\",\n    \"none\": null\n  }\n}";
        assert_eq!(doc.pretty(), expected);
        let compact = "{\"name\":\"a \\\"b\\\"\\n\\u0001é\",\"n\":12.50,\"list\":[1,true,null,[],{}],\"nested\":{\"k\":\"v\",\"none\":null}}";
        assert_eq!(doc.compact(), compact);
        let reparsed: serde_json::Value = serde_json::from_str(&doc.compact()).unwrap_or_default();
        assert_eq!(reparsed["nested"]["k"], "v");
    }

    #[test]
    fn the_writer_writes_what_the_tree_writes() {
        let tree = json!({"a": [], "b": [{"r": "x", "m": "y\"z"}], "c": {}, "d": null});
        for indent in [Some(0), Some(2), None] {
            let mut out = String::new();
            let mut w = Writer::object(&mut out, indent);
            w.value("a", &json!([]));
            {
                let (o, d) = w.key("b");
                let mut items = Writer::array(o, d);
                let (o, d) = items.item();
                let mut item = Writer::object(o, d);
                item.string("r", "x");
                item.string("m", "y\"z");
                item.end();
                items.end();
            }
            w.value("c", &json!({}));
            w.value("d", &Json::Null);
            w.end();
            let mut expected = String::new();
            tree.write(&mut expected, indent);
            assert_eq!(out, expected);
        }
    }

    #[test]
    fn members_keep_their_order() {
        let doc = json!({"z": 1usize, "a": 2usize, "m": 3usize});
        assert_eq!(doc.compact(), "{\"z\":1,\"a\":2,\"m\":3}");
    }
}
