/**
 * The ingest use case, for embedding in another HTTP front: ingestWebhook, the routes as deployed, the webhook
 * secrets document and the queue port. The AWS wiring (ingest-runtime) stays out so that importing is SDK-free.
 */
export {
  ingestWebhook,
  DEFAULT_MAX_BODY_BYTES,
  type IngestDeps,
  type IngestOutcome,
  type IngestRoute,
} from './ingest-webhook';
export { createIngestRoutes, type RouteServices } from './routes';
export {
  parseWebhookSecrets,
  WebhookSecretsSchema,
  WebhookSecretsError,
  type WebhookSecrets,
} from './webhook-secrets';
export { QueueUnavailableError, EventTooLargeError, leadKeyOf, type EventQueue } from './event-queue';
