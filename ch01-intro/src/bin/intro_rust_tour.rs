//! # A tour of the book's Python basics, in Rust
//!
//! **Book:** 1st edition §1.7 *Introducing Python* (「1.7 介绍Python」; printed
//! edition「Python简介」), and the 2nd edition's language tour in Chapter01
//! (`classes.py`, `flow.py`, `dir.py`, `lists.py`, `file.py`).
//!
//! **Run:** `cargo run --bin intro_rust_tour` (or `cookbook run 1.7`); try
//! `--number -3`, `--number 7`, or `--ask` to type the number as the book does.
//!
//! The book opens with a quick look at Python: numbers, complex numbers, strings,
//! lists, `while`, `if`, `for`, functions, modules, classes and files. This recipe
//! walks the same ground in the same order, one numbered section per topic, and
//! prints the two values the book gets wrong correctly.

use std::collections::HashMap;
use std::fmt;
use std::fs;
use std::io::{self, BufRead, Write};
use std::process::ExitCode;
use std::sync::atomic::{AtomicI32, Ordering};

use clap::Parser;
use cookbook_support::{Status, Trace, fail};

/// Walk through the book's introduction to Python (1st edition §1.7 and the 2nd
/// edition's Chapter01 scripts), one topic at a time, in Rust.
#[derive(Parser)]
#[command(name = "intro_rust_tour")]
struct Args {
    /// The integer tested by the `if` section (the book reads it from the
    /// keyboard) [-9223372036854775808–9223372036854775807, an i64].
    #[arg(long, default_value_t = 1, allow_negative_numbers = true)]
    number: i64,

    /// Read the number for the `if` section from stdin, like the book's `input()`.
    #[arg(long)]
    ask: bool,

    #[command(flatten)]
    trace: Trace,
}

// ANCHOR: listing
fn main() -> ExitCode {
    let args = Args::parse();
    let _session = args.trace.start();

    integers();
    complex_numbers();
    strings();
    lists();
    while_loop();
    if let Err(why) = if_statement(&args) {
        return fail(why);
    }
    for_loop();
    functions();
    modules();
    classes();
    classes_2nd_edition();
    flow_2nd_edition();
    lists_2nd_edition();
    if let Err(why) = files() {
        return fail(format!("file section failed: {why}"));
    }
    Status::Success.into()
}

fn section(title: &str) {
    println!();
    println!("== {title} ==");
}

/// Print `label = values…` with the values separated by spaces.
fn print_series(label: &str, values: &[u64]) {
    let joined: Vec<String> = values.iter().map(u64::to_string).collect();
    println!("{label} = {}", joined.join(" "));
}

// 1. Integers. Rust integers have a fixed size (`i64` here) and overflow is an
//    error in debug builds; Python's grow without limit.
fn integers() {
    section("1. integers");
    let width: i64 = 20;
    let height: i64 = 5 * 9;
    println!("width * height = {}", width * height);
    println!("area = {}", width * height);
}

// 2. Complex numbers. Python has them built in; here is a small struct. (The
//    `num-complex` crate is the full-featured one.)
fn complex_numbers() {
    section("2. complex numbers");

    struct Complex {
        re: f64,
        im: f64,
    }
    impl Complex {
        /// Python's `abs(z)`: √(re² + im²). `hypot` avoids overflow on big parts.
        fn abs(&self) -> f64 {
            self.re.hypot(self.im)
        }
    }

    let a = Complex { re: 1.5, im: 0.5 };
    println!("a.real = {}", a.re);
    println!("a.imag = {}", a.im);
    println!("abs(a) = {}   (the book prints 5.0, which is wrong)", a.abs());
    println!("modulus = {}", a.abs());
}

