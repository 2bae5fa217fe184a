import { Aws, CustomResource, Lazy, Reference, Stack, Token, Tokenization } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { RESOURCE_POLICY_TYPE } from './handler/events';
import { HandlerFunction } from './handler-function';
import { validationError } from '../private/errors';
import { validateShareWith } from '../private/share-with';
import {
  ImageBuilderResourceType,
  differsFromKnown,
  parseImageBuilderArn,
  sharingPrincipalKind,
  writtenArnFields,
} from '../private/validation';
import { ShareWithOptions } from '../sharing';

/** The resources with a policy, the ARN prop of their imports, and the read actions their policy may grant. */
const SHAREABLE: Record<string, { name: string; arnProp: string; operation: string; actions: string[] }> = {
  [ImageBuilderResourceType.COMPONENT]: {
    name: 'component',
    arnProp: 'componentArn',
    operation: 'PutComponentPolicy',
    actions: ['imagebuilder:GetComponent', 'imagebuilder:ListComponents'],
  },
  [ImageBuilderResourceType.IMAGE]: {
    name: 'image', arnProp: 'imageArn', operation: 'PutImagePolicy', actions: ['imagebuilder:GetImage', 'imagebuilder:ListImages'],
  },
  [ImageBuilderResourceType.IMAGE_RECIPE]: {
    name: 'image recipe',
    arnProp: 'imageRecipeArn',
    operation: 'PutImageRecipePolicy',
    actions: ['imagebuilder:GetImageRecipe', 'imagebuilder:ListImageRecipes'],
  },
  [ImageBuilderResourceType.CONTAINER_RECIPE]: {
    name: 'container recipe',
    arnProp: 'containerRecipeArn',
    operation: 'PutContainerRecipePolicy',
    actions: ['imagebuilder:GetContainerRecipe', 'imagebuilder:ListContainerRecipes'],
  },
};

/** The methods that put a resource policy, as messages name them. */
const SHARING_METHODS = 'shareWith/addToResourcePolicy';

/** What the owners of published resources are, for messages: a bare 'aws' does not say it. */
const PUBLISHED_OWNERS: Record<string, string> = { 'aws': 'AWS-managed', 'aws-marketplace': 'AWS Marketplace', 'third-party': 'third-party' };

/** The longest policy Put*Policy accepts, in characters. */
const MAX_POLICY_LENGTH = 30_000;

/** The tag the handler puts on the shares it promotes (PROMOTED_TAG_KEY in ./handler/resource-policy). */
const PROMOTED_TAG_KEY = 'cdk-imagebuilder:resource-policy';

/**
 * The resources with a policy in each app, by ARN, and the construct that holds it. A resource has
 * one policy, which each Put*Policy replaces whole: two of them would overwrite each other's sharing,
 * and deleting either would end both. The partition is the same for the whole app, and so is an
 * attribute of a resource or parameter (a created resource's ARN, shared again in another stack); an
 * ARN with other tokens (the region or account of an environment-agnostic stack) is the same
 * resource only within its stack.
 */
const POLICY_HOLDERS = new WeakMap<IConstruct, Map<string, string>>();

/** The construct ID of a resource's policy, as a child of the resource. */
const POLICY_ID = 'ResourcePolicy';

/** What a ResourcePolicy applies to. */
export interface ResourcePolicyProps {
  /** The ARN the service's Put*Policy operation takes (a build version ARN for components and images). */
  readonly resourceArn: string;
  readonly resourceType: ImageBuilderResourceType;
}

/**
 * The resource policy of an Image Builder component, image, image recipe or container recipe, put
 * by the stack's custom-resource handler, which then promotes the AWS RAM share the service
 * creates from it so the principals see the resource. Removing it removes the sharing.
 */
export class ResourcePolicy extends Construct {
  /**
   * The policy of `resource`, created on first use as its child. The ARN is checked before: a
   * policy that failed its check must not stay in the tree for a later call to find.
   */
  public static of(resource: Construct, resourceArn: string, resourceType: ImageBuilderResourceType): ResourcePolicy {
    const existing = resource.node.tryFindChild(POLICY_ID) as ResourcePolicy | undefined;
    if (existing) {
      return existing;
    }
    validateResourceArn(resource, resourceArn, resourceType);
    claimResource(resource, resourceArn);
    return new ResourcePolicy(resource, POLICY_ID, { resourceArn, resourceType });
  }

