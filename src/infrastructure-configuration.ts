import { Annotations, CfnResource, IResource, Lazy, Names, Resource, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CfnInfrastructureConfiguration } from 'aws-cdk-lib/aws-imagebuilder';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { createdVpcOf, vpcLabel, warnUnreachableIsolatedSubnet } from './private/build-network';
import { ECR_PULL_ACTIONS, ECR_PULL_PUSH_ACTIONS } from './private/ecr-actions';
import { validationError } from './private/errors';
import { resolveUnversionedImport } from './private/imports';
import { NagAppliesTo, addNagSuppression, nagFindingPattern, nagTextPattern } from './private/nag-suppressions';
import { injectProps } from './private/property-injection';
import { EC2_SERVICE, requireTrustedBy } from './private/role-trust';
import {
  ImageBuilderResourceType,
  generateResourceName,
  nonEmptyTags,
  shownValue,
  validateResourceName,
  validateResourceTags,
  validateTagMap,
  validateTextLength,
  validateTopicKeyAccount,
  validateWholeNumber,
} from './private/validation';

const INFRASTRUCTURE_CONFIGURATION_SYMBOL = Symbol.for('cdk-imagebuilder.InfrastructureConfiguration');

/** `InstanceMetadataOptions.httpPutResponseHopLimit` (Image Builder API reference). */
const MIN_HOP_LIMIT = 1;
const MAX_HOP_LIMIT = 64;
/** A container on the build instance is one hop further from the metadata service than the instance. */
const CONTAINER_BUILD_MIN_HOP_LIMIT = 2;
const DEFAULT_HOP_LIMIT = CONTAINER_BUILD_MIN_HOP_LIMIT;

/** EC2 instance types: family (with generation and options, e.g. `m7i-flex`) and size (e.g. `metal-24xl`). */
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/;
/** Mac instance families: mac1, mac2, mac2-m2, mac2-m2pro, mac-m4 and those to come. */
const MAC_INSTANCE_TYPE = /^mac/;
/** The `GroupArn` pattern of the Resource Groups API: a group name, or a name with the group's ID. */
const HOST_RESOURCE_GROUP_ARN = /^arn:aws(-[a-z]+)*:resource-groups:[a-z0-9-]+:[0-9]{12}:group\/([a-zA-Z0-9_.-]{1,300}|[a-zA-Z0-9_.-]{1,150}\/[a-z0-9]{26})$/;

/** IAM instance profile names are at most 128 characters. */
const MAX_INSTANCE_PROFILE_NAME_LENGTH = 128;
/** Kept free for the `-<region>` suffix; the longest region codes have 14 characters. */
const REGION_SUFFIX_RESERVE = 20;

/** What AWSTOE and the SSM agent on the build and test instances need (Image Builder user guide). */
const INSTANCE_MANAGED_POLICIES = ['AmazonSSMManagedInstanceCore', 'EC2InstanceProfileForImageBuilder'];
/**
 * Created once per module and shared by every instance role: a reference to an AWS-managed policy
 * holds only its ARN, built from the partition pseudo-parameter, so it does not depend on the scope.
 */
const INSTANCE_MANAGED_POLICY_REFERENCES = INSTANCE_MANAGED_POLICIES.map((policy) => iam.ManagedPolicy.fromAwsManagedPolicyName(policy));
/** The same, plus push and pull on every ECR repository, for container builds. */
const CONTAINER_BUILD_MANAGED_POLICY = 'EC2InstanceProfileForImageBuilderECRContainerBuilds';
/** The role Image Builder publishes notifications as. */
const SERVICE_LINKED_ROLE_NAME = 'aws-service-role/imagebuilder.amazonaws.com/AWSServiceRoleForImageBuilder';
const TOPIC_KEY_ACTIONS = ['kms:GenerateDataKey*', 'kms:Decrypt'];

/**
 * An EC2 Image Builder infrastructure configuration: where and how build and test instances run.
 */
export interface IInfrastructureConfiguration extends IResource {
  /**
   * The infrastructure configuration's ARN.
   *
   * @attribute
   */
  readonly infrastructureConfigurationArn: string;

  /**
   * The infrastructure configuration's name.
   *
   * @attribute
   */
  readonly infrastructureConfigurationName: string;

  /**
   * Grants the given IAM actions on this infrastructure configuration.
   *
   * @param grantee the principal
   * @param actions the actions, e.g. `imagebuilder:UpdateInfrastructureConfiguration`
   */
  grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant;

  /**
   * Grants `imagebuilder:GetInfrastructureConfiguration` on this infrastructure configuration.
   *
   * @param grantee the principal
   */
  grantRead(grantee: iam.IGrantable): iam.Grant;
}

/**
 * The tenancy of build and test instances.
 */
export enum Tenancy {
  /** Shared hardware. */
  DEFAULT = 'default',
  /** Single-tenant hardware. */
  DEDICATED = 'dedicated',
  /** A Dedicated Host: one given by `hostId` or `hostResourceGroupArn`, or any with auto-placement. */
  HOST = 'host',
}

/**
 * Properties of an {@link InfrastructureConfiguration}.
 */
export interface InfrastructureConfigurationProps {
  /**
   * The infrastructure configuration's name: 3 to 128 letters, numbers, hyphens, underscores and
   * inner spaces.
   *
   * @default - generated from the construct path: valid, deterministic and unique in the stack
   */
  readonly infrastructureConfigurationName?: string;

