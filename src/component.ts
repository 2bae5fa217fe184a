import { Annotations, ArnFormat, Aws, Fn, IResource, Lazy, Resource, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CfnComponent } from 'aws-cdk-lib/aws-imagebuilder';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { ComponentData, ComponentDataConfig } from './component-data';
import { ComponentStep } from './component-document';
import { ComponentFile, ComponentFileConfig } from './component-file';
import { ResourcePolicy } from './custom-resources/resource-policy';
import { OsVersion, Platform } from './platform';
import { validateRegionOfKey } from './private/ami-distribution-targets';
import { validationError } from './private/errors';
import { UNPACK_FOLDERS_STEP, archivePathOf, namesRoot, unpackFoldersStep } from './private/folder-files';
import { resolveVersionedImport } from './private/imports';
import { injectProps } from './private/property-injection';
import { rememberSummary, summaryOf } from './private/toe/document-summary';
import { DocumentFinding, checkDocumentText } from './private/toe/document-validator';
import {
  ImageBuilderResourceType,
  VersionWildcards,
  arnSafeName,
  generateResourceName,
  validateResourceName,
  validateSemanticVersion,
  validateTagMap,
  validateTextLength,
} from './private/validation';
import { versionedResourceArns } from './private/versioned-grants';
import { ShareWithOptions } from './sharing';

const COMPONENT_SYMBOL = Symbol.for('cdk-imagebuilder.Component');
const DEFAULT_VERSION = '1.0.0';
/** `supportedOsVersions` holds 1 to 25 names (CreateComponent API reference). */
const MIN_OS_VERSIONS = 1;
const MAX_OS_VERSIONS = 25;

/**
 * An EC2 Image Builder component: owned by this app, imported, or AWS-managed.
 */
export interface IComponent extends IResource {
  /**
   * The component's version ARN (`.../component/name/1.0.0`, or with `x` wildcards for imports).
   * Image Builder resolves it to the latest build of that version, so recipes that use it keep
   * working when the component's content changes.
   *
   * @attribute
   */
  readonly componentArn: string;

  /**
   * The component's name.
   *
   * @attribute
   */
  readonly componentName: string;

  /**
   * The component's semantic version, e.g. `1.0.0`, or a wildcard such as `x.x.x` for imports.
   *
   * @attribute
   */
  readonly componentVersion: string;

  /**
   * The platform the component runs on, when it is known.
   */
  readonly platform?: Platform;

  /**
   * Grants the given IAM actions on this component (every build of its version).
   *
   * @param grantee the principal
   * @param actions the actions, e.g. `imagebuilder:GetComponent`
   */
  grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant;

  /**
   * Grants `imagebuilder:GetComponent` on this component, and `kms:Decrypt` on its customer key
   * if it has one.
   *
   * @param grantee the principal
   */
  grantRead(grantee: iam.IGrantable): iam.Grant;

  /**
   * Adds a statement to this component's resource policy (the service's `PutComponentPolicy`), which the stack's
   * custom-resource handler puts at deploy time before promoting the AWS RAM share the service
   * creates from it, so the principals see the component. A statement without resources applies to
   * this component. The policy may grant `imagebuilder:GetComponent` and `imagebuilder:ListComponents` to accounts, organizations and organizational units.
   *
   * @param statement the statement to add
   */
  addToResourcePolicy(statement: iam.PolicyStatement): iam.AddToResourcePolicyResult;

  /**
   * Shares this component with accounts, organizations and organizational units: a resource policy
   * statement granting `imagebuilder:GetComponent` and `imagebuilder:ListComponents`. Deleting the component or the
   * sharing from the app removes the sharing.
   *
   * @param options who to share with
   */
  shareWith(options: ShareWithOptions): void;
}

/**
 * Properties of a {@link Component}.
 */
export interface ComponentProps {
  /**
   * The platform the component runs on.
   */
  readonly platform: Platform;

  /**
   * The component document.
   */
  readonly data: ComponentData;

  /**
   * The component's name: lowercase letters, numbers and hyphens, 3 to 128 characters, so that it
   * appears unchanged in the component's ARN.
   *
   * @default - generated from the construct path: valid, deterministic and unique in the stack
   */
  readonly componentName?: string;