  /** Whether `resource` has a resource policy yet, that is, is shared. */
  public static isShared(resource: IConstruct): boolean {
    return resource.node.tryFindChild(POLICY_ID) !== undefined;
  }

  /** The statement that shares a resource of this type with accounts, organizations and OUs. */
  public static shareStatement(scope: Construct, resourceType: ImageBuilderResourceType, options: ShareWithOptions): iam.PolicyStatement {
    validateShareWith(scope, options);
    const principals = [...options.accounts ?? [], ...options.organizationArns ?? [], ...options.organizationalUnitArns ?? []];
    return new iam.PolicyStatement({
      actions: SHAREABLE[resourceType].actions,
      // Plain strings, not AccountPrincipal: RAM turns these principals into the share's principals.
      principals: principals.map((p) => new iam.ArnPrincipal(p)),
    });
  }

  public readonly document = new iam.PolicyDocument();
  private readonly resourceArn: string;
  private readonly resourceType: ImageBuilderResourceType;

  private constructor(scope: Construct, id: string, props: ResourcePolicyProps) {
    super(scope, id);
    this.resourceArn = props.resourceArn;
    this.resourceType = props.resourceType;

    const handler = HandlerFunction.of(this);
    const kindPolicy = this.grantHandler(handler);
    const resource = new CustomResource(this, 'Resource', {
      serviceToken: handler.serviceToken,
      resourceType: RESOURCE_POLICY_TYPE,
      properties: {
        ResourceArn: props.resourceArn,
        Policy: Lazy.string({ produce: () => Stack.of(this).toJsonString(this.document) }),
      },
    });
    resource.node.addDependency(handler.role, kindPolicy);
    this.node.addValidation({ validate: () => this.validatePolicy() });
  }

  /** The statement applies to this resource: one without resources gets its ARN. */
  public addStatement(statement: iam.PolicyStatement): iam.AddToResourcePolicyResult {
    if (statement.resources.length === 0) {
      statement.addResources(this.resourceArn);
    }
    this.document.addStatements(statement);
    return { statementAdded: true, policyDependable: this };
  }

  /**
   * Put the policy on this resource. The RAM calls that promote, tag and remove shares are granted
   * in a policy every resource policy depends on: the Delete of the last one still needs them.
   */
  private grantHandler(handler: HandlerFunction): iam.Policy {
    handler.grant(new iam.PolicyStatement({ actions: [`imagebuilder:${SHAREABLE[this.resourceType].operation}`], resources: [this.resourceArn] }));
    const stack = Stack.of(this);
    const shares = stack.formatArn({ service: 'ram', resource: 'resource-share', resourceName: '*' });
    const sharesCreatedAtDeploy = {
      reason: 'The service creates the resource share from the policy at deploy time; its ID is not known before',
      appliesTo: [{ regex: '/^Resource::arn:<AWS::Partition>:ram:.*:resource-share\\/\\*$/' }],
    };
    return handler.policyForKind('ResourcePolicy', () => [
      new iam.PolicyStatement({ actions: ['ram:ListResources', 'ram:GetResourceShares'], resources: ['*'] }),
      new iam.PolicyStatement({
        actions: [
          'ram:ListResourceSharePermissions', 'ram:PromoteResourceShareCreatedFromPolicy', 'ram:DeleteResourceShare',
          'ram:DisassociateResourceShare',
        ],
        resources: [shares],
      }),
      // The tag marks the shares the handler promoted, the only STANDARD shares it may change.
      new iam.PolicyStatement({
        actions: ['ram:TagResource'],
        resources: [shares],
        conditions: { 'ForAllValues:StringEquals': { 'aws:TagKeys': [PROMOTED_TAG_KEY] } },
      }),
      new iam.PolicyStatement({
        actions: ['ram:PromotePermissionCreatedFromPolicy', 'ram:DeletePermission'],
        resources: [stack.formatArn({ service: 'ram', resource: 'permission', resourceName: '*' })],
      }),
    ], [
      { reason: 'RAM ListResources and GetResourceShares support no resource-level permissions', appliesTo: ['Resource::*'] },
      sharesCreatedAtDeploy,
      {
        reason: 'RAM creates the permission from the policy at deploy time; its name is not known before',
        appliesTo: [{ regex: '/^Resource::arn:<AWS::Partition>:ram:.*:permission\\/\\*$/' }],
      },
    ]);
  }

