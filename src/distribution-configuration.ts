import { Annotations, IResource, Lazy, Resource, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CfnDistributionConfiguration } from 'aws-cdk-lib/aws-imagebuilder';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct, IConstruct } from 'constructs';
import { validateAmiName, validateSsmParameterArnLength, validateSsmParameterName } from './private/ami-distribution-names';
import {
  isCreatedInApp, mayInclude, validateAccountList, validateFastLaunchConfigurations, validateLaunchTemplate, validateListLength,
  validateRegionOfCreated, validateRegionOfKey,
} from './private/ami-distribution-targets';
import { validationError } from './private/errors';
import { resolveUnversionedImport } from './private/imports';
import { statementsAllowing } from './private/policy-principals';
import { injectProps } from './private/property-injection';
import {
  ImageBuilderResourceType,
  escapeRegex,
  generateResourceName,
  shownValue,
  validateAccountId,
  validateContainerTags,
  validateOrganizationArn,
  validateOrganizationalUnitArn,
  validateRegion, validateRegionInStackPartition,
  validateResourceName,
  validateTagMap,
  validateTextLength,
} from './private/validation';

const DISTRIBUTION_CONFIGURATION_SYMBOL = Symbol.for('cdk-imagebuilder.DistributionConfiguration');

/** `LaunchPermissionConfiguration.organizationArns` and `organizationalUnitArns`: 1 to 25 ARNs each. */
const MAX_LAUNCH_PERMISSION_ARNS = 25;

/** `Distribution.launchTemplateConfigurations`: at most 100. */
const MAX_LAUNCH_TEMPLATES = 100;

/** `Distribution.licenseConfigurationArns` (Image Builder API): this pattern, 1 to 50 of them. */
const LICENSE_CONFIGURATION_ARN = /^arn:aws[^:]*:license-manager:[^:]+:[0-9]{12}:license-configuration:lic-[a-z0-9-_]{32}$/;
const MAX_LICENSE_CONFIGURATIONS = 50;

/**
 * What the destination accounts of a cross-account distribution need on a customer managed key (user
 * guide, "Set up cross-account AMI distribution", IAM policies).
 */
const CROSS_ACCOUNT_KEY_ACTIONS = [
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:ReEncrypt*',
  'kms:GenerateDataKey*',
  'kms:DescribeKey',
  'kms:CreateGrant',
  'kms:ListGrants',
  'kms:RevokeGrant',
];

/** The service that holds container images Image Builder distributes. */
const CONTAINER_SERVICE_ECR = 'ECR';

/**
 * An EC2 Image Builder distribution configuration: where images go after a build.
 */
export interface IDistributionConfiguration extends IResource {
  /**
   * The distribution configuration's ARN.
   *
   * @attribute
   */
  readonly distributionConfigurationArn: string;

  /**
   * The distribution configuration's name.
   *
   * @attribute
   */
  readonly distributionConfigurationName: string;

  /**
   * Grants the given IAM actions on this distribution configuration.
   *
   * @param grantee the principal
   * @param actions the actions, e.g. `imagebuilder:UpdateDistributionConfiguration`
   */
  grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant;

  /**
   * Grants `imagebuilder:GetDistributionConfiguration` on this distribution configuration.
   *
   * @param grantee the principal
   */
  grantRead(grantee: iam.IGrantable): iam.Grant;
}

/**
 * Properties of a {@link DistributionConfiguration}.
 */
export interface DistributionConfigurationProps {
  /**
   * The distribution configuration's name: 3 to 128 letters, numbers, hyphens, underscores and
   * inner spaces.
   *
   * @default - generated from the construct path: valid, deterministic and unique in the stack
   */
  readonly distributionConfigurationName?: string;

  /**
   * What the distribution configuration is for, 1 to 1024 characters.
   *
   * @default - no description
   */
  readonly description?: string;

  /**
   * Where and how to distribute AMIs, one entry per region; more can be added with
   * `addAmiDistribution`.
   *
   * @default - none here; give these, `containerDistributions`, or add them later
   */
  readonly amiDistributions?: AmiDistribution[];

  /**
   * Where to distribute container images, one entry per region; more can be added with
   * `addContainerDistribution`.
   *
   * @default - none here; give these, `amiDistributions`, or add them later
   */
  readonly containerDistributions?: ContainerDistribution[];

  /**
   * Tags for the distribution configuration.
   *
   * @default - no tags
   */
  readonly tags?: { [key: string]: string };
}

