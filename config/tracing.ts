/**
 * Tracing with OpenTelemetry: one tracer provider per process, spans exported over OTLP/HTTP when an endpoint
 * is configured, and nothing at all otherwise (no provider, no interceptors, no headers). Clients and workers
 * take a `Tracing` so tests can hand them an in-memory exporter instead.
 */
import type { Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import type { TelemetrySettings } from './app-config';
import { installOtelContext } from './otel-context';

/** What clients and workers need to trace: the tracer, where spans go, and who produced them. */
export interface Tracing {
  /** Starts the spans of the client and activity interceptors. */
  tracer: Tracer;
  /** Where every span ends up, workflow spans included (through the worker's exporter sink). */
  spanProcessor: SpanProcessor;
  /** Who produced the spans (`service.name`); attached to workflow spans as they leave the sandbox. */
  resource: Resource;
  /** Sends what is buffered; call before the process exits (the CLI exits right after a start). */
  flush(): Promise<void>;
}

/** Options of createTracing. */
export interface CreateTracingOptions {
  /** Receives the spans: a batching OTLP exporter in production, an in-memory one in tests. */
  spanProcessor: SpanProcessor;
  /** `service.name` of the spans. */
  serviceName: string;
}

/** Builds a tracer over `spanProcessor`, and installs the process's span context and propagator. */
export function createTracing(options: CreateTracingOptions): Tracing {
  installOtelContext();
  const resource = new Resource({ 'service.name': options.serviceName });
  const provider = new BasicTracerProvider({ resource, spanProcessors: [options.spanProcessor] });
  return {
    tracer: provider.getTracer('aurora-migrate'),
    spanProcessor: options.spanProcessor,
    resource,
    flush: () => provider.forceFlush(),
  };
}

const fromSettings = new Map<string, Tracing>();

/**
 * The process's tracing for these settings: undefined when no OTLP endpoint is configured; otherwise one
 * batching OTLP/HTTP exporter per endpoint, shared by every client and worker of the process. Headers and
 * timeouts come from OpenTelemetry's own variables (`OTEL_EXPORTER_OTLP_HEADERS`, …), read by the exporter.
 */
export function tracingFromSettings(settings: TelemetrySettings): Tracing | undefined {
  const url = settings.tracesEndpoint;
  if (!url) return undefined;
  let tracing = fromSettings.get(url);
  if (!tracing) {
    tracing = createTracing({
      spanProcessor: new BatchSpanProcessor(new OTLPTraceExporter({ url })),
      serviceName: settings.serviceName,
    });
    fromSettings.set(url, tracing);
  }
  return tracing;
}

/** Flushes every exporter this process built from settings (a no-op when tracing is off). */
export async function flushTracing(): Promise<void> {
  await Promise.all([...fromSettings.values()].map((t) => t.flush()));
}

/** The client interceptors that start a span per call and pass it to the workflow in a header. */
export function tracingClientInterceptors(tracing: Tracing | undefined): WorkflowClientInterceptor[] {
  return tracing ? [new OpenTelemetryWorkflowClientInterceptor({ tracer: tracing.tracer })] : [];
}