  /**
   * The statements as the service accepts them: Allow, this resource's read actions, sharing
   * principals; and the policy no longer than Put*Policy accepts.
   */
  private validatePolicy(): string[] {
    const kind = SHAREABLE[this.resourceType];
    const errors: string[] = [];
    const length = this.minimumPolicyLength();
    if (length.characters > MAX_POLICY_LENGTH) {
      errors.push(`the resource policy (shareWith and addToResourcePolicy) must be at most ${MAX_POLICY_LENGTH} characters for ${kind.operation}, ` +
        `got ${length.exact ? '' : 'at least '}${length.characters}; share with organizations or organizational units rather than many accounts`);
    }
    const json = Stack.of(this).resolve(this.document.toJSON()) as { Statement?: any[] } | undefined;
    for (const [index, statement] of (json?.Statement ?? []).entries()) {
      const at = `resource policy statement ${index}`;
      if (statement.Effect !== 'Allow') {
        errors.push(`${at}: Effect must be Allow, got '${statement.Effect}'`);
      }
      for (const key of ['NotAction', 'NotPrincipal', 'NotResource']) {
        if (statement[key] !== undefined) {
          errors.push(`${at}: ${key} is not supported by ${kind.operation}, use ${key.slice(3)}`);
        }
      }
      for (const action of asList(statement.Action)) {
        if (!kind.actions.includes(action)) {
          errors.push(`${at}: a ${kind.name} policy may grant ${kind.actions.join(' and ')}, got '${action}'`);
        }
      }
      const principals = statement.Principal?.AWS;
      if (principals === undefined || Object.keys(statement.Principal).some((k) => k !== 'AWS')) {
        errors.push(`${at}: Principal must name AWS accounts, organizations or organizational units, got ${JSON.stringify(statement.Principal)}`);
      }
      for (const principal of asList(principals)) {
        if (typeof principal === 'string' && !Token.isUnresolved(principal) && !sharingPrincipalKind(principal)) {
          errors.push(`${at}: principal '${principal}' is not an account ID, organization ARN, organizational unit ARN or IAM ARN of an account`);
        }
      }
    }
    return errors;
  }

  /**
   * The length of the policy as the handler receives it. Where it holds references (the resource's
   * ARN), only the text around them counts, so the length is a minimum.
   */
  private minimumPolicyLength(): { characters: number; exact: boolean } {
    const stack = Stack.of(this);
    const rendered = stack.resolve(stack.toJsonString(this.document));
    const parts: unknown[] = typeof rendered === 'string' ? [rendered] : rendered?.['Fn::Join']?.[1] ?? [];
    const text = parts.filter((p): p is string => typeof p === 'string').join('');
    // Characters as the service counts them: one a code point, not a UTF-16 unit.
    return { characters: [...text].length, exact: typeof rendered === 'string' };
  }
}