  /**
   * What the infrastructure configuration is for, 1 to 1024 characters.
   *
   * @default - no description
   */
  readonly description?: string;

  /**
   * The instance types Image Builder may launch, e.g. `new ec2.InstanceType('m7i.large')`. It picks
   * one of them by availability, so list types of the parent image's architecture only.
   *
   * @default - Image Builder chooses an instance type that suits the parent image
   */
  readonly instanceTypes?: ec2.InstanceType[];

  /**
   * The role of the build and test instances, assumable by `ec2.amazonaws.com` (for a role of this
   * app, synthesis fails otherwise). It needs at least the AWS-managed policies
   * `AmazonSSMManagedInstanceCore` and `EC2InstanceProfileForImageBuilder`. An instance profile is
   * created for it. Give this or `instanceProfile`, not both.
   *
   * @default - a role with those two managed policies
   */
  readonly role?: iam.IRole;

  /**
   * The instance profile of the build and test instances. Give this or `role`, not both.
   *
   * @default - an instance profile for `role`
   */
  readonly instanceProfile?: iam.IInstanceProfile;

  /**
   * The VPC to launch build and test instances in.
   *
   * @default - the default VPC of the account and region, with its default security group
   */
  readonly vpc?: ec2.IVpc;

  /**
   * Which subnets of `vpc` to use. Image Builder takes one subnet: the first one selected, so the
   * choice is stable between synths. The instances need a route to the Systems Manager and S3
   * endpoints (a NAT gateway or VPC endpoints). Only with `vpc`.
   *
   * @default - the first private subnet with egress, else isolated, else public (as `vpc.selectSubnets()`)
   */
  readonly subnetSelection?: ec2.SubnetSelection;

  /**
   * The security groups of the build and test instances. Without `vpc` the instances run in the
   * default VPC, so the groups must belong to it.
   *
   * @default - with `vpc`, a new security group that allows no inbound and all outbound traffic;
   * without, the default VPC's default security group
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * The key pair to log in to build and test instances with, for troubleshooting.
   *
   * @default - no key pair; Session Manager still works through the SSM agent
   */
  readonly keyPair?: ec2.IKeyPair;

  /**
   * Whether Image Builder terminates the instance when a build or test fails. Set `false` to keep
   * it for troubleshooting (and pay for it until you terminate it).
   *
   * @default true
   */
  readonly terminateInstanceOnFailure?: boolean;

  /**
   * Whether instances must use IMDSv2 (session tokens) to read instance metadata.
   *
   * @default true
   */
  readonly requireImdsv2?: boolean;

  /**
   * How many network hops an instance metadata response may travel, 1 to 64. Container builds
   * need at least 2 when IMDSv2 is required.
   *
   * @default 2
   */
  readonly httpPutResponseHopLimit?: number;

  /**
   * The SNS topic that Image Builder notifies when an image becomes available or fails. When the
   * topic has a customer managed key in this app, its key policy gets the statement that lets the
   * Image Builder service-linked role use it.
   *
   * @default - no notifications
   */
  readonly notificationTopic?: sns.ITopic;

  /**
   * The bucket that build and test instances upload their logs to. The instance role may put
   * objects under `logPrefix` only (and use the bucket's KMS key to encrypt them). A role not
   * created in this app is left alone, with a warning that says what to grant.
   *
   * @default - logs are not uploaded to S3
   */
  readonly logBucket?: s3.IBucket;

  /**
   * The key prefix of the logs in `logBucket`, without a leading `/`. Only with `logBucket`.
   *
   * @default - no prefix: logs at the top of the bucket, and the role may write anywhere in it
   */
  readonly logPrefix?: string;

  /**
   * Tags for the build and test instances that Image Builder launches.
   *
   * @default - no tags
   */
  readonly resourceTags?: { [key: string]: string };

  /**
   * The tenancy of build and test instances.
   *
   * @default - Image Builder's default, shared hardware
   */
  readonly tenancy?: Tenancy;

  /**
   * The Dedicated Host to launch instances on, e.g. `h-0123456789abcdef0`. Only with tenancy `HOST`,
   * and not with `hostResourceGroupArn`.
   *
   * @default - no particular host
   */
  readonly hostId?: string;

  /**
   * The host resource group to launch instances in. Only with tenancy `HOST`, and not with `hostId`.
   *
   * @default - no host resource group
   */
  readonly hostResourceGroupArn?: string;

  /**
   * The Availability Zone to launch instances in, e.g. `us-east-1a`. With `vpc`, it must be the zone
   * of the selected subnet.
   *
   * @default - the zone of the subnet, or one EC2 chooses
   */
  readonly availabilityZone?: string;

  /**
   * Tags for the infrastructure configuration.
   *
   * @default - no tags
   */
  readonly tags?: { [key: string]: string };
}

/**
 * How to refer to an existing infrastructure configuration.
 */
export interface InfrastructureConfigurationAttributes {
  /**
   * The infrastructure configuration's ARN.
   *
   * @default - built from `infrastructureConfigurationName` in this stack's account and region
   */
  readonly infrastructureConfigurationArn?: string;

  /**
   * The infrastructure configuration's name. With `infrastructureConfigurationArn`, it must be the
   * name in that ARN (which Image Builder writes lowercase, with hyphens for spaces and underscores).
   *
   * @default - the name in `infrastructureConfigurationArn`
   */
  readonly infrastructureConfigurationName?: string;
}

