//! A resource's tag list: adding (or overwriting by key), removing by key, and the
//! 50-tag limit.
//!
//! Keys are compared exactly (case matters), as SageMaker's are; a list keeps the order
//! its keys were first added, which is the order ListTags answers in.

use crate::api::{ApiError, MAX_TAGS, Tag};

/// `current` with `added` applied: a key already there takes the new value in place, a
/// new key goes at the end; within `added` the last value of a key wins.
pub(super) fn merged(current: &[Tag], added: &[Tag]) -> Vec<Tag> {
    let mut out = current.to_vec();
    for tag in added {
        match out.iter_mut().find(|t| t.key == tag.key) {
            Some(existing) => existing.value.clone_from(&tag.value),
            None => out.push(tag.clone()),
        }
    }
    out
}

/// `current` without the tags whose keys are in `keys`; keys it lacks are ignored.
pub(super) fn without(current: &[Tag], keys: &[String]) -> Vec<Tag> {
    current
        .iter()
        .filter(|tag| !keys.contains(&tag.key))
        .cloned()
        .collect()
}

/// Refuses a list over the per-resource limit. SageMaker's documentation states the
/// limit (50 tags a resource) but no recording shows the answer past it; this one is a
/// `ValidationException`, the code SageMaker uses for its other request-content rules.
pub(super) fn check_limit(tags: &[Tag], arn: &str) -> Result<(), ApiError> {
    if tags.len() > MAX_TAGS {
        return Err(ApiError::validation(format!(
            "The resource {arn} would have {} tags; a resource can have at most {MAX_TAGS} tags.",
            tags.len()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(key: &str, value: &str) -> Tag {
        Tag {
            key: key.to_owned(),
            value: value.to_owned(),
        }
    }

    #[test]
    fn adding_overwrites_a_key_in_place_and_appends_new_keys() {
        let current = [tag("a", "1"), tag("b", "2")];
        let out = merged(&current, &[tag("b", "3"), tag("c", "4"), tag("c", "5")]);
        assert_eq!(out, vec![tag("a", "1"), tag("b", "3"), tag("c", "5")]);
    }

    #[test]
    fn removing_ignores_keys_the_list_lacks_and_compares_case() {
        let current = [tag("a", "1"), tag("A", "2")];
        let out = without(&current, &["a".to_owned(), "z".to_owned()]);
        assert_eq!(out, vec![tag("A", "2")]);
    }

    #[test]
    fn fifty_tags_pass_and_fifty_one_are_refused() {
        let many: Vec<Tag> = (0..51).map(|i| tag(&format!("k{i}"), "v")).collect();
        assert!(check_limit(&many[..50], "arn").is_ok());
        assert!(check_limit(&many, "arn").is_err());
    }
}
