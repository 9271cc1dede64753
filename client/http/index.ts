/**
 * The HTTP trigger service.
 */
export { buildHttpServer, registeredRoutes, type HttpLoggerOptions, type HttpServerOptions } from './server';
export { buildOpenApiDocument } from './openapi';
export { serve, type ServeOptions } from './serve';
