import { AwsError } from '../errors.js';

/**
 * Failures below AWS's own error model (the endpoint is unreachable, answers something that is not an AWS
 * response, or does not answer in time) become one plain sentence naming the service, the operation, the
 * endpoint and the HTTP status, with what to check. AWS's own errors (a code and a message) pass unchanged:
 * handlers classify them by code.
 */
export class WireError extends AwsError {
  constructor(
    code: string,
    message: string,
    readonly service: string,
    readonly operation: string,
    readonly status: number | undefined,
    options: { actions: string[]; cause: unknown },
  ) {
    super(code, message, options);
  }

  /** The endpoint answered, but not like AWS: it most likely does not implement this call (an emulator, a proxy page). */
  get notImplemented(): boolean {
    return this.code === 'AWS_NOT_AN_AWS_RESPONSE' || this.code === 'AWS_NOT_IMPLEMENTED';
  }
}

export interface CallSite {
  /** e.g. `EC2Client` */
  clientName: string;
  /** e.g. `DescribeVpcsCommand` */
  commandName: string;
  endpoint: string | undefined;
  region: string | undefined;
}

const NETWORK: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused (nothing listens there)',
  ENOTFOUND: 'its host name does not resolve (DNS)',
  EAI_AGAIN: 'its host name could not be resolved (temporary DNS failure)',
  ECONNRESET: 'the connection was reset',
  EPIPE: 'the connection was closed while sending',
  ETIMEDOUT: 'it did not answer in time',
  ECONNABORTED: 'the connection was aborted',
  EHOSTUNREACH: 'the host is unreachable from this machine',
  ENETUNREACH: 'the network is unreachable from this machine',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed and not trusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'its TLS certificate chain is not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its TLS certificate could not be verified',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its TLS certificate does not match the host name',
};

/** Error names the SDK gives when the body could not be read as the service's protocol. */
const UNPARSED_NAMES = new Set(['Unknown', 'UnknownError', 'SyntaxError', 'Error', 'TypeError']);

/** Codes emulators answer for calls they lack (LocalStack: InternalFailure "not yet implemented"; others: NotImplemented). */
const NOT_IMPLEMENTED_CODES = new Set(['NotImplemented', 'NotImplementedException', 'InvalidAction', 'UnknownOperationException']);

interface SdkErrorShape {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: { statusCode?: number; headers?: Record<string, string> };
}

/** The translated error, or undefined when `error` is AWS's own answer (or not a wire failure at all). */
export function translateWireError(error: unknown, site: CallSite): WireError | undefined {
  if (!error || typeof error !== 'object' || error instanceof AwsError) return undefined;
  const e = error as SdkErrorShape;
  const service = site.clientName.replace(/Client$/, '');
  const operation = site.commandName.replace(/Command$/, '');
  const where = site.endpoint ?? `the ${service} endpoint of ${site.region ?? 'the configured region'}`;
  const status = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
  const check = checks(site);

  const reason = (e.code && NETWORK[e.code]) ?? (e.name === 'TimeoutError' || e.name === 'RequestTimeout' ? 'it did not answer in time' : undefined);
  if (reason) {
    return new WireError('AWS_ENDPOINT_UNREACHABLE', `${service} ${operation} could not reach ${where}: ${reason}.`, service, operation, status, { actions: check, cause: error });
  }
  if (status === undefined) return undefined;
  const message = e.message ?? '';
  const notImplemented = (e.name !== undefined && NOT_IMPLEMENTED_CODES.has(e.name)) || (/not (yet )?implemented/i.test(message) && (status === 501 || e.name === 'InternalFailure'));
  if (notImplemented) {
    return new WireError('AWS_NOT_IMPLEMENTED', `${service} ${operation} is not implemented by ${where} (HTTP ${status}).`, service, operation, status, {
      actions: ['The endpoint is an emulator or proxy that lacks this call: use one that implements it, or real AWS.', ...check],
      cause: error,
    });
  }
  const contentType = headerOf(e.$response?.headers, 'content-type') ?? '';
  const unparsed = /html/i.test(contentType) || (e.name !== undefined && UNPARSED_NAMES.has(e.name)) || /Deserialization error|XML parse error|is not valid JSON/.test(message);
  if (!unparsed) return undefined;
  const body = /html/i.test(contentType) ? 'an HTML page' : 'a body that is not an AWS response';
  return new WireError(
    'AWS_NOT_AN_AWS_RESPONSE',
    `${service} ${operation} at ${where} answered HTTP ${status} with ${body}: a proxy error page, an emulator that lacks this call, or a wrong endpoint or region.`,
    service,
    operation,
    status,
    { actions: check, cause: error },
  );
}

function headerOf(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return v;
  return undefined;
}

function checks(site: CallSite): string[] {
  const custom = process.env.AWS_ENDPOINT_URL;
  const proxy = process.env.HTTPS_PROXY ?? process.env.https_proxy ?? process.env.HTTP_PROXY ?? process.env.http_proxy;
  return [
    custom ? `Check AWS_ENDPOINT_URL (now ${custom}): is the endpoint running and does it serve this service?` : 'Check AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE> if you meant to use a custom endpoint (none is set).',
    `Check the region (${site.region ?? 'not resolved'}): region: in the config, --region or AWS_REGION.`,
    proxy ? `Check the proxy (${proxy.replace(/\/\/[^@/]*@/, '//***@')}) and its access to AWS.` : 'Check network access to AWS from this machine (a proxy? set HTTPS_PROXY).',
  ];
}

/**
 * The smithy middleware (step `initialize`, outermost: after the SDK's retries gave up) that translates
 * wire failures of every call a client makes.
 */
export function wireErrorMiddleware(region: () => Promise<string> | string | undefined) {
  return (next: (args: unknown) => Promise<unknown>, context: { clientName?: string; commandName?: string; endpointV2?: { url?: URL } }) =>
    async (args: unknown) => {
      try {
        return await next(args);
      } catch (error) {
        let resolved: string | undefined;
        try {
          resolved = await region();
        } catch {
          resolved = undefined;
        }
        const translated = translateWireError(error, {
          clientName: context.clientName ?? 'AWS',
          commandName: context.commandName ?? 'call',
          endpoint: context.endpointV2?.url ? context.endpointV2.url.origin : undefined,
          region: resolved,
        });
        throw translated ?? error;
      }
    };
}
