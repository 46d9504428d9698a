/** EC2 security groups and their rules. */
import type * as E from '@aws-sdk/client-ec2';
import { ec2Arn, tagsFromSpecs } from './ec2-common.js';
import { awsError } from './errors.js';
import type { World } from './world.js';
import { applyEc2Filters, paginate, parseCidr, required, tagList, type Tags } from './util.js';

type Out<T> = Omit<T, '$metadata'>;

export interface SgRule {
  ruleId: string;
  egress: boolean;
  protocol: string;
  from: number;
  to: number;
  cidr?: string;
  cidrV6?: string;
  groupId?: string;
  prefixListId?: string;
  description?: string;
  tags: Tags;
}
export interface SecurityGroupRec {
  id: string;
  name: string;
  description: string;
  vpcId: string;
  rules: SgRule[];
  tags: Tags;
}

const SG_RULE_LIMIT = 60;

function protoName(p: string | undefined): string {
  const v = (p ?? '').toLowerCase();
  if (v === '6') return 'tcp';
  if (v === '17') return 'udp';
  if (v === '1') return 'icmp';
  if (v === 'all') return '-1';
  return v;
}

function assertAsciiDescription(value: string, param: string): void {
  if (!/^[\x20-\x7e]*$/.test(value)) {
    throw awsError('InvalidParameterValue', `Value (${value}) for parameter ${param} is invalid. Character sets beyond ASCII are not supported.`);
  }
}

/** Security groups (a VPC's `default` one included) with ingress and egress rules. */
export class SecurityGroupModel {
  readonly securityGroups = new Map<string, SecurityGroupRec>();

  constructor(private readonly w: World) {}

  sg(id: string, opts: { lag?: boolean } = {}): SecurityGroupRec {
    const g = this.securityGroups.get(id);
    if (!g || (opts.lag !== false && this.w.hidden(id))) {
      if (!id.startsWith('sg-')) throw awsError('InvalidGroupId.Malformed', `Invalid id: "${id}" (expecting "sg-...")`);
      throw awsError('InvalidGroup.NotFound', `The security group '${id}' does not exist`);
    }
    return g;
  }

  /** `{ GroupId, GroupName }` of each id, as instances and network interfaces show their groups. */
  refs(ids: string[]): E.GroupIdentifier[] {
    return ids.map((id) => ({ GroupId: id, GroupName: this.securityGroups.get(id)?.name }));
  }

  /** The rule with this `sgr-` id, in any group. */
  findRule(ruleId: string): SgRule | undefined {
    return [...this.securityGroups.values()].flatMap((g) => g.rules).find((r) => r.ruleId === ruleId);
  }

  /** A VPC's `default` group: all traffic from its own members in, everything out. */
  addDefaultGroup(vpcId: string): SecurityGroupRec {
    const sg: SecurityGroupRec = { id: this.w.ids.ec2('sg'), name: 'default', description: 'default VPC security group', vpcId, rules: [], tags: new Map() };
    sg.rules.push({ ruleId: this.w.ids.ec2('sgr'), egress: false, protocol: '-1', from: -1, to: -1, groupId: sg.id, tags: new Map() });
    sg.rules.push({ ruleId: this.w.ids.ec2('sgr'), egress: true, protocol: '-1', from: -1, to: -1, cidr: '0.0.0.0/0', tags: new Map() });
    this.securityGroups.set(sg.id, sg);
    return sg;
  }

  private ruleKey(r: Pick<SgRule, 'egress' | 'protocol' | 'from' | 'to' | 'cidr' | 'cidrV6' | 'groupId' | 'prefixListId'>): string {
    return [r.egress, r.protocol, r.from, r.to, r.cidr ?? '', r.cidrV6 ?? '', r.groupId ?? '', r.prefixListId ?? ''].join('|');
  }