/**
 * How to refer to an existing distribution configuration.
 */
export interface DistributionConfigurationAttributes {
  /**
   * The distribution configuration's ARN.
   *
   * @default - built from `distributionConfigurationName` in this stack's account and region
   */
  readonly distributionConfigurationArn?: string;

  /**
   * The distribution configuration's name. With `distributionConfigurationArn`, it must be the name
   * in that ARN (which Image Builder writes lowercase, with hyphens for spaces and underscores).
   *
   * @default - the name in `distributionConfigurationArn`
   */
  readonly distributionConfigurationName?: string;
}

/**
 * An SSM parameter that Image Builder sets to the ID of the distributed AMI. It creates the
 * parameter when it does not exist and writes it with data type `aws:ec2:image`, so Systems Manager
 * checks that the value is an AMI ID. The Image Builder execution role needs `ssm:PutParameter` on
 * the parameter and `ec2:DescribeImages`.
 */
export interface AmiSsmParameter {
  /**
   * The parameter's name, e.g. `/images/web/latest` or `web-ami`: letters, numbers and `_.-/`; a
   * name in a hierarchy starts with `/` and has at most 15 levels; it must not start with `aws` or
   * `ssm`. Systems Manager allows 1011 characters for the name together with its ARN
   * (`arn:aws:ssm:us-east-1:123456789012:parameter/` is 45 of them), so the name itself has fewer;
   * the ARN is counted when the region and account are known at synth time.
   */
  readonly parameterName: string;

  /**
   * The account the parameter is written in. It must be one of the distribution's
   * `targetAccountIds`, whose copy of the AMI the parameter then names.
   *
   * @default - the account that runs the build
   */
  readonly accountId?: string;

  /**
   * The parameter's data type: `AWS_EC2_IMAGE` makes Systems Manager check that the value is an
   * AMI ID it can see; `TEXT` stores the ID unchecked.
   *
   * @default ssm.ParameterDataType.AWS_EC2_IMAGE
   */
  readonly dataType?: ssm.ParameterDataType;
}

/**
 * A launch template that Image Builder updates with a new version that launches the distributed AMI.
 */
export interface AmiLaunchTemplate {
  /**
   * The launch template, in the distribution's region and in the account of `accountId` (without
   * it, the account that runs the build). Referenced by ID, so an import needs `launchTemplateId`.
   */
  readonly launchTemplate: ec2.ILaunchTemplate;

  /**
   * Make the new launch template version the default version.
   * `false` adds the version and leaves the default one as it is.
   *
   * @default true (Image Builder's default)
   */
  readonly setDefaultVersion?: boolean;

  /**
   * The account that owns the launch template.
   *
   * @default - the account that runs the build
   */
  readonly accountId?: string;
}

/**
 * EC2 Fast Launch for a Windows AMI: EC2 keeps pre-provisioned snapshots so that instances start
 * sooner. Only for Windows images; Image Builder fails the distribution of other platforms. Without
 * a launch template the account needs a default VPC in the region.
 */
export interface FastLaunchOptions {
  /**
   * Turn Fast Launch on; `false` turns it off for an AMI that had it.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * The launch template of the instances that EC2 launches to create the snapshots, e.g. to choose
   * a subnet of a VPC that is not the default VPC, or to require IMDSv2. It must be in the
   * distribution's region and in the account of `accountId` (without it, the account that runs the
   * build). Referenced by ID when it has one, else by name.
   *
   * @default - EC2's defaults, in the default VPC
   */
  readonly launchTemplate?: ec2.ILaunchTemplate;

  /**
   * How many instances EC2 may launch at once to create snapshots, at least 6.
   *
   * @default - EC2's default
   */
  readonly maxParallelLaunches?: number;

  /**
   * How many pre-provisioned snapshots EC2 keeps, 1 to 10,000.
   *
   * @default - EC2's default
   */
  readonly targetSnapshotCount?: number;

  /**
   * The account whose copy of the AMI gets Fast Launch: the account that runs the build, or one of
   * the distribution's `targetAccountIds`, which own copies of the AMI.
   *
   * @default - the account that runs the build
   */
  readonly accountId?: string;
}

/**
 * Where and how to distribute an AMI in one region.
 */
export interface AmiDistribution {
  /**
   * The region, e.g. `eu-west-1`.
   *
   * @default - the stack's region
   */
  readonly region?: string;