// 3. Strings. `+` needs an owned `String` on the left; characters are counted
//    with `chars()`, because a `str` is UTF-8 bytes.
fn strings() {
    section("3. strings");
    let word = String::from("Help") + "A";
    println!("word = {word:?}");
    // `word[4]` does not compile: the fifth character is `chars().nth(4)`.
    println!("word.chars().nth(4) = {:?}", word.chars().nth(4).unwrap());
    // A range slice is a range of bytes; all these characters are one byte long.
    println!("&word[0..2] = {:?}", &word[0..2]);
    // Python's word[-1]: the last character.
    println!("word.chars().last() = {:?}", word.chars().last().unwrap());
}

// 4. A list of mixed types. A `Vec` holds one type, so the "strings or numbers"
//    of the book's list become one enum.
#[derive(Debug)]
enum Item {
    Text(&'static str),
    Number(i64),
}

impl fmt::Display for Item {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Item::Text(s) => write!(f, "'{s}'"),
            Item::Number(n) => write!(f, "{n}"),
        }
    }
}

fn show(items: &[Item]) -> String {
    let parts: Vec<String> = items.iter().map(Item::to_string).collect();
    format!("[{}]", parts.join(", "))
}

fn lists() {
    section("4. lists");
    let a = vec![Item::Text("spam"), Item::Text("eggs"), Item::Number(100), Item::Number(1234)];
    println!("a = {}", show(&a));
    println!("a[0] = {}", a[0]);
    println!("a[3] = {}", a[3]);
    // No negative indices: Python's a[-2] is a[len - 2].
    println!("a[a.len() - 2] = {}", a[a.len() - 2]);
    // Python's a[1:-1].
    println!("&a[1..a.len() - 1] = {}", show(&a[1..a.len() - 1]));
    println!("a.len() = {}", a.len());
}

// 5. A `while` loop: the Fibonacci numbers below 10. Python's `a, b = b, a+b`
//    is a tuple assignment in Rust too.
fn while_loop() {
    section("5. while loop: Fibonacci numbers below 10");
    let (mut a, mut b) = (0_u64, 1_u64);
    let mut seen = Vec::new();
    while b < 10 {
        println!("{b}");
        seen.push(b);
        (a, b) = (b, a + b);
    }
    print_series("fib_below_10", &seen);
}

// 6. `if` / `else if` / `else`. The book reads the number with `input()`;
//    `--ask` does the same, `--number` passes it on the command line.
fn ask_for_integer() -> Result<i64, String> {
    print!("Please enter an integer here: ");
    io::stdout().flush().map_err(|e| e.to_string())?;
    let mut line = String::new();
    let read = io::stdin().lock().read_line(&mut line).map_err(|e| e.to_string())?;
    if read == 0 {
        return Err("no integer on stdin (it was closed)".to_string());
    }
    line.trim().parse().map_err(|_| format!("`{}` is not an integer", line.trim()))
}

fn if_statement(args: &Args) -> Result<(), String> {
    section("6. if statement");
    let x = if args.ask { ask_for_integer()? } else { args.number };
    println!("x = {x}");
    if x < 0 {
        println!("the number is negative");
    } else if x == 0 {
        println!("the number is zero");
    } else if x == 1 {
        println!("the number is one");
    } else {
        println!("More");
    }
    Ok(())
}

// 7. A `for` loop over a list of strings.
fn for_loop() {
    section("7. for loop");
    let a = ["cat", "window", "defenestrate"];
    for x in a {
        // `len()` counts bytes; for these ASCII words that is the character count.
        println!("{x} {}", x.len());
    }
}

// 8. A function. Its doc comment plays the part of Python's docstring.
/// Print the Fibonacci numbers below `n` on one line, and return them.
fn fib(n: u64) -> Vec<u64> {
    let (mut a, mut b) = (0_u64, 1_u64);
    let mut out = Vec::new();
    while b < n {
        print!("{b} ");
        out.push(b);
        (a, b) = (b, a + b);
    }
    println!();
    out
}

fn functions() {
    section("8. functions: fib(2000)");
    let series = fib(2000);
    print_series("fib_below_2000", &series);
}

