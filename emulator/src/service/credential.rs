//! The access keys the emulator accepts when SigV4 checking is on (fidelity rows F21,
//! F22): each key has its secret and the account whose jobs it sees, so two keys can
//! stand for two accounts on one endpoint.
//!
//! A credentials file is TOML with one `[[credential]]` table per key:
//!
//! ```toml
//! [[credential]]
//! access_key_id = "AKIDEXAMPLE"
//! secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
//! account_id = "111122223333"
//! ```
//!
//! The same tables may sit in the settings file.

use std::collections::HashSet;
use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::settings_error::SettingsError;

/// One access key: its secret and the account it belongs to.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credential {
    /// The access key id, as it appears in the SigV4 credential scope.
    pub access_key_id: String,
    /// The secret the request must be signed with.
    pub secret_access_key: String,
    /// The 12-digit account whose jobs this key sees; it appears in ARNs.
    pub account_id: String,
}

impl Credential {
    /// A credential for this key, secret and account.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        account_id: impl Into<String>,
    ) -> Credential {
        Credential {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            account_id: account_id.into(),
        }
    }
}

/// Keeps the secret out of logs and panic messages.
impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credential")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"<redacted>")
            .field("account_id", &self.account_id)
            .finish()
    }
}

/// The file given with `--credentials`: only `[[credential]]` tables.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CredentialsFile {
    #[serde(default)]
    credential: Vec<Credential>,
}

/// Reads a credentials file and checks its entries.
pub fn read_credentials(path: &Path) -> Result<Vec<Credential>, SettingsError> {
    let text = fs_err::read_to_string(path).map_err(SettingsError::ReadCredentials)?;
    let file: CredentialsFile =
        toml::from_str(&text).map_err(|source| SettingsError::ParseCredentials {
            path: path.display().to_string(),
            source: Box::new(source),
        })?;
    check_credentials(&file.credential)?;
    Ok(file.credential)
}

/// Checks every entry and that no access key id appears twice (a lookup must be
/// unambiguous).
pub(super) fn check_credentials(credentials: &[Credential]) -> Result<(), SettingsError> {
    let invalid = |problem: String| {
        Err(SettingsError::Invalid {
            name: "credential",
            problem,
        })
    };
    let mut seen = HashSet::new();
    for credential in credentials {
        let key = &credential.access_key_id;
        // The key travels inside `Credential=KEY/date/region/service/aws4_request`.
        if key.is_empty()
            || !key
                .bytes()
                .all(|b| b.is_ascii_graphic() && b != b'/' && b != b',')
        {
            return invalid(format!(
                "access_key_id {key:?} must be printable ASCII without '/', ',' or spaces"
            ));
        }
        if credential.secret_access_key.is_empty() {
            return invalid(format!("the secret_access_key of {key} is empty"));
        }
        let account = &credential.account_id;
        if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
            return invalid(format!(
                "the account_id of {key} must be 12 digits, not {account:?}"
            ));
        }
        if !seen.insert(key.as_str()) {
            return invalid(format!("access_key_id {key} appears more than once"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_credentials_file_reads_one_table_per_key() {
        let text = "[[credential]]\naccess_key_id = \"AKID1\"\nsecret_access_key = \"s1\"\naccount_id = \"111122223333\"\n\n[[credential]]\naccess_key_id = \"AKID2\"\nsecret_access_key = \"s2\"\naccount_id = \"444455556666\"\n";
        let file: Result<CredentialsFile, _> = toml::from_str(text);
        let entries = file.map(|f| f.credential).unwrap_or_default();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[1].account_id, "444455556666");
        assert!(check_credentials(&entries).is_ok());
    }

    #[test]
    fn a_credential_with_a_short_account_or_a_repeated_key_is_refused() {
        let short = [Credential::new("AKID", "secret", "1234")];
        assert!(check_credentials(&short).is_err());
        let twice = [
            Credential::new("AKID", "a", "111122223333"),
            Credential::new("AKID", "b", "444455556666"),
        ];
        let text = check_credentials(&twice)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(text.contains("more than once"), "{text}");
    }

    #[test]
    fn debug_output_never_shows_the_secret() {
        let shown = format!(
            "{:?}",
            Credential::new("AKID", "very-secret", "111122223333")
        );
        assert!(!shown.contains("very-secret"), "{shown}");
    }
}
