import * as path from 'path';
import { Annotations, Fn, IResource, Lazy, Resource, Stack, Token, Tokenization } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CfnContainerRecipe } from 'aws-cdk-lib/aws-imagebuilder';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
import { Component, IComponent } from './component';
import { ContainerParentImage } from './container-parent-image';
import { ResourcePolicy } from './custom-resources/resource-policy';
import { RecipeComponent, RecipeBlockDevice } from './image-recipe';
import { ParentImage } from './parent-image';
import { OsVersion, Platform } from './platform';
import { validateRegionOfKey } from './private/ami-distribution-targets';
import { validationError } from './private/errors';
import { readLocalFile, s3ObjectUrl } from './private/files';
import { CONTAINER_PLATFORMS } from './private/image-kinds';
import { resolveVersionedImport } from './private/imports';
import { injectProps } from './private/property-injection';
import {
  ComponentFileReaders, RecipeComponentEntry, buildComponentProblems, listRecipeComponents, recipeBuildFingerprint, renderRecipeComponents,
  validateRecipeComponent, warnUnsharedComponents,
} from './private/recipe-components';
import { BlockDeviceList, validateRecipeVersion } from './private/recipe-rules';
import { servedByPublicRegistry } from './private/registries';
import {
  AMI_ID, ImageBuilderResourceType, characterCount, generateResourceName, validatePushRepository, validateResourceName, validateTagMap,
  validateTextLength,
} from './private/validation';
import { versionedResourceArns } from './private/versioned-grants';
import { ShareWithOptions } from './sharing';

const CONTAINER_RECIPE_SYMBOL = Symbol.for('cdk-imagebuilder.ContainerRecipe');
const DEFAULT_VERSION = '1.0.x';
/** `dockerfileTemplateData` is at most 16,000 characters (CreateContainerRecipe API reference). */
const MAX_DOCKERFILE_LENGTH = 16_000;
const COMPONENTS_PLACEHOLDER = '{{{ imagebuilder:components }}}';
/** The same with or without the spaces inside the braces, as in the templates of mustache syntax. */
const COMPONENTS_PLACEHOLDER_PATTERN = /\{\{\{\s*imagebuilder:components\s*\}\}\}/;
/** The build instance's image is an AMI ID or an SSM parameter (Image Builder API reference, `InstanceConfiguration.image`). */
const SSM_PREFIX = 'ssm:';

/**
 * The Dockerfile Image Builder uses when none is given: the parent image, then the environment
 * and the components that Image Builder fills in.
 *
 * @see https://docs.aws.amazon.com/imagebuilder/latest/userguide/create-container-recipes.html
 */
const DEFAULT_DOCKERFILE = [
  'FROM {{{ imagebuilder:parentImage }}}',
  '{{{ imagebuilder:environments }}}',
  COMPONENTS_PLACEHOLDER,
  '',
].join('\n');

/**
 * An EC2 Image Builder container recipe.
 */
export interface IContainerRecipe extends IResource {
  /**
   * The recipe's ARN, with the version this deployment created.
   *
   * @attribute
   */
  readonly containerRecipeArn: string;

  /**
   * The recipe's name.
   *
   * @attribute
   */
  readonly containerRecipeName: string;

  /**
   * The recipe's version.
   *
   * @attribute
   */
  readonly containerRecipeVersion: string;

  /**
   * The platform of the images the recipe builds, when known.
   */
  readonly platform?: Platform;

  /**
   * Grants the given IAM actions on this recipe. IAM knows recipes by version ARN: a created
   * recipe or an import of a version is granted on that version ARN, an import of a wildcard or
   * unknown version on every version of the name (`.../container-recipe/name/*`).
   *
   * @param grantee the principal
   * @param actions the actions
   */
  grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant;

  /**
   * Grants `imagebuilder:GetContainerRecipe` on this recipe.
   *
   * @param grantee the principal
   */
  grantRead(grantee: iam.IGrantable): iam.Grant;

