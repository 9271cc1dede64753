/**
 * OpenTelemetry's context for Node: which span is current, carried across `await` by AsyncLocalStorage. The
 * Temporal interceptors read the current span to link client, workflow and activity spans; without a context
 * manager every span would start a new trace. Installed once per process, only when tracing is on.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { type Context, type ContextManager, context, propagation, ROOT_CONTEXT } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

/** A ContextManager over AsyncLocalStorage (what `@opentelemetry/context-async-hooks` provides, in 30 lines). */
export class AsyncLocalContextManager implements ContextManager {
  private storage = new AsyncLocalStorage<Context>();

  /** The context of the code running now (the root context outside any span). */
  active(): Context {
    return this.storage.getStore() ?? ROOT_CONTEXT;
  }

  /** Runs `fn` with `ctx` current, through every `await` inside it. */
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.storage.run<ReturnType<F>>(ctx, () => fn.call(thisArg, ...args));
  }

  /** `target` (if a function) made to run with `ctx` current whenever it is called. */
  bind<T>(ctx: Context, target: T): T {
    if (typeof target !== 'function') return target;
    const run = (...args: unknown[]): unknown =>
      this.with(ctx, () => (target as (...a: unknown[]) => unknown)(...args));
    return run as T;
  }

  /** Nothing to do: AsyncLocalStorage needs no start. */
  enable(): this {
    return this;
  }

  /** Forgets every context (a fresh store for any later use). */
  disable(): this {
    this.storage.disable();
    this.storage = new AsyncLocalStorage<Context>();
    return this;
  }
}

let installed = false;

/**
 * Makes spans flow through `await` and across processes (W3C `traceparent` in Temporal headers). Idempotent:
 * the OpenTelemetry API keeps one global of each, and refuses a second.
 */
export function installOtelContext(): void {
  if (installed) return;
  installed = true;
  context.setGlobalContextManager(new AsyncLocalContextManager());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
}
