import { Stack, Token } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import type { IImage } from './image';
import { OsVersion, Platform } from './platform';
import { validationError } from './private/errors';
import { isContainerImage } from './private/image-kinds';
import {
  AMI_ID, IMAGE_BUILDER_IMAGE_NAME, ImageBuilderResourceType, SSM_PARAMETER_NAME, VersionWildcards,
  isMarketplaceProductId, validateArnInStackRegion, validateImageBuilderArn, validateSemanticVersion,
} from './private/validation';

const LATEST_VERSION = 'x.x.x';
/** SSM parameter ARNs; public parameters such as `/aws/service/...` have no account. */
const SSM_PARAMETER_ARN = /^arn:aws(?:-[a-z]+)*:ssm:[a-z0-9-]+:(?:[0-9]{12})?:parameter\/[a-zA-Z0-9_.\-/]+$/;
/** The prefix Image Builder reads an SSM parameter by; this library adds it. */
const SSM_PREFIX = 'ssm:';

/**
 * The CPU architecture of an image.
 */
export enum ImageArchitecture {
  /** 64-bit x86 (Intel, AMD). */
  X86_64 = 'x86_64',
  /** 64-bit Arm (Graviton, Apple silicon). */
  ARM64 = 'arm64',
}

/**
 * An operating system image that AWS publishes in Image Builder
 * (`arn:<partition>:imagebuilder:<region>:aws:image/<name>/<version>`), by OS and architecture.
 *
 * @see https://docs.aws.amazon.com/imagebuilder/latest/userguide/manage-images.html
 */
export class AwsManagedImage {
  /** Amazon Linux 2. */
  public static readonly AMAZON_LINUX_2 = new AwsManagedImage('Amazon Linux 2', OsVersion.AMAZON_LINUX_2,
    'amazon-linux-2-x86', 'amazon-linux-2-arm64');
  /** Amazon Linux 2023. */
  public static readonly AMAZON_LINUX_2023 = new AwsManagedImage('Amazon Linux 2023', OsVersion.AMAZON_LINUX_2023,
    'amazon-linux-2023-x86', 'amazon-linux-2023-arm64');
  /** Ubuntu Server 22.04 LTS. */
  public static readonly UBUNTU_22_04 = new AwsManagedImage('Ubuntu 22.04', OsVersion.UBUNTU_22_04,
    'ubuntu-server-22-lts-x86', 'ubuntu-server-22-lts-arm64');
  /** Ubuntu Server 24.04 LTS. */
  public static readonly UBUNTU_24_04 = new AwsManagedImage('Ubuntu 24.04', OsVersion.UBUNTU_24_04,
    'ubuntu-server-24-lts-x86', 'ubuntu-server-24-lts-arm64');
  /** Red Hat Enterprise Linux 10. */
  public static readonly RHEL_10 = new AwsManagedImage('Red Hat Enterprise Linux 10', OsVersion.RHEL_10,
    'red-hat-enterprise-linux-10-x86', 'red-hat-enterprise-linux-10-arm64');
  /** SUSE Linux Enterprise Server 15. */
  public static readonly SLES_15 = new AwsManagedImage('SUSE Linux Enterprise Server 15', OsVersion.SLES_15,
    'suse-linux-enterprise-server-15-x86', 'suse-linux-enterprise-server-15-arm64');
  /** Windows Server 2016, Server Core. */
  public static readonly WINDOWS_SERVER_2016_CORE = AwsManagedImage.windows('Windows Server 2016 Core', OsVersion.WINDOWS_SERVER_2016,
    'windows-server-2016-english-core-base-x86');
  /** Windows Server 2016 with Desktop Experience. */
  public static readonly WINDOWS_SERVER_2016_FULL = AwsManagedImage.windows('Windows Server 2016 Full', OsVersion.WINDOWS_SERVER_2016,
    'windows-server-2016-english-full-base-x86');
  /** Windows Server 2019, Server Core. */
  public static readonly WINDOWS_SERVER_2019_CORE = AwsManagedImage.windows('Windows Server 2019 Core', OsVersion.WINDOWS_SERVER_2019,
    'windows-server-2019-english-core-base-x86');
  /** Windows Server 2019 with Desktop Experience. */
  public static readonly WINDOWS_SERVER_2019_FULL = AwsManagedImage.windows('Windows Server 2019 Full', OsVersion.WINDOWS_SERVER_2019,
    'windows-server-2019-english-full-base-x86');
  /** Windows Server 2022, Server Core. */
  public static readonly WINDOWS_SERVER_2022_CORE = AwsManagedImage.windows('Windows Server 2022 Core', OsVersion.WINDOWS_SERVER_2022,
    'windows-server-2022-english-core-base-x86');
  /** Windows Server 2022 with Desktop Experience. */
  public static readonly WINDOWS_SERVER_2022_FULL = AwsManagedImage.windows('Windows Server 2022 Full', OsVersion.WINDOWS_SERVER_2022,
    'windows-server-2022-english-full-base-x86');
  /** Windows Server 2025, Server Core. */
  public static readonly WINDOWS_SERVER_2025_CORE = AwsManagedImage.windows('Windows Server 2025 Core', OsVersion.WINDOWS_SERVER_2025,
    'windows-server-2025-english-core-base-x86');
  /** Windows Server 2025 with Desktop Experience. */
  public static readonly WINDOWS_SERVER_2025_FULL = AwsManagedImage.windows('Windows Server 2025 Full', OsVersion.WINDOWS_SERVER_2025,
    'windows-server-2025-english-full-base-x86');
  /** macOS 14 Sonoma (on EC2 Mac dedicated hosts). */
  public static readonly MACOS_14 = new AwsManagedImage('macOS 14', OsVersion.MACOS_14, 'macos-sonoma-x86', 'macos-sonoma-arm64');
  /** macOS 15 Sequoia (on EC2 Mac dedicated hosts). */
  public static readonly MACOS_15 = new AwsManagedImage('macOS 15', OsVersion.MACOS_15, 'macos-sequoia-x86', 'macos-sequoia-arm64');