  /**
   * Adds a statement to this container recipe's resource policy (the service's `PutContainerRecipePolicy`), which the stack's
   * custom-resource handler puts at deploy time before promoting the AWS RAM share the service
   * creates from it, so the principals see the container recipe. A statement without resources applies to
   * this container recipe. The policy may grant `imagebuilder:GetContainerRecipe` and `imagebuilder:ListContainerRecipes` to accounts, organizations and organizational units.
   *
   * @param statement the statement to add
   */
  addToResourcePolicy(statement: iam.PolicyStatement): iam.AddToResourcePolicyResult;

  /**
   * Shares this container recipe with accounts, organizations and organizational units: a resource policy
   * statement granting `imagebuilder:GetContainerRecipe` and `imagebuilder:ListContainerRecipes`. Deleting the container recipe or the
   * sharing from the app removes the sharing.
   *
   * @param options who to share with
   */
  shareWith(options: ShareWithOptions): void;
}

/**
 * The Dockerfile template of a container recipe.
 */
export abstract class DockerfileTemplate {
  /**
   * A template given as text (at most 16,000 characters). Use `{{{ imagebuilder:parentImage }}}`,
   * `{{{ imagebuilder:environments }}}` and `{{{ imagebuilder:components }}}` where Image Builder
   * should put the parent image, the environment and the components.
   *
   * @param template the Dockerfile text
   */
  public static fromInline(template: string): DockerfileTemplate {
    return new TextDockerfile(template);
  }

  /**
   * A local Dockerfile, read at synth time and sent inline.
   *
   * @param filePath path to the Dockerfile
   */
  public static fromFile(filePath: string): DockerfileTemplate {
    return new FileDockerfile(filePath);
  }

  /**
   * A template in S3 (the deploying role must be able to read it).
   *
   * @param bucket the bucket
   * @param key the object key
   */
  public static fromS3(bucket: s3.IBucket, key: string): S3DockerfileTemplate {
    return new BucketObjectDockerfileTemplate(bucket, key);
  }

  /**
   * A local Dockerfile uploaded to the CDK assets bucket.
   *
   * @param filePath path to the Dockerfile
   * @param options asset options
   */
  public static fromAsset(filePath: string, options: s3assets.AssetOptions = {}): DockerfileTemplate {
    return new AssetDockerfile(filePath, options);
  }

  /**
   * Renders the template for the recipe `scope`.
   *
   * @param scope the recipe
   */
  public abstract bind(scope: Construct): DockerfileTemplateConfig;
}

/**
 * A Dockerfile template bound to a recipe.
 */
export interface DockerfileTemplateConfig {
  /**
   * The template text.
   *
   * @default - the template is in S3 at `uri`
   */
  readonly data?: string;

  /**
   * The `s3://` URL of the template.
   *
   * @default - the template is inline in `data`
   */
  readonly uri?: string;
}

/**
 * Properties of a {@link ContainerRecipe}.
 */
export interface ContainerRecipeProps {
  /**
   * The image the recipe starts from.
   */
  readonly parentImage: ContainerParentImage;

  /**
   * The ECR repository that receives the images, in the stack's account and region: Image Builder
   * pushes to a repository of that name there. A distribution configuration copies the images to
   * other regions.
   */
  readonly targetRepository: ecr.IRepository;

  /**
   * The components, in the order they run; more can be added with `addComponent`.
   *
   * @default - none here; add them with `addComponent`
   */
  readonly components?: RecipeComponent[];

  /**
   * The Dockerfile template.
   *
   * @default - `FROM` the parent image, then the environment and the components
   */
  readonly dockerfileTemplate?: DockerfileTemplate;

  /**
   * The recipe's name.
   *
   * @default - generated from the construct path: valid, deterministic and unique in the stack
   */
  readonly containerRecipeName?: string;

