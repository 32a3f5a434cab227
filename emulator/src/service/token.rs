//! Page tokens (fidelity row F17): opaque, authenticated, versioned, bound to the query
//! and to the account and region that got them.
//!
//! A token carries a position (the sort key of the last job the previous page covered),
//! sealed with AES-256-GCM from `ring` (audited, and in the build already through
//! rustls) under a key derived from the `token_key` setting, so a restarted server with
//! the same key accepts old tokens. The associated data is the digest of the query and
//! the partition's ARN prefix (partition, region, account): a token opens only for the
//! query, account and region that got it, and cannot be read, forged or edited.
//!
//! The nonce is synthetic: an HMAC of a per-key counter, the associated data and the
//! payload. It differs for every token a key seals, and two equal nonces (after a
//! restart resets the counter) come only with equal plaintexts, so GCM never sees one
//! nonce over two different messages. Being derived rather than drawn, it makes a run
//! with a fixed key reproducible, token for token, which keeps recordings of scenario
//! runs stable. Tokens of version 1 (the HMAC keystream this replaced) are refused.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

const VERSION: u8 = 2;

/// A position in a sorted listing: the sort key of the last job covered.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Position {
    /// First key component (status rank, creation time or 0, by sort).
    pub major: i64,
    /// Second key component (creation time or 0).
    pub minor: i64,
    /// The name, the final tie-breaker.
    pub name: String,
}

/// The token could not be accepted; the message never says why, as AWS's does not.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid pagination token")]
pub(super) struct BadToken;

/// What a token is bound to: its query's digest, and the partition (`arn:aws:sagemaker:
/// REGION:ACCOUNT:compilation-job/`) whose listing it continues.
#[derive(Debug, Clone, Copy)]
pub(super) struct Scope<'a> {
    /// The query's digest.
    pub query: u64,
    /// The partition's ARN prefix.
    pub partition: &'a str,
}

impl Scope<'_> {
    fn associated_data(&self) -> Vec<u8> {
        let mut aad = Vec::with_capacity(9 + self.partition.len());
        aad.push(VERSION);
        aad.extend_from_slice(&self.query.to_be_bytes());
        aad.extend_from_slice(self.partition.as_bytes());
        aad
    }
}

/// Seals and opens tokens under one key.
#[derive(Clone)]
pub(super) struct TokenKey {
    aead: std::sync::Arc<LessSafeKey>,
    nonces: Vec<u8>,
    sealed: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl std::fmt::Debug for TokenKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenKey(..)")
    }
}

impl TokenKey {
    /// A key derived from a secret string.
    pub(super) fn from_secret(secret: &[u8]) -> TokenKey {
        let encrypt = mac(secret, &[b"cjh token encryption"]);
        // HMAC-SHA256 gives exactly the 32 bytes AES-256 takes.
        let key = UnboundKey::new(&AES_256_GCM, &encrypt)
            .unwrap_or_else(|_| unreachable!("a 32-byte key"));
        TokenKey {
            aead: std::sync::Arc::new(LessSafeKey::new(key)),
            nonces: mac(secret, &[b"cjh token nonce"]),
            sealed: std::sync::Arc::default(),
        }
    }

    /// A random key, for a server whose tokens need not survive a restart.
    pub(super) fn random() -> TokenKey {
        let mut secret = Vec::with_capacity(32);
        secret.extend_from_slice(uuid::Uuid::new_v4().as_bytes());
        secret.extend_from_slice(uuid::Uuid::new_v4().as_bytes());
        TokenKey::from_secret(&secret)
    }

