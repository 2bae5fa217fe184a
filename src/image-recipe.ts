import { Annotations, Fn, IResource, Lazy, Resource, Size, SizeRoundingBehavior, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CfnImageRecipe } from 'aws-cdk-lib/aws-imagebuilder';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { Component, IComponent } from './component';
import { ResourcePolicy } from './custom-resources/resource-policy';
import { ImageArchitecture, ParentImage } from './parent-image';
import { OsVersion, Platform } from './platform';
import { validationError } from './private/errors';
import { resolveVersionedImport } from './private/imports';
import { injectProps } from './private/property-injection';
import {
  ComponentFileReaders, RecipeComponentEntry, buildComponentProblems, listRecipeComponents, recipeBuildFingerprint, renderRecipeComponents,
  validateRecipeComponent, warnUnsharedComponents,
} from './private/recipe-components';
import { BlockDeviceList, validateRecipeVersion } from './private/recipe-rules';
import { ImageBuilderResourceType, generateResourceName, validateTagMap, validateResourceName, validateTextLength, validateWholeNumber } from './private/validation';
import { versionedResourceArns } from './private/versioned-grants';
import { ShareWithOptions } from './sharing';

const IMAGE_RECIPE_SYMBOL = Symbol.for('cdk-imagebuilder.ImageRecipe');
const DEFAULT_VERSION = '1.0.x';

/**
 * An EC2 Image Builder image recipe: a parent image and the components that make a new AMI.
 */
export interface IImageRecipe extends IResource {
  /**
   * The recipe's ARN, with the version this deployment created.
   *
   * @attribute
   */
  readonly imageRecipeArn: string;

  /**
   * The recipe's name.
   *
   * @attribute
   */
  readonly imageRecipeName: string;

  /**
   * The recipe's version.
   *
   * @attribute
   */
  readonly imageRecipeVersion: string;

  /**
   * The platform of the images the recipe builds, when known.
   */
  readonly platform?: Platform;

  /**
   * Grants the given IAM actions on this recipe. IAM knows recipes by version ARN: a created
   * recipe or an import of a version is granted on that version ARN, an import of a wildcard or
   * unknown version on every version of the name (`.../image-recipe/name/*`).
   *
   * @param grantee the principal
   * @param actions the actions, e.g. `imagebuilder:GetImageRecipe`
   */
  grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant;

  /**
   * Grants `imagebuilder:GetImageRecipe` on this recipe.
   *
   * @param grantee the principal
   */
  grantRead(grantee: iam.IGrantable): iam.Grant;

  /**
   * Adds a statement to this image recipe's resource policy (the service's `PutImageRecipePolicy`), which the stack's
   * custom-resource handler puts at deploy time before promoting the AWS RAM share the service
   * creates from it, so the principals see the image recipe. A statement without resources applies to
   * this image recipe. The policy may grant `imagebuilder:GetImageRecipe` and `imagebuilder:ListImageRecipes` to accounts, organizations and organizational units.
   *
   * @param statement the statement to add
   */
  addToResourcePolicy(statement: iam.PolicyStatement): iam.AddToResourcePolicyResult;

  /**
   * Shares this image recipe with accounts, organizations and organizational units: a resource policy
   * statement granting `imagebuilder:GetImageRecipe` and `imagebuilder:ListImageRecipes`. Deleting the image recipe or the
   * sharing from the app removes the sharing.
   *
   * @param options who to share with
   */
  shareWith(options: ShareWithOptions): void;
}

/**
 * A component in a recipe, with the values of its parameters.
 */
export interface RecipeComponent {
  /** The component. */
  readonly component: IComponent;

  /**
   * Values of the component's parameters, by name. When the component's document is known at synth
   * time, names are checked against its declared parameters and parameters without a default must
   * be given.
   *
   * @default - every parameter takes its default
   */
  readonly parameters?: { [name: string]: string };
}

/**
 * EBS volume types.
 */
export enum EbsVolumeType {
  /** General purpose SSD, gp3: IOPS and throughput set independently of size. */
  GP3 = 'gp3',
  /** General purpose SSD, gp2. */
  GP2 = 'gp2',
  /** Provisioned IOPS SSD, io1. */
  IO1 = 'io1',
  /** Provisioned IOPS SSD, io2. */
  IO2 = 'io2',
  /** Throughput optimized HDD. */
  ST1 = 'st1',
  /** Cold HDD. */
  SC1 = 'sc1',
  /** Magnetic. */
  STANDARD = 'standard',
}

