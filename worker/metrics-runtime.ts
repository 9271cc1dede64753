/**
 * The worker process's Temporal runtime, with its Prometheus endpoint when one is configured: Temporal's own
 * metrics (task slots, polls, latencies, …) and ours (activities/metrics.ts, workflows/metrics-interceptors.ts)
 * are all recorded on this runtime's meter and served together on one `http://<address>/metrics`.
 */
import { Runtime } from '@temporalio/worker';
import type { TelemetrySettings } from '../config/app-config';
import { WAIT_DURATION_BUCKETS_SECONDS, WorkflowMetrics } from '../workflows/metric-names';

/**
 * Installs the runtime, serving Prometheus metrics when `settings.metricsAddress` is set; otherwise the
 * default runtime (no endpoint, nothing exported). Must run before the process's first NativeConnection:
 * Temporal allows one runtime per process, so a process runs one worker with one endpoint.
 */
export function installWorkerRuntime(settings: TelemetrySettings): Runtime {
  if (!settings.metricsAddress) return Runtime.instance();
  return Runtime.install({
    telemetryOptions: {
      metrics: {
        prometheus: {
          bindAddress: settings.metricsAddress,
          // Prometheus conventions: counters end in _total, durations are in seconds.
          countersTotalSuffix: true,
          useSecondsForDurations: true,
          histogramBucketOverrides: { [WorkflowMetrics.waitDuration]: [...WAIT_DURATION_BUCKETS_SECONDS] },
        },
      },
    },
  });
}
