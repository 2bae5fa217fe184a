import * as path from 'path';
import { Annotations, Fn, IResource, Lazy, Resource, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CfnWorkflow } from 'aws-cdk-lib/aws-imagebuilder';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
import * as yaml from 'yaml';
import { Platform } from './platform';
import { validateRegionOfKey } from './private/ami-distribution-targets';
import { containerBuildWithSetupDocument } from './private/container-setup-workflow';
import { isWholeToken, validateDocumentText } from './private/document-text';
import { validationError } from './private/errors';
import { readLocalFile, s3ObjectUrl } from './private/files';
import { CONTAINER_PLATFORMS } from './private/image-kinds';
import { arnAndNameMessage } from './private/imports';
import { injectProps } from './private/property-injection';
import { stringifyDocument } from './private/toe/document-yaml';
import {
  isMap,
  ImageBuilderResourceType,
  VersionWildcards,
  arnSafeName,
  characterCount,
  generateResourceName,
  parseImageBuilderArn,
  validateImageBuilderArn,
  validateResourceName,
  validateSemanticVersion,
  validateTagMap,
  validateTextLength,
} from './private/validation';
import { versionedResourceArns } from './private/versioned-grants';

const WORKFLOW_SYMBOL = Symbol.for('cdk-imagebuilder.Workflow');
const DEFAULT_VERSION = '1.0.0';
const LATEST_VERSION = 'x.x.x';

/** Limits of the `CreateWorkflow` API. */
const MAX_INLINE_DATA_LENGTH = 16_000;

/** Workflow documents: the only schema version (user guide, "Create a YAML workflow document"). */
const SCHEMA_VERSION = '1.0';
/** Step names, as the service reports them (`WorkflowStepMetadata.name`). */
const STEP_NAME = /^[A-Za-z][A-Za-z0-9-_]{1,99}$/;
/** What a step does when it fails. */
const ON_FAILURE_VALUES = ['Abort', 'Continue'];
/** Workflow documents list at most this many steps (user guide, "Create a YAML workflow document"). */
const MAX_STEPS = 15;
/** A JSONPath variable, which `rollbackEnabled` may be instead of a boolean. */
const JSON_PATH = /^\$\../;

/**
 * An EC2 Image Builder workflow: owned by this app, imported, or AWS-managed.
 */
export interface IWorkflow extends IResource {
  /**
   * The workflow's version ARN (`.../workflow/build/name/1.0.0`, or with `x` wildcards for
   * imports). Image Builder resolves it to the latest build of that version, so pipelines that use
   * it keep working when the workflow's content changes.
   *
   * @attribute
   */
  readonly workflowArn: string;

  /**
   * The workflow's name.
   *
   * @attribute
   */
  readonly workflowName: string;

  /**
   * The workflow's semantic version, e.g. `1.0.0`, or a wildcard such as `x.x.x` for imports.
   *
   * @attribute
   */
  readonly workflowVersion: string;

  /**
   * The stage the workflow runs in: build, test or distribution.
   */
  readonly workflowType: WorkflowType;

  /**
   * Grants the given IAM actions on this workflow (every build of its version).
   *
   * @param grantee the principal
   * @param actions the actions, e.g. `imagebuilder:GetWorkflow`
   */
  grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant;

  /**
   * Grants `imagebuilder:GetWorkflow` on this workflow, and `kms:Decrypt` on its customer key if
   * it has one.
   *
   * @param grantee the principal
   */
  grantRead(grantee: iam.IGrantable): iam.Grant;
}

/**
 * Properties of a {@link Workflow}.
 */
export interface WorkflowProps {
  /**
   * The stage the workflow runs in.
   */
  readonly workflowType: WorkflowType;

  /**
   * The workflow document.
   */
  readonly data: WorkflowData;

  /**
   * The workflow's name: lowercase letters, numbers and hyphens, 3 to 128 characters, so that it
   * appears unchanged in the workflow's ARN.
   *
   * @default - generated from the construct path: valid, deterministic and unique in the stack
   */
  readonly workflowName?: string;

  /**
   * The workflow's semantic version, `major.minor.patch`. Changing the document without changing
   * the version is fine: Image Builder gives the new content a new build number of the same version.
   *
   * @default 1.0.0
   */
  readonly workflowVersion?: string;

  /**
   * What the workflow does.
   *
   * @default - no description
   */
  readonly description?: string;

  /**
   * What changed in this version of the workflow.
   *
   * @default - no change description
   */
  readonly changeDescription?: string;

  /**
   * The customer managed key that encrypts the workflow.
   *
   * @default - an AWS owned key
   */
  readonly kmsKey?: kms.IKey;

  /**
   * Tags for the workflow.
   *
   * @default - no tags
   */
  readonly tags?: { [key: string]: string };

  /**
   * Check the document at synth time when its content is known (inline, object or local file):
   * YAML syntax, `schemaVersion`, the `parameters` list and the `steps` list (names, actions,
   * `onFailure`, `rollbackEnabled`, `timeoutSeconds`), with a warning for an action the user guide
   * does not list. Turn it off only for a document that Image Builder accepts and the check does not.
   *
   * @default true
   */
  readonly validateDocument?: boolean;
}

/**
 * How to refer to an existing workflow.
 */
export interface WorkflowAttributes {
  /**
   * The workflow's ARN (version or build version). Give this or `workflowName`, not both.
   *
   * @default - built from `workflowType`, `workflowName` and `workflowVersion` in this stack's
   * account and region
   */
  readonly workflowArn?: string;

