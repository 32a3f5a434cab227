//! Compaction: a snapshot and its journal folded into the records a new snapshot needs.
//!
//! Jobs do not affect one another's lifecycle, so a deleted job's records can go with it
//! and the rest, replayed in their original order, rebuild the same jobs. Clock records
//! fold into the snapshot header. A folded snapshot is therefore the live jobs' own
//! Create (or Seed) and Stop records, nothing else.

use std::collections::{BTreeMap, HashMap};

use super::record::Record;

/// Records being folded, kept as the payload bytes they were read as.
#[derive(Debug, Default)]
pub(super) struct Fold {
    /// Kept payloads by their position in the original order.
    kept: BTreeMap<u64, Vec<u8>>,
    /// (account, region, lower-cased name) -> positions of that job's records.
    jobs: HashMap<(String, String, String), Vec<u64>>,
    next: u64,
    /// The last manual-clock time seen.
    clock: Option<i64>,
}

impl Fold {
    /// A fold continuing a snapshot taken with the manual clock at `clock`.
    pub(super) fn new(clock: Option<i64>) -> Fold {
        Fold {
            clock,
            ..Fold::default()
        }
    }

    /// Folds in the next record, given as it was read and as its payload bytes.
    pub(super) fn push(&mut self, record: &Record, payload: Vec<u8>) {
        let position = self.next;
        self.next += 1;
        if let Record::Clock { to } = record {
            self.clock = Some(*to);
            return;
        }
        let Some(key) = record.job_key() else {
            return;
        };
        match record {
            Record::Create { .. } | Record::Seed { .. } => {
                // A name is free again only after a delete, so nothing is replaced here;
                // dropping any leftover keeps the fold safe even so.
                if let Some(old) = self.jobs.insert(key, vec![position]) {
                    for p in old {
                        self.kept.remove(&p);
                    }
                }
                self.kept.insert(position, payload);
            }
            Record::Stop { .. } => {
                if let Some(positions) = self.jobs.get_mut(&key) {
                    positions.push(position);
                    self.kept.insert(position, payload);
                }
            }
            Record::Delete { .. } => {
                for p in self.jobs.remove(&key).unwrap_or_default() {
                    self.kept.remove(&p);
                }
            }
            Record::Clock { .. } => {}
        }
    }

    /// The manual clock's last time, and the payloads to keep in their original order.
    pub(super) fn finish(self) -> (Option<i64>, Vec<Vec<u8>>) {
        (self.clock, self.kept.into_values().collect())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn bytes(record: &Record) -> Vec<u8> {
        serde_json::to_vec(record).unwrap_or_default()
    }

    fn create(name: &str) -> Record {
        Record::Create {
            account: "000000000000".into(),
            region: "us-east-1".into(),
            request: json!({ "CompilationJobName": name }),
            at: 1,
            settled: 0,
            arn_lower: true,
        }
    }

    fn stop(name: &str) -> Record {
        Record::Stop {
            account: "000000000000".into(),
            region: "us-east-1".into(),
            name: name.into(),
            at: 2,
            settled: 1,
        }
    }

    fn delete(name: &str) -> Record {
        Record::Delete {
            account: "000000000000".into(),
            region: "us-east-1".into(),
            name: name.into(),
            settled: 3,
        }
    }

    #[test]
    fn deleted_jobs_vanish_and_the_rest_keep_their_order_and_stops() {
        let mut fold = Fold::new(None);
        for record in [
            create("a"),
            create("B"),
            Record::Clock { to: 5 },
            stop("b"),
            create("c"),
            delete("A"),
            Record::Clock { to: 9 },
            create("a"),
        ] {
            fold.push(&record, bytes(&record));
        }
        let (clock, kept) = fold.finish();
        assert_eq!(clock, Some(9));
        let expected = [create("B"), stop("b"), create("c"), create("a")];
        assert_eq!(kept, expected.iter().map(bytes).collect::<Vec<_>>());
    }

    #[test]
    fn a_job_in_another_region_is_another_job() {
        let mut fold = Fold::new(Some(1));
        let elsewhere = Record::Delete {
            account: "000000000000".into(),
            region: "eu-west-1".into(),
            name: "a".into(),
            settled: 3,
        };
        for record in [create("a"), elsewhere] {
            fold.push(&record, bytes(&record));
        }
        assert_eq!(fold.finish(), (Some(1), vec![bytes(&create("a"))]));
    }
}