  /**
   * The name of the AMI. It must contain `{{ imagebuilder:buildDate }}`, so that every build gets a
   * new name, and may contain `{{ imagebuilder:buildVersion }}`; 1 to 127 characters of letters,
   * numbers, hyphens, underscores, spaces, colons, periods and the braces of those variables.
   *
   * @default - Image Builder names the AMI after the recipe and build date
   */
  readonly amiName?: string;

  /**
   * The description of the AMI, 1 to 1024 characters.
   *
   * @default - no description
   */
  readonly amiDescription?: string;

  /**
   * The customer managed key that encrypts the AMI's snapshots in this region. When the key was
   * created in this app, its key policy allows the `targetAccountIds` (which copy the AMI) and the
   * accounts, organizations and units of the launch permissions (which launch it) to use it; for
   * any other key, a warning says what to add to its policy.
   *
   * @default - the encryption of the source AMI
   */
  readonly amiKmsKey?: kms.IKey;

  /**
   * Accounts that each get their own copy of the AMI in this region. Each needs the role
   * `EC2ImageBuilderDistributionCrossAccountRole` that Image Builder assumes to copy it.
   *
   * @default - no copies; the AMI stays in the account that runs the build
   */
  readonly targetAccountIds?: string[];

  /**
   * Accounts that may launch the AMI, 1 to 1,536.
   *
   * @default - no accounts
   */
  readonly launchPermissionAccountIds?: string[];

  /**
   * AWS Organizations organizations whose accounts may launch the AMI, 1 to 25.
   *
   * @default - no organizations
   */
  readonly launchPermissionOrganizationArns?: string[];

  /**
   * AWS Organizations organizational units whose accounts may launch the AMI, 1 to 25.
   *
   * @default - no organizational units
   */
  readonly launchPermissionOrganizationalUnitArns?: string[];

  /**
   * Make the AMI public: every AWS account may launch it. A warning reminds you that everything on
   * the image becomes readable by anyone.
   *
   * @default false
   */
  readonly launchPermissionPublic?: boolean;

  /**
   * Tags for the distributed AMI, at most 50, on the AMI this account owns in the region: accounts the
   * AMI is shared with do not see them. Values may use Image Builder's dynamic tags
   * `{{imagebuilder:buildDate}}` and `{{imagebuilder:buildVersion}}`.
   *
   * @default - no tags
   */
  readonly amiTags?: { [key: string]: string };

  /**
   * SSM parameters to set to the AMI's ID.
   *
   * @default - none
   */
  readonly ssmParameters?: AmiSsmParameter[];

  /**
   * Launch templates to update with the AMI, at most 100.
   *
   * @default - none
   */
  readonly launchTemplates?: AmiLaunchTemplate[];

  /**
   * EC2 Fast Launch for the AMI, one entry per account that owns a copy of it (1 to 1,000 entries):
   * the account that runs the build and the `targetAccountIds`. Windows AMIs only: this construct
   * does not know the recipe's platform, so it cannot check that.
   *
   * @default - Fast Launch is left as it is
   */
  readonly fastLaunchConfigurations?: FastLaunchOptions[];

  /**
   * License Manager license configurations to associate with the AMI, 1 to 50 ARNs.
   *
   * @default - none
   */
  readonly licenseConfigurationArns?: string[];
}

/**
 * Where to distribute a container image in one region.
 */
export interface ContainerDistribution {
  /**
   * The region, e.g. `eu-west-1`.
   *
   * @default - the stack's region
   */
  readonly region?: string;

  /**
   * The ECR repository in that region that receives the image.
   */
  readonly repository: ecr.IRepository;

  /**
   * Tags for the image in the repository, e.g. `latest`.
   *
   * @default - Image Builder's tag, the image version
   */
  readonly containerTags?: string[];

  /**
   * A description of the container distribution, 1 to 1024 characters.
   *
   * @default - no description
   */
  readonly description?: string;
}

abstract class DistributionConfigurationBase extends Resource implements IDistributionConfiguration {
  public abstract readonly distributionConfigurationArn: string;
  public abstract readonly distributionConfigurationName: string;

  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [this.distributionConfigurationArn] });
  }

  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, 'imagebuilder:GetDistributionConfiguration');
  }
}

/** One region's entry: the AMI and container settings given for it. */
interface RegionEntry {
  ami?: AmiDistribution;
  container?: ContainerDistribution;
}

