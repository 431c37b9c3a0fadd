//! The owner join: members match key owners by id, else email, else a folded name, using only
//! the fields both sides carry, and every key records how its owner's membership was decided
//! (`Key::owner_match`), so "not among the members" is said only when a shared field says so.

use keyroster::ingest::merge;
use keyroster::model::{Inventory, Key, MatchField, Member, Owner, OwnerMatch, OwnerType};

fn owner(id: Option<&str>, email: Option<&str>, name: Option<&str>) -> Owner {
    Owner {
        kind: OwnerType::User,
        id: id.map(Into::into),
        email: email.map(Into::into),
        name: name.map(Into::into),
    }
}

fn member(id: Option<&str>, email: Option<&str>, name: Option<&str>) -> Member {
    Member {
        id: id.map(Into::into),
        email: email.map(Into::into),
        name: name.map(Into::into),
        kind: OwnerType::User,
        ..Member::default()
    }
}

/// One key owned by `o`, linked against `members`.
fn linked_inventory(o: Owner, members: Vec<Member>) -> Inventory {
    let mut inv = Inventory {
        keys: vec![Key {
            name: "deploy".into(),
            owner: o,
            ..Key::default()
        }],
        members_known: true,
        members,
        ..Inventory::default()
    };
    merge::link(&mut inv);
    inv
}

/// Links one key owned by `o` against `members` and returns the linked key.
fn linked(o: Owner, members: Vec<Member>) -> Key {
    linked_inventory(o, members).keys.remove(0)
}

fn by(f: MatchField) -> OwnerMatch {
    OwnerMatch::Member { by: f }
}

/// The false alarm: the key page gives the owner's user id and name, the members page
/// names and emails but no ids. The id says nothing there; the name does.
#[test]
fn owner_with_an_id_joins_members_without_ids_by_name() {
    let k = linked(
        owner(Some("user-Pn81"), None, Some("Priya Nair")),
        vec![
            member(None, Some("priya@acme.test"), Some("Priya Nair")),
            member(None, Some("tom@acme.test"), Some("Tom Okafor")),
        ],
    );
    // Joined by name, the owner gains the member's email, and the join records the strongest
    // field the two now share: the same answer whatever order the pages were read in.
    assert_eq!(k.owner_match, by(MatchField::Email));
    assert_eq!(k.owner.email.as_deref(), Some("priya@acme.test"));
    assert_eq!(
        k.owner.id.as_deref(),
        Some("user-Pn81"),
        "the owner's own id is kept"
    );
}

#[test]
fn owner_with_an_id_and_email_joins_members_without_ids_by_email() {
    let k = linked(
        owner(Some("user-Pn81"), Some("Priya@Acme.test"), None),
        vec![member(None, Some("priya@acme.test"), Some("Priya Nair"))],
    );
    assert_eq!(k.owner_match, by(MatchField::Email));
    assert_eq!(k.owner.name.as_deref(), Some("Priya Nair"));
}

#[test]
fn owner_known_only_by_id_against_members_without_ids_is_unknown_not_departed() {
    let k = linked(
        owner(Some("user-Pn81"), None, None),
        vec![member(None, Some("priya@acme.test"), Some("Priya Nair"))],
    );
    assert_eq!(k.owner_match, OwnerMatch::Unknown);
    assert_eq!(k.owner.name, None, "nothing is copied from a guess");
}

#[test]
fn id_on_both_sides_decides() {
    let members = vec![member(Some("user-Pn81"), None, Some("Priya Nair"))];
    let k = linked(owner(Some("user-Pn81"), None, None), members.clone());
    assert_eq!(k.owner_match, by(MatchField::Id));
    assert_eq!(k.owner.name.as_deref(), Some("Priya Nair"));

    // Another id with the same name is another person: the name is not tried.
    let k = linked(owner(Some("user-Zz00"), None, Some("Priya Nair")), members);
    assert_eq!(
        k.owner_match,
        OwnerMatch::NotMember {
            on: vec![MatchField::Id]
        }
    );
}

#[test]
fn email_only_matches_case_insensitively_and_misses_say_not_member() {
    let members = vec![member(None, Some("ada@acme.test"), None)];
    let k = linked(owner(None, Some(" ADA@acme.test"), None), members.clone());
    assert_eq!(k.owner_match, by(MatchField::Email));

    let k = linked(owner(None, Some("bob@acme.test"), Some("Bob")), members);
    assert_eq!(
        k.owner_match,
        OwnerMatch::NotMember {
            on: vec![MatchField::Email]
        }
    );
}

#[test]
fn an_id_and_an_email_both_shared_are_both_named_when_neither_matches() {
    let k = linked(
        owner(
            Some("user-Zz00"),
            Some("gone@acme.test"),
            Some("Ada Lovelace"),
        ),
        vec![member(
            Some("user-Ad01"),
            Some("ada@acme.test"),
            Some("Ada Lovelace"),
        )],
    );
    assert_eq!(
        k.owner_match,
        OwnerMatch::NotMember {
            on: vec![MatchField::Id, MatchField::Email]
        }
    );
}

