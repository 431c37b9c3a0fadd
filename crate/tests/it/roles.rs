//! Roles where people look: each owner group of the fixture org carries the organization role
//! users.json gives, and membership with the input that says so; owners.csv prints them.

use crate::support;

use keyroster::{analyze, export, Policy};
use support::{org_inventory, AS_OF};

#[test]
fn owner_groups_carry_org_role_and_membership_with_its_source() {
    let r = analyze(&org_inventory(), &Policy::default(), AS_OF);
    let roles = |label: &str| {
        r.groups
            .by_owner
            .iter()
            .find(|g| g.label == label)
            .and_then(|g| g.roles.clone())
            .unwrap_or_else(|| panic!("no roles for {label}"))
    };
    let ada = roles("Ada Okafor");
    assert_eq!(ada.org_role.as_deref(), Some("owner"));
    assert_eq!(ada.membership, "current member");
    assert_eq!(ada.source.as_deref(), Some("org/users.json"));
    assert_eq!(ada.line(), "org owner · current member (org/users.json)");
    let ben = roles("Ben Carter");
    assert_eq!(ben.org_role.as_deref(), Some("reader"));
    // An owner no key names cannot be judged: unknown, not "departed".
    let nobody = roles("(unknown owner)");
    assert!(
        nobody.membership.starts_with("unknown"),
        "{}",
        nobody.membership
    );

    let csv = String::from_utf8(export::csv::owners(&r, &Default::default())).unwrap();
    let header = csv.lines().next().unwrap();
    assert!(
        header.starts_with(
            "owner_type,owner_name,owner_email,owner_id,org_role,project_roles,membership,membership_source,keys,"
        ),
        "{header}"
    );
    let ada_row = csv.lines().find(|l| l.contains("Ada Okafor")).unwrap();
    assert!(
        ada_row.contains(",owner,,current member,org/users.json,"),
        "{ada_row}"
    );
}