/**
 * Settings of an EBS volume of the image.
 */
export interface EbsDeviceOptions {
  /**
   * The size of the volume: a whole number of GiB from 1 to 16,000 (at least 4 GiB for io1 and
   * io2, at least 125 GiB for st1 and sc1, at most 1,024 GiB for magnetic volumes).
   *
   * @default - the size of the snapshot or of the parent image's volume
   */
  readonly volumeSize?: Size;

  /**
   * The volume type.
   *
   * @default - the parent image's type
   */
  readonly volumeType?: EbsVolumeType;

  /**
   * Provisioned IOPS, 100 to 64,000 (at least 3,000 for gp3); only for io1 and io2 (where it is
   * required) and gp3. At most 50 per GiB of `volumeSize` for io1, 1,000 for io2 and 500 for gp3
   * (which has 3,000 at any size).
   *
   * @default - the volume type's baseline
   */
  readonly iops?: number;

  /**
   * Throughput in MiB/s, 125 to 1,000; only for gp3, at most 0.25 per IOPS (750 for the default
   * 3,000 IOPS).
   *
   * @default - 125 MiB/s for gp3
   */
  readonly throughput?: number;

  /**
   * Encrypt the volume.
   *
   * @default - true when `kmsKey` is given, otherwise the parent image's setting
   */
  readonly encrypted?: boolean;

  /**
   * The customer managed key that encrypts the volume.
   *
   * @default - the AWS managed key for EBS when encrypted
   */
  readonly kmsKey?: kms.IKey;

  /**
   * Delete the volume when the instance terminates.
   *
   * @default - the parent image's setting
   */
  readonly deleteOnTermination?: boolean;

  /**
   * The snapshot to create the volume from.
   *
   * @default - the parent image's snapshot for this device, or an empty volume
   */
  readonly snapshotId?: string;
}

/** EC2 names instance store volumes `ephemeral0` to `ephemeral23`. */
const MAX_EPHEMERAL_VOLUME_INDEX = 23;

/**
 * A block device of the image: an EBS volume, an instance store volume, or a device of the parent
 * image left out.
 */
export class RecipeBlockDevice {
  /**
   * An EBS volume at `deviceName`.
   *
   * @param deviceName e.g. `/dev/xvda`
   * @param options the volume's settings
   */
  public static ebs(deviceName: string, options: EbsDeviceOptions = {}): RecipeBlockDevice {
    return new RecipeBlockDevice(deviceName, options, false);
  }

  /**
   * An instance store volume at `deviceName`, on instance types that have one (as aws-cdk-lib's
   * `BlockDeviceVolume.ephemeral`).
   *
   * @param deviceName e.g. `/dev/sdb`
   * @param volumeIndex the instance's store volume, from 0 (`ephemeral0`) to 23
   */
  public static ephemeral(deviceName: string, volumeIndex: number): RecipeBlockDevice {
    return new RecipeBlockDevice(deviceName, undefined, false, volumeIndex);
  }

  /**
   * Leaves out a device of the parent image.
   *
   * @param deviceName e.g. `/dev/sdb`
   */
  public static noDevice(deviceName: string): RecipeBlockDevice {
    return new RecipeBlockDevice(deviceName, undefined, true);
  }

  /** The device name. */
  public readonly deviceName: string;
  private readonly ebsOptions?: EbsDeviceOptions;
  private readonly suppressed: boolean;
  private readonly ephemeralVolumeIndex?: number;

  private constructor(deviceName: string, ebsOptions: EbsDeviceOptions | undefined, suppressed: boolean, ephemeralVolumeIndex?: number) {
    this.deviceName = deviceName;
    this.ebsOptions = ebsOptions;
    this.suppressed = suppressed;
    this.ephemeralVolumeIndex = ephemeralVolumeIndex;
  }

