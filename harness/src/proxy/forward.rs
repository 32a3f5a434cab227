//! One request through the proxy: the client's signature dropped, the request signed
//! again for the upstream, sent, and the answer handed back as it came.

use std::time::Duration;

use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;

use super::{ProxyError, Upstream};
use crate::exchange::{Body, Exchange, Headers, Request, Response};
use crate::targets::{SIGNING_NAME, Signer, https_client};

/// The client's signing headers: they sign the proxy's Host with the client's keys, so
/// they are dropped and made again.
pub const DROPPED_HEADERS: &[&str] = &[
    "authorization",
    "x-amz-date",
    "x-amz-security-token",
    "x-amz-content-sha256",
];

/// Headers of one hop (RFC 9110 section 7.6.1) and the framing the proxy sets itself.
const HOP_HEADERS: &[&str] = &[
    "host",
    "connection",
    "keep-alive",
    "proxy-connection",
    "proxy-authorization",
    "proxy-authenticate",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "content-length",
];

/// How long a connection to the upstream may take to open.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The service a SigV4 `Authorization` header's credential scope names
/// (`Credential=AKID/20260101/us-east-1/sagemaker/aws4_request`), if any.
pub fn signing_name_of(authorization: &str) -> Option<&str> {
    let credential = authorization
        .split([',', ' '])
        .find_map(|part| part.trim().strip_prefix("Credential="))?;
    let mut scope = credential.split('/');
    let service = scope.nth(3)?;
    (scope.next() == Some("aws4_request") && !service.is_empty()).then_some(service)
}

/// Sends requests to the upstream, signed.
#[derive(Debug)]
pub(super) struct Forwarder {
    client: Client<HttpsConnector<HttpConnector>, Full<Bytes>>,
    /// Asked per request: it hands out cached credentials and fetches new ones shortly
    /// before they expire, so a session can outlive one set of temporary credentials.
    credentials: SharedCredentialsProvider,
    region: String,
    base_url: String,
    authority: String,
    timeout: Duration,
}

/// What one request came to: the answer for the client, and the exchange to record
/// when the upstream gave that answer (none when the proxy answered itself).
#[derive(Debug)]
pub(super) struct Forwarded {
    pub(super) answer: http::Response<Full<Bytes>>,
    pub(super) exchange: Option<Exchange>,
}

impl Forwarder {
    pub(super) fn new(
        upstream: &Upstream,
        region: &str,
        credentials: SharedCredentialsProvider,
        timeout: Duration,
    ) -> Result<Forwarder, ProxyError> {
        let mut http = HttpConnector::new();
        http.set_connect_timeout(Some(CONNECT_TIMEOUT));
        http.set_nodelay(true);
        Ok(Forwarder {
            client: https_client(http).map_err(ProxyError::Client)?,
            credentials,
            region: region.to_owned(),
            base_url: upstream.base_url(region),
            authority: upstream.authority(region),
            timeout,
        })
    }

    /// The upstream's base URL.
    pub(super) fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Forwards one client request; never fails: what goes wrong becomes an AWS-shaped
    /// answer from the proxy.
    pub(super) async fn forward(&self, parts: http::request::Parts, body: Bytes) -> Forwarded {
        let signer = match self.credentials.provide_credentials().await {
            Ok(credentials) => Signer::new(credentials, &self.region),
            Err(error) => {
                // Retryable for the client: a refresh that failed (STS or the container
                // endpoint briefly away) may succeed on the next request.
                let problem = format!("no credentials to sign with: {}", chain(&error));
                return own_answer(503, "CredentialsUnavailable", &problem);
            }
        };
        let (outgoing, sent) = match self.outgoing(&parts, &body, signer) {
            Ok(pair) => pair,
            Err(problem) => return own_answer(500, "InternalFailure", &problem),
        };
        let answered = tokio::time::timeout(self.timeout, async {
            let response = self.client.request(outgoing).await?;
            let (head, body) = response.into_parts();
            let body = body.collect().await?.to_bytes();
            Ok::<_, Box<dyn std::error::Error + Send + Sync>>((head, body))
        })
        .await;
        let (head, body) = match answered {
            Ok(Ok(pair)) => pair,
            Ok(Err(error)) => {
                let problem = format!("cannot reach {}: {}", self.base_url, chain(&*error));
                return own_answer(502, "UpstreamUnreachable", &problem);
            }
            Err(_) => {
                let problem = format!(
                    "{} did not answer within {} s",
                    self.base_url,
                    self.timeout.as_secs_f64()
                );
                return own_answer(504, "UpstreamTimeout", &problem);
            }
        };
        let exchange = Exchange {
            request: sent,
            response: Response {
                status: head.status.as_u16(),
                headers: Headers::from_http(&head.headers),
                body: Body::from_bytes(&body),
            },
        };
        let mut answer = http::Response::new(Full::new(body));
        *answer.status_mut() = head.status;
        for (name, value) in &head.headers {
            if !HOP_HEADERS.contains(&name.as_str()) {
                answer.headers_mut().append(name, value.clone());
            }
        }
        Forwarded {
            answer,
            exchange: Some(exchange),
        }
    }