abstract class InfrastructureConfigurationBase extends Resource implements IInfrastructureConfiguration {
  public abstract readonly infrastructureConfigurationArn: string;
  public abstract readonly infrastructureConfigurationName: string;

  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions,
      resourceArns: [this.infrastructureConfigurationArn],
    });
  }

  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, 'imagebuilder:GetInfrastructureConfiguration');
  }
}

/**
 * An EC2 Image Builder infrastructure configuration: the instance types, instance profile, network,
 * instance metadata options, logging and notifications of the instances that build and test images.
 *
 * By default it creates a role with the two AWS-managed policies an Image Builder instance needs
 * and an instance profile for it, requires IMDSv2 with a hop limit of 2 (enough for container
 * builds), and terminates instances that fail.
 *
 * @see https://docs.aws.amazon.com/imagebuilder/latest/userguide/manage-infra-config.html
 */
export class InfrastructureConfiguration extends InfrastructureConfigurationBase implements ec2.IConnectable {
  /** Names this class to property injectors (`PropertyInjectors`, `App`'s `propertyInjectors`). */
  public static readonly PROPERTY_INJECTION_ID = 'cdk-imagebuilder.InfrastructureConfiguration';

  /**
   * Imports an infrastructure configuration by ARN.
   *
   * @param scope the scope of the import
   * @param id the id of the import
   * @param infrastructureConfigurationArn the infrastructure configuration's ARN
   */
  public static fromInfrastructureConfigurationArn(
    scope: Construct, id: string, infrastructureConfigurationArn: string): IInfrastructureConfiguration {
    return InfrastructureConfiguration.fromInfrastructureConfigurationAttributes(scope, id, { infrastructureConfigurationArn });
  }

  /**
   * Imports an infrastructure configuration of this stack's account and region by name.
   *
   * @param scope the scope of the import
   * @param id the id of the import
   * @param infrastructureConfigurationName the infrastructure configuration's name
   */
  public static fromInfrastructureConfigurationName(
    scope: Construct, id: string, infrastructureConfigurationName: string): IInfrastructureConfiguration {
    return InfrastructureConfiguration.fromInfrastructureConfigurationAttributes(scope, id, { infrastructureConfigurationName });
  }

  /**
   * Imports an infrastructure configuration from its attributes.
   *
   * @param scope the scope of the import
   * @param id the id of the import
   * @param attrs the infrastructure configuration's attributes
   */
  public static fromInfrastructureConfigurationAttributes(
    scope: Construct, id: string, attrs: InfrastructureConfigurationAttributes): IInfrastructureConfiguration {
    const { arn, name } = resolveUnversionedImport(scope, {
      type: ImageBuilderResourceType.INFRASTRUCTURE_CONFIGURATION,
      prop: 'infrastructureConfiguration',
      label: 'an infrastructure configuration',
      arn: attrs.infrastructureConfigurationArn,
      name: attrs.infrastructureConfigurationName,
    });

    class Import extends InfrastructureConfigurationBase {
      public readonly infrastructureConfigurationArn = arn;
      public readonly infrastructureConfigurationName = name;
    }
    return new Import(scope, id);
  }

  /**
   * Whether `x` is an `InfrastructureConfiguration` created by this library.
   *
   * @param x any value
   */
  public static isInfrastructureConfiguration(x: any): x is InfrastructureConfiguration {
    return x !== null && typeof x === 'object' && INFRASTRUCTURE_CONFIGURATION_SYMBOL in x;
  }

  public readonly infrastructureConfigurationArn: string;

  /**
   * The role of the build and test instances: the one created, the one given, or the role of the
   * given instance profile when it is known.
   */
  public readonly role?: iam.IRole;

  /**
   * The instance profile of the build and test instances.
   */
  public readonly instanceProfile: iam.IInstanceProfile;

  /**
   * The security groups of the build and test instances; empty without `vpc`.
   */
  public readonly securityGroups: ec2.ISecurityGroup[];

  /**
   * The bucket the build and test instances upload their logs to, if any (`logBucket`).
   */
  public readonly logBucket?: s3.IBucket;

  /**
   * The key prefix of the logs in `logBucket`, if any (`logPrefix`).
   */
  public readonly logPrefix?: string;

  /**
   * The topic Image Builder publishes build notifications to, if any (`notificationTopic`).
   */
  public readonly notificationTopic?: sns.ITopic;

  /**
   * The instance types given, if any.
   *
   * @internal
   */
  public readonly _instanceTypes?: string[];

  /** Attributes besides the ARN are read from it when asked: each makes a token, and most apps read none. */
  private readonly resource: CfnInfrastructureConfiguration;
  /** Set when this construct created the role, so it may attach policies and cdk-nag suppressions to it. */
  private readonly createdRole?: iam.Role;
  /** Holds what this construct grants its own role, kept apart from grants users add to the role. */
  private instancePolicy?: iam.Policy;
  private readonly buildConnections?: ec2.Connections;
  private readonly imdsv2Required: boolean;
  private readonly hopLimit: number;
  private containerBuildPolicyAttached = false;
  /** Whether a container pipeline or image builds here, which calls ECR from the instances. */
  private buildsContainers = false;
  /** The parent images of those builds that public registries serve, which the instances pull from the internet. */
  private readonly publicParentImages = new Set<string>();