/**
 * An EC2 Image Builder distribution configuration: the regions an image is distributed to and, per
 * region, the AMI's name, encryption, launch permissions, copies in other accounts, SSM parameters,
 * launch templates and Fast Launch, or the ECR repository of a container image.
 *
 * AMI and container settings for the same region become one entry, as Image Builder requires.
 *
 * @see https://docs.aws.amazon.com/imagebuilder/latest/userguide/manage-distribution-settings.html
 */
export class DistributionConfiguration extends DistributionConfigurationBase {
  /** Names this class to property injectors (`PropertyInjectors`, `App`'s `propertyInjectors`). */
  public static readonly PROPERTY_INJECTION_ID = 'cdk-imagebuilder.DistributionConfiguration';

  /**
   * Imports a distribution configuration by ARN.
   *
   * @param scope the scope of the import
   * @param id the id of the import
   * @param distributionConfigurationArn the distribution configuration's ARN
   */
  public static fromDistributionConfigurationArn(
    scope: Construct, id: string, distributionConfigurationArn: string): IDistributionConfiguration {
    return DistributionConfiguration.fromDistributionConfigurationAttributes(scope, id, { distributionConfigurationArn });
  }

  /**
   * Imports a distribution configuration of this stack's account and region by name.
   *
   * @param scope the scope of the import
   * @param id the id of the import
   * @param distributionConfigurationName the distribution configuration's name
   */
  public static fromDistributionConfigurationName(
    scope: Construct, id: string, distributionConfigurationName: string): IDistributionConfiguration {
    return DistributionConfiguration.fromDistributionConfigurationAttributes(scope, id, { distributionConfigurationName });
  }

  /**
   * Imports a distribution configuration from its attributes.
   *
   * @param scope the scope of the import
   * @param id the id of the import
   * @param attrs the distribution configuration's attributes
   */
  public static fromDistributionConfigurationAttributes(
    scope: Construct, id: string, attrs: DistributionConfigurationAttributes): IDistributionConfiguration {
    const { arn, name } = resolveUnversionedImport(scope, {
      type: ImageBuilderResourceType.DISTRIBUTION_CONFIGURATION,
      prop: 'distributionConfiguration',
      label: 'a distribution configuration',
      arn: attrs.distributionConfigurationArn,
      name: attrs.distributionConfigurationName,
    });

    class Import extends DistributionConfigurationBase {
      public readonly distributionConfigurationArn = arn;
      public readonly distributionConfigurationName = name;
    }
    return new Import(scope, id);
  }

  /**
   * Whether `x` is a `DistributionConfiguration` created by this library.
   *
   * @param x any value
   */
  public static isDistributionConfiguration(x: any): x is DistributionConfiguration {
    return x !== null && typeof x === 'object' && DISTRIBUTION_CONFIGURATION_SYMBOL in x;
  }

  public readonly distributionConfigurationArn: string;

  /** Entries by region, in the order the regions were first given. */
  private readonly entries = new Map<string, RegionEntry>();
  /** Attributes besides the ARN are read from it when asked: each makes a token, and most apps read none. */
  private readonly resource: CfnDistributionConfiguration;

  public constructor(scope: Construct, id: string, props: DistributionConfigurationProps = {}) {
    props = injectProps(DistributionConfiguration.PROPERTY_INJECTION_ID, scope, id, props);
    super(scope, id, {
      physicalName: props.distributionConfigurationName ?? Lazy.string({ produce: () => generateResourceName(this) }),
    });
    Object.defineProperty(this, DISTRIBUTION_CONFIGURATION_SYMBOL, { value: true });

    const name = props.distributionConfigurationName ?? generateResourceName(this);
    validateResourceName(this, 'distributionConfigurationName', name);
    validateTextLength(this, 'description', props.description);
    validateTagMap(this, 'tags', props.tags);

    for (const distribution of props.amiDistributions ?? []) {
      this.addAmiDistribution(distribution);
    }
    for (const distribution of props.containerDistributions ?? []) {
      this.addContainerDistribution(distribution);
    }
    this.node.addValidation({
      validate: () => this.entries.size > 0 ? [] : [
        'a distribution configuration needs at least one distribution, got none: give amiDistributions or ' +
        'containerDistributions, or call addAmiDistribution or addContainerDistribution',
      ],
    });

    this.resource = new CfnDistributionConfiguration(this, 'Resource', {
      name,
      description: props.description,
      distributions: Lazy.any({ produce: () => this.renderDistributions() }, { omitEmptyArray: true }),
      tags: props.tags,
    });
    this.distributionConfigurationArn = this.resource.attrArn;
  }

