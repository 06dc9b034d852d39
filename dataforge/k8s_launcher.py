"""The run launcher for Kubernetes: dagster-k8s's, with every run routed before its pod is built.

Set in the instance (deploy/dagster.yaml, helm/values.yaml ``customRunLauncher``) instead of
``dagster_k8s.K8sRunLauncher``; its configuration is the same. Before launching, a run without
a ``dagster-k8s/config`` tag gets the one ``dataforge.lib.run_routing`` chooses for it (UI
Materialize, launchpad, backfills), and the tags are stored on the run, so the UI shows where
it went and why.
"""

from __future__ import annotations

from dagster._core.launcher import LaunchRunContext
from dagster_k8s import K8sRunLauncher

from dataforge.defs.automation.jobs import RELEASE_ASSETS
from dataforge.lib.routing import RoutingPolicy
from dataforge.lib.run_routing import ReleaseSizing, launch_tags


class RoutingK8sRunLauncher(K8sRunLauncher):
    def launch_run(self, context: LaunchRunContext) -> None:
        run = context.dagster_run
        assets = {key.to_user_string() for key in run.asset_selection} if run.asset_selection else None
        tags = launch_tags(
            run.job_name,
            assets,
            run.tags,
            set(RELEASE_ASSETS),
            len(self._instance.get_dynamic_partitions("documents")),
            RoutingPolicy.from_env(),
            ReleaseSizing.from_env(),
        )
        if tags:
            self._instance.add_run_tags(run.run_id, tags)
            run = self._instance.get_run_by_id(run.run_id) or run.with_tags({**run.tags, **tags})
            context = LaunchRunContext(dagster_run=run, workspace=context.workspace)
        super().launch_run(context)