  public constructor(scope: Construct, id: string, props: InfrastructureConfigurationProps = {}) {
    props = injectProps(InfrastructureConfiguration.PROPERTY_INJECTION_ID, scope, id, props);
    super(scope, id, {
      physicalName: props.infrastructureConfigurationName ?? Lazy.string({ produce: () => generateResourceName(this) }),
    });
    Object.defineProperty(this, INFRASTRUCTURE_CONFIGURATION_SYMBOL, { value: true });

    const name = props.infrastructureConfigurationName ?? generateResourceName(this);
    validateResourceName(this, 'infrastructureConfigurationName', name);
    validateTextLength(this, 'description', props.description);
    validateTagMap(this, 'tags', props.tags);
    validateResourceTags(this, 'resourceTags', props.resourceTags);
    validateInstanceTypes(this, props.instanceTypes);
    this._instanceTypes = props.instanceTypes?.map((instanceType) => instanceType.toString());
    validateInstanceIdentity(this, props);
    validateNetwork(this, props);
    validateSecurityGroupVpcs(this, props);
    validateKeyPair(this, props.keyPair);
    this.imdsv2Required = props.requireImdsv2 ?? true;
    this.hopLimit = props.httpPutResponseHopLimit ?? DEFAULT_HOP_LIMIT;
    validateWholeNumber(this, 'httpPutResponseHopLimit', this.hopLimit, MIN_HOP_LIMIT, MAX_HOP_LIMIT);
    validateLogging(this, props);
    validatePlacement(this, props);
    validateNotificationTopic(this, props.notificationTopic);
    const subnet = props.vpc ? selectSubnet(this, props.vpc, props.subnetSelection) : undefined;
    validateAvailabilityZone(this, props.availabilityZone, subnet);
    if (props.vpc && subnet) {
      // Container builds pull and push through ECR's API and Docker endpoints, and pull public parent images from the internet.
      warnUnreachableIsolatedSubnet(this, props.vpc, subnet, () => ({
        services: this.buildsContainers ? ['ecr.api', 'ecr.dkr'] : [],
        publicImages: [...this.publicParentImages],
      }));
    }

    if (!props.role && !props.instanceProfile) {
      this.createdRole = this.createInstanceRole();
    }
    this.role = props.instanceProfile ? props.instanceProfile.role : props.role ?? this.createdRole;
    requireTrustedBy(this, props.instanceProfile ? 'the role of instanceProfile' : 'role', props.instanceProfile?.role ?? props.role,
      EC2_SERVICE, 'the build and test instances run as it');
    this.instanceProfile = props.instanceProfile ?? this.createInstanceProfile(this.role!);
    this.securityGroups = props.securityGroups ?? (props.vpc ? [this.createSecurityGroup(props.vpc)] : []);
    this.logBucket = props.logBucket;
    this.notificationTopic = props.notificationTopic;
    this.logPrefix = props.logPrefix;
    if (this.securityGroups.length > 0) {
      this.buildConnections = new ec2.Connections({ securityGroups: this.securityGroups });
    }

    this.resource = new CfnInfrastructureConfiguration(this, 'Resource', {
      name,
      description: props.description,
      instanceProfileName: props.instanceProfile ? props.instanceProfile.instanceProfileName : instanceProfileRef(this.instanceProfile),
      instanceTypes: this._instanceTypes,
      instanceMetadataOptions: {
        httpTokens: this.imdsv2Required ? 'required' : 'optional',
        httpPutResponseHopLimit: this.hopLimit,
      },
      subnetId: subnet?.subnetId,
      securityGroupIds: this.securityGroups.length > 0 ? this.securityGroups.map((group) => group.securityGroupId) : undefined,
      keyPair: props.keyPair?.keyPairName,
      terminateInstanceOnFailure: props.terminateInstanceOnFailure ?? true,
      snsTopicArn: props.notificationTopic?.topicArn,
      logging: props.logBucket ? {
        s3Logs: { s3BucketName: props.logBucket.bucketName, s3KeyPrefix: props.logPrefix },
      } : undefined,
      placement: renderPlacement(props),
      resourceTags: nonEmptyTags(props.resourceTags),
      tags: props.tags,
    });
    this.infrastructureConfigurationArn = this.resource.attrArn;

    if (props.logBucket) {
      this.allowLogUploads(props.logBucket, props.logPrefix);
    }
    if (props.notificationTopic?.masterKey) {
      this.allowServiceToUseTopicKey(props.notificationTopic.masterKey);
    }
  }

  public get infrastructureConfigurationName(): string {
    return this.resource.attrName;
  }

  /**
   * The security groups of the build and test instances, to allow traffic to or from them, e.g.
   * `database.connections.allowDefaultPortFrom(infrastructure)`. Only with `vpc` or
   * `securityGroups`: without them the instances use the default VPC's default security group,
   * which this app does not manage.
   */
  public get connections(): ec2.Connections {
    if (!this.buildConnections) {
      throw validationError(
        'connections needs a vpc or securityGroups: without them, build instances use the default security group of the default VPC, ' +
        'which this app does not manage; give vpc or securityGroups to control their network access', this);
    }
    return this.buildConnections;
  }

  /**
   * Records a container build here, and the parent image it pulls from a public registry, if any,
   * for the network check.
   *
   * @internal
   */
  public _buildsContainers(publicParentImage: string | undefined): void {
    this.buildsContainers = true;
    if (publicParentImage !== undefined) {
      this.publicParentImages.add(publicParentImage);
    }
  }