  /**
   * The recipe's version, `major.minor.patch` or `major.minor.x`.
   *
   * @default 1.0.x (so a changed recipe gets a new version and updates never fail with "already exists")
   */
  readonly recipeVersion?: string;

  /**
   * What the recipe builds.
   *
   * @default - no description
   */
  readonly description?: string;

  /**
   * The AMI of the instance that builds the container image: `ParentImage.fromAmiId`,
   * `fromSsmParameter` or `fromSsmParameterName` (Image Builder takes an AMI ID or an SSM parameter
   * here, not an Image Builder image or a Marketplace product).
   *
   * @default - the ECS-optimized AMI Image Builder picks
   */
  readonly instanceImage?: ParentImage;

  /**
   * Block devices of the instance that builds the container image.
   *
   * @default - those of the instance image
   */
  readonly instanceBlockDevices?: RecipeBlockDevice[];

  /**
   * The customer managed key that encrypts the container image.
   *
   * @default - an AWS owned key
   */
  readonly kmsKey?: kms.IKey;

  /**
   * The platform of the parent image, when Image Builder cannot tell it from the image: Linux or
   * Windows.
   *
   * @default - the parent image's platform
   */
  readonly platformOverride?: Platform;

  /**
   * The OS version of the parent image, when Image Builder cannot tell it from the image.
   *
   * @default - the parent image's OS version
   */
  readonly imageOsVersionOverride?: OsVersion;

  /**
   * The folder where components run in the container.
   *
   * @default - `/tmp`
   */
  readonly workingDirectory?: string;

  /**
   * Tags for the recipe.
   *
   * @default - no tags
   */
  readonly tags?: { [key: string]: string };
}

/**
 * How to refer to an existing container recipe.
 */
export interface ContainerRecipeAttributes {
  /**
   * The recipe's ARN. Give this or `containerRecipeName`, not both.
   *
   * @default - built from `containerRecipeName` and `containerRecipeVersion`
   */
  readonly containerRecipeArn?: string;

  /**
   * The recipe's name. Give this or `containerRecipeArn`, not both.
   *
   * @default - taken from `containerRecipeArn`
   */
  readonly containerRecipeName?: string;

  /**
   * The recipe's version, with trailing `x` wildcards allowed. Only with `containerRecipeName`.
   *
   * @default x.x.x (the latest version)
   */
  readonly containerRecipeVersion?: string;

  /**
   * The platform of the images the recipe builds.
   *
   * @default - unknown
   */
  readonly platform?: Platform;
}

abstract class ContainerRecipeBase extends Resource implements IContainerRecipe {
  public abstract readonly containerRecipeArn: string;
  public abstract readonly containerRecipeName: string;
  public abstract readonly containerRecipeVersion: string;
  public abstract readonly platform?: Platform;

  public addToResourcePolicy(statement: iam.PolicyStatement): iam.AddToResourcePolicyResult {
    return ResourcePolicy.of(this, this._policyArn, ImageBuilderResourceType.CONTAINER_RECIPE).addStatement(statement);
  }

  public shareWith(options: ShareWithOptions): void {
    this.addToResourcePolicy(ResourcePolicy.shareStatement(this, ImageBuilderResourceType.CONTAINER_RECIPE, options));
  }

  /**
   * The ARN the service's `PutContainerRecipePolicy` takes.
   *
   * @internal
   */
  protected get _policyArn(): string {
    return this.containerRecipeArn;
  }

  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: this._iamResourceArns() });
  }

  /**
   * The ARNs IAM checks for requests on this recipe: version ARNs, as recipes have no build numbers.
   *
   * @internal
   */
  protected abstract _iamResourceArns(): string[];

  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, 'imagebuilder:GetContainerRecipe');
  }
}

/**
 * An EC2 Image Builder container recipe: a parent container image, the components that customize
 * it, the Dockerfile that applies them and the ECR repository the result goes to.
 *
 * @see https://docs.aws.amazon.com/imagebuilder/latest/userguide/manage-recipes.html
 */