  /**
   * The workflow's name. Give this or `workflowArn`, not both.
   *
   * @default - taken from `workflowArn`
   */
  readonly workflowName?: string;

  /**
   * The workflow's version, with trailing `x` wildcards allowed (`1.x.x`). Only with `workflowName`.
   *
   * @default x.x.x (the latest version)
   */
  readonly workflowVersion?: string;

  /**
   * The stage the workflow runs in. Needed with `workflowName` and with an ARN that is only known
   * at deployment; when given with a literal ARN it must match the ARN's type segment.
   *
   * @default - taken from `workflowArn`
   */
  readonly workflowType?: WorkflowType;

  /**
   * The customer managed key that encrypts the workflow, so that `grantRead` also grants decrypt.
   *
   * @default - an AWS owned key
   */
  readonly kmsKey?: kms.IKey;
}

/**
 * The stage of the image creation process that a workflow runs in.
 */
export enum WorkflowType {
  /** Builds the image: launches the build instance, runs the build components, creates the image. */
  BUILD = 'BUILD',
  /** Tests the image: launches a test instance from it and runs the test components. */
  TEST = 'TEST',
  /** Distributes the image to the regions and accounts of the distribution configuration. */
  DISTRIBUTION = 'DISTRIBUTION',
}

/**
 * The data type of a workflow parameter, as the document writes it.
 */
export enum WorkflowParameterType {
  /** A string. */
  STRING = 'string',
  /** A whole number. */
  INTEGER = 'integer',
  /** `true` or `false`. */
  BOOLEAN = 'boolean',
  /** A list of strings. */
  STRING_LIST = 'stringList',
}

/**
 * A parameter that a workflow document declares, which pipelines and images can set.
 */
export interface WorkflowParameterDeclaration {
  /**
   * The parameter's name.
   */
  readonly name: string;

  /**
   * The parameter's data type.
   */
  readonly parameterType: WorkflowParameterType;

  /**
   * Whether the document gives the parameter a default value; without one, every use of the
   * workflow must set it.
   */
  readonly hasDefault: boolean;
}

/**
 * Options of `WorkflowData.containerBuildWithSetupCommands`.
 */
export interface ContainerBuildSetupOptions {
  /**
   * The platform of the container recipe, which picks the shell: `sh` on Linux, PowerShell on
   * Windows.
   *
   * @default Platform.LINUX
   */
  readonly platform?: Platform;
}

/**
 * Where a workflow's document lives once bound to a workflow: inline text or an S3 URL.
 */
export interface WorkflowDataConfig {
  /**
   * The document text, sent inline.
   *
   * @default - the document is read from `uri`
   */
  readonly data?: string;

  /**
   * The `s3://bucket/key` URL of the document.
   *
   * @default - the document is inline in `data`
   */
  readonly uri?: string;

  /**
   * The document text when it is known at synth time (inline text, a JSON object or a local
   * file), so it can be checked before deployment.
   *
   * @default - not known until deployment (an S3 object)
   */
  readonly documentText?: string;

  /**
   * Where the document text came from, for messages (a file path).
   *
   * @default - written in code
   */
  readonly documentSource?: string;
}

/**
 * The document of a workflow: the YAML that lists the steps Image Builder runs in a stage.
 *
 * @see https://docs.aws.amazon.com/imagebuilder/latest/userguide/image-workflow-create-document.html
 */
export abstract class WorkflowData {
  /**
   * A YAML (or JSON) document given as text.
   *
   * @param document the document text, at most 16,000 characters
   */
  public static fromInline(document: string): WorkflowData {
    return new InlineWorkflowData(document);
  }

  /**
   * A document given as an object, rendered to YAML.
   *
   * @param document the document, e.g. `{ schemaVersion: '1.0', steps: [...] }`
   */
  public static fromJsonObject(document: { [key: string]: any }): WorkflowData {
    return new InlineWorkflowData(stringifyDocument(document, { indent: 2 }));
  }

  /**
   * A build workflow for container images that runs `commands` on the build instance before the
   * components, and so before the Docker build: e.g. `docker login` to a private registry that
   * the parent image comes from. It has the steps of AWS's `build-container` workflow (launch
   * the instance, install Docker and the AWS CLI, run the components, which build and push the
   * image), with a `RunCommand` step after the bootstrap that runs the commands as root through
   * `AWS-RunShellScript` with `sh` (`AWS-RunPowerShellScript` on Windows), stopping at the first
   * that fails. Give it to a `Workflow` of type BUILD, and that to the pipeline or image of a
   * container recipe of the same platform; the commands run with the instance profile's role, so
   * grant it what they call (e.g. `secretsmanager:GetSecretValue`).
   *
   * @param commands the shell commands, one whole command per line of the script
   * @param options the platform of the build instance
   */
  public static containerBuildWithSetupCommands(commands: string[], options: ContainerBuildSetupOptions = {}): WorkflowData {
    return new ContainerBuildSetupData(commands, options.platform ?? Platform.LINUX);
  }

  /**
   * A local file, uploaded to the CDK assets bucket at deployment.
   *
   * @param filePath path to the YAML file
   * @param options asset options
   */
  public static fromAsset(filePath: string, options: s3assets.AssetOptions = {}): WorkflowData {
    return new AssetWorkflowData(filePath, options);
  }

