//! Any endpoint over HTTP or HTTPS (Amazon SageMaker itself, with the system's root
//! certificates). Requests are SigV4-signed when a signer is given; otherwise
//! they carry an unsigned Authorization header with a credential scope, which some
//! emulators (moto) route on.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_rustls::{HttpsConnector, HttpsConnectorBuilder};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

use super::sign::Signer;
use crate::exchange::{Body, Exchange, Headers, Request, Response};

use super::{BoxFuture, Target, TargetError};

fn scope(region: &str) -> String {
    format!(
        "AWS4-HMAC-SHA256 Credential=AKIDCJHHARNESS/20260101/{region}/sagemaker/aws4_request, \
         SignedHeaders=content-type;host;x-amz-target, \
         Signature=0000000000000000000000000000000000000000000000000000000000000000"
    )
}

/// An HTTP/1.1 client for `http://` and `https://` endpoints over `http` (rustls with
/// ring and the system's root certificates, no second crypto stack): the one the URL
/// target and `cjh proxy` share, each with its own connection settings.
pub fn https_client(
    mut http: HttpConnector,
) -> Result<Client<HttpsConnector<HttpConnector>, Full<Bytes>>, String> {
    http.enforce_http(false);
    let connector = HttpsConnectorBuilder::new()
        .with_provider_and_native_roots(rustls::crypto::ring::default_provider())
        .map_err(|e| format!("cannot load the system's root certificates: {e}"))?
        .https_or_http()
        .enable_http1()
        .wrap_connector(http);
    Ok(Client::builder(TokioExecutor::new()).build(connector))
}

/// An HTTP endpoint.
#[derive(Debug)]
pub struct UrlTarget {
    url: String,
    host: String,
    client: Client<HttpsConnector<HttpConnector>, Full<Bytes>>,
    signer: Option<Signer>,
    /// The unsigned requests' credential scope, which names their region.
    scope: String,
}

impl UrlTarget {
    /// A target for `url` (`http://host:port` or `https://host`), signing with
    /// `signer` if given.
    pub fn new(url: &str, signer: Option<Signer>) -> Result<UrlTarget, TargetError> {
        let refuse = |problem: String| TargetError {
            target: url.to_owned(),
            problem,
        };
        let Some(rest) = url
            .strip_prefix("http://")
            .or_else(|| url.strip_prefix("https://"))
        else {
            return Err(refuse(
                "only http:// and https:// endpoints are supported".to_owned(),
            ));
        };
        let host = rest.split('/').next().unwrap_or_default().to_owned();
        let client = https_client(HttpConnector::new()).map_err(refuse)?;
        Ok(UrlTarget {
            url: url.to_owned(),
            host,
            client,
            signer,
            scope: scope("us-east-1"),
        })
    }

    /// The same target in another region: signed requests are signed for it, unsigned
    /// ones carry it in their credential scope, so an endpoint that keeps jobs per region
    /// (AWS, cjh) gives each region's runs a partition of their own.
    pub fn in_region(mut self, region: &str) -> UrlTarget {
        self.signer = self.signer.map(|signer| signer.in_region(region));
        self.scope = scope(region);
        self
    }

    fn error(&self, problem: impl std::fmt::Display) -> TargetError {
        TargetError {
            target: self.url.clone(),
            problem: problem.to_string(),
        }
    }
}

impl Target for UrlTarget {
    fn label(&self) -> String {
        self.url.clone()
    }

    /// The request goes out with its own method, path and headers, plus `host` and
    /// either the SigV4 headers or the unsigned scope; the exchange returned has every
    /// header that was on the wire, as the recorder must see them.
    fn send(&self, request: Request) -> BoxFuture<'_, Result<Exchange, TargetError>> {
        Box::pin(async move {
            let mut builder = http::Request::builder()
                .method(request.method.as_str())
                .uri(format!("{}{}", self.url, request.path))
                .header("host", &self.host);
            for (name, value) in request.headers.iter() {
                builder = builder.header(name, value);
            }
            if self.signer.is_none() && request.headers.get("authorization").is_none() {
                builder = builder.header("authorization", &self.scope);
            }
            let body = request.body.to_bytes();
            let mut http_request = builder
                .body(Full::new(Bytes::from(body.clone())))
                .map_err(|e| self.error(e))?;
            if let Some(signer) = &self.signer {
                signer
                    .sign(&mut http_request, &body)
                    .map_err(|e| self.error(format!("cannot sign: {e}")))?;
            }
            let sent = Request {
                headers: Headers::from_http(http_request.headers()),
                ..request
            };
            let response = self
                .client
                .request(http_request)
                .await
                .map_err(|e| self.error(e))?;
            let status = response.status().as_u16();
            let headers = Headers::from_http(response.headers());
            let body = response
                .into_body()
                .collect()
                .await
                .map_err(|e| self.error(e))?
                .to_bytes();
            Ok(Exchange {
                request: sent,
                response: Response {
                    status,
                    headers,
                    body: Body::from_bytes(&body),
                },
            })
        })
    }
}
