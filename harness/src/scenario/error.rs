//! Why a scenario file cannot be used, with the file and, once it parses, the line.

/// A scenario file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The file could not be read (the error names the file).
    #[error(transparent)]
    Read(std::io::Error),
    /// The file is not valid scenario TOML (bad syntax, unknown key, wrong type).
    #[error("{path}: {message}")]
    Parse {
        /// The file.
        path: String,
        /// The parser's message, with line and column.
        message: String,
    },
    /// The file parses but says something impossible.
    #[error("{path}:{line}: {problem}")]
    Invalid {
        /// The file.
        path: String,
        /// The line the problem is on (1-based).
        line: usize,
        /// What is wrong.
        problem: String,
    },
}
