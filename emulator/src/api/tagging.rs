//! Typed inputs of the Resource Groups Tagging API's `GetResources`, `TagResources` and
//! `UntagResources`, parsed by hand.
//!
//! The tagging API's model is not embedded (it is another service's, and only three of
//! its operations are served), so the constraints its botocore model states
//! (`resourcegroupstaggingapi` 2017-01-26) are checked here: list bounds, key and value
//! lengths, `ResourcesPerPage` within 1-100 as its documentation says. A value of the
//! wrong JSON type is a `SerializationException` as on the SageMaker side; a failed
//! constraint is the tagging API's own `InvalidParameterException`, worded as the
//! SageMaker validator words it. Members it does not use (`TagsPerPage`,
//! `IncludeComplianceDetails`, ...) are type-checked and otherwise ignored.

use serde_json::{Map, Value};

use super::error::{ApiError, ErrorCode};
use super::validate::wrong_type;
use super::violation::{Violation, phrase, validation_message};

/// One `TagFilters` item: a key, and the values any of which it may have (none: any).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagFilter {
    /// The tag key.
    pub key: String,
    /// The accepted values; empty accepts every value of the key.
    pub values: Vec<String>,
}

/// Input of `GetResources`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GetResourcesInput {
    /// A token from an earlier page; `""` starts from the beginning.
    pub pagination_token: Option<String>,
    /// Every filter must match.
    pub tag_filters: Vec<TagFilter>,
    /// Page size, 1-100 (100 when absent).
    pub resources_per_page: Option<i64>,
    /// Resource types such as `sagemaker` or `sagemaker:compilation-job`; none: all.
    pub resource_type_filters: Vec<String>,
    /// Only these ARNs, when given.
    pub resource_arn_list: Option<Vec<String>>,
}

/// Input of `TagResources`.
#[derive(Debug, Clone, PartialEq)]
pub struct TagResourcesInput {
    /// 1-20 resources.
    pub resource_arn_list: Vec<String>,
    /// 1-50 tags, in the order sent.
    pub tags: Vec<(String, String)>,
}

/// Input of `UntagResources`.
#[derive(Debug, Clone, PartialEq)]
pub struct UntagResourcesInput {
    /// 1-20 resources.
    pub resource_arn_list: Vec<String>,
    /// 1-50 keys.
    pub tag_keys: Vec<String>,
}

impl GetResourcesInput {
    /// Reads and checks a `GetResources` body.
    pub fn parse(body: &Value) -> Result<GetResourcesInput, ApiError> {
        let mut reader = Reader::of(body)?;
        let pagination_token = reader.string("PaginationToken", 0, 2048)?;
        let tag_filters = match reader.list("TagFilters", 0, 50)? {
            Some(items) => {
                let mut filters = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    let path = format!("tagFilters.{}", i + 1);
                    let mut filter = Reader::at(&path, item)?;
                    let key = filter.string("Key", 1, 128)?;
                    let values = match filter.list("Values", 0, 20)? {
                        Some(values) => filter.strings("Values", values, 0, 256)?,
                        None => Vec::new(),
                    };
                    reader.violations.append(&mut filter.violations);
                    // A filter without a key matches no tag; AWS refuses it.
                    match key {
                        Some(key) => filters.push(TagFilter { key, values }),
                        None => reader.violations.push(Violation {
                            path: format!("{path}.key"),
                            value: None,
                            constraint: phrase::NOT_NULL.to_owned(),
                        }),
                    }
                }
                filters
            }
            None => Vec::new(),
        };
        let resources_per_page = reader.integer("ResourcesPerPage", 1, 100)?;
        reader.integer("TagsPerPage", 100, 500)?;
        let resource_type_filters = match reader.list("ResourceTypeFilters", 0, i64::MAX)? {
            Some(items) => reader.strings("ResourceTypeFilters", items, 0, 256)?,
            None => Vec::new(),
        };
        let resource_arn_list = match reader.list("ResourceARNList", 1, 100)? {
            Some(items) => Some(reader.strings("ResourceARNList", items, 1, 1011)?),
            None => None,
        };
        reader.boolean("IncludeComplianceDetails")?;
        reader.boolean("ExcludeCompliantResources")?;
        reader.finish()?;
        Ok(GetResourcesInput {
            pagination_token,
            tag_filters,
            resources_per_page,
            resource_type_filters,
            resource_arn_list,
        })
    }
}