  /**
   * A document already in S3. Image Builder reads it with the credentials of the deployment,
   * so the deploying role must be able to read the object.
   *
   * @param bucket the bucket that holds the document
   * @param key the object key of the document
   */
  public static fromS3(bucket: s3.IBucket, key: string): S3WorkflowData {
    return new BucketObjectWorkflowData(bucket, key);
  }

  /**
   * Resolves the document for the workflow `scope`, creating an asset if needed.
   *
   * @param scope the workflow that uses this data
   */
  public abstract bind(scope: Construct): WorkflowDataConfig;
}

class InlineWorkflowData extends WorkflowData {
  public constructor(private readonly document: string) {
    super();
  }

  public bind(scope: Construct): WorkflowDataConfig {
    if (isWholeToken(this.document)) {
      return { data: this.document };
    }
    validateDocumentText(scope, 'data', this.document, 'workflow');
    const count = characterCount(this.document);
    if (count > MAX_INLINE_DATA_LENGTH) {
      throw validationError(
        `data must be at most ${MAX_INLINE_DATA_LENGTH} characters when inline, got ${count}; ` +
        'put larger documents in S3 with WorkflowData.fromAsset or WorkflowData.fromS3', scope);
    }
    return { data: this.document, documentText: this.document };
  }
}

/** The container build workflow with setup commands; workflows made from it build containers alone. */
class ContainerBuildSetupData extends InlineWorkflowData {
  public constructor(private readonly commands: string[], public readonly platform: Platform) {
    super(stringifyDocument(containerBuildWithSetupDocument(commands, platform), { indent: 2, lineWidth: 0 }));
  }

  public bind(scope: Construct): WorkflowDataConfig {
    if (this.commands.length === 0) {
      throw validationError('containerBuildWithSetupCommands needs at least one command, got none', scope);
    }
    const blank = this.commands.findIndex((command) => !Token.isUnresolved(command) && command.trim() === '');
    if (blank >= 0) {
      throw validationError(`containerBuildWithSetupCommands commands must each be a command, got a blank one at [${blank}]`, scope);
    }
    if (!CONTAINER_PLATFORMS.includes(this.platform)) {
      throw validationError(`containerBuildWithSetupCommands platform must be ${CONTAINER_PLATFORMS.join(' or ')}, ` +
        `as container images are, got '${this.platform}'`, scope);
    }
    return super.bind(scope);
  }
}

class AssetWorkflowData extends WorkflowData {
  private readonly assets = new Map<Construct, s3assets.Asset>();

  public constructor(private readonly filePath: string, private readonly options: s3assets.AssetOptions) {
    super();
  }

  public bind(scope: Construct): WorkflowDataConfig {
    const text = readLocalFile(scope, 'data asset', this.filePath);
    validateDocumentText(scope, `data asset '${this.filePath}'`, text, 'workflow');

    // One asset per workflow that uses this data; a second bind to the same scope reuses it.
    let asset = this.assets.get(scope);
    if (!asset) {
      asset = new s3assets.Asset(scope, 'Document', { ...this.options, path: path.resolve(this.filePath) });
      this.assets.set(scope, asset);
    }
    return { uri: asset.s3ObjectUrl, documentText: text, documentSource: this.filePath };
  }
}

/**
 * A workflow document in S3, as `WorkflowData.fromS3` gives it: the object, and grants on it.
 */
export abstract class S3WorkflowData extends WorkflowData {
  /**
   * @param bucket the bucket that holds the document
   * @param key the object key of the document
   */
  protected constructor(
    /** The bucket that holds the document. */
    public readonly bucket: s3.IBucket,
    /** The object key of the document. */
    public readonly key: string) {
    super();
  }

  /**
   * Grants reading the document object, e.g. to the role that deploys the stack, which Image Builder
   * reads it as: aws-cdk-lib's `bucket.grantRead(grantee, key)`, that is `s3:GetObject*`,
   * `s3:GetBucket*` and `s3:List*` on the bucket and the object, and `kms:Decrypt` and
   * `kms:DescribeKey` on the bucket's KMS key, if it has one.
   *
   * @param grantee the principal
   */
  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.bucket.grantRead(grantee, this.key);
  }

  /**
   * Grants writing the document object, e.g. to the job that publishes new versions of it:
   * aws-cdk-lib's `bucket.grantPut(grantee, key)`, that is `s3:PutObject` with its legal hold,
   * retention and tagging actions (`s3:PutObject*` under aws-cdk-lib's older feature flag) and
   * `s3:Abort*` on the object, and `kms:Encrypt`, `kms:ReEncrypt*`, `kms:GenerateDataKey*` and
   * `kms:Decrypt` on the bucket's KMS key, if it has one.
   *
   * @param grantee the principal
   */
  public grantPut(grantee: iam.IGrantable): iam.Grant {
    return this.bucket.grantPut(grantee, this.key);
  }

  public bind(scope: Construct): WorkflowDataConfig {
    return { uri: s3ObjectUrl(scope, 'data', this.bucket, this.key) };
  }
}

/** The only kind of S3WorkflowData: its constructor is protected so that `WorkflowData.fromS3` is the one way to make one. */
class BucketObjectWorkflowData extends S3WorkflowData {
  public constructor(bucket: s3.IBucket, key: string) {
    super(bucket, key);
  }
}