  /**
   * The component's semantic version, `major.minor.patch`. Changing the document without changing
   * the version is fine: Image Builder gives the new content a new build number of the same version.
   *
   * @default 1.0.0
   */
  readonly componentVersion?: string;

  /**
   * What the component does.
   *
   * @default - no description
   */
  readonly description?: string;

  /**
   * What changed in this version of the component.
   *
   * @default - no change description
   */
  readonly changeDescription?: string;

  /**
   * The customer managed key that encrypts the component.
   *
   * @default - an AWS owned key
   */
  readonly kmsKey?: kms.IKey;

  /**
   * The OS versions the component supports; Image Builder only lets recipes whose parent image
   * matches one of them use the component. Each must belong to `platform` and have a name; give 1 to
   * 25 of them.
   *
   * @default - every OS of the platform
   */
  readonly supportedOsVersions?: OsVersion[];

  /**
   * Tags for the component.
   *
   * @default - no tags
   */
  readonly tags?: { [key: string]: string };

  /**
   * Check the document at synth time when its content is known (inline, object, document or local
   * file): YAML syntax, phases, steps, actions and their inputs, references. Turn it off only for a
   * document that AWSTOE accepts and the check does not.
   *
   * @default true
   */
  readonly validateDocument?: boolean;

  /**
   * Files to put on the instance before the component's steps run: a first step of the first phase,
   * `DownloadFiles`, downloads them from S3, and the build and test instances of the pipelines and
   * images that use the component may read them. Needs `data` from a document model
   * (`ComponentData.fromDocument` or `fromShellScript`; for YAML text,
   * `ComponentData.fromDocument(ComponentDocument.fromYaml(text))`).
   *
   * @default - no files
   */
  readonly files?: ComponentFile[];
}

/**
 * How to refer to an existing component.
 */
export interface ComponentAttributes {
  /**
   * The component's ARN (version or build version). Give this or `componentName`, not both.
   *
   * @default - built from `componentName` and `componentVersion` in this stack's account and region
   */
  readonly componentArn?: string;

  /**
   * The component's name. Give this or `componentArn`, not both.
   *
   * @default - taken from `componentArn`
   */
  readonly componentName?: string;

  /**
   * The component's version, with trailing `x` wildcards allowed (`1.x.x`). Only with `componentName`.
   *
   * @default x.x.x (the latest version)
   */
  readonly componentVersion?: string;

  /**
   * The platform the component runs on, so that recipes can check it.
   *
   * @default - unknown
   */
  readonly platform?: Platform;

  /**
   * The customer managed key that encrypts the component, so that `grantRead` also grants decrypt.
   *
   * @default - an AWS owned key
   */
  readonly kmsKey?: kms.IKey;
}

abstract class ComponentBase extends Resource implements IComponent {
  public abstract readonly componentArn: string;
  public abstract readonly componentName: string;
  public abstract readonly componentVersion: string;
  public abstract readonly platform?: Platform;
  protected abstract readonly kmsKey?: kms.IKey;

  public addToResourcePolicy(statement: iam.PolicyStatement): iam.AddToResourcePolicyResult {
    return ResourcePolicy.of(this, this._policyArn, ImageBuilderResourceType.COMPONENT).addStatement(statement);
  }

  public shareWith(options: ShareWithOptions): void {
    this.addToResourcePolicy(ResourcePolicy.shareStatement(this, ImageBuilderResourceType.COMPONENT, options));
  }

  /**
   * The ARN the service's `PutComponentPolicy` takes.
   *
   * @internal
   */
  protected get _policyArn(): string {
    return this.componentArn;
  }

  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions,
      resourceArns: this.iamResourceArns(),
    });
  }

  public grantRead(grantee: iam.IGrantable): iam.Grant {
    const grant = this.grant(grantee, 'imagebuilder:GetComponent');
    this.kmsKey?.grantDecrypt(grantee);
    return grant;
  }

  private iamResourceArns(): string[] {
    return versionedResourceArns(this.componentArn, this.componentVersion, () => this.componentArnPrefix());
  }

  /** The ARN up to and including the name: `arn:...:component/name`. */
  private componentArnPrefix(): string {
    // Literal ARNs come out literal: the split and select of a string known at synth time are resolved then.
    const parts = Stack.of(this).splitArn(this.componentArn, ArnFormat.SLASH_RESOURCE_NAME);
    return Stack.of(this).formatArn({
      ...parts,
      resourceName: Fn.select(0, Fn.split('/', parts.resourceName!)),
    });
  }
}