  public get distributionConfigurationName(): string {
    return this.resource.attrName;
  }

  /**
   * The regions this configuration distributes to, in the order they were given.
   */
  public get regions(): string[] {
    return [...this.entries.keys()];
  }

  /**
   * The regions that get an AMI, and those of them that turn Fast Launch on: what pipelines,
   * images and executions check their recipe and attributes against.
   *
   * @internal
   */
  public _amiRegions(): { regions: string[]; fastLaunchRegions: string[] } {
    const withAmi = [...this.entries].filter(([, entry]) => entry.ami);
    return {
      regions: withAmi.map(([region]) => region),
      fastLaunchRegions: withAmi
        .filter(([, entry]) => (entry.ami!.fastLaunchConfigurations ?? []).some((fastLaunch) => fastLaunch.enabled !== false))
        .map(([region]) => region),
    };
  }

  /**
   * Distributes AMIs to one more region, or adds AMI settings to the region of a container
   * distribution. A region takes one AMI distribution.
   *
   * @param distribution where and how to distribute the AMI
   */
  public addAmiDistribution(distribution: AmiDistribution): void {
    const region = this.regionOf('amiDistributions', distribution.region);
    const entry = this.entries.get(region) ?? {};
    if (entry.ami) {
      throw validationError(
        `amiDistributions must name each region once, got a second AMI distribution for ${regionPhrase(this, region, true)}; ` +
        'put all AMI settings of a region in one distribution', this);
    }
    validateAmiDistribution(this, region, distribution);
    this.allowAccountsToUseKey(region, distribution);
    if (distribution.launchPermissionPublic) {
      Annotations.of(this).addWarningV2('cdk-imagebuilder:publicAmi',
        `the AMI distributed to ${regionPhrase(this, region)} is public (launchPermissionPublic): every AWS account can launch it and read ` +
        'everything on it; make sure it holds no secrets, credentials or proprietary software');
    }
    this.entries.set(region, { ...entry, ami: distribution });
  }

  /**
   * Distributes container images to one more region, or adds a repository to the region of an AMI
   * distribution. A region takes one container distribution.
   *
   * @param distribution where to distribute the container image
   */
  public addContainerDistribution(distribution: ContainerDistribution): void {
    const region = this.regionOf('containerDistributions', distribution.region);
    const entry = this.entries.get(region) ?? {};
    if (entry.container) {
      throw validationError(
        `containerDistributions must name each region once, got a second container distribution for ${regionPhrase(this, region, true)}`, this);
    }
    const prop = (name: string) => `containerDistributions[${regionLabel(this, region)}].${name}`;
    validateTextLength(this, prop('description'), distribution.description);
    validateRegionOfCreated(this, prop('repository'), distribution.repository, region);
    validateContainerTags(this, prop('containerTags'), distribution.containerTags);
    warnFixedTagsOnImmutableRepository(this, prop('containerTags'), distribution.repository, distribution.containerTags);
    this.entries.set(region, { ...entry, container: distribution });
  }

  private regionOf(prop: string, region: string | undefined): string {
    validateRegion(this, `${prop} region`, region);
    if (region !== undefined) {
      validateRegionInStackPartition(this, `${prop} region`, region);
    }
    return region ?? Stack.of(this).region;
  }

