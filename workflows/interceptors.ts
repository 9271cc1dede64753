/**
 * The workflow interceptor module baked into the workflow bundle (worker/workflow-bundle.ts): the
 * migration's metrics on every run, and OpenTelemetry tracing on runs started by a tracing client.
 */
import type { WorkflowInterceptorsFactory } from '@temporalio/workflow';
import { MigrationMetricsInterceptor } from './metrics-interceptors';
import { tracingInterceptors } from './tracing-interceptors';

/** Called by Temporal once per run, inside the workflow sandbox. */
export const interceptors: WorkflowInterceptorsFactory = () => {
  const tracing = tracingInterceptors();
  return {
    inbound: tracing.inbound,
    outbound: tracing.outbound,
    internals: [new MigrationMetricsInterceptor(), ...(tracing.internals ?? [])],
  };
};
