//! The HTTP layer alone (no Python): malformed requests, oversized heads, pipelining,
//! graceful shutdown and panics at the request boundary.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use bustapi_runtime::server::{self, Bind, HttpConfig, Listener};

fn start(
    app: axum::Router,
) -> (
    u16,
    tokio::sync::oneshot::Sender<()>,
    std::thread::JoinHandle<()>,
) {
    let std_listener = Listener::bind(&Bind::Tcp {
        host: "127.0.0.1".into(),
        port: 0,
        reuse_port: false,
    })
    .unwrap();
    let port = std_listener.local_addr().unwrap().port();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let handle = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = Listener::Tcp(tokio::net::TcpListener::from_std(std_listener).unwrap());
            server::serve(listener, app, HttpConfig::default(), async {
                let _ = rx.await;
            })
            .await;
        });
    });
    (port, tx, handle)
}

fn exchange(port: u16, data: &[u8]) -> String {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(3))).unwrap();
    s.write_all(data).unwrap();
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

fn app() -> axum::Router {
    axum::Router::new()
        .route("/", axum::routing::get(|| async { "hello" }))
        .route(
            "/panic",
            axum::routing::get(|| async {
                if true {
                    panic!("boom")
                }
                "unreachable"
            }),
        )
        .layer(tower_http::catch_panic::CatchPanicLayer::new())
}

#[test]
fn malformed_requests_get_400_and_431() {
    let (port, stop, handle) = start(app());
    assert!(exchange(port, b"THIS IS NOT HTTP\r\n\r\n").starts_with("HTTP/1.1 400"));
    assert!(
        exchange(port, b"GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n")
            .starts_with("HTTP/1.1 400")
    );
    let big = format!(
        "GET / HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "a".repeat(200_000)
    );
    assert!(exchange(port, big.as_bytes()).starts_with("HTTP/1.1 431"));
    assert!(exchange(
        port,
        b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .ends_with("hello"));
    stop.send(()).unwrap();
    handle.join().unwrap();
}

#[test]
fn pipelined_requests_are_answered_in_order() {
    let (port, stop, handle) = start(app());
    let one = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    let out = exchange(
        port,
        format!("{one}{one}{one}GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes(),
    );
    assert_eq!(out.matches("HTTP/1.1 200 OK").count(), 4);
    stop.send(()).unwrap();
    handle.join().unwrap();
}

#[test]
fn panic_in_a_handler_is_a_500_and_serving_goes_on() {
    let (port, stop, handle) = start(app());
    assert!(exchange(
        port,
        b"GET /panic HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .starts_with("HTTP/1.1 500"));
    assert!(exchange(
        port,
        b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .ends_with("hello"));
    stop.send(()).unwrap();
    handle.join().unwrap();
}