/// Names compare as a person reads them: Unicode width forms, case, runs of spaces and accents
/// do not make two names different; other letters do.
#[test]
fn name_only_folds_width_case_spacing_and_accents() {
    let members = vec![member(None, None, Some("José Álvarez"))];
    for written in [
        "José Álvarez",
        "jose alvarez",
        "  JOSE   ALVAREZ ",
        "Ｊｏｓé Álvarez",            // full-width letters, as some IMEs type them
        "Jose\u{301} A\u{301}lvarez", // decomposed accents
    ] {
        let k = linked(owner(None, None, Some(written)), members.clone());
        assert_eq!(k.owner_match, by(MatchField::Name), "{written:?}");
    }
    for other in ["Josh Álvarez", "José Álvares", "José"] {
        let k = linked(owner(None, None, Some(other)), members.clone());
        assert_eq!(
            k.owner_match,
            OwnerMatch::NotMember {
                on: vec![MatchField::Name]
            },
            "{other:?}"
        );
    }
}

#[test]
fn a_name_two_people_share_is_a_member_but_copies_nothing() {
    let k = linked(
        owner(None, None, Some("Sam Lee")),
        vec![
            member(Some("user-1"), Some("sam.lee@acme.test"), Some("Sam Lee")),
            member(Some("user-2"), Some("slee@acme.test"), Some("Sam Lee")),
        ],
    );
    assert_eq!(k.owner_match, by(MatchField::Name));
    assert_eq!(k.owner.email, None);
}

#[test]
fn nothing_shared_is_unknown() {
    // The owner has only a name; the members list only emails.
    let k = linked(
        owner(None, None, Some("Priya Nair")),
        vec![member(None, Some("priya@acme.test"), None)],
    );
    assert_eq!(k.owner_match, OwnerMatch::Unknown);
    // An owner with nothing at all.
    let k = linked(
        owner(None, None, None),
        vec![member(Some("user-1"), None, None)],
    );
    assert_eq!(k.owner_match, OwnerMatch::Unknown);
}

#[test]
fn linking_recomputes_the_match_and_without_members_leaves_it_unchecked() {
    let mut inv = Inventory {
        keys: vec![Key {
            owner: owner(None, Some("ada@acme.test"), None),
            ..Key::default()
        }],
        members: vec![member(None, Some("ada@acme.test"), None)],
        members_known: true,
        ..Inventory::default()
    };
    merge::link(&mut inv);
    merge::link(&mut inv);
    assert_eq!(inv.keys[0].owner_match, by(MatchField::Email));
    inv.members.clear();
    merge::link(&mut inv);
    assert_eq!(inv.keys[0].owner_match, OwnerMatch::Unchecked);
}

#[test]
fn owner_match_serializes_tagged_and_old_report_json_reads_as_unchecked() {
    let k = linked(
        owner(None, Some("ada@acme.test"), None),
        vec![member(None, Some("ada@acme.test"), None)],
    );
    let json = serde_json::to_value(&k).expect("a key serializes");
    assert_eq!(
        json["owner_match"],
        serde_json::json!({"status": "member", "by": "email"})
    );
    let back: Key = serde_json::from_value(json).expect("and reads back");
    assert_eq!(back.owner_match, k.owner_match);

    let mut old = serde_json::to_value(Key::default()).expect("a key serializes");
    assert!(old.get("owner_match").is_none(), "unchecked is not written");
    old.as_object_mut().map(|o| o.remove("owner_match"));
    let read: Key = serde_json::from_value(old).expect("JSON without the field reads");
    assert_eq!(read.owner_match, OwnerMatch::Unchecked);
}

/// `owner-departed` over a linked inventory: what the join decided is what the rule judges.
fn departed(o: Owner, members: Vec<Member>) -> bool {
    let inv = linked_inventory(o, members);
    let policy = keyroster::analyze::policy::Policy::preset("default").expect("a preset");
    let report = keyroster::analyze::analyze(&inv, &policy, jiff::civil::date(2026, 11, 22));
    report.findings.iter().any(|f| f.rule == "owner-departed")
}

/// The false alarm, through the rule: a current member known to the key by id and name
/// and to the members page by name and email is not "departed".
#[test]
fn owner_departed_does_not_fire_for_a_current_member_joined_by_name() {
    let members = vec![member(None, Some("priya@acme.test"), Some("Priya Nair"))];
    assert!(!departed(
        owner(Some("user-Pn81"), None, Some("Priya Nair")),
        members.clone()
    ));
    // Known only by an id the page cannot speak of: unknown, not departed.
    assert!(!departed(
        owner(Some("user-Pn81"), None, None),
        members.clone()
    ));
    // A shared field that no member carries: departed.
    assert!(departed(
        owner(None, Some("frank@acme.test"), None),
        members
    ));
}

#[test]
fn owner_departed_fires_for_a_matched_member_who_was_removed() {
    let mut gone = member(None, Some("priya@acme.test"), Some("Priya Nair"));
    gone.status = Some("removed".into());
    let here = member(None, Some("tom@acme.test"), Some("Tom Okafor"));
    assert!(departed(
        owner(None, Some("priya@acme.test"), None),
        vec![gone, here]
    ));
}