  /**
   * Lets the build instances pull and push container images, as container recipes need. With
   * `targetRepository`, the role may push to and pull from that repository only, plus
   * `ecr:GetAuthorizationToken` (which has no resource-level permissions). Without it, the role gets
   * the AWS-managed policy `EC2InstanceProfileForImageBuilderECRContainerBuilds`, which covers every
   * repository. A role not created in this app (imported, or unknown for an imported instance
   * profile) is left alone, with a warning that says what to grant.
   *
   * With `parentRepository` (a parent image in a private ECR repository), the role may also pull
   * from that repository. With `scanningRepository` (image scanning on), it may also push to and
   * pull from that one: the build pushes the copy of the image that Amazon Inspector scans there.
   * Pipelines and images that build a container recipe of this app call this themselves.
   *
   * Fails when IMDSv2 is required with a hop limit below 2: the container could not read instance
   * metadata and the build would fail.
   *
   * @param targetRepository the repository the build pushes its image to
   * @param parentRepository the private ECR repository the parent image comes from
   * @param scanningRepository the repository the build pushes the copy to that is scanned
   */
  public allowContainerBuilds(targetRepository?: ecr.IRepository, parentRepository?: ecr.IRepository, scanningRepository?: ecr.IRepository): void {
    this.buildsContainers = true;
    if (this.imdsv2Required && !Token.isUnresolved(this.hopLimit) && this.hopLimit < CONTAINER_BUILD_MIN_HOP_LIMIT) {
      throw validationError(
        `httpPutResponseHopLimit must be at least ${CONTAINER_BUILD_MIN_HOP_LIMIT} for container builds when IMDSv2 is required, ` +
        `got ${this.hopLimit}`, this);
    }
    if (targetRepository) {
      this.allowRepositoryPullPush(scanningRepository && scanningRepository !== targetRepository
        ? [targetRepository, scanningRepository] : [targetRepository]);
      if (parentRepository && parentRepository !== targetRepository) {
        this.allowRepositoryPull(parentRepository);
      }
    } else {
      // The managed policy covers every repository, the parent image's too.
      this.attachContainerBuildPolicy();
    }
  }

  /**
   * Least privilege for a known repository: its layers and images, nothing else. The token call
   * cannot be scoped to a resource. The build instance also reads the container recipe it builds,
   * as the AWS-managed container build policy allows ("get an Image Builder component or container
   * recipe"); which recipe is not known here, so any of this account and region.
   */
  private allowRepositoryPullPush(repositories: ecr.IRepository[]): void {
    const recipes = Stack.of(this).formatArn({ service: 'imagebuilder', resource: 'container-recipe', resourceName: '*' });
    const arns = repositories.map((repository) => repository.repositoryArn);
    const added = this.addToInstanceRole(
      new iam.PolicyStatement({ actions: ECR_PULL_PUSH_ACTIONS, resources: arns }),
      new iam.PolicyStatement({ actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }),
      new iam.PolicyStatement({ actions: ['imagebuilder:GetContainerRecipe'], resources: [recipes] }));
    if (added) {
      this.suppressOwnPolicyWildcards(['Resource::*'],
        'ecr:GetAuthorizationToken has no resource-level permissions; the push and pull actions are scoped to the target repository ' +
        '(and the image scanning repository)');
      this.suppressOwnPolicyWildcards([{ regex: '/^Resource::arn:<AWS::Partition>:imagebuilder:.*:container-recipe\\/\\*$/' }],
        'build instances read the container recipe they build, which the infrastructure configuration does not know; ' +
        'the wildcard is limited to container recipes of this account and region');
    } else {
      this.warnRoleNotChanged('containerBuildsRepository',
        `pull and push on ${repositories.map(repositoryLabel).join(' and ')} (${ECR_PULL_PUSH_ACTIONS.join(', ')}), ecr:GetAuthorizationToken ` +
        'and imagebuilder:GetContainerRecipe');
    }
  }

  private allowRepositoryPull(repository: ecr.IRepository): void {
    if (!this.addToInstanceRole(new iam.PolicyStatement({ actions: ECR_PULL_ACTIONS, resources: [repository.repositoryArn] }))) {
      this.warnRoleNotChanged('containerBuildsParentRepository', `pull on ${repositoryLabel(repository)} (${ECR_PULL_ACTIONS.join(', ')})`);
    }
  }

