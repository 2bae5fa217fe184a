import { CfnResource, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { ImagebuilderFunction } from './imagebuilder-function';
import { addNagSuppression, NagAppliesTo } from '../private/nag-suppressions';
import { imageDeletionRole } from '../private/service-roles';

/** The construct ID of the one handler per stack, under the stack itself. */
const HANDLER_ID = 'CdkImageBuilderHandler';

/** A wildcard resource the service gives no narrower form for, explained to cdk-nag. */
export interface GrantWildcard {
  readonly reason: string;
  readonly appliesTo: NagAppliesTo[];
}

/**
 * The library's one custom-resource function per stack, with a role that starts empty and gains
 * exactly the permissions of the custom resources that use it.
 */
export class HandlerFunction extends Construct {
  /** The stack's handler, created by the first custom resource that needs it. */
  public static of(scope: IConstruct): HandlerFunction {
    const stack = Stack.of(scope);
    return (stack.node.tryFindChild(HANDLER_ID) as HandlerFunction | undefined) ?? new HandlerFunction(stack, HANDLER_ID);
  }

  public readonly function: ImagebuilderFunction;
  public readonly role: iam.Role;
  private readonly granted = new Set<string>();
  private selfInvokePolicy?: iam.Policy;
  private deletionRole?: iam.Role;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    // Not the managed AWSLambdaBasicExecutionRole: the role may write to its own log group only.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Runs the cdk-imagebuilder custom resources of this stack',
    });
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.THREE_MONTHS });
    logGroup.grantWrite(this.role);
    this.function = new ImagebuilderFunction(this, 'Function', {
      description: 'cdk-imagebuilder custom resources: resource policies, pipeline executions and image deletion',
      role: this.role,
      logGroup,
      memorySize: 256,
      // Lambda's maximum: a wait for an image hands over to a new invocation before this runs out.
      timeout: Duration.minutes(15),
    });
    addNagSuppression(this.function.node.defaultChild as CfnResource, 'AwsSolutions-L1',
      'The handler is built and tested for the Node.js 22 runtime, which AWS Lambda supports', []);
  }

  public get serviceToken(): string {
    return this.function.functionArn;
  }

  /**
   * Adds a statement once, however many custom resources need it.
   */
  public grant(statement: iam.PolicyStatement): void {
    const key = JSON.stringify(Stack.of(this).resolve(statement.toStatementJson()));
    if (this.granted.has(key)) {
      return;
    }
    this.granted.add(key);
    this.role.addToPrincipalPolicy(statement);
  }

  /**
   * The policy of what every custom resource of one kind needs, whichever resources the template
   * holds, created with `statements` by the first of them. The custom resources depend on it, so
   * when an update removes the last of them CloudFormation deletes them before the policy: in the
   * role's default policy, the statements would be gone before their Delete runs, as the update
   * rewrites that policy first.
   */
  public policyForKind(kind: string, statements: () => iam.PolicyStatement[], wildcards: GrantWildcard[] = []): iam.Policy {
    const id = `${kind}Policy`;
    const existing = this.node.tryFindChild(id) as iam.Policy | undefined;
    if (existing) {
      return existing;
    }
    const policy = new iam.Policy(this, id, { roles: [this.role], statements: statements() });
    for (const wildcard of wildcards) {
      addNagSuppression(policy.node.defaultChild as CfnResource, 'AwsSolutions-IAM5', wildcard.reason, wildcard.appliesTo);
    }
    return policy;
  }

  /**
   * The role Image Builder deletes pipelines' images as, one per stack: with the AWS-managed
   * lifecycle execution policy, which lets it deregister AMIs, delete snapshots and delete container
   * images from repositories tagged for it.
   */
  public imageDeletionRole(): iam.Role {
    this.deletionRole ??= imageDeletionRole(this, 'ImageDeletionRole',
      'Deletes the images of cdk-imagebuilder pipelines with autoDeleteImages, with their AMIs, snapshots and containers');
    return this.deletionRole;
  }

  /**
   * Lets the function invoke itself, to continue a long wait. A policy of its own: in the role's
   * default policy the function's ARN would make the function depend on itself.
   */
  public grantSelfInvoke(): iam.Policy {
    this.selfInvokePolicy ??= new iam.Policy(this, 'SelfInvoke', {
      roles: [this.role],
      statements: [new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.function.functionArn] })],
    });
    return this.selfInvokePolicy;
  }
}
