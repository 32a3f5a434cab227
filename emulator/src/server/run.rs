//! The accept loop: HTTP/1.1 with keep-alive, one task per connection, and a graceful
//! stop that lets requests in flight finish.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::service::Service;

use super::control::ControlAccess;
use super::http::handle;
use super::limits::{Connections, hard_limits};
use super::overload::refuse;

/// How long connections may take to finish after a stop is requested.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(5);

/// Serves `service` on `listener` until `shutdown` completes, then drains connections;
/// `access` guards the control endpoints.
pub async fn serve(
    listener: TcpListener,
    service: Arc<Service>,
    access: ControlAccess,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let access = Arc::new(access);
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut connections = JoinSet::new();
    let slots = Connections::new(service.settings().max_connections);
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => stream,
                    // Running out of descriptors or a reset before accept: keep serving.
                    Err(_) => {
                        tokio::time::sleep(Duration::from_millis(10)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                // Over the connection limit: one AWS-shaped 503, then the connection closes.
                let Some(slot) = slots.acquire() else {
                    let settings = service.settings();
                    let (max, body) = (settings.max_connections, settings.max_body_bytes);
                    connections.spawn(refuse(stream, max, body));
                    while connections.try_join_next().is_some() {}
                    continue;
                };
                let (head_bytes, head_fields) = hard_limits(service.settings());
                let service = Arc::clone(&service);
                let access = Arc::clone(&access);
                let read_timeout = Duration::from_secs_f64(service.settings().read_timeout_secs);
                let mut stop = stop_rx.clone();
                connections.spawn(async move {
                    let _slot = slot;
                    let handler = service_fn(move |request| {
                        handle(Arc::clone(&service), Arc::clone(&access), request)
                    });
                    // The read timeout covers a client that stalls before its headers are in
                    // (slowloris); the handler covers the body.
                    let connection = http1::Builder::new()
                        .timer(TokioTimer::new())
                        .header_read_timeout(read_timeout)
                        .keep_alive(true)
                        .max_header_size(head_bytes)
                        .max_headers(head_fields)
                        .serve_connection(TokioIo::new(stream), handler);
                    tokio::pin!(connection);
                    tokio::select! {
                        _ = connection.as_mut() => {}
                        _ = stop.changed() => {
                            connection.as_mut().graceful_shutdown();
                            let _ = connection.await;
                        }
                    }
                });
                // Reap finished connection tasks so the set does not grow without bound.
                while connections.try_join_next().is_some() {}
            }
        }
    }
    drop(listener);
    let _ = stop_tx.send(true);
    let _ = tokio::time::timeout(DRAIN_TIMEOUT, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    Ok(())
}