// 9. Modules. `import math` has no counterpart: `sin` and `ln` are methods of
//    `f64` in the standard library. Python's `log` is the natural log, `ln`.
fn modules() {
    section("9. modules: math");
    println!("sin(1) = {}", 1.0_f64.sin());
    println!("ln(1) = {}", 1.0_f64.ln());
    println!("sin_1 = {}", 1.0_f64.sin());
}

// 10. A class with a constructor: a struct, and a `new` function by convention.
fn classes() {
    section("10. classes: a struct");

    #[derive(Debug)]
    struct Complex {
        r: f64,
        i: f64,
    }
    impl Complex {
        fn new(realpart: f64, imagpart: f64) -> Self {
            Complex { r: realpart, i: imagpart }
        }
    }

    let x = Complex::new(3.0, -4.5);
    println!("(x.r, x.i) = ({:?}, {:?})", x.r, x.i);
    println!("{x:?}");
}

// 11. The 2nd edition's class demo (classes.py): a class attribute shared by all
//     instances until one instance assigns its own, a subclass, and an attribute
//     added at run time.

/// Python's `Myclass.common`: one value for the whole "class".
static MYCLASS_COMMON: AtomicI32 = AtomicI32::new(10);

struct MyClass {
    myvariable: i32,
    /// Set when this instance assigned `common` itself, hiding the shared value.
    own_common: Option<i32>,
    /// Attributes added after construction, like Python's `instance.test = 10`.
    extra: HashMap<String, i32>,
}

impl MyClass {
    fn new() -> Self {
        MyClass { myvariable: 3, own_common: None, extra: HashMap::new() }
    }

    fn myfunction(&self, _arg1: i32, _arg2: i32) -> i32 {
        self.myvariable
    }

    /// Python's attribute lookup: the instance's own value first, then the class's.
    fn common(&self) -> i32 {
        self.own_common.unwrap_or_else(|| MYCLASS_COMMON.load(Ordering::Relaxed))
    }
}

/// Python's `class AnotherClass(Myclass)`: a struct that embeds the other one.
struct AnotherClass {
    base: MyClass,
}

impl AnotherClass {
    fn new(arg1: &str) -> Self {
        println!("{arg1}");
        AnotherClass { base: MyClass::new() }
    }
}

fn classes_2nd_edition() {
    section("11. classes (2nd edition classes.py)");
    let mut instance = MyClass::new();
    println!("instance.myfunction(1, 2) = {}", instance.myfunction(1, 2));

    let instance2 = MyClass::new();
    let both = |a: &MyClass, b: &MyClass| {
        println!("instance.common = {}  instance2.common = {}", a.common(), b.common());
    };
    both(&instance, &instance2);

    println!("Myclass.common = 30");
    MYCLASS_COMMON.store(30, Ordering::Relaxed);
    both(&instance, &instance2);

    println!("instance.common = 10");
    instance.own_common = Some(10);
    both(&instance, &instance2);

    println!("Myclass.common = 50");
    MYCLASS_COMMON.store(50, Ordering::Relaxed);
    both(&instance, &instance2);

    let mut another = AnotherClass::new("hello");
    println!("another.myfunction(1, 2) = {}", another.base.myfunction(1, 2));

    another.base.extra.insert("test".to_string(), 10);
    println!("another.test = {}", another.base.extra["test"]);
}

// 12. The 2nd edition's flow.py / dir.py: `if`, a `for` sum, a `while` sum.
fn flow_2nd_edition() {
    section("12. flow (2nd edition flow.py, dir.py)");
    let num = 1;
    if num > 0 {
        println!("Positive number");
    } else if num == 0 {
        println!("Zero");
    } else {
        println!("Negative number");
    }

    let numbers = [6, 6, 3, 8, -3, 2, 5, 44, 12];
    let mut sum = 0;
    for val in numbers {
        sum += val;
    }
    // The listing's comment says 48; the sum is 83.
    println!("The sum is {sum}   (the 2nd edition's comment says 48, which is wrong)");
    println!("list_sum = {sum}");

    let n = 10;
    let (mut sum, mut i) = (0, 1);
    while i <= n {
        sum += i;
        i += 1;
    }
    println!("The sum is {sum}");
    println!("sum_1_to_10 = {sum}");
}