function asList(value: unknown): any[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** Records that `holder` puts the policy of the resource, unless another construct of the app does already. */
function claimResource(holder: Construct, resourceArn: string): void {
  const root = holder.node.root;
  let holders = POLICY_HOLDERS.get(root);
  if (!holders) {
    holders = new Map();
    POLICY_HOLDERS.set(root, holders);
  }
  const arn = resourceArn.split(Aws.PARTITION).join('aws');
  const key = Token.isUnresolved(arn) && !namesResourcesOnly(arn) ? `${Stack.of(holder).node.path} ${arn}` : arn;
  const other = holders.get(key);
  if (other !== undefined) {
    throw validationError(`${SHARING_METHODS} puts the resource policy of ${Token.isUnresolved(resourceArn) ? 'this resource' : `'${resourceArn}'`}, ` +
      `which ${other} puts already: a resource has one policy, and two would replace each other's; share it through one construct`, holder);
  }
  holders.set(key, holder.node.path);
}

/** Whether every token in `arn` is an attribute of a resource or parameter, the same value in any stack. */
function namesResourcesOnly(arn: string): boolean {
  return Tokenization.reverseString(arn).tokens.every((token) => token instanceof Reference && !Stack.isStack(token.target));
}

/** The resource must be one of an account (not AWS's), named by the ARN its Put*Policy operation takes. */
function validateResourceArn(scope: Construct, resourceArn: string, resourceType: ImageBuilderResourceType): void {
  if (Token.isUnresolved(resourceArn)) {
    // An ARN built around tokens (partition, region) still shows its owner when that is written out
    // (AWS, AWS Marketplace).
    const owner = writtenArnFields(resourceArn).account;
    if (owner !== undefined && sharingPrincipalKind(owner) !== 'account') {
      throw validationError(notOwnedByAccount(resourceType, 'one', owner), scope);
    }
    validateResourceEnvironment(scope, resourceArn, resourceType);
    return;
  }
  const arn = parseImageBuilderArn(resourceArn);
  const kind = SHAREABLE[resourceType];
  // Whose the resource is comes first: no form of the ARN lets the stack share another's.
  if (arn && arn.resourceType === resourceType) {
    if (sharingPrincipalKind(arn.account) !== 'account') {
      throw validationError(notOwnedByAccount(resourceType, `${kind.arnProp} '${resourceArn}'`, arn.account), scope);
    }
    validateResourceEnvironment(scope, resourceArn, resourceType);
  }
  const needsBuild = resourceType === ImageBuilderResourceType.COMPONENT || resourceType === ImageBuilderResourceType.IMAGE;
  if (!arn || arn.resourceType !== resourceType || (needsBuild && arn.build === undefined) || arn.version?.includes('x')) {
    const [what, example, arnKind] = needsBuild ? ['a build number', '.../1.0.0/1', 'build version'] : ['a version', '.../1.0.0', 'version'];
    throw validationError(`${SHARING_METHODS} needs ${kind.arnProp} with ${what} (${example}), as ${kind.operation} takes, ` +
      `got '${resourceArn}'; import the ${kind.name} by its ${arnKind} ARN`, scope);
  }
}

/**
 * "Image Builder resources can only be shared in the AWS Region where they are created", by the
 * account that owns them (user guide, "Share Image Builder resources"): the stack's function puts
 * the policy in its own account and region. Each field of the ARN is compared when it is written
 * out. Runs after the owner check, which says more of an ARN that AWS or AWS Marketplace owns.
 */
function validateResourceEnvironment(scope: Construct, resourceArn: string, resourceType: ImageBuilderResourceType): void {
  const { region, account } = writtenArnFields(resourceArn);
  const stack = Stack.of(scope);
  const otherAccount = differsFromKnown(account, stack.account);
  const otherRegion = differsFromKnown(region, stack.region);
  if (!otherAccount && !otherRegion) {
    return;
  }
  const { name, arnProp } = SHAREABLE[resourceType];
  const where = [otherAccount ? `account ${account}` : '', otherRegion ? `region ${region}` : ''].filter(Boolean).join(' and ');
  const shown = Token.isUnresolved(resourceArn) ? scope.node.path : `'${resourceArn}'`;
  throw validationError(`${SHARING_METHODS} can only share ${name}s of the stack's account and region, where its function puts the policy, ` +
    `got ${arnProp} ${shown} of ${where}; share it from a stack of that account and region`, scope);
}

/** Only an account's own resources can be shared; `given` is what the message says was given. */
function notOwnedByAccount(resourceType: ImageBuilderResourceType, given: string, owner: string): string {
  const name = SHAREABLE[resourceType].name;
  const article = name.startsWith('i') ? 'an' : 'a';
  const ownerLabel = PUBLISHED_OWNERS[owner] ? ` (${PUBLISHED_OWNERS[owner]})` : '';
  return `${SHARING_METHODS} can only share ${name}s owned by an AWS account, got ${given} owned by '${owner}'${ownerLabel}; ` +
    `share ${article} ${name} of your own`;
}