  private rulesFromPermissions(g: SecurityGroupRec, perms: E.IpPermission[] | undefined, egress: boolean): SgRule[] {
    const out: SgRule[] = [];
    for (const p of perms ?? []) {
      const protocol = protoName(required(p.IpProtocol, 'IpPermissions.IpProtocol'));
      let from = -1;
      let to = -1;
      if (protocol === 'tcp' || protocol === 'udp') {
        if (p.FromPort === undefined || p.ToPort === undefined) {
          throw awsError('InvalidParameterValue', `Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange.`);
        }
        from = p.FromPort;
        to = p.ToPort;
        if (from < 0 || to > 65535 || from > to) {
          throw awsError('InvalidParameterValue', `Invalid port range: ${from}-${to}`);
        }
      } else if (protocol === 'icmp') {
        from = p.FromPort ?? -1;
        to = p.ToPort ?? -1;
      } else if (protocol !== '-1' && !/^\d+$/.test(protocol)) {
        throw awsError('InvalidParameterValue', `Invalid value '${p.IpProtocol}' for IP protocol. Unknown protocol.`);
      }
      const base = { egress, protocol, from, to, tags: new Map<string, string>() };
      for (const r of p.IpRanges ?? []) {
        const cidr = required(r.CidrIp, 'CidrIp');
        const c = parseCidr(cidr);
        if (!c) throw awsError('InvalidParameterValue', `CIDR block ${cidr} is malformed`);
        if (r.Description) assertAsciiDescription(r.Description, 'description');
        out.push({ ...base, ruleId: '', cidr, description: r.Description });
      }
      for (const r of p.Ipv6Ranges ?? []) out.push({ ...base, ruleId: '', cidrV6: r.CidrIpv6, description: r.Description });
      for (const r of p.UserIdGroupPairs ?? []) {
        const ref = this.sg(required(r.GroupId, 'GroupId'), { lag: false });
        if (ref.vpcId !== g.vpcId) throw awsError('InvalidGroup.NotFound', `You have specified a security group '${ref.id}' that is not in VPC '${g.vpcId}'`);
        out.push({ ...base, ruleId: '', groupId: ref.id, description: r.Description });
      }
      for (const r of p.PrefixListIds ?? []) out.push({ ...base, ruleId: '', prefixListId: r.PrefixListId, description: r.Description });
    }
    if (out.length === 0) throw awsError('MissingParameter', 'No IP permissions were specified (IpRanges, Ipv6Ranges, UserIdGroupPairs or PrefixListIds).');
    return out;
  }

