//! Where the proxy forwards: Amazon SageMaker in a region, or any HTTP(S) endpoint.

use std::fmt;

use super::ProxyError;
use crate::recording::Source;

/// The endpoint requests are forwarded to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Upstream {
    /// Amazon SageMaker's regional endpoint, over HTTPS.
    Aws,
    /// An endpoint given as `http://host[:port]` or `https://host[:port]`.
    Url(String),
}

impl Upstream {
    /// `aws`, or an `http://`/`https://` URL (a trailing `/` is dropped).
    pub fn parse(text: &str) -> Result<Upstream, ProxyError> {
        if text == "aws" {
            return Ok(Upstream::Aws);
        }
        let bad = |problem: &str| ProxyError::BadUpstream {
            upstream: text.to_owned(),
            problem: problem.to_owned(),
        };
        let rest = text
            .strip_prefix("http://")
            .or_else(|| text.strip_prefix("https://"))
            .ok_or_else(|| bad("give `aws` or an http:// or https:// URL"))?;
        let authority = rest.trim_end_matches('/');
        if authority.is_empty() || authority.contains('/') {
            return Err(bad(
                "give the endpoint's scheme, host and port only, without a path",
            ));
        }
        Ok(Upstream::Url(text.trim_end_matches('/').to_owned()))
    }

    /// The base URL for `region`, without a trailing `/`.
    pub fn base_url(&self, region: &str) -> String {
        match self {
            Upstream::Aws => format!("https://api.sagemaker.{region}.amazonaws.com"),
            Upstream::Url(url) => url.clone(),
        }
    }

    /// The `host[:port]` the upstream is addressed by, which the signature covers.
    pub fn authority(&self, region: &str) -> String {
        let base = self.base_url(region);
        base.split_once("://")
            .map_or(base.as_str(), |(_, rest)| rest)
            .to_owned()
    }

    /// What a recording made through this upstream says answered it: `aws` only for
    /// Amazon SageMaker itself.
    pub fn source(&self) -> Source {
        match self {
            Upstream::Aws => Source::Aws,
            Upstream::Url(_) => Source::Url,
        }
    }
}

impl fmt::Display for Upstream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Upstream::Aws => f.write_str("aws"),
            Upstream::Url(url) => f.write_str(url),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aws_is_the_regional_sagemaker_endpoint_over_https() -> Result<(), ProxyError> {
        let upstream = Upstream::parse("aws")?;
        assert_eq!(
            upstream.base_url("eu-west-1"),
            "https://api.sagemaker.eu-west-1.amazonaws.com"
        );
        assert_eq!(
            upstream.authority("eu-west-1"),
            "api.sagemaker.eu-west-1.amazonaws.com"
        );
        assert_eq!(upstream.source(), Source::Aws);
        Ok(())
    }

    #[test]
    fn a_url_keeps_its_port_and_loses_a_trailing_slash() -> Result<(), ProxyError> {
        let upstream = Upstream::parse("http://127.0.0.1:4566/")?;
        assert_eq!(upstream.base_url("us-east-1"), "http://127.0.0.1:4566");
        assert_eq!(upstream.authority("us-east-1"), "127.0.0.1:4566");
        assert_eq!(upstream.source(), Source::Url);
        Ok(())
    }

    #[test]
    fn a_url_with_a_path_or_another_scheme_is_refused() {
        for bad in ["ftp://host", "127.0.0.1:4566", "http://host/api", "http://"] {
            assert!(Upstream::parse(bad).is_err(), "{bad} was accepted");
        }
    }
}
