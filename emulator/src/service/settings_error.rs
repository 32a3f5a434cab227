//! Why a settings file or value was refused: shared by the settings, the credentials
//! table and the fault settings, which each check their own values.

/// Why a settings file or value was refused.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// The file could not be read (the I/O error names the file).
    #[error("settings file: {0}")]
    Read(#[source] std::io::Error),
    /// The file is not valid settings TOML.
    #[error("settings file {path}: {source}")]
    Parse {
        /// The file.
        path: String,
        /// The TOML error, with line and key.
        #[source]
        source: Box<toml::de::Error>,
    },
    /// The credentials file could not be read (the I/O error names the file).
    #[error("credentials file: {0}")]
    ReadCredentials(#[source] std::io::Error),
    /// The credentials file is not `[[credential]]` tables.
    #[error("credentials file {path}: {source}")]
    ParseCredentials {
        /// The file.
        path: String,
        /// The TOML error, with line and key.
        #[source]
        source: Box<toml::de::Error>,
    },
    /// A value is out of its range.
    #[error("setting {name}: {problem}")]
    Invalid {
        /// The setting.
        name: &'static str,
        /// What is wrong.
        problem: String,
    },
}