abstract class WorkflowBase extends Resource implements IWorkflow {
  public abstract readonly workflowArn: string;
  public abstract readonly workflowName: string;
  public abstract readonly workflowVersion: string;
  public abstract readonly workflowType: WorkflowType;
  protected abstract readonly kmsKey?: kms.IKey;

  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions,
      resourceArns: this.iamResourceArns(),
    });
  }

  public grantRead(grantee: iam.IGrantable): iam.Grant {
    const grant = this.grant(grantee, 'imagebuilder:GetWorkflow');
    this.kmsKey?.grantDecrypt(grantee);
    return grant;
  }

  private iamResourceArns(): string[] {
    return versionedResourceArns(this.workflowArn, this.workflowVersion, () => this._workflowArnPrefix());
  }

  /**
   * The ARN up to and including the name: `arn:...:workflow/build/name`.
   *
   * @internal
   */
  protected _workflowArnPrefix(): string {
    // The whole ARN is split: `Stack.splitArn` of a token keeps only the first segment after the
    // resource type as `resourceName`. A literal ARN comes out literal, as the split, select and
    // join of a string known at synth time are resolved then.
    const segments = Fn.split('/', this.workflowArn);
    return Fn.join('/', [Fn.select(0, segments), Fn.select(1, segments), Fn.select(2, segments)]);
  }
}

/**
 * What an import resolves to.
 */
interface ResolvedWorkflow {
  readonly arn: string;
  /** `arn:...:workflow/<type>/<name>`, when the import built the ARN itself. */
  readonly arnPrefix?: string;
  readonly name: string;
  readonly version: string;
  readonly workflowType: WorkflowType;
  readonly kmsKey?: kms.IKey;
}

class ImportedWorkflow extends WorkflowBase {
  public readonly workflowArn: string;
  public readonly workflowName: string;
  public readonly workflowVersion: string;
  public readonly workflowType: WorkflowType;
  protected readonly kmsKey?: kms.IKey;
  private readonly arnPrefix?: string;

  public constructor(scope: Construct, id: string, resolved: ResolvedWorkflow) {
    super(scope, id);
    this.workflowArn = resolved.arn;
    this.arnPrefix = resolved.arnPrefix;
    this.workflowName = resolved.name;
    this.workflowVersion = resolved.version;
    this.workflowType = resolved.workflowType;
    this.kmsKey = resolved.kmsKey;
  }

  /** @internal */
  protected _workflowArnPrefix(): string {
    return this.arnPrefix ?? super._workflowArnPrefix();
  }
}

/**
 * An EC2 Image Builder workflow: the steps Image Builder runs in one stage of creating an image
 * (build, test or distribution), in place of the default steps of that stage.
 *
 * The workflow's `workflowArn` is its version ARN. Image Builder resolves it to the newest build of
 * that version, so changing the document and redeploying replaces the workflow with a new build of
 * the same version and pipelines that use it need no change.
 *
 * @see https://docs.aws.amazon.com/imagebuilder/latest/userguide/manage-image-workflows.html
 */
export class Workflow extends WorkflowBase {
  /** Names this class to property injectors (`PropertyInjectors`, `App`'s `propertyInjectors`). */
  public static readonly PROPERTY_INJECTION_ID = 'cdk-imagebuilder.Workflow';

  /**
   * Imports a workflow by ARN (version ARN, build version ARN or wildcard version ARN), e.g.
   * `arn:aws:imagebuilder:us-east-1:123456789012:workflow/build/my-workflow/1.0.0`. For an ARN
   * only known at deployment, use `fromWorkflowAttributes` with `workflowType`.
   *
   * @param scope the scope of the import
   * @param id the id of the import
   * @param workflowArn the workflow's ARN
   */
  public static fromWorkflowArn(scope: Construct, id: string, workflowArn: string): IWorkflow {
    return Workflow.fromWorkflowAttributes(scope, id, { workflowArn });
  }

  /**
   * Imports the latest version of a workflow of this stack's account and region by name.
   *
   * @param scope the scope of the import
   * @param id the id of the import
   * @param workflowName the workflow's name
   * @param workflowType the stage the workflow runs in, part of its ARN
   */
  public static fromWorkflowName(scope: Construct, id: string, workflowName: string, workflowType: WorkflowType): IWorkflow {
    return Workflow.fromWorkflowAttributes(scope, id, { workflowName, workflowType });
  }

  /**
   * Imports a workflow from its attributes.
   *
   * @param scope the scope of the import
   * @param id the id of the import
   * @param attrs the workflow's attributes
   */
  public static fromWorkflowAttributes(scope: Construct, id: string, attrs: WorkflowAttributes): IWorkflow {
    return new ImportedWorkflow(scope, id, { ...resolveWorkflowImport(scope, attrs), kmsKey: attrs.kmsKey });
  }

  /**
   * Imports a workflow of the given owner (an account, or `aws` for AWS-managed workflows) whose
   * name, version and type are known, in this stack's partition and region.
   *
   * @internal
   */
  public static _fromOwner(scope: Construct, id: string, owner: string, workflowType: WorkflowType, name: string, version: string): IWorkflow {
    const stack = Stack.of(scope);
    const arnPrefix = stack.formatArn({
      service: 'imagebuilder',
      account: owner,
      resource: 'workflow',
      resourceName: `${workflowType.toLowerCase()}/${name}`,
    });
    return new ImportedWorkflow(scope, id, { arn: `${arnPrefix}/${version}`, arnPrefix, name, version, workflowType });
  }

