/**
 * Lets every request of the SDK clients we make be observed (the benchmark counts requests per event and
 * the capacity they consume); with no observer this adds nothing.
 */

export interface AwsRequest {
  readonly service: 'dynamodb' | 'sqs';
  readonly operation: string;
  readonly input: unknown;
  readonly output: unknown;
}

type Observer = (request: AwsRequest) => void;
const observers = new Set<Observer>();

/** Observes every request of every client made here from now on; returns the way to stop. */
export function observeAwsRequests(observer: Observer): () => void {
  observers.add(observer);
  return () => observers.delete(observer);
}

/** Reports a request made without the SDK (the ingest function's small client). */
export function notifyAwsObservers(request: AwsRequest): void {
  for (const observer of observers) observer(request);
}

export function observed<T extends { middlewareStack: { add: (...args: never[]) => void } }>(
  client: T,
  service: AwsRequest['service'],
): T {
  const middleware =
    (next: (args: { input: unknown }) => Promise<{ output: unknown }>, context: { commandName?: string }) =>
    async (args: { input: unknown }) => {
      let output: unknown;
      try {
        const result = await next(args);
        output = result.output;
        return result;
      } finally {
        // Failed requests count too: they were sent, and most are billed.
        if (observers.size > 0) {
          const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
          notifyAwsObservers({ service, operation, input: args.input, output });
        }
      }
    };
  (client.middlewareStack.add as (m: unknown, o: unknown) => void)(middleware, {
    step: 'initialize',
    name: 'leadscoreRequestObserver',
  });
  return client;
}
