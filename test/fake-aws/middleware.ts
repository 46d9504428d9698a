import type { Pluggable } from '@smithy/types';

/** What the fake needs from one SDK call. */
export interface FakeRequest {
  clientName: string;
  commandName: string;
  input: unknown;
  hostname: string | undefined;
}

export type FakeHandler = (req: FakeRequest) => Promise<{ output: Record<string, unknown>; requestId: string }>;

/**
 * The smithy plugin: a middleware at step 'deserialize', priority 'high'. It sits below the retry middleware
 * (finalizeRequest step), the signer and the serializer, so those run for real; it never calls `next`, so
 * nothing reaches the network. Its result is what `client.send()` resolves with; its errors are what
 * the retry strategy sees (and retries, for throttling and 5xx).
 */
export function fakeAwsPlugin(handle: FakeHandler): Pluggable<any, any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return {
    applyToStack(stack) {
      stack.add(
        (_next, context) => async (args) => {
          const ctx = context as { clientName?: string; commandName?: string };
          const request = (args as { request?: { hostname?: string } }).request;
          const { output, requestId } = await handle({
            clientName: ctx.clientName ?? 'UnknownClient',
            commandName: ctx.commandName ?? 'UnknownCommand',
            input: args.input,
            hostname: request?.hostname,
          });
          return {
            output: { ...output, $metadata: { httpStatusCode: 200, requestId } },
            response: { statusCode: 200, headers: { 'x-amzn-requestid': requestId }, body: undefined },
          };
        },
        { step: 'deserialize', priority: 'high', name: 'fakeAwsMiddleware', override: true },
      );
    },
  };
}
