/** The worker options that trace workflows and activities when tracing is on. */
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import type { WorkerOptions } from '@temporalio/worker';
import type { Tracing } from '../config/tracing';

/**
 * The workflow interceptor module of OpenTelemetry tracing. It runs inside the workflow sandbox, so it must be
 * part of the workflow bundle: a worker started from `workflowsPath` gets it through `interceptors.
 * workflowModules`; a prebuilt bundle must be built with it (`bundleWorkflowCode({ workflowInterceptorModules:
 * TRACING_WORKFLOW_INTERCEPTOR_MODULES })`), and its workers must then register the exporter sink.
 */
export const TRACING_WORKFLOW_INTERCEPTOR_MODULES: readonly string[] = [
  require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors'),
];

/**
 * Worker options that carry a span from the client through the workflow to each activity: activity
 * interceptors, the workflow interceptor module, and the sink through which workflow spans leave the sandbox
 * (workflow spans are exported only when not replaying). Without tracing, nothing is added.
 */
export function tracingWorkerOptions(tracing: Tracing | undefined): Partial<WorkerOptions> {
  if (!tracing) return {};
  const options = { tracer: tracing.tracer };
  return {
    interceptors: {
      activity: [
        (ctx) => ({
          inbound: new OpenTelemetryActivityInboundInterceptor(ctx, options),
          outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
        }),
      ],
      workflowModules: [...TRACING_WORKFLOW_INTERCEPTOR_MODULES],
    },
    sinks: { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) },
  };
}