  /**
   * Checks the device and renders it for CloudFormation.
   *
   * @param scope the recipe
   * @param prop the recipe's prop that lists the device, for messages
   * @internal
   */
  public _render(scope: Construct, prop = 'blockDevices'): CfnImageRecipe.InstanceBlockDeviceMappingProperty {
    if (this.suppressed) {
      return { deviceName: this.deviceName, noDevice: '' };
    }
    if (this.ephemeralVolumeIndex !== undefined) {
      validateWholeNumber(scope, `${prop} '${this.deviceName}': volumeIndex`, this.ephemeralVolumeIndex, 0, MAX_EPHEMERAL_VOLUME_INDEX);
      return { deviceName: this.deviceName, virtualName: `ephemeral${this.ephemeralVolumeIndex}` };
    }
    const o = this.ebsOptions!;
    validateEbsOptions(scope, `${prop} '${this.deviceName}'`, o);
    return {
      deviceName: this.deviceName,
      ebs: {
        volumeSize: o.volumeSize?.toGibibytes({ rounding: SizeRoundingBehavior.NONE }),
        volumeType: o.volumeType,
        iops: o.iops,
        throughput: o.throughput,
        encrypted: o.encrypted ?? (o.kmsKey ? true : undefined),
        kmsKeyId: o.kmsKey?.keyArn,
        deleteOnTermination: o.deleteOnTermination,
        snapshotId: o.snapshotId,
      },
    };
  }
}

/**
 * Properties of an {@link ImageRecipe}.
 */
export interface ImageRecipeProps {
  /**
   * The image the recipe starts from.
   */
  readonly parentImage: ParentImage;

  /**
   * The components, in the order they run; more can be added with `addComponent`. A recipe needs at
   * least one build component and takes at most 20 components.
   *
   * @default - none here; add them with `addComponent`
   */
  readonly components?: RecipeComponent[];

  /**
   * The recipe's name.
   *
   * @default - generated from the construct path: valid, deterministic and unique in the stack
   */
  readonly imageRecipeName?: string;

  /**
   * The recipe's version, `major.minor.patch`, or `major.minor.x` to let Image Builder pick the
   * next patch version each time the recipe changes.
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
   * Block devices of the build instance and the image.
   *
   * @default - those of the parent image
   */
  readonly blockDevices?: RecipeBlockDevice[];

  /**
   * The folder where components run on the build instance.
   *
   * @default - `/tmp` on Linux, `C:\` on Windows
   */
  readonly workingDirectory?: string;

  /**
   * User data for the build instance, replacing what Image Builder adds (which installs the SSM
   * agent on Linux, so a replacement must make sure the agent runs). At most 16,383 bytes, which
   * Image Builder receives base64-encoded.
   *
   * @default - Image Builder's user data
   */
  readonly userDataOverride?: ec2.UserData;

  /**
   * Remove the SSM agent from the image after the build, when Image Builder installed it. Image
   * Builder installs it only on Linux, so `true` with a Windows parent image warns: an agent in the
   * Windows parent image stays in the new image.
   *
   * @default false
   */
  readonly uninstallSsmAgentAfterBuild?: boolean;

  /**
   * Tags for the AMI the build creates (at most 50).
   *
   * @default - no tags
   */
  readonly amiTags?: { [key: string]: string };

  /**
   * Tags for the recipe.
   *
   * @default - no tags
   */
  readonly tags?: { [key: string]: string };
}

/**
 * How to refer to an existing image recipe.
 */
export interface ImageRecipeAttributes {
  /**
   * The recipe's ARN. Give this or `imageRecipeName`, not both.
   *
   * @default - built from `imageRecipeName` and `imageRecipeVersion` in this stack's account and region
   */
  readonly imageRecipeArn?: string;

  /**
   * The recipe's name. Give this or `imageRecipeArn`, not both.
   *
   * @default - taken from `imageRecipeArn`
   */
  readonly imageRecipeName?: string;

  /**
   * The recipe's version, with trailing `x` wildcards allowed. Only with `imageRecipeName`.
   *
   * @default x.x.x (the latest version)
   */
  readonly imageRecipeVersion?: string;

  /**
   * The platform of the images the recipe builds.
   *
   * @default - unknown
   */
  readonly platform?: Platform;
}

abstract class ImageRecipeBase extends Resource implements IImageRecipe {
  public abstract readonly imageRecipeArn: string;
  public abstract readonly imageRecipeName: string;
  public abstract readonly imageRecipeVersion: string;
  public abstract readonly platform?: Platform;

