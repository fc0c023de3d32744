//! A loopback HTTP server that answers slowly, and the smallest HTTP clients:
//! what `async_web_requests` (and the chapter's lab) fetch from, with no outside
//! network.
//!
//! [`Server`] answers every `GET /path` after a fixed latency with a small page
//! whose title is the path, and [`SLOW_PATH`] after a longer one. It runs on a
//! thread of its own, as a tokio `current_thread` runtime: one thread, and one
//! task per connection, so it waits for any number of clients at the same time.
//! It counts the connections it is serving, and remembers the most it served at
//! once ([`Server::max_concurrent`]): the client's concurrency, seen from the
//! other end of the socket. A client that goes away while it waits (a client's
//! timeout) is noticed at once and no longer counted.
//!
//! The clients speak just enough HTTP/1.1: one request per connection
//! (`Connection: close`), read to the end. [`get_blocking`] uses
//! `std::net::TcpStream` and blocks its thread; [`get`] uses
//! `tokio::net::TcpStream` and gives the thread away at every wait.
//!
//! ```
//! use std::time::Duration;
//! use ch04_async::web::{Server, get_blocking};
//! let server = Server::start(Duration::from_millis(10), Duration::from_secs(5)).unwrap();
//! let page = get_blocking(server.addr(), "/7", Duration::from_secs(5)).unwrap();
//! assert_eq!((page.status, page.title.as_str()), (200, "/7"));
//! assert_eq!(server.max_concurrent(), 1);
//! ```

use std::fmt;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::oneshot;

/// The path that the server answers after its slow latency.
pub const SLOW_PATH: &str = "/slow";

/// The most a client reads of an answer, and a server of a request head.
const MAX_BYTES: u64 = 64 * 1024;
/// How long the server waits for a request head before it gives up on a client.
const HEAD_TIMEOUT: Duration = Duration::from_secs(10);

/// The server's counts, shared with its connection tasks.
#[derive(Debug, Default)]
struct Counts {
    in_flight: AtomicUsize,
    max: AtomicUsize,
    served: AtomicUsize,
}

/// One connection being served; dropping it stops counting it.
struct InFlight<'a>(&'a Counts);

