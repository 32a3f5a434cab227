//! The `Authorization` header of a SigV4 request, parsed into typed parts:
//!
//! `AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/sagemaker/aws4_request,
//! SignedHeaders=host;x-amz-date, Signature=<64 hex digits>`
//!
//! Parsing only checks the form; whether the key, the scope and the signature are right
//! is for `verify`.

use super::error::AuthError;

/// The only signing algorithm SigV4 header authentication uses.
pub(super) const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// A parsed `Authorization` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Authorization {
    /// The access key id.
    pub(super) access_key_id: String,
    /// The credential scope after the key.
    pub(super) scope: Scope,
    /// Lower-case names of the signed headers, in the order given.
    pub(super) signed_headers: Vec<String>,
    /// The signature, as sent.
    pub(super) signature: String,
}

/// `date/region/service/terminator` from the credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Scope {
    /// `YYYYMMDD`.
    pub(super) day: String,
    /// The region the request was signed for.
    pub(super) region: String,
    /// The signing name of the service.
    pub(super) service: String,
    /// Always `aws4_request` when well formed.
    pub(super) terminator: String,
}

impl Authorization {
    /// Parses the header; the errors name what is missing or malformed, as AWS does.
    pub(super) fn parse(header: &str) -> Result<Authorization, AuthError> {
        let trimmed = header.trim();
        let (algorithm, rest) = trimmed.split_once(' ').unwrap_or((trimmed, ""));
        if algorithm != ALGORITHM {
            return Err(AuthError::Algorithm(algorithm.to_owned()));
        }
        let (mut credential, mut signed_headers, mut signature) = (None, None, None);
        for part in rest.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (key, value) = part
                .split_once('=')
                .ok_or_else(|| AuthError::NotKeyValue(part.to_owned()))?;
            match key.trim() {
                "Credential" => credential = Some(value.trim()),
                "SignedHeaders" => signed_headers = Some(value.trim()),
                "Signature" => signature = Some(value.trim()),
                // AWS ignores parameters it does not know.
                _ => {}
            }
        }
        let (Some(credential), Some(signed_headers), Some(signature)) =
            (credential, signed_headers, signature)
        else {
            let missing = [
                ("Credential", credential),
                ("Signature", signature),
                ("SignedHeaders", signed_headers),
            ]
            .into_iter()
            .filter_map(|(name, value)| value.is_none().then_some(name))
            .collect();
            return Err(AuthError::MissingParts {
                missing,
                header: header.to_owned(),
            });
        };
        let parts: Vec<&str> = credential.split('/').collect();
        let [key, day, region, service, terminator] = parts.as_slice() else {
            return Err(AuthError::Credential(credential.to_owned()));
        };
        Ok(Authorization {
            access_key_id: (*key).to_owned(),
            scope: Scope {
                day: (*day).to_owned(),
                region: (*region).to_owned(),
                service: (*service).to_owned(),
                terminator: (*terminator).to_owned(),
            },
            signed_headers: signed_headers
                .split(';')
                .map(str::trim)
                .filter(|name| !name.is_empty())
                .map(str::to_ascii_lowercase)
                .collect(),
            signature: signature.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_header_splits_into_key_scope_headers_and_signature() {
        let header = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/sagemaker/aws4_request, SignedHeaders=Host;x-amz-date, Signature=5fa0";
        let parsed = Authorization::parse(header);
        let parsed = parsed.as_ref().ok();
        assert_eq!(
            parsed.map(|a| a.access_key_id.as_str()),
            Some("AKIDEXAMPLE")
        );
        assert_eq!(
            parsed.map(|a| a.scope.clone()),
            Some(Scope {
                day: "20150830".to_owned(),
                region: "us-east-1".to_owned(),
                service: "sagemaker".to_owned(),
                terminator: "aws4_request".to_owned(),
            })
        );
        assert_eq!(
            parsed.map(|a| a.signed_headers.clone()),
            Some(vec!["host".to_owned(), "x-amz-date".to_owned()])
        );
        assert_eq!(parsed.map(|a| a.signature.as_str()), Some("5fa0"));
    }

    #[test]
    fn commas_without_spaces_are_accepted() {
        let header = "AWS4-HMAC-SHA256 Credential=K/20150830/r/s/aws4_request,SignedHeaders=host,Signature=ab";
        assert!(Authorization::parse(header).is_ok());
    }

    #[test]
    fn another_scheme_or_missing_parts_are_incomplete_signatures() {
        assert_eq!(
            Authorization::parse("Bearer abc"),
            Err(AuthError::Algorithm("Bearer".to_owned()))
        );
        let header = "AWS4-HMAC-SHA256 SignedHeaders=host";
        assert_eq!(
            Authorization::parse(header),
            Err(AuthError::MissingParts {
                missing: vec!["Credential", "Signature"],
                header: header.to_owned(),
            })
        );
        assert_eq!(
            Authorization::parse(
                "AWS4-HMAC-SHA256 Credential=K/20150830/r/s, SignedHeaders=host, Signature=ab"
            ),
            Err(AuthError::Credential("K/20150830/r/s".to_owned()))
        );
    }
}
