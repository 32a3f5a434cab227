//! One shard of a corpus (`--partition K/N`), so a CI matrix spreads a slow corpus over
//! machines and `cjh report merge` joins the shards' results.

use std::fmt;
use std::str::FromStr;

/// Shard `index` of `count`, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Partition {
    /// Which shard, from 1 to `count`.
    pub index: usize,
    /// How many shards.
    pub count: usize,
}

impl Partition {
    /// The whole corpus, as one shard.
    pub const WHOLE: Partition = Partition { index: 1, count: 1 };

    /// Whether the scenario at `position` (0-based, in corpus order) is in this shard.
    /// Dealt round-robin, so each shard gets scenarios from every area, not one area's.
    pub fn holds(self, position: usize) -> bool {
        position % self.count == self.index - 1
    }
}

impl FromStr for Partition {
    type Err = String;

    fn from_str(text: &str) -> Result<Partition, String> {
        let refuse = || format!("'{text}' is not a partition K/N with 1 <= K <= N");
        let (index, count) = text.split_once('/').ok_or_else(refuse)?;
        let index: usize = index.trim().parse().map_err(|_| refuse())?;
        let count: usize = count.trim().parse().map_err(|_| refuse())?;
        if index == 0 || index > count {
            return Err(refuse());
        }
        Ok(Partition { index, count })
    }
}

impl fmt::Display for Partition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partition_reads_as_k_of_n() {
        assert_eq!("2/4".parse(), Ok(Partition { index: 2, count: 4 }));
        assert!("0/4".parse::<Partition>().is_err());
        assert!("5/4".parse::<Partition>().is_err());
        assert!("4".parse::<Partition>().is_err());
    }

    #[test]
    fn every_position_is_in_exactly_one_shard() {
        for position in 0..23 {
            let holding = (1..=4)
                .filter(|index| {
                    Partition {
                        index: *index,
                        count: 4,
                    }
                    .holds(position)
                })
                .count();
            assert_eq!(holding, 1, "position {position}");
        }
    }
}