  /** Without a repository, the AWS-managed policy AWS documents for container builds is the honest grant. */
  private attachContainerBuildPolicy(): void {
    const role = this.role;
    if (!(role instanceof iam.Role)) {
      this.warnRoleNotChanged('containerBuildsPolicy', `the AWS-managed policy ${CONTAINER_BUILD_MANAGED_POLICY}`);
      return;
    }
    if (this.containerBuildPolicyAttached) {
      return;
    }
    role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName(CONTAINER_BUILD_MANAGED_POLICY));
    this.containerBuildPolicyAttached = true;
    if (role === this.createdRole) {
      suppressManagedPolicies(role, [CONTAINER_BUILD_MANAGED_POLICY]);
    }
  }

  /**
   * Gives the build and test instances `statements` that `what` needs, as `allowContainerBuilds`
   * does: in the construct's own policy, or a warning for a role not created in this app.
   *
   * @internal
   */
  public _allowInstances(what: string, statements: iam.PolicyStatement[]): void {
    if (!this.addToInstanceRole(...statements)) {
      this.warnRoleNotChanged('instanceGrants', `${what} (${statements.map((s) => s.actions.join(', ')).join('; ')})`);
    }
  }

  /** PutObject under the prefix only; encrypting with the bucket's key needs a data key, and multipart uploads decrypt it. */
  private allowLogUploads(bucket: s3.IBucket, prefix: string | undefined): void {
    const statements = [
      new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [bucket.arnForObjects(`${prefix ?? ''}*`)] }),
    ];
    if (bucket.encryptionKey) {
      statements.push(new iam.PolicyStatement({
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [bucket.encryptionKey.keyArn],
      }));
    }
    if (this.addToInstanceRole(...statements)) {
      this.suppressOwnPolicyWildcards([{ regex: `/^Resource::${nagFindingPattern(this, bucket, bucket.bucketArn)}\\/${nagTextPattern(prefix ?? '')}\\*$/` }],
        'build instances upload logs under keys they name at run time; the wildcard is limited to ' +
        (prefix ? 'the log prefix in the log bucket' : 'the log bucket, as no logPrefix is given'));
    } else {
      this.warnRoleNotChanged('logBucket', `s3:PutObject on ${bucket.arnForObjects(`${prefix ?? ''}*`)}`);
    }
  }

  /**
   * Image Builder publishes as its service-linked role, which needs the topic's key (Image Builder
   * user guide, "Encrypted SNS topics"). The statement names the role in a condition rather than as
   * principal because KMS rejects key policies whose principals do not exist yet, and the role is
   * created only when the account first uses Image Builder.
   */
  private allowServiceToUseTopicKey(key: kms.IKey): void {
    const serviceRoleArn = Stack.of(this).formatArn({
      service: 'iam',
      region: '',
      resource: 'role',
      resourceName: SERVICE_LINKED_ROLE_NAME,
    });
    const statement = new iam.PolicyStatement({
      sid: 'AllowImageBuilderToPublishToEncryptedTopic',
      principals: [new iam.AnyPrincipal()],
      actions: TOPIC_KEY_ACTIONS,
      resources: ['*'],
      conditions: { ArnEquals: { 'aws:PrincipalArn': serviceRoleArn } },
    });
    if (!key.addToResourcePolicy(statement, true).statementAdded) {
      Annotations.of(this).addWarningV2('cdk-imagebuilder:notificationTopicKey',
        `notificationTopic is encrypted with key ${key.keyArn}, whose policy this app cannot change: add a statement that ` +
        `allows ${TOPIC_KEY_ACTIONS.join(' and ')} to the role ${serviceRoleArn}, or Image Builder cannot publish notifications`);
    }
  }

  private createInstanceRole(): iam.Role {
    const role = new iam.Role(this, 'InstanceRole', {
      assumedBy: new iam.ServicePrincipal(EC2_SERVICE),
      description: 'EC2 Image Builder build and test instances',
      managedPolicies: INSTANCE_MANAGED_POLICY_REFERENCES,
    });
    suppressManagedPolicies(role, INSTANCE_MANAGED_POLICIES);
    return role;
  }

  /**
   * Instance profiles are global to the account, so the name carries the region: the same stack
   * deployed to two regions must not fight over one name. The rest is unique in the app.
   */
  private createInstanceProfile(role: iam.IRole): iam.IInstanceProfile {
    const unique = Names.uniqueResourceName(this, {
      maxLength: MAX_INSTANCE_PROFILE_NAME_LENGTH - REGION_SUFFIX_RESERVE,
      separator: '-',
      allowedSpecialCharacters: '-',
    });
    return new iam.InstanceProfile(this, 'InstanceProfile', {
      role,
      instanceProfileName: `${unique}-${Stack.of(this).region}`,
    });
  }

  private createSecurityGroup(vpc: ec2.IVpc): ec2.ISecurityGroup {
    return new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc,
      description: 'EC2 Image Builder build and test instances',
      allowAllOutbound: true,
    });
  }

  /**
   * Adds statements to the instance role when it was created in this app: the role this construct
   * created gets them in a policy of their own, a given role in its default policy. Roles from
   * outside the app are left alone (imported immutable roles even claim success and drop the
   * statement). The configuration depends on the policy, so a build started right after deployment
   * has the permissions.
   */
  private addToInstanceRole(...statements: iam.PolicyStatement[]): boolean {
    if (this.createdRole) {
      this.ownInstancePolicy().addStatements(...statements);
      return true;
    }
    if (!(this.role instanceof iam.Role)) {
      return false;
    }
    for (const statement of statements) {
      const { policyDependable } = this.role.addToPrincipalPolicy(statement);
      if (policyDependable) {
        this.resource.node.addDependency(policyDependable);
      }
    }
    return true;
  }

  private ownInstancePolicy(): iam.Policy {
    if (!this.instancePolicy) {
      this.instancePolicy = new iam.Policy(this, 'InstancePolicy', { roles: [this.createdRole!] });
      this.resource.node.addDependency(this.instancePolicy);
    }
    return this.instancePolicy;
  }

  /** Only the policy this construct owns: it holds nothing but the statements it justifies. */
  private suppressOwnPolicyWildcards(appliesTo: NagAppliesTo[], reason: string): void {
    if (this.instancePolicy) {
      addNagSuppression(this.instancePolicy.node.defaultChild as CfnResource, 'AwsSolutions-IAM5', reason, appliesTo);
    }
  }

  private warnRoleNotChanged(what: string, needed: string): void {
    Annotations.of(this).addWarningV2(`cdk-imagebuilder:${what}`,
      `the instance role was not created in this app, so it is left as it is: give it ${needed} yourself`);
  }
}

