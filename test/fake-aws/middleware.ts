import { getSmithyContext } from '@smithy/core';
import { NormalizedSchema, operation } from '@smithy/core/schema';
import { HttpResponse } from '@smithy/core/transport';
import type { Pluggable } from '@smithy/types';
import { JsonShapeSerializer, XmlShapeSerializer } from '@aws-sdk/core/protocols';

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

/** Where the fake plugs in (see README "Wiring"). */
export type FakeWiring = 'objects' | 'wire';

/**
 * The smithy plugin: two middlewares at step 'deserialize'; the current `wiring()` picks the one that answers.
 * Neither calls `next` when it answers, so nothing reaches the network.
 *  - 'objects' (default): priority 'high', below the retry middleware (finalizeRequest step), the signer and
 *    the serializer, so those run for real; its result is what `client.send()` resolves with.
 *  - 'wire': priority 'low', below the SDK's own deserializer too: the answer is encoded as the service's
 *    HTTP response body (EC2 query XML, awsQuery XML, or JSON 1.1 for SSM) from the operation's output
 *    schema, and the SDK parses it as it parses AWS's answers. Used to measure the tool's CPU with parsing;
 *    `onEncode` reports the CPU the encoding took, so it is counted as the fake's.
 * Errors are thrown as the SDK's exceptions in both modes; the retry strategy sees (and retries) them. A raw
 * answer (`answerRaw`: an HTML error page, an emulator lacking a call) is returned as the HTTP response by the
 * low middleware in both modes, so the SDK's own deserializer reads it as it would read that endpoint's answer.
 */
export function fakeAwsPlugin(handle: FakeHandler, wiring: () => FakeWiring = () => 'objects', onEncode?: (cpuMicros: number) => void): Pluggable<any, any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const request = (args: { input: unknown; request?: unknown }, context: unknown): FakeRequest => {
    const ctx = context as { clientName?: string; commandName?: string };
    return {
      clientName: ctx.clientName ?? 'UnknownClient',
      commandName: ctx.commandName ?? 'UnknownCommand',
      input: args.input,
      hostname: (args.request as { hostname?: string } | undefined)?.hostname,
    };
  };
  return {
    applyToStack(stack) {
      stack.add(
        (next, context) => async (args) => {
          if (wiring() !== 'objects') return next(args);
          const answer = await handle(request(args, context));
          if ('raw' in answer) {
            // Through the SDK's deserializer (below us) to the responder at the bottom of the stack.
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
        (_next, context) => async (args) => {
          const pending = (context as Record<symbol, RawAnswer | undefined>)[RAW];
          if (pending) return { response: rawResponse(pending), output: undefined } as never;
          const req = request(args, context);
          const answer = await handle(req);
          if ('raw' in answer) return { response: rawResponse(answer.raw), output: undefined } as never;
          const started = process.cpuUsage();
          const response = encodeResponse(req.clientName, context, answer.output, answer.requestId);
          const used = process.cpuUsage(started);
          onEncode?.(used.user + used.system);
          return { response } as never;
        },
        { step: 'deserialize', priority: 'low', name: 'fakeAwsWireMiddleware', override: true },
      );
    },
  };
}

function rawResponse(raw: RawAnswer): HttpResponse {
  return new HttpResponse({ statusCode: raw.statusCode, headers: raw.headers, body: new TextEncoder().encode(raw.body) });
}

const JSON_CLIENTS = new Set(['SSMClient', 'PricingClient', 'EventBridgeClient', 'CloudWatchLogsClient', 'LambdaClient']);

const XML_NAMESPACES: Record<string, string> = {
  EC2Client: 'http://ec2.amazonaws.com/doc/2016-11-15/',
  ElasticLoadBalancingV2Client: 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/',
  AutoScalingClient: 'http://autoscaling.amazonaws.com/doc/2011-01-01/',
  IAMClient: 'https://iam.amazonaws.com/doc/2010-05-08/',
  STSClient: 'https://sts.amazonaws.com/doc/2011-06-15/',
};

/** The HTTP response AWS would send for `output`, built from the operation's output schema. */
function encodeResponse(clientName: string, context: unknown, output: Record<string, unknown>, requestId: string): HttpResponse {
  const { operationSchema } = getSmithyContext(context as never) as { operationSchema?: unknown[] };
  if (!operationSchema) throw new Error(`fake-aws: ${clientName} has no operation schema: wire mode needs a schema-based SDK client`);
  const [, ns, name, traits, input, out] = operationSchema as [unknown, string, string, never, never, never];
  const schema = operation(ns, name, traits, input, out).output as never;
  const headers = { 'x-amzn-requestid': requestId };
  // JSON protocols: awsJson1_1 (SSM, Pricing, EventBridge, CloudWatch Logs) and restJson1 (Lambda: its read
  // outputs the tool parses are body members).
  if (JSON_CLIENTS.has(clientName)) {
    const json = new JsonShapeSerializer({ timestampFormat: { useTrait: true, default: 7 }, jsonName: false });
    json.write(schema, output);
    return new HttpResponse({ statusCode: 200, headers: { ...headers, 'content-type': 'application/x-amz-json-1.1' }, body: Buffer.from(String(json.flush())) });
  }
  const xmlns = XML_NAMESPACES[clientName];
  if (!xmlns) throw new Error(`fake-aws: no wire encoding for ${clientName}`);
  const hasOutput = NormalizedSchema.of(schema).isStructSchema();
  const xml = new XmlShapeSerializer({ timestampFormat: { useTrait: true, default: 5 }, httpBindings: false, xmlNamespace: xmlns, serviceNamespace: '', serializeEmptyLists: true } as never);
  if (hasOutput) xml.write(schema, output);
  const body = hasOutput ? String(xml.flush()) : '';
  // The serializer names the root after the output shape; keep only its children.
  const inner = body.replace(/^<[^>]*>/, '').replace(/<\/[^>]*>$/, '').replace(/^<[^>]*\/>$/, '');
  const text =
    clientName === 'EC2Client'
      ? `<${name}Response xmlns="${xmlns}"><requestId>${requestId}</requestId>${inner}</${name}Response>`
      : `<${name}Response xmlns="${xmlns}"><${name}Result>${inner}</${name}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${name}Response>`;
  return new HttpResponse({ statusCode: 200, headers: { ...headers, 'content-type': 'text/xml' }, body: Buffer.from(text) });
}
