//! The region a request is for, read from its SigV4 credential scope.
//!
//! `Authorization: AWS4-HMAC-SHA256 Credential=AKID/20240101/us-west-2/sagemaker/aws4_request, ...`
//! The signature itself is not checked here: with `auth = none` (the default) the scope
//! is trusted as sent; with `auth = sigv4` the server verifies it first (`server::auth`).

/// The region named in an Authorization header's credential scope, if it has a sane one.
pub(crate) fn region_of(authorization: Option<&str>) -> Option<String> {
    let header = authorization?;
    let credential = header
        .split([',', ' '])
        .find_map(|part| part.trim().strip_prefix("Credential="))?;
    let region = credential.split('/').nth(2)?;
    let sane = !region.is_empty()
        && region.len() <= 32
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    sane.then(|| region.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_region_comes_from_the_credential_scope() {
        let header = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/eu-west-1/sagemaker/aws4_request, SignedHeaders=host, Signature=abc";
        assert_eq!(region_of(Some(header)), Some("eu-west-1".to_owned()));
    }

    #[test]
    fn a_missing_or_odd_scope_gives_no_region() {
        assert_eq!(region_of(None), None);
        assert_eq!(region_of(Some("Bearer x")), None);
        assert_eq!(
            region_of(Some("AWS4-HMAC-SHA256 Credential=A/d/EU WEST/s/r")),
            None
        );
    }
}