  public addToResourcePolicy(statement: iam.PolicyStatement): iam.AddToResourcePolicyResult {
    return ResourcePolicy.of(this, this._policyArn, ImageBuilderResourceType.IMAGE_RECIPE).addStatement(statement);
  }

  public shareWith(options: ShareWithOptions): void {
    this.addToResourcePolicy(ResourcePolicy.shareStatement(this, ImageBuilderResourceType.IMAGE_RECIPE, options));
  }

  /**
   * The ARN the service's `PutImageRecipePolicy` takes.
   *
   * @internal
   */
  protected get _policyArn(): string {
    return this.imageRecipeArn;
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
    return this.grant(grantee, 'imagebuilder:GetImageRecipe');
  }
}

/**
 * An EC2 Image Builder image recipe: the parent image, the components that customize it, and the
 * block devices of the resulting AMI.
 *
 * The default version `1.0.x` lets Image Builder number each new version of the recipe, so a
 * change that replaces the recipe (another parent image, another component list) never fails
 * with "already exists".
 *
 * @see https://docs.aws.amazon.com/imagebuilder/latest/userguide/manage-recipes.html
 */
export class ImageRecipe extends ImageRecipeBase {
  /** Names this class to property injectors (`PropertyInjectors`, `App`'s `propertyInjectors`). */
  public static readonly PROPERTY_INJECTION_ID = 'cdk-imagebuilder.ImageRecipe';

  /**
   * Imports a recipe by ARN.
   *
   * @param scope the scope of the import
   * @param id the id of the import
   * @param imageRecipeArn the recipe's ARN
   */
  public static fromImageRecipeArn(scope: Construct, id: string, imageRecipeArn: string): IImageRecipe {
    return ImageRecipe.fromImageRecipeAttributes(scope, id, { imageRecipeArn });
  }

  /**
   * Imports the latest version of a recipe of this stack's account and region by name.
   *
   * @param scope the scope of the import
   * @param id the id of the import
   * @param imageRecipeName the recipe's name
   */
  public static fromImageRecipeName(scope: Construct, id: string, imageRecipeName: string): IImageRecipe {
    return ImageRecipe.fromImageRecipeAttributes(scope, id, { imageRecipeName });
  }

  /**
   * Imports a recipe from its attributes.
   *
   * @param scope the scope of the import
   * @param id the id of the import
   * @param attrs the recipe's attributes
   */
  public static fromImageRecipeAttributes(scope: Construct, id: string, attrs: ImageRecipeAttributes): IImageRecipe {
    const { arn, name, version, nameArn } = resolveVersionedImport(scope, {
      type: ImageBuilderResourceType.IMAGE_RECIPE,
      prop: 'imageRecipe',
      arn: attrs.imageRecipeArn,
      name: attrs.imageRecipeName,
      version: attrs.imageRecipeVersion,
      validateName: (s, n) => validateResourceName(s, 'imageRecipeName', n),
    });

    class Import extends ImageRecipeBase {
      public readonly imageRecipeArn = arn;
      public readonly imageRecipeName = name;
      public readonly imageRecipeVersion = version;
      public readonly platform = attrs.platform;

      /** @internal */
      protected _iamResourceArns(): string[] {
        return versionedResourceArns(this.imageRecipeArn, this.imageRecipeVersion, nameArn, { builds: false });
      }
    }
    return new Import(scope, id);
  }

  /**
   * Whether `x` is an `ImageRecipe` created by this library.
   *
   * @param x any value
   */
  public static isImageRecipe(x: any): x is ImageRecipe {
    return x !== null && typeof x === 'object' && IMAGE_RECIPE_SYMBOL in x;
  }

  public readonly imageRecipeArn: string;
  public readonly platform?: Platform;
  /**
   * The CPU architecture of the parent image, when known.
   *
   * @internal
   */
  public readonly _architecture?: ImageArchitecture;

  private readonly componentEntries: RecipeComponentEntry[] = [];
  /** The parent image's operating system, when known, which the components must support. */
  private readonly parentOsVersion?: OsVersion;
  private readonly fileReaders = new ComponentFileReaders();
  private readonly blockDevices = new BlockDeviceList('blockDevices');
  /** Attributes besides the ARN are read from it when asked: each makes a token, and most apps read none. */
  private readonly resource: CfnImageRecipe;
  private readonly givenVersion: string;
  /** Made on first use, so that recipes whose version nobody reads carry no tokens for it. */
  private versionFromArn?: string;