    /// The request for the upstream, signed, and the same request as recorded.
    fn outgoing(
        &self,
        parts: &http::request::Parts,
        body: &Bytes,
        signer: Signer,
    ) -> Result<(http::Request<Full<Bytes>>, Request), String> {
        let path = parts
            .uri
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_owned();
        let name = parts
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(signing_name_of)
            .unwrap_or(SIGNING_NAME)
            .to_owned();
        let mut builder = http::Request::builder()
            .method(parts.method.clone())
            .uri(format!("{}{path}", self.base_url))
            .header("host", &self.authority);
        for (header, value) in &parts.headers {
            let header = header.as_str();
            if !DROPPED_HEADERS.contains(&header) && !HOP_HEADERS.contains(&header) {
                builder = builder.header(header, value);
            }
        }
        let mut request = builder
            .body(Full::new(body.clone()))
            .map_err(|e| format!("cannot rebuild the request: {e}"))?;
        signer
            .with_signing_name(&name)
            .sign(&mut request, body)
            .map_err(|e| format!("cannot sign the request: {e}"))?;
        let sent = Request {
            method: parts.method.to_string(),
            path,
            headers: Headers::from_http(request.headers()),
            body: Body::from_bytes(body),
        };
        Ok((request, sent))
    }
}

/// Every cause of an error, outermost first: hyper's "client error (Connect)" alone
/// does not say the connection was refused.
fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut words = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        words.push_str(": ");
        words.push_str(&cause.to_string());
        source = cause.source();
    }
    words
}

/// An answer the proxy gives itself, in the AWS JSON 1.1 error shape, so an SDK
/// reports it like any service error instead of failing to parse HTML or hanging.
pub(super) fn own_answer(status: u16, code: &str, problem: &str) -> Forwarded {
    let body = serde_json::json!({
        "__type": code,
        "message": format!("cjh proxy: {problem}"),
    })
    .to_string();
    let mut answer = http::Response::new(Full::new(Bytes::from(body)));
    *answer.status_mut() =
        http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::BAD_GATEWAY);
    let headers = answer.headers_mut();
    headers.insert(
        "content-type",
        http::HeaderValue::from_static(cjh_emulator::CONTENT_TYPE),
    );
    if let Ok(value) = http::HeaderValue::from_str(code) {
        headers.insert("x-amzn-errortype", value);
    }
    if let Ok(value) = http::HeaderValue::from_str(&uuid::Uuid::new_v4().to_string()) {
        headers.insert("x-amzn-requestid", value);
    }
    Forwarded {
        answer,
        exchange: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signing_name_is_the_fourth_part_of_the_credential_scope() {
        let header = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/sagemaker/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc";
        assert_eq!(signing_name_of(header), Some("sagemaker"));
        let sts = "AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-1/sts/aws4_request,SignedHeaders=host,Signature=0";
        assert_eq!(signing_name_of(sts), Some("sts"));
    }

    #[test]
    fn a_header_without_a_full_scope_names_no_service() {
        assert_eq!(signing_name_of("Bearer token"), None);
        assert_eq!(
            signing_name_of("AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1"),
            None
        );
    }

    #[test]
    fn the_proxys_own_answer_is_an_aws_json_error() {
        let own = own_answer(
            502,
            "UpstreamUnreachable",
            "cannot reach http://127.0.0.1:9",
        );
        assert!(own.exchange.is_none());
        assert_eq!(own.answer.status().as_u16(), 502);
        let headers = own.answer.headers();
        assert_eq!(headers["x-amzn-errortype"], "UpstreamUnreachable");
        assert_eq!(headers["content-type"], cjh_emulator::CONTENT_TYPE);
        assert!(headers.contains_key("x-amzn-requestid"));
    }
}
