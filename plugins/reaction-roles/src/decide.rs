//! What a member's gesture on a panel changes, decided from the panel and the roles the member
//! holds, before anything is sent to Discord: the panel's mode, its maximum, and its required and
//! forbidden roles. Pure, so every rule is tested without a host.

use arsenal_plugin_api::prelude::*;

use crate::model::{Mode, Panel};

/// What the member did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gesture {
    /// Pressed the role's button.
    Press(Id<RoleMarker>),
    /// Chose these roles in the menu (the whole choice).
    Choose(Vec<Id<RoleMarker>>),
    /// Added the role's reaction.
    React(Id<RoleMarker>),
    /// Took the role's reaction away.
    Unreact(Id<RoleMarker>),
}

/// Roles to give and to take.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Change {
    pub add: Vec<Id<RoleMarker>>,
    pub remove: Vec<Id<RoleMarker>>,
}

/// Why nothing is done, as the member is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The member holds this forbidden role.
    Forbidden(Id<RoleMarker>),
    /// The member holds none of the required roles.
    MissingRequired(Vec<Id<RoleMarker>>),
    /// Taking this would go over the panel's maximum.
    Limit(u8),
    /// A binding panel whose choice was made.
    Locked(Id<RoleMarker>),
}

/// Why there was nothing to do, though nothing was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unchanged {
    /// Verify mode, or a reaction for a role already held.
    AlreadyHas(Id<RoleMarker>),
    /// Drop mode for a role not held.
    DoesNotHave(Id<RoleMarker>),
    /// The gesture means nothing in this mode (unreacting on a verify panel), or the choice is
    /// what the member has already.
    Nothing,
}

/// The decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Change(Change),
    Refused(Refusal),
    Unchanged(Unchanged),
}

/// Decides what `gesture` by a member holding `held` does on `panel`. Roles the gesture names
/// that are not on the panel are ignored (a stale button or reaction).
pub fn decide(panel: &Panel, held: &[Id<RoleMarker>], gesture: &Gesture) -> Outcome {
    if let Some(role) = panel.forbidden.iter().find(|r| held.contains(r)) {
        return Outcome::Refused(Refusal::Forbidden(*role));
    }
    if !panel.required.is_empty() && !panel.required.iter().any(|r| held.contains(r)) {
        return Outcome::Refused(Refusal::MissingRequired(panel.required.clone()));
    }
    let on_panel: Vec<Id<RoleMarker>> = panel.roles().collect();
    let has = |role: &Id<RoleMarker>| held.contains(role);
    let held_here: Vec<Id<RoleMarker>> = on_panel.iter().copied().filter(has).collect();
    let mut change = Change::default();
    let mode = panel.mode;
    match gesture {
        Gesture::Press(role) | Gesture::React(role) | Gesture::Unreact(role)
            if !on_panel.contains(role) =>
        {
            return Outcome::Unchanged(Unchanged::Nothing);
        }
        Gesture::Press(role) => match mode {
            Mode::Normal | Mode::Unique | Mode::Reversed => {
                if has(role) {
                    change.remove.push(*role);
                } else {
                    change.add.push(*role);
                }
            }
            Mode::Verify if has(role) => return Outcome::Unchanged(Unchanged::AlreadyHas(*role)),
            Mode::Verify => change.add.push(*role),
            Mode::Drop if has(role) => change.remove.push(*role),
            Mode::Drop => return Outcome::Unchanged(Unchanged::DoesNotHave(*role)),
            Mode::Binding => {
                if let Some(chosen) = held_here.first() {
                    return Outcome::Refused(Refusal::Locked(*chosen));
                }
                change.add.push(*role);
            }
        },
        Gesture::React(role) => match mode {
            Mode::Normal | Mode::Unique | Mode::Verify | Mode::Binding if has(role) => {
                return Outcome::Unchanged(Unchanged::AlreadyHas(*role));
            }
            Mode::Binding if !held_here.is_empty() => {
                return Outcome::Refused(Refusal::Locked(held_here[0]));
            }
            Mode::Normal | Mode::Unique | Mode::Verify | Mode::Binding => change.add.push(*role),
            Mode::Drop | Mode::Reversed if has(role) => change.remove.push(*role),
            Mode::Drop | Mode::Reversed => {
                return Outcome::Unchanged(Unchanged::DoesNotHave(*role));
            }
        },
        Gesture::Unreact(role) => match mode {
            Mode::Normal | Mode::Unique if has(role) => change.remove.push(*role),
            Mode::Reversed if !has(role) => change.add.push(*role),
            _ => return Outcome::Unchanged(Unchanged::Nothing),
        },
        Gesture::Choose(chosen) => {
            let chosen: Vec<Id<RoleMarker>> = on_panel
                .iter()
                .copied()
                .filter(|r| chosen.contains(r))
                .collect();
            match mode {
                Mode::Normal | Mode::Unique => {
                    change.add = chosen.iter().copied().filter(|r| !has(r)).collect();
                    change.remove = held_here
                        .iter()
                        .copied()
                        .filter(|r| !chosen.contains(r))
                        .collect();
                }
                Mode::Verify => change.add = chosen.iter().copied().filter(|r| !has(r)).collect(),
                Mode::Drop => change.remove = chosen.iter().copied().filter(has).collect(),
                Mode::Reversed => {
                    change.remove = chosen.iter().copied().filter(has).collect();
                    change.add = on_panel
                        .iter()
                        .copied()
                        .filter(|r| !chosen.contains(r) && !has(r))
                        .collect();
                }
                Mode::Binding => {
                    if let Some(chosen) = held_here.first() {
                        return Outcome::Refused(Refusal::Locked(*chosen));
                    }
                    change.add = chosen;
                }
            }
        }
    }
    if mode.one_role() && !change.add.is_empty() {
        // One role at a time: the newest pick wins, the others go.
        change.add.truncate(1);
        for role in &held_here {
            if !change.add.contains(role) && !change.remove.contains(role) {
                change.remove.push(*role);
            }
        }
    }
    if let Some(max) = panel.max.filter(|_| !change.add.is_empty()) {
        let after = held_here
            .iter()
            .filter(|r| !change.remove.contains(r))
            .count()
            + change.add.len();
        if after > usize::from(max) {
            return Outcome::Refused(Refusal::Limit(max));
        }
    }
    if change.add.is_empty() && change.remove.is_empty() {
        return Outcome::Unchanged(Unchanged::Nothing);
    }
    Outcome::Change(change)
}