export class ContainerRecipe extends ContainerRecipeBase {
  /** Names this class to property injectors (`PropertyInjectors`, `App`'s `propertyInjectors`). */
  public static readonly PROPERTY_INJECTION_ID = 'cdk-imagebuilder.ContainerRecipe';

  /**
   * Imports a container recipe by ARN.
   */
  public static fromContainerRecipeArn(scope: Construct, id: string, containerRecipeArn: string): IContainerRecipe {
    return ContainerRecipe.fromContainerRecipeAttributes(scope, id, { containerRecipeArn });
  }

  /**
   * Imports the latest version of a container recipe of this stack's account and region by name.
   */
  public static fromContainerRecipeName(scope: Construct, id: string, containerRecipeName: string): IContainerRecipe {
    return ContainerRecipe.fromContainerRecipeAttributes(scope, id, { containerRecipeName });
  }

  /**
   * Imports a container recipe from its attributes.
   */
  public static fromContainerRecipeAttributes(scope: Construct, id: string, attrs: ContainerRecipeAttributes): IContainerRecipe {
    const { arn, name, version, nameArn } = resolveVersionedImport(scope, {
      type: ImageBuilderResourceType.CONTAINER_RECIPE,
      prop: 'containerRecipe',
      arn: attrs.containerRecipeArn,
      name: attrs.containerRecipeName,
      version: attrs.containerRecipeVersion,
      validateName: (s, n) => validateResourceName(s, 'containerRecipeName', n),
    });

    class Import extends ContainerRecipeBase {
      public readonly containerRecipeArn = arn;
      public readonly containerRecipeName = name;
      public readonly containerRecipeVersion = version;
      public readonly platform = attrs.platform;

      /** @internal */
      protected _iamResourceArns(): string[] {
        return versionedResourceArns(this.containerRecipeArn, this.containerRecipeVersion, nameArn, { builds: false });
      }
    }
    return new Import(scope, id);
  }

  /**
   * Whether `x` is a `ContainerRecipe` created by this library.
   *
   * @param x any value
   */
  public static isContainerRecipe(x: any): x is ContainerRecipe {
    return x !== null && typeof x === 'object' && CONTAINER_RECIPE_SYMBOL in x;
  }

  public readonly containerRecipeArn: string;
  public readonly containerRecipeName: string;
  public readonly containerRecipeVersion: string;
  public readonly platform?: Platform;

  /**
   * An ARN that always refers to the newest version of this recipe (`.../name/x.x.x`).
   *
   * @attribute
   */
  public readonly containerRecipeLatestVersionArn: string;

  /** The ECR repository that receives the images. */
  public readonly targetRepository: ecr.IRepository;

  /** The ECR repository of the parent image, when the parent image is in one this app knows. */
  public readonly parentRepository?: ecr.IRepository;

  /**
   * The parent image when a public registry serves it (Docker Hub, ECR Public and the other
   * registries `servedByPublicRegistry` knows), which no VPC endpoint reaches: the build instances
   * need a route out to pull it.
   *
   * @internal
   */
  public readonly _publicParentImage?: string;

  private readonly componentEntries: RecipeComponentEntry[] = [];
  private readonly fileReaders = new ComponentFileReaders();
  private readonly instanceBlockDevices = new BlockDeviceList('instanceBlockDevices');
  /** Where `platform` comes from, for messages, when not from the parent image. */
  private readonly platformSource?: string;
  /** The resource, for `_buildFingerprint`. */
  private readonly resource: CfnContainerRecipe;