    /// A token for `position` in the listing `scope` names.
    pub(super) fn seal(&self, scope: Scope<'_>, position: &Position) -> String {
        let mut payload = Vec::with_capacity(16 + position.name.len() + 16);
        payload.extend_from_slice(&position.major.to_be_bytes());
        payload.extend_from_slice(&position.minor.to_be_bytes());
        payload.extend_from_slice(position.name.as_bytes());
        let aad = scope.associated_data();
        let count = self
            .sealed
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let derived = mac(&self.nonces, &[&count.to_be_bytes(), &aad, &payload]);
        let mut nonce = [0u8; NONCE_LEN];
        nonce.copy_from_slice(&derived[..NONCE_LEN]);
        // Sealing fails only for a message over GCM's 64 GiB limit; a name is 63 bytes.
        if self
            .aead
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(&aad),
                &mut payload,
            )
            .is_err()
        {
            payload.clear();
        }
        let mut token = Vec::with_capacity(1 + NONCE_LEN + payload.len());
        token.push(VERSION);
        token.extend_from_slice(&nonce);
        token.extend_from_slice(&payload);
        STANDARD.encode(token)
    }

    /// The position in a token, if it is genuine and belongs to the listing `scope` names.
    pub(super) fn open(&self, scope: Scope<'_>, token: &str) -> Result<Position, BadToken> {
        let bytes = STANDARD.decode(token).map_err(|_| BadToken)?;
        if bytes.len() < 1 + NONCE_LEN + 16 + AES_256_GCM.tag_len() || bytes[0] != VERSION {
            return Err(BadToken);
        }
        let (nonce, sealed) = bytes[1..].split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| BadToken)?;
        let mut sealed = sealed.to_vec();
        let aad = scope.associated_data();
        let payload = self
            .aead
            .open_in_place(nonce, Aad::from(&aad), &mut sealed)
            .map_err(|_| BadToken)?;
        let word = |at: usize| -> Result<[u8; 8], BadToken> {
            payload
                .get(at..at + 8)
                .and_then(|s| s.try_into().ok())
                .ok_or(BadToken)
        };
        let (major, minor) = (i64::from_be_bytes(word(0)?), i64::from_be_bytes(word(8)?));
        let name = String::from_utf8(payload[16..].to_vec()).map_err(|_| BadToken)?;
        Ok(Position { major, minor, name })
    }
}

fn mac(key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    // HMAC accepts keys of any length, so construction cannot fail.
    let Ok(mut mac) = HmacSha256::new_from_slice(key) else {
        return Vec::new();
    };
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    const HERE: &str = "arn:aws:sagemaker:us-east-1:000000000000:compilation-job/";

    fn scope(query: u64, partition: &str) -> Scope<'_> {
        Scope { query, partition }
    }

    fn position() -> Position {
        Position {
            major: 3,
            minor: 1_700_000_000_123,
            name: "job-a".into(),
        }
    }

    #[test]
    fn a_sealed_token_opens_to_its_position() {
        let key = TokenKey::from_secret(b"k");
        let token = key.seal(scope(42, HERE), &position());
        assert_eq!(key.open(scope(42, HERE), &token), Ok(position()));
    }

    #[test]
    fn two_tokens_for_the_same_position_differ_and_hide_the_name() {
        let key = TokenKey::from_secret(b"k");
        let (a, b) = (
            key.seal(scope(42, HERE), &position()),
            key.seal(scope(42, HERE), &position()),
        );
        assert_ne!(a, b);
        let raw = STANDARD.decode(&a).unwrap_or_default();
        assert!(!raw.windows(5).any(|w| w == b"job-a"));
    }

    #[test]
    fn a_key_with_the_same_secret_seals_the_same_tokens_in_the_same_order() {
        let (one, two) = (TokenKey::from_secret(b"k"), TokenKey::from_secret(b"k"));
        for _ in 0..3 {
            assert_eq!(
                one.seal(scope(42, HERE), &position()),
                two.seal(scope(42, HERE), &position())
            );
        }
    }

    #[test]
    fn a_token_is_refused_for_another_query_key_or_edit() {
        let key = TokenKey::from_secret(b"k");
        let token = key.seal(scope(42, HERE), &position());
        assert_eq!(key.open(scope(43, HERE), &token), Err(BadToken));
        assert_eq!(
            TokenKey::from_secret(b"other").open(scope(42, HERE), &token),
            Err(BadToken)
        );
        let mut raw = STANDARD.decode(&token).unwrap_or_default();
        raw[20] ^= 1;
        assert_eq!(
            key.open(scope(42, HERE), &STANDARD.encode(raw)),
            Err(BadToken)
        );
        assert_eq!(key.open(scope(42, HERE), "not base64!"), Err(BadToken));
        assert_eq!(
            key.open(scope(42, HERE), &token[..token.len() - 4]),
            Err(BadToken)
        );
    }

    #[test]
    fn a_token_is_refused_in_another_account_or_region() {
        let key = TokenKey::from_secret(b"k");
        let token = key.seal(scope(42, HERE), &position());
        let other_account = "arn:aws:sagemaker:us-east-1:111122223333:compilation-job/";
        let other_region = "arn:aws:sagemaker:eu-west-1:000000000000:compilation-job/";
        assert_eq!(key.open(scope(42, other_account), &token), Err(BadToken));
        assert_eq!(key.open(scope(42, other_region), &token), Err(BadToken));
    }

    #[test]
    fn a_token_of_another_version_is_refused() {
        let key = TokenKey::from_secret(b"k");
        let mut raw = STANDARD
            .decode(key.seal(scope(42, HERE), &position()))
            .unwrap_or_default();
        raw[0] = 1;
        assert_eq!(
            key.open(scope(42, HERE), &STANDARD.encode(raw)),
            Err(BadToken)
        );
    }
}
