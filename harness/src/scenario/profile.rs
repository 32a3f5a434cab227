//! What a target needs for a Create that succeeds: a role, a model that compiles, one
//! that fails, an output location. The emulator accepts any well-formed values; a real
//! account needs its own.

/// A target profile, read from TOML (`cjh run --profile FILE`); keys left out keep the
/// emulator's defaults.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Profile {
    /// An IAM role the service may assume.
    pub role: String,
    /// A model archive that compiles.
    pub model: String,
    /// A model that fails to compile.
    pub failing_model: String,
    /// Where compiled models go.
    pub output: String,
    /// The longest real-time wait for a status, in seconds (targets without a clock).
    pub wait_timeout_secs: u64,
}

impl Default for Profile {
    fn default() -> Self {
        Profile {
            role: "arn:aws:iam::000000000000:role/service-role/AmazonSageMaker-ExecutionRole-cjh"
                .to_owned(),
            model: "s3://cjh-models/resnet50/model.tar.gz".to_owned(),
            failing_model: "s3://cjh-models/resnet50/train.csv".to_owned(),
            output: "s3://cjh-models/compiled/".to_owned(),
            wait_timeout_secs: 1800,
        }
    }
}

impl Profile {
    /// Reads a profile file.
    pub fn from_file(path: &std::path::Path) -> Result<Profile, String> {
        let text = fs_err::read_to_string(path).map_err(|e| e.to_string())?;
        toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
    }
}