  public constructor(scope: Construct, id: string, props: ContainerRecipeProps) {
    props = injectProps(ContainerRecipe.PROPERTY_INJECTION_ID, scope, id, props);
    super(scope, id, {
      physicalName: props.containerRecipeName ?? Lazy.string({ produce: () => generateResourceName(this) }),
    });
    Object.defineProperty(this, CONTAINER_RECIPE_SYMBOL, { value: true });

    const name = props.containerRecipeName ?? generateResourceName(this);
    validateResourceName(this, 'containerRecipeName', name);
    const version = props.recipeVersion ?? DEFAULT_VERSION;
    validateRecipeVersion(this, version);
    validateTextLength(this, 'description', props.description);
    validateRegionOfKey(this, 'kmsKey', props.kmsKey, Stack.of(this).region, 'the region of the recipe');
    validateTextLength(this, 'workingDirectory', props.workingDirectory);
    validateTagMap(this, 'tags', props.tags);
    if (props.platformOverride !== undefined && !CONTAINER_PLATFORMS.includes(props.platformOverride)) {
      throw validationError(`platformOverride must be ${CONTAINER_PLATFORMS.join(' or ')}, got '${props.platformOverride}'`, this);
    }
    if (props.imageOsVersionOverride && props.platformOverride && props.imageOsVersionOverride.platform !== props.platformOverride) {
      throw validationError(`imageOsVersionOverride must be a ${props.platformOverride} version to match platformOverride, ` +
        `got '${props.imageOsVersionOverride.name}' (${props.imageOsVersionOverride.platform})`, this);
    }

    const parent = props.parentImage.bind(this);
    // Containers are Linux or Windows; a parent claiming another platform would check components against it.
    if (!CONTAINER_PLATFORMS.includes(parent.platform)) {
      throw validationError(`parentImage platform must be ${CONTAINER_PLATFORMS.join(' or ')} for a container image, got '${parent.platform}'`, this);
    }
    this.platform = props.platformOverride ?? parent.platform;
    this.platformSource = props.platformOverride !== undefined ? 'the platform set by platformOverride' : undefined;
    this.parentRepository = parent.repository;
    const fromPublicRegistry = !parent.repository && !Token.isUnresolved(parent.parentImage) && servedByPublicRegistry(parent.parentImage);
    this._publicParentImage = fromPublicRegistry ? parent.parentImage : undefined;
    validatePushRepository(this, 'targetRepository', props.targetRepository,
      'copy the image to other regions with a distribution configuration, and to other accounts with ECR replication');
    this.targetRepository = props.targetRepository;
    for (const entry of props.components ?? []) {
      this.addComponent(entry.component, entry.parameters);
    }
    this.node.addValidation({ validate: () => buildComponentProblems(this.componentEntries) });
    for (const device of props.instanceBlockDevices ?? []) {
      this.addInstanceBlockDevice(device);
    }

    const dockerfile = (props.dockerfileTemplate ?? DockerfileTemplate.fromInline(DEFAULT_DOCKERFILE)).bind(this);
    const instanceImage = props.instanceImage?.bind(this, 'instanceImage').parentImage;
    if (instanceImage !== undefined) {
      validateInstanceImage(this, instanceImage);
    }
    const resource = this.resource = new CfnContainerRecipe(this, 'Resource', {
      name,
      version,
      containerType: 'DOCKER',
      parentImage: parent.parentImage,
      targetRepository: { service: 'ECR', repositoryName: props.targetRepository.repositoryName },
      components: Lazy.any({ produce: () => renderRecipeComponents(this.componentEntries) }),
      dockerfileTemplateData: dockerfile.data,
      dockerfileTemplateUri: dockerfile.uri,
      description: props.description,
      instanceConfiguration: Lazy.any({
        produce: () => {
          const blockDeviceMappings = this.instanceBlockDevices.render();
          return instanceImage || blockDeviceMappings ? { image: instanceImage, blockDeviceMappings } : undefined;
        },
      }),
      kmsKeyId: props.kmsKey?.keyArn,
      platformOverride: props.platformOverride,
      imageOsVersionOverride: props.imageOsVersionOverride?.name,
      workingDirectory: props.workingDirectory,
      tags: props.tags,
    });

    this.containerRecipeArn = resource.attrArn;
    this.containerRecipeName = resource.attrName;
    this.containerRecipeVersion = version.includes('x') ? Fn.select(2, Fn.split('/', resource.attrArn)) : version;
    this.containerRecipeLatestVersionArn = resource.attrLatestVersionArn;
  }