  /**
   * Target accounts copy the AMI as themselves, and the accounts, organizations and units with
   * launch permissions launch it as themselves: each needs the key of the region. A key created in
   * this app gets the statements in its policy; for any other key, the user is told what to add.
   */
  private allowAccountsToUseKey(region: string, distribution: AmiDistribution): void {
    const key = distribution.amiKmsKey;
    const users = {
      accounts: [...new Set([...distribution.targetAccountIds ?? [], ...distribution.launchPermissionAccountIds ?? []])],
      organizationArns: distribution.launchPermissionOrganizationArns,
      organizationalUnitArns: distribution.launchPermissionOrganizationalUnitArns,
    };
    const statements = statementsAllowing(users, CROSS_ACCOUNT_KEY_ACTIONS, ['*']);
    if (!key || statements.length === 0) {
      return;
    }
    const added = isCreatedInApp(key) && statements.every((statement) => key.addToResourcePolicy(statement).statementAdded);
    if (added) {
      return;
    }
    const organizations = users.organizationArns ?? [];
    const units = users.organizationalUnitArns ?? [];
    const allowEveryone = `statements that allow ${CROSS_ACCOUNT_KEY_ACTIONS.join(', ')} to every principal ('*') on the condition`;
    const toAdd = [
      ...users.accounts.length > 0
        ? [`the statement ${JSON.stringify({ Effect: 'Allow', Principal: { AWS: users.accounts.map(shownAccount) }, Action: CROSS_ACCOUNT_KEY_ACTIONS, Resource: '*' })}`]
        : [],
      ...organizations.length > 0 ? [`${allowEveryone} aws:PrincipalOrgID for the organizations ${organizations.map(shownValue).join(', ')}`] : [],
      ...units.length > 0 ? [`${allowEveryone} aws:PrincipalOrgPaths for the organizational units ${units.map(shownValue).join(', ')}`] : [],
    ];
    const launchers = (distribution.launchPermissionAccountIds ?? []).length + organizations.length + units.length;
    const who = [
      ...(distribution.targetAccountIds ?? []).length > 0 ? ['the target accounts copy the AMI'] : [],
      ...launchers > 0 ? ['the accounts, organizations and units of the launch permissions launch it'] : [],
    ];
    Annotations.of(this).addWarningV2('cdk-imagebuilder:amiKmsKey',
      `amiKmsKey of ${regionPhrase(this, region)} (${Token.isUnresolved(key.keyArn) ? key.node.path : key.keyArn}) was not created in this app, ` +
      'so its key policy is left as it is: ' +
      `${who.join(' and ')} with the key, so add ${toAdd.join(' and ')} to its policy, or the distribution fails or the AMI cannot be launched there`);
  }

  private renderDistributions(): CfnDistributionConfiguration.DistributionProperty[] {
    return [...this.entries.entries()].map(([region, entry]) => ({
      region,
      ...(entry.ami ? renderAmi(entry.ami) : {}),
      containerDistributionConfiguration: entry.container ? renderContainer(entry.container) : undefined,
    }));
  }
}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

function validateAmiDistribution(scope: Construct, region: string, d: AmiDistribution): void {
  const prop = (name: string) => `amiDistributions[${regionLabel(scope, region)}].${name}`;
  validateAmiName(scope, prop('amiName'), d.amiName);
  validateTextLength(scope, prop('amiDescription'), d.amiDescription);
  validateAccountList(scope, prop('targetAccountIds'), d.targetAccountIds);
  validateAccountList(scope, prop('launchPermissionAccountIds'), d.launchPermissionAccountIds);
  validateListLength(scope, prop('launchPermissionOrganizationArns'), d.launchPermissionOrganizationArns,
    MAX_LAUNCH_PERMISSION_ARNS, 'organization ARN');
  for (const arn of d.launchPermissionOrganizationArns ?? []) {
    validateOrganizationArn(scope, prop('launchPermissionOrganizationArns'), arn);
  }
  validateListLength(scope, prop('launchPermissionOrganizationalUnitArns'), d.launchPermissionOrganizationalUnitArns,
    MAX_LAUNCH_PERMISSION_ARNS, 'organizational unit ARN');
  for (const arn of d.launchPermissionOrganizationalUnitArns ?? []) {
    validateOrganizationalUnitArn(scope, prop('launchPermissionOrganizationalUnitArns'), arn);
  }
  validateTagMap(scope, prop('amiTags'), d.amiTags);
  validateRegionOfKey(scope, prop('amiKmsKey'), d.amiKmsKey, region);
  for (const parameter of d.ssmParameters ?? []) {
    validateSsmParameter(scope, prop('ssmParameters'), parameter, d.targetAccountIds, region);
  }
  const templates = d.launchTemplates ?? [];
  if (!Token.isUnresolved(templates) && templates.length > MAX_LAUNCH_TEMPLATES) {
    throw validationError(`${prop('launchTemplates')} must list at most ${MAX_LAUNCH_TEMPLATES} launch templates, got ${templates.length}`, scope);
  }
  for (const template of templates) {
    validateAccountId(scope, prop('launchTemplates.accountId'), template.accountId);
    // Only an import can lack the ID; the region and account checks below are for created templates.
    if (template.launchTemplate.launchTemplateId === undefined) {
      throw validationError(
        `${prop('launchTemplates')} must reference launch templates by ID, got ${template.launchTemplate.node.path} without a ` +
        'launchTemplateId; import it with launchTemplateId', scope);
    }
    validateLaunchTemplate(scope, prop('launchTemplates.launchTemplate'), template.launchTemplate, template.accountId, region);
  }
  validateFastLaunchConfigurations(scope, prop('fastLaunchConfigurations'), d.fastLaunchConfigurations, d.targetAccountIds, region);
  validateListLength(scope, prop('licenseConfigurationArns'), d.licenseConfigurationArns,
    MAX_LICENSE_CONFIGURATIONS, 'license configuration ARN');
  for (const arn of d.licenseConfigurationArns ?? []) {
    if (!Token.isUnresolved(arn) && !LICENSE_CONFIGURATION_ARN.test(arn)) {
      throw validationError(
        `${prop('licenseConfigurationArns')} must be License Manager license configuration ARNs like ` +
        'arn:aws:license-manager:us-east-1:123456789012:license-configuration:lic-0123456789abcdef0123456789abcdef, ' +
        `ending in lic- and 32 lowercase letters, digits, hyphens or underscores, got '${arn}'`, scope);
    }
  }
}