impl TagResourcesInput {
    /// Reads and checks a `TagResources` body.
    pub fn parse(body: &Value) -> Result<TagResourcesInput, ApiError> {
        let mut reader = Reader::of(body)?;
        let arns = reader.required_arns()?;
        let tags = match reader.object("Tags")? {
            Some(map) => {
                reader.count("Tags", map.len(), 1, 50, || format!("{map:?}"));
                let mut tags = Vec::with_capacity(map.len());
                for (key, value) in map {
                    let path = format!("tags.{key}");
                    let value = value
                        .as_str()
                        .ok_or_else(|| invalid_type(&path, "a string", value))?;
                    reader.length(&format!("{path}.key"), key, 1, 128);
                    reader.length(&path, value, 0, 256);
                    tags.push((key.clone(), value.to_owned()));
                }
                tags
            }
            None => {
                reader.missing("Tags");
                Vec::new()
            }
        };
        reader.finish()?;
        Ok(TagResourcesInput {
            resource_arn_list: arns,
            tags,
        })
    }
}

impl UntagResourcesInput {
    /// Reads and checks an `UntagResources` body.
    pub fn parse(body: &Value) -> Result<UntagResourcesInput, ApiError> {
        let mut reader = Reader::of(body)?;
        let arns = reader.required_arns()?;
        let tag_keys = match reader.list("TagKeys", 1, 50)? {
            Some(items) => reader.strings("TagKeys", items, 1, 128)?,
            None => {
                reader.missing("TagKeys");
                Vec::new()
            }
        };
        reader.finish()?;
        Ok(UntagResourcesInput {
            resource_arn_list: arns,
            tag_keys,
        })
    }
}

/// Reads the members of one object, collecting failed constraints; a wrong type ends
/// the read at once, as it does on the SageMaker side.
struct Reader<'a> {
    path: String,
    object: &'a Map<String, Value>,
    violations: Vec<Violation>,
}

fn invalid_type(path: &str, expected: &'static str, value: &Value) -> ApiError {
    ApiError::from(wrong_type(path, expected, value))
}

impl<'a> Reader<'a> {
    fn of(body: &'a Value) -> Result<Reader<'a>, ApiError> {
        Reader::at("", body)
    }

    fn at(path: &str, value: &'a Value) -> Result<Reader<'a>, ApiError> {
        let object = value
            .as_object()
            .ok_or_else(|| invalid_type(path, "an object", value))?;
        Ok(Reader {
            path: path.to_owned(),
            object,
            violations: Vec::new(),
        })
    }

    fn path_of(&self, member: &str) -> String {
        let camel = super::violation::lower_camel(member);
        if self.path.is_empty() {
            camel
        } else {
            format!("{}.{camel}", self.path)
        }
    }

    /// The member, `null` read as absent.
    fn get(&self, member: &str) -> Option<&'a Value> {
        self.object.get(member).filter(|v| !v.is_null())
    }

    fn missing(&mut self, member: &str) {
        self.violations.push(Violation {
            path: self.path_of(member),
            value: None,
            constraint: phrase::NOT_NULL.to_owned(),
        });
    }

    fn length(&mut self, path: &str, text: &str, min: i64, max: i64) {
        let length = text.chars().count() as i64;
        let constraint = if length > max {
            phrase::max_length(max)
        } else if length < min {
            phrase::min_length(min)
        } else {
            return;
        };
        self.violations.push(Violation {
            path: path.to_owned(),
            value: Some(text.to_owned()),
            constraint,
        });
    }

    fn count(
        &mut self,
        member: &str,
        count: usize,
        min: i64,
        max: i64,
        shown: impl Fn() -> String,
    ) {
        let count = count as i64;
        let constraint = if count > max {
            phrase::max_length(max)
        } else if count < min {
            phrase::min_length(min)
        } else {
            return;
        };
        self.violations.push(Violation {
            path: self.path_of(member),
            value: Some(shown()),
            constraint,
        });
    }

    fn string(&mut self, member: &str, min: i64, max: i64) -> Result<Option<String>, ApiError> {
        let Some(value) = self.get(member) else {
            return Ok(None);
        };
        let path = self.path_of(member);
        let text = value
            .as_str()
            .ok_or_else(|| invalid_type(&path, "a string", value))?;
        self.length(&path, text, min, max);
        Ok(Some(text.to_owned()))
    }

    fn list(&mut self, member: &str, min: i64, max: i64) -> Result<Option<&'a [Value]>, ApiError> {
        let Some(value) = self.get(member) else {
            return Ok(None);
        };
        let items = value
            .as_array()
            .ok_or_else(|| invalid_type(&self.path_of(member), "a list", value))?;
        self.count(member, items.len(), min, max, || list_text(items));
        Ok(Some(items))
    }