  /**
   * Whether `x` is a `Workflow` created by this library.
   *
   * @param x any value
   */
  public static isWorkflow(x: any): x is Workflow {
    return x !== null && typeof x === 'object' && WORKFLOW_SYMBOL in x;
  }

  public readonly workflowArn: string;
  public readonly workflowName: string;
  public readonly workflowVersion: string;
  public readonly workflowType: WorkflowType;

  /**
   * The ARN of the build this deployment created, e.g. `.../workflow/build/name/1.0.0/2`.
   *
   * @attribute
   */
  public readonly workflowBuildVersionArn: string;

  /**
   * Workflows are always encrypted, with `kmsKey` or an AWS owned key.
   */
  public readonly encrypted: boolean = true;

  /**
   * The customer managed key that encrypts the workflow, if any.
   */
  public readonly kmsKey?: kms.IKey;

  /**
   * The document text when it was known at synth time (inline, JSON object or local file).
   */
  public readonly documentText?: string;

  /**
   * The parameters the document declares, when the document was known at synth time and passed
   * the document check (undefined for a document with errors, kept under `validateDocument: false`).
   */
  public readonly documentParameters?: WorkflowParameterDeclaration[];

  /**
   * For data from `WorkflowData.containerBuildWithSetupCommands`, which builds container images
   * alone: the platform whose shell runs the commands, so that a pipeline can refuse the workflow
   * for an AMI or for a container recipe of the other platform.
   *
   * @internal
   */
  public readonly _containerBuildPlatform?: Platform;

  public constructor(scope: Construct, id: string, props: WorkflowProps) {
    props = injectProps(Workflow.PROPERTY_INJECTION_ID, scope, id, props);
    super(scope, id, {
      physicalName: props.workflowName ?? Lazy.string({ produce: () => generateResourceName(this) }),
    });
    Object.defineProperty(this, WORKFLOW_SYMBOL, { value: true });

    const name = props.workflowName ?? generateResourceName(this);
    // Any name the service takes: the name and ARN are read from the ARN the service gives back.
    validateResourceName(this, 'workflowName', name);
    const version = props.workflowVersion ?? DEFAULT_VERSION;
    validateSemanticVersion(this, 'workflowVersion', version, VersionWildcards.NONE);
    validateTextLength(this, 'description', props.description);
    validateRegionOfKey(this, 'kmsKey', props.kmsKey, Stack.of(this).region, 'the region of the workflow');
    validateTagMap(this, 'tags', props.tags);
    validateTextLength(this, 'changeDescription', props.changeDescription);

    this._containerBuildPlatform = props.data instanceof ContainerBuildSetupData ? props.data.platform : undefined;
    if (this._containerBuildPlatform && props.workflowType !== WorkflowType.BUILD) {
      throw validationError(`workflowType must be BUILD for data from WorkflowData.containerBuildWithSetupCommands, got ${props.workflowType}`, this);
    }
    const data = props.data.bind(this);
    if (data.documentText !== undefined) {
      const checked = checkWorkflowDocument(data.documentText, props.workflowType);
      if (props.validateDocument !== false) {
        reportDocumentFindings(this, checked, data.documentSource);
      }
      // A document with errors (kept only under validateDocument: false) may declare parameters
      // the check could not read: its list is unknown rather than what the check found.
      this.documentParameters = checked.errors.length === 0 ? checked.parameters : undefined;
    }

    const resource = new CfnWorkflow(this, 'Resource', {
      name,
      version,
      type: props.workflowType,
      data: data.data,
      uri: data.uri,
      description: props.description,
      changeDescription: props.changeDescription,
      kmsKeyId: props.kmsKey?.keyArn,
      tags: props.tags,
    });

    // The resource has no Name attribute: take the name from its build version ARN
    // (`arn:...:workflow/<type>/<name>/<version>/<build>`), so that users of the name and ARN
    // depend on the workflow, yet the string stays the same when a content change replaces the
    // workflow with a new build.
    this.workflowName = Fn.select(2, Fn.split('/', resource.attrArn));
    this.workflowVersion = version;
    this.workflowType = props.workflowType;
    this.kmsKey = props.kmsKey;
    this.documentText = data.documentText;
    this.workflowArn = Stack.of(this).formatArn({
      service: 'imagebuilder',
      resource: 'workflow',
      resourceName: `${props.workflowType.toLowerCase()}/${this.workflowName}/${version}`,
    });
    this.workflowBuildVersionArn = resource.attrArn;
  }
}