  private permissionsOf(rules: SgRule[]): E.IpPermission[] {
    const byKey = new Map<string, E.IpPermission>();
    for (const r of rules) {
      const k = `${r.protocol}|${r.from}|${r.to}`;
      let p = byKey.get(k);
      if (!p) {
        p = { IpProtocol: r.protocol, IpRanges: [], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] };
        if (r.protocol !== '-1') {
          p.FromPort = r.from;
          p.ToPort = r.to;
        }
        byKey.set(k, p);
      }
      if (r.cidr) p.IpRanges!.push({ CidrIp: r.cidr, ...(r.description !== undefined && { Description: r.description }) });
      if (r.cidrV6) p.Ipv6Ranges!.push({ CidrIpv6: r.cidrV6, ...(r.description !== undefined && { Description: r.description }) });
      if (r.groupId) p.UserIdGroupPairs!.push({ GroupId: r.groupId, UserId: this.w.accountId, ...(r.description !== undefined && { Description: r.description }) });
      if (r.prefixListId) p.PrefixListIds!.push({ PrefixListId: r.prefixListId, ...(r.description !== undefined && { Description: r.description }) });
    }
    return [...byKey.values()];
  }

  private sgOut(g: SecurityGroupRec): E.SecurityGroup {
    return {
      GroupId: g.id,
      GroupName: g.name,
      Description: g.description,
      VpcId: g.vpcId,
      OwnerId: this.w.accountId,
      SecurityGroupArn: ec2Arn(this.w, 'security-group', g.id),
      IpPermissions: this.permissionsOf(g.rules.filter((r) => !r.egress)),
      IpPermissionsEgress: this.permissionsOf(g.rules.filter((r) => r.egress)),
      Tags: tagList(g.tags),
    };
  }

  private ruleOut(g: SecurityGroupRec, r: SgRule): E.SecurityGroupRule {
    return {
      SecurityGroupRuleId: r.ruleId,
      GroupId: g.id,
      GroupOwnerId: this.w.accountId,
      IsEgress: r.egress,
      IpProtocol: r.protocol,
      FromPort: r.from,
      ToPort: r.to,
      ...(r.cidr && { CidrIpv4: r.cidr }),
      ...(r.cidrV6 && { CidrIpv6: r.cidrV6 }),
      ...(r.prefixListId && { PrefixListId: r.prefixListId }),
      ...(r.groupId && { ReferencedGroupInfo: { GroupId: r.groupId, UserId: this.w.accountId } }),
      ...(r.description !== undefined && { Description: r.description }),
      SecurityGroupRuleArn: ec2Arn(this.w, 'security-group-rule', r.ruleId),
      Tags: tagList(r.tags),
    };
  }

  /** Whether something still uses the security group (DeleteSecurityGroup -> DependencyViolation). */
  sgDependents(id: string): string[] {
    const out: string[] = [];
    for (const e of this.w.ec2.interfaces.networkInterfaces.values()) if (this.w.ec2.interfaces.eniAlive(e) && e.sgIds.includes(id)) out.push(e.id);
    for (const g of this.securityGroups.values()) if (g.id !== id && g.rules.some((r) => r.groupId === id)) out.push(g.id);
    for (const lb of this.w.elbv2.loadBalancers.values()) if (lb.securityGroups.includes(id)) out.push(lb.arn);
    return out;
  }

  // ------------------------------------------------------------------ API

  DescribeSecurityGroups(input: E.DescribeSecurityGroupsCommandInput): Out<E.DescribeSecurityGroupsCommandOutput> {
    let items = [...this.securityGroups.values()];
    if (input.GroupIds?.length) {
      for (const id of input.GroupIds) this.sg(id);
      items = items.filter((g) => input.GroupIds!.includes(g.id));
    }
    if (input.GroupNames?.length) {
      const defaultVpc = this.w.ec2.network.defaultVpc();
      for (const name of input.GroupNames) {
        if (!items.some((g) => g.name === name && g.vpcId === defaultVpc?.id)) {
          throw awsError('InvalidGroup.NotFound', `The security group '${name}' does not exist in default VPC '${defaultVpc?.id ?? 'none'}'`);
        }
      }
      items = items.filter((g) => input.GroupNames!.includes(g.name) && g.vpcId === defaultVpc?.id);
    }
    items = applyEc2Filters(
      items,
      input.Filters,
      {
        'vpc-id': (g) => g.vpcId,
        'group-name': (g) => g.name,
        'group-id': (g) => g.id,
        description: (g) => g.description,
        'owner-id': () => this.w.accountId,
        'ip-permission.cidr': (g) => g.rules.filter((r) => !r.egress).map((r) => r.cidr ?? ''),
        'ip-permission.from-port': (g) => g.rules.filter((r) => !r.egress).map((r) => String(r.from)),
        'ip-permission.to-port': (g) => g.rules.filter((r) => !r.egress).map((r) => String(r.to)),
        'ip-permission.protocol': (g) => g.rules.filter((r) => !r.egress).map((r) => r.protocol),
      },
      (g) => g.tags,
    );
    if (input.MaxResults !== undefined && (input.GroupIds?.length || input.GroupNames?.length)) {
      throw awsError('InvalidParameterCombination', 'The parameter groupIds cannot be used with the parameter maxResults');
    }
    if (input.MaxResults !== undefined && (input.MaxResults < 5 || input.MaxResults > 1000)) {
      throw awsError('InvalidParameterValue', `Value ( ${input.MaxResults} ) for parameter maxResults is invalid. Parameter must be between 5 and 1000.`);
    }
    const { page, next } = paginate(items, input.NextToken, input.MaxResults);
    return { SecurityGroups: page.map((g) => this.sgOut(g)), NextToken: next };
  }

  CreateSecurityGroup(input: E.CreateSecurityGroupCommandInput): Out<E.CreateSecurityGroupCommandOutput> {
    const name = required(input.GroupName, 'GroupName');
    const description = required(input.Description, 'GroupDescription');
    if (name.length > 255) throw awsError('InvalidParameterValue', `Value (${name}) for parameter GroupName is invalid. Length exceeds 255 characters.`);
    if (description.length > 255) throw awsError('InvalidParameterValue', `Value for parameter GroupDescription is invalid. Length exceeds 255 characters.`);
    assertAsciiDescription(name, 'GroupName');
    assertAsciiDescription(description, 'GroupDescription');
    if (/^sg-/i.test(name)) throw awsError('InvalidParameterValue', `Group names may not be in the format sg-*.`);
    if (name === 'default') throw awsError('InvalidGroup.Reserved', `The security group 'default' is reserved`);
    let vpcId = input.VpcId;
    if (!vpcId) {
      const def = this.w.ec2.network.defaultVpc();
      if (!def) throw awsError('VPCIdNotSpecified', 'No default VPC for this user. GroupName is only supported for EC2-Classic and default VPC.');
      vpcId = def.id;
    }
    if (!this.w.ec2.network.vpcs.has(vpcId)) throw awsError('InvalidVpcID.NotFound', `The vpc ID '${vpcId}' does not exist`);
    if ([...this.securityGroups.values()].some((g) => g.vpcId === vpcId && g.name === name)) {
      throw awsError('InvalidGroup.Duplicate', `The security group '${name}' already exists for VPC '${vpcId}'`);
    }
    const tags = tagsFromSpecs(input.TagSpecifications, 'security-group');
    const g: SecurityGroupRec = { id: this.w.ids.ec2('sg'), name, description, vpcId, rules: [], tags };
    g.rules.push({ ruleId: this.w.ids.ec2('sgr'), egress: true, protocol: '-1', from: -1, to: -1, cidr: '0.0.0.0/0', tags: new Map() });
    this.securityGroups.set(g.id, g);
    this.w.created(g.id);
    return { GroupId: g.id, Tags: tagList(tags), SecurityGroupArn: ec2Arn(this.w, 'security-group', g.id) };
  }

  DeleteSecurityGroup(input: E.DeleteSecurityGroupCommandInput): Out<E.DeleteSecurityGroupCommandOutput> {
    let g: SecurityGroupRec | undefined;
    if (input.GroupId) g = this.sg(input.GroupId);
    else if (input.GroupName) {
      const def = this.w.ec2.network.defaultVpc();
      g = [...this.securityGroups.values()].find((x) => x.name === input.GroupName && x.vpcId === def?.id);
      if (!g) throw awsError('InvalidGroup.NotFound', `The security group '${input.GroupName}' does not exist in default VPC '${def?.id ?? 'none'}'`);
    } else throw awsError('MissingParameter', 'The request must contain the parameter groupName or groupId');
    if (g.name === 'default') throw awsError('CannotDelete', `the specified group: "${g.id}" name: "default" cannot be deleted by a user`);
    const deps = this.sgDependents(g.id);
    if (deps.length) throw awsError('DependencyViolation', `resource ${g.id} has a dependent object`);
    this.securityGroups.delete(g.id);
    return { Return: true, GroupId: g.id };
  }

  private authorize(groupId: string | undefined, perms: E.IpPermission[] | undefined, specs: E.TagSpecification[] | undefined, egress: boolean) {
    const g = this.sg(required(groupId, 'GroupId'));
    const rules = this.rulesFromPermissions(g, perms, egress);
    const tags = tagsFromSpecs(specs, 'security-group-rule');
    const existing = new Set(g.rules.map((r) => this.ruleKey(r)));
    const seen = new Set<string>();
    for (const r of rules) {
      const k = this.ruleKey(r);
      if (existing.has(k) || seen.has(k)) {
        const peer = r.cidr ?? r.cidrV6 ?? r.groupId ?? r.prefixListId;
        const proto = r.protocol === '-1' ? 'ALL' : r.protocol.toUpperCase();
        throw awsError(
          'InvalidPermission.Duplicate',
          `the specified rule "peer: ${peer}, ${proto}, from port: ${r.from}, to port: ${r.to}, ALLOW" already exists`,
        );
      }
      seen.add(k);
    }
    if (g.rules.filter((r) => r.egress === egress).length + rules.length > SG_RULE_LIMIT) {
      throw awsError('RulesPerSecurityGroupLimitExceeded', 'The maximum number of rules per security group has been reached.');
    }
    for (const r of rules) {
      r.ruleId = this.w.ids.ec2('sgr');
      r.tags = new Map(tags);
      g.rules.push(r);
    }
    return { Return: true, SecurityGroupRules: rules.map((r) => this.ruleOut(g, r)) };
  }

  private revoke(groupId: string | undefined, perms: E.IpPermission[] | undefined, ruleIds: string[] | undefined, egress: boolean) {
    const g = this.sg(required(groupId, 'GroupId'));
    let toRemove: SgRule[];
    if (ruleIds?.length) {
      toRemove = ruleIds.map((id) => {
        const r = g.rules.find((x) => x.ruleId === id && x.egress === egress);
        if (!r) throw awsError('InvalidSecurityGroupRuleId.NotFound', `The security group rule ID '${id}' does not exist`);
        return r;
      });
    } else {
      const wanted = this.rulesFromPermissions(g, perms, egress);
      toRemove = wanted.map((w) => {
        const r = g.rules.find((x) => this.ruleKey(x) === this.ruleKey(w));
        if (!r) throw awsError('InvalidPermission.NotFound', 'The specified rule does not exist in this security group.');
        return r;
      });
    }
    g.rules = g.rules.filter((r) => !toRemove.includes(r));
    return { Return: true, RevokedSecurityGroupRules: toRemove.map((r) => ({ SecurityGroupRuleId: r.ruleId, GroupId: g.id, IsEgress: egress, IpProtocol: r.protocol, FromPort: r.from, ToPort: r.to, CidrIpv4: r.cidr })) };
  }

  AuthorizeSecurityGroupIngress(input: E.AuthorizeSecurityGroupIngressCommandInput): Out<E.AuthorizeSecurityGroupIngressCommandOutput> {
    if (!input.IpPermissions && (input.CidrIp || input.IpProtocol)) {
      input = { ...input, IpPermissions: [{ IpProtocol: input.IpProtocol, FromPort: input.FromPort, ToPort: input.ToPort, IpRanges: input.CidrIp ? [{ CidrIp: input.CidrIp }] : [] }] };
    }
    return this.authorize(input.GroupId, input.IpPermissions, input.TagSpecifications, false);
  }
  AuthorizeSecurityGroupEgress(input: E.AuthorizeSecurityGroupEgressCommandInput): Out<E.AuthorizeSecurityGroupEgressCommandOutput> {
    return this.authorize(input.GroupId, input.IpPermissions, input.TagSpecifications, true);
  }
  RevokeSecurityGroupIngress(input: E.RevokeSecurityGroupIngressCommandInput): Out<E.RevokeSecurityGroupIngressCommandOutput> {
    return this.revoke(input.GroupId, input.IpPermissions, input.SecurityGroupRuleIds, false);
  }
  RevokeSecurityGroupEgress(input: E.RevokeSecurityGroupEgressCommandInput): Out<E.RevokeSecurityGroupEgressCommandOutput> {
    return this.revoke(input.GroupId, input.IpPermissions, input.SecurityGroupRuleIds, true);
  }

  private updateDescriptions(groupId: string | undefined, perms: E.IpPermission[] | undefined, byId: E.SecurityGroupRuleDescription[] | undefined, egress: boolean) {
    const g = this.sg(required(groupId, 'GroupId'));
    if (byId?.length) {
      for (const d of byId) {
        const r = g.rules.find((x) => x.ruleId === d.SecurityGroupRuleId && x.egress === egress);
        if (!r) throw awsError('InvalidSecurityGroupRuleId.NotFound', `The security group rule ID '${d.SecurityGroupRuleId}' does not exist`);
        if (d.Description) assertAsciiDescription(d.Description, 'description');
      }
      for (const d of byId) g.rules.find((x) => x.ruleId === d.SecurityGroupRuleId)!.description = d.Description;
      return { Return: true };
    }
    const wanted = this.rulesFromPermissions(g, perms, egress);
    const matches = wanted.map((w) => {
      const r = g.rules.find((x) => this.ruleKey(x) === this.ruleKey(w));
      if (!r) throw awsError('InvalidPermission.NotFound', 'The specified rule does not exist in this security group.');
      return [r, w] as const;
    });
    for (const [r, w] of matches) r.description = w.description;
    return { Return: true };
  }

  UpdateSecurityGroupRuleDescriptionsIngress(input: E.UpdateSecurityGroupRuleDescriptionsIngressCommandInput): Out<E.UpdateSecurityGroupRuleDescriptionsIngressCommandOutput> {
    return this.updateDescriptions(input.GroupId, input.IpPermissions, input.SecurityGroupRuleDescriptions, false);
  }
  UpdateSecurityGroupRuleDescriptionsEgress(input: E.UpdateSecurityGroupRuleDescriptionsEgressCommandInput): Out<E.UpdateSecurityGroupRuleDescriptionsEgressCommandOutput> {
    return this.updateDescriptions(input.GroupId, input.IpPermissions, input.SecurityGroupRuleDescriptions, true);
  }

  DescribeSecurityGroupRules(input: E.DescribeSecurityGroupRulesCommandInput): Out<E.DescribeSecurityGroupRulesCommandOutput> {
    let items: { g: SecurityGroupRec; r: SgRule }[] = [...this.securityGroups.values()].flatMap((g) => g.rules.map((r) => ({ g, r })));
    if (input.SecurityGroupRuleIds?.length) {
      for (const id of input.SecurityGroupRuleIds) {
        if (!items.some((x) => x.r.ruleId === id)) throw awsError('InvalidSecurityGroupRuleId.NotFound', `The security group rule ID '${id}' does not exist`);
      }
      items = items.filter((x) => input.SecurityGroupRuleIds!.includes(x.r.ruleId));
    }
    items = applyEc2Filters(items, input.Filters, { 'group-id': (x) => x.g.id, 'security-group-rule-id': (x) => x.r.ruleId }, (x) => x.r.tags);
    const { page, next } = paginate(items, input.NextToken, input.MaxResults);
    return { SecurityGroupRules: page.map((x) => this.ruleOut(x.g, x.r)), NextToken: next };
  }
}