impl<'a> InFlight<'a> {
    fn enter(counts: &'a Counts) -> InFlight<'a> {
        let now = counts.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        counts.max.fetch_max(now, Ordering::SeqCst);
        InFlight(counts)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The loopback server. Dropping it stops it and joins its thread.
pub struct Server {
    addr: SocketAddr,
    counts: Arc<Counts>,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Listen on 127.0.0.1, on a free port: every `GET` is answered after
    /// `latency`, a `GET` of [`SLOW_PATH`] after `slow`.
    pub fn start(latency: Duration, slow: Duration) -> io::Result<Server> {
        let listener = std::net::TcpListener::bind(("127.0.0.1", 0))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        let counts = Arc::new(Counts::default());
        let (shutdown, stop) = oneshot::channel();
        let c = Arc::clone(&counts);
        let thread = thread::Builder::new().name("http-server".into()).spawn(move || {
            runtime.block_on(serve(listener, latency, slow, c, stop));
            // Dropping the runtime here cancels the connections still waiting.
        })?;
        Ok(Server { addr, counts, shutdown: Some(shutdown), thread: Some(thread) })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The most connections it was serving at one time, since it started or
    /// since [`Server::reset`].
    pub fn max_concurrent(&self) -> usize {
        self.counts.max.load(Ordering::SeqCst)
    }

    /// Requests answered so far.
    pub fn served(&self) -> usize {
        self.counts.served.load(Ordering::SeqCst)
    }

    /// Connections being served now.
    pub fn in_flight(&self) -> usize {
        self.counts.in_flight.load(Ordering::SeqCst)
    }

    /// Wait (at most `limit`) until no connection is being served, then start
    /// counting the maximum afresh. False if some were still open at the limit.
    pub fn reset(&self, limit: Duration) -> bool {
        let start = Instant::now();
        while self.in_flight() > 0 && start.elapsed() < limit {
            thread::sleep(Duration::from_millis(1));
        }
        let idle = self.in_flight() == 0;
        self.counts.max.store(self.in_flight(), Ordering::SeqCst);
        idle
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.shutdown.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn serve(
    listener: std::net::TcpListener,
    latency: Duration,
    slow: Duration,
    counts: Arc<Counts>,
    mut stop: oneshot::Receiver<()>,
) {
    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else { return };
    loop {
        tokio::select! {
            _ = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let counts = Arc::clone(&counts);
                    tokio::spawn(async move {
                        let _ = answer(stream, latency, slow, &counts).await;
                    });
                }
                // Out of file descriptors and the like: back off a little.
                Err(_) => tokio::time::sleep(Duration::from_millis(1)).await,
            },
        }
    }
}

/// Serve one connection: read the request head, wait, answer.
async fn answer(
    mut stream: tokio::net::TcpStream,
    latency: Duration,
    slow: Duration,
    counts: &Counts,
) -> io::Result<()> {
    let in_flight = InFlight::enter(counts);
    let head = tokio::time::timeout(HEAD_TIMEOUT, read_head(&mut stream)).await??;
    let mut words = head.split_whitespace();
    let response = match (words.next(), words.next()) {
        (Some("GET"), Some(path)) => {
            let wait = if path == SLOW_PATH { slow } else { latency };
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = closed(&mut stream) => return Ok(()), // the client gave up
            }
            let body = page(path);
            format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            )
        }
        _ => "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_string(),
    };
    stream.write_all(response.as_bytes()).await?;
    counts.served.fetch_add(1, Ordering::SeqCst);
    // Stop counting before the client can see the end of the answer, so that a
    // client that waits for one answer before it asks again is never counted twice.
    drop(in_flight);
    stream.shutdown().await
}

/// The request's first line, once the whole head (up to the blank line) is in.
async fn read_head(stream: &mut tokio::net::TcpStream) -> io::Result<String> {
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf).await?;
        if n == 0 || head.len() as u64 > MAX_BYTES {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "no complete request head"));
        }
        head.extend_from_slice(&buf[..n]);
    }
    let text = String::from_utf8_lossy(&head);
    Ok(text.lines().next().unwrap_or_default().to_string())
}

/// Ends when the client closes its side (or the connection fails).
async fn closed(stream: &mut tokio::net::TcpStream) {
    let mut buf = [0u8; 256];
    while let Ok(n) = stream.read(&mut buf).await {
        if n == 0 {
            return;
        }
    }
}

/// The page for `path`: its title is the path.
fn page(path: &str) -> String {
    let path: String = path.chars().filter(|c| c.is_ascii_graphic() && !"<>&".contains(*c)).collect();
    format!("<html><head><title>{path}</title></head><body><p>page {path} of the loopback server</p></body></html>\n")
}

/// A fetched page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub status: u16,
    /// The text of its `<title>`, empty if it has none.
    pub title: String,
}

/// Why a fetch failed.
#[derive(Debug)]
pub enum FetchError {
    /// No answer within the time limit.
    Timeout,
    Io(io::Error),
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FetchError::Timeout => f.write_str("timed out"),
            FetchError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl From<io::Error> for FetchError {
    fn from(e: io::Error) -> FetchError {
        match e.kind() {
            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => FetchError::Timeout,
            _ => FetchError::Io(e),
        }
    }
}

fn request(addr: SocketAddr, path: &str) -> String {
    format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n")
}

/// `GET path` from `addr`, blocking this thread, with the whole exchange
/// bounded by `timeout`.
pub fn get_blocking(addr: SocketAddr, path: &str, timeout: Duration) -> Result<Page, FetchError> {
    let deadline = Instant::now() + timeout;
    let left = || deadline.checked_duration_since(Instant::now()).filter(|d| !d.is_zero()).ok_or(FetchError::Timeout);
    let mut stream = TcpStream::connect_timeout(&addr, left()?)?;
    stream.set_write_timeout(Some(left()?))?;
    stream.write_all(request(addr, path).as_bytes())?;
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        // A read timeout bounds one read; the deadline bounds them all.
        stream.set_read_timeout(Some(left()?))?;
        let n = stream.read(&mut buf)?;
        if n == 0 || answer.len() as u64 > MAX_BYTES {
            break;
        }
        answer.extend_from_slice(&buf[..n]);
    }
    Ok(parse(&answer)?)
}