/** Works out ARN, name, version and type of an imported workflow, rejecting conflicting or missing attributes. */
function resolveWorkflowImport(scope: Construct, attrs: WorkflowAttributes): Omit<ResolvedWorkflow, 'kmsKey'> {
  const { workflowArn: arn, workflowName: name, workflowVersion: version, workflowType } = attrs;
  if (arn !== undefined && (name !== undefined || version !== undefined)) {
    throw validationError(
      arnAndNameMessage([['workflowArn', arn], ['workflowName', name], ['workflowVersion', version]]), scope);
  }

  if (arn !== undefined) {
    validateImageBuilderArn(scope, 'workflowArn', arn, ImageBuilderResourceType.WORKFLOW);
    const parsed = Token.isUnresolved(arn) ? undefined : parseImageBuilderArn(arn);
    if (parsed) {
      const typeInArn = parsed.workflowType!.toUpperCase() as WorkflowType;
      if (workflowType !== undefined && workflowType !== typeInArn) {
        throw validationError(
          `workflowType must match the type in workflowArn, got workflowType '${workflowType}' and an ARN of type '${parsed.workflowType}'`, scope);
      }
      return { arn, name: parsed.name, version: parsed.version!, workflowType: typeInArn };
    }
    if (workflowType === undefined) {
      throw validationError(
        'workflowType is needed with a workflowArn that is only known at deployment, got a token workflowArn and no workflowType', scope);
    }
    // `arn:...:workflow/<type>/<name>/<version>[/<build>]`. The whole ARN is split, since
    // `Stack.splitArn` of a token keeps only `<type>` as the resource name.
    const segments = Fn.split('/', arn);
    return { arn, name: Fn.select(2, segments), version: Fn.select(3, segments), workflowType };
  }

  if (name === undefined) {
    if (version !== undefined) {
      throw validationError(`workflowVersion needs a workflowName, got only workflowVersion '${version}'`, scope);
    }
    throw validationError('give workflowArn or workflowName to import a workflow, got neither', scope);
  }
  if (workflowType === undefined) {
    throw validationError(`workflowType is needed with a workflowName, it is part of the ARN; got workflowName '${name}' and no workflowType`, scope);
  }
  validateResourceName(scope, 'workflowName', name);
  const resolvedVersion = version ?? LATEST_VERSION;
  validateSemanticVersion(scope, 'workflowVersion', resolvedVersion, VersionWildcards.TRAILING);
  const arnPrefix = Stack.of(scope).formatArn({
    service: 'imagebuilder',
    resource: 'workflow',
    // The service writes names in ARNs lowercase, with hyphens for spaces and underscores.
    resourceName: `${workflowType.toLowerCase()}/${arnSafeName(name)}`,
  });
  return { arn: `${arnPrefix}/${resolvedVersion}`, arnPrefix, name, version: resolvedVersion, workflowType };
}

/** The result of checking a workflow document. */
interface CheckedWorkflowDocument {
  readonly errors: string[];
  /** What the service may accept though this check cannot confirm it, such as an action the user guide does not list. */
  readonly warnings: string[];
  /** The declared parameters, when the document parses far enough to tell. */
  readonly parameters?: WorkflowParameterDeclaration[];
}

/**
 * The stages the user guide restricts some actions to ("Supported step actions for your workflow
 * document"); every other action may run in any stage.
 */
const ACTION_STAGES: { readonly [action: string]: WorkflowType[] } = {
  ExecuteComponents: [WorkflowType.BUILD, WorkflowType.TEST],
  CollectImageScanFindings: [WorkflowType.TEST],
  DistributeImage: [WorkflowType.DISTRIBUTION],
  ModifyImageAttributes: [WorkflowType.DISTRIBUTION],
  ApplyImageConfigurations: [WorkflowType.DISTRIBUTION],
  DistributeContainerImage: [WorkflowType.DISTRIBUTION],
};