/**
 * An EC2 Image Builder component: a document of steps that AWSTOE runs on the build instance
 * (build and validate phases) or the test instance (test phase).
 *
 * The component's `componentArn` is its version ARN. Image Builder resolves it to the newest build
 * of that version, so changing the document and redeploying replaces the component with a new
 * build of the same version and recipes that use it need no change.
 *
 * @see https://docs.aws.amazon.com/imagebuilder/latest/userguide/manage-components.html
 */
export class Component extends ComponentBase {
  /** Names this class to property injectors (`PropertyInjectors`, `App`'s `propertyInjectors`). */
  public static readonly PROPERTY_INJECTION_ID = 'cdk-imagebuilder.Component';

  /**
   * Imports a component by ARN (version ARN, build version ARN or wildcard version ARN).
   *
   * @param scope the scope of the import
   * @param id the id of the import
   * @param componentArn the component's ARN
   */
  public static fromComponentArn(scope: Construct, id: string, componentArn: string): IComponent {
    return Component.fromComponentAttributes(scope, id, { componentArn });
  }

  /**
   * Imports the latest version of a component of this stack's account and region by name.
   *
   * @param scope the scope of the import
   * @param id the id of the import
   * @param componentName the component's name
   */
  public static fromComponentName(scope: Construct, id: string, componentName: string): IComponent {
    return Component.fromComponentAttributes(scope, id, { componentName });
  }

  /**
   * Imports a component from its attributes.
   *
   * @param scope the scope of the import
   * @param id the id of the import
   * @param attrs the component's attributes
   */
  public static fromComponentAttributes(scope: Construct, id: string, attrs: ComponentAttributes): IComponent {
    const { arn: componentArn, name: componentName, version: componentVersion } = resolveVersionedImport(scope, {
      type: ImageBuilderResourceType.COMPONENT,
      prop: 'component',
      arn: attrs.componentArn,
      name: attrs.componentName,
      version: attrs.componentVersion,
      // An existing component may have any valid name; its ARN is built from the name as the service writes it there.
      validateName: (s, n) => validateResourceName(s, 'componentName', n),
    });

    class Import extends ComponentBase {
      public readonly componentArn = componentArn;
      public readonly componentName = componentName;
      public readonly componentVersion = componentVersion;
      public readonly platform = attrs.platform;
      protected readonly kmsKey = attrs.kmsKey;
    }
    return new Import(scope, id);
  }

  /**
   * Whether `x` is a `Component` created by this library.
   *
   * @param x any value
   */
  public static isComponent(x: any): x is Component {
    return x !== null && typeof x === 'object' && COMPONENT_SYMBOL in x;
  }

  public readonly componentArn: string;
  public readonly componentName: string;
  public readonly componentVersion: string;
  public readonly platform?: Platform;
  /** The operating systems the component supports, when given: recipes check their parent image against them. */
  public readonly supportedOsVersions?: OsVersion[];

  /**
   * Components are always encrypted, with `kmsKey` or an AWS owned key.
   */
  public readonly encrypted: boolean = true;

  /**
   * The customer managed key that encrypts the component, if any.
   */
  public readonly kmsKey?: kms.IKey;

  /**
   * The document text when it was known at synth time (inline, JSON object or local file).
   */
  public readonly documentText?: string;

  /** The build version ARN and the type are read from it when asked: each makes a token, and most apps read neither. */
  private readonly resource: CfnComponent;

  /**
   * The statements an instance needs to download `files` and the objects the document's
   * `S3Download` steps name; none without either.
   *
   * @internal
   */
  public readonly _fileReadStatements: iam.PolicyStatement[];

  private readonly hasFiles: boolean;

  /**
   * The ARN of the build this deployment created, e.g. `.../component/name/1.0.0/2`.
   *
   * @attribute
   */
  public get componentBuildVersionArn(): string {
    return this.resource.attrArn;
  }