  public constructor(scope: Construct, id: string, props: ImageRecipeProps) {
    props = injectProps(ImageRecipe.PROPERTY_INJECTION_ID, scope, id, props);
    super(scope, id, {
      physicalName: props.imageRecipeName ?? Lazy.string({ produce: () => generateResourceName(this) }),
    });
    Object.defineProperty(this, IMAGE_RECIPE_SYMBOL, { value: true });

    const name = props.imageRecipeName ?? generateResourceName(this);
    validateResourceName(this, 'imageRecipeName', name);
    const version = props.recipeVersion ?? DEFAULT_VERSION;
    validateRecipeVersion(this, version);
    validateTextLength(this, 'description', props.description);
    validateTextLength(this, 'workingDirectory', props.workingDirectory);
    validateTagMap(this, 'amiTags', props.amiTags);
    validateTagMap(this, 'tags', props.tags);
    const userData = props.userDataOverride?.render();
    validateUserData(this, userData);

    const parent = props.parentImage.bind(this);
    this.platform = parent.platform;
    this._architecture = parent.architecture;
    this.parentOsVersion = parent.osVersion;
    if (props.uninstallSsmAgentAfterBuild === true && parent.platform === Platform.WINDOWS) {
      // The API sets no platform rule, but "Image Builder does not automatically install the Systems
      // Manager agent on Windows instances", and the setting is about an agent it installed.
      Annotations.of(this).addWarningV2('cdk-imagebuilder:uninstallSsmAgentOnWindows',
        'uninstallSsmAgentAfterBuild is true with a Windows parent image: Image Builder installs the SSM agent, ' +
        'and so can remove it, only on Linux; an agent in the Windows parent image stays in the new image');
    }
    for (const entry of props.components ?? []) {
      this.addComponent(entry.component, entry.parameters);
    }
    this.node.addValidation({ validate: () => buildComponentProblems(this.componentEntries) });
    for (const device of props.blockDevices ?? []) {
      this.addBlockDevice(device);
    }

    this.givenVersion = version;
    this.resource = new CfnImageRecipe(this, 'Resource', {
      name,
      version,
      parentImage: parent.parentImage,
      components: Lazy.any({ produce: () => renderRecipeComponents(this.componentEntries) }),
      description: props.description,
      blockDeviceMappings: Lazy.any({ produce: () => this.blockDevices.render() }),
      workingDirectory: props.workingDirectory,
      additionalInstanceConfiguration: userData !== undefined || props.uninstallSsmAgentAfterBuild !== undefined ? {
        userDataOverride: userData !== undefined ? Fn.base64(userData) : undefined,
        systemsManagerAgent: props.uninstallSsmAgentAfterBuild !== undefined
          ? { uninstallAfterBuild: props.uninstallSsmAgentAfterBuild } : undefined,
      } : undefined,
      amiTags: props.amiTags,
      tags: props.tags,
    });

    this.imageRecipeArn = this.resource.attrArn;
  }

  /**
   * The ARN CloudFormation returns, the version this deployment created.
   *
   * @internal
   */
  protected _iamResourceArns(): string[] {
    return [this.imageRecipeArn];
  }

  public get imageRecipeName(): string {
    return this.resource.attrName;
  }

  public get imageRecipeVersion(): string {
    if (!this.givenVersion.includes('x')) {
      return this.givenVersion;
    }
    // The version is only known after deployment when it has an `x`: read it from the ARN.
    this.versionFromArn ??= Fn.select(2, Fn.split('/', this.imageRecipeArn));
    return this.versionFromArn;
  }

  /**
   * An ARN that always refers to the newest version of this recipe (`.../name/x.x.x`).
   *
   * @attribute
   */
  public get imageRecipeLatestVersionArn(): string {
    return this.resource.attrLatestVersionArn;
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
    validateRecipeComponent(this, entry, this.componentEntries, { platform: this.platform, osVersion: this.parentOsVersion });
    this.componentEntries.push(entry);
    this.fileReaders.componentAdded(component);
  }

