/**
 * The worker process's Temporal runtime, with its Prometheus endpoint when one is configured: Temporal's own
 * metrics (task slots, polls, latencies, …) and ours (activities/metrics.ts, workflows/metrics-interceptors.ts)
 * are all recorded on this runtime's meter and served together on one `http://<address>/metrics`.
 */
import { Runtime } from '@temporalio/worker';
import { ConfigError, type TelemetrySettings } from '../config/app-config';
import { WAIT_DURATION_BUCKETS_SECONDS, WorkflowMetrics } from '../workflows/metric-names';

/**
 * Installs the runtime, serving Prometheus metrics when `settings.metricsAddress` is set; otherwise the
 * default runtime (no endpoint, nothing exported). Must run before the process's first NativeConnection:
 * Temporal allows one runtime per process, so a process runs one worker with one endpoint. An address that
 * cannot be bound (in use, not local) is a ConfigError naming AURORA_MIGRATE_METRICS_PORT.
 */
export function installWorkerRuntime(settings: TelemetrySettings): Runtime {
  if (!settings.metricsAddress) return Runtime.instance();
  const bindAddress = settings.metricsAddress;
  try {
    return Runtime.install({
      telemetryOptions: {
        metrics: {
          prometheus: {
            bindAddress,
            // Prometheus conventions: counters end in _total, durations are in seconds.
            countersTotalSuffix: true,
            useSecondsForDurations: true,
            histogramBucketOverrides: { [WorkflowMetrics.waitDuration]: [...WAIT_DURATION_BUCKETS_SECONDS] },
          },
        },
      },
    });
  } catch (err) {
    // Temporal says only "Address already in use"; say which setting chose the address.
    const reason = err instanceof Error ? err.message : String(err);
    if (!/prometheus/i.test(reason)) throw err;
    throw new ConfigError(
      'AURORA_MIGRATE_METRICS_PORT',
      `cannot serve metrics on ${bindAddress} (${reason}): choose a free port, or leave it unset for no endpoint`,
    );
  }
}
