//! `driftscope probe-script`: print the collection script, so a fleet engine (Ansible,
//! Salt, cron…) can run it on many hosts; `driftscope import raw` reads what it printed.

use std::io::Write;

use color_eyre::eyre::{Result, eyre};

use super::{Outcome, emit};
use crate::collect::{catalogue, script};
use crate::config::{CONFIG_FILE, CollectSettings};
use crate::store::Workspace;

/// The script for the probes `workspace`'s configuration asks for, with a header saying
/// how to run it and import its output.
pub fn script_text(workspace: &Workspace) -> Result<String> {
    let settings = CollectSettings::from_config(&workspace.config);
    let probes = catalogue::plan_probes(&settings).map_err(|e| eyre!("{CONFIG_FILE}: {e}"))?;
    let compiled = script::compile(&probes, settings.collect.probe_timeout);
    let body = compiled
        .text
        .strip_prefix("# driftscope probe script\n")
        .unwrap_or(&compiled.text);
    Ok(format!(
        "#!/bin/sh\n\
         # driftscope probe script: {} probes, plan {}.\n\
         # Read-only. Run it on each host with a POSIX shell and keep its standard output\n\
         # byte for byte, e.g. `sh -s < probe.sh > HOST.out`; then import the outputs with\n\
         # `driftscope import raw HOST.out… --env ENV`. Print it again after changing the\n\
         # probes in {CONFIG_FILE}: output of another probe list is refused.\n\
         {body}",
        probes.len(),
        script::plan_digest(&probes),
    ))
}

/// Writes the script to `out`.
pub fn run(workspace: &Workspace, out: &mut dyn Write) -> Result<Outcome> {
    emit(out, &script_text(workspace)?)?;
    Ok(Outcome::Success)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_names_its_plan_and_prints_host_time_and_plan_lines() {
        let text = script_text(&crate::demo::workspace()).unwrap();
        assert!(text.starts_with("#!/bin/sh\n# driftscope probe script: "));
        assert!(text.contains("printf '@@%s host %s\\n'"), "{text}");
        assert!(text.contains("printf '@@%s time %s\\n'"));
        assert!(text.contains("printf '@@%s plan %s %s\\n'"));
        assert_eq!(text.matches("# driftscope probe script").count(), 1);
    }
}