  /**
   * An AWS-managed image this library has no constant for, by its Image Builder name.
   *
   * @param imageName the name in the image's ARN, e.g. `amazon-linux-2023-x86`: lowercase letters, digits, hyphens and underscores
   * @param osVersion the operating system of the image
   */
  public static of(imageName: string, osVersion: OsVersion): AwsManagedImage {
    return new AwsManagedImage(imageName, osVersion, imageName, imageName);
  }

  private static windows(displayName: string, osVersion: OsVersion, x86Name: string): AwsManagedImage {
    return new AwsManagedImage(displayName, osVersion, x86Name, undefined);
  }

  /** A readable name for messages, e.g. `Amazon Linux 2023`. */
  public readonly displayName: string;
  /** The operating system of the image. */
  public readonly osVersion: OsVersion;
  private readonly x86Name?: string;
  private readonly arm64Name?: string;

  private constructor(displayName: string, osVersion: OsVersion, x86Name: string | undefined, arm64Name: string | undefined) {
    this.displayName = displayName;
    this.osVersion = osVersion;
    this.x86Name = x86Name;
    this.arm64Name = arm64Name;
  }

  /**
   * The image's name in Image Builder for an architecture, or `undefined` if AWS does not publish it.
   *
   * @param architecture the CPU architecture
   */
  public imageNameFor(architecture: ImageArchitecture): string | undefined {
    return architecture === ImageArchitecture.ARM64 ? this.arm64Name : this.x86Name;
  }
}

/**
 * Options for an AWS-managed parent image.
 */
export interface AwsManagedParentImageOptions {
  /**
   * The CPU architecture.
   *
   * @default ImageArchitecture.X86_64
   */
  readonly architecture?: ImageArchitecture;

  /**
   * The version, with trailing `x` wildcards allowed (`2025.06.x`).
   *
   * @default x.x.x (the latest, so each build starts from the newest release)
   */
  readonly imageVersion?: string;
}

/**
 * Options for parent images whose operating system the library cannot know.
 */
export interface ParentImageOptions {
  /**
   * The platform of the image, so that the recipe can check its components against it.
   *
   * @default - unknown: components are only checked against each other
   */
  readonly platform?: Platform;

  /**
   * The CPU architecture of the image, so that a pipeline or image can check the instance types
   * of its infrastructure configuration against it.
   *
   * @default - unknown: instance types are not checked
   */
  readonly architecture?: ImageArchitecture;
}

/**
 * A parent image once bound to a recipe.
 */
export interface ParentImageConfig {
  /** The value of the recipe's `ParentImage`. */
  readonly parentImage: string;

  /**
   * The platform of the image, when known.
   *
   * @default - unknown
   */
  readonly platform?: Platform;

