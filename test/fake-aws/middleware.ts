import type { Pluggable } from '@smithy/types';

/** What the fake needs from one SDK call. */
export interface FakeRequest {
  clientName: string;
  commandName: string;
  input: unknown;
  hostname: string | undefined;
}

/** An HTTP answer the SDK's own deserializer reads (an endpoint that is not AWS: an emulator lacking a call, a proxy page). */
export interface RawAnswer {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export type FakeHandler = (req: FakeRequest) => Promise<{ output: Record<string, unknown>; requestId: string } | { raw: RawAnswer }>;

const RAW = Symbol('fakeAwsRawAnswer');

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
        (next, context) => async (args) => {
          const ctx = context as { clientName?: string; commandName?: string };
          const request = (args as { request?: { hostname?: string } }).request;
          const answer = await handle({
            clientName: ctx.clientName ?? 'UnknownClient',
            commandName: ctx.commandName ?? 'UnknownCommand',
            input: args.input,
            hostname: request?.hostname,
          });
          if ('raw' in answer) {
            // Through the SDK's deserializer (below us) to the raw responder at the bottom of the stack.
            (context as Record<symbol, RawAnswer>)[RAW] = answer.raw;
            return next(args);
          }
          const { output, requestId } = answer;
          return {
            output: { ...output, $metadata: { httpStatusCode: 200, requestId } },
            response: { statusCode: 200, headers: { 'x-amzn-requestid': requestId }, body: undefined },
          };
        },
        { step: 'deserialize', priority: 'high', name: 'fakeAwsMiddleware', override: true },
      );
      stack.add(
        (_next, context) => async () => {
          const raw = (context as Record<symbol, RawAnswer | undefined>)[RAW];
          if (!raw) throw new Error('fake-aws: nothing may reach the network');
          return { response: { statusCode: raw.statusCode, headers: raw.headers, body: new TextEncoder().encode(raw.body) }, output: undefined };
        },
        { step: 'deserialize', priority: 'low', name: 'fakeAwsRawResponder', override: true },
      );
    },
  };
}
