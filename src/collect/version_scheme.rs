//! The version scheme of the `versions` facts a collection or an import knows: the
//! package manager that listed the packages, recorded in the snapshot so comparisons
//! follow that manager's rules whatever else the snapshot holds.

use crate::model::{Category, Scalar, Snapshot, Value};

/// Records in `snapshot` the scheme of what it knows: `package:*` by the package
/// manager that listed the packages (`dpkg`, `rpm` or `apk`), `pip:*` as PEP 440 and
/// `npm:*` as semver when such facts are present.
pub fn record(snapshot: &mut Snapshot) {
    let Some(versions) = snapshot.facts.get(&Category::Versions) else {
        return;
    };
    let mut known = Vec::new();
    if let Some(Value::Scalar(Scalar::String(manager))) = versions.get("packages.manager") {
        if matches!(manager.as_str(), "dpkg" | "rpm" | "apk") {
            known.push(("package:*", manager.clone()));
        }
    }
    for (pattern, scheme) in [("pip:*", "pep440"), ("npm:*", "semver")] {
        let prefix = pattern.trim_end_matches('*');
        if versions.keys().any(|k| k.starts_with(prefix)) {
            known.push((pattern, scheme.to_string()));
        }
    }
    for (pattern, scheme) in known {
        snapshot.schemes.insert(pattern.to_string(), scheme);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    #[test]
    fn the_package_manager_sets_the_scheme_of_packages() {
        let mut s = Snapshot::new("prod", "web-1", Utc::now(), crate::model::Source::Local);
        s.insert(Category::Versions, "packages.manager", Value::string("rpm"));
        s.insert(
            Category::Versions,
            "package:curl",
            Value::version("8.5.0-1.el9"),
        );
        s.insert(Category::Versions, "pip:requests", Value::version("2.31.0"));
        record(&mut s);
        assert_eq!(s.scheme_of("package:curl"), Some("rpm"));
        assert_eq!(s.scheme_of("pip:requests"), Some("pep440"));
        assert_eq!(s.scheme_of("npm:left-pad"), None);
        let mut unknown = Snapshot::new("prod", "web-1", Utc::now(), crate::model::Source::Local);
        unknown.insert(
            Category::Versions,
            "packages.manager",
            Value::string("pacman"),
        );
        record(&mut unknown);
        assert!(unknown.schemes.is_empty());
    }
}
