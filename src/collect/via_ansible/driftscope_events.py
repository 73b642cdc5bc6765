# driftscope: reports Ansible's per-host events as JSON lines on standard output, one
# object per line: {"event": "start"|"ok"|"failed"|"unreachable"|"skipped", "host": ...,
# "task": ..., "reason": ...}. Written next to the playbook driftscope generates and
# enabled as the stdout callback for that run only.
from __future__ import annotations

import json
import sys

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: driftscope_events
type: stdout
short_description: one JSON line per host event, read by driftscope
description:
  - Prints one JSON object per line for each host event of a driftscope collection.
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "stdout"
    CALLBACK_NAME = "driftscope_events"

    def _emit(self, event, host, task, **fields):
        record = {"event": event, "host": host.get_name(), "task": task.get_name()}
        record.update(fields)
        sys.stdout.write(json.dumps(record, default=str) + "\n")
        sys.stdout.flush()

    @staticmethod
    def _reason(result):
        data = result._result
        for key in ("msg", "stderr", "module_stderr", "module_stdout", "exception"):
            value = data.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()
        return ""

    def v2_runner_on_start(self, host, task):
        self._emit("start", host, task)

    def v2_runner_on_ok(self, result):
        self._emit("ok", result._host, result._task)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._emit("failed", result._host, result._task, reason=self._reason(result))

    def v2_runner_on_unreachable(self, result):
        self._emit("unreachable", result._host, result._task, reason=self._reason(result))

    def v2_runner_on_skipped(self, result):
        self._emit("skipped", result._host, result._task)
