import type { LoadedConfig } from '../../../config/load.js';
import type { MirrorReceiver, VpcMirrorConfig } from '../../../config/schema.js';
import type { Graph, ResourceNode } from '../../../engine/types.js';
import type { ResolveOptions } from '../../types.js';
import type { MirrorInputs, VpcMirrorInputs } from '../inputs.js';

/** The receiver's part of vpc-mirror's inputs (its instances' bootstrap), and the notes that go with it. */
export interface ReceiverResolution {
  inputs: Pick<MirrorInputs, 'rebuilderUserData' | 'nativeNodeUserData'>;
  notes: string[];
}

/** What a receiver adds to the graph, and where the mirror layer plugs in. */
export interface ReceiverPlan {
  nodes: ResourceNode[];
  /** Logical id of the NLB the traffic mirror target points at, and how the target describes it. */
  nlbId: string;
  targetDescription: string;
  /** What must be up before sessions send traffic to the NLB (the sessions' dependsOn). */
  readyIds: readonly string[];
  outputs: Graph['outputs'];
}

/**
 * What receives the mirrored VXLAN packets (UDP 4789). vpc-mirror owns the mirror layer (filter, target,
 * sessions) and the source resolution; a receiver owns everything behind the traffic mirror target: its NLB,
 * its instances (on the Debian image vpc-mirror resolves), their bootstrap, and whether the Wallarm NGINX node
 * fleet of the node layer runs behind them.
 */
export interface Receiver {
  readonly name: MirrorReceiver;
  /** How `output` names it, and its target group's health line. */
  readonly label: string;
  readonly healthLabel: string;
  /** Whether the receiver sends the traffic on to the node layer's NGINX node fleet (then its AMI is looked up). */
  readonly nodeFleet: boolean;
  /** Name of its NLB, the mirror target: that NLB's interfaces can never be sources. */
  nlbName(deployment: string): string;
  /** Notes every plan with this receiver carries, before the sources' (e.g. "legacy"). */
  notes(config: VpcMirrorConfig): string[];
  offlineInputs(config: VpcMirrorConfig, region: string): ReceiverResolution;
  resolveInputs(loaded: LoadedConfig, config: VpcMirrorConfig, region: string, options: ResolveOptions): Promise<ReceiverResolution>;
  /** Codes of the ResolveErrors resolveInputs may fail with (`validate` reports them under "Mirror sources exist"). */
  readonly resolutionCodes: readonly string[];
  plan(inputs: VpcMirrorInputs): ReceiverPlan;
}
