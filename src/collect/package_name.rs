//! One package key for every collector and importer: `package:<name>`, with the
//! architecture kept only when it is not the host's own.
//!
//! `dpkg-query` prints `libcurl4:amd64` for a multi-arch package and `libcurl4` for
//! others; Ansible's `package_facts` and osquery give the name and the architecture
//! apart. All of them become `package:libcurl4` on an amd64 host, so an imported
//! inventory lines up with a collected one. A copy for another architecture (`i386`
//! on an amd64 host) is a different fact: `package:libc6:i386`.

/// The fact key of a package named `name` (possibly `name:arch`) built for `arch`, on
/// a host whose own architecture is `native` (either naming: `x86_64` or `amd64`).
///
/// The architecture is left out when it is the host's own, architecture-independent
/// (`all`, `noarch`), or when the host's own is unknown.
pub fn package_key(name: &str, arch: Option<&str>, native: Option<&str>) -> String {
    let (base, qualifier) = match name.split_once(':') {
        Some((base, qualifier)) if !qualifier.is_empty() => (base, Some(qualifier)),
        _ => (name, None),
    };
    let arch = qualifier.or(arch).map(str::trim).filter(|a| !a.is_empty());
    match (arch, native) {
        (Some(arch), Some(native))
            if !matches!(arch, "all" | "noarch" | "any" | "(none)")
                && dpkg_arch(arch) != dpkg_arch(native) =>
        {
            format!("package:{base}:{arch}")
        }
        _ => format!("package:{base}"),
    }
}

/// Debian's name for a machine architecture (`x86_64` → `amd64`, `aarch64` → `arm64`,
/// `i686` → `i386`, `armv7l` → `armhf`); other names are returned as they are.
pub fn dpkg_arch(machine: &str) -> &str {
    match machine {
        "x86_64" | "amd64" => "amd64",
        "aarch64" | "arm64" => "arm64",
        "i386" | "i486" | "i586" | "i686" => "i386",
        "armv7l" | "armhf" => "armhf",
        "ppc64le" | "ppc64el" => "ppc64el",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_native_architecture_is_left_out_however_it_is_spelt() {
        assert_eq!(
            package_key("libcurl4:amd64", None, Some("amd64")),
            "package:libcurl4"
        );
        assert_eq!(
            package_key("libcurl4", Some("amd64"), Some("x86_64")),
            "package:libcurl4"
        );
        assert_eq!(
            package_key("glibc", Some("x86_64"), Some("amd64")),
            "package:glibc"
        );
        assert_eq!(
            package_key("tzdata", Some("all"), Some("amd64")),
            "package:tzdata"
        );
        assert_eq!(package_key("bash", None, None), "package:bash");
    }

    #[test]
    fn a_foreign_architecture_is_a_fact_of_its_own() {
        assert_eq!(
            package_key("libc6:i386", None, Some("amd64")),
            "package:libc6:i386"
        );
        assert_eq!(
            package_key("glibc", Some("i686"), Some("x86_64")),
            "package:glibc:i686"
        );
        // Without knowing the host's own, nothing tells a copy foreign.
        assert_eq!(package_key("libc6:i386", None, None), "package:libc6");
    }
}