/**
 * AWS maintains these policies as exactly what the SSM agent and AWSTOE need, and updates them
 * when the service does; a copy in this library would only fall behind. The suppression is on the
 * role this construct created, so other roles of the stack with the same policies are still reported.
 */
function suppressManagedPolicies(role: iam.Role, policies: string[]): void {
  addNagSuppression(role.node.defaultChild as iam.CfnRole, 'AwsSolutions-IAM4',
    'AWS-managed policies that Image Builder documents for its instance profile: maintained by AWS, ' +
    'they grant exactly what the SSM agent and AWSTOE on build and test instances need',
    policies.map((policy) => `Policy::arn:<AWS::Partition>:iam::aws:policy/${policy}`));
}

/** A repository in a message: `repository <name>` when the name is known at synth time, else its construct path. */
function repositoryLabel(repository: ecr.IRepository): string {
  return `repository ${Token.isUnresolved(repository.repositoryName) ? repository.node.path : repository.repositoryName}`;
}

/**
 * The Ref of an instance profile created in the same stack: what its `instanceProfileName` resolves
 * to there, without the cross-environment token that attribute is built on.
 */
function instanceProfileRef(instanceProfile: iam.IInstanceProfile): string {
  return (instanceProfile.node.defaultChild as iam.CfnInstanceProfile).ref;
}


function validateInstanceTypes(scope: Construct, instanceTypes: ec2.InstanceType[] | undefined): void {
  if (instanceTypes === undefined) {
    return;
  }
  if (instanceTypes.length === 0) {
    throw validationError('instanceTypes must list at least one instance type when given, got none; omit it to let Image Builder choose', scope);
  }
  const seen = new Set<string>();
  for (const instanceType of instanceTypes.map((t) => t.toString())) {
    if (Token.isUnresolved(instanceType)) {
      continue;
    }
    if (!INSTANCE_TYPE.test(instanceType)) {
      throw validationError(`instanceTypes must be EC2 instance types like m5.large, got '${instanceType}'`, scope);
    }
    if (seen.has(instanceType)) {
      throw validationError(`instanceTypes must not repeat an instance type, got '${instanceType}' twice`, scope);
    }
    seen.add(instanceType);
  }
}

function validateInstanceIdentity(scope: Construct, props: InfrastructureConfigurationProps): void {
  if (props.role && props.instanceProfile) {
    throw validationError(
      'give role or instanceProfile, not both: the instance profile already names its role; got both', scope);
  }
  // An imported profile's name goes into the template as given (`InstanceProfileName`: 1 to 256 of `[\w+=,.@-]`).
  const profileName = props.instanceProfile?.instanceProfileName;
  if (profileName !== undefined && !Token.isUnresolved(profileName) && !INSTANCE_PROFILE_NAME.test(profileName)) {
    throw validationError('instanceProfile must have a name of 1 to 256 letters, digits and + = , . @ _ -, ' +
      `got ${shownValue(profileName)}`, scope);
  }
}

const INSTANCE_PROFILE_NAME = /^[\w+=,.@-]{1,256}$/;

function validateNetwork(scope: Construct, props: InfrastructureConfigurationProps): void {
  if (!props.vpc && props.subnetSelection) {
    throw validationError('subnetSelection needs a vpc to select from, got subnetSelection without vpc', scope);
  }
  if (props.securityGroups?.length === 0) {
    throw validationError('securityGroups must list at least one security group when given, got none; omit it for a new one', scope);
  }
}

/** An empty name (as from an unset environment variable) would reach the template; the API needs a non-empty one. */
function validateKeyPair(scope: Construct, keyPair: ec2.IKeyPair | undefined): void {
  if (keyPair?.keyPairName === '') {
    throw validationError("keyPair must have a non-empty name, got ''", scope);
  }
}

/**
 * Security groups of a VPC this app creates, which is never the default VPC: without `vpc` the
 * instances run in the default VPC, where such a group cannot be used. With `vpc`, a group of
 * another VPC of the app works only when associated with `vpc`, so it gets a warning.
 */
function validateSecurityGroupVpcs(scope: Construct, props: InfrastructureConfigurationProps): void {
  const vpc = props.vpc ? createdVpcOf(props.vpc.vpcId) : undefined;
  for (const group of props.securityGroups ?? []) {
    const resource = group.node.defaultChild;
    const groupVpc = resource instanceof ec2.CfnSecurityGroup && resource.vpcId !== undefined ? createdVpcOf(resource.vpcId) : undefined;
    if (!groupVpc) {
      continue;
    }
    if (!props.vpc) {
      throw validationError('securityGroups without vpc must belong to the default VPC, where the instances run, ' +
        `got security group ${group.node.path} of VPC ${vpcLabel(groupVpc)}; give vpc`, scope);
    }
    if (vpc && vpc !== groupVpc) {
      Annotations.of(scope).addWarningV2('cdk-imagebuilder:securityGroupsVpc',
        `security group ${group.node.path} of securityGroups belongs to VPC ${vpcLabel(groupVpc)}, not to vpc ${vpcLabel(vpc)} ` +
        `where the instances run: the build fails to launch unless the group is associated with ${vpcLabel(vpc)}`);
    }
  }
}

