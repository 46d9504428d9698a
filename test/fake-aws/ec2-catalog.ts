/** What an instance is launched from: AMIs, instance types and where they are offered, key pairs. */
import type * as E from '@aws-sdk/client-ec2';
import { checkMaxResults } from './ec2-common.js';
import { awsError } from './errors.js';
import type { World } from './world.js';
import { applyEc2Filters, paginate, tagList, type Tags } from './util.js';

type Out<T> = Omit<T, '$metadata'>;

export interface ImageRec {
  id: string;
  name: string;
  ownerId: string;
  architecture: string;
  virtualizationType: string;
  state: string;
  creationDate: string;
  description?: string;
  public: boolean;
  tags: Tags;
}
export interface KeyPairRec {
  id: string;
  name: string;
  type: 'rsa' | 'ed25519';
  fingerprint: string;
  createdAt: number;
  tags: Tags;
}

/** A small catalogue of instance types (t2 is Xen: not a traffic-mirroring source). */
const INSTANCE_TYPES: Record<string, { vcpus: number; memMiB: number; arch: string; hypervisor: string }> = {
  't2.micro': { vcpus: 1, memMiB: 1024, arch: 'x86_64', hypervisor: 'xen' },
  't2.medium': { vcpus: 2, memMiB: 4096, arch: 'x86_64', hypervisor: 'xen' },
  't3.micro': { vcpus: 2, memMiB: 1024, arch: 'x86_64', hypervisor: 'nitro' },
  't3.small': { vcpus: 2, memMiB: 2048, arch: 'x86_64', hypervisor: 'nitro' },
  't3.medium': { vcpus: 2, memMiB: 4096, arch: 'x86_64', hypervisor: 'nitro' },
  't3.large': { vcpus: 2, memMiB: 8192, arch: 'x86_64', hypervisor: 'nitro' },
  't3.xlarge': { vcpus: 4, memMiB: 16384, arch: 'x86_64', hypervisor: 'nitro' },
  'm5.large': { vcpus: 2, memMiB: 8192, arch: 'x86_64', hypervisor: 'nitro' },
  'm5.xlarge': { vcpus: 4, memMiB: 16384, arch: 'x86_64', hypervisor: 'nitro' },
  'c5.large': { vcpus: 2, memMiB: 4096, arch: 'x86_64', hypervisor: 'nitro' },
  'c5.xlarge': { vcpus: 4, memMiB: 8192, arch: 'x86_64', hypervisor: 'nitro' },
  'c6i.large': { vcpus: 2, memMiB: 4096, arch: 'x86_64', hypervisor: 'nitro' },
  't4g.medium': { vcpus: 2, memMiB: 4096, arch: 'arm64', hypervisor: 'nitro' },
  'm6g.large': { vcpus: 2, memMiB: 8192, arch: 'arm64', hypervisor: 'nitro' },
};

const WELL_KNOWN_OWNERS: Record<string, string> = { amazon: '137112412989', 'aws-marketplace': '679593333241' };

/** AMIs, key pairs (seeded) and the instance type catalogue with its per-AZ offerings. */
export class CatalogModel {
  readonly images = new Map<string, ImageRec>();
  readonly keyPairs = new Map<string, KeyPairRec>();
  /** `<type>@<az>` pairs EC2 does not offer (every type of INSTANCE_TYPES is offered in every AZ otherwise). */
  readonly unoffered = new Set<string>();

  constructor(private readonly w: World) {}

  isOffered(type: string, az: string): boolean {
    return type in INSTANCE_TYPES && !this.unoffered.has(`${type}@${az}`);
  }

  /** A type's architecture; for a type outside the catalogue, guessed from its family (`m7g` -> arm64). */
  architectureOf(instanceType: string): string {
    const family = instanceType.split('.')[0]!;
    return INSTANCE_TYPES[instanceType]?.arch ?? (/^[a-z]+\d+g[a-z]*$/.test(family) ? 'arm64' : 'x86_64');
  }

  // ------------------------------------------------------------------ seeding