/**
 * A region as messages name it: its code, or what it is when only known at deployment, rather than a
 * token's placeholder.
 */
function regionLabel(scope: IConstruct, region: string): string {
  if (!Token.isUnresolved(region)) {
    return region;
  }
  return region === Stack.of(scope).region ? "the stack's region" : 'a region known only at deployment';
}

/** An account ID in a message: as given, or a note that it is known only at deployment. */
function shownAccount(account: string): string {
  return Token.isUnresolved(account) ? '(known only at deployment)' : account;
}

/**
 * A repository of the app with immutable tags takes each tag once (ECR refuses to move a tag to a new
 * image), so a fixed container tag such as `latest` would fail the distribution of every build after
 * the first. Tags that may hold a variable or a token are left alone, and so is a repository whose
 * exclusion filters are not known at synth time.
 */
function warnFixedTagsOnImmutableRepository(scope: IConstruct, prop: string, repository: ecr.IRepository, tags: string[] | undefined): void {
  const resource = repository.node.defaultChild;
  if (!(resource instanceof ecr.CfnRepository)) {
    return;
  }
  const fixed = (tags ?? []).filter((tag) => !Token.isUnresolved(tag) && !tag.includes('{{') && isImmutableTag(resource, tag));
  if (fixed.length > 0) {
    Annotations.of(scope).addWarningV2('cdk-imagebuilder:immutableContainerTag',
      `${prop} ${fixed.map((tag) => `'${tag}'`).join(', ')} would go to the image of every build, but repository ${repository.node.path} ` +
      'keeps them immutable: ECR refuses a tag it already holds, so every build after the first would fail to distribute; give a ' +
      'repository whose tags (or exclusion filters) let them move, or leave the fixed tags out');
  }
}

/**
 * Whether the repository keeps `tag` immutable: with `IMMUTABLE`, or with `IMMUTABLE_WITH_EXCLUSION`
 * unless an exclusion filter matches it, or with `MUTABLE_WITH_EXCLUSION` when one does. Filters
 * are wildcard patterns (`*` for any characters); false when they are not known at synth time.
 */
function isImmutableTag(resource: ecr.CfnRepository, tag: string): boolean {
  const mutability = resource.imageTagMutability;
  if (mutability === ecr.TagMutability.IMMUTABLE) {
    return true;
  }
  if (mutability !== ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION && mutability !== ecr.TagMutability.MUTABLE_WITH_EXCLUSION) {
    return false;
  }
  const filters = resource.imageTagMutabilityExclusionFilters;
  if (filters === undefined || Token.isUnresolved(filters)) {
    return false;
  }
  const values = (filters as unknown[]).map((filter) => (filter as ecr.CfnRepository.ImageTagMutabilityExclusionFilterProperty)
    .imageTagMutabilityExclusionFilterValue);
  if (values.some((value) => typeof value !== 'string' || Token.isUnresolved(value))) {
    return false;
  }
  const excluded = values.some((value) => new RegExp(`^${value.split('*').map(escapeRegex).join('.*')}$`).test(tag));
  return mutability === ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION ? !excluded : excluded;
}

/** A region in a sentence: `region us-east-1` (quoted when asked) or `the stack's region`. */
function regionPhrase(scope: IConstruct, region: string, quoted = false): string {
  if (Token.isUnresolved(region)) {
    return regionLabel(scope, region);
  }
  return quoted ? `region '${region}'` : `region ${region}`;
}