    fn strings(
        &mut self,
        member: &str,
        items: &[Value],
        min: i64,
        max: i64,
    ) -> Result<Vec<String>, ApiError> {
        let base = self.path_of(member);
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let path = format!("{base}.{}", i + 1);
            let text = item
                .as_str()
                .ok_or_else(|| invalid_type(&path, "a string", item))?;
            self.length(&path, text, min, max);
            out.push(text.to_owned());
        }
        Ok(out)
    }

    fn object(&mut self, member: &str) -> Result<Option<&'a Map<String, Value>>, ApiError> {
        let Some(value) = self.get(member) else {
            return Ok(None);
        };
        value
            .as_object()
            .map(Some)
            .ok_or_else(|| invalid_type(&self.path_of(member), "an object", value))
    }

    fn integer(&mut self, member: &str, min: i64, max: i64) -> Result<Option<i64>, ApiError> {
        let Some(value) = self.get(member) else {
            return Ok(None);
        };
        let path = self.path_of(member);
        let number = value
            .as_i64()
            .or_else(|| {
                value
                    .as_f64()
                    .filter(|f| f.fract() == 0.0 && f.abs() < 2_147_483_648.0)
                    .map(|f| f as i64)
            })
            .filter(|n| i32::try_from(*n).is_ok())
            .ok_or_else(|| invalid_type(&path, "an integer", value))?;
        let constraint = if number > max {
            phrase::max_value(max)
        } else if number < min {
            phrase::min_value(min)
        } else {
            return Ok(Some(number));
        };
        self.violations.push(Violation {
            path,
            value: Some(number.to_string()),
            constraint,
        });
        Ok(Some(number))
    }

    fn boolean(&mut self, member: &str) -> Result<Option<bool>, ApiError> {
        let Some(value) = self.get(member) else {
            return Ok(None);
        };
        value
            .as_bool()
            .map(Some)
            .ok_or_else(|| invalid_type(&self.path_of(member), "a boolean", value))
    }

    fn required_arns(&mut self) -> Result<Vec<String>, ApiError> {
        match self.list("ResourceARNList", 1, 20)? {
            Some(items) => self.strings("ResourceARNList", items, 1, 1011),
            None => {
                self.missing("ResourceARNList");
                Ok(Vec::new())
            }
        }
    }

    fn finish(self) -> Result<(), ApiError> {
        if self.violations.is_empty() {
            Ok(())
        } else {
            Err(ApiError::new(
                ErrorCode::InvalidParameterException,
                validation_message(&self.violations),
            ))
        }
    }
}

/// A list as the validator shows it: `[a, b]`.
fn list_text(items: &[Value]) -> String {
    let shown: Vec<String> = items
        .iter()
        .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
        .collect();
    format!("[{}]", shown.join(", "))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn get_resources_reads_filters_and_page_size() {
        let input = GetResourcesInput::parse(&json!({
            "TagFilters": [{"Key": "team", "Values": ["a", "b"]}, {"Key": "owner"}],
            "ResourcesPerPage": 2,
            "ResourceTypeFilters": ["sagemaker:compilation-job"],
        }));
        let input = input.unwrap_or_default();
        assert_eq!(input.tag_filters.len(), 2);
        assert_eq!(input.tag_filters[1].values, Vec::<String>::new());
        assert_eq!(input.resources_per_page, Some(2));
    }

    #[test]
    fn out_of_range_page_sizes_and_keyless_filters_are_invalid_parameters() {
        for body in [
            json!({"ResourcesPerPage": 0}),
            json!({"ResourcesPerPage": 101}),
            json!({"TagFilters": [{"Values": ["a"]}]}),
        ] {
            let code = GetResourcesInput::parse(&body).err().map(|e| e.code);
            assert_eq!(code, Some(ErrorCode::InvalidParameterException), "{body}");
        }
        let wrong = GetResourcesInput::parse(&json!({"ResourcesPerPage": "2"}));
        assert_eq!(
            wrong.err().map(|e| e.code),
            Some(ErrorCode::SerializationException)
        );
    }

    #[test]
    fn tag_and_untag_need_their_lists() {
        let code = |r: Result<(), ApiError>| r.err().map(|e| e.code);
        assert_eq!(
            code(TagResourcesInput::parse(&json!({})).map(drop)),
            Some(ErrorCode::InvalidParameterException)
        );
        assert_eq!(
            code(
                UntagResourcesInput::parse(&json!({"ResourceARNList": ["x"], "TagKeys": []}))
                    .map(drop)
            ),
            Some(ErrorCode::InvalidParameterException)
        );
        let ok = TagResourcesInput::parse(&json!({"ResourceARNList": ["x"], "Tags": {"k": "v"}}));
        assert_eq!(
            ok.map(|i| i.tags),
            Ok(vec![("k".to_owned(), "v".to_owned())])
        );
    }
}
