//! The hosts job: ranks an environment's hosts by how far each strays from its
//! majority, or compares one host with its peers, off the UI thread (latest wins). The
//! environment's snapshots stay loaded while the history picks the same ones, so moving
//! from the ranking to a host's peers does not read them again.

use std::sync::Arc;

use super::history_worker::WorkspaceAccess;
use super::hosts::{HostsAnswer, HostsRequest};
use super::jobs::{Cancel, Job, Sink};
use super::message::Msg;
use crate::store::peers;
use crate::store::{ResolvedSide, SideRef, SnapshotMeta, Workspace};

/// The hosts job: latest wins.
pub struct HostsJob<W> {
    workspace: Arc<W>,
    loaded: Option<(SideRef, Vec<SnapshotMeta>, Arc<ResolvedSide>)>,
}

impl<W: WorkspaceAccess> HostsJob<W> {
    /// A job ranking and comparing hosts in `workspace`.
    pub fn new(workspace: Arc<W>) -> HostsJob<W> {
        HostsJob {
            workspace,
            loaded: None,
        }
    }
}

impl<W: WorkspaceAccess> Job for HostsJob<W> {
    type Request = HostsRequest;

    fn run(&mut self, request: HostsRequest, _cancel: &Cancel, send: &Sink) -> bool {
        let loaded = &mut self.loaded;
        let msg = self
            .workspace
            .with(|ws| hosts_answer(ws, loaded, &request))
            .unwrap_or_else(|message| Msg::Hosts {
                id: request.id,
                result: Err(message),
            });
        send(msg)
    }

    fn failed(&self, request: HostsRequest, message: String) -> Option<Msg> {
        Some(Msg::Hosts {
            id: request.id,
            result: Err(format!("comparing the hosts failed: {message}")),
        })
    }

    fn keep(&self, request: &HostsRequest) -> HostsRequest {
        request.clone()
    }
}

/// Answers `request`, reusing the environment in `loaded` while the history picks the
/// same snapshots (and keeping the one it loads there).
pub fn hosts_answer(
    workspace: &Workspace,
    loaded: &mut Option<(SideRef, Vec<SnapshotMeta>, Arc<ResolvedSide>)>,
    request: &HostsRequest,
) -> Msg {
    let side = SideRef::environment(&request.env, None, None);
    let picked = workspace.picked(&side);
    let cached = loaded
        .as_ref()
        .filter(|(s, p, _)| *s == side && *p == picked)
        .map(|(_, _, r)| r.clone());
    let resolved = match cached {
        Some(resolved) => Ok(resolved),
        None => peers::load_environment(workspace, &side).map(|r| {
            let r = Arc::new(r);
            *loaded = Some((side.clone(), picked, r.clone()));
            r
        }),
    };
    let result = resolved
        .and_then(|resolved| match &request.host {
            None => peers::rank_hosts(workspace, &resolved, None)
                .map(|ranking| HostsAnswer::Ranking(Arc::new(ranking.strays))),
            Some(host) => peers::compare_with_peers(workspace, &resolved, host, None)
                .map(|compared| HostsAnswer::Peers(Arc::new(compared.report))),
        })
        .map_err(|e| format!("{e:#}"));
    Msg::Hosts {
        id: request.id,
        result,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_ranks_prod_and_compares_its_outlier_with_its_peers() {
        let workspace = crate::demo::workspace();
        let mut loaded = None;
        let ask = |host: Option<&str>, id| HostsRequest {
            id,
            env: "prod".into(),
            host: host.map(str::to_string),
        };
        let Msg::Hosts { id, result } = hosts_answer(&workspace, &mut loaded, &ask(None, 4)) else {
            panic!("expected hosts");
        };
        assert_eq!(id, 4);
        let Ok(HostsAnswer::Ranking(strays)) = result else {
            panic!("expected a ranking: {result:?}");
        };
        assert_eq!(strays.hosts[0].host, "prod-web-3");
        assert!(strays.hosts[0].strays > 0 && strays.hosts[1].strays == 0);
        assert!(loaded.is_some(), "prod stays loaded");
        let msg = hosts_answer(&workspace, &mut loaded, &ask(Some("prod-web-3"), 5));
        let Msg::Hosts {
            result: Ok(HostsAnswer::Peers(report)),
            ..
        } = msg
        else {
            panic!("expected a peer comparison");
        };
        assert_eq!(report.facts.len(), strays.hosts[0].strays);
        assert_eq!(report.sides[1].label, "prod/prod-web-3");
        let Msg::Hosts { result, .. } = hosts_answer(&workspace, &mut loaded, &ask(Some("x"), 6))
        else {
            panic!("expected hosts");
        };
        let err = result.unwrap_err();
        assert!(err.contains("no host 'x'") && !err.contains('\n'), "{err}");
    }
}