  /**
   * The CPU architecture of the image, when known.
   *
   * @default - unknown
   */
  readonly architecture?: ImageArchitecture;

  /**
   * The operating system of the image, when known: the recipe's components must support it.
   *
   * @default - unknown
   */
  readonly osVersion?: OsVersion;
}

/**
 * The image a recipe starts from: an AMI, an SSM parameter holding an AMI ID, an AWS-managed
 * Image Builder image, another Image Builder image or a Marketplace product.
 *
 * @see https://docs.aws.amazon.com/imagebuilder/latest/userguide/create-image-recipes.html
 */
export abstract class ParentImage {
  /**
   * An AMI by ID (it must be in the build's region and readable by the account).
   *
   * @param amiId e.g. `ami-0123456789abcdef0`
   * @param options the platform and architecture of the AMI
   */
  public static fromAmiId(amiId: string, options: ParentImageOptions = {}): ParentImage {
    return new ValueParentImage(amiId, options, (scope, prop) => {
      if (!Token.isUnresolved(amiId) && !AMI_ID.test(amiId)) {
        throw validationError(`${prop} AMI ID must be 'ami-' and 8 or 17 hexadecimal digits, got '${amiId}'`, scope);
      }
    });
  }

  /**
   * An SSM parameter holding an AMI ID, read by Image Builder when each build starts (so a
   * parameter such as `/aws/service/ami-amazon-linux-latest/...` always gives the newest AMI).
   * A parameter created in the same stack is referenced, so it is created before the recipe. A
   * parameter imported by ARN (`StringParameter.fromStringParameterArn`, e.g. one another account
   * shares) is given by that ARN, so Image Builder reads it in its own account.
   *
   * @param parameter the parameter
   * @param options the platform and architecture of the AMI
   */
  public static fromSsmParameter(parameter: ssm.IParameter, options: ParentImageOptions = {}): ParentImage {
    // A parameter of this stack is named through a Ref, so CloudFormation creates it first. Only an
    // import by ARN has a literal ARN; its parameterName keeps just the last path segment, and a name
    // is looked up in the build's account.
    const reference = Token.isUnresolved(parameter.parameterArn) ? parameter.parameterName : parameter.parameterArn;
    return new ValueParentImage(`${SSM_PREFIX}${reference}`, options,
      (scope, prop) => validateSsmParameterName(scope, prop, reference));
  }

  /**
   * An SSM parameter holding an AMI ID, by name or ARN; see `fromSsmParameter`.
   *
   * @param parameterName e.g. `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64`,
   *   without the `ssm:` prefix, which the library adds
   * @param options the platform and architecture of the AMI
   */
  public static fromSsmParameterName(parameterName: string, options: ParentImageOptions = {}): ParentImage {
    return new ValueParentImage(`${SSM_PREFIX}${parameterName}`, options,
      (scope, prop) => validateSsmParameterName(scope, prop, parameterName));
  }

  /**
   * An operating system image that AWS publishes in Image Builder, in the stack's region.
   *
   * @param image the OS, e.g. `AwsManagedImage.AMAZON_LINUX_2023`
   * @param options architecture and version
   */
  public static fromAwsManagedImage(image: AwsManagedImage, options: AwsManagedParentImageOptions = {}): ParentImage {
    const architecture = options.architecture ?? ImageArchitecture.X86_64;
    const version = options.imageVersion ?? LATEST_VERSION;
    return new BoundParentImage((scope, prop) => {
      const name = image.imageNameFor(architecture);
      if (name === undefined) {
        throw validationError(`architecture must be ${ImageArchitecture.X86_64} for ${prop} ${image.displayName}, ` +
          `which AWS publishes for ${ImageArchitecture.X86_64} only, got ${architecture}`, scope);
      }
      if (!Token.isUnresolved(name) && !IMAGE_BUILDER_IMAGE_NAME.test(name)) {
        throw validationError(
          `${prop} AWS-managed image name must be lowercase letters, digits, hyphens and underscores, as in Image Builder image ARNs, got '${name}'`, scope);
      }
      validateSemanticVersion(scope, 'imageVersion', version, VersionWildcards.TRAILING);
      const arn = Stack.of(scope).formatArn({ service: 'imagebuilder', account: 'aws', resource: 'image', resourceName: `${name}/${version}` });
      // An image named with AwsManagedImage.of has one name for any architecture: its architecture is known only when given.
      const named = image.imageNameFor(ImageArchitecture.X86_64) !== image.imageNameFor(ImageArchitecture.ARM64);
      return {
        parentImage: arn,
        platform: image.osVersion.platform,
        architecture: named || options.architecture ? architecture : undefined,
        osVersion: image.osVersion,
      };
    });
  }

