//! What changing or deleting a kind's resource does beyond the resource itself, as the
//! kind says it: the yes a replacement needs (the VPC takes everything in it, a database
//! its data), updates that may wait for a maintenance window, the running copies another
//! change renews (a group's instances), the protection and data a deletion takes and
//! what stays afterwards (a final snapshot). The run layer asks and says these; it never
//! decides them by kind name.

/// What replacing one of a kind's resources loses, which decides the flag it needs
/// beyond apply's yes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Replacing {
    /// Nothing the user keeps: made again like any other change.
    #[default]
    Free,
    /// Everything inside it goes and comes back (the VPC): `--replace-vpc`.
    Everything,
    /// The data it holds (the database): `--replace-database`.
    Data,
}

/// How another resource of the plan changes, as a dependent sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Altered {
    /// Changed in place (a launch template's new version).
    Updated,
    /// Made again: a new, empty one (a database).
    Replaced,
}

/// What deleting one resource takes with it, said before destroy asks.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Deleting {
    /// What it is, in English and Korean ("database", "데이터베이스").
    pub what: (&'static str, &'static str),
    /// Its name, as the question shows it.
    pub name: String,
    /// Deletion protection is on: destroy turns it off.
    pub protected: bool,
    /// It holds data of this size (GiB), where known.
    pub gib: Option<u32>,
    /// The final snapshot the plan keeps of it (the name's start, `…-final-`), or `None`
    /// when its data goes with it.
    pub snapshot: Option<String>,
}

/// Something a deletion leaves on purpose (a final snapshot), listed after a destroy.
#[derive(Debug, Clone, PartialEq)]
pub struct Remains {
    pub name: String,
    pub gib: u32,
}