  /**
   * Adds a statement to this image recipe's resource policy (the service's `PutImageRecipePolicy`), which the stack's
   * custom-resource handler puts at deploy time before promoting the AWS RAM share the service
   * creates from it, so the principals see the image recipe. A statement without resources applies to
   * this image recipe. The policy may grant `imagebuilder:GetImageRecipe` and `imagebuilder:ListImageRecipes` to accounts,
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
   * Adds a block device to the build instance and to the images of this recipe.
   *
   * @param device the device; each device name once
   */
  public addBlockDevice(device: RecipeBlockDevice): void {
    this.blockDevices.add(this, device);
  }
}

/**
 * Image Builder's ranges for every EBS volume (`EbsInstanceBlockDeviceSpecification` in the
 * Image Builder API reference): IOPS, throughput in MiB/s and size in GiB.
 */
const EBS_RANGES = {
  iops: { min: 100, max: 64_000 },
  throughput: { min: 125, max: 1_000 },
  volumeSize: { min: 1, max: 16_000 },
};

/** What a gp3 volume has at any size, without provisioning more. */
const GP3_BASELINE_IOPS = 3_000;

/**
 * The most IOPS per GiB of volume size (EBS user guide, volume types; as aws-cdk-lib's `ec2.Volume`
 * checks, except io2, which allows 1,000 since all io2 volumes are Block Express). A gp3 volume of
 * any size may have its baseline 3,000 IOPS.
 */
const MAX_IOPS_PER_GIB: { [type: string]: number } = {
  [EbsVolumeType.GP3]: 500,
  [EbsVolumeType.IO1]: 50,
  [EbsVolumeType.IO2]: 1_000,
};
/** The most gp3 throughput in MiB/s per IOPS (EBS user guide, gp3 volumes). */
const GP3_MAX_THROUGHPUT_PER_IOPS = 0.25;

/**
 * The volume types whose EC2 limits are narrower than Image Builder's ranges (supported IOPS and
 * volume sizes of each type, EC2 API reference `EbsBlockDevice` and
 * `LaunchTemplateEbsBlockDeviceRequest`): gp3 starts at 3,000 IOPS, io1
 * and io2 at 4 GiB, st1 and sc1 at 125 GiB, and magnetic volumes stop at 1,024 GiB. Higher
 * per-type maxima are left to the service, which raises them over time.
 */
const EBS_TYPE_RANGES: { [type: string]: { iops?: { min?: number }; volumeSize?: { min?: number; max?: number } } } = {
  [EbsVolumeType.GP3]: { iops: { min: GP3_BASELINE_IOPS } },
  [EbsVolumeType.IO1]: { volumeSize: { min: 4 } },
  [EbsVolumeType.IO2]: { volumeSize: { min: 4 } },
  [EbsVolumeType.ST1]: { volumeSize: { min: 125 } },
  [EbsVolumeType.SC1]: { volumeSize: { min: 125 } },
  [EbsVolumeType.STANDARD]: { volumeSize: { max: 1_024 } },
};

/** The EBS combinations EC2 rejects at launch, caught before the build. `where` names the prop and device. */
function validateEbsOptions(scope: Construct, where: string, o: EbsDeviceOptions): void {
  const type = o.volumeType;
  if (o.iops !== undefined && type !== undefined && ![EbsVolumeType.IO1, EbsVolumeType.IO2, EbsVolumeType.GP3].includes(type)) {
    throw validationError(`${where}: iops is only for io1, io2 and gp3 volumes, got volumeType '${type}'`, scope);
  }
  if ((type === EbsVolumeType.IO1 || type === EbsVolumeType.IO2) && o.iops === undefined) {
    throw validationError(`${where}: ${type} volumes need iops`, scope);
  }
  // Without a type the volume keeps the parent image's, which may be gp3 (as on Amazon Linux 2023).
  if (o.throughput !== undefined && type !== undefined && type !== EbsVolumeType.GP3) {
    throw validationError(`${where}: throughput is only for gp3 volumes, got volumeType '${type}'`, scope);
  }
  const typeRanges = type !== undefined ? EBS_TYPE_RANGES[type] ?? {} : {};
  validateEbsRange(scope, where, 'iops', o.iops, '', type, typeRanges.iops);
  validateEbsRange(scope, where, 'throughput', o.throughput, '', type, undefined);
  if (o.volumeSize !== undefined && !o.volumeSize.isUnresolved()) {
    validateEbsRange(scope, where, 'volumeSize', o.volumeSize.toGibibytes({ rounding: SizeRoundingBehavior.NONE }), ' GiB', type, typeRanges.volumeSize);
  }
  validateEbsRatios(scope, where, o);
  if (o.kmsKey && o.encrypted === false) {
    throw validationError(`${where}: a kmsKey needs encrypted true, got encrypted false`, scope);
  }
  if (o.snapshotId !== undefined && !Token.isUnresolved(o.snapshotId) && !/^snap-[0-9a-f]{8}([0-9a-f]{9})?$/.test(o.snapshotId)) {
    throw validationError(`${where}: snapshotId must be 'snap-' and 8 or 17 hexadecimal digits, got '${o.snapshotId}'`, scope);
  }
}

