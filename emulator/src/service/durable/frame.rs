//! Record framing: how records sit in a state file, and how a damaged file is told apart
//! from one whose last write was interrupted.
//!
//! A file is 8 magic bytes, then records, each
//!
//! ```text
//! length: u32 little-endian | check: 8 bytes | payload: `length` bytes (JSON)
//! ```
//!
//! where `check` is the first 8 bytes of SHA-256 over the length bytes and the payload.
//! Covering the length catches a torn or flipped length field, which would otherwise
//! send the reader to a wrong offset; 64 bits make a garbage record that passes the check
//! practically impossible.
//!
//! A record that fails to decode is either a torn tail (the process or machine stopped
//! in the middle of the last write: nothing valid follows it) or damage (a valid record
//! follows it somewhere). The reader scans forward for any valid record to tell the two
//! apart, so a flipped length field in the middle of a journal can never pass for a torn
//! tail and silently drop the records after it.

use sha2::{Digest, Sha256};

/// Magic bytes of a journal file.
pub(super) const JOURNAL_MAGIC: &[u8; 8] = b"cjhjrnl1";
/// Magic bytes of a snapshot file.
pub(super) const SNAPSHOT_MAGIC: &[u8; 8] = b"cjhsnap1";

/// Length and check bytes before each payload.
pub(super) const HEADER_LEN: usize = 12;

/// The largest payload accepted. A record holds one validated request (a Create is at
/// most about 30 KB), so anything larger is a damaged length field.
pub(super) const MAX_PAYLOAD: usize = 4 * 1024 * 1024;

/// One decoded record: where it starts in the file, and its payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Frame<'a> {
    /// Byte offset of the record's length field.
    pub(super) offset: u64,
    /// The payload bytes.
    pub(super) payload: &'a [u8],
}

/// How a file ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tail {
    /// The last record ends exactly at the end of the file.
    Clean,
    /// An incomplete or garbled record from `offset` to the end, with nothing valid after it.
    Torn {
        /// Where the torn record starts; the file is good up to here.
        offset: u64,
        /// How many bytes follow from there.
        dropped: u64,
    },
}

/// Why a file cannot be read as records.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(super) enum FrameError {
    /// The file does not start with the expected magic bytes.
    #[error("not a cjh state file of this kind (its first 8 bytes are not {expected:?})")]
    BadMagic {
        /// The magic bytes expected, as text.
        expected: String,
    },
    /// A record fails its check while a valid record follows it: damage, not a torn write.
    #[error(
        "corrupt record at byte {offset} (a valid record follows at byte {next_valid}, so this is damage, not an interrupted write)"
    )]
    Corrupt {
        /// Where the bad record starts.
        offset: u64,
        /// Where the next valid record starts.
        next_valid: u64,
    },
}

/// Appends one framed record to `out`.
pub(super) fn encode(payload: &[u8], out: &mut Vec<u8>) {
    let length = u32::try_from(payload.len())
        .unwrap_or(u32::MAX)
        .to_le_bytes();
    out.extend_from_slice(&length);
    out.extend_from_slice(&check(&length, payload));
    out.extend_from_slice(payload);
}

/// The records of a file that starts with `magic`, and how it ends.
pub(super) fn decode<'a>(
    bytes: &'a [u8],
    magic: &[u8; 8],
) -> Result<(Vec<Frame<'a>>, Tail), FrameError> {
    if bytes.get(..magic.len()) != Some(&magic[..]) {
        return Err(FrameError::BadMagic {
            expected: String::from_utf8_lossy(magic).into_owned(),
        });
    }
    let mut frames = Vec::new();
    let mut at = magic.len();
    while at < bytes.len() {
        match frame_at(bytes, at) {
            Some((payload, next)) => {
                frames.push(Frame {
                    offset: at as u64,
                    payload,
                });
                at = next;
            }
            None => {
                if let Some(next_valid) =
                    (at + 1..bytes.len()).find(|&p| frame_at(bytes, p).is_some())
                {
                    return Err(FrameError::Corrupt {
                        offset: at as u64,
                        next_valid: next_valid as u64,
                    });
                }
                let tail = Tail::Torn {
                    offset: at as u64,
                    dropped: (bytes.len() - at) as u64,
                };
                return Ok((frames, tail));
            }
        }
    }
    Ok((frames, Tail::Clean))
}

/// The payload of a valid record starting at `at`, and where the next one starts.
fn frame_at(bytes: &[u8], at: usize) -> Option<(&[u8], usize)> {
    let header = bytes.get(at..at.checked_add(HEADER_LEN)?)?;
    let (length, stored) = header.split_at(4);
    let size = u32::from_le_bytes(length.try_into().ok()?) as usize;
    if size == 0 || size > MAX_PAYLOAD {
        return None;
    }
    let start = at + HEADER_LEN;
    let payload = bytes.get(start..start.checked_add(size)?)?;
    (check(length, payload) == stored).then_some((payload, start + size))
}

