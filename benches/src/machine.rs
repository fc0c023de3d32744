//! The machine the numbers come from, for the report's header: CPU model, cores, OS,
//! and the date (UTC, computed here, without a date crate).

use std::fs;
use std::time::{SystemTime, UNIX_EPOCH};

#[derive(Debug, Clone)]
pub struct Machine {
    pub cpu: String,
    /// logical CPUs listed in /proc/cpuinfo (0 when unknown)
    pub logical_cpus: usize,
    /// what `std::thread::available_parallelism` says this process may use
    pub available: usize,
    pub os: String,
    pub date: String,
}

impl Machine {
    pub fn detect() -> Machine {
        let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let (cpu, logical_cpus) = parse_cpuinfo(&cpuinfo);
        let available = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
        let pretty = fs::read_to_string("/etc/os-release")
            .ok()
            .and_then(|t| parse_os_release(&t))
            .unwrap_or_else(|| std::env::consts::OS.to_string());
        let kernel = fs::read_to_string("/proc/sys/kernel/osrelease")
            .map(|k| format!(", kernel {}", k.trim()))
            .unwrap_or_default();
        let os = format!("{pretty}{kernel}, {}", std::env::consts::ARCH);
        let secs = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        Machine { cpu, logical_cpus, available, os, date: utc_date_time(secs) }
    }

    /// The cores this process may use: what the ideal speed-ups are computed for.
    pub fn cores(&self) -> usize {
        match (self.available, self.logical_cpus) {
            (0, 0) => 1,
            (0, l) => l,
            (a, _) => a,
        }
    }

    pub fn cores_text(&self) -> String {
        match (self.logical_cpus, self.available) {
            (0, 0) => "unknown".into(),
            (0, a) => format!("{a} available to this process"),
            (l, a) if a == l || a == 0 => format!("{l} logical CPUs"),
            (l, a) => format!("{l} logical CPUs, {a} available to this process"),
        }
    }
}

/// The CPU model (`model name`, or what ARM kernels print instead) and the number of
/// `processor` entries.
pub fn parse_cpuinfo(text: &str) -> (String, usize) {
    let mut model = None;
    let mut count = 0;
    for line in text.lines() {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let (key, value) = (key.trim(), value.trim());
        if key == "processor" {
            count += 1;
        }
        if model.is_none()
            && matches!(key, "model name" | "Model" | "Hardware" | "cpu model" | "uarch")
            && !value.is_empty()
        {
            model = Some(value.split_whitespace().collect::<Vec<_>>().join(" "));
        }
    }
    (model.unwrap_or_else(|| "unknown CPU".into()), count)
}

pub fn parse_os_release(text: &str) -> Option<String> {
    text.lines().find_map(|l| {
        let v = l.strip_prefix("PRETTY_NAME=")?;
        Some(v.trim().trim_matches('"').to_string())
    })
}

/// `YYYY-MM-DD HH:MM UTC` from seconds since the Unix epoch (the civil-from-days
/// algorithm, proleptic Gregorian calendar).
pub fn utc_date_time(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02} {:02}:{:02} UTC", rem / 3600, rem % 3600 / 60)
}