/** The ratios EC2 rejects at launch: IOPS to size, and gp3 throughput to IOPS. Each only when its values are known. */
function validateEbsRatios(scope: Construct, where: string, o: EbsDeviceOptions): void {
  const type = o.volumeType;
  const maxPerGib = type !== undefined ? MAX_IOPS_PER_GIB[type] : undefined;
  if (maxPerGib !== undefined && o.iops !== undefined && !Token.isUnresolved(o.iops)
    && o.volumeSize !== undefined && !o.volumeSize.isUnresolved()) {
    const size = o.volumeSize.toGibibytes({ rounding: SizeRoundingBehavior.NONE });
    const byRatio = maxPerGib * size;
    const max = type === EbsVolumeType.GP3 ? Math.max(byRatio, GP3_BASELINE_IOPS) : byRatio;
    if (o.iops > max) {
      const baseline = max > byRatio ? ', the baseline' : '';
      throw validationError(
        `${where}: iops must be at most ${maxPerGib} per GiB for ${type} volumes (${max} for ${size} GiB${baseline}), got ${o.iops}`, scope);
    }
  }
  if (type === EbsVolumeType.GP3 && o.throughput !== undefined && !Token.isUnresolved(o.throughput)
    && (o.iops === undefined || !Token.isUnresolved(o.iops))) {
    const iops = o.iops ?? GP3_BASELINE_IOPS;
    const max = Math.floor(GP3_MAX_THROUGHPUT_PER_IOPS * iops);
    if (o.throughput > max) {
      const of = o.iops === undefined ? `the baseline ${iops} IOPS` : `${iops} IOPS`;
      throw validationError(`${where}: throughput must be at most ${GP3_MAX_THROUGHPUT_PER_IOPS} MiB/s per IOPS for gp3 volumes ` +
        `(${max} for ${of}), got ${o.throughput}`, scope);
    }
  }
}

/** A whole number within Image Builder's range for `prop`, narrowed by the volume type's own limits. */
function validateEbsRange(
  scope: Construct, where: string, prop: keyof typeof EBS_RANGES, value: number | undefined, unit: string,
  type: EbsVolumeType | undefined, typeRange: { min?: number; max?: number } | undefined,
): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  const min = Math.max(EBS_RANGES[prop].min, typeRange?.min ?? -Infinity);
  const max = Math.min(EBS_RANGES[prop].max, typeRange?.max ?? Infinity);
  if (!Number.isInteger(value) || value < min || value > max) {
    const whole = unit ? `a whole number of${unit}` : 'a whole number';
    const forType = typeRange ? ` for ${type} volumes` : '';
    throw validationError(`${where}: ${prop} must be ${whole} from ${min} to ${max}${forType}, got ${value}${unit}`, scope);
  }
}

/** `userDataOverride` is sent base64-encoded, at most 21,847 characters: 16,383 bytes before encoding. */
const MAX_USER_DATA_BYTES = 16_383;

function validateUserData(scope: Construct, userData: string | undefined): void {
  if (userData === undefined || Token.isUnresolved(userData)) {
    return;
  }
  const bytes = Buffer.byteLength(userData, 'utf8');
  if (bytes < 1 || bytes > MAX_USER_DATA_BYTES) {
    throw validationError(`userDataOverride must be 1 to ${MAX_USER_DATA_BYTES} bytes (UTF-8) so that it fits in ` +
      `21847 base64 characters, got ${bytes} bytes`, scope);
  }
}