function validateLogging(scope: Construct, props: InfrastructureConfigurationProps): void {
  const prefix = props.logPrefix;
  if (prefix === undefined) {
    return;
  }
  if (!props.logBucket) {
    throw validationError(`logPrefix needs a logBucket, got logPrefix ${shownValue(prefix)} without logBucket`, scope);
  }
  validateTextLength(scope, 'logPrefix', prefix);
  if (!Token.isUnresolved(prefix) && prefix.startsWith('/')) {
    // A valid S3 key, but rarely what was meant: the logs land under a folder with an empty name.
    Annotations.of(scope).addWarningV2('cdk-imagebuilder:logPrefixSlash',
      `logPrefix '${prefix}' starts with '/', which S3 keeps in the key: the logs land under a folder with an empty name`);
  }
}

/** The rules of the `Placement` API type: a host target only with tenancy `host`, and one target at most. */
function validatePlacement(scope: Construct, props: InfrastructureConfigurationProps): void {
  const { tenancy, hostId, hostResourceGroupArn } = props;
  if (hostId !== undefined && hostResourceGroupArn !== undefined) {
    throw validationError(
      `give hostId or hostResourceGroupArn, not both, got hostId ${shownValue(hostId)} and hostResourceGroupArn ${shownValue(hostResourceGroupArn)}`,
      scope);
  }
  for (const [prop, value] of [['hostId', hostId], ['hostResourceGroupArn', hostResourceGroupArn]]) {
    if (value !== undefined && tenancy !== Tenancy.HOST) {
      throw validationError(
        `${prop} needs tenancy ${Tenancy.HOST}, got ${prop} ${shownValue(value)} with tenancy '${tenancy ?? Tenancy.DEFAULT}'`, scope);
    }
  }
  // "Mac instances are available only as bare metal instances on Dedicated Hosts" (EC2 user guide).
  const macTypes = (props.instanceTypes ?? []).map((t) => t.toString()).filter((t) => !Token.isUnresolved(t) && MAC_INSTANCE_TYPE.test(t));
  if (macTypes.length > 0 && tenancy !== Tenancy.HOST) {
    throw validationError(`instanceTypes ${macTypes.join(', ')} need tenancy ${Tenancy.HOST}: Mac instances run only on Dedicated Hosts, ` +
      `got ${tenancy === undefined ? 'no tenancy' : `tenancy '${tenancy}'`}`, scope);
  }
  validateTextLength(scope, 'hostId', hostId);
  validateTextLength(scope, 'availabilityZone', props.availabilityZone);
  if (hostResourceGroupArn !== undefined && !Token.isUnresolved(hostResourceGroupArn) && !HOST_RESOURCE_GROUP_ARN.test(hostResourceGroupArn)) {
    throw validationError(
      'hostResourceGroupArn must be a resource group ARN like arn:aws:resource-groups:us-east-1:123456789012:group/my-hosts, ' +
      `got '${hostResourceGroupArn}'`, scope);
  }
}

/**
 * Image Builder publishes to standard topics only ("Image Builder doesn't support FIFO topics",
 * CreateInfrastructureConfiguration API reference), encrypted, if at all, with a key of its account.
 */
function validateNotificationTopic(scope: Construct, topic: sns.ITopic | undefined): void {
  if (topic?.fifo) {
    const given = Token.isUnresolved(topic.topicArn) ? topic.node.path : `'${topic.topicArn}'`;
    throw validationError(`notificationTopic must be a standard topic: Image Builder does not publish to FIFO topics, got the FIFO topic ${given}`,
      scope);
  }
  validateTopicKeyAccount(scope, topic?.masterKey, 'notificationTopic must be encrypted with a key');
}

/** Image Builder takes one subnet; the first of the selection keeps the choice stable between synths. */
function selectSubnet(scope: Construct, vpc: ec2.IVpc, selection: ec2.SubnetSelection | undefined): ec2.ISubnet {
  const [first] = vpc.selectSubnets(selection).subnets;
  if (!first) {
    throw validationError(`subnetSelection must select at least one subnet of vpc ${vpc.node.path}, got none`, scope);
  }
  return first;
}

function validateAvailabilityZone(scope: Construct, availabilityZone: string | undefined, subnet: ec2.ISubnet | undefined): void {
  if (availabilityZone === undefined || Token.isUnresolved(availabilityZone)) {
    return;
  }
  // Zone names are the region code and a letter (us-east-1a), or a dash for Local and Wavelength Zones (us-east-1-bos-1a).
  const region = Stack.of(scope).region;
  if (!Token.isUnresolved(region) && !(availabilityZone.startsWith(region) && /^[a-z-]/.test(availabilityZone.slice(region.length)))) {
    throw validationError(
      `availabilityZone must be the name of a zone of the stack's region ${region}, such as ${region}a (not a zone ID), got '${availabilityZone}'`, scope);
  }
  if (subnet === undefined || Token.isUnresolved(subnet.availabilityZone)) {
    return;
  }
  if (availabilityZone !== subnet.availabilityZone) {
    throw validationError(
      `availabilityZone must be the zone of the selected subnet ${subnet.node.path} ('${subnet.availabilityZone}'), got '${availabilityZone}'; ` +
      `select a subnet in that zone with subnetSelection: { availabilityZones: ['${availabilityZone}'] }`, scope);
  }
}

function renderPlacement(props: InfrastructureConfigurationProps): CfnInfrastructureConfiguration.PlacementProperty | undefined {
  const placement = {
    tenancy: props.tenancy,
    hostId: props.hostId,
    hostResourceGroupArn: props.hostResourceGroupArn,
    availabilityZone: props.availabilityZone,
  };
  return Object.values(placement).some((value) => value !== undefined) ? placement : undefined;
}