/// `GET path` from `addr` on tokio: every wait gives the thread back to the
/// runtime. Bound it with `tokio::time::timeout`.
pub async fn get(addr: SocketAddr, path: &str) -> io::Result<Page> {
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    stream.write_all(request(addr, path).as_bytes()).await?;
    let mut answer = Vec::new();
    (&mut stream).take(MAX_BYTES).read_to_end(&mut answer).await?;
    parse(&answer)
}

/// The status and title of an HTTP answer.
fn parse(answer: &[u8]) -> io::Result<Page> {
    let text = String::from_utf8_lossy(answer);
    let bad = |what: &str| io::Error::new(io::ErrorKind::InvalidData, format!("{what} in the answer"));
    let status_line = text.lines().next().ok_or_else(|| bad("no status line"))?;
    let status = match status_line.split_whitespace().collect::<Vec<_>>()[..] {
        [version, code, ..] if version.starts_with("HTTP/1.") => code.parse().map_err(|_| bad("a bad status"))?,
        _ => return Err(bad("a bad status line")),
    };
    let title = text
        .split_once("<title>")
        .and_then(|(_, rest)| rest.split_once("</title>"))
        .map(|(t, _)| t.to_string())
        .unwrap_or_default();
    Ok(Page { status, title })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_name_their_path() {
        let server = Server::start(Duration::ZERO, Duration::ZERO).unwrap();
        for path in ["/0", "/12", SLOW_PATH] {
            let page = get_blocking(server.addr(), path, Duration::from_secs(10)).unwrap();
            assert_eq!(page, Page { status: 200, title: path.to_string() });
        }
        assert_eq!(server.served(), 3);
        assert_eq!(server.max_concurrent(), 1);
    }

    #[test]
    fn the_server_counts_concurrent_clients() {
        let server = Server::start(Duration::from_millis(300), Duration::from_secs(30)).unwrap();
        let addr = server.addr();
        thread::scope(|s| {
            for i in 0..4 {
                s.spawn(move || get_blocking(addr, &format!("/{i}"), Duration::from_secs(10)).unwrap());
            }
        });
        assert!(server.max_concurrent() >= 2, "max_concurrent = {}", server.max_concurrent());
        assert!(server.max_concurrent() <= 4);
        assert!(server.reset(Duration::from_secs(5)));
        assert_eq!(server.max_concurrent(), 0);
    }

    #[test]
    fn a_slow_answer_times_out_and_is_no_longer_counted() {
        let server = Server::start(Duration::ZERO, Duration::from_secs(30)).unwrap();
        let err = get_blocking(server.addr(), SLOW_PATH, Duration::from_millis(100)).unwrap_err();
        assert!(matches!(err, FetchError::Timeout), "{err}");
        assert!(server.reset(Duration::from_secs(5)), "the abandoned connection is still counted");
        assert_eq!(server.served(), 0);
    }

    #[test]
    fn the_async_client_reads_the_same_page() {
        let server = Server::start(Duration::ZERO, Duration::ZERO).unwrap();
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let page = rt.block_on(get(server.addr(), "/async")).unwrap();
        assert_eq!(page, Page { status: 200, title: "/async".to_string() });
    }

    #[test]
    fn bad_answers_are_errors() {
        assert!(parse(b"").is_err());
        assert!(parse(b"SMTP ready\r\n").is_err());
        assert_eq!(parse(b"HTTP/1.1 404 Not Found\r\n\r\n").unwrap(), Page { status: 404, title: String::new() });
    }
}
