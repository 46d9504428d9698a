import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { PricingClient } from '@aws-sdk/client-pricing';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { STSClient } from '@aws-sdk/client-sts';
import type { Pluggable } from '@smithy/types';
import { callLogPlugin } from './call-log.js';
import { wireErrorMiddleware } from './wire-errors.js';

export interface AwsSettings {
  /** Region from the config / --region; undefined = the SDK's own resolution (AWS_REGION, profile). */
  region?: string;
  /** Named profile (--profile); undefined = the default credential chain. */
  profile?: string;
}

/**
 * Plugins applied to every client this process creates. Production adds none; the test suite and the
 * benchmark register the fake cloud here, below the SDK's retry middleware, so retries, adaptive rate
 * limiting and request serialisation all run for real.
 */
const globalPlugins: Pluggable<any, any>[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any

export function registerClientPlugin(plugin: Pluggable<any, any>): () => void { // eslint-disable-line @typescript-eslint/no-explicit-any
  globalPlugins.push(plugin);
  return () => {
    const i = globalPlugins.indexOf(plugin);
    if (i >= 0) globalPlugins.splice(i, 1);
  };
}

/** No AWS call we make takes long: a silent endpoint is reported instead of waited on forever. */
export const CONNECT_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 60_000;

/** Adaptive retry (client-side rate limiting after throttles) with room for a busy account. */
export const MAX_ATTEMPTS = 10;

/**
 * Lazily constructed SDK clients. The SDK modules are imported on first use so `--help` and
 * `plan --offline` never load them. Endpoints follow the SDK's own rules, so AWS_ENDPOINT_URL and
 * AWS_ENDPOINT_URL_<SERVICE> (LocalStack, VPC endpoints) work unchanged.
 */
export class AwsClients {
  private readonly cache = new Map<string, Promise<unknown>>();

  constructor(readonly settings: AwsSettings = {}) {}

  ec2(): Promise<EC2Client> {
    return this.client('ec2', async () => new (await import('@aws-sdk/client-ec2')).EC2Client(this.options()));
  }
  elbv2(): Promise<ElasticLoadBalancingV2Client> {
    return this.client('elbv2', async () =>
      new (await import('@aws-sdk/client-elastic-load-balancing-v2')).ElasticLoadBalancingV2Client(this.options()),
    );
  }
  autoscaling(): Promise<AutoScalingClient> {
    return this.client('autoscaling', async () => new (await import('@aws-sdk/client-auto-scaling')).AutoScalingClient(this.options()));
  }
  ssm(): Promise<SSMClient> {
    return this.client('ssm', async () => new (await import('@aws-sdk/client-ssm')).SSMClient(this.options()));
  }
  iam(): Promise<IAMClient> {
    return this.client('iam', async () => new (await import('@aws-sdk/client-iam')).IAMClient(this.options()));
  }
  lambda(): Promise<LambdaClient> {
    return this.client('lambda', async () => new (await import('@aws-sdk/client-lambda')).LambdaClient(this.options()));
  }
  events(): Promise<EventBridgeClient> {
    return this.client('events', async () => new (await import('@aws-sdk/client-eventbridge')).EventBridgeClient(this.options()));
  }
  logs(): Promise<CloudWatchLogsClient> {
    return this.client('logs', async () => new (await import('@aws-sdk/client-cloudwatch-logs')).CloudWatchLogsClient(this.options()));
  }
  sts(): Promise<STSClient> {
    return this.client('sts', async () => new (await import('@aws-sdk/client-sts')).STSClient(this.options()));
  }

  /**
   * AWS's Price List Query API, which answers only at its own endpoints (us-east-1, eu-central-1, ap-south-1:
   * docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/using-price-list-query-api.html); any of them serves the
   * prices of every region. `endpointRegion` is one of those.
   */
  pricing(endpointRegion: string): Promise<PricingClient> {
    return this.client(`pricing:${endpointRegion}`, async () => new (await import('@aws-sdk/client-pricing')).PricingClient({ ...this.options(), region: endpointRegion }));
  }

  /** The region every client uses (resolved once by the SDK when not configured). */
  async region(): Promise<string> {
    const ec2 = await this.ec2();
    return ec2.config.region();
  }

  private options() {
    return {
      region: this.settings.region,
      profile: this.settings.profile,
      // An endpoint that accepts the connection and never answers must not hang the run (TimeoutError, translated).
      requestHandler: { connectionTimeout: CONNECT_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
      // The SDK's own settings win when the user gives them (AWS_MAX_ATTEMPTS, AWS_RETRY_MODE).
      ...(!process.env.AWS_RETRY_MODE && { retryMode: 'adaptive' }),
      ...(!process.env.AWS_MAX_ATTEMPTS && { maxAttempts: MAX_ATTEMPTS }),
    };
  }

  private client<T>(key: string, make: () => Promise<T>): Promise<T> {
    let pending = this.cache.get(key) as Promise<T> | undefined;
    if (!pending) {
      pending = make().then((client) => {
        const c = client as unknown as { middlewareStack: { add(m: unknown, o: object): void }; config: { region(): Promise<string> } };
        c.middlewareStack.add(wireErrorMiddleware(() => c.config.region()), { step: 'initialize', name: 'wallarmOobWireErrors', priority: 'high' });
        for (const plugin of [callLogPlugin, ...globalPlugins]) (client as { middlewareStack: { use(p: Pluggable<any, any>): void } }).middlewareStack.use(plugin); // eslint-disable-line @typescript-eslint/no-explicit-any
        return client;
      });
      this.cache.set(key, pending);
    }
    return pending;
  }
}
