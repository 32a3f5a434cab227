//! An HTTPS upstream as AWS is one: the emulator in-process behind TLS on 127.0.0.1 with
//! a loopback certificate (rcgen) and SigV4 checking on, accepting one key only.

use std::path::Path;
use std::sync::Arc;

use bytes::Bytes;
use cjh_emulator::{AuthMode, Credential, Emulator, Settings};
use http_body_util::{BodyExt, Full};
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

use super::Keys;

/// Starts the upstream with `settings`, writes its certificate to `ca` (for
/// `SSL_CERT_FILE`), and returns its `https://127.0.0.1:PORT` URL. It serves until the
/// test's runtime ends.
pub(crate) async fn https_emulator(
    ca: &Path,
    keys: Keys,
    account: &str,
    settings: Settings,
) -> String {
    let rcgen::CertifiedKey { cert, signing_key } =
        rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned(), "localhost".to_owned()])
            .unwrap();
    std::fs::write(ca, cert.pem()).unwrap();
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(signing_key.serialize_der().into());
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(vec![cert.der().clone()], key)
    .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let emulator = Arc::new(
        Emulator::builder()
            .settings(settings)
            .auth(AuthMode::Sigv4)
            .credential(Credential::new(keys.id, keys.secret, account))
            .build(),
    );
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "https://127.0.0.1:{}",
        listener.local_addr().unwrap().port()
    );
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            let (acceptor, emulator) = (acceptor.clone(), Arc::clone(&emulator));
            tokio::spawn(async move {
                // A refused handshake (an untrusting client) just ends the connection.
                let Ok(tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let service = service_fn(move |request: http::Request<hyper::body::Incoming>| {
                    let emulator = Arc::clone(&emulator);
                    async move {
                        let (parts, body) = request.into_parts();
                        let body = body.collect().await?.to_bytes();
                        let answer = emulator
                            .handle(http::Request::from_parts(parts, body))
                            .await;
                        Ok::<_, hyper::Error>(answer.map(Full::<Bytes>::new))
                    }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(tls), service)
                    .await;
            });
        }
    });
    url
}
