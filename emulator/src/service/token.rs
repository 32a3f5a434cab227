//! Page tokens (fidelity row F17): opaque, authenticated, versioned, bound to the query.
//!
//! A token carries a position (the sort key of the last job the previous page covered)
//! and a digest of the query it belongs to. The payload is encrypted with a keystream of
//! HMAC-SHA256 in counter mode under a fresh nonce and sealed with an HMAC tag, so tokens
//! cannot be read, forged or edited, and two tokens never repeat. The key comes from the
//! `token_key` setting, so a restarted server with the same key accepts old tokens.
//!
//! The nonce is synthetic: an HMAC of a per-key counter and the payload. It differs for
//! every token a key seals, and two equal nonces (after a restart resets the counter)
//! come only with equal payloads, so a keystream never covers two different plaintexts.
//! Being derived rather than drawn, it makes a run with a fixed key reproducible, token
//! for token, which keeps recordings of scenario runs stable.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

const VERSION: u8 = 1;
const NONCE_LEN: usize = 12;
const TAG_LEN: usize = 16;

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

/// Seals and opens tokens under one key.
#[derive(Clone)]
pub(super) struct TokenKey {
    encrypt: Vec<u8>,
    sign: Vec<u8>,
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
        TokenKey {
            encrypt: mac(secret, &[b"cjh token encryption"]),
            sign: mac(secret, &[b"cjh token signature"]),
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

    /// A token for `position` in the query with digest `query`.
    pub(super) fn seal(&self, query: u64, position: &Position) -> String {
        let mut payload = Vec::with_capacity(24 + position.name.len());
        payload.extend_from_slice(&query.to_be_bytes());
        payload.extend_from_slice(&position.major.to_be_bytes());
        payload.extend_from_slice(&position.minor.to_be_bytes());
        payload.extend_from_slice(position.name.as_bytes());
        let count = self
            .sealed
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let nonce_source = mac(&self.sign, &[b"nonce", &count.to_be_bytes(), &payload]);
        let nonce = &nonce_source[..NONCE_LEN];
        self.apply_keystream(nonce, &mut payload);
        let mut token = Vec::with_capacity(1 + NONCE_LEN + payload.len() + TAG_LEN);
        token.push(VERSION);
        token.extend_from_slice(nonce);
        token.extend_from_slice(&payload);
        let tag = mac(&self.sign, &[&token]);
        token.extend_from_slice(&tag[..TAG_LEN]);
        STANDARD.encode(token)
    }

    /// The position in a token, if it is genuine and belongs to the query `query`.
    pub(super) fn open(&self, query: u64, token: &str) -> Result<Position, BadToken> {
        let bytes = STANDARD.decode(token).map_err(|_| BadToken)?;
        if bytes.len() < 1 + NONCE_LEN + 24 + TAG_LEN || bytes[0] != VERSION {
            return Err(BadToken);
        }
        let (body, tag) = bytes.split_at(bytes.len() - TAG_LEN);
        let mut check = HmacSha256::new_from_slice(&self.sign).map_err(|_| BadToken)?;
        check.update(body);
        check.verify_truncated_left(tag).map_err(|_| BadToken)?;
        let (nonce, sealed) = body[1..].split_at(NONCE_LEN);
        let mut payload = sealed.to_vec();
        self.apply_keystream(nonce, &mut payload);
        let word = |at: usize| -> Result<[u8; 8], BadToken> {
            payload
                .get(at..at + 8)
                .and_then(|s| s.try_into().ok())
                .ok_or(BadToken)
        };
        if u64::from_be_bytes(word(0)?) != query {
            return Err(BadToken);
        }
        let name = String::from_utf8(payload[24..].to_vec()).map_err(|_| BadToken)?;
        Ok(Position {
            major: i64::from_be_bytes(word(8)?),
            minor: i64::from_be_bytes(word(16)?),
            name,
        })
    }

    fn apply_keystream(&self, nonce: &[u8], data: &mut [u8]) {
        for (block, chunk) in data.chunks_mut(32).enumerate() {
            let counter = (block as u64).to_be_bytes();
            let stream = mac(&self.encrypt, &[nonce, &counter]);
            for (byte, key) in chunk.iter_mut().zip(stream) {
                *byte ^= key;
            }
        }
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
        let token = key.seal(42, &position());
        assert_eq!(key.open(42, &token), Ok(position()));
    }

    #[test]
    fn two_tokens_for_the_same_position_differ_and_hide_the_name() {
        let key = TokenKey::from_secret(b"k");
        let (a, b) = (key.seal(42, &position()), key.seal(42, &position()));
        assert_ne!(a, b);
        let raw = STANDARD.decode(&a).unwrap_or_default();
        assert!(!raw.windows(5).any(|w| w == b"job-a"));
    }

    #[test]
    fn a_token_is_refused_for_another_query_key_or_edit() {
        let key = TokenKey::from_secret(b"k");
        let token = key.seal(42, &position());
        assert_eq!(key.open(43, &token), Err(BadToken));
        assert_eq!(
            TokenKey::from_secret(b"other").open(42, &token),
            Err(BadToken)
        );
        let mut raw = STANDARD.decode(&token).unwrap_or_default();
        raw[20] ^= 1;
        assert_eq!(key.open(42, &STANDARD.encode(raw)), Err(BadToken));
        assert_eq!(key.open(42, "not base64!"), Err(BadToken));
        assert_eq!(key.open(42, &token[..token.len() - 4]), Err(BadToken));
    }
}