fn check(length: &[u8], payload: &[u8]) -> [u8; 8] {
    let digest = Sha256::new()
        .chain_update(length)
        .chain_update(payload)
        .finalize();
    let mut out = [0; 8];
    out.copy_from_slice(&digest[..8]);
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn file(payloads: &[&str]) -> Vec<u8> {
        let mut out = JOURNAL_MAGIC.to_vec();
        for payload in payloads {
            encode(payload.as_bytes(), &mut out);
        }
        out
    }

    fn payloads(bytes: &[u8]) -> (Vec<String>, Tail) {
        let (frames, tail) = decode(bytes, JOURNAL_MAGIC).unwrap();
        let texts = frames
            .iter()
            .map(|f| String::from_utf8(f.payload.to_vec()).unwrap())
            .collect();
        (texts, tail)
    }

    #[test]
    fn records_read_back_in_order_with_their_offsets() {
        let bytes = file(&["{\"a\":1}", "{\"b\":22}"]);
        let (frames, tail) = decode(&bytes, JOURNAL_MAGIC).unwrap();
        assert_eq!(tail, Tail::Clean);
        assert_eq!(frames.len(), 2);
        assert_eq!(frames[0].offset, 8);
        assert_eq!(frames[1].offset, 8 + 12 + 7);
        assert_eq!(frames[1].payload, b"{\"b\":22}");
    }

    #[test]
    fn an_empty_file_with_only_its_magic_has_no_records() {
        assert_eq!(payloads(JOURNAL_MAGIC), (vec![], Tail::Clean));
    }

    #[test]
    fn a_file_of_another_kind_is_refused() {
        let bytes = file(&["{}"]);
        assert!(matches!(
            decode(&bytes, SNAPSHOT_MAGIC),
            Err(FrameError::BadMagic { .. })
        ));
        assert!(decode(b"cjh", JOURNAL_MAGIC).is_err());
    }

    #[test]
    fn a_record_cut_anywhere_is_a_torn_tail_and_the_records_before_it_survive() {
        let whole = file(&["{\"first\":1}", "{\"second\":2}"]);
        let second = 8 + 12 + 11;
        for cut in second + 1..whole.len() {
            let (texts, tail) = payloads(&whole[..cut]);
            assert_eq!(texts, vec!["{\"first\":1}"], "cut at {cut}");
            assert_eq!(
                tail,
                Tail::Torn {
                    offset: second as u64,
                    dropped: (cut - second) as u64
                }
            );
        }
    }

    #[test]
    fn garbage_after_the_last_record_is_a_torn_tail() {
        let mut bytes = file(&["{\"first\":1}"]);
        let end = bytes.len() as u64;
        bytes.extend_from_slice(&[0; 100]);
        bytes.extend_from_slice(b"\xff\xff\x00\x00garbage");
        let (texts, tail) = payloads(&bytes);
        assert_eq!(texts.len(), 1);
        assert_eq!(
            tail,
            Tail::Torn {
                offset: end,
                dropped: 111
            }
        );
    }

    #[test]
    fn a_flipped_byte_in_a_middle_record_is_damage_naming_its_offset() {
        let mut bytes = file(&["{\"first\":1}", "{\"second\":2}", "{\"third\":3}"]);
        let second = 8 + 12 + 11;
        for at in [second, second + 2, second + 5, second + 14] {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x40;
            assert_eq!(
                decode(&damaged, JOURNAL_MAGIC),
                Err(FrameError::Corrupt {
                    offset: second as u64,
                    next_valid: (second + 12 + 12) as u64
                }),
                "flip at {at}"
            );
        }
        // A flip in the last record is a torn tail: nothing valid follows it.
        let last = bytes.len() - 3;
        bytes[last] ^= 1;
        let (texts, tail) = payloads(&bytes);
        assert_eq!(texts.len(), 2);
        assert!(matches!(tail, Tail::Torn { .. }));
    }

    #[test]
    fn zero_length_and_oversized_lengths_never_decode() {
        let mut bytes = JOURNAL_MAGIC.to_vec();
        bytes.extend_from_slice(&0u32.to_le_bytes());
        bytes.extend_from_slice(&check(&0u32.to_le_bytes(), b""));
        let (texts, tail) = payloads(&bytes);
        assert!(texts.is_empty());
        assert!(matches!(tail, Tail::Torn { offset: 8, .. }));
        assert_eq!(frame_at(&(u32::MAX).to_le_bytes().repeat(4), 0), None);
    }
}
