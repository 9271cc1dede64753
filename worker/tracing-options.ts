/**
 * The worker options of tracing: activity interceptors that continue the workflow's span, and the `exporter`
 * sink through which workflow spans leave the sandbox. The workflow side is in the workflow bundle
 * (workflows/tracing-interceptors.ts) and traces only runs started by a tracing client.
 */
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import type { WorkerOptions } from '@temporalio/worker';
import type { Tracing } from '../config/tracing';

/**
 * With tracing: the activity interceptors and a sink exporting workflow spans (never while replaying).
 * Without: only a sink that drops spans, for runs a tracing client started on a worker that does not trace
 * (the bundle is the same for both, and an unregistered sink would be reported on every span).
 */
export function tracingWorkerOptions(tracing: Tracing | undefined): Partial<WorkerOptions> {
  if (!tracing) {
    return { sinks: { exporter: { export: { fn: () => undefined, callDuringReplay: false } } } };
  }
  const options = { tracer: tracing.tracer };
  return {
    interceptors: {
      activity: [
        (ctx) => ({
          inbound: new OpenTelemetryActivityInboundInterceptor(ctx, options),
          outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
        }),
      ],
    },
    sinks: { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) },
  };
}
