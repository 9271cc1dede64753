/**
 * OpenTelemetry tracing inside the workflow (part of the workflow bundle), switched on per run: a run traces
 * only when the client that started it sent a span context (the `_tracer-data` header, present when the
 * client traces). An untraced run creates no tracer, no spans and no sink calls, so tracing off costs
 * nothing. The choice comes from the start's headers, which are in history, so replays choose alike.
 */
import { TRACE_HEADER } from '@temporalio/interceptors-opentelemetry/lib/instrumentation';
import {
  OpenTelemetryInboundInterceptor,
  OpenTelemetryInternalsInterceptor,
  OpenTelemetryOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry/lib/workflow';
import type { WorkflowInterceptors } from '@temporalio/workflow';

interface Otel {
  inbound: OpenTelemetryInboundInterceptor;
  outbound: OpenTelemetryOutboundInterceptor;
  internals: OpenTelemetryInternalsInterceptor;
}

/**
 * The interceptors of one run: each call goes to OpenTelemetry's interceptor once the run knows it is traced,
 * and straight on otherwise. Spans leave the sandbox through the worker's `exporter` sink.
 */
export function tracingInterceptors(): WorkflowInterceptors {
  let otel: Otel | undefined;
  return {
    inbound: [
      {
        execute(input, next) {
          if (input.headers[TRACE_HEADER]) {
            otel = {
              inbound: new OpenTelemetryInboundInterceptor(),
              outbound: new OpenTelemetryOutboundInterceptor(),
              internals: new OpenTelemetryInternalsInterceptor(),
            };
          }
          return otel ? otel.inbound.execute(input, next) : next(input);
        },
        handleSignal: (input, next) => (otel ? otel.inbound.handleSignal(input, next) : next(input)),
        handleUpdate: (input, next) => (otel ? otel.inbound.handleUpdate(input, next) : next(input)),
        validateUpdate: (input, next) => (otel ? otel.inbound.validateUpdate(input, next) : next(input)),
        handleQuery: (input, next) => (otel ? otel.inbound.handleQuery(input, next) : next(input)),
      },
    ],
    outbound: [
      {
        scheduleActivity: (input, next) => (otel ? otel.outbound.scheduleActivity(input, next) : next(input)),
        scheduleLocalActivity: (input, next) => (otel ? otel.outbound.scheduleLocalActivity(input, next) : next(input)),
        startChildWorkflowExecution: (input, next) =>
          otel ? otel.outbound.startChildWorkflowExecution(input, next) : next(input),
        signalWorkflow: (input, next) => (otel ? otel.outbound.signalWorkflow(input, next) : next(input)),
        continueAsNew: (input, next) => (otel ? otel.outbound.continueAsNew(input, next) : next(input)),
        getLogAttributes: (input, next) => (otel ? otel.outbound.getLogAttributes(input, next) : next(input)),
      },
    ],
    internals: [
      {
        dispose: (input, next) => {
          if (otel) void otel.internals.dispose(input, next);
          else next(input);
        },
      },
    ],
  };
}
