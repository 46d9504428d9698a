import type * as S from '@aws-sdk/client-ssm';
import { awsError } from './errors.js';
import type { World } from './world.js';
import { paginate, required, tagList, type Tags } from './util.js';

type Out<T> = Omit<T, '$metadata'>;

export interface ParameterRec {
  name: string;
  type: S.ParameterType;
  value: string;
  version: number;
  tier: S.ParameterTier;
  description?: string;
  keyId?: string;
  dataType: string;
  lastModified: number;
  tags: Tags;
  /** Values of every version (1-based index), for `name:version` selectors. */
  history: { value: string; type: S.ParameterType; lastModified: number }[];
}

const STANDARD_LIMIT = 4096;
const ADVANCED_LIMIT = 8192;

export class SsmModel {
  readonly parameters = new Map<string, ParameterRec>();

  constructor(private readonly w: World) {}

  arn(name: string): string {
    return `arn:aws:ssm:${this.w.region}:${this.w.accountId}:parameter/${name.replace(/^\//, '')}`;
  }

  private validateName(name: string): void {
    if (name.length > 2048) throw awsError('ValidationException', 'Parameter name exceeds the maximum length of 2048 characters');
    if (!/^[a-zA-Z0-9_.\-/]+$/.test(name)) {
      throw awsError('ValidationException', `Parameter name: can only contain letters, numbers, and the symbols . - _ /`);
    }
    const bare = name.replace(/^\//, '').toLowerCase();
    if (bare.startsWith('aws') || bare.startsWith('ssm')) {
      throw awsError('ValidationException', `Parameter name: can't be prefixed with "aws" or "ssm" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_`);
    }
    if (name.includes('/') && !name.startsWith('/')) throw awsError('ValidationException', 'Parameter name must be a fully qualified name.');
    if (name.split('/').length - 1 > 15) throw awsError('HierarchyLevelLimitExceededException', 'A hierarchy can have a maximum of 15 levels.');
  }

  private lookup(nameWithSelector: string): { p: ParameterRec; version: number } {
    const [name, selector] = nameWithSelector.split(':') as [string, string | undefined];
    const p = this.parameters.get(name);
    if (!p || this.w.hidden(`ssm:${name}`)) throw awsError('ParameterNotFound', '');
    if (selector === undefined) return { p, version: p.version };
    const v = Number(selector);
    if (!Number.isInteger(v) || !p.history[v - 1]) throw awsError('ParameterVersionNotFound', `Systems Manager could not find version ${selector} of ${name}. Verify the version and try again.`);
    return { p, version: v };
  }

  private paramOut(p: ParameterRec, version: number, decrypt: boolean | undefined, selector?: string): S.Parameter {
    const h = p.history[version - 1]!;
    const value = h.type === 'SecureString' && !decrypt ? Buffer.from(`kms:alias/aws/ssm:${h.value}`).toString('base64') : h.value;
    return {
      Name: p.name,
      Type: h.type,
      Value: value,
      Version: version,
      LastModifiedDate: new Date(h.lastModified),
      ARN: this.arn(p.name),
      DataType: p.dataType,
      ...(selector && { Selector: selector }),
    };
  }

  private putTags(tags: Tags, list: S.Tag[] | undefined): void {
    for (const t of list ?? []) {
      const key = required(t.Key, 'Tags.Key', 'ValidationException');
      if (key.toLowerCase().startsWith('aws:')) throw awsError('ValidationException', `Tag keys beginning with aws: are reserved`);
      tags.set(key, t.Value ?? '');
    }
    if (tags.size > 50) throw awsError('TooManyTagsError', 'The Targets parameter includes too many tags. Remove one or more tags and try the command again.');
  }

  /** Seeding helper (no validation of Overwrite; always creates or replaces). */
  seed(name: string, value: string, type: S.ParameterType = 'String', tags: Record<string, string> = {}): ParameterRec {
    const now = this.w.now();
    const prev = this.parameters.get(name);
    const version = (prev?.version ?? 0) + 1;
    const p: ParameterRec = {
      name,
      type,
      value,
      version,
      tier: value.length > STANDARD_LIMIT ? 'Advanced' : 'Standard',
      dataType: 'text',
      lastModified: now,
      tags: prev?.tags ?? new Map(Object.entries(tags)),
      history: [...(prev?.history ?? []), { value, type, lastModified: now }],
    };
    this.parameters.set(name, p);
    return p;
  }

  PutParameter(input: S.PutParameterCommandInput): Out<S.PutParameterCommandOutput> {
    const name = required(input.Name, 'Name', 'ValidationException');
    this.validateName(name);
    const value = input.Value;
    if (value === undefined || value === '') {
      throw awsError('ValidationException', `1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1`);
    }
    if (input.Overwrite && input.Tags?.length) {
      throw awsError(
        'ValidationException',
        "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.",
      );
    }
    if (input.Type !== undefined && !['String', 'StringList', 'SecureString'].includes(input.Type)) {
      throw awsError('ValidationException', `1 validation error detected: Value '${input.Type}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String]`);
    }
    const existing = this.parameters.get(name);
    if (existing && !input.Overwrite) {
      throw awsError('ParameterAlreadyExists', 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.');
    }
    const requestedTier = input.Tier ?? 'Standard';
    let tier: S.ParameterTier;
    if (requestedTier === 'Intelligent-Tiering') tier = value.length > STANDARD_LIMIT || existing?.tier === 'Advanced' ? 'Advanced' : 'Standard';
    else tier = requestedTier;
    if (existing?.tier === 'Advanced' && tier === 'Standard') {
      throw awsError('ValidationException', 'This parameter uses the advanced-parameter tier. You can\'t downgrade a parameter from the advanced-parameter tier to the standard-parameter tier.');
    }
    if (tier === 'Standard' && value.length > STANDARD_LIMIT) {
      throw awsError(
        'ValidationException',
        'Standard tier parameters support a maximum parameter value of 4096 characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier. For more information, see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html',
      );
    }
    if (value.length > ADVANCED_LIMIT) {
      throw awsError('ValidationException', `1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length less than or equal to ${ADVANCED_LIMIT}`);
    }
    const type = (input.Type ?? existing?.type);
    if (!type) throw awsError('ValidationException', 'A parameter type is required when you create a parameter.');
    const now = this.w.now();
    const tags: Tags = existing?.tags ?? new Map();
    if (!existing) this.putTags(tags, input.Tags);
    const p: ParameterRec = {
      name,
      type,
      value,
      version: (existing?.version ?? 0) + 1,
      tier,
      description: input.Description ?? existing?.description,
      keyId: type === 'SecureString' ? (input.KeyId ?? existing?.keyId ?? 'alias/aws/ssm') : undefined,
      dataType: input.DataType ?? existing?.dataType ?? 'text',
      lastModified: now,
      tags,
      history: [...(existing?.history ?? []), { value, type, lastModified: now }],
    };
    if (p.history.length > 100) p.history[p.history.length - 101] = { value: '', type, lastModified: 0 };
    this.parameters.set(name, p);
    if (!existing) this.w.created(`ssm:${name}`);
    return { Version: p.version, Tier: p.tier };
  }

  GetParameter(input: S.GetParameterCommandInput): Out<S.GetParameterCommandOutput> {
    const full = required(input.Name, 'Name', 'ValidationException');
    const { p, version } = this.lookup(full);
    const selector = full.includes(':') ? full.slice(full.indexOf(':')) : undefined;
    return { Parameter: this.paramOut(p, version, input.WithDecryption, selector) };
  }

  GetParameters(input: S.GetParametersCommandInput): Out<S.GetParametersCommandOutput> {
    const names = required(input.Names, 'Names', 'ValidationException');
    if (names.length > 10) {
      throw awsError('ValidationException', `1 validation error detected: Value '[${names.join(', ')}]' at 'names' failed to satisfy constraint: Member must have length less than or equal to 10`);
    }
    const Parameters: S.Parameter[] = [];
    const InvalidParameters: string[] = [];
    for (const n of names) {
      try {
        const { p, version } = this.lookup(n);
        Parameters.push(this.paramOut(p, version, input.WithDecryption));
      } catch {
        InvalidParameters.push(n);
      }
    }
    return { Parameters, InvalidParameters };
  }

  GetParametersByPath(input: S.GetParametersByPathCommandInput): Out<S.GetParametersByPathCommandOutput> {
    const path = required(input.Path, 'Path', 'ValidationException');
    if (!path.startsWith('/')) throw awsError('ValidationException', 'The parameter path must begin with a forward slash');
    if (input.MaxResults !== undefined && (input.MaxResults < 1 || input.MaxResults > 10)) {
      throw awsError('ValidationException', 'MaxResults must be between 1 and 10');
    }
    const prefix = path.endsWith('/') ? path : `${path}/`;
    const items = [...this.parameters.values()]
      .filter((p) => p.name.startsWith(prefix) && (input.Recursive || !p.name.slice(prefix.length).includes('/')))
      .sort((a, b) => a.name.localeCompare(b.name));
    const { page, next } = paginate(items, input.NextToken, input.MaxResults, 10);
    return { Parameters: page.map((p) => this.paramOut(p, p.version, input.WithDecryption)), NextToken: next };
  }

  DeleteParameter(input: S.DeleteParameterCommandInput): Out<S.DeleteParameterCommandOutput> {
    const name = required(input.Name, 'Name', 'ValidationException');
    if (!this.parameters.has(name)) throw awsError('ParameterNotFound', '');
    this.parameters.delete(name);
    return {};
  }

  DeleteParameters(input: S.DeleteParametersCommandInput): Out<S.DeleteParametersCommandOutput> {
    const names = required(input.Names, 'Names', 'ValidationException');
    const DeletedParameters: string[] = [];
    const InvalidParameters: string[] = [];
    for (const n of names) (this.parameters.delete(n) ? DeletedParameters : InvalidParameters).push(n);
    return { DeletedParameters, InvalidParameters };
  }

  DescribeParameters(input: S.DescribeParametersCommandInput): Out<S.DescribeParametersCommandOutput> {
    if (input.MaxResults !== undefined && (input.MaxResults < 1 || input.MaxResults > 50)) {
      throw awsError('ValidationException', `1 validation error detected: Value '${input.MaxResults}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 50`);
    }
    let items = [...this.parameters.values()].sort((a, b) => a.name.localeCompare(b.name));
    for (const f of input.Filters ?? []) {
      const values = f.Values ?? [];
      if (f.Key === 'Name') items = items.filter((p) => values.some((v) => p.name.startsWith(v)));
      else if (f.Key === 'Type') items = items.filter((p) => values.includes(p.type));
      else if (f.Key === 'KeyId') items = items.filter((p) => p.keyId !== undefined && values.includes(p.keyId));
      else throw awsError('InvalidFilterKey', `Invalid filter key: ${f.Key}`);
    }
    for (const f of input.ParameterFilters ?? []) {
      const key = required(f.Key, 'ParameterFilters.Key', 'ValidationException');
      const option = f.Option ?? 'Equals';
      const values = f.Values ?? [];
      if (key.startsWith('tag:')) {
        if (option !== 'Equals') throw awsError('InvalidFilterOption', `The filter option ${option} is not valid for key ${key}. Valid options include: [Equals].`);
        const tagKey = key.slice(4);
        items = items.filter((p) => p.tags.has(tagKey) && (!values.length || values.includes(p.tags.get(tagKey)!)));
      } else if (key === 'Name') {
        if (option !== 'Equals' && option !== 'BeginsWith' && option !== 'Contains') throw awsError('InvalidFilterOption', `The filter option ${option} is not valid for key Name.`);
        items = items.filter((p) =>
          values.some((v) => {
            const norm = (s: string) => s.replace(/^\//, '');
            if (option === 'Equals') return norm(p.name) === norm(v);
            if (option === 'BeginsWith') return norm(p.name).startsWith(norm(v));
            return p.name.includes(v);
          }),
        );
      } else if (key === 'Path') {
        const recursive = option === 'Recursive';
        if (option !== 'Recursive' && option !== 'OneLevel') throw awsError('InvalidFilterOption', `The filter option ${option} is not valid for key Path.`);
        items = items.filter((p) =>
          values.some((v) => {
            const prefix = v.endsWith('/') ? v : `${v}/`;
            return p.name.startsWith(prefix) && (recursive || !p.name.slice(prefix.length).includes('/'));
          }),
        );
      } else if (key === 'Type') items = items.filter((p) => values.includes(p.type));
      else if (key === 'Tier') items = items.filter((p) => values.includes(p.tier));
      else if (key === 'DataType') items = items.filter((p) => values.includes(p.dataType));
      else if (key === 'KeyId') items = items.filter((p) => p.keyId !== undefined && values.includes(p.keyId));
      else throw awsError('InvalidFilterKey', `Invalid filter key: ${key}`);
    }
    const { page, next } = paginate(items, input.NextToken, input.MaxResults, 10);
    return {
      Parameters: page.map((p) => ({
        Name: p.name,
        ARN: this.arn(p.name),
        Type: p.type,
        ...(p.keyId && { KeyId: p.keyId }),
        LastModifiedDate: new Date(p.lastModified),
        LastModifiedUser: `arn:aws:iam::${this.w.accountId}:user/test`,
        ...(p.description !== undefined && { Description: p.description }),
        Version: p.version,
        Tier: p.tier,
        Policies: [],
        DataType: p.dataType,
      })),
      NextToken: next,
    };
  }

  private taggable(type: string | undefined, id: string | undefined): ParameterRec {
    if (type !== 'Parameter') throw awsError('InvalidResourceType', `fake-aws models only ResourceType Parameter, got ${type}`);
    const p = this.parameters.get(required(id, 'ResourceId', 'ValidationException'));
    if (!p) throw awsError('InvalidResourceId', 'The resource ID is not valid. Verify that you entered the correct ID and try again.');
    return p;
  }

  AddTagsToResource(input: S.AddTagsToResourceCommandInput): Out<S.AddTagsToResourceCommandOutput> {
    const p = this.taggable(input.ResourceType, input.ResourceId);
    const copy = new Map(p.tags);
    this.putTags(copy, required(input.Tags, 'Tags', 'ValidationException'));
    p.tags = copy;
    return {};
  }

  RemoveTagsFromResource(input: S.RemoveTagsFromResourceCommandInput): Out<S.RemoveTagsFromResourceCommandOutput> {
    const p = this.taggable(input.ResourceType, input.ResourceId);
    for (const k of input.TagKeys ?? []) p.tags.delete(k);
    return {};
  }

  ListTagsForResource(input: S.ListTagsForResourceCommandInput): Out<S.ListTagsForResourceCommandOutput> {
    const p = this.taggable(input.ResourceType, input.ResourceId);
    return { TagList: tagList(p.tags) };
  }
}