  /**
   * The component's type, `BUILD` or `TEST`, as Image Builder derives it from the document's phases.
   *
   * @attribute
   */
  public get componentType(): string {
    return this.resource.attrType;
  }

  /**
   * A component's policy is put on the build this deployment created.
   *
   * @internal
   */
  protected get _policyArn(): string {
    return this.componentBuildVersionArn;
  }

  public constructor(scope: Construct, id: string, props: ComponentProps) {
    props = injectProps(Component.PROPERTY_INJECTION_ID, scope, id, props);
    super(scope, id, {
      physicalName: props.componentName ?? Lazy.string({ produce: () => generateResourceName(this) }),
    });
    Object.defineProperty(this, COMPONENT_SYMBOL, { value: true });

    const name = props.componentName ?? generateResourceName(this);
    validateComponentName(this, name);
    const version = props.componentVersion ?? DEFAULT_VERSION;
    validateSemanticVersion(this, 'componentVersion', version, VersionWildcards.NONE);
    validateTextLength(this, 'description', props.description);
    validateRegionOfKey(this, 'kmsKey', props.kmsKey, Stack.of(this).region, 'the region of the component');
    validateTagMap(this, 'tags', props.tags);
    validateTextLength(this, 'changeDescription', props.changeDescription);
    validateOsVersions(this, props.platform, props.supportedOsVersions);

    const files = (props.files ?? []).map((file, index) => file.bind(this, index));
    this.hasFiles = files.length > 0;
    // Data from outside this library (a plain object) may lack the hook, and is taken as it is.
    const platformData = props.data._forPlatform?.(props.platform) ?? props.data;
    const data = (files.length > 0 ? withFileDownloads(this, platformData, files, props.platform) : platformData).bind(this);
    if (data.documentText !== undefined && props.validateDocument !== false) {
      reportDocumentFindings(this, checkComponentDocument(this, data, props.platform), data.documentSource);
    }
    const fileSources = new Set(files.map((file) => file.source));
    const downloads = data.documentText === undefined ? [] : summaryOf(this, data.documentText)?.s3DownloadSources ?? [];
    this._fileReadStatements = [
      ...files.flatMap((file) => file.readStatements),
      ...downloadReadStatements(this, downloads.filter((source) => !fileSources.has(source))),
    ];
    this.resource = new CfnComponent(this, 'Resource', {
      name,
      version,
      platform: props.platform,
      data: data.data,
      uri: data.uri,
      description: props.description,
      changeDescription: props.changeDescription,
      kmsKeyId: props.kmsKey?.keyArn,
      supportedOsVersions: props.supportedOsVersions?.map((os) => os.name),
      tags: props.tags,
    });

    this.componentName = this.resource.attrName;
    this.componentVersion = version;
    this.platform = props.platform;
    this.supportedOsVersions = props.supportedOsVersions;
    this.kmsKey = props.kmsKey;
    this.documentText = data.documentText;
    // Built from the Name attribute so that users of the ARN depend on the component, yet the
    // string stays the same when a content change replaces the component with a new build.
    this.componentArn = Stack.of(this).formatArn({
      service: 'imagebuilder',
      resource: 'component',
      resourceName: `${this.componentName}/${version}`,
    });
  }

  /**
   * Shares the component, and warns when it has `files`: its first step downloads them from S3
   * objects that the accounts it is shared with cannot read unless the bucket's policy allows them;
   * and when it has a `kmsKey`, which those accounts need too.
   *
   * @param options the accounts, organizations and organizational units to share with
   */
  public shareWith(options: ShareWithOptions): void {
    super.shareWith(options);
    if (this.kmsKey) {
      // User guide, "Share Image Builder resources": the key of an encrypted resource must be shared explicitly.
      Annotations.of(this).addWarningV2('cdk-imagebuilder:sharedComponentKey',
        `the component is shared, but encrypted with the customer managed key ${this.kmsKey.node.path}: builds in the accounts it is ` +
        'shared with cannot read it unless the key\'s policy lets them decrypt with it (kms:Decrypt); allow them there');
    }
    if (this.hasFiles) {
      Annotations.of(this).addWarningV2('cdk-imagebuilder:sharedComponentFiles',
        `the component is shared, but its first step, ${DOWNLOAD_FILES_STEP}, downloads its files from S3: builds in the accounts it ` +
        'is shared with fail there unless those accounts may read the objects (s3:GetObject, and kms:Decrypt for a bucket with a ' +
        'customer managed key); allow them in the bucket\'s policy, or share a component without files');
    }
  }

