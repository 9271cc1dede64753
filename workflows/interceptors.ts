/**
 * The workflow interceptor module baked into the workflow bundle (worker/workflow-bundle.ts): the
 * migration's metrics on every `migrateToAurora` run (a fleet's own run is not a migration; its children
 * are, and count), and OpenTelemetry tracing on runs started by a tracing client.
 */
import { workflowInfo, type WorkflowInterceptorsFactory } from '@temporalio/workflow';
import { WORKFLOW_TYPE } from './ids';
import { MigrationMetricsInterceptor } from './metrics-interceptors';
import { tracingInterceptors } from './tracing-interceptors';

/** Called by Temporal once per run, inside the workflow sandbox (workflowInfo() is set by then). */
export const interceptors: WorkflowInterceptorsFactory = () => {
  const tracing = tracingInterceptors();
  const metrics = workflowInfo().workflowType === WORKFLOW_TYPE ? [new MigrationMetricsInterceptor()] : [];
  return {
    inbound: tracing.inbound,
    outbound: tracing.outbound,
    internals: [...metrics, ...(tracing.internals ?? [])],
  };
};