  /**
   * The ARN CloudFormation returns, the version this deployment created.
   *
   * @internal
   */
  protected _iamResourceArns(): string[] {
    return [this.containerRecipeArn];
  }

  /**
   * A digest of the recipe's properties, which changes when the recipe gets a new version: what a
   * start on deploy in another stack watches instead of the ARN.
   *
   * @internal
   */
  public _buildFingerprint(): string {
    return recipeBuildFingerprint(this.resource);
  }

  /**
   * The components the recipe runs, in order: those of `components`, then those added with
   * `addComponent` so far.
   */
  public get components(): RecipeComponent[] {
    return listRecipeComponents(this.componentEntries);
  }

  /**
   * Adds a component to run after those already in the recipe.
   *
   * @param component the component
   * @param parameters values of its parameters, by name
   */
  public addComponent(component: IComponent, parameters?: { [name: string]: string }): void {
    const entry = { component, parameters };
    validateRecipeComponent(this, entry, this.componentEntries, { platform: this.platform, platformSource: this.platformSource });
    this.componentEntries.push(entry);
    this.fileReaders.componentAdded(component);
  }

  /**
   * Adds a statement to this container recipe's resource policy (the service's `PutContainerRecipePolicy`), which the stack's
   * custom-resource handler puts at deploy time before promoting the AWS RAM share the service
   * creates from it, so the principals see the container recipe. A statement without resources applies to
   * this container recipe. The policy may grant `imagebuilder:GetContainerRecipe` and `imagebuilder:ListContainerRecipes` to accounts,
   * organizations and organizational units. When the app is complete, warns about the recipe's
   * components of this app that are not shared too: the principals could not get them.
   *
   * @param statement the statement to add
   */
  public addToResourcePolicy(statement: iam.PolicyStatement): iam.AddToResourcePolicyResult {
    if (!ResourcePolicy.isShared(this)) {
      warnUnsharedComponents(this, this.componentEntries);
    }
    return super.addToResourcePolicy(statement);
  }

  /**
   * Lets `allow` give the instances of a pipeline or image that builds this recipe what they need
   * to download the files of each component, those added later too.
   *
   * @internal
   */
  public _allowComponentFileReads(allow: (component: Component) => void): void {
    this.fileReaders.addReader(allow);
  }

  /**
   * Adds a block device to the instance that builds the container image.
   *
   * @param device the device; each device name once
   */
  public addInstanceBlockDevice(device: RecipeBlockDevice): void {
    this.instanceBlockDevices.add(this, device);
  }

  /**
   * Grants what the build instance needs for this recipe: pull from the parent image's ECR
   * repository (when it is one) and push to the target repository, with `ecr:GetAuthorizationToken`.
   *
   * @param grantee the build instance's role
   */
  public grantContainerBuild(grantee: iam.IGrantable): iam.Grant {
    this.parentRepository?.grantPull(grantee);
    return this.targetRepository.grantPullPush(grantee);
  }
}

class TextDockerfile extends DockerfileTemplate {
  public constructor(private readonly template: string) {
    super();
  }

  public bind(scope: Construct): DockerfileTemplateConfig {
    validateDockerfile(scope, 'dockerfileTemplate', this.template);
    return { data: this.template };
  }
}

class FileDockerfile extends DockerfileTemplate {
  public constructor(private readonly filePath: string) {
    super();
  }

  public bind(scope: Construct): DockerfileTemplateConfig {
    return new TextDockerfile(readLocalFile(scope, 'dockerfileTemplate', this.filePath)).bind(scope);
  }
}

class AssetDockerfile extends DockerfileTemplate {
  public constructor(private readonly filePath: string, private readonly options: s3assets.AssetOptions) {
    super();
  }