/** The Image Builder pattern plus the Parameter Store naming rules the service applies when it writes the parameter. */
function validateSsmParameter(
  scope: Construct, prop: string, parameter: AmiSsmParameter, targetAccountIds: string[] | undefined, region: string): void {
  const name = parameter.parameterName;
  validateSsmParameterName(scope, `${prop} parameterName`, name);
  const account = parameter.accountId;
  validateAccountId(scope, `${prop} accountId`, account);
  if (account !== undefined && !Token.isUnresolved(account) && !mayInclude(targetAccountIds, account)) {
    throw validationError(
      `${prop} accountId must be one of the distribution's targetAccountIds, which own the AMI copies the parameter names, ` +
      `got '${account}' with targetAccountIds [${(targetAccountIds ?? []).join(', ')}]`, scope);
  }
  validateSsmParameterArnLength(scope, `${prop} parameterName`, name, account, region);
}

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

/**
 * The L1 types `amiDistributionConfiguration` and `containerDistributionConfiguration` as `any`,
 * and CloudFormation gets them as written: their keys are in CloudFormation's PascalCase here.
 */
function renderAmi(d: AmiDistribution): Omit<CfnDistributionConfiguration.DistributionProperty, 'region'> {
  const launchPermission = compact({
    UserIds: d.launchPermissionAccountIds,
    UserGroups: d.launchPermissionPublic ? ['all'] : undefined,
    OrganizationArns: d.launchPermissionOrganizationArns,
    OrganizationalUnitArns: d.launchPermissionOrganizationalUnitArns,
  });
  return {
    amiDistributionConfiguration: compact({
      Name: d.amiName,
      Description: d.amiDescription,
      KmsKeyId: d.amiKmsKey?.keyArn,
      TargetAccountIds: d.targetAccountIds,
      LaunchPermissionConfiguration: launchPermission,
      // TagMap takes at least one tag: an empty map is left out.
      AmiTags: d.amiTags && (Token.isUnresolved(d.amiTags) || Object.keys(d.amiTags).length > 0) ? d.amiTags : undefined,
    }) ?? {},
    ssmParameterConfigurations: nonEmpty(d.ssmParameters?.map((parameter) => ({
      parameterName: parameter.parameterName,
      amiAccountId: parameter.accountId,
      dataType: parameter.dataType ?? ssm.ParameterDataType.AWS_EC2_IMAGE,
    }))),
    launchTemplateConfigurations: nonEmpty(d.launchTemplates?.map((template) => ({
      launchTemplateId: template.launchTemplate.launchTemplateId,
      setDefaultVersion: template.setDefaultVersion,
      accountId: template.accountId,
    }))),
    fastLaunchConfigurations: nonEmpty(d.fastLaunchConfigurations?.map((fastLaunch) => ({
      enabled: fastLaunch.enabled ?? true,
      accountId: fastLaunch.accountId,
      maxParallelLaunches: fastLaunch.maxParallelLaunches,
      snapshotConfiguration: fastLaunch.targetSnapshotCount !== undefined
        ? { targetResourceCount: fastLaunch.targetSnapshotCount } : undefined,
      launchTemplate: fastLaunch.launchTemplate ? renderFastLaunchTemplate(fastLaunch.launchTemplate) : undefined,
    }))),
    licenseConfigurationArns: nonEmpty(d.licenseConfigurationArns),
  };
}

/** EC2 takes the ID or the name of the template, not both. */
function renderFastLaunchTemplate(template: ec2.ILaunchTemplate): CfnDistributionConfiguration.FastLaunchLaunchTemplateSpecificationProperty {
  return {
    launchTemplateId: template.launchTemplateId,
    launchTemplateName: template.launchTemplateId === undefined ? template.launchTemplateName : undefined,
    launchTemplateVersion: template.versionNumber,
  };
}

function renderContainer(d: ContainerDistribution): object {
  return compact({
    Description: d.description,
    ContainerTags: nonEmpty(d.containerTags),
    TargetRepository: { Service: CONTAINER_SERVICE_ECR, RepositoryName: d.repository.repositoryName },
  }) ?? {};
}

/** The object without its undefined values, or undefined when none is left. */
function compact(o: { [key: string]: unknown }): object | undefined {
  const entries = Object.entries(o).filter(([, value]) => value !== undefined);
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

function nonEmpty<T>(list: T[] | undefined): T[] | undefined {
  return list && list.length > 0 ? list : undefined;
}