  /**
   * Lets `grantee` download the component's `files` and the S3 objects its document's `S3Download`
   * steps name, as the instances that run it must. Pipelines and images grant their build and test
   * instances this themselves.
   *
   * @param grantee who runs the component, e.g. an instance role
   */
  public grantFilesRead(grantee: iam.IGrantable): iam.Grant {
    if (this._fileReadStatements.length === 0) {
      return iam.Grant.drop(grantee, 'the component has no files');
    }
    return this._fileReadStatements.map((statement) => iam.Grant.addToPrincipal({
      grantee, actions: statement.actions, resourceArns: statement.resources,
    })).reduce((all, grant) => all.combine(grant));
  }
}

/**
 * `s3:GetObject` on each object that the document's `S3Download` steps name, so that the instances
 * that run the component may fetch it. A source with a variable is known only at build time; one
 * that names a prefix (`/*`) needs a listing too, which is left to the user with a warning.
 */
function downloadReadStatements(scope: Construct, sources: readonly string[]): iam.PolicyStatement[] {
  const objects = new Set<string>();
  for (const source of sources) {
    const parts = /^s3:\/\/([^/]+)\/(.+)$/.exec(source);
    if (!parts || source.includes('{{')) {
      continue;
    }
    const [, bucket, key] = parts;
    if (key.endsWith('*')) {
      Annotations.of(scope).addWarningV2('cdk-imagebuilder:s3DownloadPrefix',
        `S3Download source '${source}' fetches the objects under a prefix, which the instance role may not list or read: ` +
        'allow s3:ListBucket on the bucket and s3:GetObject on the prefix to the roles of the instances that run this component');
      continue;
    }
    objects.add(`arn:${Aws.PARTITION}:s3:::${bucket}/${key}`);
  }
  return objects.size > 0 ? [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [...objects] })] : [];
}

/** The step that downloads a component's `files`, first in its first phase. */
const DOWNLOAD_FILES_STEP = 'DownloadFiles';

/**
 * The data with a first step that downloads the files and, for folders among them, a second step
 * that unpacks them; an error when the data is no document model.
 */
function withFileDownloads(scope: Construct, data: ComponentData, files: ComponentFileConfig[], platform: Platform): ComponentData {
  const document = data._document();
  if (!document) {
    throw validationError('files needs data from a document model, ComponentData.fromDocument or fromShellScript, got data given ' +
      'as text, a file or S3; for YAML text use ComponentData.fromDocument(ComponentDocument.fromYaml(text))', scope);
  }
  const downloads = files.map((file, index) => ({
    ...file,
    path: file.folder ? folderArchivePath(scope, index, file.destination) : file.destination,
  }));
  const destinations = new Set<string>();
  downloads.forEach((file, index) => {
    if (Token.isUnresolved(file.path)) {
      return;
    }
    // Shown quoted: a blank value would otherwise read as missing.
    if (file.destination.trim() === '') {
      throw validationError(`files[${index}] destination must be a path on the instance, got '${file.destination}'`, scope);
    }
    if (destinations.has(file.path)) {
      throw validationError(`files must each go to their own destination, got '${file.path}' twice` +
        (file.path === file.destination ? '' : ` (files[${index}] is a folder, downloaded as '${file.path}' before it is unpacked)`), scope);
    }
    destinations.add(file.path);
  });
  const folders = downloads.filter((file) => file.folder).map((file) => ({ archive: file.path, folder: file.destination }));
  const first = document._firstPhase();
  for (const added of [DOWNLOAD_FILES_STEP, ...(folders.length > 0 ? [UNPACK_FOLDERS_STEP] : [])]) {
    if (first?.steps.some((step: any) => step?.name === added)) {
      throw validationError(`files adds the step ${added} first in phase '${first.name}', which has a step of that name already; ` +
        'rename that step', scope);
    }
  }
  const download = ComponentStep.s3Download(DOWNLOAD_FILES_STEP, {
    downloads: downloads.map((file) => ({ source: file.source, destination: file.path, overwrite: true })),
  });
  // Each step is put first in turn, so the unpacking goes in before the download.
  const unpacked = folders.length > 0 ? document._withFirstStep(unpackFoldersStep(platform, folders)) : document;
  return ComponentData.fromDocument(unpacked._withFirstStep(download));
}