/** A workflow distributes container images or AMIs, not both: these cannot share a workflow with it. */
const CONTAINER_DISTRIBUTION_ACTION = 'DistributeContainerImage';
const AMI_DISTRIBUTION_ACTIONS = ['DistributeImage', 'ModifyImageAttributes', 'ApplyImageConfigurations'];

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * The largest `timeoutSeconds` of each action, the "Max Timeout" of the user guide ("Supported step
 * actions for your workflow document"). Actions not listed here are not checked.
 */
const MAX_TIMEOUT_SECONDS: { readonly [action: string]: number } = {
  ApplyImageConfigurations: 720 * MINUTE,
  BootstrapInstanceForContainer: 720 * MINUTE,
  CollectImageMetadata: 720 * MINUTE,
  CollectImageScanFindings: 720 * MINUTE,
  CreateImage: 3 * DAY,
  CreateImageFromIso: 720 * MINUTE,
  DistributeContainerImage: 720 * MINUTE,
  DistributeImage: 720 * MINUTE,
  ExecuteComponents: 24 * HOUR,
  ExecuteStateMachine: 24 * HOUR,
  LaunchInstance: 720 * MINUTE,
  ModifyImageAttributes: 180 * MINUTE,
  RegisterImage: 720 * MINUTE,
  RunCommand: 720 * MINUTE,
  RunSysPrep: 720 * MINUTE,
  SanitizeInstance: 720 * MINUTE,
  TerminateInstance: 720 * MINUTE,
  WaitForAction: 7 * DAY,
  WaitForSSMAgent: 180 * MINUTE,
};

/**
 * Checks the structure of a workflow document: what the user guide lists as required, the values
 * of the step fields the service defines, the stages and timeout maximums of the actions the guide
 * lists, and that parameter defaults match their types. Unknown actions are accepted, since Image
 * Builder adds new ones; the inputs of actions are not checked.
 *
 * @param workflowType the stage the workflow runs in, to check the actions that only some stages allow
 */
function checkWorkflowDocument(text: string, workflowType?: WorkflowType): CheckedWorkflowDocument {
  let document: unknown;
  try {
    document = yaml.parse(text);
  } catch (e) {
    return { errors: [`is not valid YAML: ${(e as Error).message.split('\n')[0]}`], warnings: [] };
  }
  if (!isMap(document)) {
    return { errors: [`must be a mapping with schemaVersion and steps, got ${describe(document)}`], warnings: [] };
  }

  const errors: string[] = [];
  const warnings: string[] = [];
  if (document.schemaVersion === undefined) {
    errors.push(`schemaVersion must be ${SCHEMA_VERSION}, got none`);
  } else if (String(document.schemaVersion) !== SCHEMA_VERSION && document.schemaVersion !== 1) {
    errors.push(`schemaVersion must be ${SCHEMA_VERSION}, got ${describe(document.schemaVersion)}`);
  }
  const parameters = checkParameters(document.parameters, errors);
  // A workflowType known only at deployment (a token) skips the stage checks.
  const stage = Object.values(WorkflowType).includes(workflowType as WorkflowType) ? workflowType : undefined;
  checkSteps(document.steps, stage, errors, warnings);
  return { errors, warnings, parameters };
}

function checkParameters(value: unknown, errors: string[]): WorkflowParameterDeclaration[] | undefined {
  if (value === undefined || value === null) {
    return [];
  }
  if (!Array.isArray(value)) {
    errors.push(`parameters must be a list of parameters with name and type, got ${describe(value)}`);
    return undefined;
  }
  const types: string[] = Object.values(WorkflowParameterType);
  const declarations: WorkflowParameterDeclaration[] = [];
  value.forEach((parameter, index) => {
    const position = `parameter ${index + 1}`;
    if (!isMap(parameter)) {
      errors.push(`${position} must be a mapping with name and type, got ${describe(parameter)}`);
      return;
    }
    if (typeof parameter.name !== 'string' || parameter.name === '') {
      errors.push(`${position} must have a name, got ${describe(parameter.name)}`);
      return;
    }
    const name = parameter.name;
    if (declarations.some((d) => d.name === name)) {
      errors.push(`parameter '${name}' is declared more than once; parameter names must be unique`);
      return;
    }
    if (typeof parameter.type !== 'string' || !types.includes(parameter.type)) {
      errors.push(`parameter '${name}' type must be one of ${types.join(', ')}, got ${describe(parameter.type)}`);
      return;
    }
    const parameterType = parameter.type as WorkflowParameterType;
    const hasDefault = parameter.default !== undefined && parameter.default !== null;
    if (hasDefault) {
      checkParameterDefault(name, parameterType, parameter.default, errors);
    }
    declarations.push({ name, parameterType, hasDefault });
  });
  return declarations;
}

/** A parameter's default matches the parameter's data type (user guide, "Workflow document parameters"). */
function checkParameterDefault(name: string, parameterType: WorkflowParameterType, value: unknown, errors: string[]): void {
  const where = `parameter '${name}' of type ${parameterType}`;
  switch (parameterType) {
    case WorkflowParameterType.INTEGER:
      if (!Number.isInteger(value)) {
        errors.push(`${where} must have a whole number as default, got ${describeTyped(value)}`);
      }
      break;
    case WorkflowParameterType.BOOLEAN:
      if (typeof value !== 'boolean') {
        errors.push(`${where} must have true or false as default, got ${describeTyped(value)}`);
      }
      break;
    case WorkflowParameterType.STRING:
      if (typeof value !== 'string') {
        errors.push(`${where} must have a string as default, got ${describeTyped(value)}`);
      }
      break;
    case WorkflowParameterType.STRING_LIST:
      if (!Array.isArray(value)) {
        errors.push(`${where} must have a list of strings as default, got ${describeTyped(value)}`);
      } else {
        const index = value.findIndex((item) => typeof item !== 'string');
        if (index >= 0) {
          errors.push(`${where} must have a list of strings as default, got a list with ${describeTyped(value[index])} at position ${index + 1}`);
        }
      }
      break;
  }
}

function checkSteps(value: unknown, stage: WorkflowType | undefined, errors: string[], warnings: string[]): void {
  if (!Array.isArray(value) || value.length === 0) {
    errors.push(`steps must be a non-empty list of steps, got ${describe(value)}`);
    return;
  }
  if (value.length > MAX_STEPS) {
    errors.push(`steps must list at most ${MAX_STEPS} steps, got ${value.length}`);
  }
  const seen = new Map<string, number>();
  /** The steps with a name and an action, in document order, for the actions that cannot share a workflow. */
  const actions: Array<{ readonly name: string; readonly action: string }> = [];
  value.forEach((step, index) => {
    const position = `step ${index + 1}`;
    if (!isMap(step)) {
      errors.push(`${position} must be a mapping with name and action, got ${describe(step)}`);
      return;
    }
    if (typeof step.name !== 'string' || step.name === '') {
      errors.push(`${position} must have a name, got ${describe(step.name)}`);
      return;
    }
    const name = step.name;
    const where = `step '${name}'`;
    if (!STEP_NAME.test(name)) {
      errors.push(`${where} name must be 2 to 100 letters, numbers, hyphens and underscores, starting with a letter`);
    }
    const first = seen.get(name);
    if (first !== undefined) {
      errors.push(`${where} is step ${first} and step ${index + 1}; step names must be unique`);
    } else {
      seen.set(name, index + 1);
    }
    const action = typeof step.action === 'string' && step.action !== '' ? step.action : undefined;
    if (action === undefined) {
      errors.push(`${where} must have an action, e.g. LaunchInstance or CreateImage, got ${describe(step.action)}`);
    } else {
      actions.push({ name, action });
      if (ownEntry(MAX_TIMEOUT_SECONDS, action) === undefined) {
        warnings.push(unlistedActionWarning(where, action));
      }
      const stages = ownEntry(ACTION_STAGES, action);
      if (stage !== undefined && stages !== undefined && !stages.includes(stage)) {
        errors.push(`${where} action ${action} is allowed only in ${stages.join(' or ')} workflows, got a ${stage} workflow`);
      }
    }
    if (step.onFailure !== undefined && !ON_FAILURE_VALUES.includes(step.onFailure as string)) {
      errors.push(`${where} onFailure must be ${ON_FAILURE_VALUES.join(' or ')}, got ${describe(step.onFailure)}`);
    }
    const rollback = step.rollbackEnabled;
    if (rollback !== undefined && typeof rollback !== 'boolean' && !(typeof rollback === 'string' && JSON_PATH.test(rollback))) {
      errors.push(`${where} rollbackEnabled must be true or false, got ${describe(rollback)}; ` +
        'a JSONPath variable that resolves to true or false, such as $.parameters.rollback, is also allowed');
    }
    const timeout = step.timeoutSeconds;
    if (timeout !== undefined && !(typeof timeout === 'number' && Number.isInteger(timeout) && timeout > 0)) {
      errors.push(`${where} timeoutSeconds must be a whole number of seconds greater than 0, got ${describe(timeout)}`);
    } else if (typeof timeout === 'number' && action !== undefined && timeout > (ownEntry(MAX_TIMEOUT_SECONDS, action) ?? Infinity)) {
      const max = MAX_TIMEOUT_SECONDS[action];
      errors.push(`${where} timeoutSeconds must be at most ${max} (${describeSeconds(max)}) for action ${action}, got ${describe(timeout)}`);
    }
  });

  const amiSteps = actions.filter((s) => AMI_DISTRIBUTION_ACTIONS.includes(s.action)).map((s) => `step '${s.name}' (${s.action})`);
  const containerSteps = actions.filter((s) => s.action === CONTAINER_DISTRIBUTION_ACTION);
  if (amiSteps.length > 0) {
    for (const containerStep of containerSteps) {
      errors.push(`step '${containerStep.name}' action ${CONTAINER_DISTRIBUTION_ACTION} cannot share a workflow with ` +
        `${AMI_DISTRIBUTION_ACTIONS.slice(0, -1).join(', ')} or ${AMI_DISTRIBUTION_ACTIONS[AMI_DISTRIBUTION_ACTIONS.length - 1]}, ` +
        `got ${amiSteps.join(', ')}`);
    }
  }
}

/** The entry of `key` in a table by action name; none for names every object has, such as `constructor`. */
function ownEntry<T>(table: { readonly [action: string]: T }, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

/** The ID of the warnings about a workflow document, to acknowledge them by. */
const WORKFLOW_DOCUMENT_WARNING = 'cdk-imagebuilder:workflowDocument';

/** Fails synthesis on document errors; warnings (what Image Builder may accept) become construct warnings. */
function reportDocumentFindings(scope: Construct, checked: CheckedWorkflowDocument, source: string | undefined): void {
  const where = source ? ` '${source}'` : '';
  const count = checked.errors.length;
  if (count > 0) {
    throw validationError(
      `workflow document${where} has ${count} error${count > 1 ? 's' : ''}:\n` +
      checked.errors.map((e) => `  - ${e}`).join('\n') +
      '\n(set validateDocument: false to skip this check for a document Image Builder accepts)', scope);
  }
  for (const warning of checked.warnings) {
    Annotations.of(scope).addWarningV2(WORKFLOW_DOCUMENT_WARNING, `workflow document${where}: ${warning}`);
  }
}

/**
 * An action the user guide does not list may be one Image Builder added since, so it only warns;
 * one that differs from a listed action only in case is most likely a typo of it.
 */
function unlistedActionWarning(where: string, action: string): string {
  const listed = Object.keys(MAX_TIMEOUT_SECONDS);
  const sameIgnoringCase = listed.find((known) => known.toLowerCase() === action.toLowerCase());
  return `${where} action '${action}' is not one the Image Builder user guide lists` +
    (sameIgnoringCase ? `; did you mean '${sameIgnoringCase}'? Action names are case-sensitive` : ` (${listed.join(', ')})`) +
    `; if Image Builder has added it since, acknowledge this warning (Annotations.of(workflow).acknowledgeWarning('${WORKFLOW_DOCUMENT_WARNING}'))`;
}

/** A duration in whole hours, or days when longer than a day. */
function describeSeconds(seconds: number): string {
  return seconds > DAY && seconds % DAY === 0 ? `${seconds / DAY} days` : `${seconds / HOUR} hours`;
}

/** A value for messages: strings and numbers quoted, structures by kind. */
function describe(value: unknown): string {
  if (value === undefined || value === null) {
    return 'none';
  }
  if (Array.isArray(value)) {
    return value.length === 0 ? 'an empty list' : 'a list';
  }
  if (typeof value === 'object') {
    return 'a mapping';
  }
  return `'${String(value)}'`;
}

/** A value with its YAML type, for messages about types: `the string '8'`, `the number 3`. */
function describeTyped(value: unknown): string {
  switch (typeof value) {
    case 'string': return `the string '${value}'`;
    case 'number': return `the number ${value}`;
    case 'boolean': return `the boolean ${value}`;
    default: return describe(value);
  }
}