  addImage(o: { name: string; ownerId: string; architecture?: string; virtualizationType?: string; creationDate?: string; state?: string; description?: string }): ImageRec {
    const img: ImageRec = {
      id: this.w.ids.ec2('ami'),
      name: o.name,
      ownerId: o.ownerId,
      architecture: o.architecture ?? 'x86_64',
      virtualizationType: o.virtualizationType ?? 'hvm',
      state: o.state ?? 'available',
      creationDate: o.creationDate ?? new Date(this.w.now()).toISOString(),
      description: o.description,
      public: true,
      tags: new Map(),
    };
    this.images.set(img.id, img);
    return img;
  }

  addKeyPair(name: string, at: number): KeyPairRec {
    const rec: KeyPairRec = { id: this.w.ids.ec2('key'), name, type: 'ed25519', fingerprint: 'SHA256:' + Buffer.from(name).toString('base64'), createdAt: at, tags: new Map() };
    this.keyPairs.set(name, rec);
    return rec;
  }

  // ------------------------------------------------------------------ API

  DescribeImages(input: E.DescribeImagesCommandInput): Out<E.DescribeImagesCommandOutput> {
    let items = [...this.images.values()];
    if (input.ImageIds?.length) {
      for (const id of input.ImageIds) {
        if (!/^ami-[0-9a-f]{8,17}$/.test(id)) throw awsError('InvalidAMIID.Malformed', `Invalid id: "${id}" (expecting "ami-...")`);
        if (!this.images.has(id)) throw awsError('InvalidAMIID.NotFound', `The image id '[${id}]' does not exist`);
      }
      items = items.filter((i) => input.ImageIds!.includes(i.id));
    }
    if (input.Owners?.length) {
      const owners = input.Owners.map((o) => (o === 'self' ? this.w.accountId : (WELL_KNOWN_OWNERS[o] ?? o)));
      items = items.filter((i) => owners.includes(i.ownerId));
    }
    items = applyEc2Filters(
      items,
      input.Filters,
      {
        name: (i) => i.name,
        architecture: (i) => i.architecture,
        'virtualization-type': (i) => i.virtualizationType,
        state: (i) => i.state,
        'owner-id': (i) => i.ownerId,
        'image-id': (i) => i.id,
        'root-device-type': () => 'ebs',
        'is-public': (i) => String(i.public),
        'image-type': () => 'machine',
        description: (i) => i.description,
      },
      (i) => i.tags,
    );
    // AWS returns images in no particular order: the fake sorts by id (random hex), so callers must sort by CreationDate.
    items.sort((a, b) => a.id.localeCompare(b.id));
    const { page, next } = paginate(items, input.NextToken, input.MaxResults);
    return {
      Images: page.map((i) => ({
        ImageId: i.id,
        Name: i.name,
        OwnerId: i.ownerId,
        Architecture: i.architecture as E.ArchitectureValues,
        VirtualizationType: i.virtualizationType as E.VirtualizationType,
        State: i.state as E.ImageState,
        CreationDate: i.creationDate,
        Description: i.description,
        Public: i.public,
        ImageType: 'machine',
        RootDeviceType: 'ebs',
        RootDeviceName: '/dev/xvda',
        EnaSupport: true,
        Hypervisor: 'xen',
        PlatformDetails: 'Linux/UNIX',
        BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 8, VolumeType: 'gp3', DeleteOnTermination: true, SnapshotId: `snap-${i.id.slice(4)}` } }],
        Tags: tagList(i.tags),
      })),
      NextToken: next,
    };
  }

  DescribeKeyPairs(input: E.DescribeKeyPairsCommandInput): Out<E.DescribeKeyPairsCommandOutput> {
    let items = [...this.keyPairs.values()];
    if (input.KeyNames?.length) {
      for (const n of input.KeyNames) if (!this.keyPairs.has(n)) throw awsError('InvalidKeyPair.NotFound', `The key pair '${n}' does not exist`);
      items = items.filter((k) => input.KeyNames!.includes(k.name));
    }
    if (input.KeyPairIds?.length) {
      for (const id of input.KeyPairIds) if (!items.some((k) => k.id === id)) throw awsError('InvalidKeyPair.NotFound', `The key pair '${id}' does not exist`);
      items = items.filter((k) => input.KeyPairIds!.includes(k.id));
    }
    items = applyEc2Filters(items, input.Filters, { 'key-name': (k) => k.name, 'key-pair-id': (k) => k.id, fingerprint: (k) => k.fingerprint }, (k) => k.tags);
    return {
      KeyPairs: items.map((k) => ({
        KeyPairId: k.id,
        KeyName: k.name,
        KeyType: k.type,
        KeyFingerprint: k.fingerprint,
        CreateTime: new Date(k.createdAt),
        Tags: tagList(k.tags),
      })),
    };
  }

  /** LocationType region (default) | availability-zone | availability-zone-id; filters instance-type and location. */
  DescribeInstanceTypeOfferings(input: E.DescribeInstanceTypeOfferingsCommandInput): Out<E.DescribeInstanceTypeOfferingsCommandOutput> {
    const type = input.LocationType ?? 'region';
    if (!['region', 'availability-zone', 'availability-zone-id'].includes(type)) {
      throw awsError('InvalidParameterValue', `Value (${type}) for parameter locationType is invalid. Valid values: region, availability-zone, availability-zone-id, outpost`);
    }
    checkMaxResults(input.MaxResults);
    const zoneId = (az: string) => `${this.w.region.replace(/-/g, '').slice(0, 4)}-az${az.charCodeAt(az.length - 1) - 96}`;
    const rows: { t: string; loc: string }[] = [];
    for (const t of Object.keys(INSTANCE_TYPES)) {
      if (type === 'region') rows.push({ t, loc: this.w.region });
      else for (const az of this.w.ec2.network.zones()) if (this.isOffered(t, az)) rows.push({ t, loc: type === 'availability-zone' ? az : zoneId(az) });
    }
    const items = applyEc2Filters(rows, input.Filters, { 'instance-type': (r) => r.t, location: (r) => r.loc }, undefined);
    const { page, next } = paginate(items, input.NextToken, input.MaxResults);
    return {
      InstanceTypeOfferings: page.map((r) => ({ InstanceType: r.t as E._InstanceType, LocationType: type, Location: r.loc })),
      NextToken: next,
    };
  }

  DescribeInstanceTypes(input: E.DescribeInstanceTypesCommandInput): Out<E.DescribeInstanceTypesCommandOutput> {
    let items = Object.entries(INSTANCE_TYPES);
    if (input.InstanceTypes?.length) {
      if (input.InstanceTypes.length > 100) throw awsError('InvalidParameterValue', 'The maximum number of instance types is 100');
      for (const t of input.InstanceTypes) {
        if (!(t in INSTANCE_TYPES)) throw awsError('InvalidInstanceType', `The following supplied instance types do not exist: [${t}]`);
      }
      items = items.filter(([t]) => input.InstanceTypes!.includes(t as E._InstanceType));
    }
    items = applyEc2Filters(
      items,
      input.Filters,
      {
        'instance-type': ([t]) => t,
        'processor-info.supported-architecture': ([, i]) => i.arch,
        hypervisor: ([, i]) => i.hypervisor,
        'current-generation': () => 'true',
      },
      undefined,
    );
    const { page, next } = paginate(items, input.NextToken, input.MaxResults);
    return {
      InstanceTypes: page.map(([t, i]) => ({
        InstanceType: t as E._InstanceType,
        CurrentGeneration: true,
        Hypervisor: i.hypervisor as E.InstanceTypeHypervisor,
        BareMetal: false,
        ProcessorInfo: { SupportedArchitectures: [i.arch as E.ArchitectureType] },
        VCpuInfo: { DefaultVCpus: i.vcpus },
        MemoryInfo: { SizeInMiB: i.memMiB },
        NetworkInfo: { EnaSupport: 'required', MaximumNetworkInterfaces: 3 },
      })),
      NextToken: next,
    };
  }
}