// 13. The 2nd edition's lists.py: replace elements, a dictionary, a tuple, and a
//     function stored in a variable. Python's values carry their type; here one
//     enum holds the kinds the listing uses, as keys and as values.
#[derive(Clone, PartialEq)]
enum Value {
    Text(&'static str),
    Int(i64),
    Float(f64),
}

impl Value {
    /// Python's `repr`, used inside a list or a dict: strings in quotes.
    fn repr(&self) -> String {
        match self {
            Value::Text(s) => format!("'{s}'"),
            other => other.to_string(),
        }
    }
}

/// Python's `str`, what `print(x)` shows: strings without quotes.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Value::Text(s) => write!(f, "{s}"),
            Value::Int(n) => write!(f, "{n}"),
            Value::Float(x) => write!(f, "{x}"),
        }
    }
}

/// A dict that, like Python's (since 3.7), keeps its keys in insertion order.
/// `HashMap` has no order and `BTreeMap` sorts; the `indexmap` crate is the
/// full-featured version of this. A handful of pairs need no more than a `Vec`.
struct Dict(Vec<(Value, Value)>);

impl Dict {
    /// `d[key] = value`: replace the value of a key already there, in its place,
    /// or add the pair at the end.
    fn set(&mut self, key: Value, value: Value) {
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => *v = value,
            None => self.0.push((key, value)),
        }
    }

    /// `d[key]`.
    fn get(&self, key: &Value) -> Option<&Value> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

/// `print(d)`: `{'Key 1': 'value 1', 2: 3}`.
impl fmt::Display for Dict {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let pairs: Vec<String> = self.0.iter().map(|(k, v)| format!("{}: {}", k.repr(), v.repr())).collect();
        write!(f, "{{{}}}", pairs.join(", "))
    }
}

#[allow(clippy::approx_constant)] // 3.14 is the listing's plain number, not π
fn lists_2nd_edition() {
    section("13. lists, dictionaries, tuples (2nd edition lists.py)");
    let mut mylist = vec![Value::Text("element 1"), Value::Int(2), Value::Float(3.14)];
    mylist[0] = Value::Text("yet element 1");
    println!("mylist[0] = {}", mylist[0]);
    let last = mylist.len() - 1;
    mylist[last] = Value::Float(3.15);
    println!("mylist[-1] = {}", mylist[last]);

    // {"Key 1": "value 1", 2: 3, "pi": 3.14}: a string key, an int key, in this order.
    let mut mydict = Dict(Vec::new());
    mydict.set(Value::Text("Key 1"), Value::Text("value 1"));
    mydict.set(Value::Int(2), Value::Int(3));
    mydict.set(Value::Text("pi"), Value::Float(3.14));
    println!("mydict = {mydict}");
    mydict.set(Value::Text("pi"), Value::Float(3.15));
    if let Some(pi) = mydict.get(&Value::Text("pi")) {
        println!("mydict[\"pi\"] = {pi}");
    }

    let mytuple = (1, 2, 3);
    println!("mytuple = {mytuple:?}");

    let myfunc = Vec::<Value>::len;
    println!("myfunc(&mylist) = {}", myfunc(&mylist));
}

// 14. Files: write two lines, read them back. The file lives in a temporary
//     directory that is removed when `dir` is dropped at the end of the function.
fn files() -> io::Result<()> {
    section("14. files (2nd edition file.py)");
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("test.txt");
    {
        let mut f = fs::File::create(&path)?;
        f.write_all(b"first line of file \n")?;
        f.write_all(b"second line of file \n")?;
    } // `f` is closed here, like Python's f.close().
    let content = fs::read_to_string(&path)?;
    print!("{content}");
    println!("file_lines = {}", content.lines().count());
    dir.close()?; // removes the directory; dropping `dir` would too, ignoring errors
    Ok(())
}
// ANCHOR_END: listing
