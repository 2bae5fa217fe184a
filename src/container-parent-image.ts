import { Stack, StringConcat, Token, Tokenization } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { Construct } from 'constructs';
import type { IImage } from './image';
import { Platform } from './platform';
import { validationError } from './private/errors';
import { isContainerImage } from './private/image-kinds';
import { IMAGE_REFERENCE, PATH_COMPONENT, TAG, TAGGED_REFERENCE, isPrivateEcrImage } from './private/registries';
import {
  IMAGE_BUILDER_IMAGE_NAME, ImageBuilderResourceType, VersionWildcards, validateArnInStackRegion, validateImageBuilderArn, validateSemanticVersion,
} from './private/validation';

/** Docker Hub repository names: optional namespace, then path components. */
const DOCKER_REPOSITORY = new RegExp(`^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
/** AWS-managed images are taken at their latest version unless one is given. */
const LATEST_VERSION = 'x.x.x';
const DOCKER_TAG = new RegExp(`^${TAG}$`);
/** DOCKER_TAG in words: the first character is said apart, since a tag like '-foo' fails on it alone. */
const DOCKER_TAG_RULE = 'parentImage tag must be 1 to 128 letters, digits, underscores, dots and hyphens, starting with a letter, digit or underscore';
/** ECR Public image URIs: the registry alias (ECR Public `RegistryAlias` pattern), then a repository of one or more path components. */
const ECR_PUBLIC_IMAGE = new RegExp(
  `^public\\.ecr\\.aws/[a-z][a-z0-9]+(?:[._-][a-z0-9]+)*/${PATH_COMPONENT}(?:/${PATH_COMPONENT})*(?::${TAG})?$`);

/**
 * Options for a container parent image.
 */
export interface ContainerParentImageOptions {
  /**
   * The image's tag.
   *
   * @default latest
   */
  readonly tag?: string;

  /**
   * The platform of the image, so that the recipe can check its components against it.
   *
   * @default Platform.LINUX
   */
  readonly platform?: Platform;
}

/**
 * Options for an AWS-managed container parent image.
 */
export interface AwsManagedContainerParentImageOptions {
  /**
   * The version, with trailing `x` wildcards allowed (`2.x.x`, `2025.06.x`).
   *
   * @default x.x.x (the latest, so each build starts from the newest release)
   */
  readonly imageVersion?: string;
}

/**
 * Options for an AWS-managed container parent image given by the name in its ARN.
 */
export interface AwsManagedContainerImageNameOptions extends AwsManagedContainerParentImageOptions {
  /**
   * The platform of the image, so that the recipe can check its components against it.
   *
   * @default Platform.LINUX
   */
  readonly platform?: Platform;
}

/**
 * A container parent image once bound to a recipe.
 */
export interface ContainerParentImageConfig {
  /** The value of the recipe's `ParentImage`. */
  readonly parentImage: string;
  /** The platform of the image. */
  readonly platform: Platform;
  /**
   * The ECR repository the image comes from, which the build instance must be able to pull from.
   *
   * @default - not an ECR image of this account
   */
  readonly repository?: ecr.IRepository;
}

/**
 * A container image that AWS publishes in Image Builder
 * (`arn:<partition>:imagebuilder:<region>:aws:image/<name>/<version>`), with its platform.
 */
export class AwsManagedContainerImage {
  /** Amazon Linux 2 (x86_64). */
  public static readonly AMAZON_LINUX_2 = new AwsManagedContainerImage('amazon-linux-x86-2', Platform.LINUX);
  /** Amazon Linux 2023 (x86_64). */
  public static readonly AMAZON_LINUX_2023 = new AwsManagedContainerImage('amazon-linux-2023-x86-2023', Platform.LINUX);
  /** Ubuntu 22.04 (x86_64). */
  public static readonly UBUNTU_22_04 = new AwsManagedContainerImage('ubuntu-22-x86-22-04', Platform.LINUX);
  /** Ubuntu 24.04 (x86_64). */
  public static readonly UBUNTU_24_04 = new AwsManagedContainerImage('ubuntu-24-x86-24-04', Platform.LINUX);
  /** Windows Server 2016 Core, LTSC 2016 (amd64). */
  public static readonly WINDOWS_SERVER_2016_CORE = new AwsManagedContainerImage('windows-server-2016-x86-core-ltsc2016-amd64', Platform.WINDOWS);
  /** Windows Server 2019 Core, LTSC 2019 (amd64). */
  public static readonly WINDOWS_SERVER_2019_CORE = new AwsManagedContainerImage('windows-server-2019-x86-core-ltsc2019-amd64', Platform.WINDOWS);

  /**
   * Any other AWS-managed container image, by the name in its ARN.
   *
   * @param imageName e.g. `amazon-linux-x86-2`
   * @param platform the platform of the image
   */
  public static of(imageName: string, platform: Platform): AwsManagedContainerImage {
    return new AwsManagedContainerImage(imageName, platform);
  }

  private constructor(
    /** The image's name in its Image Builder ARN. */
    public readonly imageName: string,
    /** The platform of the image. */
    public readonly platform: Platform,
  ) {}
}

/**
 * The image a container recipe starts from: Docker Hub, Amazon ECR, Amazon ECR Public, another
 * registry, or an Image Builder container image.
 *
 * @see https://docs.aws.amazon.com/imagebuilder/latest/userguide/create-container-recipes.html
 */
export abstract class ContainerParentImage {
  /**
   * An image on Docker Hub, e.g. `amazonlinux` or `library/ubuntu`.
   *
   * @param repository the repository name
   * @param options tag and platform
   */
  public static fromDockerHub(repository: string, options: ContainerParentImageOptions = {}): ContainerParentImage {
    const tag = options.tag ?? 'latest';
    return new Bound((scope) => {
      check(scope, DOCKER_REPOSITORY, repository, 'parentImage Docker Hub repository must be lowercase path components like \'library/ubuntu\'');
      check(scope, DOCKER_TAG, tag, DOCKER_TAG_RULE);
      return { parentImage: `${repository}:${tag}`, platform: options.platform ?? Platform.LINUX };
    });
  }

  /**
   * An image in an Amazon ECR repository.
   *
   * @param repository the repository
   * @param options tag and platform
   */
  public static fromEcr(repository: ecr.IRepository, options: ContainerParentImageOptions = {}): ContainerParentImage {
    const tag = options.tag ?? 'latest';
    return new Bound((scope) => {
      check(scope, DOCKER_TAG, tag, DOCKER_TAG_RULE);
      return { parentImage: repository.repositoryUriForTag(tag), platform: options.platform ?? Platform.LINUX, repository };
    });
  }

  /**
   * An image in Amazon ECR Public, e.g. `public.ecr.aws/amazonlinux/amazonlinux:2023`.
   *
   * @param imageUri the image URI, with its tag
   * @param options the platform (the tag is part of the URI)
   */
  public static fromEcrPublic(imageUri: string, options: ContainerParentImageOptions = {}): ContainerParentImage {
    return new Bound((scope) => {
      check(scope, ECR_PUBLIC_IMAGE, imageUri, 'parentImage ECR Public image must be a URI public.ecr.aws/<registry alias>/<repository>[:tag], ' +
        "with the alias and repository in lowercase, like 'public.ecr.aws/amazonlinux/amazonlinux:2023'");
      return { parentImage: imageUri, platform: options.platform ?? Platform.LINUX };
    });
  }

  /**
   * An image of any registry by its reference, as `docker pull` takes it, e.g.
   * `mcr.microsoft.com/windows/servercore:ltsc2022` or `registry.example.com:5000/team/base:1.4`.
   * The build instance pulls it in the Docker build: for a registry that needs a login, run
   * `docker login` before the build with `WorkflowData.containerBuildWithSetupCommands` (or the
   * container pattern's `dockerSetupCommands`).
   *
   * @param imageReference the registry host (with a port, if any), the repository, and a tag or
   * digest (`@sha256:...`); without either, `tag` is added
   * @param options the tag, when the reference has none, and the platform
   */
  public static fromRegistry(imageReference: string, options: ContainerParentImageOptions = {}): ContainerParentImage {
    return new Bound((scope) => {
      // Tokens stand for one lowercase letter each, so that the text around them is checked.
      const literal = Tokenization.reverseString(imageReference).mapTokens({ mapToken: () => 'x' }).join(new StringConcat());
      if (!IMAGE_REFERENCE.test(literal)) {
        throw validationError('parentImage image reference must be [registry host[:port]/]repository[:tag][@digest], with the repository in ' +
          `lowercase path components, like 'registry.example.com:5000/team/base:1.4', got '${imageReference}'`, scope);
      }
      if (isPrivateEcrImage(literal)) {
        throw validationError('parentImage of a private ECR registry must come from ContainerParentImage.fromEcr(repository), which lets the ' +
          `build instances pull it, got '${imageReference}' (import the repository with ecr.Repository.fromRepositoryAttributes)`, scope);
      }
      const unresolved = Token.isUnresolved(imageReference);
      // With a token in it, the reference is tagged when its last path component has a ':' or '@' of its own.
      const tagged = unresolved ? /[:@][^/]*$/.test(imageReference) : TAGGED_REFERENCE.test(imageReference);
      if (tagged && options.tag !== undefined) {
        throw validationError(`parentImage tag must be left out when the image reference names a tag or digest, got the tag '${options.tag}' ` +
          `and '${imageReference}'`, scope);
      }
      // A reference with a token in it is taken as it is, unless a tag is given.
      const tag = tagged ? undefined : options.tag ?? (unresolved ? undefined : 'latest');
      if (tag !== undefined) {
        check(scope, DOCKER_TAG, tag, DOCKER_TAG_RULE);
      }
      return { parentImage: tag === undefined ? imageReference : `${imageReference}:${tag}`, platform: options.platform ?? Platform.LINUX };
    });
  }

  /**
   * An Image Builder container image by ARN, e.g. an AWS-managed one
   * (`arn:aws:imagebuilder:us-east-1:aws:image/amazon-linux-x86-2/x.x.x`) or one another pipeline builds.
   *
   * @param imageArn the image's ARN
   * @param options the platform
   */
  public static fromImageArn(imageArn: string, options: ContainerParentImageOptions = {}): ContainerParentImage {
    return new Bound((scope) => {
      validateImageBuilderArn(scope, 'parentImage', imageArn, ImageBuilderResourceType.IMAGE);
      validateArnInStackRegion(scope, 'parentImage', imageArn, 'image', 'where the image is built');
      return { parentImage: imageArn, platform: options.platform ?? Platform.LINUX };
    });
  }

  /**
   * A container image built by this app or imported, e.g. an `Image` of a container recipe.
   *
   * @param image the image
   */
  public static fromImage(image: IImage): ContainerParentImage {
    const parent = ContainerParentImage.fromImageArn(image.imageArn, { platform: image.platform });
    return new Bound((scope) => {
      if (isContainerImage(image) === false) {
        throw validationError(`parentImage must be a container image, got ${image.node.path}, an image with an AMI; ` +
          'use ParentImage.fromImage in an ImageRecipe', scope);
      }
      return parent.bind(scope);
    });
  }

  /**
   * An AWS-managed Image Builder container image, in the stack's region, with its platform.
   *
   * @param image e.g. `AwsManagedContainerImage.AMAZON_LINUX_2023`
   * @param options the version
   */
  public static fromAwsManagedContainerImage(
    image: AwsManagedContainerImage, options: AwsManagedContainerParentImageOptions = {}): ContainerParentImage {
    return ContainerParentImage.fromAwsManagedImage(image.imageName, { ...options, platform: image.platform });
  }

  /**
   * An AWS-managed Image Builder container image by name, in the stack's region.
   *
   * @param imageName e.g. `amazon-linux-x86-2` or `ubuntu-24-x86-24-04`
   * @param options the version and platform
   */
  public static fromAwsManagedImage(imageName: string, options: AwsManagedContainerImageNameOptions = {}): ContainerParentImage {
    const version = options.imageVersion ?? LATEST_VERSION;
    return new Bound((scope) => {
      check(scope, IMAGE_BUILDER_IMAGE_NAME, imageName,
        'parentImage AWS-managed image name must be lowercase letters, digits, hyphens and underscores, as in Image Builder image ARNs');
      validateSemanticVersion(scope, 'imageVersion', version, VersionWildcards.TRAILING);
      const arn = Stack.of(scope).formatArn({ service: 'imagebuilder', account: 'aws', resource: 'image', resourceName: `${imageName}/${version}` });
      return { parentImage: arn, platform: options.platform ?? Platform.LINUX };
    });
  }

  /**
   * Resolves the parent image for the recipe `scope`.
   *
   * @param scope the recipe
   */
  public abstract bind(scope: Construct): ContainerParentImageConfig;
}

class Bound extends ContainerParentImage {
  public constructor(private readonly resolve: (scope: Construct) => ContainerParentImageConfig) {
    super();
  }

  public bind(scope: Construct): ContainerParentImageConfig {
    return this.resolve(scope);
  }
}

function check(scope: Construct, pattern: RegExp, value: string, message: string): void {
  if (!Token.isUnresolved(value) && !pattern.test(value)) {
    throw validationError(`${message}, got '${value}'`, scope);
  }
}