  public bind(scope: Construct): DockerfileTemplateConfig {
    validateDockerfile(scope, `dockerfileTemplate '${this.filePath}'`, readLocalFile(scope, 'dockerfileTemplate', this.filePath), Infinity);
    const asset = new s3assets.Asset(scope, 'Dockerfile', { ...this.options, path: path.resolve(this.filePath) });
    return { uri: asset.s3ObjectUrl };
  }
}

/**
 * A Dockerfile template in S3, as `DockerfileTemplate.fromS3` gives it: the object, and grants on it.
 */
export abstract class S3DockerfileTemplate extends DockerfileTemplate {
  /**
   * @param bucket the bucket that holds the template
   * @param key the object key of the template
   */
  protected constructor(
    /** The bucket that holds the template. */
    public readonly bucket: s3.IBucket,
    /** The object key of the template. */
    public readonly key: string) {
    super();
  }

  /**
   * Grants reading the template object, e.g. to the role that deploys the stack, which Image Builder
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
   * Grants writing the template object, e.g. to the job that publishes new versions of it:
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

  public bind(scope: Construct): DockerfileTemplateConfig {
    return { uri: s3ObjectUrl(scope, 'dockerfileTemplate', this.bucket, this.key) };
  }
}

/** The only kind of S3DockerfileTemplate: its constructor is protected so that `DockerfileTemplate.fromS3` is the one way to make one. */
class BucketObjectDockerfileTemplate extends S3DockerfileTemplate {
  public constructor(bucket: s3.IBucket, key: string) {
    super(bucket, key);
  }
}

/**
 * The build instance's image must be an AMI ID or `ssm:` and a parameter. A value whose start is a
 * token (an image built in this app) is left to the service.
 */
function validateInstanceImage(scope: Construct, image: string): void {
  if (image.startsWith(SSM_PREFIX) || AMI_ID.test(image)) {
    return;
  }
  let shown = image;
  if (Token.isUnresolved(image)) {
    const fragments = Tokenization.reverseString(image);
    if (fragments.firstToken) {
      return;
    }
    // A known start such as 'arn:' already tells the kind of image; `ami-` and a token may be an AMI ID.
    const start: string = fragments.firstValue;
    if (start.startsWith('ami-') || SSM_PREFIX.startsWith(start) || 'ami-'.startsWith(start)) {
      return;
    }
    shown = fragments.mapTokens({ mapToken: () => '…' }).join({ join: (left: any, right: any) => `${left ?? ''}${right ?? ''}` });
  }
  throw validationError('instanceImage must be an AMI ID (\'ami-\' and 8 or 17 hexadecimal digits) or an SSM parameter ' +
    `('ssm:' and its name), from ParentImage.fromAmiId, fromSsmParameter or fromSsmParameterName, got '${shown}'`, scope);
}

/** A Dockerfile needs a FROM; without the components placeholder the components would not run. */
function validateDockerfile(scope: Construct, what: string, text: string, maxLength = MAX_DOCKERFILE_LENGTH): void {
  if (Token.isUnresolved(text)) {
    return;
  }
  const count = characterCount(text);
  if (count > maxLength) {
    throw validationError(`${what} must be at most ${maxLength} characters inline, got ${count}; use DockerfileTemplate.fromAsset`, scope);
  }
  if (text.includes('\0')) {
    throw validationError(`${what} must not contain NUL characters`, scope);
  }
  if (!/^\s*FROM\s+\S+/im.test(text)) {
    throw validationError(`${what} must have a FROM instruction, e.g. 'FROM {{{ imagebuilder:parentImage }}}'`, scope);
  }
  if (!COMPONENTS_PLACEHOLDER_PATTERN.test(text)) {
    Annotations.of(scope).addWarningV2('cdk-imagebuilder:dockerfileWithoutComponents',
      `${what} has no ${COMPONENTS_PLACEHOLDER} line, so the recipe's components will not run`);
  }
}
