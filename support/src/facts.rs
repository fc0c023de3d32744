//! The facts a recipe prints: `key = value` lines, and records of several
//! `k = v` pairs on one line.
//!
//! One parser serves the tests (through [`crate::testing::Run`]) and the parents
//! that read their children's reports.
//!
//! ```
//! use cookbook_support::facts;
//! let out = "items = 3\nchecksum = 1.5\nworker = 0 start = 0.1 end = 0.4\nworker = 1 start = 0.2 end = 0.5\n";
//! assert_eq!(facts::fact(out, "items"), Ok("3"));
//! assert_eq!(facts::fact_as::<f64>(out, "checksum"), Ok(1.5));
//! assert!(facts::fact(out, "missing").is_err());
//! let workers = facts::records(out, "worker");
//! assert_eq!(workers.len(), 2);
//! assert_eq!(workers[1].get("end"), Some("0.5"));
//! ```

use std::str::FromStr;

/// Every value printed as a line `key = value`, in order.
pub fn facts<'a>(text: &'a str, key: &str) -> Vec<&'a str> {
    let prefix = format!("{key} = ");
    text.lines().filter_map(|l| l.strip_prefix(prefix.as_str())).map(str::trim).collect()
}

/// The value of the one line `key = value`; an error names what is wrong when the
/// line is missing or repeated.
pub fn fact<'a>(text: &'a str, key: &str) -> Result<&'a str, String> {
    match facts(text, key).as_slice() {
        [one] => Ok(one),
        [] => Err(format!("no line `{key} = …`")),
        many => Err(format!("{} lines `{key} = …`, expected one", many.len())),
    }
}

/// [`fact`], parsed.
pub fn fact_as<T: FromStr>(text: &str, key: &str) -> Result<T, String> {
    let v = fact(text, key)?;
    v.parse().map_err(|_| format!("`{key} = {v}` does not parse as {}", std::any::type_name::<T>()))
}

/// One line of `k = v` pairs, such as `worker = 2 start = 0.10 end = 0.52`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record<'a> {
    pub pairs: Vec<(&'a str, &'a str)>,
}

impl<'a> Record<'a> {
    /// The value of `key` in this record.
    pub fn get(&self, key: &str) -> Option<&'a str> {
        self.pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
    }

    /// The value of `key`, parsed; an error names the key and the record.
    pub fn get_as<T: FromStr>(&self, key: &str) -> Result<T, String> {
        let v = self.get(key).ok_or_else(|| format!("no `{key}` in {self:?}"))?;
        v.parse().map_err(|_| format!("`{key} = {v}` does not parse as {}", std::any::type_name::<T>()))
    }
}

/// Parse one line as `k = v k = v …`; `None` unless the whole line has that form.
pub fn record(line: &str) -> Option<Record<'_>> {
    let words: Vec<&str> = line.split_whitespace().collect();
    if words.is_empty() || words.len() % 3 != 0 {
        return None;
    }
    let pairs: Option<Vec<_>> = words.chunks(3).map(|w| (w[1] == "=").then_some((w[0], w[2]))).collect();
    pairs.map(|pairs| Record { pairs })
}

/// Every line that is a record whose first key is `key`, in order.
pub fn records<'a>(text: &'a str, key: &str) -> Vec<Record<'a>> {
    text.lines().filter_map(record).filter(|r| r.pairs[0].0 == key).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_or_missing_facts_are_errors() {
        assert_eq!(fact("a = 1\na = 2\n", "a"), Err("2 lines `a = …`, expected one".into()));
        assert!(fact("ab = 1\n", "a").is_err());
        assert_eq!(fact("a =  1 \n", "a"), Ok("1"));
        assert!(fact_as::<u32>("a = x\n", "a").is_err());
    }

    #[test]
    fn records_need_the_whole_line_in_pairs() {
        assert_eq!(record("a = 1 b = 2").unwrap().pairs, vec![("a", "1"), ("b", "2")]);
        assert!(record("a = 1 b").is_none());
        assert!(record("a is 1").is_none());
        assert!(record("").is_none());
        let text = "x = 1 y = 2\nthe value is 3\nx = 4 y = 5\nz = 6 x = 7\n";
        let xs = records(text, "x");
        assert_eq!(xs.len(), 2);
        assert_eq!(xs[1].get_as::<i32>("y"), Ok(5));
        assert!(xs[0].get_as::<i32>("w").is_err());
    }
}