  /**
   * An Image Builder image by ARN, e.g. one another pipeline builds (`.../image/name/x.x.x` for
   * its latest version).
   *
   * @param imageArn the image's ARN
   * @param options the platform and architecture of the image
   */
  public static fromImageArn(imageArn: string, options: ParentImageOptions = {}): ParentImage {
    return new ValueParentImage(imageArn, options, (scope, prop) => {
      validateImageBuilderArn(scope, prop, imageArn, ImageBuilderResourceType.IMAGE);
      validateArnInStackRegion(scope, prop, imageArn, 'image', 'where the image is built');
    });
  }

  /**
   * An image built by this app or imported, e.g. an `Image` built at deployment.
   *
   * @param image the image
   */
  public static fromImage(image: IImage): ParentImage {
    const parent = ParentImage.fromImageArn(image.imageArn, { platform: image.platform });
    return new BoundParentImage((scope, prop) => {
      if (isContainerImage(image) === true) {
        throw validationError(`${prop} must be an image with an AMI, got ${image.node.path}, a container image; ` +
          'use ContainerParentImage.fromImage in a ContainerRecipe', scope);
      }
      return parent.bind(scope, prop);
    });
  }

  /**
   * An AWS Marketplace product, by product ID.
   *
   * @param productId e.g. `prod-abcdefghijklm`
   * @param options the platform and architecture of the product's image
   */
  public static fromMarketplaceProduct(productId: string, options: ParentImageOptions = {}): ParentImage {
    return new ValueParentImage(productId, options, (scope, prop) => {
      if (!isMarketplaceProductId(productId)) {
        throw validationError(`${prop} Marketplace product ID must be 'prod-' and lowercase letters or digits, got '${productId}'`, scope);
      }
    });
  }

  /**
   * Resolves the parent image for the recipe `scope`.
   *
   * @param scope the recipe
   * @param prop the prop that holds this image, which messages name (`parentImage` when not given)
   */
  public abstract bind(scope: Construct, prop?: string): ParentImageConfig;
}

/** The prop a recipe's parent image is given in. */
const PARENT_IMAGE_PROP = 'parentImage';

class BoundParentImage extends ParentImage {
  public constructor(private readonly resolve: (scope: Construct, prop: string) => ParentImageConfig) {
    super();
  }

  public bind(scope: Construct, prop: string = PARENT_IMAGE_PROP): ParentImageConfig {
    return this.resolve(scope, prop);
  }
}

/** A parent image given as a string, checked (and its dependencies added) when bound. */
class ValueParentImage extends BoundParentImage {
  public constructor(value: string, options: ParentImageOptions, check: (scope: Construct, prop: string) => void) {
    super((scope, prop) => {
      check(scope, prop);
      return { parentImage: value, platform: options.platform, architecture: options.architecture };
    });
  }
}

/**
 * The name (or ARN) of an SSM parameter that holds the parent AMI, without the `ssm:` prefix this
 * library adds.
 */
function validateSsmParameterName(scope: Construct, prop: string, parameterName: string): void {
  // "The AMI must be in the source Region" (CreateImageRecipe), and the parameter is read there too.
  validateArnInStackRegion(scope, prop, parameterName, 'SSM parameter', 'where the image is built');
  if (Token.isUnresolved(parameterName) || SSM_PARAMETER_NAME.test(parameterName) || SSM_PARAMETER_ARN.test(parameterName)) {
    return;
  }
  if (parameterName.toLowerCase().startsWith(SSM_PREFIX)) {
    throw validationError(
      `${prop} SSM parameter name must be given without the '${SSM_PREFIX}' prefix, which the library adds, ` +
      `got '${parameterName}'; use '${parameterName.slice(SSM_PREFIX.length)}'`, scope);
  }
  throw validationError(
    `${prop} SSM parameter name must be a parameter name of letters, digits, _ . - and /, or a parameter ARN ` +
    `like arn:aws:ssm:us-east-1:123456789012:parameter/golden/ami, got '${parameterName}'`, scope);
}
