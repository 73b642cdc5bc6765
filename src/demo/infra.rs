//! Infrastructure: machine size, disks and mounts, plus volatile load and uptime figures.

use chrono::SecondsFormat;

use crate::model::{Category, Snapshot};

use super::facts::Facts;
use super::fake;
use super::hosts::{Env, Per};
use super::profile::Profile;

/// Adds the infra facts of `p` to `snap`, with volatile figures for `snap.taken_at`.
pub(super) fn add(snap: &mut Snapshot, p: &Profile) {
    let taken_at = snap.taken_at;
    let env = p.host.env;
    let (instance_type, cpus, memory_mb, swap_mb): (&str, u64, u64, u64) = Per {
        dev: ("t3.large", 2, 7_936, 2_048),
        staging: ("t3.medium", 2, 3_904, 0),
        prod: ("m6i.2xlarge", 8, 31_806, 0),
    }
    .get(env);
    let mut f = Facts::new(snap, Category::Infra);

    f.scalar("architecture", "x86_64");
    f.scalar("virtualization", "amazon");
    f.scalar("instance_type", instance_type);
    f.scalar("cpu.count", cpus);
    f.scalar("cpu.model", "Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz");
    f.scalar("memory.total_mb", memory_mb);
    f.scalar("swap.total_mb", swap_mb);

    let root_gb = Per {
        dev: "100",
        staging: "30",
        prod: "30",
    }
    .get(env);
    f.record(
        "disk:nvme0n1",
        [
            ("model", "Amazon Elastic Block Store"),
            ("rotational", "false"),
            ("size_gb", root_gb),
        ],
    );
    let mut mounts = vec!["/", "/boot/efi", "/tmp"];
    f.record(
        "mount:/",
        [
            ("device", "/dev/nvme0n1p1"),
            ("fstype", "ext4"),
            ("options", "rw,relatime,discard,errors=remount-ro"),
        ],
    );
    f.record(
        "mount:/boot/efi",
        [
            ("device", "/dev/nvme0n1p15"),
            ("fstype", "vfat"),
            ("options", "rw,relatime,fmask=0077,dmask=0077"),
        ],
    );
    f.record(
        "mount:/tmp",
        [
            ("device", "tmpfs"),
            ("fstype", "tmpfs"),
            ("options", "rw,nosuid,nodev,size=2G"),
        ],
    );
    if env != Env::Dev {
        // The servers keep the application and its uploads on a separate volume.
        let data_gb = if env == Env::Prod { "200" } else { "20" };
        f.record(
            "disk:nvme1n1",
            [
                ("model", "Amazon Elastic Block Store"),
                ("rotational", "false"),
                ("size_gb", data_gb),
            ],
        );
        f.record(
            "mount:/srv",
            [
                ("device", "/dev/nvme1n1"),
                ("fstype", "xfs"),
                ("options", "rw,noatime,nodev"),
            ],
        );
        mounts.push("/srv");
    }
    f.set("mounts", mounts);

    // Volatile: different on every host and in every snapshot; ignored by the config.
    let uptime = (taken_at - p.booted_at).num_seconds().max(0);
    f.scalar("uptime_seconds", uptime);
    f.scalar(
        "boot_time",
        p.booted_at.to_rfc3339_opts(SecondsFormat::Secs, true),
    );
    let noise = fake::hash64(&format!("{}/{}", p.host.name, taken_at.timestamp()));
    let load = |shift: u32| {
        let hundredths = (noise >> shift) % (cpus * 60 + 20);
        format!("{}.{:02}", hundredths / 100, hundredths % 100)
    };
    f.list("load_average", [load(0), load(16), load(32)]);
    f.scalar(
        "memory.available_mb",
        memory_mb * (35 + (noise >> 48) % 40) / 100,
    );
    f.scalar("disk_used_percent:/", 31 + (noise >> 56) % 12);
}