/** Where a folder of `files` is downloaded as a zip archive; an error for a destination that names no folder below the root. */
function folderArchivePath(scope: Construct, index: number, destination: string): string {
  // A blank destination is reported with the files' other destinations.
  if (!Token.isUnresolved(destination) && destination.trim() !== '' && namesRoot(destination)) {
    throw validationError(`files[${index}] is a folder, so its destination must name a folder to unpack it into, got '${destination}'`, scope);
  }
  return archivePathOf(destination);
}

/**
 * The findings on a component's document. Recipes read the parameters and phases of their
 * components from the document checked here, rather than parse the text again.
 */
function checkComponentDocument(component: Component, data: ComponentDataConfig, platform: Platform): DocumentFinding[] {
  if (data.document) {
    rememberSummary(component, data.document._content());
    return data.document._findings(platform);
  }
  const { findings, document } = checkDocumentText(data.documentText!, { platform });
  if (document !== undefined) {
    rememberSummary(component, document);
  }
  return findings;
}

/**
 * Fails synthesis on document errors, listing each with its phase, step and line; warnings (what
 * AWSTOE may accept but this library cannot confirm) become construct warnings.
 */
function reportDocumentFindings(scope: Construct, findings: DocumentFinding[], source: string | undefined): void {
  const where = source ? ` '${source}'` : '';

  for (const warning of findings.filter((f) => f.severity === 'warning')) {
    Annotations.of(scope).addWarningV2('cdk-imagebuilder:componentDocument', `component document${where}: ${warning.message}`);
  }
  const errors = findings.filter((f) => f.severity === 'error');
  if (errors.length > 0) {
    throw validationError(
      `component document${where} has ${errors.length} error${errors.length > 1 ? 's' : ''}:\n` +
      errors.map((e) => `  - ${e.message}`).join('\n') +
      '\n(set validateDocument: false to skip this check for a document AWSTOE accepts)', scope);
  }
}

/**
 * Image Builder lowercases names and turns spaces and underscores into hyphens in ARNs; requiring
 * that form of a new component's name keeps `componentArn`, built from its Name attribute, exact.
 */
function validateComponentName(scope: Construct, name: string): void {
  validateResourceName(scope, 'componentName', name);
  if (!Token.isUnresolved(name) && arnSafeName(name) !== name) {
    throw validationError(
      `componentName must use lowercase letters, numbers and hyphens so that it appears unchanged in ARNs, got '${name}'; ` +
      `use '${arnSafeName(name)}'`, scope);
  }
}

/**
 * `supportedOsVersions` (CreateComponent API reference): 1 to 25 names of at least one character,
 * each of the component's platform.
 */
function validateOsVersions(scope: Construct, platform: Platform, osVersions: OsVersion[] | undefined): void {
  if (osVersions === undefined) {
    return;
  }
  if (osVersions.length < MIN_OS_VERSIONS || osVersions.length > MAX_OS_VERSIONS) {
    throw validationError(
      `supportedOsVersions must have ${MIN_OS_VERSIONS} to ${MAX_OS_VERSIONS} OS versions, got ${osVersions.length}; ` +
      'leave it out to support every OS of the platform', scope);
  }
  for (const os of osVersions) {
    if (!Token.isUnresolved(os.name) && os.name.trim() === '') {
      throw validationError(`supportedOsVersions names must not be empty or blank, got '${os.name}'`, scope);
    }
    if (os.platform !== platform) {
      throw validationError(
        `supportedOsVersions must be ${platform} versions for a ${platform} component, got '${os.name}' (${os.platform})`, scope);
    }
  }
}
